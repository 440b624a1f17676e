// The store file: WAL, foreign keys, migrations at open, and a newer schema refused.
import path from 'node:path';

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';

import { openDatabase, SCHEMA_VERSION } from '../../main/core/store/database.js';
import { tempDir } from '../helpers/engine.js';

describe('store', () => {
  it('opens in WAL mode with foreign keys on, migrated to the newest schema', () => {
    const file = path.join(tempDir(), 'store.sqlite');
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(() =>
      db
        .prepare(
          "INSERT INTO missions (id, project_id, name, folder, created_at) VALUES ('m', 'nope', 'n', '/', 0)",
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
    db.close();
    // Opening again applies nothing and keeps the store's id.
    const again = openDatabase(file);
    expect(again.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    again.close();
  });

  it('refuses a store written by a newer build, and leaves it as it was', () => {
    const file = path.join(tempDir(), 'store.sqlite');
    openDatabase(file).close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => openDatabase(file)).toThrow(/newer Kleinkram Actions/);
    const check = new Database(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
    check.close();
  });
});
