// A store with something of everything in it: a project, a mission with files, a template
// with two versions, executions (one ended, one queued), log lines, an artifact whose file
// exists and audit events. No container runs: rows are written as the runner would.
import fs from 'node:fs';
import path from 'node:path';

import type { Engine } from '../../main/core/engine.js';
import { executionDirs } from '../../main/core/paths.js';
import { addMission, shellTemplate, tempDir } from '../helpers/engine.js';

export async function fillStore(engine: Engine) {
  const folder = tempDir('kleinkram-mission-');
  fs.writeFileSync(path.join(folder, 'run.bag'), 'not really a bag');
  fs.writeFileSync(path.join(folder, 'notes.txt'), 'hello');
  const mission = await addMission(engine, folder);
  engine.templates.create(shellTemplate('hello', 'echo hello'), 'test');
  engine.templates.edit('hello', { description: 'says hello' }, 'test');

  const ended = engine.launch({ template: 'hello', mission: mission.id });
  engine.cancel(ended.id);
  engine.logs.append(ended.id, 0, [
    { stream: 'stdout', time: 1, text: 'one', cut: false },
    { stream: 'stderr', time: 2, text: 'two', cut: false },
  ]);
  const out = executionDirs(engine.layout, ended.id).out;
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'a.txt'), 'artifact\n');
  engine.artifacts.record(ended.id, {
    files: [{ path: 'a.txt', size: 9, sha256: 'f'.repeat(64) }],
    skipped: [],
  });
  const queued = engine.launch({ template: 'hello', mission: mission.id });
  return { mission, ended: engine.executions.get(ended.id), queued };
}
