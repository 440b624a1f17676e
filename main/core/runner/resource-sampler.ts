// Samples an execution's CPU and memory from Docker's stats stream while it runs: the peak
// memory, the average CPU, and a series kept to at most MAX_SAMPLES points by merging
// neighbours, so an overnight run stores a small chart, not one row per second.
import type Docker from 'dockerode';

import type { ResourceSample, ResourceUsage } from '../../shared/domain.js';

import type { Db } from '../store/database.js';
import { createLogger } from '../logger.js';
import { errorMessage } from '../errors.js';

const log = createLogger('resources');

export const MAX_SAMPLES = 120;

interface DockerStats {
  read: string;
  cpu_stats?: {
    cpu_usage?: { total_usage?: number; percpu_usage?: number[] };
    system_cpu_usage?: number;
    online_cpus?: number;
  };
  precpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number };
  memory_stats?: { usage?: number; stats?: Record<string, number> };
}

/** Memory as `docker stats` shows it: usage less the page cache that can be dropped. */
function memoryOf(stats: DockerStats): number {
  const usage = stats.memory_stats?.usage ?? 0;
  const detail = stats.memory_stats?.stats ?? {};
  const cache = detail.total_inactive_file ?? detail.inactive_file ?? detail.cache ?? 0;
  return Math.max(0, usage - cache);
}

/** CPU as a percentage of one core, like `docker stats`. */
function cpuOf(stats: DockerStats): number {
  const total = stats.cpu_stats?.cpu_usage?.total_usage ?? 0;
  const previous = stats.precpu_stats?.cpu_usage?.total_usage ?? 0;
  const system = stats.cpu_stats?.system_cpu_usage ?? 0;
  const previousSystem = stats.precpu_stats?.system_cpu_usage ?? 0;
  const cpus =
    stats.cpu_stats?.online_cpus ?? stats.cpu_stats?.cpu_usage?.percpu_usage?.length ?? 1;
  const cpuDelta = total - previous;
  const systemDelta = system - previousSystem;
  if (cpuDelta <= 0 || systemDelta <= 0) return 0;
  return (cpuDelta / systemDelta) * cpus * 100;
}

export class ResourceSampler {
  private peak = 0;
  private cpuSum = 0;
  private count = 0;
  private samples: ResourceSample[] = [];
  private stream: NodeJS.ReadableStream | null = null;

  constructor(private readonly startedAt: number) {}

  async start(container: Docker.Container): Promise<void> {
    try {
      const stream = (await container.stats({ stream: true })) as unknown as NodeJS.ReadableStream;
      this.stream = stream;
      let buffer = '';
      stream.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        let newline = buffer.indexOf('\n');
        while (newline !== -1) {
          const line = buffer.slice(0, newline).trim();
          buffer = buffer.slice(newline + 1);
          if (line) this.take(JSON.parse(line) as DockerStats);
          newline = buffer.indexOf('\n');
        }
      });
      stream.on('error', () => undefined);
    } catch (error) {
      // Usage is a nice-to-have: an execution never fails because stats are unavailable.
      log.warn(`no resource samples: ${errorMessage(error)}`);
    }
  }

  stop(): void {
    (this.stream as unknown as { destroy?: () => void } | null)?.destroy?.();
    this.stream = null;
  }

  private take(stats: DockerStats): void {
    const memory = memoryOf(stats);
    // The first sample of a stream has no previous reading to compare the CPU with.
    if (!stats.precpu_stats?.system_cpu_usage && memory === 0) return;
    const cpu = cpuOf(stats);
    this.peak = Math.max(this.peak, memory);
    this.cpuSum += cpu;
    this.count += 1;
    const at = Math.max(0, (Date.parse(stats.read) || Date.now()) - this.startedAt);
    this.samples.push([at, Math.round(cpu * 10) / 10, memory]);
    if (this.samples.length > MAX_SAMPLES) this.samples = halve(this.samples);
  }

  usage(): ResourceUsage {
    return {
      peakMemoryBytes: this.peak,
      averageCpuPercent: this.count > 0 ? Math.round((this.cpuSum / this.count) * 10) / 10 : 0,
      sampleCount: this.count,
      samples: this.samples,
    };
  }
}

/** Merges neighbouring samples: the time of the first, the mean CPU, the higher memory. */
function halve(samples: ResourceSample[]): ResourceSample[] {
  const out: ResourceSample[] = [];
  for (let i = 0; i < samples.length; i += 2) {
    const a = samples[i]!;
    const b = samples[i + 1];
    out.push(b ? [a[0], Math.round(((a[1] + b[1]) / 2) * 10) / 10, Math.max(a[2], b[2])] : a);
  }
  return out;
}

export function saveUsage(db: Db, executionId: string, usage: ResourceUsage): void {
  db.prepare(
    `INSERT INTO execution_resources
       (execution_id, peak_memory_bytes, average_cpu_percent, sample_count, samples)
     VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (execution_id) DO UPDATE SET
       peak_memory_bytes = MAX(peak_memory_bytes, excluded.peak_memory_bytes),
       average_cpu_percent = excluded.average_cpu_percent,
       sample_count = sample_count + excluded.sample_count,
       samples = excluded.samples`,
  ).run(
    executionId,
    usage.peakMemoryBytes,
    usage.averageCpuPercent,
    usage.sampleCount,
    JSON.stringify(usage.samples),
  );
}

export function loadUsage(db: Db, executionId: string): ResourceUsage | null {
  const row = db
    .prepare('SELECT * FROM execution_resources WHERE execution_id = ?')
    .get(executionId) as
    | {
        peak_memory_bytes: number;
        average_cpu_percent: number;
        sample_count: number;
        samples: string;
      }
    | undefined;
  if (!row) return null;
  return {
    peakMemoryBytes: row.peak_memory_bytes,
    averageCpuPercent: row.average_cpu_percent,
    sampleCount: row.sample_count,
    samples: JSON.parse(row.samples) as ResourceSample[],
  };
}
