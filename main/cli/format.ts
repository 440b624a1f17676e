// Terminal output: tables that fit, sizes and durations a person reads at a glance, colours
// only when the output is a terminal (picocolors checks NO_COLOR and the TTY).
import Table from 'cli-table3';
import pc from 'picocolors';
import prettyBytes from 'pretty-bytes';
import prettyMilliseconds from 'pretty-ms';

import { KLEINKRAM_STATE_NAMES, type Execution, type ExecutionState } from '../shared/domain.js';

export function table(head: string[], rows: Array<Array<string | number>>): string {
  const out = new Table({
    head: head.map((cell) => pc.bold(cell)),
    chars: {
      top: '',
      'top-mid': '',
      'top-left': '',
      'top-right': '',
      bottom: '',
      'bottom-mid': '',
      'bottom-left': '',
      'bottom-right': '',
      left: '',
      'left-mid': '',
      mid: '',
      'mid-mid': '',
      right: '',
      'right-mid': '',
      middle: '  ',
    },
    style: { 'padding-left': 0, 'padding-right': 0, head: [], border: [] },
  });
  out.push(...rows.map((row) => row.map(String)));
  return out.toString();
}

export const size = (value: number) => prettyBytes(value, { binary: true });

/** "1 file", "3 files". */
export const count = (value: number, noun: string) => `${value} ${noun}${value === 1 ? '' : 's'}`;

export const duration = (ms: number) =>
  prettyMilliseconds(Math.max(0, ms), { secondsDecimalDigits: 1 });

export function time(ms: number | null): string {
  if (ms === null) return '-';
  const date = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}

const STATE_COLOUR: Record<ExecutionState, (text: string) => string> = {
  queued: pc.gray,
  starting: pc.cyan,
  running: pc.blue,
  stopping: pc.yellow,
  succeeded: pc.green,
  failed: pc.red,
  cancelled: pc.yellow,
  unprocessable: pc.magenta,
};

/** "succeeded (DONE)": our word first, Kleinkram's beside it. */
export function state(value: ExecutionState): string {
  return STATE_COLOUR[value](`${value} (${KLEINKRAM_STATE_NAMES[value]})`);
}

export function executionDuration(execution: Execution): string {
  if (execution.startedAt === null) return '-';
  return duration((execution.endedAt ?? Date.now()) - execution.startedAt);
}

export function shortId(id: string): string {
  return id.slice(0, 8);
}
