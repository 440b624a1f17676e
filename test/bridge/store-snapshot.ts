// Every row of every table of an engine's store, read through a second connection, so a
// test can show that a refused request changed nothing.
import Database from 'better-sqlite3';

import type { Engine } from '../../main/core/engine.js';

export function snapshotStore(engine: Engine): Record<string, string[]> {
  const db = new Database(engine.layout.database, { readonly: true, fileMustExist: true });
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all() as string[];
    const snapshot: Record<string, string[]> = {};
    for (const table of tables) {
      const rows = db.prepare(`SELECT * FROM "${table}"`).all();
      snapshot[table] = rows.map((row) => JSON.stringify(row)).sort();
    }
    return snapshot;
  } finally {
    db.close();
  }
}
