// Artifacts: what /out holds after the exit, collected without ever reading through a link,
// exported with an audit event, and deleted by the retention sweep once expired.
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DAY_MS } from '../../main/core/artifacts.js';
import { executionDirs } from '../../main/core/paths.js';
import {
  addMission,
  openTestEngine,
  readStore,
  shellTemplate,
  tempDir,
} from '../helpers/engine.js';

const engine = openTestEngine({ retentionDays: 90 });
let missionId: string;

beforeAll(async () => {
  missionId = (await addMission(engine)).id;
  engine.startRunner();
});
afterAll(() => engine.close());

async function run(name: string, script: string) {
  engine.templates.create(shellTemplate(name, script), 'test');
  return engine.waitForEnd(engine.launch({ template: name, mission: missionId }).id);
}

describe('artifacts', () => {
  it('collects nothing through links to /etc/passwd, to a missing file or to a folder', async () => {
    const ended = await run(
      'links',
      [
        'mkdir -p /out/nested',
        'echo real > /out/nested/real.txt',
        'ln -s /etc/passwd /out/passwd',
        'ln -s /nowhere/at/all /out/dangling',
        'ln -s /etc /out/etc-folder',
        'ln -s /etc/passwd /out/nested/deeper-passwd',
        'mkfifo /out/pipe',
      ].join(' && '),
    );
    expect(ended.state).toBe('succeeded');
    const artifacts = engine.artifacts.list(ended.id);
    expect(artifacts.map((a) => [a.path, a.size])).toEqual([['nested/real.txt', 5]]);

    const skipped = engine.audit
      .list(ended.id)
      .filter((event) => event.operation === 'artifact.skipped')
      .map((event) => event.path)
      .sort();
    expect(skipped).toEqual(['dangling', 'etc-folder', 'nested/deeper-passwd', 'passwd', 'pipe']);

    // The links are gone from the stored folder; nothing of /etc was copied into it.
    const out = executionDirs(engine.layout, ended.id).out;
    const stored = fs.readdirSync(out, { recursive: true }).map(String).sort();
    expect(stored).toEqual(['nested', 'nested/real.txt']);
    const passwd = fs.readFileSync('/etc/passwd', 'utf8');
    for (const file of stored) {
      const full = path.join(out, file);
      if (fs.lstatSync(full).isFile()) expect(fs.readFileSync(full, 'utf8')).not.toBe(passwd);
    }
  });

  it('records size and sha256, belongs to the user, and expires after the retention', async () => {
    const ended = await run('hashes', 'printf abc > /out/abc.txt');
    const [artifact] = engine.artifacts.list(ended.id);
    expect(artifact).toMatchObject({
      path: 'abc.txt',
      size: 3,
      sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    });
    expect(artifact!.expiresAt - artifact!.createdAt).toBe(90 * DAY_MS);
    const file = path.join(executionDirs(engine.layout, ended.id).out, 'abc.txt');
    expect(fs.statSync(file).uid).toBe(process.getuid!());
  });

  it('keeps a file whose name is not UTF-8, renamed, and says so in the audit log', async () => {
    const ended = await run(
      'bad-names',
      `printf ok > /out/good.txt; printf data > "$(printf '/out/bad\\377name')"`,
    );
    expect(ended.state).toBe('succeeded');
    const artifacts = engine.artifacts.list(ended.id);
    expect(artifacts.map((a) => a.path)).toEqual(['bad\uFFFDname', 'good.txt']);
    const renamed = engine.audit
      .list(ended.id)
      .find((event) => event.operation === 'artifact.written' && event.path === 'bad\uFFFDname');
    expect(renamed?.detail).toContain('renamed: the action named it "bad\u00FFname"');
    const out = executionDirs(engine.layout, ended.id).out;
    expect(fs.readFileSync(path.join(out, 'bad\uFFFDname'), 'utf8')).toBe('data');
  });

  it('exports artifacts into a folder and audits each copy', async () => {
    const ended = await run('export-me', 'mkdir /out/d && echo one > /out/d/one.txt');
    const target = tempDir('kleinkram-export-');
    const exported = await engine.artifacts.export(ended.id, target);
    expect(exported.map((item) => item.path)).toEqual(['d/one.txt']);
    expect(fs.readFileSync(path.join(target, 'd/one.txt'), 'utf8')).toBe('one\n');
    const audit = engine.audit.list(ended.id).map((event) => event.operation);
    expect(audit).toContain('artifact.exported');
    await expect(engine.artifacts.export(ended.id, target, ['nope.txt'])).rejects.toMatchObject({
      code: 'not_found',
    });
    // Places no folder can be made in are refused at once with the reason (Node's own
    // recursive mkdir never returns under /proc).
    const before = engine.audit.list(ended.id).length;
    for (const nowhere of ['/proc/kleinkram-nowhere', path.join(target, 'd/one.txt/below')]) {
      await expect(engine.artifacts.export(ended.id, nowhere)).rejects.toMatchObject({
        code: 'io_error',
        message: expect.stringContaining(`cannot export into ${nowhere}`),
      });
    }
    expect(engine.audit.list(ended.id)).toHaveLength(before);

    // Nothing is overwritten, and nothing is written through a link at the destination.
    fs.writeFileSync(path.join(target, 'd/one.txt'), 'mine');
    await expect(engine.artifacts.export(ended.id, target)).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('exists already: nothing was exported'),
    });
    expect(fs.readFileSync(path.join(target, 'd/one.txt'), 'utf8')).toBe('mine');
    const linked = tempDir('kleinkram-export-');
    const victim = path.join(tempDir('kleinkram-victim-'), 'victim.txt');
    fs.mkdirSync(path.join(linked, 'd'));
    fs.symlinkSync(victim, path.join(linked, 'd/one.txt'));
    await expect(engine.artifacts.export(ended.id, linked)).rejects.toMatchObject({
      code: 'conflict',
    });
    expect(fs.existsSync(victim)).toBe(false);
    await expect(engine.artifacts.export(ended.id, ' ')).rejects.toMatchObject({
      code: 'invalid_input',
    });
    expect(engine.audit.list(ended.id)).toHaveLength(before);
  });

  it('the retention sweep deletes expired artifacts, file then row, and is safe twice', async () => {
    const ended = await run('expiring', 'echo 1 > /out/one.txt; echo 2 > /out/two.txt');
    const out = executionDirs(engine.layout, ended.id).out;
    const all = engine.artifacts.list(ended.id);
    const later = Math.max(...all.map((a) => a.expiresAt)) + 1;

    // Not yet expired (nothing of this engine expires before its first artifact): nothing goes.
    const store = readStore(engine);
    const earliest = store.prepare('SELECT MIN(expires_at) FROM artifacts').pluck().get() as number;
    store.close();
    expect((await engine.sweepArtifacts(earliest - 1)).deleted).toBe(0);

    // A crash between the file and the row leaves a row whose file is gone: still swept.
    fs.unlinkSync(path.join(out, 'one.txt'));
    const swept = await engine.sweepArtifacts(later);
    expect(swept.deleted).toBeGreaterThanOrEqual(2);
    expect(engine.artifacts.list(ended.id)).toEqual([]);
    expect(fs.existsSync(path.join(out, 'two.txt'))).toBe(false);
    const deletedRows = engine.artifacts.list(ended.id, { includeDeleted: true });
    expect(deletedRows.every((row) => row.deletedAt === later)).toBe(true);

    expect((await engine.sweepArtifacts(later)).deleted).toBe(0);
    const deletions = engine.audit
      .list(ended.id)
      .filter((event) => event.operation === 'artifact.deleted');
    expect(deletions.map((event) => event.path).sort()).toEqual(['one.txt', 'two.txt']);
  });
});
