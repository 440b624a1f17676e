// The large mission of benchmark 5: a folder of recordings, 100 files to a sub-folder the way
// a logger splits a long run, each file different. Content comes from one random pool at
// shifting offsets: hashing cannot tell, and the pool is cheaper than fresh random bytes.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const PER_FOLDER = 100;
const EXTENSIONS = ['.bag', '.mcap', '.db3', '.log'];

export function generateMission(
  tmpDir: string,
  files: number,
  fileBytes: number,
  progress: (text: string) => void,
): string {
  const root = fs.mkdtempSync(path.join(tmpDir, 'kleinkram-bench-big-mission-'));
  const pool = randomBytes(fileBytes + 1024 * 1024);
  const started = performance.now();
  for (let i = 0; i < files; i++) {
    const folder = path.join(
      root,
      `segment-${String(Math.floor(i / PER_FOLDER)).padStart(4, '0')}`,
    );
    if (i % PER_FOLDER === 0) fs.mkdirSync(folder);
    const offset = (i * 4099) % (pool.length - fileBytes);
    const name = `chunk-${String(i).padStart(6, '0')}${EXTENSIONS[i % EXTENSIONS.length]}`;
    fs.writeFileSync(path.join(folder, name), pool.subarray(offset, offset + fileBytes));
    if ((i + 1) % 2000 === 0) progress(`  ${i + 1} of ${files} mission files written`);
  }
  progress(
    `  mission of ${files} files (${((files * fileBytes) / 1e9).toFixed(2)} GB) written in ` +
      `${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  return root;
}
