// What one run of the benchmarks measures and how often. Every size and round count can be
// set by a flag or by an environment variable (BENCH_<FLAG>, e.g. BENCH_ROUNDS=3); a flag wins.
// The defaults are the sizes of issue 5 and finish in well under 25 minutes on a 2-core
// machine; --quick shrinks everything for development.
import os from 'node:os';
import { parseArgs } from 'node:util';

export const BENCHMARK_IDS = ['1', '2', '3', '4', '5', '6', '7'] as const;
export type BenchmarkId = (typeof BENCHMARK_IDS)[number];

export interface BenchConfig {
  quick: boolean;
  only: ReadonlySet<BenchmarkId>;
  /** Rounds per benchmark; each round measures the app once and the baseline once. */
  rounds: Record<BenchmarkId, number>;
  burstActions: number;
  /** The CPU cores each benchmark template asks for; decides the engine's concurrency. */
  cpuCores: number;
  logLines: number;
  artifactFiles: number;
  artifactFileMiB: number;
  missionFiles: number;
  missionFileKiB: number;
  storeExecutions: number;
  storeLogLines: number;
  /** Benchmark 7: lines a second the streaming action prints. */
  uiRate: number;
  /** Benchmark 7: seconds each side is measured for in the page. */
  uiWindowSeconds: number;
  /** Where generated missions, artifact copies and data directories go. */
  tmpDir: string;
  /** Rewrite the results block of BENCHMARKS.md. */
  write: boolean;
  keepImage: boolean;
  /** Run the engine side with node --cpu-prof and summarise where its time went. */
  cpuProf: boolean;
}

const FULL = {
  burstActions: 50,
  cpuCores: 1,
  logLines: 1_000_000,
  artifactFiles: 200,
  artifactFileMiB: 10,
  missionFiles: 10_000,
  missionFileKiB: 500,
  storeExecutions: 100_000,
  storeLogLines: 10_000_000,
  uiRate: 20_000,
  uiWindowSeconds: 5,
};

const QUICK: typeof FULL = {
  burstActions: 8,
  cpuCores: 1,
  logLines: 100_000,
  artifactFiles: 20,
  artifactFileMiB: 10,
  missionFiles: 1_000,
  missionFileKiB: 100,
  storeExecutions: 10_000,
  storeLogLines: 500_000,
  uiRate: 20_000,
  uiWindowSeconds: 2,
};

const FULL_ROUNDS: Record<BenchmarkId, number> = { 1: 9, 2: 3, 3: 3, 4: 3, 5: 3, 6: 7, 7: 7 };
const QUICK_ROUNDS: Record<BenchmarkId, number> = { 1: 2, 2: 2, 3: 2, 4: 2, 5: 2, 6: 2, 7: 2 };

const NUMERIC: Record<string, keyof typeof FULL> = {
  'burst-actions': 'burstActions',
  'cpu-cores': 'cpuCores',
  'log-lines': 'logLines',
  'artifact-files': 'artifactFiles',
  'artifact-mib': 'artifactFileMiB',
  'mission-files': 'missionFiles',
  'mission-kib': 'missionFileKiB',
  'store-executions': 'storeExecutions',
  'store-lines': 'storeLogLines',
  'ui-rate': 'uiRate',
  'ui-window': 'uiWindowSeconds',
};

