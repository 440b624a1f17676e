// The window or tab title names the page, so that a screen reader announces it and the
// desktop window list and browser tabs tell pages apart.
import { useEffect } from 'react';

const APP_NAME = 'Kleinkram Actions';

export function usePageTitle(title: string | null): void {
  useEffect(() => {
    document.title = title ? `${title} · ${APP_NAME}` : APP_NAME;
  }, [title]);
}
