// Probe behind the recommendation for benchmark 3: how fast the engine's own decoder and log
// writer can store a flood of lines when fed from `logs?follow=1` (what the runner does) and
// from `attach` opened before `start`. Same image, same action, same store code; only the
// transport differs.
// Usage: node --import tsx bench/probes/log-transport.ts [lines] [follow|attach ...]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';

import { Engine } from '../../main/core/engine.js';
import { LogDecoder } from '../../main/core/runner/log-decoder.js';
import { LogWriter } from '../../main/core/runner/log-writer.js';

const IMAGE = 'kleinkram-bench/busybox:1';
const lines = Number(process.argv[2] ?? 1_000_000);
const modes = process.argv.slice(3).length > 0 ? process.argv.slice(3) : ['follow', 'attach'];
const program =
  `BEGIN { for (i = 1; i <= ${lines}; i++) ` +
  'printf "line %07d of the benchmark log stream\\n", i }';

async function trial(mode: string): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kleinkram-probe-data-'));
  const missionDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kleinkram-probe-mission-'));
  const engine = Engine.open({ dataDir, pullImages: false });
  try {
    engine.projects.create('probe');
    await engine.missions.add('probe', missionDir, 'mission');
    engine.templates.create(
      {
        name: 'probe',
        image: IMAGE,
        command: ['true'],
        cpuCores: 1,
        memory: '1GiB',
        maxRuntimeSeconds: 600,
      },
      'probe',
    );
    // An execution row to store lines against; the runner is never started.
    const execution = engine.launch({ template: 'probe', mission: 'probe/mission' });
    const container = await engine.docker.createContainer({
      Image: IMAGE,
      Cmd: ['awk', program],
      HostConfig: { NetworkMode: 'none', LogConfig: { Type: 'json-file', Config: {} } },
    });
    const writer = new LogWriter(engine.logs, engine.events, execution.id);
    const decoder = new LogDecoder((line) => writer.push(line));
    const sink = (name: 'stdout' | 'stderr') =>
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          decoder.push(name, chunk);
          done();
        },
      });

    const cpu = process.cpuUsage();
    const start = performance.now();
    let stream: NodeJS.ReadableStream;
    if (mode === 'attach') {
      const options = { stream: true, stdout: true, stderr: true };
      stream = (await container.attach(options)) as unknown as NodeJS.ReadableStream;
      await container.start();
    } else {
      await container.start();
      const options = { follow: true, stdout: true, stderr: true } as const;
      stream = (await container.logs(options)) as unknown as NodeJS.ReadableStream;
    }
    engine.docker.modem.demuxStream(stream, sink('stdout'), sink('stderr'));
    await new Promise((resolve) => {
      stream.on('end', resolve);
      stream.on('close', resolve);
    });
    decoder.end();
    writer.flush();
    const ms = performance.now() - start;
    const used = process.cpuUsage(cpu);
    const state = (await container.inspect()).State;
    await container.remove({ force: true });
    const life = Date.parse(state.FinishedAt) - Date.parse(state.StartedAt);
    process.stdout.write(
      `${mode.padEnd(7)} ${(ms / 1000).toFixed(1)} s to store ` +
        `${engine.logs.count(execution.id)} of ${lines} lines; container ran ` +
        `${(life / 1000).toFixed(1)} s; engine CPU ${((used.user + used.system) / 1e6).toFixed(1)} s\n`,
    );
  } finally {
    await engine.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(missionDir, { recursive: true, force: true });
  }
}

for (const mode of modes) await trial(mode);
