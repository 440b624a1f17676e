// Every refused request says what is wrong and changes no row of the store.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Engine } from '../../main/core/engine.js';
import {
  addMission,
  openTestEngine,
  readStore,
  shellTemplate,
  snapshotStore,
  tempDir,
} from '../helpers/engine.js';

const engine = openTestEngine();
let missionId: string;
let endedId: string;

beforeAll(async () => {
  missionId = (await addMission(engine)).id;
  engine.templates.create(shellTemplate('good', 'echo ok'), 'test');
  engine.startRunner();
  endedId = (await engine.waitForEnd(engine.launch({ template: 'good', mission: missionId }).id))
    .id;
  await engine.stopRunner();
});
afterAll(() => engine.close());

async function expectRefused(request: (engine: Engine) => unknown, code: string, message: RegExp) {
  const before = snapshotStore(engine);
  let caught: unknown;
  try {
    await request(engine);
  } catch (error) {
    caught = error;
  }
  expect(caught, 'the request was not refused').toBeDefined();
  expect(caught).toMatchObject({ code });
  expect((caught as Error).message).toMatch(message);
  expect(snapshotStore(engine)).toEqual(before);
}

describe('refused requests change nothing', () => {
  it('a data folder that cannot be made', () => {
    expect(() => openTestEngine({ dataDir: '/proc/kleinkram-nowhere/data' })).toThrow(
      /cannot use \/proc\/kleinkram-nowhere\/data as the data folder/,
    );
    expect(fs.existsSync('/proc/kleinkram-nowhere')).toBe(false);
  });

  it('a bad template', () =>
    expectRefused(
      (e) => e.templates.create({ ...shellTemplate('bad', 'true'), memory: 'lots' }, 't'),
      'invalid_input',
      /memory/,
    ));

  it('a template whose name is taken', () =>
    expectRefused(
      (e) => e.templates.create(shellTemplate('good', 'true'), 't'),
      'conflict',
      /exists/,
    ));

  it('an edit with a bad field', () =>
    expectRefused((e) => e.templates.edit('good', { cpuCores: -2 }, 't'), 'invalid_input', /CPU/));

  it('a restore of a version that does not exist', () =>
    expectRefused((e) => e.templates.restore('good', 7, 't'), 'not_found', /no version 7/));

  it('a launch on an unknown mission', () =>
    expectRefused(
      (e) => e.launch({ template: 'good', mission: 'lab/nowhere' }),
      'not_found',
      /no mission/,
    ));

  it('a launch of an unknown template', () =>
    expectRefused(
      (e) => e.launch({ template: 'nope', mission: missionId }),
      'not_found',
      /no template/,
    ));

  it('a launch with access rights that are not supported yet', async () => {
    engine.templates.create(shellTemplate('writer', 'true', { accessRights: 'write' }), 't');
    await expectRefused(
      (e) => e.launch({ template: 'writer', mission: missionId }),
      'not_supported',
      /not yet supported/,
    );
  });

  it('a mission on a path that does not exist', () =>
    expectRefused((e) => e.missions.add('lab', '/no/such/folder'), 'not_found', /cannot be read/));

  it('a mission on a file instead of a folder', () => {
    const file = path.join(tempDir(), 'file.bag');
    fs.writeFileSync(file, 'x');
    return expectRefused((e) => e.missions.add('lab', file), 'invalid_input', /not a folder/);
  });

  it('a mission on the whole file system, a system folder, or the data folder', async () => {
    await expectRefused((e) => e.missions.add('lab', '/'), 'invalid_input', /whole file system/);
    await expectRefused((e) => e.missions.add('lab', '/run'), 'invalid_input', /system folder/);
    await expectRefused((e) => e.missions.add('lab', '/etc'), 'invalid_input', /system folder/);
    const inData = path.join(engine.layout.root, 'executions');
    await expectRefused((e) => e.missions.add('lab', inData), 'invalid_input', /own data folder/);
    const aboveData = path.dirname(engine.layout.root);
    await expectRefused((e) => e.missions.add('lab', aboveData), 'invalid_input', /data folder/);
  });

  it('a mission on a folder that holds a socket', async () => {
    const folder = tempDir('kleinkram-socket-mission-');
    fs.writeFileSync(path.join(folder, 'a.bag'), 'a');
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(path.join(folder, 'daemon.sock'), resolve));
    try {
      await expectRefused(
        (e) => e.missions.add('lab', folder, 'with-socket'),
        'invalid_input',
        /holds a socket \(daemon\.sock\): a read-only mount does not stop an action/,
      );
    } finally {
      server.close();
    }
  });

  it('a mission whose socket lies in a folder with a name that is not UTF-8', async () => {
    const folder = tempDir('kleinkram-socket-mission-');
    fs.mkdirSync(path.join(folder, 'plain'));
    const server = net.createServer();
    await new Promise<void>((resolve) =>
      server.listen(path.join(folder, 'plain', 'deep.sock'), resolve),
    );
    // Node listens only on paths given as text: the folder gets its byte name afterwards.
    fs.renameSync(path.join(folder, 'plain'), Buffer.from(`${folder}/odd\xff`, 'latin1'));
    try {
      await expectRefused(
        (e) => e.missions.add('lab', folder, 'hidden-socket'),
        'invalid_input',
        /holds a socket \(odd\u00FF\/deep\.sock\)/,
      );
    } finally {
      server.close();
    }
  });

  it('a mission on a missing folder in a project that would be new makes no project', () =>
    expectRefused(
      (e) => e.missions.add('brand-new', '/no/such/folder', undefined, { createProject: true }),
      'not_found',
      /cannot be read/,
    ));

  it('a mission in an unknown project', () =>
    expectRefused((e) => e.missions.add('no-project', tempDir()), 'not_found', /no project/));

  it('a project with an invalid name', () =>
    expectRefused((e) => e.projects.create('../etc'), 'invalid_input', /not a valid project name/));

  it('a cancel of an execution that has ended', () =>
    expectRefused((e) => e.cancel(endedId), 'conflict', /ended already/));

  it('a removal of a mission that actions ran on', () =>
    expectRefused((e) => e.missions.remove(missionId), 'conflict', /has 1 execution,/));

  it('a lookup of an unknown execution', () =>
    expectRefused((e) => e.executions.resolve('#999'), 'not_found', /no execution/));

  it('a template with executions is archived, not deleted, and cannot be launched', async () => {
    expect(engine.templates.remove('good')).toBe('archived');
    expect(engine.templates.versions(engine.executions.get(endedId).templateId)).toHaveLength(1);
    await expectRefused(
      (e) => e.launch({ template: engine.executions.get(endedId).templateId, mission: missionId }),
      'invalid_input',
      /archived/,
    );
  });
});

