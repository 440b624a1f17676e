// The Docker daemon restarts while an action runs. The engine notices, shows the runner as
// unavailable, queues new launches, reconnects with backoff, and reconciles the execution
// whose container Docker stopped: nothing is left running, no stored line is lost.
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';

import { pingDocker } from '../../main/core/docker/client.js';
import { addMission, openTestEngine, PROJECT_ROOT, shellTemplate } from '../helpers/engine.js';
import { Checks, type FaultRow } from './report.js';
import { lostLines, sleep, texts, until } from './support.js';

function dockerdPids(): number[] {
  const result = spawnSync('pgrep', ['-x', 'dockerd'], { encoding: 'utf8' });
  return result.stdout.split('\n').filter(Boolean).map(Number);
}

export async function dockerRestarts(): Promise<FaultRow> {
  const engine = openTestEngine({ stopGraceSeconds: 2 });
  const mission = await addMission(engine);
  engine.templates.create(
    shellTemplate(
      'printer',
      'for i in $(seq 1 2000); do echo p-$i; sleep 0.02; done; echo ok > /out/p.txt',
      {
        cpuCores: 0.5,
      },
    ),
    'faults',
  );
  engine.templates.create(
    shellTemplate('later', 'echo later > /out/later.txt', { cpuCores: 0.5 }),
    'faults',
  );
  engine.startRunner();
  const printer = engine.launch({ template: 'printer', mission: mission.id });
  await until(() => engine.logs.count(printer.id) >= 50, 'the printer to print');
  const storedBefore = engine.logs.count(printer.id);

  // A restart as systemd would do it: stop the daemon, wait for it to go, start it again.
  const pids = dockerdPids();
  if (pids.length === 0) throw new Error('no dockerd process to restart');
  for (const pid of pids) process.kill(pid, 'SIGTERM');
  let sawUnavailable = false;
  await until(
    () => {
      if (!engine.runnerStatus().available) sawUnavailable = true;
      return dockerdPids().length === 0;
    },
    'dockerd to stop',
    90_000,
  );
  const later = engine.launch({ template: 'later', mission: mission.id });
  for (let i = 0; i < 30 && !sawUnavailable; i++) {
    await sleep(100);
    if (!engine.runnerStatus().available) sawUnavailable = true;
  }
  const queuedMeanwhile = engine.executions.get(later.id);
  execFileSync('bash', [path.join(PROJECT_ROOT, 'scripts/docker-up.sh')], { stdio: 'ignore' });
  await pingDocker(engine.docker, 10_000);

  const [printerEnd, laterEnd] = await Promise.all([
    engine.waitForEnd(printer.id),
    engine.waitForEnd(later.id),
  ]);
  await sleep(1000);
  const lines = texts(engine, printer.id).filter((line) => line.startsWith('p-'));
  const stored = lostLines(lines, 'p-', lines.length);
  const left = execFileSync(
    'docker',
    ['ps', '-aq', '--filter', `label=app.kleinkram.actions.execution=${printer.id}`],
    { encoding: 'utf8' },
  ).trim();

  const checks = new Checks();
  checks.expect(sawUnavailable, 'the runner never showed as unavailable');
  checks.expect(
    queuedMeanwhile.state === 'queued',
    `a launch meanwhile was ${queuedMeanwhile.state}`,
  );
  checks.expect(laterEnd.state === 'succeeded', `the launch made meanwhile ${laterEnd.state}`);
  checks.expect(
    printerEnd.state === 'failed' || printerEnd.state === 'succeeded',
    `the running one is ${printerEnd.state}`,
  );
  checks.expect(printerEnd.exitCode !== null, 'the running one has no exit code');
  checks.expect(
    lines.length >= storedBefore,
    `${lines.length} lines stored, ${storedBefore} before`,
  );
  checks.expect(stored.duplicates === 0 && stored.inOrder, `lines ${JSON.stringify(stored)}`);
  checks.expect(left === '', `containers left: ${left}`);
  checks.expect(engine.runnerStatus().available, 'the runner is not available again');
  const artifactsLost = engine.artifacts.list(later.id).length === 1 ? 0 : 1;
  await engine.close();
  return {
    fault: 'Docker daemon restarted mid-run',
    executions: 2,
    expected:
      'runner unavailable, launches queue, reconnect, running one reconciled with its exit code',
    happened: checks.summary(
      `unavailable then back; running one ${printerEnd.state} (exit ${printerEnd.exitCode}: ` +
        `${printerEnd.stateCause ?? 'ok'}), ${lines.length} lines contiguous; queued one ran`,
    ),
    linesLost: stored.missing,
    artifactsLost,
    ok: checks.ok,
  };
}
