// Probe behind the findings for benchmark 7: what the log viewer's main thread does while an
// action streams 20,000 lines a second. It serves an unminified build of the renderer (so that
// the profile names real functions), opens the execution page as the benchmark does, and over
// one window records a Chromium trace (every main-thread task over 50 ms, broken down by what
// ran inside it) and a CPU profile of the page's JavaScript.
// Usage: node --import tsx bench/probes/ui-log-stream.ts [window seconds] [lines a second]
//   [trace|measure|bare] [built renderer folder]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { formatSummary, summarizeProfiles } from '../profile-summary.js';
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  MEASURE_IN_PAGE,
  UI_IMAGE,
  UiEngine,
  streamProgram,
} from '../ui-benchmark.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const windowSeconds = Number(process.argv[2] ?? 5);
const rate = Number(process.argv[3] ?? 20_000);
/**
 * "measure": the benchmark's own in-page measurement runs during the traced window; "bare":
 * only that measurement, with no trace or profile (what the benchmark does).
 */
const mode = process.argv[4] ?? 'trace';
const withMeasure = mode !== 'trace';
/** A built renderer to serve instead (renderer/dist is the one the benchmark uses). */
const givenDist = process.argv[5];

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  /** Time on the thread's CPU; the rest of dur the thread was waiting to be scheduled. */
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; beginData?: { stackTrace?: Array<{ functionName: string }> } };
}

/** The renderer main thread's tasks over 50 ms, and what ran inside them, summed by name. */
function longTaskBreakdown(events: TraceEvent[]): string[] {
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  if (!main) return ['no renderer main thread in the trace'];
  const onMain = events
    .filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur)
    .sort((a, b) => a.ts - b.ts);
  // Tasks nest in the trace (RunTask inside ThreadControllerImpl::RunTask): keep the outermost.
  const tasks: TraceEvent[] = [];
  for (const event of onMain) {
    if (event.name !== 'RunTask' && !event.name.endsWith('::RunTask')) continue;
    const outer = tasks[tasks.length - 1];
    if (outer && event.ts < outer.ts + outer.dur!) continue;
    tasks.push(event);
  }
  const long = tasks.filter((task) => task.dur! > 50_000);
  const report = [`${tasks.length} tasks on the main thread, ${long.length} over 50 ms`];
  const inside = (task: TraceEvent) =>
    onMain.filter((e) => e !== task && e.ts >= task.ts && e.ts + e.dur! <= task.ts + task.dur!);
  const totals = new Map<string, number>();
  for (const task of long) {
    const byName = new Map<string, number>();
    for (const event of inside(task)) {
      byName.set(event.name, (byName.get(event.name) ?? 0) + event.dur! / 1000);
      totals.set(event.name, (totals.get(event.name) ?? 0) + event.dur! / 1000);
    }
    const top = [...byName.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
    report.push(
      `  task of ${(task.dur! / 1000).toFixed(0)} ms (${((task.tdur ?? 0) / 1000).toFixed(0)} ms ` +
        'on the CPU): ' +
        top.map(([name, ms]) => `${name} ${ms.toFixed(0)}`).join(', '),
    );
  }
  // A layout with a JavaScript stack was forced by a script reading geometry (scrollTop):
  // synchronous, on top of the one each frame does anyway.
  const layouts = onMain.filter((e) => e.name === 'Layout');
  const forced = layouts.filter((e) => (e.args?.beginData?.stackTrace?.length ?? 0) > 0);
  const by = new Map<string, { count: number; ms: number }>();
  for (const event of forced) {
    const where = event.args!.beginData!.stackTrace![0]!.functionName || '(anonymous)';
    const entry = by.get(where) ?? { count: 0, ms: 0 };
    by.set(where, { count: entry.count + 1, ms: entry.ms + event.dur! / 1000 });
  }
  const ms = (list: TraceEvent[]) => list.reduce((sum, e) => sum + e.dur! / 1000, 0).toFixed(0);
  report.push(
    `layouts: ${layouts.length} taking ${ms(layouts)} ms, of which forced by scripts ` +
      `${forced.length} taking ${ms(forced)} ms (` +
      [...by.entries()]
        .map(([name, e]) => `${name}: ${e.count}, ${e.ms.toFixed(0)} ms`)
        .join('; ') +
      ')',
  );
  const timers = tasks.filter((task) => inside(task).some((e) => e.name === 'TimerFire'));
  const durations = timers.map((task) => task.dur! / 1000).sort((a, b) => a - b);
  report.push(
    `tasks running a timer (the log store's publish among them): ${timers.length}, median ` +
      `${(durations[Math.floor(durations.length / 2)] ?? 0).toFixed(1)} ms, longest ` +
      `${(durations[durations.length - 1] ?? 0).toFixed(1)} ms`,
  );
  const busy = tasks.reduce((sum, task) => sum + task.dur! / 1000, 0);
  report.push(`main thread busy ${busy.toFixed(0)} ms of ${windowSeconds * 1000} ms`);
  const all = new Map<string, number>();
  for (const task of tasks) {
    for (const event of inside(task)) {
      all.set(event.name, (all.get(event.name) ?? 0) + event.dur! / 1000);
    }
  }
  report.push(
    'whole window, by event (nested events counted in each parent): ' +
      [...all.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 16)
        .map(([name, ms]) => `${name} ${ms.toFixed(0)}`)
        .join(', '),
  );
  return report;
}

