// The ways an execution ends other than success, each caused for real on a real engine.
import fs from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { addMission, openTestEngine, shellTemplate, tempDir } from '../helpers/engine.js';

const engine = openTestEngine({ machine: { cpus: 4, memoryBytes: 8 * 1024 ** 3 } });
let missionId: string;

beforeAll(async () => {
  missionId = (await addMission(engine)).id;
  engine.startRunner();
});
afterAll(() => engine.close());

async function run(name: string, script: string, extra: Record<string, unknown> = {}) {
  engine.templates.create(shellTemplate(name, script, extra), 'test');
  const launched = engine.launch({ template: name, mission: missionId });
  return engine.waitForEnd(launched.id);
}

async function waitForState(id: string, state: string) {
  for (let i = 0; i < 600; i++) {
    if (engine.executions.get(id).state === state) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`execution ${id} never reached ${state}`);
}

describe('how executions end', () => {
  it('an action exiting 3 is failed with code 3, its artifacts still collected', async () => {
    const ended = await run('exit-3', 'echo partial > /out/partial.txt; exit 3');
    expect(ended.state).toBe('failed');
    expect(ended.exitCode).toBe(3);
    expect(ended.stateCause).toContain('exited with code 3');
    expect(engine.artifacts.list(ended.id).map((a) => a.path)).toEqual(['partial.txt']);
  });

  it('a memory hog under a 64 MiB limit is failed and reported out of memory', async () => {
    // tail keeps an endless line in memory: it grows until the kernel kills it.
    const ended = await run('memory-hog', 'head -c 1000000000 /dev/zero | tail', {
      memory: '64MiB',
    });
    expect(ended.state).toBe('failed');
    expect(ended.oomKilled).toBe(true);
    expect(ended.exitCode).toBe(137);
    expect(ended.stateCause).toMatch(/out of memory/);
  });

  it('a sleep 600 with a 2 s runtime is stopped and reported as timed out', async () => {
    const before = Date.now();
    const ended = await run('sleeper', 'sleep 600', { maxRuntimeSeconds: 2 });
    expect(ended.state).toBe('failed');
    expect(ended.timedOut).toBe(true);
    expect(ended.stateCause).toMatch(/timed out/);
    // Stopped near its limit plus the grace period, not after ten minutes.
    expect(Date.now() - before).toBeLessThan(60_000);
  });

  it('cancel of a running execution stops it and it ends cancelled', async () => {
    engine.templates.create(shellTemplate('long', 'echo started; sleep 600'), 'test');
    const launched = engine.launch({ template: 'long', mission: missionId });
    await waitForState(launched.id, 'running');
    engine.cancel(launched.id);
    const ended = await engine.waitForEnd(launched.id);
    expect(ended.state).toBe('cancelled');
    expect(ended.containerId).toBeTruthy();
    // The container is removed once its logs are read.
    await expect(engine.docker.getContainer(ended.containerId!).inspect()).rejects.toMatchObject({
      statusCode: 404,
    });
  });

  it('cancel of a queued execution ends it at once, and it never starts', async () => {
    const queuedEngine = openTestEngine();
    const mission = await addMission(queuedEngine);
    queuedEngine.templates.create(shellTemplate('never', 'echo should-not-run'), 'test');
    // No runner is started: the execution stays queued until cancelled.
    const launched = queuedEngine.launch({ template: 'never', mission: mission.id });
    expect(launched.state).toBe('queued');
    const cancelled = queuedEngine.cancel(launched.id);
    expect(cancelled.state).toBe('cancelled');
    queuedEngine.startRunner();
    await queuedEngine.waitIdle();
    const after = queuedEngine.executions.get(launched.id);
    expect(after.state).toBe('cancelled');
    expect(after.containerId).toBeNull();
    expect(queuedEngine.logs.count(launched.id)).toBe(0);
    await queuedEngine.close();
  });

  it('an image that is not present offline is unprocessable, with a hint to load it', async () => {
    const ended = await run('missing-image', 'true', { image: 'kleinkram-test/not-here:1' });
    expect(ended.state).toBe('unprocessable');
    expect(ended.stateCause).toContain('kleinkram-test/not-here:1');
    expect(ended.errorHint).toContain('image load');
    expect(ended.errorHint).toContain('docker load -i');
  });

  it('a mission folder deleted before launch is unprocessable', async () => {
    const folder = tempDir('kleinkram-doomed-');
    const mission = await addMission(engine, folder);
    fs.rmSync(folder, { recursive: true });
    engine.templates.create(shellTemplate('on-gone', 'ls /data'), 'test');
    const launched = engine.launch({ template: 'on-gone', mission: mission.id });
    const ended = await engine.waitForEnd(launched.id);
    expect(ended.state).toBe('unprocessable');
    expect(ended.stateCause).toContain('is gone');
    expect(ended.containerId).toBeNull();
  });

  it('a launch asking for more memory than the machine has is unprocessable', async () => {
    engine.templates.create(shellTemplate('greedy', 'true', { memory: '64GiB' }), 'test');
    const launched = engine.launch({ template: 'greedy', mission: missionId });
    expect(launched.state).toBe('unprocessable');
    expect(launched.stateCause).toMatch(/this machine has/);
  });

  it('a command that is not in the image fails with 127 and says so', async () => {
    engine.templates.create(
      { ...shellTemplate('no-such-command', ''), command: ['no-such-command'] },
      'test',
    );
    const launched = engine.launch({ template: 'no-such-command', mission: missionId });
    const ended = await engine.waitForEnd(launched.id);
    expect(ended.state).toBe('failed');
    expect(ended.exitCode).toBe(127);
    expect(ended.stateCause).toMatch(/not found/);
  });
});
