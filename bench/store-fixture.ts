// The large store of benchmark 6: many executions and many log lines, written straight into
// an engine's SQLite file. Projects, missions and templates go through the engine's own services
// so that they are valid whatever the schema grows; the bulk tables are filled with plain
// inserts in primary key order. Generating takes minutes, so the file is kept in the temp folder
// between runs, keyed by the schema (its version and text) and the sizes.
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import Database from 'better-sqlite3';

import { Engine } from '../main/core/engine.js';
import { MIGRATIONS } from '../main/core/store/migrations.js';
import { SCHEMA_VERSION } from '../main/core/store/database.js';

/** Bump when the generated content changes, so that old cached stores are not reused. */
const GENERATOR_VERSION = 1;
const PREFIX = 'kleinkram-bench-store-';
const SEARCH = 'checksum mismatch';
/** Every this many lines of an execution, one line holds the search text. */
const SEARCH_EVERY = 10_000;

export interface StoreFixture {
  dataDir: string;
  database: string;
  /** The execution with the most lines: the one a person would page through and search. */
  executionId: string;
  executionLines: number;
  /** A page in the middle of that execution's log starts after this line. */
  middleSeq: number;
  search: string;
  searchHits: number;
  bytes: number;
}

export interface StoreSize {
  executions: number;
  logLines: number;
}

function cacheKey(size: StoreSize): string {
  const schema = createHash('sha256')
    .update(`${GENERATOR_VERSION}\n${MIGRATIONS.join('\n')}`)
    .digest('hex')
    .slice(0, 12);
  return `${PREFIX}s${SCHEMA_VERSION}-${schema}-${size.executions}x${size.logLines}`;
}

function logText(seq: number): { stream: 'stdout' | 'stderr'; text: string } {
  if (seq % SEARCH_EVERY === 0) {
    return { stream: 'stderr', text: `warning: ${SEARCH} in chunk ${seq}, re-reading it` };
  }
  return {
    stream: 'stdout',
    text: `frame ${seq}: decoded ${(seq * 7919) % 100_000} bytes in ${seq % 97} ms`,
  };
}

/** Returns the cached store for these sizes, generating it first when there is none. */
export async function ensureStore(
  tmpDir: string,
  size: StoreSize,
  progress: (text: string) => void,
): Promise<StoreFixture> {
  const key = cacheKey(size);
  const dataDir = path.join(tmpDir, key);
  const manifest = path.join(dataDir, 'fixture.json');
  if (fs.existsSync(manifest)) {
    progress(`using the cached store ${dataDir}`);
    return JSON.parse(fs.readFileSync(manifest, 'utf8')) as StoreFixture;
  }
  // Stores of an older schema or other sizes are dead weight of a gigabyte or more each.
  for (const entry of fs.readdirSync(tmpDir)) {
    if (entry.startsWith(PREFIX)) {
      fs.rmSync(path.join(tmpDir, entry), { recursive: true, force: true });
    }
  }
  const building = `${dataDir}.building-${process.pid}`;
  try {
    const fixture = await generate(building, size, progress);
    fs.renameSync(building, dataDir);
    const final: StoreFixture = {
      ...fixture,
      dataDir,
      database: path.join(dataDir, path.basename(fixture.database)),
    };
    fs.writeFileSync(manifest, JSON.stringify(final, null, 2));
    return final;
  } catch (error) {
    fs.rmSync(building, { recursive: true, force: true });
    throw error;
  }
}

