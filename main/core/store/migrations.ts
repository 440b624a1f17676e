// The store's schema, as numbered migrations applied in order at open. A migration is never
// edited once released: a change is a new entry at the end.

export const MIGRATIONS: readonly string[] = [
  // 1: the first schema.
  `
  CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );

  CREATE TABLE projects (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
  );

  CREATE TABLE missions (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects(id),
    name TEXT NOT NULL,
    folder TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    scanned_at INTEGER,
    UNIQUE (project_id, name)
  );

  CREATE TABLE mission_files (
    mission_id TEXT NOT NULL REFERENCES missions(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ms INTEGER NOT NULL,
    sha256 TEXT,
    hashed_size INTEGER,
    hashed_mtime_ms INTEGER,
    PRIMARY KEY (mission_id, path)
  ) WITHOUT ROWID;

  CREATE TABLE templates (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    latest_version INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    archived_at INTEGER
  );
  CREATE UNIQUE INDEX templates_active_name ON templates(name) WHERE archived_at IS NULL;

  CREATE TABLE template_versions (
    template_id TEXT NOT NULL REFERENCES templates(id),
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    image TEXT NOT NULL,
    command TEXT NOT NULL,
    entrypoint TEXT,
    environment TEXT NOT NULL,
    cpu_cores REAL NOT NULL,
    memory_bytes INTEGER NOT NULL,
    gpu_count INTEGER NOT NULL,
    max_runtime_seconds REAL NOT NULL,
    access_rights TEXT NOT NULL,
    network INTEGER NOT NULL,
    author TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    restored_from INTEGER,
    PRIMARY KEY (template_id, version)
  );

  -- A version is what an execution ran: it never changes, and it is never deleted once an
  -- execution refers to its template (such a template is archived instead).
  CREATE TRIGGER template_versions_no_update BEFORE UPDATE ON template_versions
  BEGIN SELECT RAISE(ABORT, 'template versions are immutable'); END;
  CREATE TRIGGER template_versions_no_delete BEFORE DELETE ON template_versions
  WHEN EXISTS (SELECT 1 FROM executions WHERE template_id = OLD.template_id)
  BEGIN SELECT RAISE(ABORT, 'template versions that executions ran are kept'); END;

  CREATE TABLE executions (
    id TEXT PRIMARY KEY,
    number INTEGER NOT NULL UNIQUE,
    template_id TEXT NOT NULL,
    template_version INTEGER NOT NULL,
    mission_id TEXT NOT NULL REFERENCES missions(id),
    state TEXT NOT NULL,
    state_cause TEXT,
    exit_code INTEGER,
    error_hint TEXT,
    image_digest TEXT,
    container_id TEXT,
    cancel_requested INTEGER NOT NULL DEFAULT 0,
    timed_out INTEGER NOT NULL DEFAULT 0,
    oom_killed INTEGER NOT NULL DEFAULT 0,
    owner TEXT,
    queued_at INTEGER NOT NULL,
    started_at INTEGER,
    container_started_at INTEGER,
    container_exited_at INTEGER,
    ended_at INTEGER,
    FOREIGN KEY (template_id, template_version) REFERENCES template_versions(template_id, version)
  );
  CREATE INDEX executions_state ON executions(state, number);
  CREATE INDEX executions_template ON executions(template_id);
  CREATE INDEX executions_mission ON executions(mission_id);

  CREATE TABLE log_lines (
    execution_id TEXT NOT NULL REFERENCES executions(id),
    seq INTEGER NOT NULL,
    stream TEXT NOT NULL CHECK (stream IN ('stdout', 'stderr')),
    time INTEGER NOT NULL,
    text TEXT NOT NULL,
    cut INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (execution_id, seq)
  ) WITHOUT ROWID;

  CREATE TABLE artifacts (
    id INTEGER PRIMARY KEY,
    execution_id TEXT NOT NULL REFERENCES executions(id),
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    deleted_at INTEGER,
    UNIQUE (execution_id, path)
  );
  CREATE INDEX artifacts_expiry ON artifacts(expires_at) WHERE deleted_at IS NULL;

  CREATE TABLE audit_events (
    id INTEGER PRIMARY KEY,
    execution_id TEXT NOT NULL REFERENCES executions(id),
    time INTEGER NOT NULL,
    operation TEXT NOT NULL,
    path TEXT,
    bytes INTEGER,
    detail TEXT
  );
  CREATE INDEX audit_events_execution ON audit_events(execution_id, id);

  CREATE TABLE engine_instances (
    id TEXT PRIMARY KEY,
    pid INTEGER NOT NULL,
    hostname TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    heartbeat_at INTEGER NOT NULL
  );
  `,
  // 2: resource usage of executions, sampled from Docker's stats while they run.
  `
  CREATE TABLE execution_resources (
    execution_id TEXT PRIMARY KEY REFERENCES executions(id),
    peak_memory_bytes INTEGER NOT NULL,
    average_cpu_percent REAL NOT NULL,
    sample_count INTEGER NOT NULL,
    samples TEXT NOT NULL
  );
  `,
];
