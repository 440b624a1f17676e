// `npm run bench`: the engine's cost next to bare Docker, SQLite and coreutils, measured side by
// side (issue 5). Each benchmark alternates the app and its baseline over several rounds and
// prints medians, their ratio against the goal, and peak memory as each row finishes; a full
// run also rewrites the results block of BENCHMARKS.md. Nothing here fails on a slow machine:
// a missed goal is a finding to report, not an error.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { BENCHMARK_IDS, parseConfig, USAGE, type BenchConfig, type BenchmarkId } from './config.js';
import type { BenchContext } from './context.js';
import { bigStore, missionScan } from './data-benchmarks.js';
import { artifacts, burst, logFlood, trivialAction } from './docker-benchmarks.js';
import { describeMachine, machineLine, type Machine } from './machine.js';
import { formatKb, hasGnuTime, run, runWorker } from './measure.js';
import { formatSummary, summarizeProfiles } from './profile-summary.js';
import {
  rowDetails,
  tableHeader,
  tableRow,
  mergeResults,
  writeResults,
  type Row,
} from './report.js';
import { CHROMIUM, UI_IMAGE, uiLogStream } from './ui-benchmark.js';
import type { WorkerJob } from './worker-protocol.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const IMAGE = 'kleinkram-bench/busybox:1';

const BENCHMARKS: Record<BenchmarkId, (ctx: BenchContext) => Promise<void>> = {
  1: trivialAction,
  2: burst,
  3: logFlood,
  4: artifacts,
  5: missionScan,
  6: bigStore,
  7: uiLogStream,
};

function out(text: string): void {
  process.stdout.write(`${text}\n`);
}

