// Test helpers: a real engine on a real SQLite file in a fresh temporary data directory, and
// the fixture missions read where they lie.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import Database from 'better-sqlite3';

import { Engine, type EngineOptions } from '../../main/core/engine.js';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES = path.resolve(PROJECT_ROOT, '../shared/fixtures/missions');
export const BASE_IMAGE = 'debian:bookworm-slim';

export function tempDir(prefix = 'kleinkram-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function openTestEngine(options: Partial<EngineOptions> = {}): Engine {
  return Engine.open({ dataDir: tempDir(), stopGraceSeconds: 2, pullImages: true, ...options });
}

/** A template on the plain base image that runs a shell script. */
export function shellTemplate(name: string, script: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    image: BASE_IMAGE,
    command: ['bash', '-c', script],
    cpuCores: 1,
    memory: '256MiB',
    maxRuntimeSeconds: 60,
    ...extra,
  };
}

/** A project with one mission on a folder (a fresh empty one unless given). */
export async function addMission(engine: Engine, folder = tempDir('kleinkram-mission-')) {
  const project = engine.projects.find('lab') ?? engine.projects.create('lab');
  const { mission } = await engine.missions.add(project.name, folder);
  return mission;
}

export async function runToEnd(engine: Engine, template: string, mission: string) {
  const execution = engine.launch({ template, mission });
  engine.startRunner();
  return engine.waitForEnd(execution.id);
}

/** A second, read-only connection to the engine's SQLite file: what is really stored. */
export function readStore(engine: Engine): Database.Database {
  return new Database(engine.layout.database, { readonly: true, fileMustExist: true });
}

/** Every row of every table, to show that a refused request changed nothing. */
export function snapshotStore(engine: Engine): Record<string, unknown[]> {
  const db = readStore(engine);
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all() as string[];
    return Object.fromEntries(
      tables.map((table) => [table, db.prepare(`SELECT * FROM "${table}"`).all()]),
    );
  } finally {
    db.close();
  }
}
