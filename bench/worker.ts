// The app side of a benchmark, in a process of its own: it opens an engine the way the CLI
// and the desktop app do, sets up what the job needs outside the timed part, times the engine
// call itself, and reports with its peak resident set size. A fresh process per round keeps
// one round's heap and caches out of the next, and makes the peak memory the engine's alone.
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';

import Database from 'better-sqlite3';

import { Engine } from '../main/core/engine.js';
import { isFinalState, type Execution } from '../main/shared/domain.js';
import type { ActionSpec, Phases, ResultByKind, WorkerJob } from './worker-protocol.js';

const PROJECT = 'bench';
const TEMPLATE = 'bench';
const MISSION = 'bench/mission';

function send(message: unknown): Promise<void> {
  return new Promise((resolve, reject) =>
    process.send!(message, undefined, {}, (error) => (error ? reject(error) : resolve())),
  );
}

let profileFile: string | undefined;

/**
 * Runs the measured part, under the V8 profiler when the job asks for a profile: only this
 * part, so that loading modules and setting up the data directory do not crowd the picture.
 */
async function timed<T>(work: () => Promise<T>): Promise<T> {
  if (!profileFile) return work();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    fs.writeFileSync(profileFile, JSON.stringify(profile));
    session.disconnect();
  }
}

function maxRssKb(): number {
  return process.resourceUsage().maxRSS;
}

function reportStore(engine: Engine): Promise<void> {
  const db = new Database(engine.layout.database, { readonly: true, fileMustExist: true });
  try {
    const id = db.prepare("SELECT value FROM meta WHERE key = 'store_id'").pluck().get();
    return send({ type: 'store', storeId: String(id) });
  } finally {
    db.close();
  }
}

interface Bench {
  engine: Engine;
  dataDir: string;
  missionDir: string;
}

/** A fresh data directory with one project, one empty mission and the job's template. */
async function openBench(tmpDir: string, action: ActionSpec): Promise<Bench> {
  const dataDir = fs.mkdtempSync(path.join(tmpDir, 'kleinkram-bench-data-'));
  const missionDir = fs.mkdtempSync(path.join(tmpDir, 'kleinkram-bench-mission-'));
  // The image is on this machine; a pull attempt would only add a registry timeout.
  const engine = Engine.open({ dataDir, pullImages: false, stopGraceSeconds: 2 });
  await reportStore(engine);
  engine.projects.create(PROJECT);
  await engine.missions.add(PROJECT, missionDir, 'mission');
  engine.templates.create(
    {
      name: TEMPLATE,
      image: action.image,
      command: action.command,
      cpuCores: action.cpuCores,
      memory: action.memory,
      maxRuntimeSeconds: 3600,
    },
    'bench',
  );
  return { engine, dataDir, missionDir };
}

async function closeBench(bench: Bench): Promise<void> {
  await bench.engine.close();
  fs.rmSync(bench.dataDir, { recursive: true, force: true });
  fs.rmSync(bench.missionDir, { recursive: true, force: true });
}

function phasesOf(execution: Execution, heardAt: number): Phases {
  const at = (value: number | null) => value ?? Number.NaN;
  return {
    claimMs: at(execution.startedAt) - execution.queuedAt,
    startMs: at(execution.containerStartedAt) - at(execution.startedAt),
    containerMs: at(execution.containerExitedAt) - at(execution.containerStartedAt),
    finishMs: at(execution.endedAt) - at(execution.containerExitedAt),
    afterEndMs: heardAt - at(execution.endedAt),
  };
}

function mustSucceed(execution: Execution): void {
  if (execution.state !== 'succeeded') {
    throw new Error(
      `execution #${execution.number} ended ${execution.state}: ${execution.stateCause ?? ''}`,
    );
  }
}

/** Launches one execution on a running engine and times it from launch to its final state. */
async function launchAndWait(engine: Engine) {
  const start = performance.now();
  const execution = await timed(() => {
    const launched = engine.launch({ template: TEMPLATE, mission: MISSION });
    return engine.waitForEnd(launched.id);
  });
  const ms = performance.now() - start;
  mustSucceed(execution);
  return { execution, ms, phases: phasesOf(execution, Date.now()) };
}

type Handlers = {
  [K in WorkerJob['kind']]: (
    job: Extract<WorkerJob, { kind: K }>,
  ) => Promise<Omit<ResultByKind[K], 'maxRssKb'>>;
};

