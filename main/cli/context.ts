// What every command needs: the engine on the chosen data directory, and a way to print.
import type { Command } from 'commander';

import { Engine } from '../core/engine.js';
import { AppError } from '../core/errors.js';
import { resolveDataDir } from '../core/paths.js';

export interface GlobalOptions {
  dataDir?: string;
  dockerSocket?: string;
}

/** A positive number from the environment, or undefined; a bad value is refused loudly. */
function numberFromEnv(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) {
    throw new AppError('invalid_input', `${name}=${raw} is not a number: unset it or fix it`);
  }
  return value;
}

/** Opens the engine for a command; the caller closes it. */
export function openEngine(command: Command, extra: { maxConcurrent?: number } = {}): Engine {
  const options = command.optsWithGlobals<GlobalOptions>();
  const reserveMiB = numberFromEnv('KLEINKRAM_DISK_RESERVE_MIB');
  return Engine.open({
    dataDir: resolveDataDir(options.dataDir),
    docker: options.dockerSocket ? { socketPath: options.dockerSocket } : undefined,
    logToFile: true,
    maxConcurrent: numberFromEnv('KLEINKRAM_MAX_CONCURRENT'),
    retentionDays: numberFromEnv('KLEINKRAM_RETENTION_DAYS'),
    diskReserveBytes: reserveMiB === undefined ? undefined : reserveMiB * 1024 * 1024,
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