interface Profile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; lineNumber: number };
    children?: number[];
  }>;
  samples: number[];
  timeDeltas: number[];
}

/** Time inside each function including what it called, to see which caller pays. */
function inclusive(profile: Profile): string[] {
  const self = new Map<number, number>();
  profile.samples.forEach((id, index) => {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000);
  });
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const byName = new Map<string, number>();
  // Each node's own samples count for every function on its stack, once per function even
  // when it recurses.
  const visit = (id: number, stack: ReadonlySet<string>) => {
    const node = nodes.get(id)!;
    const name = `${node.callFrame.functionName || '(anonymous)'}:${node.callFrame.lineNumber + 1}`;
    const inner = new Set(stack).add(name);
    const ms = self.get(id) ?? 0;
    for (const each of inner) byName.set(each, (byName.get(each) ?? 0) + ms);
    for (const child of node.children ?? []) visit(child, inner);
  };
  visit(profile.nodes[0]!.id, new Set());
  return [
    'by function (inclusive):',
    ...[...byName.entries()]
      .filter(([name]) => !name.startsWith('(root)'))
      .sort((a, b) => b[1] - a[1])
      .slice(0, 30)
      .map(([name, ms]) => `    ${ms.toFixed(0).padStart(7)} ms  ${name}`),
  ];
}

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kleinkram-probe-ui-'));
  const dist = givenDist ? path.resolve(givenDist) : path.join(tmp, 'dist');
  if (!givenDist) {
    execFileSync(
      process.execPath,
      [
        path.join(ROOT, 'node_modules/vite/bin/vite.js'),
        'build',
        '--minify',
        'false',
        '--outDir',
        dist,
        '--emptyOutDir',
      ],
      { cwd: ROOT, stdio: 'ignore' },
    );
  }
  const seconds = windowSeconds + 8;
  const engine = await UiEngine.start(
    { onStore: () => undefined },
    {
      tmpDir: tmp,
      rendererDir: dist,
      image: UI_IMAGE,
      command: ['perl', '-e', streamProgram(rate, seconds, 60)],
    },
  );
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const execution = await engine.launch();
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    const url = new URL(engine.url);
    url.hash = `#/executions/${execution}`;
    await page.goto(url.toString());
    await page.locator('.log-line').first().waitFor({ timeout: 60_000 });
    await page.waitForTimeout(1500);

    if (mode === 'bare') {
      const figures = await page.evaluate(
        MEASURE_IN_PAGE.replace('WINDOW_MS', String(windowSeconds * 1000)),
      );
      print(`in-page measurement: ${JSON.stringify(figures)}`);
      await engine.cancel(execution);
      return;
    }
    await browser.startTracing(page, {
      categories: [
        'devtools.timeline',
        'disabled-by-default-devtools.timeline',
        'disabled-by-default-devtools.timeline.stack',
        'v8',
        'toplevel',
      ],
    });
    const measured = withMeasure
      ? page.evaluate(MEASURE_IN_PAGE.replace('WINDOW_MS', String(windowSeconds * 1000)))
      : null;
    await page.waitForTimeout(windowSeconds * 1000);
    if (measured) print(`in-page measurement: ${JSON.stringify(await measured)}`);
    const trace = JSON.parse((await browser.stopTracing()).toString('utf8')) as {
      traceEvents: TraceEvent[];
    };
    for (const line of longTaskBreakdown(trace.traceEvents)) print(line);

    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
    await page.waitForTimeout(windowSeconds * 1000);
    const { profile } = await cdp.send('Profiler.stop');
    const file = path.join(tmp, 'page.cpuprofile');
    fs.writeFileSync(file, JSON.stringify(profile));
    for (const line of inclusive(profile as unknown as Profile)) print(line);
    print(formatSummary('the page (unminified build)', summarizeProfiles([file], 20)));
    print(`lines stored: ${(await engine.lines(execution)).stored}`);
    await engine.cancel(execution);
  } finally {
    await browser.close();
    await engine.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
