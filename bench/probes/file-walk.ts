// Probe behind the recommendations for benchmarks 4 and 5: the engine's folder walk and file
// hash (main/core/mission-scan.ts) next to the cheaper ways of doing the same work in Node.
// Usage: node --import tsx bench/probes/file-walk.ts [files] [KiB per file]
import { execSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { scanFolder, sha256File } from '../../main/core/mission-scan.js';
import { generateMission } from '../mission-fixture.js';

const files = Number(process.argv[2] ?? 10_000);
const kib = Number(process.argv[3] ?? 1);

async function best(label: string, work: () => unknown, times = 3): Promise<void> {
  let fastest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await work();
    fastest = Math.min(fastest, performance.now() - start);
  }
  process.stdout.write(`${label.padEnd(58)} ${fastest.toFixed(0).padStart(7)} ms\n`);
}

/** The walk with one synchronous lstat per file: no thread-pool round trip per file. */
function walkSync(root: string) {
  const found: Array<{ path: string; size: number; mtimeMs: number }> = [];
  const pending = [''];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const relative = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) pending.push(relative);
      else if (entry.isFile()) {
        const stat = fs.lstatSync(path.join(root, relative));
        found.push({ path: relative, size: stat.size, mtimeMs: Math.floor(stat.mtimeMs) });
      }
    }
  }
  return found;
}

/** sha256 through one buffer that is reused for every read of every file. */
async function hashInto(file: string, buffer: Buffer): Promise<string> {
  const hash = createHash('sha256');
  const handle = await fs.promises.open(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

/** Synchronous reads, giving the event loop a turn every few milliseconds. */
async function hashAllSync(paths: string[]): Promise<void> {
  const buffer = Buffer.allocUnsafe(1024 * 1024);
  let turn = performance.now();
  for (const file of paths) {
    const hash = createHash('sha256');
    const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
    try {
      for (let n = fs.readSync(fd, buffer); n > 0; n = fs.readSync(fd, buffer)) {
        hash.update(buffer.subarray(0, n));
      }
    } finally {
      fs.closeSync(fd);
    }
    hash.digest('hex');
    if (performance.now() - turn > 5) {
      await new Promise((resolve) => setImmediate(resolve));
      turn = performance.now();
    }
  }
}

async function hashAll(paths: string[], parallel: number): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: parallel }, async () => {
    const buffer = Buffer.allocUnsafe(1024 * 1024);
    while (next < paths.length) await hashInto(paths[next++]!, buffer);
  });
  await Promise.all(lanes);
}

const root = generateMission(os.tmpdir(), files, kib * 1024, () => undefined);
try {
  const paths = walkSync(root).map((file) => path.join(root, file.path));
  process.stdout.write(`${files} files of ${kib} KiB, best of 3\n`);
  await best('walk: scanFolder (engine: await lstat per file)', () => scanFolder(root));
  await best('walk: readdirSync + lstatSync', () => walkSync(root));
  await best('hash: sha256File (engine: a read stream per file)', async () => {
    for (const file of paths) await sha256File(file);
  });
  await best('hash: one reused 1 MiB buffer, one file at a time', () => hashAll(paths, 1));
  await best('hash: a reused buffer per lane, 4 files at a time', () => hashAll(paths, 4));
  await best('hash: synchronous reads, a turn for the loop every 5 ms', () => hashAllSync(paths));
  await best('walk: find -printf (the baseline)', () =>
    execSync(`find '${root}' -type f -printf '%P %s %T@\\n' > /dev/null`),
  );
  await best('hash: find | xargs sha256sum (the baseline)', () =>
    execSync(`cd '${root}' && find . -type f -print0 | xargs -0 sha256sum > /dev/null`),
  );
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}
