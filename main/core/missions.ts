// Missions: folders of recorded data inside a project. The folder is scanned into mission
// files; content hashes are computed only when asked for and cached by size and mtime.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import type { RescanResultDto } from '../shared/contract.js';
import type { Mission, MissionFile } from '../shared/domain.js';
import { AppError, errorMessage } from './errors.js';
import { createLogger } from './logger.js';
import {
  fileKind,
  scanFolder,
  sha256File,
  type FolderScan,
  type ScannedFile,
} from './mission-scan.js';
import { NAME_PATTERN, NAME_RULE, type ProjectService } from './projects.js';
import type { Db } from './store/database.js';

const log = createLogger('missions');
/** Hashes are committed every this many files, or this often, whichever comes first. */
const HASH_BATCH_FILES = 200;
const HASH_BATCH_MS = 1000;

interface MissionRow {
  id: string;
  project_id: string;
  project_name: string;
  name: string;
  folder: string;
  created_at: number;
  scanned_at: number | null;
  file_count: number;
  total_bytes: number;
}

interface MissionFileRow {
  path: string;
  size: number;
  mtime_ms: number;
  sha256: string | null;
  hashed_size: number | null;
  hashed_mtime_ms: number | null;
}

const toMission = (row: MissionRow): Mission => ({
  id: row.id,
  projectId: row.project_id,
  projectName: row.project_name,
  name: row.name,
  folder: row.folder,
  createdAt: row.created_at,
  scannedAt: row.scanned_at,
  fileCount: row.file_count,
  totalBytes: row.total_bytes,
});

const MISSION_SELECT = `
  SELECT m.*, p.name AS project_name,
    (SELECT COUNT(*) FROM mission_files f WHERE f.mission_id = m.id) AS file_count,
    (SELECT COALESCE(SUM(size), 0) FROM mission_files f WHERE f.mission_id = m.id) AS total_bytes
  FROM missions m JOIN projects p ON p.id = m.project_id`;

/** What a scan found; the contract's type, so the UI reads the same shape. */
export type RescanResult = RescanResultDto;

export class MissionService {
  constructor(
    private readonly db: Db,
    private readonly projects: ProjectService,
    /** The engine's data folder: a mission may neither lie in it nor hold it. */
    private readonly dataDir: string,
  ) {}

  /**
   * Registers a folder as a mission of a project and scans it. With `createProject`, a
   * project of that name is made in the same transaction, so a refused mission makes none.
   */
  async add(
    projectRef: string,
    folder: string,
    name?: string,
    options: { createProject?: boolean } = {},
  ): Promise<RescanResult> {
    const existing = this.projects.find(projectRef);
    if (!existing && options.createProject) this.projects.assertCreatable(projectRef);
    const project = existing ?? (options.createProject ? null : this.projects.resolve(projectRef));
    const absolute = path.resolve(folder);
    await assertFolder(absolute);
    assertMountable(absolute, this.dataDir);
    const missionName = name ?? path.basename(absolute);
    if (!NAME_PATTERN.test(missionName)) {
      throw new AppError(
        'invalid_input',
        `"${missionName}" is not a valid mission name: ${NAME_RULE} (give one with --name)`,
        { name: [NAME_RULE] },
      );
    }
    if (project && this.findIn(project.id, missionName)) {
      throw new AppError(
        'conflict',
        `project ${project.name} has a mission named "${missionName}" already: ` +
          'choose another name with --name',
        { name: ['this name is taken in the project'] },
      );
    }
    // Scan before inserting, so a folder that cannot be read leaves no half-made mission.
    const scan = await scanFolder(absolute);
    assertNoSockets(absolute, scan.sockets);
    const id = randomUUID();
    this.db.transaction(() => {
      const owner = project ?? this.projects.create(projectRef);
      this.db
        .prepare(
          'INSERT INTO missions (id, project_id, name, folder, created_at) VALUES (?, ?, ?, ?, ?)',
        )
        .run(id, owner.id, missionName, absolute, Date.now());
      this.applyScan(id, scan.files);
    })();
    log.info(`mission ${projectRef}/${missionName} added: ${scan.files.length} files`);
    return {
      mission: this.get(id),
      added: scan.files.length,
      changed: 0,
      removed: 0,
      unchanged: 0,
      skipped: scan.skipped.map((entry) => `${entry.path}: ${entry.reason}`),
    };
  }

