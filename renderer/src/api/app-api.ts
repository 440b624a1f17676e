// What the renderer gets from getApi(): the contract's API plus the few things that differ
// between the desktop window and a browser tab, so components ask instead of guessing.
import type { KleinkramApi, RequestName } from '../../../main/shared/contract.js';

export type Platform = 'desktop' | 'browser';

export interface AppApi extends KleinkramApi {
  readonly platform: Platform;
  /** Whether this transport answers a request (desktop-only ones are refused in a browser). */
  supports(name: RequestName): boolean;
  /** The path on disk of a dropped file or folder; null in a browser, which does not tell. */
  pathForFile(file: File): string | null;
  /** A link that downloads one artifact; null on the desktop, which saves through a dialog. */
  artifactUrl(executionId: string, artifactPath: string): string | null;
  /** A link that downloads every artifact of an execution as one zip; null on the desktop. */
  artifactsZipUrl(executionId: string): string | null;
  /**
   * Tells when the event connection drops and comes back (a browser tab whose server
   * restarted). Events sent meanwhile are lost: a listener reloads what it shows on `true`.
   */
  onConnectionChange(listener: (connected: boolean) => void): () => void;
}
