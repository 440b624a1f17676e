// Probe behind LogStore.append's statement: how much CPU storing 1,000,000 log lines costs in
// the batches the log writer hands over (one transaction each), one row per INSERT against
// many rows per INSERT. Usage: node --import tsx bench/probes/log-inserts.ts [lines] [batch]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Engine } from '../../main/core/engine.js';
import type { NewLogLine } from '../../main/core/logs.js';

const total = Number(process.argv[2] ?? 1_000_000);
const batchSize = Number(process.argv[3] ?? 2_000);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kleinkram-probe-logs-'));
const engine = Engine.open({ dataDir, pullImages: false });
try {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'kleinkram-probe-mission-'));
  engine.projects.create('probe');
  const { mission } = await engine.missions.add('probe', folder, 'm');
  engine.templates.create(
    {
      name: 'p',
      image: 'x:1',
      command: ['true'],
      cpuCores: 1,
      memory: '64MiB',
      maxRuntimeSeconds: 60,
    },
    'probe',
  );
  const batch: NewLogLine[] = Array.from({ length: batchSize }, (_, i) => ({
    stream: 'stdout',
    time: Date.now(),
    text: `line ${String(i).padStart(8, '0')} ${'x'.repeat(24)}`,
    cut: false,
  }));
  for (let round = 0; round < 3; round++) {
    const execution = engine.launch({ template: 'p', mission: mission.id });
    const cpu = process.cpuUsage();
    const start = performance.now();
    let seq = 0;
    while (seq < total) {
      seq = engine.logs.append(execution.id, seq, batch).at(-1)!.seq;
    }
    const used = process.cpuUsage(cpu);
    const seconds = (performance.now() - start) / 1000;
    const cpuSeconds = (used.user + used.system) / 1e6;
    process.stdout.write(
      `${total} lines in batches of ${batchSize}: ${seconds.toFixed(2)} s, ` +
        `${cpuSeconds.toFixed(2)} s CPU, ${engine.logs.count(execution.id)} stored\n`,
    );
  }
  fs.rmSync(folder, { recursive: true });
} finally {
  await engine.close();
  fs.rmSync(dataDir, { recursive: true });
}
