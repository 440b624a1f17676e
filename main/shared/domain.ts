// The words of the product, shared by the core, the CLI and (later) the renderer. One word for
// one thing: template, version, execution, mission, project, artifact, audit event, runner.

export const EXECUTION_STATES = [
  'queued',
  'starting',
  'running',
  'stopping',
  'succeeded',
  'failed',
  'cancelled',
  'unprocessable',
] as const;

export type ExecutionState = (typeof EXECUTION_STATES)[number];

/** The names Kleinkram shows for the same states, so a Kleinkram user reads familiar words. */
export const KLEINKRAM_STATE_NAMES: Record<ExecutionState, string> = {
  queued: 'PENDING',
  starting: 'STARTING',
  running: 'PROCESSING',
  stopping: 'STOPPING',
  succeeded: 'DONE',
  failed: 'FAILED',
  cancelled: 'CANCELLED',
  unprocessable: 'UNPROCESSABLE',
};

export const ACTIVE_STATES: readonly ExecutionState[] = ['starting', 'running', 'stopping'];
export const FINAL_STATES: readonly ExecutionState[] = [
  'succeeded',
  'failed',
  'cancelled',
  'unprocessable',
];

export function isFinalState(state: ExecutionState): boolean {
  return FINAL_STATES.includes(state);
}

/** Kleinkram's access levels; each includes the ones before it. */
export const ACCESS_RIGHTS = ['read', 'create', 'write', 'delete'] as const;
export type AccessRights = (typeof ACCESS_RIGHTS)[number];

export interface Project {
  id: string;
  name: string;
  description: string;
  createdAt: number;
}

export type MissionFileKind = 'bag' | 'mcap' | 'db3' | 'other';

export interface Mission {
  id: string;
  projectId: string;
  projectName: string;
  name: string;
  folder: string;
  createdAt: number;
  scannedAt: number | null;
  fileCount: number;
  totalBytes: number;
}

export interface MissionFile {
  path: string;
  size: number;
  mtimeMs: number;
  kind: MissionFileKind;
  sha256: string | null;
}

/** What a person writes when creating or editing a template (validated by template-input.ts). */
export interface TemplateFields {
  name: string;
  description: string;
  image: string;
  command: string[];
  entrypoint: string[] | null;
  environment: Record<string, string>;
  cpuCores: number;
  memoryBytes: number;
  gpuCount: number;
  maxRuntimeSeconds: number;
  accessRights: AccessRights;
  network: boolean;
}

export interface TemplateVersion extends TemplateFields {
  templateId: string;
  version: number;
  author: string;
  createdAt: number;
  /** The version this one restored, when it was made by "restore". */
  restoredFrom: number | null;
}

export interface TemplateSummary {
  id: string;
  latest: TemplateVersion;
  versionCount: number;
  archivedAt: number | null;
  executionCount: number;
}

export interface Execution {
  id: string;
  number: number;
  templateId: string;
  templateVersion: number;
  templateName: string;
  missionId: string;
  missionName: string;
  projectId: string;
  projectName: string;
  state: ExecutionState;
  stateCause: string | null;
  exitCode: number | null;
  errorHint: string | null;
  imageDigest: string | null;
  containerId: string | null;
  cancelRequested: boolean;
  timedOut: boolean;
  oomKilled: boolean;
  queuedAt: number;
  startedAt: number | null;
  containerStartedAt: number | null;
  containerExitedAt: number | null;
  endedAt: number | null;
}

export type LogStream = 'stdout' | 'stderr';

export interface LogLine {
  seq: number;
  stream: LogStream;
  time: number;
  text: string;
  /** The line was longer than the cap and only its beginning was kept. */
  cut: boolean;
}

export interface Artifact {
  id: number;
  executionId: string;
  path: string;
  size: number;
  sha256: string;
  createdAt: number;
  expiresAt: number;
  deletedAt: number | null;
}

export const AUDIT_OPERATIONS = [
  'input.available',
  /** Another mission of the project, not mounted for this execution, with why. */
  'input.withheld',
  'artifact.written',
  'artifact.skipped',
  'artifact.exported',
  'artifact.deleted',
] as const;
export type AuditOperation = (typeof AUDIT_OPERATIONS)[number];

export interface AuditEvent {
  id: number;
  executionId: string;
  time: number;
  operation: AuditOperation;
  path: string | null;
  bytes: number | null;
  detail: string | null;
}

export interface RunnerStatus {
  available: boolean;
  /** Why the runner cannot start executions now, and what to do about it. */
  message: string | null;
  running: number;
  queued: number;
}

/** [milliseconds since the container started, CPU percent of one core, memory bytes]. */
export type ResourceSample = [number, number, number];

/** What an execution used, sampled from Docker's stats while it ran. */
export interface ResourceUsage {
  peakMemoryBytes: number;
  averageCpuPercent: number;
  sampleCount: number;
  samples: ResourceSample[];
}
