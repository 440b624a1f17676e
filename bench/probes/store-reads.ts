// Probe behind the change to benchmark 6's reads: where a read of the large store spends its
// time once the code is warm. SQLite's own work is a fraction of it; building JavaScript
// objects is the rest. The engine now reads its columns as arrays (.raw()) and builds each
// object once; the other lines show the forms it used before (objects per row, SELECT *).
// Usage: node --import tsx bench/probes/store-reads.ts   (after a run of benchmark 6)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import Database from 'better-sqlite3';

import { Engine } from '../../main/core/engine.js';
import type { StoreFixture } from '../store-fixture.js';

const cached = fs
  .readdirSync(os.tmpdir())
  .map((entry) => path.join(os.tmpdir(), entry, 'fixture.json'))
  .find((file) => file.includes('kleinkram-bench-store-') && fs.existsSync(file));
if (!cached) throw new Error('no cached store: run `npm run bench -- --only 6` first');
const fixture = JSON.parse(fs.readFileSync(cached, 'utf8')) as StoreFixture;

function best(label: string, work: () => unknown, times = 300): void {
  let fastest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    work();
    fastest = Math.min(fastest, performance.now() - start);
  }
  process.stdout.write(`${label.padEnd(52)} ${fastest.toFixed(3).padStart(8)} ms\n`);
}

const engine = Engine.open({ dataDir: fixture.dataDir, pullImages: false });
const db = new Database(fixture.database, { readonly: true });
const { executionId, middleSeq } = fixture;
try {
  const opened: Engine[] = [];
  best(
    'open: Engine.open (warm code)',
    () => opened.push(Engine.open({ dataDir: fixture.dataDir })),
    30,
  );
  for (const other of opened) await other.close();

  best('list: executions.list({ limit: 100 }) (.raw())', () =>
    engine.executions.list({ limit: 100 }),
  );
  // The statement ExecutionStore.list ran before, with every column named by SQLite.
  const list = db.prepare(
    'SELECT e.*, v.name AS template_name, m.name AS mission_name, m.project_id, ' +
      'p.name AS project_name FROM executions e JOIN template_versions v ON ' +
      'v.template_id = e.template_id AND v.version = e.template_version JOIN missions m ON ' +
      'm.id = e.mission_id JOIN projects p ON p.id = m.project_id ORDER BY e.number DESC LIMIT ?',
  );
  best('list: the same statement, .all() only', () => list.all(100));
  best('list: the same statement, .raw().all()', () => list.raw(true).all(100));

  const read = { afterSeq: middleSeq, limit: 1000 };
  best('page: logs.read (five columns, .raw())', () => engine.logs.read(executionId, read));
  const where = 'FROM log_lines WHERE execution_id = ? AND seq > ? ORDER BY seq LIMIT ?';
  const all = db.prepare(`SELECT * ${where}`);
  best('page: SELECT *, .all() only', () => all.all(executionId, middleSeq, 1000));
  const five = db.prepare(`SELECT seq, stream, time, text, cut ${where}`);
  best('page: five columns, .all()', () => five.all(executionId, middleSeq, 1000));
  best('page: five columns, .raw().all()', () => five.raw(true).all(executionId, middleSeq, 1000));
  const count = db.prepare(`SELECT COUNT(*) FROM (SELECT seq ${where})`).pluck();
  best("page: SQLite's part alone (COUNT of the page)", () =>
    count.get(executionId, middleSeq, 1000),
  );
} finally {
  db.close();
  await engine.close();
}
