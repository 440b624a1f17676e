// A long log stream must not grow the store's write-ahead log without bound: it is
// checkpointed as the lines are written. The WAL's size is sampled while 300,000 lines stream.
import fs from 'node:fs';

import { addMission, openTestEngine, shellTemplate } from '../helpers/engine.js';
import { Checks, type FaultRow } from './report.js';

const LINES = 300_000;
const LIMIT = 64 * 1024 * 1024;

export async function walBounded(): Promise<FaultRow> {
  const engine = openTestEngine();
  const mission = await addMission(engine);
  engine.templates.create(
    shellTemplate('stream', `seq -f 'line %g of a long stream with some text' 1 ${LINES}`),
    'faults',
  );
  engine.startRunner();
  const wal = `${engine.layout.database}-wal`;
  let peak = 0;
  const sampler = setInterval(() => {
    try {
      peak = Math.max(peak, fs.statSync(wal).size);
    } catch {
      // No WAL file at this instant (right after a truncating checkpoint).
    }
  }, 20);
  const ended = await engine.waitForEnd(
    engine.launch({ template: 'stream', mission: mission.id }).id,
  );
  clearInterval(sampler);
  const stored = engine.logs.count(ended.id);
  const checks = new Checks();
  checks.expect(ended.state === 'succeeded', `the stream ended ${ended.state}`);
  checks.expect(stored === LINES, `${stored} of ${LINES} lines stored`);
  checks.expect(peak <= LIMIT, `WAL peaked at ${peak} bytes`);
  await engine.close();
  return {
    fault: 'long log stream (store)',
    executions: 1,
    expected: `all ${LINES.toLocaleString('en')} lines stored, WAL ≤ 64 MiB`,
    happened: checks.summary(
      `${stored.toLocaleString('en')} lines stored, WAL peaked at ${(peak / 1024 / 1024).toFixed(1)} MiB`,
    ),
    linesLost: LINES - stored,
    artifactsLost: 0,
    ok: checks.ok,
  };
}
