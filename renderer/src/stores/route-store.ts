// Where the user is, kept in the location hash: links are plain anchors (keyboard and middle
// click work), reload keeps the page, and the Electron shell needs no navigation at all.
import { create } from 'zustand';

export type ActionsTab = 'templates' | 'executions';

export type Route =
  | { page: 'actions'; tab: ActionsTab }
  | { page: 'template-new' }
  | { page: 'template-edit'; templateId: string }
  | { page: 'template-versions'; templateId: string }
  | { page: 'execution'; executionId: string }
  | { page: 'missions'; missionId: string | null };

export function parseHash(hash: string): Route {
  const parts = hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter((part) => part.length > 0)
    .map(decodeURIComponent);
  const [first, second, third] = parts;
  if (first === 'actions' && second === 'executions') return { page: 'actions', tab: 'executions' };
  if (first === 'templates' && second === 'new') return { page: 'template-new' };
  if (first === 'templates' && second && third === 'edit') {
    return { page: 'template-edit', templateId: second };
  }
  if (first === 'templates' && second && third === 'versions') {
    return { page: 'template-versions', templateId: second };
  }
  if (first === 'executions' && second) return { page: 'execution', executionId: second };
  if (first === 'missions') return { page: 'missions', missionId: second ?? null };
  return { page: 'actions', tab: 'templates' };
}

export function routeHref(route: Route): string {
  const id = (value: string) => encodeURIComponent(value);
  switch (route.page) {
    case 'actions':
      return `#/actions/${route.tab}`;
    case 'template-new':
      return '#/templates/new';
    case 'template-edit':
      return `#/templates/${id(route.templateId)}/edit`;
    case 'template-versions':
      return `#/templates/${id(route.templateId)}/versions`;
    case 'execution':
      return `#/executions/${id(route.executionId)}`;
    case 'missions':
      return route.missionId ? `#/missions/${id(route.missionId)}` : '#/missions';
  }
}

interface RouteState {
  route: Route;
  navigate(route: Route): void;
}

export const useRouteStore = create<RouteState>(() => ({
  route: parseHash(window.location.hash),
  navigate(route) {
    window.location.hash = routeHref(route);
  },
}));

window.addEventListener('hashchange', () => {
  useRouteStore.setState({ route: parseHash(window.location.hash) });
});