  /** Points a mission at the folder it was moved to, and scans it there. */
  async move(missionId: string, folder: string): Promise<RescanResult> {
    const mission = this.get(missionId);
    const absolute = path.resolve(folder);
    await assertFolder(absolute);
    assertMountable(absolute, this.dataDir);
    // One scan serves both the check, before anything changes, and the rescan after the move.
    const scan = await scanFolder(absolute);
    assertNoSockets(absolute, scan.sockets);
    this.db.prepare('UPDATE missions SET folder = ? WHERE id = ?').run(absolute, mission.id);
    log.info(`mission ${mission.projectName}/${mission.name} moved to ${absolute}`);
    return (await this.rescanWithScan(mission.id, scan)).result;
  }

  /**
   * Forgets a mission: its row and its file list go, its folder is not touched. A mission that
   * executions ran on stays, because their records, logs, artifacts and audit trails name it.
   */
  remove(missionId: string): Mission {
    const mission = this.get(missionId);
    // IMMEDIATE: the count and the delete see the same store, even with another process
    // launching on this mission at the same moment.
    this.db
      .transaction(() => {
        const runs = this.db
          .prepare('SELECT COUNT(*) FROM executions WHERE mission_id = ?')
          .pluck()
          .get(mission.id) as number;
        if (runs > 0) {
          throw new AppError(
            'conflict',
            `mission ${mission.projectName}/${mission.name} has ${runs} execution` +
              `${runs === 1 ? '' : 's'}, whose records and audit trails refer to it: it is kept`,
            undefined,
            'a mission that actions ran on cannot be removed; if its data moved, point it at ' +
              'the new folder (kleinkram-actions mission move)',
          );
        }
        this.db.prepare('DELETE FROM missions WHERE id = ?').run(mission.id);
      })
      .immediate();
    log.info(`mission ${mission.projectName}/${mission.name} removed (${mission.folder} kept)`);
    return mission;
  }

  /** Other missions registered on the same folder, which is allowed but usually a slip. */
  sameFolder(missionId: string): Mission[] {
    const mission = this.get(missionId);
    return this.list().filter(
      (other) => other.folder === mission.folder && other.id !== mission.id,
    );
  }

  list(projectRef?: string): Mission[] {
    if (projectRef) {
      const project = this.projects.resolve(projectRef);
      return (
        this.db
          .prepare(`${MISSION_SELECT} WHERE m.project_id = ? ORDER BY m.name`)
          .all(project.id) as MissionRow[]
      ).map(toMission);
    }
    return (this.db.prepare(`${MISSION_SELECT} ORDER BY p.name, m.name`).all() as MissionRow[]).map(
      toMission,
    );
  }

  get(id: string): Mission {
    const row = this.db.prepare(`${MISSION_SELECT} WHERE m.id = ?`).get(id) as
      MissionRow | undefined;
    if (!row) throw new AppError('not_found', `no mission with id ${id}`);
    return toMission(row);
  }

  private findIn(projectId: string, name: string): Mission | null {
    const row = this.db
      .prepare(`${MISSION_SELECT} WHERE m.project_id = ? AND m.name = ?`)
      .get(projectId, name) as MissionRow | undefined;
    return row ? toMission(row) : null;
  }

  /**
   * A mission by "project/mission", by its name when only one project has it, or by id (or
   * the first characters of it).
   */
  resolve(ref: string): Mission {
    const slash = ref.indexOf('/');
    if (slash > 0) {
      const project = this.projects.find(ref.slice(0, slash));
      const mission = project ? this.findIn(project.id, ref.slice(slash + 1)) : null;
      if (mission) return mission;
    }
    const rows = this.db
      .prepare(`${MISSION_SELECT} WHERE m.name = ? OR m.id = ? OR (length(?) >= 6 AND m.id LIKE ?)`)
      .all(ref, ref, ref, `${ref}%`) as MissionRow[];
    if (rows.length === 1) return toMission(rows[0]!);
    if (rows.length > 1) {
      const names = rows.map((row) => `${row.project_name}/${row.name}`).join(', ');
      throw new AppError('invalid_input', `"${ref}" names several missions (${names}): say which`);
    }
    throw new AppError(
      'not_found',
      `no mission "${ref}"`,
      undefined,
      'the Missions page shows the missions by project (kleinkram-actions mission list)',
    );
  }

