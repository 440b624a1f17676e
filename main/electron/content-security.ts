// The Content Security Policy of the desktop window. The packaged page may load only its own
// files and reach main only through the preload; the Vite dev server needs its inline
// refresh preamble and its hot-reload socket, so development gets exactly those two more.
export function desktopCsp(devServerUrl: string | null): string {
  const dev = devServerUrl === null ? null : new URL(devServerUrl);
  return [
    "default-src 'none'",
    dev ? "script-src 'self' 'unsafe-inline'" : "script-src 'self'",
    // React and the virtualised lists set style attributes; no inline script is allowed.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    dev ? `connect-src 'self' ws://${dev.host}` : "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}
