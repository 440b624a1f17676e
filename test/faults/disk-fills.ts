// The disk of the data directory fills. A small tmpfs is the data directory: below the
// reserve, executions wait and say why; an action that fills it while writing artifacts is
// failed with that cause, its partial files are removed, and no row names a missing file.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { Engine } from '../../main/core/engine.js';
import { executionDirs } from '../../main/core/paths.js';
import { addMission, shellTemplate, tempDir } from '../helpers/engine.js';
import { Checks, type FaultRow } from './report.js';
import { sleep, texts } from './support.js';

const MIB = 1024 * 1024;

export async function diskFills(): Promise<FaultRow> {
  if (process.getuid?.() !== 0) {
    return {
      fault: 'disk fills',
      executions: 0,
      expected: 'needs root to mount a small tmpfs',
      happened: 'skipped: not root',
      linesLost: 0,
      artifactsLost: 0,
      ok: true,
    };
  }
  const dataDir = tempDir('kleinkram-fault-disk-');
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=48m', 'tmpfs', dataDir]);
  try {
    return await scenario(dataDir);
  } finally {
    execFileSync('umount', ['-l', dataDir]);
  }
}

async function scenario(dataDir: string): Promise<FaultRow> {
  const checks = new Checks();
  const cautious = Engine.open({ dataDir, diskReserveBytes: 100 * MIB });
  const mission = await addMission(cautious, tempDir('kleinkram-fault-disk-mission-'));
  cautious.templates.create(
    shellTemplate(
      'filler',
      'echo start; head -c 100000000 /dev/zero > /out/big.bin; echo "head exited $?"; ' +
        'echo small > /out/small.txt; echo end',
      { memory: '64MiB' },
    ),
    'faults',
  );
  cautious.templates.create(shellTemplate('tiny', 'echo fine > /out/fine.txt'), 'faults');
  const filler = cautious.launch({ template: 'filler', mission: mission.id });
  cautious.startRunner();
  await sleep(2000);
  const waiting = cautious.executions.get(filler.id);
  checks.expect(waiting.state === 'queued', `below the reserve it is ${waiting.state}`);
  checks.expect(/below the reserve/.test(waiting.stateCause ?? ''), `cause: ${waiting.stateCause}`);
  await cautious.close();

  const engine = Engine.open({ dataDir, diskReserveBytes: 8 * MIB });
  engine.startRunner();
  const ended = await engine.waitForEnd(filler.id);
  const out = executionDirs(engine.layout, filler.id).out;
  const files = fs.readdirSync(out);
  const rows = engine.artifacts.list(filler.id, { includeDeleted: true });
  const missingRows = rows.filter((row) => !fs.existsSync(path.join(out, row.path)));
  checks.expect(ended.state === 'failed', `the filler is ${ended.state}`);
  checks.expect(/filled up/.test(ended.stateCause ?? ''), `cause: ${ended.stateCause}`);
  checks.expect(files.length === 0, `partial files left: ${files.join(', ')}`);
  checks.expect(missingRows.length === 0, `rows without files: ${missingRows.length}`);
  const lines = texts(engine, filler.id);
  const expectedLines = ['start', 'end'];
  const linesLost = expectedLines.filter((line) => !lines.includes(line)).length;
  const deletions = engine.audit.list(filler.id).filter((e) => e.operation === 'artifact.deleted');
  checks.expect(deletions.length > 0, 'no audit event for the removed partial files');

  // With the space back, the engine goes on.
  const after = await engine.waitForEnd(
    engine.launch({ template: 'tiny', mission: mission.id }).id,
  );
  checks.expect(after.state === 'succeeded', `the next action is ${after.state}`);
  const artifactsLost = engine.artifacts.list(after.id).length === 1 ? 0 : 1;
  await engine.close();
  return {
    fault: 'disk fills (48 MiB tmpfs)',
    executions: 2,
    expected:
      'waits below the reserve; filled while writing: failed, partial files removed, no rows',
    happened: checks.summary(
      `waited ("${(waiting.stateCause ?? '').slice(0, 40)}…"), then failed: disk filled up; ` +
        `${deletions.length} partial files removed, 0 rows; next action succeeded`,
    ),
    linesLost,
    artifactsLost,
    ok: checks.ok,
  };
}
