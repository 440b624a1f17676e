// Free space of the data directory's disk: checked against a reserve before a start, and
// after an exit to tell a full disk from an action's own error.
import fs from 'node:fs';

import prettyBytes from 'pretty-bytes';

/** Below this, the disk is taken to have filled up during the run. */
export const DISK_FULL_BYTES = 4 * 1024 * 1024;
/** Executions wait while less than this is free (configurable per engine). */
export const DEFAULT_DISK_RESERVE_BYTES = 512 * 1024 * 1024;

export async function freeBytes(folder: string): Promise<number | null> {
  try {
    const stats = await fs.promises.statfs(folder);
    return stats.bavail * stats.bsize;
  } catch {
    // A file system that cannot say is not refused for it.
    return null;
  }
}

export function isDiskFull(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === 'ENOSPC' || code === 'SQLITE_FULL' || code === 'EDQUOT';
}

export const formatBytes = (value: number) => prettyBytes(value, { binary: true });
