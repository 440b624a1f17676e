// What every command needs: the engine on the chosen data directory, and a way to print.
import type { Command } from 'commander';

import { Engine } from '../core/engine.js';
import { resolveDataDir } from '../core/paths.js';

export interface GlobalOptions {
  dataDir?: string;
  dockerSocket?: string;
}

/** Opens the engine for a command; the caller closes it. */
export function openEngine(command: Command, extra: { maxConcurrent?: number } = {}): Engine {
  const options = command.optsWithGlobals<GlobalOptions>();
  return Engine.open({
    dataDir: resolveDataDir(options.dataDir),
    docker: options.dockerSocket ? { socketPath: options.dockerSocket } : undefined,
    logToFile: true,
    ...extra,
  });
}

export async function withEngine<T>(
  command: Command,
  body: (engine: Engine) => Promise<T> | T,
): Promise<T> {
  const engine = openEngine(command);
  try {
    return await body(engine);
  } finally {
    await engine.close();
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function author(): string {
  return process.env.KLEINKRAM_AUTHOR ?? process.env.USER ?? process.env.USERNAME ?? 'unknown';
}
