// Artifacts: the files an action wrote to /out. /out is bind-mounted from the execution's own
// folder in the data directory, so collecting means walking that folder once the container
// has exited: never through a link (a container must not make the app read /etc/passwd),
// recording size and sha256, and auditing each file.
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

import type { Artifact } from '../shared/domain.js';
import type { AuditLog, AuditRecord } from './audit.js';
import { AppError, errorMessage } from './errors.js';
import { createLogger } from './logger.js';
import { nameAsText, sha256File } from './mission-scan.js';
import { makeFolders } from './paths.js';
import type { Db } from './store/database.js';

const log = createLogger('artifacts');

export const DAY_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_RETENTION_DAYS = 90;

interface ArtifactRow {
  id: number;
  execution_id: string;
  path: string;
  size: number;
  sha256: string;
  created_at: number;
  expires_at: number;
  deleted_at: number | null;
}

const toArtifact = (row: ArtifactRow): Artifact => ({
  id: row.id,
  executionId: row.execution_id,
  path: row.path,
  size: row.size,
  sha256: row.sha256,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  deletedAt: row.deleted_at,
});

export interface CollectedFile {
  path: string;
  size: number;
  sha256: string;
  /** The name the action gave it, when that was not UTF-8 text and it was renamed. */
  renamedFrom?: string;
}

export interface Collection {
  files: CollectedFile[];
  /** Entries that were not collected, with why; they are removed from the folder. */
  skipped: Array<{ path: string; reason: string }>;
}

/** Walks an /out folder without following links. */
export async function walkOutFolder(outDir: string): Promise<Collection> {
  const files: CollectedFile[] = [];
  const skipped: Collection['skipped'] = [];
  const pending: string[] = [''];
  while (pending.length > 0) {
    const relativeDir = pending.pop()!;
    const dir = path.join(outDir, relativeDir);
    // Names as bytes: one that is not UTF-8 would come back as text that names nothing.
    const entries = await fs.promises.readdir(dir, { withFileTypes: true, encoding: 'buffer' });
    for (const entry of entries) {
      let name = nameAsText(entry.name);
      let renamedFrom: string | undefined;
      if (name === null) {
        // Artifacts are named by text (store, downloads, zips): the file gets a name that is,
        // rather than being lost. Invalid bytes become U+FFFD, numbered if that name is taken.
        renamedFrom = entry.name.toString('latin1');
        name = await renameToText(dir, entry.name);
      }
      const relative = relativeDir ? `${relativeDir}/${name}` : name;
      const absolute = path.join(outDir, relative);
      if (entry.isDirectory()) {
        pending.push(relative);
      } else if (entry.isFile()) {
        const stat = await fs.promises.lstat(absolute);
        const sha256 = await sha256File(absolute);
        files.push({
          path: relative,
          size: stat.size,
          sha256,
          ...(renamedFrom && { renamedFrom }),
        });
      } else {
        const reason = entry.isSymbolicLink()
          ? `a link to ${await fs.promises.readlink(absolute).catch(() => '?')}, not followed`
          : 'not a regular file';
        skipped.push({ path: relative, reason });
        // Removing the link (not its target) keeps the artifact folder to real files only.
        await fs.promises.unlink(absolute).catch(() => undefined);
      }
    }
  }
  files.sort((a, b) => (a.path < b.path ? -1 : 1));
  return { files, skipped };
}

/** Whether anything (a file, a folder, a link) is at a path; a file above it means no. */
function entryExists(entry: string): boolean {
  try {
    return fs.lstatSync(entry, { throwIfNoEntry: false }) !== undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return false;
    throw error;
  }
}

async function renameToText(dir: string, name: Buffer): Promise<string> {
  const base = name.toString('utf8');
  for (let attempt = 1; ; attempt++) {
    const candidate = attempt === 1 ? base : `${base} (${attempt})`;
    if (fs.existsSync(path.join(dir, candidate))) continue;
    await fs.promises.rename(
      Buffer.concat([Buffer.from(`${dir}/`), name]),
      path.join(dir, candidate),
    );
    return candidate;
  }
}

