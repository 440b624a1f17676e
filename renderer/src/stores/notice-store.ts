// A short confirmation after something succeeded ("bag-summary v2 saved"), announced politely
// to screen readers. It stays on the page it was shown on and the page the user is sent to
// next, and goes away when they move on.
import { create } from 'zustand';

import { routeHref, useRouteStore, type Route } from './route-store.js';

interface Notice {
  text: string;
  /** The pages (as hrefs) on which the notice still makes sense. */
  keepOn: readonly string[];
}

interface NoticeState {
  notice: Notice | null;
  show(text: string, landing?: Route): void;
  clear(): void;
}

export const useNoticeStore = create<NoticeState>((set) => ({
  notice: null,
  show(text, landing) {
    const here = routeHref(useRouteStore.getState().route);
    set({ notice: { text, keepOn: landing ? [here, routeHref(landing)] : [here] } });
  },
  clear() {
    set({ notice: null });
  },
}));
