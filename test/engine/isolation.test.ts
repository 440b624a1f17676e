// The container an execution gets, seen from inside it and from Docker: no capabilities, no
// new privileges, no network, the host user's uid, the mission read-only, the Kleinkram
// variables, the project's other missions, and the app's labels.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { LABEL_APP, LABEL_EXECUTION } from '../../main/core/runner/container-spec.js';
import { addMission, openTestEngine, shellTemplate, tempDir } from '../helpers/engine.js';

const engine = openTestEngine();
afterAll(() => engine.close());
beforeAll(() => engine.startRunner());

const PROBE = [
  'echo "uid=$(id -u):$(id -g)"',
  'grep -E "^(CapEff|NoNewPrivs)" /proc/self/status',
  'echo "nets=$(ls /sys/class/net | tr "\\n" " ")"',
  'if touch /data/intruder 2>/dev/null; then echo data=writable; else echo data=read-only; fi',
  'echo "seen=$(cat /data/seen.txt)"',
  'echo "other=$(cat /project/neighbour/theirs.txt)"',
  'env | grep ^KLEINKRAM_ | sort',
  'echo "custom=$GREETING"',
  'touch /tmp_disk/scratch && echo scratch=ok',
  'echo "memory=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max)"',
].join('; ');

describe('isolation of an execution', () => {
  it('runs as configured, and Docker sees the limits and labels', async () => {
    const folder = tempDir('kleinkram-mission-');
    fs.writeFileSync(path.join(folder, 'seen.txt'), 'mine');
    const mission = await addMission(engine, folder);
    const neighbourFolder = tempDir('kleinkram-neighbour-');
    fs.writeFileSync(path.join(neighbourFolder, 'theirs.txt'), 'theirs');
    await engine.missions.add('lab', neighbourFolder, 'neighbour');

    engine.templates.create(
      shellTemplate('probe', `${PROBE}; sleep 2`, {
        environment: { GREETING: 'hello' },
        memory: '96MiB',
        cpuCores: 0.5,
      }),
      'test',
    );
    const launched = engine.launch({ template: 'probe', mission: mission.id });

    // While it runs, Docker shows it with the app's labels and the template's limits.
    let inspected = null;
    for (let i = 0; i < 100 && !inspected; i++) {
      const [found] = await engine.docker.listContainers({
        filters: { label: [`${LABEL_EXECUTION}=${launched.id}`] },
      });
      if (found) inspected = await engine.docker.getContainer(found.Id).inspect();
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(inspected, 'the container never showed up').not.toBeNull();
    expect(inspected!.Config.Labels[LABEL_APP]).toBe('true');
    expect(inspected!.HostConfig.Memory).toBe(96 * 2 ** 20);
    expect(inspected!.HostConfig.MemorySwap).toBe(96 * 2 ** 20);
    expect(inspected!.HostConfig.NanoCpus).toBe(5e8);
    expect(inspected!.HostConfig.PidsLimit).toBeGreaterThan(0);
    expect(inspected!.HostConfig.CapDrop).toEqual(['ALL']);
    expect(inspected!.HostConfig.SecurityOpt).toEqual(['no-new-privileges']);
    expect(inspected!.HostConfig.NetworkMode).toBe('none');
    expect(inspected!.HostConfig.AutoRemove).toBe(false);

    const ended = await engine.waitForEnd(launched.id);
    expect(ended.state).toBe('succeeded');
    const out = Object.fromEntries(
      engine.logs.read(ended.id).map((line) => line.text.split(/[=:]\s*/, 2) as [string, string]),
    );
    const user = os.userInfo();
    expect(engine.logs.read(ended.id).map((l) => l.text)).toContain(`uid=${user.uid}:${user.gid}`);
    expect(out.CapEff).toBe('0000000000000000');
    expect(out.NoNewPrivs).toBe('1');
    expect(out.nets!.trim()).toBe('lo');
    expect(out.data).toBe('read-only');
    expect(out.seen).toBe('mine');
    expect(out.other).toBe('theirs');
    expect(out.KLEINKRAM_ACTION_UUID).toBe(ended.id);
    expect(out.KLEINKRAM_MISSION_UUID).toBe(mission.id);
    expect(out.KLEINKRAM_PROJECT_UUID).toBe(mission.projectId);
    expect(out.custom).toBe('hello');
    expect(out.scratch).toBe('ok');
    expect(Number(out.memory)).toBe(96 * 2 ** 20);
    expect(fs.existsSync(path.join(folder, 'intruder'))).toBe(false);
  });
});

/** A program listening on a unix socket in a folder, until the test closes it. */
async function listenIn(folder: string, name: string): Promise<net.Server> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(path.join(folder, name), resolve));
  return server;
}

describe('sockets in a mission folder', () => {
  it('a socket that appears after registration keeps the folder from being mounted', async () => {
    const mission = await addMission(engine);
    engine.templates.create(shellTemplate('socket-probe', 'ls -l /data'), 'test');
    // A program starts listening inside the folder after it was registered.
    const server = await listenIn(mission.folder, 'x.sock');
    try {
      const execution = engine.launch({ template: 'socket-probe', mission: mission.id });
      const ended = await engine.waitForEnd(execution.id);
      expect(ended.state).toBe('unprocessable');
      expect(ended.stateCause).toMatch(/holds a socket \(x\.sock\)/);
      expect(ended.containerId).toBeNull();
    } finally {
      server.close();
    }
  });

  it('another mission of the project that gains a socket is withheld, not mounted', async () => {
    const launched = await addMission(engine);
    const sibling = await addMission(engine);
    engine.templates.create(shellTemplate('project-probe', 'ls /project'), 'test');
    const server = await listenIn(sibling.folder, 'y.sock');
    try {
      const execution = engine.launch({ template: 'project-probe', mission: launched.id });
      const ended = await engine.waitForEnd(execution.id);
      expect(ended.state).toBe('succeeded');
      const listed = engine.logs.read(ended.id).map((line) => line.text);
      expect(listed).not.toContain(sibling.name);
      expect(listed.length).toBeGreaterThan(0);
      const withheld = engine.audit
        .list(ended.id)
        .filter((event) => event.operation === 'input.withheld');
      expect(withheld).toMatchObject([
        {
          path: `/project/${sibling.name}`,
          detail: 'not mounted: its folder holds a socket (y.sock)',
        },
      ]);
    } finally {
      server.close();
    }
  });
});