const handlers: Handlers = {
  async idle(job) {
    const bench = await openBench(job.tmpDir, job.action);
    await closeBench(bench);
    return {};
  },

  async trivial(job) {
    const bench = await openBench(job.tmpDir, job.action);
    bench.engine.startRunner();
    const { ms, phases } = await launchAndWait(bench.engine);
    await closeBench(bench);
    return { ms, phases };
  },

  async burst(job) {
    const bench = await openBench(job.tmpDir, job.action);
    const { engine } = bench;
    const running = new Set<string>();
    const heardAt = new Map<string, number>();
    let maxRunning = 0;
    engine.events.on('execution.changed', (execution) => {
      if (execution.state === 'running') running.add(execution.id);
      else running.delete(execution.id);
      maxRunning = Math.max(maxRunning, running.size);
      if (isFinalState(execution.state)) heardAt.set(execution.id, Date.now());
    });
    engine.startRunner();
    const start = performance.now();
    const ended = await timed(() => {
      const launched = Array.from({ length: job.count }, () =>
        engine.launch({ template: TEMPLATE, mission: MISSION }),
      );
      return Promise.all(launched.map((execution) => engine.waitForEnd(execution.id)));
    });
    const ms = performance.now() - start;
    ended.forEach(mustSucceed);
    // The median execution's phases: typical, not the first (which waits for nobody).
    const middle = ended[Math.floor(ended.length / 2)]!;
    await closeBench(bench);
    return {
      ms,
      maxRunning,
      phases: phasesOf(middle, heardAt.get(middle.id) ?? Number.NaN),
    };
  },

  async 'log-flood'(job) {
    const bench = await openBench(job.tmpDir, job.action);
    bench.engine.startRunner();
    const { execution, ms, phases } = await launchAndWait(bench.engine);
    const stored = bench.engine.logs.count(execution.id);
    const last = bench.engine.logs.read(execution.id, { afterSeq: stored - 1, limit: 1 })[0];
    await closeBench(bench);
    return { ms, stored, lastLine: last?.text ?? '', phases };
  },

  async artifacts(job) {
    const bench = await openBench(job.tmpDir, job.action);
    const { engine } = bench;
    let collectedAt = Number.NaN;
    engine.events.on('artifacts.collected', () => {
      collectedAt = Date.now();
    });
    engine.startRunner();
    const { execution, ms, phases } = await launchAndWait(engine);
    const artifacts = engine.artifacts.list(execution.id);
    const bytes = artifacts.reduce((sum, artifact) => sum + artifact.size, 0);
    if (artifacts.length !== job.files || bytes !== job.files * job.fileBytes) {
      throw new Error(
        `expected ${job.files} artifacts of ${job.fileBytes} bytes, got ${artifacts.length} ` +
          `with ${bytes} bytes`,
      );
    }
    // Docker's exit time to the collected event: walking /out, hashing, recording.
    const collectMs = collectedAt - (execution.containerExitedAt ?? Number.NaN);
    await closeBench(bench);
    return { ms, collectMs, artifacts: artifacts.length, bytes, phases };
  },

  async mission(job) {
    const dataDir = fs.mkdtempSync(path.join(job.tmpDir, 'kleinkram-bench-data-'));
    const engine = Engine.open({ dataDir, pullImages: false });
    engine.projects.create(PROJECT);
    const result = await timed(async () => {
      let start = performance.now();
      const { mission } = await engine.missions.add(PROJECT, job.folder, 'big');
      const registerMs = performance.now() - start;
      if (mission.fileCount !== job.files) {
        throw new Error(`registered ${mission.fileCount} files, expected ${job.files}`);
      }

      start = performance.now();
      const rescan = await engine.missions.rescan(mission.id);
      const rescanMs = performance.now() - start;
      if (rescan.unchanged !== job.files) {
        throw new Error(`the rescan found ${rescan.unchanged} unchanged files of ${job.files}`);
      }

      start = performance.now();
      const files = await engine.missions.hash(mission.id);
      const hashMs = performance.now() - start;
      const hashed = files.filter((file) => file.sha256 !== null).length;
      return { registerMs, rescanMs, hashMs, hashed };
    });
    await engine.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    return result;
  },

  async store(job) {
    return timed(() => readStore(job));
  },
};

async function readStore(job: Extract<WorkerJob, { kind: 'store' }>) {
  // better-sqlite3 loads its native library at the first open; the shell has its library
  // loaded before anything is typed, so the app's open is timed with the library loaded too.
  new Database(':memory:').close();

  let start = performance.now();
  const engine = Engine.open({ dataDir: job.dataDir, pullImages: false });
  const openMs = performance.now() - start;

  start = performance.now();
  const list = engine.executions.list({ limit: 100 });
  const listMs = performance.now() - start;

  start = performance.now();
  const page = engine.logs.read(job.executionId, {
    afterSeq: job.afterSeq,
    limit: job.pageSize,
  });
  const pageMs = performance.now() - start;

  start = performance.now();
  const found = engine.logs.read(job.executionId, { search: job.search, limit: job.pageSize });
  const searchMs = performance.now() - start;

  // The same calls once more: what they cost once the code is compiled and the pages cached.
  const again = (call: () => unknown) => {
    const begin = performance.now();
    call();
    return performance.now() - begin;
  };
  const warm = {
    listMs: again(() => engine.executions.list({ limit: 100 })),
    pageMs: again(() =>
      engine.logs.read(job.executionId, { afterSeq: job.afterSeq, limit: job.pageSize }),
    ),
    searchMs: again(() =>
      engine.logs.read(job.executionId, { search: job.search, limit: job.pageSize }),
    ),
  };

  await engine.close();
  return {
    openMs,
    listMs,
    pageMs,
    searchMs,
    warm,
    listRows: list.length,
    pageRows: page.length,
    searchRows: found.length,
  };
}

process.once('message', (job: WorkerJob) => {
  profileFile = job.profile;
  const handler = handlers[job.kind] as (job: WorkerJob) => Promise<object>;
  handler(job)
    .then((result) => send({ type: 'result', result: { ...result, maxRssKb: maxRssKb() } }))
    .then(() => process.exit(0))
    .catch(async (error: unknown) => {
      await send({ type: 'error', result: error instanceof Error ? error.stack : String(error) });
      process.exit(1);
    });
});
