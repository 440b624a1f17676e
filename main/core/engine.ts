// The engine: everything the desktop app's main process owns, usable from plain Node. The
// CLI, the tests and (later) the Electron shell all drive this one object.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';

import type Docker from 'dockerode';

import type { Execution, ExecutionState, ResourceUsage } from '../shared/domain.js';
import { isFinalState } from '../shared/domain.js';
import { ArtifactService, DEFAULT_RETENTION_DAYS } from './artifacts.js';
import { AuditLog } from './audit.js';
import { createDockerClient, type DockerOptions } from './docker/client.js';
import { loadImage } from './docker/images.js';
import type { EngineParts, RunnerOptions } from './engine-parts.js';
import { AppError, errorMessage } from './errors.js';
import { EventBus } from './event-bus.js';
import { ExecutionStore } from './executions.js';
import { configureLogging, createLogger } from './logger.js';
import { LogStore } from './logs.js';
import { MissionService } from './missions.js';
import { dataLayout, executionDirs, makeFolders, type DataLayout } from './paths.js';
import { ProjectService } from './projects.js';
import { DEFAULT_STOP_GRACE_SECONDS, missionFolderGone } from './runner/execution-run.js';
import { DEFAULT_DISK_RESERVE_BYTES, formatBytes } from './runner/disk-space.js';
import { HEARTBEAT_STALE_MS } from './runner/reconciler.js';
import { loadUsage } from './runner/resource-sampler.js';
import { Scheduler } from './runner/scheduler.js';
import { openDatabase, storeId, type Db } from './store/database.js';
import { TemplateService } from './templates.js';

const log = createLogger('engine');

export interface EngineOptions {
  dataDir: string;
  docker?: DockerOptions;
  /** Default: as many as the machine's cores and memory allow (at least one). */
  maxConcurrent?: number;
  retentionDays?: number;
  pullImages?: boolean;
  stopGraceSeconds?: number;
  pidsLimit?: number;
  /** Executions wait while less than this is free in the data directory (default 512 MiB). */
  diskReserveBytes?: number;
  /** The machine size the scheduler plans with; default: this machine's. */
  machine?: { cpus: number; memoryBytes: number };
  /** Write the engine log to <dataDir>/logs (the CLI and app do; library use may not). */
  logToFile?: boolean;
}

export interface LaunchRequest {
  template: string;
  mission: string;
  /** The template version to run; default: the latest. */
  version?: number;
}

export class Engine {
  readonly projects: ProjectService;
  readonly missions: MissionService;
  readonly templates: TemplateService;
  readonly executions: ExecutionStore;
  readonly logs: LogStore;
  readonly audit: AuditLog;
  readonly artifacts: ArtifactService;
  readonly events = new EventBus();
  readonly layout: DataLayout;
  private dockerClient: Docker | null = null;
  private readonly db: Db;
  private readonly scheduler: Scheduler;
  private readonly parts: EngineParts;

  private constructor(options: EngineOptions) {
    this.layout = dataLayout(options.dataDir);
    try {
      makeFolders(this.layout.root);
      fs.accessSync(this.layout.root, fs.constants.W_OK);
    } catch (error) {
      throw new AppError(
        'io_error',
        `cannot use ${this.layout.root} as the data folder (${errorMessage(error)})`,
        undefined,
        'give a folder you can write to with --data-dir or KLEINKRAM_ACTIONS_DATA',
      );
    }
    if (options.logToFile) configureLogging(this.layout.root);
    this.db = openDatabase(this.layout.database);
    this.projects = new ProjectService(this.db);
    this.missions = new MissionService(this.db, this.projects, this.layout.root);
    this.templates = new TemplateService(this.db);
    this.executions = new ExecutionStore(this.db);
    this.logs = new LogStore(this.db);
    this.audit = new AuditLog(this.db, (executionId) =>
      this.events.emit('audit.recorded', { executionId }),
    );
    this.artifacts = new ArtifactService(
      this.db,
      this.audit,
      options.retentionDays ?? DEFAULT_RETENTION_DAYS,
      (id) => executionDirs(this.layout, id).out,
    );
    const machine = options.machine ?? {
      cpus: os.availableParallelism(),
      memoryBytes: os.totalmem(),
    };
    const runner: RunnerOptions = {
      maxConcurrent: Math.max(1, options.maxConcurrent ?? Number.POSITIVE_INFINITY),
      machineCpus: machine.cpus,
      machineMemoryBytes: machine.memoryBytes,
      pullImages: options.pullImages ?? true,
      stopGraceSeconds: options.stopGraceSeconds ?? DEFAULT_STOP_GRACE_SECONDS,
      pidsLimit: options.pidsLimit ?? 1024,
      diskReserveBytes: options.diskReserveBytes ?? DEFAULT_DISK_RESERVE_BYTES,
    };
    const lazyDocker = () => (this.dockerClient ??= createDockerClient(options.docker));
    this.parts = {
      db: this.db,
      // The Docker client is made on first use: commands that only read the store never
      // need one, and opening the engine stays as cheap as opening its SQLite file. Settings
      // that cannot be used fail each use with docker_unavailable, which the runner reports
      // as its waiting cause.
      get docker() {
        return lazyDocker();
      },
      layout: this.layout,
      storeId: storeId(this.db),
      instanceId: randomUUID(),
      projects: this.projects,
      missions: this.missions,
      templates: this.templates,
      executions: this.executions,
      logs: this.logs,
      audit: this.audit,
      artifacts: this.artifacts,
      events: this.events,
      options: runner,
    };
    this.scheduler = new Scheduler(this.parts);
  }

