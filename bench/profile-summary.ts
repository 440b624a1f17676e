// Reads the V8 CPU profiles that `--cpu-prof` leaves behind and says where the engine's time
// went: the busiest functions by self time, and the same time grouped by module, so that a
// missed goal comes with the place to change.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT_URL = pathToFileURL(
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..') + path.sep,
).href;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a function lives, in few words: a package name, a source file of ours, or V8. */
function moduleOf(url: string): string {
  if (url === '') return '(V8 and native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return url;
  if (url.startsWith(ROOT_URL)) return url.slice(ROOT_URL.length);
  return path.basename(url);
}

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  functions: Array<{ name: string; ms: number }>;
  modules: Array<{ name: string; ms: number }>;
}

export function summarizeProfiles(files: string[], top = 12): ProfileSummary {
  const byFunction = new Map<string, number>();
  const byModule = new Map<string, number>();
  let totalMs = 0;
  let idleMs = 0;
  for (const file of files) {
    const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
    const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
    profile.samples.forEach((id, index) => {
      const ms = (profile.timeDeltas[index] ?? 0) / 1000;
      const frame = nodes.get(id)?.callFrame;
      if (!frame) return;
      totalMs += ms;
      if (frame.functionName === '(idle)') {
        idleMs += ms;
        return;
      }
      const where = moduleOf(frame.url);
      const name = `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`;
      byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
      byModule.set(where, (byModule.get(where) ?? 0) + ms);
    });
  }
  const ranked = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => ({ name, ms: ms / files.length }));
  return {
    totalMs: totalMs / files.length,
    idleMs: idleMs / files.length,
    functions: ranked(byFunction),
    modules: ranked(byModule),
  };
}

export function formatSummary(label: string, summary: ProfileSummary): string {
  const busy = summary.totalMs - summary.idleMs;
  const lines = [
    `profile of ${label} (per process, averaged): ${busy.toFixed(0)} ms on the CPU, ` +
      `${summary.idleMs.toFixed(0)} ms idle (waiting for Docker or the disk)`,
    '  by module:',
    ...summary.modules.map((entry) => `    ${entry.ms.toFixed(0).padStart(7)} ms  ${entry.name}`),
    '  by function (self time):',
    ...summary.functions.map((entry) => `    ${entry.ms.toFixed(0).padStart(7)} ms  ${entry.name}`),
  ];
  return lines.join('\n');
}