export class ArtifactService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly retentionDays: number,
    private readonly outDirOf: (executionId: string) => string,
  ) {}

  /**
   * Records a collection and its audit events in one transaction. Recording the same
   * collection again (a reconciliation after a crash) adds nothing twice.
   */
  record(executionId: string, collection: Collection, now = Date.now()): Artifact[] {
    const expires = now + this.retentionDays * DAY_MS;
    const insert = this.db.prepare(
      'INSERT INTO artifacts (execution_id, path, size, sha256, created_at, expires_at) ' +
        'VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (execution_id, path) DO NOTHING',
    );
    this.db.transaction(() => {
      const events: AuditRecord[] = [];
      for (const file of collection.files) {
        const added = insert.run(executionId, file.path, file.size, file.sha256, now, expires);
        if (added.changes === 0) continue;
        events.push({
          operation: 'artifact.written',
          path: file.path,
          bytes: file.size,
          detail:
            `sha256 ${file.sha256}` +
            (file.renamedFrom === undefined
              ? ''
              : `; renamed: the action named it "${file.renamedFrom}" (bytes as Latin-1), ` +
                'which is not UTF-8 text'),
        });
      }
      for (const entry of collection.skipped) {
        events.push({ operation: 'artifact.skipped', path: entry.path, detail: entry.reason });
      }
      this.audit.record(executionId, events, now);
    })();
    for (const entry of collection.skipped) {
      log.warn(`execution ${executionId}: /out/${entry.path} skipped: ${entry.reason}`);
    }
    return this.list(executionId);
  }

  list(executionId: string, options: { includeDeleted?: boolean } = {}): Artifact[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM artifacts WHERE execution_id = ?
         ${options.includeDeleted ? '' : 'AND deleted_at IS NULL'} ORDER BY path`,
      )
      .all(executionId) as ArtifactRow[];
    return rows.map(toArtifact);
  }

  /** The file of an artifact on disk, checked to be a regular file of the execution's folder. */
  async file(
    executionId: string,
    artifactPath: string,
  ): Promise<{ artifact: Artifact; file: string }> {
    const artifact = this.list(executionId).find((candidate) => candidate.path === artifactPath);
    if (!artifact) {
      throw new AppError(
        'not_found',
        `execution ${executionId} has no artifact "${artifactPath}"`,
        undefined,
        'the artifact list of the execution shows what it has (kleinkram-actions artifact list)',
      );
    }
    const file = path.join(this.outDirOf(executionId), artifact.path);
    const stat = await fs.promises.lstat(file).catch(() => null);
    if (!stat?.isFile()) {
      throw new AppError(
        'not_found',
        `the file of artifact ${artifact.path} is missing from ${file}`,
      );
    }
    return { artifact, file };
  }

  /**
   * Opens an artifact for a download (browser, save dialog) and audits it. The caller pipes
   * the stream wherever the person asked.
   */
  async openForDownload(executionId: string, artifactPath: string, via: string) {
    const { artifact, file } = await this.file(executionId, artifactPath);
    const handle = await fs.promises.open(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
    this.audit.record(executionId, [
      { operation: 'artifact.exported', path: artifact.path, bytes: artifact.size, detail: via },
    ]);
    return { artifact, stream: handle.createReadStream() };
  }

  /**
   * Copies artifacts into a folder (keeping their relative paths) and audits each copy.
   * Without paths, every artifact of the execution is exported. Nothing is overwritten: a
   * file (or a link) already at a target refuses the export before anything is copied.
   */
  async export(executionId: string, destination: string, paths?: string[]) {
    if (destination.trim() === '') {
      throw new AppError('invalid_input', 'give a folder to export the artifacts into');
    }
    // Each artifact once, however often it was named; all found before anything is written.
    const chosen = [...new Set(paths ?? this.list(executionId).map((artifact) => artifact.path))];
    const sources = [];
    for (const artifactPath of chosen) {
      const { artifact, file } = await this.file(executionId, artifactPath);
      const target = path.join(destination, artifact.path);
      if (entryExists(target)) {
        throw new AppError(
          'conflict',
          `${target} exists already: nothing was exported, and nothing is overwritten`,
          undefined,
          'export into an empty folder, or move the existing files away first',
        );
      }
      sources.push({ artifact, file, target });
    }
    const exported: Array<{ path: string; to: string; bytes: number }> = [];
    for (const { artifact, file, target } of sources) {
      let written: fs.promises.FileHandle;
      try {
        makeFolders(path.dirname(target));
        // wx: created here or refused; a link put in its place meanwhile is not followed.
        written = await fs.promises.open(target, 'wx');
      } catch (error) {
        throw new AppError(
          'io_error',
          `cannot export into ${destination}: ${errorMessage(error)}`,
          undefined,
          'give a folder you can write to',
        );
      }
      const source = await fs.promises.open(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
      try {
        await pipeline(source.createReadStream(), written.createWriteStream());
      } catch (error) {
        await fs.promises.rm(target, { force: true });
        throw new AppError(
          'io_error',
          `could not export ${artifact.path} to ${target}: ${errorMessage(error)}`,
        );
      }
      this.audit.record(executionId, [
        {
          operation: 'artifact.exported',
          path: artifact.path,
          bytes: artifact.size,
          detail: `to ${target}`,
        },
      ]);
      exported.push({ path: artifact.path, to: target, bytes: artifact.size });
    }
    log.info(`execution ${executionId}: exported ${exported.length} artifacts to ${destination}`);
    return exported;
  }

  /**
   * Deletes expired artifacts: the file first, then the row is marked deleted with its audit
   * event. A crash in between leaves a row whose file is gone, which the next sweep finishes;
   * so the sweep is safe to run twice.
   */
  async sweep(now = Date.now()): Promise<{ deleted: number; bytes: number }> {
    const expired = this.db
      .prepare('SELECT * FROM artifacts WHERE deleted_at IS NULL AND expires_at <= ? ORDER BY id')
      .all(now) as ArtifactRow[];
    let bytes = 0;
    for (const row of expired) {
      const file = path.join(this.outDirOf(row.execution_id), row.path);
      try {
        await fs.promises.unlink(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
          log.warn(`retention: could not delete ${file}: ${errorMessage(error)}`);
          continue;
        }
      }
      this.db.transaction(() => {
        const changed = this.db
          .prepare('UPDATE artifacts SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL')
          .run(now, row.id).changes;
        if (changed === 1) {
          this.audit.record(
            row.execution_id,
            [
              {
                operation: 'artifact.deleted',
                path: row.path,
                bytes: row.size,
                detail: 'retention: expired',
              },
            ],
            now,
          );
        }
      })();
      bytes += row.size;
    }
    if (expired.length > 0)
      log.info(`retention: deleted ${expired.length} artifacts, ${bytes} bytes`);
    return { deleted: expired.length, bytes };
  }
}
