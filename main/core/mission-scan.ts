// Walks a mission folder into its files: relative path, size, modification time. Links are not
// followed: a mission is what lies in its folder, and a link could point anywhere.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import type { MissionFileKind } from '../shared/domain.js';

export interface ScannedFile {
  path: string;
  size: number;
  mtimeMs: number;
}

export interface FolderScan {
  files: ScannedFile[];
  /** Entries that are not regular files or folders (links, sockets), or unreadable folders. */
  skipped: Array<{ path: string; reason: string }>;
  /**
   * Sockets, by path. A read-only mount does not stop a program from connecting to one, so an
   * action could talk to whatever listens behind it (the Docker daemon, say).
   */
  sockets: string[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A name as text, or null when its bytes are not UTF-8 (the store and the UI need text). */
export function nameAsText(name: Buffer): string | null {
  const text = name.toString('utf8');
  // Only a name with a replacement character can be broken; it may also be a real one.
  if (!text.includes('\uFFFD')) return text;
  try {
    return utf8.decode(name);
  } catch {
    return null;
  }
}

export async function scanFolder(root: string): Promise<FolderScan> {
  const files: ScannedFile[] = [];
  const skipped: FolderScan['skipped'] = [];
  const sockets: string[] = [];
  const pending: string[] = [''];
  while (pending.length > 0) {
    const relativeDir = pending.pop()!;
    let entries: fs.Dirent<Buffer>[];
    try {
      // Names as bytes: one that is not UTF-8 would come back as text that names nothing.
      entries = await fs.promises.readdir(path.join(root, relativeDir), {
        withFileTypes: true,
        encoding: 'buffer',
      });
    } catch (error) {
      // The top folder must be readable; a subfolder that is not is reported, not fatal.
      if (relativeDir === '') throw error;
      skipped.push({ path: relativeDir, reason: `unreadable: ${(error as Error).message}` });
      continue;
    }
    for (const entry of entries) {
      const name = nameAsText(entry.name);
      if (name === null) {
        const shown = `${relativeDir ? `${relativeDir}/` : ''}${entry.name.toString('latin1')}`;
        skipped.push({ path: shown, reason: 'its name is not UTF-8 text (actions still see it)' });
        // Not listed, but still mounted: what lies below it is looked at for sockets.
        const below = entry.isDirectory()
          ? await firstSocketIn(
              Buffer.concat([Buffer.from(`${path.join(root, relativeDir)}/`), entry.name]),
            )
          : null;
        if (entry.isSocket() || below !== null) {
          sockets.push(below === null ? shown : `${shown}/${below}`);
        }
        continue;
      }
      const relative = relativeDir ? `${relativeDir}/${name}` : name;
      if (entry.isDirectory()) {
        pending.push(relative);
      } else if (entry.isFile()) {
        // A folder still being synced loses and gains files while it is walked. The stat is
        // synchronous: one awaited stat per file made a 10,000-file scan five times slower.
        const stat = lstatOrNull(path.join(root, relative));
        if (stat)
          files.push({ path: relative, size: stat.size, mtimeMs: Math.floor(stat.mtimeMs) });
      } else if (entry.isSocket()) {
        sockets.push(relative);
        skipped.push({ path: relative, reason: 'a socket' });
      } else {
        const reason = entry.isSymbolicLink() ? 'a link, not followed' : 'not a regular file';
        skipped.push({ path: relative, reason });
      }
    }
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, skipped: skipped.sort((a, b) => (a.path < b.path ? -1 : 1)), sockets };
}

/**
 * The first socket in a folder (its path below the folder, for messages), or null: the check
 * before another mission of the project is mounted. Only names and types are read (no stat
 * per file), names as bytes so that none is passed over, and unreadable folders are skipped,
 * as they are for the mount itself.
 */
export async function firstSocketIn(root: string | Buffer): Promise<string | null> {
  const top = Buffer.from(root);
  const pending: Buffer[] = [top];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    const entries = await fs.promises
      .readdir(dir, { withFileTypes: true, encoding: 'buffer' })
      .catch(() => []);
    for (const entry of entries) {
      const entryPath = Buffer.concat([dir, Buffer.from('/'), entry.name]);
      if (entry.isSocket()) return entryPath.subarray(top.length + 1).toString('utf8');
      if (entry.isDirectory()) pending.push(entryPath);
    }
  }
  return null;
}

function lstatOrNull(file: string): fs.Stats | null {
  try {
    return fs.lstatSync(file);
  } catch {
    return null;
  }
}

export function fileKind(relativePath: string): MissionFileKind {
  const extension = path.extname(relativePath).toLowerCase();
  if (extension === '.bag') return 'bag';
  if (extension === '.mcap') return 'mcap';
  if (extension === '.db3') return 'db3';
  return 'other';
}

// Hashing reads synchronously into one shared buffer. Each read is hashed before anything else
// can run, so concurrent hashes may share the buffer; a turn is given to the event loop every
// few milliseconds so that logs, requests and the UI keep flowing. Streams with a fresh buffer
// per file spent a third of their time collecting garbage, and an awaited read per chunk made
// small files several times slower than sha256sum. The price: a read from a disk that stalls
// (a network mount going away) holds the event loop while it stalls.
const HASH_CHUNK_BYTES = 256 * 1024;
const HASH_SLICE_MS = 5;
const hashBuffer = Buffer.allocUnsafe(HASH_CHUNK_BYTES);
let sliceStartedAt = performance.now();

async function yieldIfSliceUsed(): Promise<void> {
  if (performance.now() - sliceStartedAt < HASH_SLICE_MS) return;
  await new Promise<void>((resolve) => setImmediate(resolve));
  sliceStartedAt = performance.now();
}

export async function sha256File(file: string): Promise<string> {
  await yieldIfSliceUsed();
  const hash = createHash('sha256');
  // O_NOFOLLOW: hash the file itself, never what a link put in its place points to.
  // O_NONBLOCK: a FIFO put in its place must not stall the opening thread, which is the main
  // one; it is refused below. (Regular files ignore the flag.)
  const fd = fs.openSync(
    file,
    fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK,
  );
  try {
    if (!fs.fstatSync(fd).isFile()) {
      throw Object.assign(new Error(`not a regular file: ${file}`), { code: 'EINVAL' });
    }
    for (;;) {
      const read = fs.readSync(fd, hashBuffer, 0, HASH_CHUNK_BYTES, null);
      if (read === 0) break;
      hash.update(hashBuffer.subarray(0, read));
      await yieldIfSliceUsed();
    }
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}