async function generate(
  dataDir: string,
  size: StoreSize,
  progress: (text: string) => void,
): Promise<StoreFixture> {
  progress(
    `generating a store of ${size.executions} executions and ${size.logLines} log lines ` +
      `(cached afterwards) in ${dataDir}`,
  );
  const started = performance.now();
  const { templates, missions, database } = await createCatalogue(dataDir);

  const db = new Database(database);
  // Nothing else reads the file while it is built; durability would only cost time.
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');

  const count = size.executions;
  const bigNumber = Math.ceil(count / 2);
  const bigLines = count > 1 ? Math.max(1, Math.round(size.logLines / 10)) : size.logLines;
  const rest = size.logLines - bigLines;
  const executions = Array.from({ length: count }, (_, index) => ({
    id: randomUUID(),
    number: index + 1,
  }));

  const t0 = Date.UTC(2025, 0, 1);
  const insertExecution = db.prepare(
    `INSERT INTO executions (id, number, template_id, template_version, mission_id, state,
       state_cause, exit_code, image_digest, container_id, owner, queued_at, started_at,
       container_started_at, container_exited_at, ended_at)
     VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (const execution of executions) {
      const n = execution.number;
      const failed = n % 13 === 0;
      const queued = t0 + n * 60_000;
      insertExecution.run(
        execution.id,
        n,
        templates[n % templates.length],
        missions[n % missions.length],
        failed ? 'failed' : 'succeeded',
        failed ? 'exited with code 1: general error' : null,
        failed ? 1 : 0,
        `sha256:${createHash('sha256')
          .update(String(n % 7))
          .digest('hex')}`,
        createHash('sha256').update(execution.id).digest('hex'),
        queued,
        queued + 150,
        queued + 900,
        queued + 30_900,
        queued + 31_200,
      );
    }
  })();
  progress(`  ${count} executions written`);

  // Lines in primary key order (execution id, then seq): every insert appends to the B-tree.
  const byId = [...executions].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const others = count - 1;
  const perOther = others > 0 ? Math.floor(rest / others) : 0;
  let extra = others > 0 ? rest - perOther * others : 0;
  const insertLine = db.prepare(
    'INSERT INTO log_lines (execution_id, seq, stream, time, text, cut) VALUES (?, ?, ?, ?, ?, 0)',
  );
  let written = 0;
  let nextReport = 1_000_000;
  const batch = db.transaction(
    (rows: Array<{ id: string; from: number; to: number; t: number }>) => {
      for (const row of rows) {
        for (let seq = row.from; seq <= row.to; seq++) {
          const line = logText(seq);
          insertLine.run(row.id, seq, line.stream, row.t + seq * 3, line.text);
        }
      }
    },
  );
  let pending: Array<{ id: string; from: number; to: number; t: number }> = [];
  let pendingLines = 0;
  const flush = () => {
    batch(pending);
    written += pendingLines;
    pending = [];
    pendingLines = 0;
    if (written >= nextReport) {
      progress(`  ${written} log lines written`);
      nextReport += 1_000_000;
    }
  };
  for (const execution of byId) {
    let lines = perOther;
    if (execution.number === bigNumber) lines = bigLines;
    else if (extra > 0) {
      lines += 1;
      extra -= 1;
    }
    const t = t0 + execution.number * 60_000 + 900;
    // Long logs are cut into slices so that one transaction stays a bounded size.
    for (let from = 1; from <= lines; from += 200_000) {
      const to = Math.min(lines, from + 199_999);
      pending.push({ id: execution.id, from, to, t });
      pendingLines += to - from + 1;
      if (pendingLines >= 200_000) flush();
    }
  }
  if (pending.length > 0) flush();

  // The engine opens its store in WAL mode; leave the file as the engine itself would.
  db.pragma('journal_mode = WAL');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();

  const big = executions[bigNumber - 1]!;
  const bytes = fs.statSync(database).size;
  progress(
    `  store ready: ${(bytes / 1024 ** 3).toFixed(2)} GiB in ` +
      `${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  return {
    dataDir,
    database,
    executionId: big.id,
    executionLines: bigLines,
    middleSeq: Math.floor(bigLines / 2),
    search: SEARCH,
    searchHits: Math.floor(bigLines / SEARCH_EVERY),
    bytes,
  };
}

/** Projects, missions and templates, made by the engine so that they pass its own checks. */
async function createCatalogue(dataDir: string) {
  const engine = Engine.open({ dataDir, pullImages: false });
  const folders: string[] = [];
  try {
    engine.projects.create('fleet');
    const missions: string[] = [];
    for (let i = 0; i < 20; i++) {
      const folder = fs.mkdtempSync(path.join(path.dirname(dataDir), 'kleinkram-bench-m-'));
      folders.push(folder);
      const { mission } = await engine.missions.add('fleet', folder, `run-${i}`);
      missions.push(mission.id);
    }
    const templates = ['bag-summary', 'checksums', 'lidar-filter', 'calibration', 'map-export'].map(
      (name) =>
        engine.templates.create(
          {
            name,
            image: `acme/${name}:1`,
            command: ['python3', `/opt/${name}.py`],
            cpuCores: 1,
            memory: '1GiB',
            maxRuntimeSeconds: 3600,
          },
          'bench',
        ).version.templateId,
    );
    return { templates, missions, database: engine.layout.database };
  } finally {
    await engine.close();
    for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
  }
}
