// What every benchmark gets from the runner: the configuration, the image, a way to start an
// engine worker, and a place to report rows and progress. Also the alternation of the two sides
// that every benchmark shares.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

import type { BenchConfig } from './config.js';
import { formatMs, median } from './measure.js';
import type { Phases, WorkerJob, WorkerResult } from './worker-protocol.js';
import type { Row } from './report.js';

export interface BenchContext {
  config: BenchConfig;
  image: string;
  /** Unique per run: names baseline containers so an interrupted run can remove them. */
  runId: string;
  worker<J extends WorkerJob>(job: J): Promise<WorkerResult<J>>;
  /** Registers an engine store whose containers must go when the run ends or is interrupted. */
  onStore(storeId: string): void;
  emit(row: Row): void;
  progress(text: string): void;
  /** Registers a folder to remove at the end, also when the run is interrupted. */
  tempDir(dir: string): string;
  removeTemp(dir: string): void;
}

/**
 * Runs app and baseline `rounds` times each, alternating which goes first, so that a machine
 * that warms up or slows down over a benchmark does not favour one side.
 */
export async function alternate(
  ctx: BenchContext,
  label: string,
  rounds: number,
  app: (round: number) => Promise<void>,
  baseline: (round: number) => Promise<void>,
): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    ctx.progress(`${label}: round ${round + 1} of ${rounds}`);
    if (round % 2 === 0) {
      await app(round);
      await baseline(round);
    } else {
      await baseline(round);
      await app(round);
    }
  }
}

/** Flushes dirty pages, so that one side's writes are not written back during the other's. */
export function syncDisks(): void {
  execFileSync('sync');
}

export function phaseNote(all: Phases[]): string {
  const of = (key: keyof Phases) => formatMs(median(all.map((phases) => phases[key])));
  return (
    `engine phases (median): queued→claimed ${of('claimMs')}, claimed→container started ` +
    `${of('startMs')}, container ${of('containerMs')}, exit→final state ${of('finishMs')}, ` +
    `final state→caller ${of('afterEndMs')}`
  );
}

export function freeBytes(dir: string): number {
  const stats = fs.statfsSync(dir);
  return stats.bavail * stats.bsize;
}

/** Quotes a word for sh. */
export function sh(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
