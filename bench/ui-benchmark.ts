// Benchmark 7: the desktop UI's log viewer while an action streams 20,000 lines a second, in
// Debian's Chromium driven by Playwright, against the same page while no lines arrive. Both
// sides open the execution page of the same template in a fresh browser context and measure in
// the page over the same window: the longest main-thread task (Chromium's 'longtask' entries,
// which it reports only above 50 ms), requestAnimationFrame callbacks per second, and the
// longest gap between two of them. The engine and its server run in a process of their own
// (bench/ui-engine.ts) so that its peak memory is theirs alone.
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium, type Browser, type Page } from 'playwright-core';

import { RENDERER_DIST, ensureRendererBuilt } from '../test/ui/renderer-build.js';
import { alternate, type BenchContext } from './context.js';
import { formatKb, formatMs, median } from './measure.js';
import { newRow, type Row } from './report.js';
import type {
  UiEngineLines,
  UiEngineMessage,
  UiEngineRequest,
  UiEngineStart,
} from './ui-engine.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
];
/** Debian's slim image has perl (perl-base); the bench's busybox image has none. */
export const UI_IMAGE = 'debian:bookworm-slim';
const GOAL_TASK_MS = 50;
const GOAL_FPS = 50;
/** Time after the first line reached the page before the window opens: the history is in. */
const WARM_MS = 1500;
/** Time after the baseline page shows every line before its window opens. */
const SETTLE_MS = 1000;

/**
 * Prints `rate` lines a second for `seconds`, in a batch every 10 ms, then sleeps. perl-base has
 * no Time::HiRes, so the clock is /proc/uptime (10 ms resolution, the batch period) and the
 * sleep is four-argument select. Each batch is one write: $| makes print unbuffered.
 */
export function streamProgram(rate: number, seconds: number, sleepSeconds: number): string {
  return [
    '$| = 1;',
    'sub now { open(my $f, "<", "/proc/uptime") or die; my $l = <$f>; close $f; (split " ", $l)[0] }',
    `my ($rate, $total) = (${rate}, ${rate * seconds});`,
    'my ($n, $t0) = (0, now());',
    'while ($n < $total) {',
    '  my $due = int((now() - $t0 + 0.01) * $rate); $due = $total if $due > $total;',
    '  my $out = "";',
    '  while ($n < $due) { $n++; $out .= sprintf("line %07d of the benchmark log stream\\n", $n) }',
    '  print $out if length $out;',
    '  select(undef, undef, undef, 0.01);',
    '}',
    `select(undef, undef, undef, ${sleepSeconds});`,
  ].join('\n');
}

/** A request without its id, kept per member of the union. */
type UiEngineAsk = UiEngineRequest extends infer R
  ? R extends unknown
    ? Omit<R, 'id'>
    : never
  : never;

/** The engine process: launches, line counts and cancels over IPC. */
export class UiEngine {
  private nextId = 1;
  private readonly pending = new Map<number, (message: UiEngineMessage) => void>();
  private closed: ((maxRssKb: number) => void) | null = null;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.on('message', (message: UiEngineMessage) => {
      if (message.type === 'reply') {
        this.pending.get(message.id)?.(message);
        this.pending.delete(message.id);
      } else if (message.type === 'closed') {
        this.closed?.(message.maxRssKb);
      }
    });
  }

  static start(ctx: Pick<BenchContext, 'onStore'>, start: UiEngineStart): Promise<UiEngine> {
    const child = fork(path.join(HERE, 'ui-engine.ts'), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-8000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) =>
        reject(
          new Error(`the UI engine process ended (exit ${code}) before it was ready\n${output}`),
        );
      child.once('exit', onExit);
      child.on('message', (message: UiEngineMessage) => {
        if (message.type !== 'ready') return;
        child.off('exit', onExit);
        ctx.onStore(message.storeId);
        resolve(new UiEngine(child, message.url));
      });
      child.send(start);
    });
  }

  private ask<T>(request: UiEngineAsk): Promise<T> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (message) => {
        if (message.type !== 'reply') return;
        if (message.error) reject(new Error(message.error));
        else resolve(message.value as T);
      });
      this.child.send({ ...request, id });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  launch(): Promise<string> {
    return this.ask({ type: 'launch' });
  }

  lines(execution: string): Promise<UiEngineLines> {
    return this.ask({ type: 'lines', execution });
  }

  cancel(execution: string): Promise<string> {
    return this.ask({ type: 'cancel', execution });
  }

  /** Closes engine and server and returns the process's peak resident set size. */
  close(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.closed = resolve;
      // After 'closed' this rejection changes nothing; before it, the process died.
      this.child.once('exit', (code) =>
        reject(new Error(`the UI engine process ended (exit ${code}) while closing`)),
      );
      this.child.send({ type: 'close' });
    });
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

