// Rows of the results table: medians of both sides, their ratio against the goal of issue 5,
// and peak memory. The same rows go to the terminal as each finishes and into BENCHMARKS.md.
import fs from 'node:fs';

import { formatKb, formatMs, median } from './measure.js';

export type Goal =
  | { kind: 'ratio'; max: number; maxRssMb?: number }
  | { kind: 'absolute'; maxMs: number }
  | { kind: 'none' };

export interface Row {
  id: string;
  workload: string;
  baseline: string;
  goal: Goal;
  app: number[];
  base: number[];
  appRssKb: number | null;
  baseRssKb: number | null;
  /** Facts checked or seen while measuring: counts verified, phases, concurrency. */
  notes: string[];
  /** Set when the app did not do the whole workload (lines lost, say): the goal is missed. */
  broken?: string;
  /**
   * The table cells of a row whose figures are not one duration per side (benchmark 7 has a
   * longest task and a frame rate on each side); when set they replace the timed columns.
   */
  cells?: RowCells;
  /** Per-round figures of such a row, listed instead of the app and baseline durations. */
  details?: string[];
}

export interface RowCells {
  app: string;
  base: string;
  ratio: string;
  goal: string;
  meets: boolean | null;
  appRss: string;
  baseRss: string;
  rounds: number;
}

export function newRow(id: string, workload: string, baseline: string, goal: Goal): Row {
  return {
    id,
    workload,
    baseline,
    goal,
    app: [],
    base: [],
    appRssKb: null,
    baseRssKb: null,
    notes: [],
  };
}

function larger(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

/** Keeps the highest peak memory seen on one side of these rows. */
export function recordPeak(rows: Row[], side: 'app' | 'base', kb: number | null): void {
  for (const row of rows) {
    if (side === 'app') row.appRssKb = larger(row.appRssKb, kb);
    else row.baseRssKb = larger(row.baseRssKb, kb);
  }
}

export interface Summary {
  appMs: number;
  baseMs: number;
  ratio: number;
  meets: boolean | null;
}

export function summarize(row: Row): Summary {
  const appMs = median(row.app);
  const baseMs = median(row.base);
  const ratio = appMs / baseMs;
  const { goal } = row;
  let meets: boolean | null = null;
  if (row.broken) {
    meets = false;
  } else if (goal.kind === 'ratio') {
    const rssOk =
      goal.maxRssMb === undefined ||
      (row.appRssKb !== null && row.appRssKb / 1024 <= goal.maxRssMb);
    meets = ratio <= goal.max && rssOk;
  } else if (goal.kind === 'absolute') {
    meets = appMs <= goal.maxMs;
  }
  return { appMs, baseMs, ratio, meets };
}

export function goalText(goal: Goal): string {
  if (goal.kind === 'none') return 'none';
  if (goal.kind === 'absolute') return `app ≤ ${formatMs(goal.maxMs)}`;
  return `≤ ${goal.max}` + (goal.maxRssMb ? `, app RSS ≤ ${goal.maxRssMb} MB` : '');
}

const HEADER = [
  '#',
  'workload',
  'baseline',
  'app (median)',
  'baseline (median)',
  'app / baseline',
  'goal',
  'meets goal',
  'app peak RSS',
  'baseline peak RSS',
  'rounds',
];

export function tableHeader(): string {
  return `| ${HEADER.join(' | ')} |\n|${HEADER.map(() => ' --- ').join('|')}|`;
}

function meetsText(meets: boolean | null): string {
  if (meets === null) return '—';
  return meets ? 'yes' : '**no**';
}

export function tableRow(row: Row): string {
  const summary = summarize(row);
  const own = row.cells;
  const cells = own
    ? [
        row.id,
        row.workload,
        row.baseline,
        own.app,
        own.base,
        own.ratio,
        own.goal,
        meetsText(own.meets),
        own.appRss,
        own.baseRss,
        String(own.rounds),
      ]
    : [
        row.id,
        row.workload,
        row.baseline,
        formatMs(summary.appMs),
        formatMs(summary.baseMs),
        Number.isFinite(summary.ratio) ? summary.ratio.toFixed(2) : 'n/a',
        goalText(row.goal),
        meetsText(summary.meets),
        formatKb(row.appRssKb),
        formatKb(row.baseRssKb),
        String(Math.min(row.app.length, row.base.length)),
      ];
  return `| ${cells.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`;
}

export function rowDetails(row: Row): string {
  const all = (values: number[]) => values.map(formatMs).join(', ');
  const broken = row.broken ? [`**the app did not do the whole workload: ${row.broken}**`] : [];
  const rounds = row.details ?? [`app: ${all(row.app)}`, `baseline: ${all(row.base)}`];
  return [...broken, ...rounds, ...row.notes].join('; ');
}

const START = '<!-- bench:results:start -->';
const END = '<!-- bench:results:end -->';

/** Replaces the results block of BENCHMARKS.md, keeping the prose around it. */
export function writeResults(file: string, block: string): void {
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const start = current.indexOf(START);
  const end = current.indexOf(END);
  const fresh = `${START}\n${block.trim()}\n${END}`;
  const next =
    start !== -1 && end > start
      ? current.slice(0, start) + fresh + current.slice(end + END.length)
      : `# Benchmarks\n\n${fresh}\n${current}`;
  fs.writeFileSync(file, next);
}

/**
 * Puts the rows of a partial run into the results block of BENCHMARKS.md in place of the same
 * rows of an earlier run, keeping every other row's figures: a slow benchmark need not be
 * rerun to publish a new one. Each merged row's details say which run it came from.
 */
export function mergeResults(file: string, rows: Row[], runText: string): void {
  const current = fs.readFileSync(file, 'utf8');
  const start = current.indexOf(START);
  const end = current.indexOf(END);
  if (start === -1 || end < start) throw new Error(`${file} has no results block to merge into`);
  const lines = current.slice(start, end).split('\n');
  const lastIndex = (test: (line: string) => boolean) =>
    lines.reduce((found, line, index) => (test(line) ? index : found), -1);
  for (const row of rows) {
    const tableLine = tableRow(row);
    const detailLine = `- **${row.id}**: (${runText}) ${rowDetails(row)}`;
    const atRow = lines.findIndex((line) => line.startsWith(`| ${row.id} |`));
    if (atRow !== -1) lines[atRow] = tableLine;
    else lines.splice(lastIndex((line) => /^\| \d/.test(line)) + 1, 0, tableLine);
    const atDetail = lines.findIndex((line) => line.startsWith(`- **${row.id}**:`));
    if (atDetail !== -1) lines[atDetail] = detailLine;
    else lines.splice(lastIndex((line) => line.startsWith('- **')) + 1, 0, detailLine);
  }
  fs.writeFileSync(file, current.slice(0, start) + lines.join('\n') + current.slice(end));
}
