// The events the engine pushes: to the CLI's followers now, over the bridge to the UI later.
import type { Artifact, Execution, LogLine, RunnerStatus } from './domain.js';

export interface EngineEventMap {
  'execution.changed': Execution;
  'logs.appended': { executionId: string; lines: LogLine[] };
  'artifacts.collected': { executionId: string; artifacts: Artifact[] };
  /** New entries in an execution's audit log (a download, an export, a sweep). */
  'audit.recorded': { executionId: string };
  'runner.changed': RunnerStatus;
}

export type EngineEventName = keyof EngineEventMap;
