// The machine a run measured, as BENCHMARKS.md states it next to the figures.
import fs from 'node:fs';
import os from 'node:os';

import { run } from './measure.js';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  kernel: string;
  docker: string;
  node: string;
  sqlite: string;
  date: string;
}

function cpuModel(): string {
  const info = fs.existsSync('/proc/cpuinfo') ? fs.readFileSync('/proc/cpuinfo', 'utf8') : '';
  return /^model name\s*:\s*(.+)$/m.exec(info)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
}

async function quiet(argv: string[]): Promise<string> {
  try {
    return (await run(argv)).trim();
  } catch {
    return 'not available';
  }
}

export async function describeMachine(): Promise<Machine> {
  const docker = await quiet([
    'docker',
    'info',
    '--format',
    '{{.ServerVersion}} ({{.Driver}} storage, {{.CgroupDriver}} cgroups v{{.CgroupVersion}})',
  ]);
  const sqlite = (await quiet(['sqlite3', '--version'])).split(' ')[0] ?? 'not available';
  return {
    cpu: cpuModel(),
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    kernel: `${os.type()} ${os.release()}`,
    docker,
    node: process.version,
    sqlite,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  };
}

export function machineLine(machine: Machine): string {
  return (
    `${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB memory; ${machine.kernel}; ` +
    `Docker ${machine.docker}; Node ${machine.node}; sqlite3 ${machine.sqlite}`
  );
}