export const USAGE = `npm run bench -- [options]

  --quick               small sizes and 2 rounds, for development (does not write BENCHMARKS.md)
  --only 1,3,6          run only these benchmarks
  --rounds N            rounds for every benchmark (default 1:9 2:3 3:3 4:3 5:3 6:7 7:7)
  --burst-actions N     benchmark 2: actions launched at once (50)
  --cpu-cores N         CPU cores each template asks for (1); sets the engine's concurrency
  --log-lines N         benchmark 3: lines the action prints (1000000)
  --artifact-files N    benchmark 4: files written to /out (200)
  --artifact-mib N      benchmark 4: MiB per file (10)
  --mission-files N     benchmark 5: files in the mission (10000)
  --mission-kib N       benchmark 5: KiB per file (500)
  --store-executions N  benchmark 6: executions in the store (100000)
  --store-lines N       benchmark 6: log lines in the store (10000000)
  --ui-rate N           benchmark 7: lines a second the action prints (20000)
  --ui-window N         benchmark 7: seconds each side is measured in the page (5)
  --tmp-dir DIR         where generated data goes (the system's temp folder)
  --write / --no-write  rewrite the results in BENCHMARKS.md (default: only for a full run;
                        with --only, --write replaces just those rows)
  --keep-image          keep the busybox image afterwards
  --cpu-prof            profile the engine side's timed part and print where its time went

Every option can also be set as BENCH_<OPTION>, e.g. BENCH_ROUNDS=3 or BENCH_QUICK=1.`;

function envName(flag: string): string {
  return `BENCH_${flag.toUpperCase().replace(/-/g, '_')}`;
}

function positiveNumber(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`--${flag} must be a positive number, not "${text}"`);
  }
  return value;
}

function flagOrEnv(values: Record<string, unknown>, flag: string): string | undefined {
  const given = values[flag];
  if (typeof given === 'string') return given;
  return process.env[envName(flag)];
}

function booleanFlag(values: Record<string, unknown>, flag: string): boolean | undefined {
  if (values[flag] === true) return true;
  if (values[`no-${flag}`] === true) return false;
  const env = process.env[envName(flag)];
  if (env === undefined || env === '') return undefined;
  return env !== '0' && env.toLowerCase() !== 'false';
}

export function parseConfig(argv: string[]): BenchConfig | 'help' {
  const options: Record<string, { type: 'string' | 'boolean' }> = {
    help: { type: 'boolean' },
    quick: { type: 'boolean' },
    only: { type: 'string' },
    rounds: { type: 'string' },
    'tmp-dir': { type: 'string' },
    write: { type: 'boolean' },
    'no-write': { type: 'boolean' },
    'keep-image': { type: 'boolean' },
    'cpu-prof': { type: 'boolean' },
  };
  for (const flag of Object.keys(NUMERIC)) options[flag] = { type: 'string' };
  const { values } = parseArgs({ args: argv, options, allowPositionals: false });
  if (values.help) return 'help';

  const quick = booleanFlag(values, 'quick') ?? false;
  const sizes = { ...(quick ? QUICK : FULL) };
  for (const [flag, key] of Object.entries(NUMERIC)) {
    const text = flagOrEnv(values, flag);
    if (text !== undefined) sizes[key] = positiveNumber(flag, text);
  }

  const roundsText = flagOrEnv(values, 'rounds');
  const rounds = { ...(quick ? QUICK_ROUNDS : FULL_ROUNDS) };
  if (roundsText !== undefined) {
    const n = Math.round(positiveNumber('rounds', roundsText));
    for (const id of BENCHMARK_IDS) rounds[id] = n;
  }

  const onlyText = flagOrEnv(values, 'only');
  let only = new Set<BenchmarkId>(BENCHMARK_IDS);
  if (onlyText !== undefined) {
    const chosen = onlyText.split(',').map((part) => part.trim());
    const unknown = chosen.filter((id) => !(BENCHMARK_IDS as readonly string[]).includes(id));
    if (unknown.length > 0) {
      throw new Error(`--only takes benchmark numbers 1 to 7, not ${unknown.join(', ')}`);
    }
    only = new Set(chosen as BenchmarkId[]);
  }

  const cpuProf = booleanFlag(values, 'cpu-prof') ?? false;
  return {
    quick,
    only,
    rounds,
    ...sizes,
    tmpDir: flagOrEnv(values, 'tmp-dir') ?? os.tmpdir(),
    // A partial, shrunken or profiled (so slowed) run must not replace the published table.
    write: booleanFlag(values, 'write') ?? (!quick && onlyText === undefined && !cpuProf),
    keepImage: booleanFlag(values, 'keep-image') ?? false,
    cpuProf,
  };
}
