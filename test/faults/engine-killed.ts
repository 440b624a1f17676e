// The engine is killed with SIGKILL while actions run. On the next start: a running container
// is adopted (logs go on without duplicates or gaps, the runtime limit counts from the real
// start), one that exited meanwhile is finished, one whose container was removed is failed,
// queued executions run, and a stray container of the app is removed.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';

import { Engine } from '../../main/core/engine.js';
import { addMission, BASE_IMAGE, readStore, shellTemplate, tempDir } from '../helpers/engine.js';
import { Checks, type FaultRow } from './report.js';
import { lostLines, sleep, startWorker, texts, until } from './support.js';

const small = { cpuCores: 0.25, memory: '64MiB' };

export async function engineKilled(): Promise<FaultRow> {
  const dataDir = tempDir('kleinkram-fault-kill-');
  const setup = Engine.open({ dataDir });
  const mission = await addMission(setup);
  const templates: Record<string, [string, Record<string, unknown>?]> = {
    long: ['for i in $(seq 1 300); do echo long-$i; sleep 0.03; done; echo done > /out/long.txt'],
    short: [
      'for i in $(seq 1 50); do echo short-$i; done; sleep 4; echo x > /out/short.txt; exit 4',
    ],
    gone: ['echo gone-1; sleep 120'],
    timeout: ['echo timeout-1; sleep 600', { maxRuntimeSeconds: 8 }],
    queued: ['echo queued-1; echo q > /out/queued.txt'],
  };
  const ids: Record<string, string> = {};
  for (const [name, [script, extra]] of Object.entries(templates)) {
    setup.templates.create(shellTemplate(name, script, { ...small, ...extra }), 'faults');
    ids[name] = setup.launch({ template: name, mission: mission.id }).id;
  }
  const storeId = (() => {
    const db = readStore(setup);
    try {
      return db.prepare("SELECT value FROM meta WHERE key = 'store_id'").pluck().get() as string;
    } finally {
      db.close();
    }
  })();
  await setup.close();

  const watcher = Engine.open({ dataDir });
  const worker = startWorker(dataDir, ['--max-concurrent', '4']);
  const running = ['long', 'short', 'gone', 'timeout'];
  await until(
    () =>
      running.every((name) => watcher.executions.get(ids[name]!).state === 'running') &&
      watcher.logs.count(ids.long!) >= 30,
    'four running executions',
  );
  const storedAtKill = watcher.logs.count(ids.long!);
  worker.kill('SIGKILL');
  await new Promise((resolve) => worker.once('exit', resolve));

  // While the engine is away: a container is removed, another exits, a stray one appears.
  const goneContainer = watcher.executions.get(ids.gone!).containerId!;
  execFileSync('docker', ['rm', '-f', goneContainer], { stdio: 'ignore' });
  const stray = execFileSync(
    'docker',
    [
      'run',
      '-d',
      '--network',
      'none',
      '--label',
      'app.kleinkram.actions=true',
      '--label',
      `app.kleinkram.actions.store=${storeId}`,
      '--label',
      `app.kleinkram.actions.execution=${randomUUID()}`,
      BASE_IMAGE,
      'sleep',
      '600',
    ],
    { encoding: 'utf8' },
  ).trim();
  const shortContainer = watcher.executions.get(ids.short!).containerId!;
  await until(
    () =>
      execFileSync('docker', ['inspect', '-f', '{{.State.Running}}', shortContainer], {
        encoding: 'utf8',
      }).trim() === 'false',
    'the short action to exit while the engine is down',
  );
  await watcher.close();
  await sleep(500);

  const engine = Engine.open({ dataDir, stopGraceSeconds: 2 });
  engine.startRunner();
  const ended = Object.fromEntries(
    await Promise.all(
      Object.entries(ids).map(async ([name, id]) => [name, await engine.waitForEnd(id)] as const),
    ),
  );
  await sleep(1000);

  const checks = new Checks();
  const long = lostLines(texts(engine, ids.long!), 'long-', 300);
  checks.expect(ended.long!.state === 'succeeded', `long is ${ended.long!.state}`);
  checks.expect(
    long.missing === 0 && long.duplicates === 0 && long.inOrder,
    `long lines ${JSON.stringify(long)}`,
  );
  checks.expect(storedAtKill < 300, 'long was not mid-stream at the kill');
  const short = lostLines(texts(engine, ids.short!), 'short-', 50);
  checks.expect(
    ended.short!.state === 'failed' && ended.short!.exitCode === 4,
    `short is ${ended.short!.state} ${ended.short!.exitCode}`,
  );
  checks.expect(/while the engine was away/.test(ended.short!.stateCause ?? ''), 'short cause');
  checks.expect(
    short.missing === 0 && short.duplicates === 0,
    `short lines ${JSON.stringify(short)}`,
  );
  checks.expect(
    ended.gone!.state === 'failed' && /container is gone/.test(ended.gone!.stateCause ?? ''),
    `gone is ${ended.gone!.state}: ${ended.gone!.stateCause}`,
  );
  const timeout = ended.timeout!;
  const ranFor = (timeout.containerExitedAt ?? 0) - (timeout.containerStartedAt ?? 0);
  checks.expect(timeout.state === 'failed' && timeout.timedOut, `timeout is ${timeout.state}`);
  checks.expect(ranFor >= 8000 && ranFor < 14_000, `timeout ran ${ranFor} ms (limit 8 s)`);
  checks.expect(ended.queued!.state === 'succeeded', `queued is ${ended.queued!.state}`);
  const strayGone = (() => {
    try {
      execFileSync('docker', ['inspect', stray], { stdio: 'ignore' });
      return false;
    } catch {
      return true;
    }
  })();
  checks.expect(strayGone, 'the stray container is still there');
  const left = execFileSync(
    'docker',
    ['ps', '-aq', '--filter', `label=app.kleinkram.actions.store=${storeId}`],
    { encoding: 'utf8' },
  ).trim();
  checks.expect(left === '', `containers left: ${left}`);

  const expectedArtifacts: Array<[string, string]> = [
    ['long', 'long.txt'],
    ['short', 'short.txt'],
    ['queued', 'queued.txt'],
  ];
  const artifactsLost = expectedArtifacts.filter(
    ([name, file]) => !engine.artifacts.list(ids[name]!).some((a) => a.path === file),
  ).length;
  await engine.close();
  return {
    fault: 'engine killed (SIGKILL) mid-run',
    executions: Object.keys(ids).length,
    expected:
      'running one adopted, exited one finished, removed one failed, timeout kept, queued runs, stray removed',
    happened: checks.summary(
      `adopted (${storedAtKill} of 300 lines stored at the kill), finished exit 4, ` +
        `failed: container gone, timed out after ${(ranFor / 1000).toFixed(1)} s, queued ran, stray removed`,
    ),
    linesLost: long.missing + short.missing,
    artifactsLost,
    ok: checks.ok,
  };
}
