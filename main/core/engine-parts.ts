// What the runner and the scheduler share: one store, one Docker connection, one event bus.
import type Docker from 'dockerode';

import type { ArtifactService } from './artifacts.js';
import type { AuditLog } from './audit.js';
import type { EventBus } from './event-bus.js';
import type { ExecutionStore } from './executions.js';
import type { LogStore } from './logs.js';
import type { MissionService } from './missions.js';
import type { DataLayout } from './paths.js';
import type { ProjectService } from './projects.js';
import type { Db } from './store/database.js';
import type { TemplateService } from './templates.js';

export interface RunnerOptions {
  /** At most this many executions at once; resources may allow fewer. */
  maxConcurrent: number;
  /** The machine's size, which the requests of running executions may not exceed together. */
  machineCpus: number;
  machineMemoryBytes: number;
  pullImages: boolean;
  stopGraceSeconds: number;
  pidsLimit: number;
  /** Executions wait while less than this is free on the data directory's disk. */
  diskReserveBytes: number;
}

export interface EngineParts {
  db: Db;
  docker: Docker;
  layout: DataLayout;
  storeId: string;
  instanceId: string;
  projects: ProjectService;
  missions: MissionService;
  templates: TemplateService;
  executions: ExecutionStore;
  logs: LogStore;
  audit: AuditLog;
  artifacts: ArtifactService;
  events: EventBus;
  options: RunnerOptions;
}
