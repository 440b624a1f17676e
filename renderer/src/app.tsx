// The frame of every page: the top bar with the pages and the runner's state, a notice line,
// and the page the location hash names.
import { useEffect, useRef, useState, type ReactElement } from 'react';

import { Icon } from './components/icons.js';
import { RichText } from './components/rich-text.js';
import { api } from './lib/api-client.js';
import { ActionsPage } from './pages/actions-page.js';
import { ExecutionPage } from './pages/execution-page.js';
import { MissionsPage } from './pages/missions-page.js';
import { TemplateFormPage } from './pages/template-form-page.js';
import { TemplateVersionsPage } from './pages/template-versions-page.js';
import { useExecutionStore } from './stores/execution-store.js';
import { useExecutionsStore } from './stores/executions-store.js';
import { connectLiveEvents } from './stores/live-events.js';
import { useMissionsStore } from './stores/missions-store.js';
import { useNoticeStore } from './stores/notice-store.js';
import { routeHref, useRouteStore, type Route } from './stores/route-store.js';
import { useRunnerStore } from './stores/runner-store.js';
import { useTemplatesStore } from './stores/templates-store.js';

export function App(): ReactElement {
  const route = useRouteStore((state) => state.route);
  const main = useRef<HTMLElement>(null);
  const firstRoute = useRef(true);

  useEffect(() => {
    void useRunnerStore.getState().load();
    return connectLiveEvents();
  }, []);

  // A file dropped outside the drop zone would make the browser open it in place of the app.
  useEffect(() => {
    const refuse = (event: DragEvent) => event.preventDefault();
    window.addEventListener('dragover', refuse);
    window.addEventListener('drop', refuse);
    return () => {
      window.removeEventListener('dragover', refuse);
      window.removeEventListener('drop', refuse);
    };
  }, []);

  // After a page change, focus goes to the page so that keyboard and screen reader users
  // start there, not at the link they left.
  useEffect(() => {
    if (firstRoute.current) {
      firstRoute.current = false;
      return;
    }
    main.current?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, [route]);

  return (
    <div className="app">
      <button type="button" className="skip-link" onClick={() => main.current?.focus()}>
        Skip to the page
      </button>
      <header className="top-bar">
        <span className="brand">
          <span className="brand-mark" aria-hidden="true">
            <Icon name="play" size={16} />
          </span>
          Kleinkram Actions
        </span>
        <nav className="main-nav" aria-label="Pages">
          <a
            href={routeHref({ page: 'actions', tab: 'templates' })}
            aria-current={isActions(route) ? 'page' : undefined}
          >
            <Icon name="actions" /> Actions
          </a>
          <a
            href={routeHref({ page: 'missions', missionId: null })}
            aria-current={route.page === 'missions' ? 'page' : undefined}
          >
            <Icon name="missions" /> Missions
          </a>
        </nav>
        <RunnerStatus />
      </header>
      <ConnectionBanner />
      <NoticeBar route={route} />
      <main ref={main} tabIndex={-1} className="main">
        <Page route={route} />
      </main>
    </div>
  );
}

function isActions(route: Route): boolean {
  return route.page !== 'missions';
}

function Page({ route }: { route: Route }): ReactElement {
  switch (route.page) {
    case 'actions':
      return <ActionsPage tab={route.tab} />;
    case 'template-new':
      return <TemplateFormPage templateId={null} />;
    case 'template-edit':
      return <TemplateFormPage templateId={route.templateId} />;
    case 'template-versions':
      return <TemplateVersionsPage templateId={route.templateId} />;
    case 'execution':
      return <ExecutionPage executionId={route.executionId} />;
    case 'missions':
      return <MissionsPage missionId={route.missionId} />;
  }
}

function RunnerStatus(): ReactElement {
  const { status, error } = useRunnerStore();
  if (error) {
    return (
      <span className="runner-status warn" role="status" title={error.hint ?? error.message}>
        Runner: {error.message}
      </span>
    );
  }
  if (!status) return <span className="runner-status" />;
  if (!status.available) {
    return (
      <span className="runner-status warn" role="status" title={status.message ?? undefined}>
        Runner unavailable{status.message ? `: ${status.message}` : ''}
      </span>
    );
  }
  const busy = status.running > 0 || status.queued > 0;
  return (
    <span className={`runner-status${busy ? ' busy' : ''}`} role="status">
      {busy ? `${status.running} running · ${status.queued} queued` : 'Runner idle'}
    </span>
  );
}

/** When the browser transport loses its server, say so, and reload everything on return. */
function ConnectionBanner(): ReactElement | null {
  const [connected, setConnected] = useState(true);

  useEffect(
    () =>
      api().onConnectionChange((now) => {
        setConnected(now);
        if (!now) return;
        // Events sent while the connection was down are lost: read the truth again.
        void useRunnerStore.getState().load();
        void useTemplatesStore.getState().load();
        void useMissionsStore.getState().load();
        void useExecutionsStore.getState().load();
        const open = useExecutionStore.getState().executionId;
        if (open) void useExecutionStore.getState().open(open);
      }),
    [],
  );

  if (connected) return null;
  return (
    <div className="connection-banner" role="alert">
      The connection to the Kleinkram Actions server is lost; reconnecting. What you see may be out
      of date until it is back.
    </div>
  );
}

function NoticeBar({ route }: { route: Route }): ReactElement | null {
  const { notice, clear } = useNoticeStore();

  useEffect(() => {
    if (notice && !notice.keepOn.includes(routeHref(route))) clear();
  }, [clear, notice, route]);

  if (!notice) return null;
  return (
    <div className="notice-bar" role="status">
      <span>
        <RichText text={notice.text} />
      </span>
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={clear}>
        <Icon name="close" size={16} />
      </button>
    </div>
  );
}