  files(missionId: string): MissionFile[] {
    const rows = this.db
      .prepare('SELECT * FROM mission_files WHERE mission_id = ? ORDER BY path')
      .all(missionId) as MissionFileRow[];
    return rows.map((row) => ({
      path: row.path,
      size: row.size,
      mtimeMs: row.mtime_ms,
      kind: fileKind(row.path),
      sha256: hashIsFresh(row) ? row.sha256 : null,
    }));
  }

  /** Scans the folder again; files whose size and mtime did not change keep their hashes. */
  async rescan(missionId: string): Promise<RescanResult> {
    return (await this.rescanWithScan(missionId)).result;
  }

  /**
   * The rescan before a launch: the file list must say what the action can read, and a folder
   * that has gained a socket since it was registered is not mounted.
   */
  async rescanForLaunch(missionId: string): Promise<RescanResult> {
    const { result, scan } = await this.rescanWithScan(missionId);
    assertMountable(result.mission.folder, this.dataDir);
    assertNoSockets(result.mission.folder, scan.sockets);
    return result;
  }

  /** A rescan, with the folder's scan; `scanned` is one just made of the mission's folder. */
  private async rescanWithScan(missionId: string, scanned?: FolderScan) {
    const mission = this.get(missionId);
    await assertFolder(mission.folder);
    const before = new Map(this.files(missionId).map((file) => [file.path, file]));
    const scan = scanned ?? (await scanFolder(mission.folder));
    let added = 0;
    let changed = 0;
    let unchanged = 0;
    for (const file of scan.files) {
      const old = before.get(file.path);
      if (!old) added++;
      else if (old.size !== file.size || old.mtimeMs !== file.mtimeMs) changed++;
      else unchanged++;
    }
    const seen = new Set(scan.files.map((file) => file.path));
    const removed = [...before.keys()].filter((file) => !seen.has(file)).length;
    if (added + changed + removed > 0 || mission.scannedAt === null) {
      this.db.transaction(() => this.applyScan(missionId, scan.files))();
    }
    const result: RescanResult = {
      mission: this.get(missionId),
      added,
      changed,
      removed,
      unchanged,
      skipped: scan.skipped.map((entry) => `${entry.path}: ${entry.reason}`),
    };
    return { result, scan };
  }

  /** Computes the content hashes that are missing or stale, and caches them. */
  async hash(missionId: string, onProgress?: (done: number, total: number) => void) {
    const mission = this.get(missionId);
    const rows = this.db
      .prepare('SELECT * FROM mission_files WHERE mission_id = ? ORDER BY path')
      .all(missionId) as MissionFileRow[];
    const stale = rows.filter((row) => !hashIsFresh(row));
    const store = this.db.prepare(
      'UPDATE mission_files SET sha256 = ?, hashed_size = ?, hashed_mtime_ms = ? ' +
        'WHERE mission_id = ? AND path = ?',
    );
    // Hashes are stored a batch at a time: one commit per file cost more than hashing a small
    // one. A crash loses at most the last batch, which the next run computes again.
    const storeBatch = this.db.transaction((batch: Array<[string, MissionFileRow]>) => {
      for (const [digest, row] of batch) {
        store.run(digest, row.size, row.mtime_ms, missionId, row.path);
      }
    });
    let batch: Array<[string, MissionFileRow]> = [];
    let batchStartedAt = Date.now();
    let done = 0;
    try {
      for (const row of stale) {
        const digest = await sha256File(path.join(mission.folder, row.path));
        batch.push([digest, row]);
        if (batch.length >= HASH_BATCH_FILES || Date.now() - batchStartedAt >= HASH_BATCH_MS) {
          // Taken before storing: a batch that fails to store is not tried again below.
          const full = batch;
          batch = [];
          batchStartedAt = Date.now();
          storeBatch(full);
        }
        onProgress?.(++done, stale.length);
      }
    } finally {
      // What was hashed before a file failed (gone, unreadable) is kept.
      if (batch.length > 0) storeBatch(batch);
    }
    return this.files(missionId);
  }