function imagePresent(image: string): boolean {
  try {
    execFileSync('docker', ['image', 'inspect', image], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** What a run leaves behind and must take away again, also when it is interrupted. */
class Leftovers {
  readonly dirs = new Set<string>();
  readonly stores = new Set<string>();
  builtImage = false;

  constructor(
    private readonly runId: string,
    private readonly keepImage: boolean,
  ) {}

  cleanUp(): void {
    for (const dir of this.dirs) fs.rmSync(dir, { recursive: true, force: true });
    this.dirs.clear();
    const filters = [
      `name=kleinkram-bench-${this.runId}`,
      ...[...this.stores].map((id) => `label=app.kleinkram.actions.store=${id}`),
    ];
    for (const filter of filters) {
      try {
        const ids = execFileSync('docker', ['ps', '-aq', '--filter', filter], { encoding: 'utf8' })
          .split('\n')
          .filter(Boolean);
        if (ids.length > 0) execFileSync('docker', ['rm', '-f', ...ids], { stdio: 'ignore' });
      } catch {
        // Docker gone: nothing of ours can be running there either.
      }
    }
    if (this.builtImage && !this.keepImage) {
      execFileSync('docker', ['rmi', IMAGE], { stdio: 'ignore' });
      this.builtImage = false;
    }
  }
}

async function preflight(config: BenchConfig, leftovers: Leftovers): Promise<void> {
  try {
    await run(['docker', 'version', '--format', '{{.Server.Version}}']);
  } catch (error) {
    throw new Error(
      `the Docker engine does not answer (${(error as Error).message.split('\n')[0]}): ` +
        'start it (scripts/docker-up.sh) and run the benchmarks again',
      { cause: error },
    );
  }
  if (!imagePresent(IMAGE)) {
    out(`building ${IMAGE} (bench/busybox-image.sh)`);
    execFileSync('bash', [path.join(ROOT, 'bench', 'busybox-image.sh'), IMAGE], {
      stdio: 'inherit',
    });
    leftovers.builtImage = true;
  }
  if (config.only.has('6')) {
    try {
      await run(['sqlite3', '--version']);
    } catch (error) {
      throw new Error('benchmark 6 needs the sqlite3 shell: apt-get install -y sqlite3', {
        cause: error,
      });
    }
  }
  if (config.only.has('7')) {
    if (!fs.existsSync(CHROMIUM)) {
      throw new Error(`benchmark 7 needs Chromium at ${CHROMIUM}: apt-get install -y chromium`);
    }
    if (!imagePresent(UI_IMAGE)) {
      out(`pulling ${UI_IMAGE} for benchmark 7 (its perl paces the log stream)`);
      execFileSync('docker', ['pull', UI_IMAGE], { stdio: 'inherit' });
    }
  }
  if (!hasGnuTime) {
    out('note: /usr/bin/time is missing (apt-get install -y time): baseline memory is n/a');
  }
  fs.mkdirSync(config.tmpDir, { recursive: true });
}

function describeRun(config: BenchConfig): string {
  const rounds = BENCHMARK_IDS.filter((id) => config.only.has(id))
    .map((id) => `${id}: ${config.rounds[id]}`)
    .join(', ');
  return `${config.quick ? 'quick sizes' : 'the sizes of issue 5'}; rounds per benchmark ${rounds}`;
}

/** The machine's load over the run: other work on the same cores shows up in every figure. */
class LoadWatch {
  private readonly samples: number[] = [];
  private readonly timer = setInterval(() => this.samples.push(os.loadavg()[0]!), 5000);

  constructor() {
    this.timer.unref();
    this.samples.push(os.loadavg()[0]!);
  }

  describe(): string {
    clearInterval(this.timer);
    const sorted = [...this.samples].sort((a, b) => a - b);
    const mid = sorted[Math.floor(sorted.length / 2)]!;
    return (
      `1-minute load average over the run: median ${mid.toFixed(1)}, highest ` +
      `${sorted[sorted.length - 1]!.toFixed(1)} (on ${os.availableParallelism()} cores)`
    );
  }
}

function resultsBlock(
  config: BenchConfig,
  machine: Machine,
  load: string,
  idleRssKb: number,
  rows: Row[],
) {
  return [
    `Latest run: ${machine.date}, \`npm run bench\` (${describeRun(config)}).`,
    '',
    `Machine: ${machineLine(machine)}. ${load}.`,
    '',
    `An idle engine process (Node with tsx, an engine on an empty store) peaks at ` +
      `${formatKb(idleRssKb)}; every app RSS figure includes that floor.`,
    '',
    tableHeader(),
    ...rows.map(tableRow),
    '',
    'Every round of every row, and what was checked or seen:',
    '',
    ...rows.map((row) => `- **${row.id}**: ${rowDetails(row)}`),
  ].join('\n');
}

async function main(): Promise<number> {
  let parsed: BenchConfig | 'help';
  try {
    parsed = parseConfig(process.argv.slice(2));
  } catch (error) {
    out(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (parsed === 'help') {
    out(USAGE);
    return 0;
  }
  const config = parsed;
  const runId = randomBytes(4).toString('hex');
  const leftovers = new Leftovers(runId, config.keepImage);
  const interrupted = () => {
    out('\ninterrupted: removing what this run made');
    leftovers.cleanUp();
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  const profileDir = config.cpuProf
    ? fs.mkdtempSync(path.join(config.tmpDir, 'kleinkram-bench-profiles-'))
    : null;
  const profiles = new Map<string, string[]>();
  let profileCount = 0;
  const rows: Row[] = [];
  let headerShown = false;
  const ctx: BenchContext = {
    config,
    image: IMAGE,
    runId,
    worker: (job) => {
      let withProfile: WorkerJob = job;
      if (profileDir && job.kind !== 'idle') {
        const file = path.join(profileDir, `${job.kind}-${++profileCount}.cpuprofile`);
        profiles.set(job.kind, [...(profiles.get(job.kind) ?? []), file]);
        withProfile = { ...job, profile: file };
      }
      return runWorker(withProfile as typeof job, {
        onStore: (id) => leftovers.stores.add(id),
      });
    },
    onStore: (id) => leftovers.stores.add(id),
    emit: (row) => {
      rows.push(row);
      if (!headerShown) out(`\n${tableHeader()}`);
      headerShown = true;
      out(tableRow(row));
      out(`    ${rowDetails(row)}`);
    },
    progress: (text) => out(`  · ${text}`),
    tempDir: (dir) => {
      leftovers.dirs.add(dir);
      return dir;
    },
    removeTemp: (dir) => {
      fs.rmSync(dir, { recursive: true, force: true });
      leftovers.dirs.delete(dir);
    },
  };

  const failures: string[] = [];
  const started = performance.now();
  try {
    await preflight(config, leftovers);
    const machine = await describeMachine();
    const load = new LoadWatch();
    out(`Kleinkram Actions benchmarks: ${describeRun(config)}`);
    out(`machine: ${machineLine(machine)}`);
    if (config.cpuProf) out('profiling is on: the engine side is slowed by the profiler');
    const idle = await ctx.worker({
      kind: 'idle',
      tmpDir: config.tmpDir,
      action: { image: IMAGE, command: ['true'], cpuCores: 1, memory: '1GiB' },
    });
    out(`idle engine process peak RSS: ${formatKb(idle.maxRssKb)}`);

    for (const id of BENCHMARK_IDS) {
      if (!config.only.has(id)) continue;
      out(`\nbenchmark ${id}`);
      try {
        await BENCHMARKS[id](ctx);
      } catch (error) {
        failures.push(id);
        out(`benchmark ${id} could not be measured: ${(error as Error).stack ?? error}`);
      }
    }

    out(`\n${tableHeader()}`);
    for (const row of rows) out(tableRow(row));

    const minutes = ((performance.now() - started) / 60_000).toFixed(1);
    const loadText = `${load.describe()}; the whole run took ${minutes} min`;
    out(loadText);

    for (const [kind, files] of profiles) {
      const present = files.filter((file) => fs.existsSync(file));
      if (present.length > 0) out(`\n${formatSummary(kind, summarizeProfiles(present))}`);
    }
    if (profileDir) out(`\nprofiles: ${profileDir}`);

    if (config.write && failures.length === 0) {
      const file = path.join(ROOT, 'BENCHMARKS.md');
      if (config.only.size === BENCHMARK_IDS.length) {
        writeResults(file, resultsBlock(config, machine, loadText, idle.maxRssKb, rows));
      } else {
        // A partial run replaces only its own rows; the others keep the figures of their run.
        const runText =
          `measured separately: ${machine.date}, \`npm run bench -- --only ` +
          `${[...config.only].join(',')}\` (${describeRun(config)}); ` +
          loadText;
        mergeResults(file, rows, runText);
      }
      out(`\nwrote the results into ${file}`);
    } else if (config.write) {
      out(`\nBENCHMARKS.md left as it was: benchmark(s) ${failures.join(', ')} failed`);
    }
  } finally {
    leftovers.cleanUp();
  }
  return failures.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    out(`the benchmarks could not run: ${(error as Error).message ?? error}`);
    process.exit(1);
  },
);
