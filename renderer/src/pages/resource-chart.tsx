// What an execution used: its peak memory, average CPU, and a small chart of both over time,
// drawn from the samples the engine took from Docker's stats while it ran.
import type { ReactElement } from 'react';

import type { ResourceSample } from '../../../main/shared/domain.js';
import { formatBytes, formatDuration } from '../lib/format.js';
import { useExecutionStore } from '../stores/execution-store.js';

const WIDTH = 320;
const HEIGHT = 60;

/** The points of one series as an SVG polyline, scaled into the chart's box. */
function polyline(
  samples: ResourceSample[],
  value: (sample: ResourceSample) => number,
  top: number,
) {
  const lastAt = samples[samples.length - 1]![0] || 1;
  return samples
    .map((sample) => {
      const x = (sample[0] / lastAt) * WIDTH;
      const y = HEIGHT - (value(sample) / (top || 1)) * HEIGHT;
      return `${x.toFixed(1)},${Math.max(0, y).toFixed(1)}`;
    })
    .join(' ');
}

export function ResourceChart(): ReactElement | null {
  const resources = useExecutionStore((state) => state.resources);
  if (!resources || resources.sampleCount === 0) return null;
  const { samples, peakMemoryBytes, averageCpuPercent } = resources;
  const cpuTop = Math.max(100, ...samples.map((sample) => sample[1]));
  const span = samples.length > 1 ? samples[samples.length - 1]![0] : 0;
  return (
    <section className="resource-chart" aria-labelledby="resources-title">
      <h2 id="resources-title">Resources</h2>
      <dl className="resource-figures">
        <div>
          <dt>Peak memory</dt>
          <dd className="resource-memory">{formatBytes(peakMemoryBytes)}</dd>
        </div>
        <div>
          <dt>Average CPU</dt>
          <dd className="resource-cpu">{averageCpuPercent}% of a core</dd>
        </div>
      </dl>
      {samples.length > 1 ? (
        <figure>
          <svg
            viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
            width={WIDTH}
            height={HEIGHT}
            role="img"
            aria-label={`memory and CPU over ${formatDuration(span)}`}
          >
            <polyline
              className="series-memory"
              points={polyline(samples, (s) => s[2], peakMemoryBytes)}
            />
            <polyline className="series-cpu" points={polyline(samples, (s) => s[1], cpuTop)} />
          </svg>
          <figcaption>
            <span className="legend-memory">memory</span> and{' '}
            <span className="legend-cpu">CPU</span> over {formatDuration(span)},{' '}
            {resources.sampleCount} samples
          </figcaption>
        </figure>
      ) : null}
    </section>
  );
}
