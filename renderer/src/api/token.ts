// The access token of the browser transport. `kleinkram-actions serve` prints a URL with
// ?token=...; the tab keeps it in sessionStorage so that a reload (or a link inside the app
// that drops the query) still works.
const STORAGE_KEY = 'kleinkram-actions.token';

export function readToken(location: Location = window.location): string | null {
  const fromUrl = new URLSearchParams(location.search).get('token');
  if (fromUrl) {
    try {
      sessionStorage.setItem(STORAGE_KEY, fromUrl);
    } catch {
      // Storage can be disabled by the browser; the token in the URL still works this time.
    }
    return fromUrl;
  }
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}