/** What the page saw over one window. */
interface WindowFigures {
  ms: number;
  frames: number;
  longTasks: number[];
  longestGapMs: number;
  heapPeakBytes: number | null;
  /** The line count the viewer shows at the start and end of the window. */
  shownBefore: number;
  shownAfter: number;
}

interface SideFigures extends WindowFigures {
  longestTaskMs: number;
  fps: number;
  /** Lines stored by the engine during the window, per second. */
  storedRate: number;
  /** Per cent of one core used over the window, by process group. */
  cpu: Map<string, number>;
  /** Lines stored but not yet shown by the viewer when the window closed. */
  lagLines: number;
  rendererPeakKb: number | null;
}

/**
 * Runs in the page: counts animation frames and collects long tasks for WINDOW_MS. The viewer's
 * line count is read from its toolbar ("123,456 lines"), as a person would read it. Kept as
 * source text: tsx compiles this file with esbuild's keepNames, which wraps functions in a
 * `__name` helper that does not exist in the page.
 */
export const MEASURE_IN_PAGE = `new Promise((resolve) => {
  const shown = () => {
    const text = document.querySelector('[data-testid="log-count"]')?.textContent ?? '';
    return Number(text.replace(/[^0-9]/g, '')) || 0;
  };
  const memory = performance.memory;
  const longTasks = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push(entry.duration);
  });
  observer.observe({ type: 'longtask', buffered: false });
  const shownBefore = shown();
  const start = performance.now();
  let frames = 0;
  let last = start;
  let longestGapMs = 0;
  let heapPeakBytes = memory ? memory.usedJSHeapSize : null;
  const frame = (at) => {
    longestGapMs = Math.max(longestGapMs, at - last);
    last = at;
    if (memory) heapPeakBytes = Math.max(heapPeakBytes, memory.usedJSHeapSize);
    if (at - start >= WINDOW_MS) {
      // Entries of the last task may still be queued: take them before disconnecting.
      for (const entry of observer.takeRecords()) longTasks.push(entry.duration);
      observer.disconnect();
      resolve({ ms: at - start, frames, longTasks, longestGapMs, heapPeakBytes, shownBefore,
        shownAfter: shown() });
      return;
    }
    frames += 1;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})`;

/** CPU ticks (1/100 s) used so far, by who used them. */
type CpuTicks = Map<string, number>;

function ticksOf(pid: number | 'machine'): number {
  try {
    if (pid === 'machine') {
      // user nice system idle iowait irq softirq steal: everything but idle and iowait.
      const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.split(/\s+/).slice(1);
      const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
      return user! + nice! + system! + irq! + softirq! + (steal ?? 0);
    }
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command name.
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/**
 * Who uses the two cores while the page is measured: the engine process, Chromium's processes
 * by type (browser, renderer, gpu-process, utility) and everything else on the machine (the
 * container's perl, Docker, this process, other people's work).
 */
function cpuSample(root: number, enginePid: number | undefined): CpuTicks {
  const ticks: CpuTicks = new Map([['machine', ticksOf('machine')]]);
  const add = (group: string, value: number) => ticks.set(group, (ticks.get(group) ?? 0) + value);
  if (enginePid) add('engine', ticksOf(enginePid));
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmdline.startsWith(CHROMIUM) && !cmdline.includes('/chromium/chromium')) continue;
      let ancestor = parentOf(pid);
      while (ancestor > 1 && ancestor !== root) ancestor = parentOf(ancestor);
      if (ancestor !== root) continue;
      const type = /--type=([a-z-]+)/.exec(cmdline)?.[1] ?? 'browser';
      add(`chromium ${type}`, ticksOf(pid));
    } catch {
      // The process ended while it was being read.
    }
  }
  return ticks;
}

/** Per cent of one core each group used between two samples; "other" is the machine's rest. */
function cpuShares(before: CpuTicks, after: CpuTicks, ms: number): Map<string, number> {
  const shares = new Map<string, number>();
  let known = 0;
  for (const [group, value] of after) {
    if (group === 'machine') continue;
    const used = value - (before.get(group) ?? 0);
    known += used;
    shares.set(group, (used * 1000) / ms);
  }
  const machine = after.get('machine')! - before.get('machine')!;
  shares.set('other', ((machine - known) * 1000) / ms);
  return shares;
}

function parentOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: the fields after the last ')' are fixed.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return 0;
  }
}

/**
 * The largest peak resident set (VmHWM) of the renderer processes alive now under `root`:
 * Playwright starts Chromium as a child of this process, and each side's page has a fresh
 * browser context, so the renderer alive at the end of a window is that side's.
 */
function rendererPeakKb(root: number): number | null {
  let peak: number | null = null;
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      if (!fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      let ancestor = parentOf(pid);
      while (ancestor > 1 && ancestor !== root) ancestor = parentOf(ancestor);
      if (ancestor !== root) continue;
      const hwm = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (hwm) peak = Math.max(peak ?? 0, Number(hwm[1]));
    } catch {
      // The process ended while it was being read.
    }
  }
  return peak;
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number) {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function rate(lines: number, ms: number): number {
  return ms > 0 ? (lines * 1000) / ms : 0;
}

function formatRate(perSecond: number): string {
  return `${Math.round(perSecond).toLocaleString('en')}/s`;
}

function taskText(ms: number): string {
  return ms > 0 ? formatMs(ms) : `none > ${GOAL_TASK_MS} ms`;
}

/** Whether a built renderer has React's development build in it (jsxDEV is only there). */
function isDevelopmentBuild(dir: string): boolean {
  const html = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
  const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
  return !script || fs.readFileSync(path.join(dir, script), 'utf8').includes('jsxDEV');
}

/**
 * The renderer to serve: renderer/dist, built first when missing or stale as the UI tests do,
 * unless it is a development build. The UI tests build it inside vitest, which sets
 * NODE_ENV=test, and vite then bundles React's development build: measured here that build
 * drops a quarter of the frames. The app ships a production build, so that is what is measured;
 * renderer/dist is left as it is (a test run may be using it) and a production build is made
 * in a temporary folder instead.
 */
async function productionRenderer(ctx: BenchContext): Promise<{ dir: string; note: string }> {
  await ensureRendererBuilt();
  if (!isDevelopmentBuild(RENDERER_DIST)) return { dir: RENDERER_DIST, note: 'renderer/dist' };
  const dir = ctx.tempDir(
    fs.mkdtempSync(path.join(ctx.config.tmpDir, 'kleinkram-bench-renderer-')),
  );
  execFileSync(
    process.execPath,
    [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', dir, '--emptyOutDir'],
    { cwd: ROOT, stdio: 'pipe', env: { ...process.env, NODE_ENV: 'production' } },
  );
  return {
    dir,
    note:
      'a production build made for the run (renderer/dist held a React development build, ' +
      'as the UI tests make it under NODE_ENV=test)',
  };
}

/** 7: the log viewer while an action streams, against the same page with the stream paused. */
export async function uiLogStream(ctx: BenchContext): Promise<void> {
  const { uiRate, uiWindowSeconds } = ctx.config;
  const windowMs = uiWindowSeconds * 1000;
  // Long enough for the app side's warm-up and window after the container starts, with a
  // margin for a slow start; the baseline waits for all of it, so it shows at least as many
  // lines as the app side has at the end of its window.
  const streamSeconds = Math.ceil(uiWindowSeconds + WARM_MS / 1000 + 4);
  const sleepSeconds = 600;
  const totalLines = uiRate * streamSeconds;
  ctx.progress(
    '7: building the renderer if renderer/dist is missing, stale or a development build',
  );
  const renderer = await productionRenderer(ctx);
  const engine = await UiEngine.start(ctx, {
    tmpDir: ctx.config.tmpDir,
    rendererDir: renderer.dir,
    image: UI_IMAGE,
    command: ['perl', '-e', streamProgram(uiRate, streamSeconds, sleepSeconds)],
  });
  let browser: Browser | null = null;
  let failure: unknown = null;
  const problems: string[] = [];
  const app: SideFigures[] = [];
  const base: SideFigures[] = [];
  const streamRates: number[] = [];
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const openPage = async (
      execution: string,
    ): Promise<{ page: Page; done: () => Promise<void> }> => {
      const context = await browser!.newContext({ viewport: { width: 1360, height: 900 } });
      const page = await context.newPage();
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') {
          problems.push(`console ${message.type()}: ${message.text()}`);
        }
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      const hash = `#/executions/${execution}`;
      const url = new URL(engine.url);
      url.hash = hash;
      await page.goto(url.toString());
      await page.locator('.log-line').first().waitFor({ timeout: 60_000 });
      return { page, done: () => context.close() };
    };
    const measure = async (page: Page, execution: string): Promise<SideFigures> => {
      const before = await engine.lines(execution);
      const cpuBefore = cpuSample(process.pid, engine.pid);
      const figures = (await page.evaluate(
        MEASURE_IN_PAGE.replace('WINDOW_MS', String(windowMs)),
      )) as WindowFigures;
      const cpu = cpuShares(cpuBefore, cpuSample(process.pid, engine.pid), figures.ms);
      const after = await engine.lines(execution);
      if (after.state !== 'running') {
        throw new Error(`execution ended (${after.state}) during the window: make it longer`);
      }
      return {
        ...figures,
        longestTaskMs: Math.max(0, ...figures.longTasks),
        fps: (figures.frames * 1000) / figures.ms,
        storedRate: rate(after.stored - before.stored, figures.ms),
        lagLines: after.stored - figures.shownAfter,
        rendererPeakKb: rendererPeakKb(process.pid),
        cpu,
      };
    };

    const streaming = async (): Promise<SideFigures> => {
      const execution = await engine.launch();
      try {
        // Opened right away, as a person watching a launch does: history, then live lines.
        const { page, done } = await openPage(execution);
        try {
          await page.waitForTimeout(WARM_MS);
          const figures = await measure(page, execution);
          if (figures.storedRate === 0) throw new Error('no line arrived during the window');
          if (figures.shownAfter + figures.lagLines >= totalLines) {
            throw new Error('the stream ended before the window did: the page opened too late');
          }
          return figures;
        } finally {
          await done();
        }
      } finally {
        await engine.cancel(execution);
      }
    };
    // The first page of a fresh browser compiles the bundle and the first container of the
    // image starts slower: whichever side came first would pay for it.
    ctx.progress('7: warm-up (not counted)');
    await streaming();

    await alternate(
      ctx,
      '7',
      ctx.config.rounds[7],
      async () => {
        app.push(await streaming());
      },
      async () => {
        const execution = await engine.launch();
        try {
          // The same stream, printed in full before the page opens: the page then shows as
          // many lines as the app side's and no new one arrives while it is measured.
          await waitFor(
            'the baseline stream to end',
            async () => (await engine.lines(execution)).stored >= totalLines,
            streamSeconds * 1000 + 120_000,
          );
          const stored = await engine.lines(execution);
          if (stored.firstTime !== null && stored.lastTime !== null) {
            streamRates.push(rate(stored.stored - 1, stored.lastTime - stored.firstTime));
          }
          const { page, done } = await openPage(execution);
          try {
            const wanted = `${totalLines.toLocaleString('en-US')} lines`;
            await waitFor(
              'the baseline page to show every line',
              async () => (await page.getByTestId('log-count').textContent()) === wanted,
              120_000,
            );
            await page.waitForTimeout(SETTLE_MS);
            base.push(await measure(page, execution));
          } finally {
            await done();
          }
        } finally {
          await engine.cancel(execution);
        }
      },
    );
  } catch (error) {
    failure = error;
  }
  // The engine's peak memory is read as it closes, so it closes also after a failed round.
  await browser?.close().catch(() => undefined);
  let engineRssKb: number | null = null;
  try {
    engineRssKb = await engine.close();
  } catch (error) {
    engine.kill();
    failure ??= error;
  }
  if (failure) throw failure;
  const row = uiRow(ctx, { app, base, streamRates, engineRssKb, problems, streamSeconds });
  row.notes.push(`renderer served: ${renderer.note}`);
  if (renderer.dir !== RENDERER_DIST) ctx.removeTemp(renderer.dir);
  ctx.emit(row);
}

