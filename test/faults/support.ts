// Shared pieces of the fault scenarios: an engine in a worker process that can be killed for
// real, waiting helpers, and counting what the store holds.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

import type { Engine } from '../../main/core/engine.js';
import { PROJECT_ROOT } from '../helpers/engine.js';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function until<T>(
  probe: () => T | Promise<T>,
  what: string,
  timeoutMs = 60_000,
): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** The CLI's worker in its own process, so that it can be killed with SIGKILL. */
export function startWorker(dataDir: string, extra: string[] = []): ChildProcess {
  return spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(PROJECT_ROOT, 'test/helpers/cli-entry.ts'),
      'worker',
      '--data-dir',
      dataDir,
      ...extra,
    ],
    { cwd: PROJECT_ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
  );
}

export function texts(engine: Engine, executionId: string): string[] {
  const out: string[] = [];
  let afterSeq = 0;
  for (;;) {
    const page = engine.logs.read(executionId, { afterSeq, limit: 50_000 });
    out.push(...page.map((line) => line.text));
    if (page.length < 50_000) return out;
    afterSeq = page[page.length - 1]!.seq;
  }
}

/** How many of the expected numbered lines `prefix1..prefixN` are missing, and duplicates. */
export function lostLines(lines: string[], prefix: string, count: number) {
  const seen = lines.filter((line) => line.startsWith(prefix));
  const unique = new Set(seen);
  let missing = 0;
  for (let i = 1; i <= count; i++) if (!unique.has(`${prefix}${i}`)) missing++;
  const inOrder = seen.every((line, index) => line === `${prefix}${index + 1}`);
  return { missing, duplicates: seen.length - unique.size, inOrder };
}
