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

export function tableRow(row: Row): string {
  const summary = summarize(row);
  const cells = [
    row.id,
    row.workload,
    row.baseline,
    formatMs(summary.appMs),
    formatMs(summary.baseMs),
    Number.isFinite(summary.ratio) ? summary.ratio.toFixed(2) : 'n/a',
    goalText(row.goal),
    summary.meets === null ? '—' : summary.meets ? 'yes' : '**no**',
    formatKb(row.appRssKb),
    formatKb(row.baseRssKb),
    String(Math.min(row.app.length, row.base.length)),
  ];
  return `| ${cells.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`;
}

export const UI_PLACEHOLDER_ROW =
  '| 7 | the UI log viewer while an action streams 20,000 lines a second (Playwright in ' +
  'Chromium) | the same page with the stream paused | not measured yet | not measured yet | — | ' +
  'longest task ≤ 50 ms, ≥ 50 frames per second | — | — | — | 0 |';

export function rowDetails(row: Row): string {
  const all = (values: number[]) => values.map(formatMs).join(', ');
  const broken = row.broken ? [`**the app did not do the whole workload: ${row.broken}**`] : [];
  return [...broken, `app: ${all(row.app)}`, `baseline: ${all(row.base)}`, ...row.notes].join('; ');
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