interface UiResults {
  app: SideFigures[];
  base: SideFigures[];
  streamRates: number[];
  engineRssKb: number | null;
  problems: string[];
  streamSeconds: number;
}

function uiRow(ctx: BenchContext, results: UiResults): Row {
  const { app, base, streamRates, engineRssKb, problems, streamSeconds } = results;
  const { uiRate, uiWindowSeconds } = ctx.config;
  const row = newRow(
    '7',
    `the UI log viewer while an action streams ${uiRate.toLocaleString('en')} lines a second ` +
      '(Playwright in Chromium)',
    'the same page with the stream paused',
    { kind: 'none' },
  );
  const med = (side: SideFigures[], pick: (figures: SideFigures) => number) =>
    median(side.map(pick));
  const appTask = med(app, (f) => f.longestTaskMs);
  const baseTask = med(base, (f) => f.longestTaskMs);
  const appFps = med(app, (f) => f.fps);
  const baseFps = med(base, (f) => f.fps);
  const heap = (side: SideFigures[]) => {
    const values = side.map((f) => f.heapPeakBytes).filter((v): v is number => v !== null);
    return values.length > 0 ? formatKb(Math.max(...values) / 1024) : 'n/a';
  };
  const renderer = (side: SideFigures[]) => {
    const values = side.map((f) => f.rendererPeakKb).filter((v): v is number => v !== null);
    return values.length > 0 ? formatKb(Math.max(...values)) : 'n/a';
  };
  const taskRatio = appTask > 0 && baseTask > 0 ? `task ${(appTask / baseTask).toFixed(2)}` : '';
  row.cells = {
    app: `longest task ${taskText(appTask)}, ${appFps.toFixed(1)} fps`,
    base: `longest task ${taskText(baseTask)}, ${baseFps.toFixed(1)} fps`,
    ratio: [`fps ${(appFps / baseFps).toFixed(2)}`, taskRatio].filter(Boolean).join(', '),
    goal: `longest task ≤ ${GOAL_TASK_MS} ms, ≥ ${GOAL_FPS} frames per second`,
    meets: app.length > 0 && appTask <= GOAL_TASK_MS && appFps >= GOAL_FPS,
    appRss: `engine ${formatKb(engineRssKb)}; page JS heap ${heap(app)}`,
    baseRss: `page JS heap ${heap(base)}`,
    rounds: Math.min(app.length, base.length),
  };
  const list = (side: SideFigures[], pick: (figures: SideFigures) => string) =>
    side.map(pick).join(', ');
  const perSide = (name: string, side: SideFigures[]) =>
    `${name}: longest task ${list(side, (f) => taskText(f.longestTaskMs))}; ` +
    `long tasks per window ${list(side, (f) => String(f.longTasks.length))}; ` +
    `fps ${list(side, (f) => f.fps.toFixed(1))}; ` +
    `longest frame gap ${list(side, (f) => formatMs(f.longestGapMs))}; ` +
    `lines shown by the viewer per second ${list(side, (f) => formatRate(rate(f.shownAfter - f.shownBefore, f.ms)))}; ` +
    `lines stored per second ${list(side, (f) => formatRate(f.storedRate))}; ` +
    `lines stored but not yet shown at the window's end ${list(side, (f) => f.lagLines.toLocaleString('en'))}`;
  row.details = [perSide('app', app), perSide('baseline', base)];
  const cpuText = (side: SideFigures[]) => {
    const groups = [...new Set(side.flatMap((f) => [...f.cpu.keys()]))].sort();
    return groups
      .map((group) => `${group} ${median(side.map((f) => f.cpu.get(group) ?? 0)).toFixed(0)} %`)
      .join(', ');
  };
  row.notes.push(
    `CPU over the window, per cent of one core (median; the machine has ` +
      `${os.availableParallelism()} cores): app: ${cpuText(app)}; baseline: ${cpuText(base)}`,
  );
  row.notes.push(
    `window ${uiWindowSeconds} s per side; the action prints ${uiRate.toLocaleString('en')} ` +
      `lines a second for ${streamSeconds} s (perl, a batch every 10 ms); the real rate of ` +
      `the stored stream (first to last line's receive time, baseline executions): ` +
      `${streamRates.map(formatRate).join(', ')}`,
    `lines on the page at the end of the window (median): app ${median(app.map((f) => f.shownAfter)).toLocaleString('en')}, ` +
      `baseline ${median(base.map((f) => f.shownAfter)).toLocaleString('en')}`,
    `peak memory: the engine process (engine and server, both sides) ${formatKb(engineRssKb)}; ` +
      `Chromium renderer process peak RSS app ${renderer(app)}, baseline ${renderer(base)}; ` +
      `page JS heap (performance.memory) app ${heap(app)}, baseline ${heap(base)}`,
  );
  if (problems.length > 0) {
    row.notes.push(`console problems: ${[...new Set(problems)].slice(0, 5).join(' | ')}`);
  }
  return row;
}
