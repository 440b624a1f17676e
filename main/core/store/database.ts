// Opens the store: one SQLite file in the data directory, in WAL mode with foreign keys on,
// migrated to the newest schema this build knows. A store written by a newer build is refused
// rather than read wrongly.
import { randomUUID } from 'node:crypto';
import path from 'node:path';

import Database from 'better-sqlite3';

import { AppError } from '../errors.js';
import { createLogger } from '../logger.js';
import { makeFolders } from '../paths.js';
import { MIGRATIONS } from './migrations.js';

const log = createLogger('store');

export type Db = Database.Database;

export const SCHEMA_VERSION = MIGRATIONS.length;

export function openDatabase(file: string): Db {
  makeFolders(path.dirname(file));
  const db = new Database(file);
  try {
    // One exec for all the settings: opening is on the path of every CLI command and app start.
    // busy_timeout: several processes (the app, the CLI, a worker) share the file and wait for
    // each other. journal_size_limit: after a checkpoint the WAL file is cut back to this size
    // instead of staying at its peak.
    db.exec(
      'PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; ' +
        `PRAGMA synchronous = NORMAL; PRAGMA journal_size_limit = ${64 * 1024 * 1024};`,
    );
    migrate(db, file);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

function migrate(db: Db, file: string): void {
  const readVersion = () => db.pragma('user_version', { simple: true }) as number;
  const refuseIfNewer = (current: number) => {
    if (current <= SCHEMA_VERSION) return;
    throw new AppError(
      'store_too_new',
      `the store ${file} has schema version ${current}, but this build knows only up to ` +
        `${SCHEMA_VERSION}: it was written by a newer Kleinkram Actions. Update this ` +
        `installation, or point --data-dir at another folder.`,
    );
  };
  const found = readVersion();
  refuseIfNewer(found);
  if (found === SCHEMA_VERSION) return;
  const apply = db.transaction(() => {
    // Read again inside the lock: another process may have migrated since the check above.
    const current = readVersion();
    refuseIfNewer(current);
    for (let version = current + 1; version <= SCHEMA_VERSION; version++) {
      db.exec(MIGRATIONS[version - 1]!);
      db.pragma(`user_version = ${version}`);
    }
    db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run(
      'store_id',
      randomUUID(),
    );
    return current;
  });
  const from = apply.immediate();
  if (from !== SCHEMA_VERSION)
    log.info(`migrated ${file} from schema ${from} to ${SCHEMA_VERSION}`);
}

export function storeId(db: Db): string {
  const row = db.prepare("SELECT value FROM meta WHERE key = 'store_id'").get() as
    { value: string } | undefined;
  if (!row) throw new AppError('internal', 'the store has no id; it was not migrated');
  return row.value;
}
