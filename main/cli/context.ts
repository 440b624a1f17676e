// What every command needs: the engine on the chosen data directory, and a way to print.
import { InvalidArgumentError, type Command } from 'commander';
import fs from 'node:fs';
import os from 'node:os';

import { Engine } from '../core/engine.js';
import { AppError } from '../core/errors.js';
import { dataLayout, resolveDataDir } from '../core/paths.js';

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

/**
 * Commands that only read: on a data folder with no store they say so instead of making an
 * empty one, so a mistyped --data-dir does not look like lost data.
 */
const READING_COMMANDS = new Set([
  'list',
  'show',
  'versions',
  'diff',
  'export',
  'files',
  'logs',
  'audit',
  'status',
  'sweep',
]);

/** Opens the engine for a command; the caller closes it. */
export function openEngine(command: Command, extra: { maxConcurrent?: number } = {}): Engine {
  const options = command.optsWithGlobals<GlobalOptions>();
  const dataDir = resolveDataDir(options.dataDir);
  if (READING_COMMANDS.has(command.name()) && !fs.existsSync(dataLayout(dataDir).database)) {
    throw new AppError(
      'not_found',
      `there is no Kleinkram Actions data in ${dataDir} yet`,
      undefined,
      'check --data-dir and KLEINKRAM_ACTIONS_DATA, or start with `mission add` or ' +
        '`template import`',
    );
  }
  const reserveMiB = numberFromEnv('KLEINKRAM_DISK_RESERVE_MIB');
  return Engine.open({
    dataDir,
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

/** A commander parser for whole numbers of at least `min`, refusing anything else. */
export function wholeNumber(min = 1) {
  return (text: string): number => {
    const value = Number(text);
    if (!/^\d+$/.test(text.trim()) || value < min) {
      throw new InvalidArgumentError(`give a whole number of at least ${min}`);
    }
    return value;
  };
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function author(): string {
  return (
    process.env.KLEINKRAM_AUTHOR ??
    process.env.USER ??
    process.env.USERNAME ??
    (() => {
      try {
        return os.userInfo().username;
      } catch {
        return 'unknown';
      }
    })()
  );
}
