// The baseline of benchmark 6: the sqlite3 shell, fed its statements as a person would type
// them. Each statement is followed by a `.print` marker, and the time is taken from writing the
// line to reading the marker back, less the round trip of a bare marker through the pipes.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';

import { now } from './measure.js';

interface Pending {
  marker: string;
  lines: number;
  resolve: (lines: number) => void;
}

export class SqliteShell {
  private buffer = '';
  private pending: Pending | null = null;
  private sequence = 0;
  private roundTripMs = 0;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => this.take(chunk));
  }

  /** Starts a shell on no file yet, so that opening the store can be timed on its own. */
  static async start(): Promise<SqliteShell> {
    const child = spawn('sqlite3', ['-batch'], { stdio: ['pipe', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    const shell = new SqliteShell(child);
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 20; i++) best = Math.min(best, (await shell.timed('')).rawMs);
    shell.roundTripMs = best;
    return shell;
  }

  /** Runs statements; returns the time the shell took and how many lines it printed. */
  async run(sql: string): Promise<{ ms: number; lines: number }> {
    const { rawMs, lines } = await this.timed(sql);
    return { ms: Math.max(0, rawMs - this.roundTripMs), lines };
  }

  private async timed(sql: string): Promise<{ rawMs: number; lines: number }> {
    const marker = `__bench_marker_${++this.sequence}__`;
    const done = new Promise<number>((resolve) => {
      this.pending = { marker, lines: 0, resolve };
    });
    const start = now();
    this.child.stdin.write(`${sql}\n.print ${marker}\n`);
    const lines = await done;
    return { rawMs: now() - start, lines };
  }

  private take(chunk: string): void {
    // Scanned in place: copying the rest of the buffer per line would bill the reader's
    // quadratic work to the shell.
    const text = this.buffer + chunk;
    let start = 0;
    let newline = text.indexOf('\n');
    while (newline !== -1) {
      const pending = this.pending;
      if (
        pending &&
        text.startsWith(pending.marker, start) &&
        newline - start === pending.marker.length
      ) {
        this.pending = null;
        pending.resolve(pending.lines);
      } else if (pending) {
        pending.lines++;
      }
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    this.buffer = text.slice(start);
  }

  /** The shell's peak resident set size so far (VmHWM), while it still runs. */
  peakRssKb(): number | null {
    try {
      const status = fs.readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
      const match = /^VmHWM:\s+(\d+) kB/m.exec(status);
      return match ? Number(match[1]) : null;
    } catch {
      return null;
    }
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin.end('.quit\n');
    await exited;
  }
}
