// The fault suite: causes each fault for real (kill the engine, restart dockerd, fill a small
// file system, probe the container's walls) and prints one table. Exits non-zero when any
// row did not hold. Run it alone: it restarts the machine's Docker daemon.
//   npm run faults                 # all of them
//   npm run faults -- kill disk    # only these (kill, docker, disk, isolation, wal)
import { diskFills } from './disk-fills.js';
import { dockerRestarts } from './docker-restarts.js';
import { engineKilled } from './engine-killed.js';
import { isolationProbes } from './isolation-probes.js';
import { printTable, type FaultRow } from './report.js';
import { walBounded } from './wal-bounded.js';

const SCENARIOS: Record<string, () => Promise<FaultRow>> = {
  kill: engineKilled,
  docker: dockerRestarts,
  disk: diskFills,
  isolation: isolationProbes,
  wal: walBounded,
};

const chosen = process.argv.slice(2);
const rows: FaultRow[] = [];
for (const [name, scenario] of Object.entries(SCENARIOS)) {
  if (chosen.length > 0 && !chosen.includes(name)) continue;
  const started = Date.now();
  console.log(`fault: ${name} ...`);
  try {
    rows.push(await scenario());
  } catch (error) {
    rows.push({
      fault: name,
      executions: 0,
      expected: 'the scenario runs to its end',
      happened: `FAILED: ${(error as Error).stack ?? String(error)}`,
      linesLost: 0,
      artifactsLost: 0,
      ok: false,
    });
  }
  console.log(`fault: ${name} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
printTable(rows);
const failed = rows.filter((row) => !row.ok).length;
console.log(`faults: ${rows.length - failed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