  static open(options: EngineOptions): Engine {
    return new Engine(options);
  }

  get docker(): Docker {
    return this.parts.docker;
  }

  get runnerOptions(): Readonly<RunnerOptions> {
    return this.parts.options;
  }

  /**
   * Queues one execution of a template version on a mission. A request that can never run
   * as asked (more CPU or memory than this machine has, a mission folder that is gone) is
   * recorded as `unprocessable` with the cause; a request that is wrong itself (unknown
   * template or mission, access rights not supported) is refused and changes nothing.
   */
  launch(request: LaunchRequest): Execution {
    const template = this.templates.resolveRow(request.template);
    if (template.archived_at !== null) {
      throw new AppError(
        'invalid_input',
        `template ${template.name} is archived: restore it first`,
      );
    }
    const version = this.templates.get(template.id, request.version);
    if (version.accessRights !== 'read') {
      throw new AppError(
        'not_supported',
        `access rights "${version.accessRights}" are not yet supported: this version of ` +
          'Kleinkram Actions runs actions with read access only; edit the template to "read"',
      );
    }
    const mission = this.missions.resolve(request.mission);
    const { machineCpus, machineMemoryBytes } = this.parts.options;
    let state: ExecutionState = 'queued';
    let cause: string | null = null;
    let hint: string | null = null;
    if (version.cpuCores > machineCpus || version.memoryBytes > machineMemoryBytes) {
      state = 'unprocessable';
      cause =
        `the template asks for ${version.cpuCores} CPU cores and ` +
        `${formatBytes(version.memoryBytes)} of memory, but this machine has ${machineCpus} ` +
        `cores and ${formatBytes(machineMemoryBytes)}`;
      hint = 'lower the limits of the template to what this machine has';
    } else if (!fs.existsSync(mission.folder)) {
      const gone = missionFolderGone(mission);
      state = 'unprocessable';
      cause = gone.message;
      hint = gone.hint ?? null;
    }
    const id = randomUUID();
    this.executions.insert({
      id,
      templateId: template.id,
      templateVersion: version.version,
      missionId: mission.id,
      state,
      stateCause: cause,
      errorHint: hint,
    });
    const execution = this.executions.get(id);
    log.info(`execution ${id} ${state}: ${version.name} v${version.version} on ${mission.name}`);
    this.events.emit('execution.changed', execution);
    this.scheduler.wake();
    return execution;
  }

  /** Cancels a queued execution at once, or stops a running one (its final state follows). */
  cancel(ref: string): Execution {
    const execution = this.executions.resolve(ref);
    if (isFinalState(execution.state)) {
      throw new AppError(
        'conflict',
        `execution #${execution.number} has ended already (${execution.state})`,
      );
    }
    const cancelledNow = this.db.transaction(() => {
      this.executions.requestCancel(execution.id);
      return this.executions.update(
        execution.id,
        { state: 'cancelled', stateCause: 'cancelled while queued', endedAt: Date.now() },
        ['queued'],
      );
    })();
    if (!cancelledNow) this.scheduler.cancel(execution.id);
    const after = this.executions.get(execution.id);
    log.info(`execution ${execution.id} cancel requested (${after.state})`);
    this.events.emit('execution.changed', after);
    return after;
  }

  startRunner(): void {
    this.scheduler.start();
  }

  async stopRunner(options: { drain: boolean } = { drain: true }): Promise<void> {
    await this.scheduler.stop(options);
  }

  runnerStatus() {
    return this.scheduler.status();
  }

  /** Whether some engine (this one or another process) is running the queue now. */
  anyRunnerAlive(): boolean {
    const fresh = this.db
      .prepare('SELECT COUNT(*) FROM engine_instances WHERE heartbeat_at > ?')
      .pluck()
      .get(Date.now() - HEARTBEAT_STALE_MS) as number;
    return fresh > 0;
  }

  /** Resolves with the execution once it is in a final state. */
  waitForEnd(executionId: string): Promise<Execution> {
    return new Promise((resolve) => {
      const check = () => {
        const execution = this.executions.get(executionId);
        if (!isFinalState(execution.state)) return false;
        unsubscribe();
        clearInterval(poll);
        resolve(execution);
        return true;
      };
      const unsubscribe = this.events.on('execution.changed', (changed) => {
        if (changed.id === executionId) check();
      });
      // Another process may run it: the store is the truth, looked at twice a second.
      const poll = setInterval(check, 500);
      check();
    });
  }

  /**
   * Resolves once nothing is queued, this engine runs nothing, and nothing is left behind by
   * an engine that went away.
   */
  async waitIdle(): Promise<void> {
    while (this.scheduler.hasWork()) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** Peak memory, average CPU and the sampled series of an execution, once it has run. */
  resourceUsage(executionId: string): ResourceUsage | null {
    return loadUsage(this.db, executionId);
  }

  loadImage(tarPath: string): Promise<string[]> {
    return loadImage(this.docker, tarPath);
  }

  sweepArtifacts(now?: number) {
    return this.artifacts.sweep(now);
  }

  /**
   * Stops the runner and closes the store. By default running executions are waited for; the
   * desktop app quits with `drain: false`, leaving them running in Docker for the next start
   * to adopt.
   */
  async close(options: { drain: boolean } = { drain: true }): Promise<void> {
    await this.scheduler.stop(options);
    this.db.close();
  }
}
