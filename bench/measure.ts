// Timing both sides of a benchmark. A baseline is a shell command timed from spawn to exit,
// its peak memory read by GNU time; the app side runs in a fresh Node process (bench/worker.ts)
// that times the engine call itself and reports its own peak resident set size.
import { spawn, fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type { WorkerJob, WorkerResult } from './worker-protocol.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const GNU_TIME = '/usr/bin/time';

export const hasGnuTime = fs.existsSync(GNU_TIME);

export function now(): number {
  return performance.now();
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export interface CommandResult {
  ms: number;
  /** Peak resident set size of the command and the processes it waited for, when known. */
  maxRssKb: number | null;
  stdout: string;
}

/**
 * Runs `script` with sh and times it. GNU time, when installed, reports the largest resident
 * set of the shell and everything it waited for (for a pipeline: its largest process).
 */
export async function timeCommand(
  script: string,
  options: { keepStdout?: boolean } = {},
): Promise<CommandResult> {
  const rssFile = path.join(os.tmpdir(), `kleinkram-bench-rss-${process.pid}-${Date.now()}`);
  const argv = hasGnuTime
    ? [GNU_TIME, '-f', '%M', '-o', rssFile, '--', 'sh', '-c', script]
    : ['sh', '-c', script];
  const start = now();
  const { code, stdout, stderr } = await spawnCollect(argv, options.keepStdout ?? false);
  const ms = now() - start;
  let maxRssKb: number | null = null;
  if (hasGnuTime) {
    // GNU time writes "Command exited with non-zero status N" before the figure on failure.
    const lines = fs.readFileSync(rssFile, 'utf8').trim().split('\n');
    maxRssKb = Number(lines[lines.length - 1]) || null;
    fs.rmSync(rssFile, { force: true });
  }
  if (code !== 0) {
    throw new Error(`baseline command failed (exit ${code}): ${script}\n${stderr.slice(-2000)}`);
  }
  return { ms, maxRssKb, stdout };
}

/** Runs a command to its end and returns its output; used for setup, not for timing. */
export async function run(argv: string[]): Promise<string> {
  const { code, stdout, stderr } = await spawnCollect(argv, true);
  if (code !== 0) {
    throw new Error(`${argv.join(' ')} failed (exit ${code}): ${stderr.slice(-2000)}`);
  }
  return stdout;
}

function spawnCollect(argv: string[], keepStdout: boolean) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), {
      stdio: ['ignore', keepStdout ? 'pipe' : 'ignore', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      // Only the end is worth showing when a command fails.
      stderr = (stderr + chunk).slice(-8000);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface WorkerOptions {
  /** Called with the store id as soon as the worker has opened its engine. */
  onStore?: (storeId: string) => void;
}

/** Runs one engine job in a fresh Node process and returns what it measured. */
export function runWorker<J extends WorkerJob>(
  job: J,
  options: WorkerOptions = {},
): Promise<WorkerResult<J>> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(HERE, 'worker.ts'), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-8000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    let result: WorkerResult<J> | null = null;
    let failure: string | null = null;
    child.on('message', (message: { type: string; storeId?: string; result?: unknown }) => {
      if (message.type === 'store' && message.storeId) options.onStore?.(message.storeId);
      if (message.type === 'result') result = message.result as WorkerResult<J>;
      if (message.type === 'error') failure = String(message.result);
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (result && code === 0) return resolve(result);
      reject(
        new Error(
          `the ${job.kind} worker failed (exit ${code}): ${failure ?? 'no result'}\n${output}`,
        ),
      );
    });
    child.send(job);
  });
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  // Docker's timestamps are whole milliseconds: a phase near zero can come out at -1 ms.
  const size = Math.abs(ms);
  if (size < 1) return `${(ms * 1000).toFixed(0)} µs`;
  if (size < 10) return `${ms.toFixed(2)} ms`;
  if (size < 1000) return `${ms.toFixed(0)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

export function formatKb(kb: number | null): string {
  if (kb === null || !Number.isFinite(kb)) return 'n/a';
  return `${(kb / 1024).toFixed(0)} MiB`;
}
