// Resource usage sampled from Docker's stats while an action runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { MAX_SAMPLES } from '../../main/core/runner/resource-sampler.js';
import { addMission, openTestEngine, shellTemplate } from '../helpers/engine.js';

const engine = openTestEngine();
beforeAll(() => engine.startRunner());
afterAll(() => engine.close());

describe('resource usage', () => {
  it('stores the peak memory, the average CPU and a bounded series of samples', async () => {
    const mission = await addMission(engine);
    // Holds about 80 MiB for a few seconds while one core spins.
    const script =
      `perl -e '$x = "a" x (80 * 1024 * 1024); my $end = time + 4; ` +
      `while (time < $end) { $y++ } print length($x), "\\n"'`;
    engine.templates.create(shellTemplate('busy', script, { memory: '256MiB' }), 'test');
    const ended = await engine.waitForEnd(
      engine.launch({ template: 'busy', mission: mission.id }).id,
    );
    expect(ended.state).toBe('succeeded');
    const usage = engine.resourceUsage(ended.id)!;
    expect(usage.sampleCount).toBeGreaterThanOrEqual(2);
    expect(usage.peakMemoryBytes).toBeGreaterThan(80 * 1024 * 1024);
    expect(usage.peakMemoryBytes).toBeLessThan(256 * 1024 * 1024);
    // The spinning core shows in the samples; how much of it depends on what else the machine
    // runs, so the bound is loose.
    expect(usage.averageCpuPercent).toBeGreaterThan(5);
    expect(Math.max(...usage.samples.map(([, cpu]) => cpu))).toBeGreaterThan(10);
    expect(usage.samples.length).toBeLessThanOrEqual(MAX_SAMPLES);
    expect(usage.samples.every(([at, cpu, memory]) => at >= 0 && cpu >= 0 && memory >= 0)).toBe(
      true,
    );
  });
});
