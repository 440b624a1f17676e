// One logger per module. The CLI and the tests run on plain Node, so this uses electron-log's
// Node flavour; the Electron shell configures the same instance for the app's log folder.
import path from 'node:path';

import log from 'electron-log/node';

export type Logger = ReturnType<typeof log.scope>;

let configured = false;

/**
 * Sends the log to <dataDir>/logs/engine.log. The terminal only sees warnings unless
 * KLEINKRAM_LOG_LEVEL says otherwise, so that command output stays readable.
 */
export function configureLogging(dataDir: string): void {
  log.transports.file.resolvePathFn = () => path.join(dataDir, 'logs', 'engine.log');
  log.transports.file.level = 'info';
  const level = process.env.KLEINKRAM_LOG_LEVEL;
  log.transports.console.level =
    level === 'debug' || level === 'info' || level === 'warn' || level === 'error' ? level : 'warn';
  configured = true;
}

export function createLogger(scope: string): Logger {
  if (!configured) {
    // Before configuration (library use, tests) nothing is written to a file in a random place.
    log.transports.file.level = false;
    log.transports.console.level = 'warn';
  }
  return log.scope(scope);
}
