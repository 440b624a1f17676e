// The Docker engine out of reach: the engine is pointed at a socket where nothing listens yet
// (a real refused connection), then a relay to the real engine opens on that socket.
import net from 'node:net';
import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { addMission, openTestEngine, shellTemplate, tempDir } from '../helpers/engine.js';

const socketPath = path.join(tempDir('kleinkram-socket-'), 'docker.sock');
const engine = openTestEngine({ docker: { socketPath } });
let relay: net.Server | null = null;

afterAll(async () => {
  await engine.close();
  relay?.close();
});

function openRelay(): Promise<net.Server> {
  const server = net.createServer((client) => {
    const upstream = net.connect('/var/run/docker.sock');
    client.pipe(upstream).pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close);
    upstream.on('error', close);
  });
  return new Promise((resolve) => server.listen(socketPath, () => resolve(server)));
}

describe('Docker unreachable', () => {
  it('leaves executions queued with a clear message, and runs them once Docker is back', async () => {
    const mission = await addMission(engine);
    engine.templates.create(shellTemplate('patient', 'echo ran'), 'test');
    const first = engine.launch({ template: 'patient', mission: mission.id });
    const second = engine.launch({ template: 'patient', mission: mission.id });
    engine.startRunner();

    // Give the scheduler a few attempts against the dead socket.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    for (const id of [first.id, second.id]) {
      const waiting = engine.executions.get(id);
      expect(waiting.state).toBe('queued');
      expect(waiting.stateCause).toContain('not reachable');
      expect(waiting.stateCause).toContain(socketPath);
    }
    const status = engine.runnerStatus();
    expect(status.available).toBe(false);
    expect(status.message).toMatch(/start it/);

    relay = await openRelay();
    const ended = await Promise.all([engine.waitForEnd(first.id), engine.waitForEnd(second.id)]);
    expect(ended.map((execution) => execution.state)).toEqual(['succeeded', 'succeeded']);
    expect(ended.map((execution) => execution.stateCause)).toEqual([null, null]);
    expect(engine.logs.read(first.id).map((line) => line.text)).toEqual(['ran']);
    expect(engine.runnerStatus().available).toBe(true);
  });
});

describe('Docker settings that cannot be used', () => {
  it('opens the engine, and the runner says which setting is wrong', async () => {
    const saved = { ...process.env };
    // dockerode reads the certificates when its client is made: a folder without them fails.
    Object.assign(process.env, {
      DOCKER_HOST: 'tcp://127.0.0.1:2376',
      DOCKER_TLS_VERIFY: '1',
      DOCKER_CERT_PATH: tempDir('kleinkram-no-certs-'),
    });
    const misconfigured = openTestEngine();
    try {
      const mission = await addMission(misconfigured);
      misconfigured.templates.create(shellTemplate('stuck', 'true'), 'test');
      const queued = misconfigured.launch({ template: 'stuck', mission: mission.id });
      misconfigured.startRunner();
      await expect
        .poll(() => misconfigured.executions.get(queued.id).stateCause, { timeout: 10_000 })
        .toMatch(/Docker settings in the environment cannot be used .*ca\.pem.*DOCKER_CERT_PATH/);
      expect(misconfigured.executions.get(queued.id).state).toBe('queued');
      expect(misconfigured.runnerStatus().available).toBe(false);
    } finally {
      await misconfigured.close();
      process.env = saved;
    }
  });
});