describe('moving a mission', () => {
  it('points the mission at its new folder and rescans it there', async () => {
    const old = tempDir('kleinkram-old-');
    fs.writeFileSync(path.join(old, 'a.bag'), 'a');
    const mission = (await engine.missions.add('lab', old, 'moving')).mission;
    const moved = tempDir('kleinkram-new-');
    fs.writeFileSync(path.join(moved, 'a.bag'), 'a');
    fs.writeFileSync(path.join(moved, 'b.bag'), 'bb');
    const result = await engine.missions.move(mission.id, moved);
    expect(result.mission.folder).toBe(moved);
    expect(result.mission.fileCount).toBe(2);
    expect(engine.missions.files(mission.id).map((file) => file.path)).toEqual(['a.bag', 'b.bag']);
  });
});

describe('removing a mission', () => {
  it('forgets a mission no action ran on and its files, not its folder', async () => {
    const folder = tempDir('kleinkram-gone-');
    fs.writeFileSync(path.join(folder, 'a.bag'), 'a');
    const mission = (await engine.missions.add('lab', folder, 'unused')).mission;
    expect(engine.missions.remove(mission.id).name).toBe('unused');
    expect(() => engine.missions.get(mission.id)).toThrow(/no mission/);
    const db = readStore(engine);
    try {
      const rows = db.prepare('SELECT COUNT(*) FROM mission_files WHERE mission_id = ?');
      expect(rows.pluck().get(mission.id)).toBe(0);
    } finally {
      db.close();
    }
    expect(fs.readdirSync(folder)).toEqual(['a.bag']);
    // The name is free again.
    expect((await engine.missions.add('lab', folder, 'unused')).mission.fileCount).toBe(1);
  });
});

describe('registering a mission with odd entries', () => {
  it('reports a file whose name is not UTF-8 as skipped, not silently', async () => {
    const folder = tempDir('kleinkram-odd-names-');
    fs.writeFileSync(path.join(folder, 'good.bag'), 'a');
    fs.writeFileSync(Buffer.from(`${folder}/bad\xffname.bag`, 'latin1'), 'b');
    const result = await engine.missions.add('lab', folder, 'odd-names');
    expect(result.mission.fileCount).toBe(1);
    expect(result.skipped).toEqual([
      'bad\u00FFname.bag: its name is not UTF-8 text (actions still see it)',
    ]);
  });
});