  private applyScan(missionId: string, files: ScannedFile[]): void {
    const keep = new Set(files.map((file) => file.path));
    const existing = this.db
      .prepare('SELECT path FROM mission_files WHERE mission_id = ?')
      .pluck()
      .all(missionId) as string[];
    const remove = this.db.prepare('DELETE FROM mission_files WHERE mission_id = ? AND path = ?');
    for (const old of existing) if (!keep.has(old)) remove.run(missionId, old);
    // The hash columns stay as they were: hashIsFresh() compares them to size and mtime.
    const upsert = this.db.prepare(
      'INSERT INTO mission_files (mission_id, path, size, mtime_ms) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT (mission_id, path) DO UPDATE SET size = excluded.size, ' +
        'mtime_ms = excluded.mtime_ms',
    );
    for (const file of files) upsert.run(missionId, file.path, file.size, file.mtimeMs);
    this.db.prepare('UPDATE missions SET scanned_at = ? WHERE id = ?').run(Date.now(), missionId);
  }
}

function hashIsFresh(row: MissionFileRow): boolean {
  return (
    row.sha256 !== null && row.hashed_size === row.size && row.hashed_mtime_ms === row.mtime_ms
  );
}

async function assertFolder(folder: string): Promise<void> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(folder);
  } catch (error) {
    throw new AppError(
      'not_found',
      `the mission folder ${folder} cannot be read (${errorMessage(error)}): ` +
        'check the path, or that the drive holding it is mounted',
    );
  }
  if (!stat.isDirectory()) {
    throw new AppError('invalid_input', `${folder} is not a folder: a mission is a folder of data`);
  }
}

/**
 * Folders no action may have mounted: the whole file system, the system's own folders (which
 * hold sockets, devices and secrets), and the engine's data folder, which holds the store and
 * every execution's artifacts.
 */
const SYSTEM_FOLDERS = [
  '/proc',
  '/sys',
  '/dev',
  '/run',
  '/var/run',
  '/boot',
  '/etc',
  '/usr',
  '/bin',
  '/sbin',
  '/lib',
  '/lib64',
  '/var/lib/docker',
];

function inside(folder: string, parent: string): boolean {
  const relative = path.relative(parent, folder);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

function assertMountable(folder: string, dataDir: string): void {
  // Links resolved: /var/run is /run, and a link to / is /.
  const real = fs.realpathSync(folder);
  const refuse = (why: string) => {
    throw new AppError(
      'invalid_input',
      `${folder} cannot be a mission: ${why}`,
      undefined,
      'register the folder that holds the recordings themselves',
    );
  };
  if (path.parse(real).root === real) refuse('it is the whole file system');
  const system = SYSTEM_FOLDERS.find((system) => inside(real, system));
  if (system) refuse(`it is a system folder (${system}), not recorded data`);
  const data = fs.existsSync(dataDir) ? fs.realpathSync(dataDir) : path.resolve(dataDir);
  if (inside(real, data) || inside(data, real)) {
    refuse(`actions would see the engine's own data folder (${data}) through it`);
  }
}

function assertNoSockets(folder: string, sockets: string[]): void {
  if (sockets.length === 0) return;
  const shown = sockets.slice(0, 3).join(', ') + (sockets.length > 3 ? ', …' : '');
  throw new AppError(
    'invalid_input',
    `${folder} holds ${sockets.length === 1 ? 'a socket' : `${sockets.length} sockets`} ` +
      `(${shown}): a read-only mount does not stop an action from connecting to one and ` +
      'talking to the program behind it',
    undefined,
    'move the sockets out of the mission folder (or register a subfolder without them)',
  );
}
