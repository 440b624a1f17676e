// The jobs the benchmark runner hands to a fresh engine process, and what each reports back.

/** The template every Docker benchmark runs its action with. */
export interface ActionSpec {
  image: string;
  command: string[];
  cpuCores: number;
  memory: string;
}

/**
 * Where an execution's time went, from the engine's own timestamps: queued to claimed, claimed
 * to container started (image check, mission rescan, create, start), the container's life,
 * its exit to the final state (log drain, inspect, artifacts), and the rest until the caller
 * heard of it (container removal, events).
 */
export interface Phases {
  claimMs: number;
  startMs: number;
  containerMs: number;
  finishMs: number;
  afterEndMs: number;
}

/** Set `profile` to a file name to have the timed part written there as a V8 CPU profile. */
export type WorkerJob = { profile?: string } & (
  | { kind: 'idle'; tmpDir: string; action: ActionSpec }
  | { kind: 'trivial'; tmpDir: string; action: ActionSpec }
  | { kind: 'burst'; tmpDir: string; action: ActionSpec; count: number }
  | { kind: 'log-flood'; tmpDir: string; action: ActionSpec; lines: number }
  | { kind: 'artifacts'; tmpDir: string; action: ActionSpec; files: number; fileBytes: number }
  | { kind: 'mission'; tmpDir: string; folder: string; files: number }
  | {
      kind: 'store';
      dataDir: string;
      executionId: string;
      afterSeq: number;
      pageSize: number;
      search: string;
    }
);

interface Common {
  /** Peak resident set size of the engine process over its whole life. */
  maxRssKb: number;
}

export interface ResultByKind {
  idle: Common;
  trivial: Common & { ms: number; phases: Phases };
  burst: Common & { ms: number; maxRunning: number; phases: Phases };
  'log-flood': Common & { ms: number; stored: number; lastLine: string; phases: Phases };
  artifacts: Common & {
    ms: number;
    collectMs: number;
    artifacts: number;
    bytes: number;
    phases: Phases;
  };
  mission: Common & { registerMs: number; rescanMs: number; hashMs: number; hashed: number };
  store: Common & {
    openMs: number;
    listMs: number;
    pageMs: number;
    searchMs: number;
    /** The same three calls repeated in the same process. */
    warm: { listMs: number; pageMs: number; searchMs: number };
    listRows: number;
    pageRows: number;
    searchRows: number;
  };
}

export type WorkerResult<J extends WorkerJob> = ResultByKind[J['kind']];
