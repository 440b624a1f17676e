// One execution, from claimed to final: image, container, logs, runtime limit, cancel, exit,
// artifacts, clean-up. The final state is decided from the exit code together with Docker's
// OOMKilled flag and the engine's own record of a timeout or cancel, never the code alone.
import fs from 'node:fs';
import { Writable } from 'node:stream';

import type Docker from 'dockerode';

import type { Execution, ExecutionState, Mission, TemplateVersion } from '../../shared/domain.js';
import { exitCodeMeaning } from '../../shared/exit-codes.js';
import { formatMemory } from '../../shared/template-input.js';
import { walkOutFolder, type CollectedFile } from '../artifacts.js';
import { dockerErrorMessage, isDockerUnreachable } from '../docker/client.js';
import { ensureImage } from '../docker/images.js';
import { AppError, errorMessage, isAppError } from '../errors.js';
import { createLogger } from '../logger.js';
import { firstSocketIn } from '../mission-scan.js';
import { executionDirs } from '../paths.js';
import type { EngineParts } from '../engine-parts.js';
import { buildContainerSpec } from './container-spec.js';
import { DISK_FULL_BYTES, formatBytes, freeBytes, isDiskFull } from './disk-space.js';
import { LogDecoder } from './log-decoder.js';
import { LogWriter } from './log-writer.js';
import { ResourceSampler, saveUsage } from './resource-sampler.js';

const log = createLogger('runner');

/** How long a stopped container gets between SIGTERM and SIGKILL. */
export const DEFAULT_STOP_GRACE_SECONDS = 10;
/** How long the log stream may stay silent after the container exited before it is closed. */
const LOG_IDLE_MS = 30_000;

interface Outcome {
  state: ExecutionState;
  cause: string | null;
  hint: string | null;
}

/**
 * The Docker engine went away while the run watched its container. The run ends without a
 * final state; the scheduler reconciles the execution once the engine answers again.
 */
export class DockerLostError extends Error {
  constructor(cause: unknown) {
    super(`lost the Docker engine: ${errorMessage(cause)}`);
    this.name = 'DockerLostError';
  }
}

interface DiskFull {
  reason: string;
  removed: CollectedFile[];
}

/** An adopted container had never been started: the execution is queued again. */
export class NeverStartedError extends Error {
  constructor() {
    super('its container was created but never started');
    this.name = 'NeverStartedError';
  }
}

/** How a run begins: a fresh container, or one an earlier engine started (adoption). */
export type RunStart = { kind: 'fresh' } | { kind: 'adopt'; containerId: string };

export class ExecutionRun {
  private container: Docker.Container | null = null;
  private stopReason: 'cancel' | 'timeout' | null = null;
  private runtimeTimer: NodeJS.Timeout | null = null;
  private exited = false;
  private dockerLost = false;
  /** Set when an adopted container had exited before this engine found it. */
  private exitedWhileAway = false;

  constructor(
    private readonly parts: EngineParts,
    readonly executionId: string,
    private readonly start: RunStart = { kind: 'fresh' },
  ) {}

  /** Asks the run to end: before the container starts it never starts; after, it is stopped. */
  cancel(): void {
    if (this.stopReason) return;
    this.stopReason = 'cancel';
    void this.stopContainer('cancel');
  }

  /**
   * Runs the execution to its final state and returns it; returns null when Docker was lost
   * on the way, leaving the execution for the scheduler to reconcile.
   */
  async run(): Promise<Execution | null> {
    const { executions } = this.parts;
    const execution = executions.get(this.executionId);
    let outcome: Outcome;
    try {
      outcome =
        this.start.kind === 'adopt'
          ? await this.adopt(execution, this.start.containerId)
          : await this.execute(execution);
    } catch (error) {
      if (error instanceof NeverStartedError) {
        executions.update(this.executionId, {
          state: 'queued',
          owner: null,
          startedAt: null,
          containerId: null,
        });
        log.info(`execution ${this.executionId}: ${error.message}; queued again`);
        this.parts.events.emit('execution.changed', executions.get(this.executionId));
        return null;
      }
      if (error instanceof DockerLostError || (this.dockerLost && !isAppError(error))) {
        log.warn(`execution ${this.executionId}: ${errorMessage(error)}; it is reconciled later`);
        return null;
      }
      outcome = this.outcomeOfError(error);
    } finally {
      if (this.runtimeTimer) clearTimeout(this.runtimeTimer);
    }
    // The final state is stored before the container is removed: if storing fails (a full
    // disk, a crash), the container is still there for the next reconciliation to finish.
    // An execution that ended while no engine watched it ended when its container did.
    const exitedAt = this.exitedWhileAway
      ? executions.get(this.executionId).containerExitedAt
      : null;
    executions.update(this.executionId, {
      state: outcome.state,
      stateCause: outcome.cause,
      errorHint: outcome.hint,
      endedAt: exitedAt ?? Date.now(),
    });
    await this.cleanUp();
    const final = executions.get(this.executionId);
    log.info(
      `execution ${final.id} ${final.state}` +
        (final.exitCode !== null ? ` (exit ${final.exitCode})` : '') +
        (final.stateCause ? `: ${final.stateCause}` : ''),
    );
    this.parts.events.emit('execution.changed', final);
    return final;
  }

  private async execute(execution: Execution): Promise<Outcome> {
    const { docker, executions, templates, missions, options } = this.parts;
    const version = templates.get(execution.templateId, execution.templateVersion);
    const mission = missions.get(execution.missionId);
    if (!fs.existsSync(mission.folder)) {
      throw missionFolderGone(mission);
    }

    const image = await ensureImage(docker, version.image, { pull: options.pullImages });
    executions.update(this.executionId, { imageDigest: image.repoDigests[0] ?? image.id });
    if (this.stopReason === 'cancel' || executions.cancelRequested(this.executionId)) {
      return { state: 'cancelled', cause: 'cancelled before it started', hint: null };
    }

    // The manifest is taken from a fresh scan: it must say what the action could really read.
    await missions.rescanForLaunch(mission.id);
    const dirs = executionDirs(this.parts.layout, this.executionId);
    await fs.promises.mkdir(dirs.out, { recursive: true });
    await fs.promises.mkdir(dirs.scratch, { recursive: true });
    const { mounted: projectMissions, withheld } = await this.mountableProjectMissions(mission);
    this.recordInputs(mission, projectMissions, withheld);

    const spec = buildContainerSpec({
      executionId: this.executionId,
      storeId: this.parts.storeId,
      imageId: image.id,
      version,
      mission,
      projectMissions,
      outDir: dirs.out,
      scratchDir: dirs.scratch,
      pidsLimit: options.pidsLimit,
    });
    const container = await docker.createContainer(spec);
    this.container = container;
    executions.update(this.executionId, { containerId: container.id });

    // Registered before start, so an exit that comes at once is not missed.
    const exit = this.waitForExit(container, 'next-exit');
    // Attached before the start, like `docker run`: the output arrives as it is written,
    // without the daemon reading it back from its log file (which costs twice the time for a
    // long log). Docker's log file stays the record that adoption replays after a crash.
    const output = (await this.docker(() =>
      container.attach({ stream: true, stdout: true, stderr: true }),
    )) as unknown as NodeJS.ReadableStream;
    try {
      await container.start();
    } catch (error) {
      (output as unknown as { destroy?: () => void }).destroy?.();
      return this.startFailed(container, error);
    }
    // The container's own start time is read after the exit; this is near enough for now.
    const startedAt = Date.now();
    executions.update(this.executionId, { state: 'running', containerStartedAt: startedAt });
    this.parts.events.emit('execution.changed', executions.get(this.executionId));
    log.info(`execution ${this.executionId} started in container ${container.id.slice(0, 12)}`);
    return this.superviseUntilExit(container, version, exit, startedAt, output);
  }

  /**
   * Takes over a container an earlier engine started: one still running is watched on (its
   * runtime limit counted from its real start), one that exited meanwhile is finished.
   * Log lines already stored are skipped when Docker replays the stream.
   */
  private async adopt(execution: Execution, containerId: string): Promise<Outcome> {
    const { docker, executions, templates } = this.parts;
    const version = templates.get(execution.templateId, execution.templateVersion);
    const container = docker.getContainer(containerId);
    this.container = container;
    const inspect = await container.inspect();
    if (inspect.State.Status === 'created') {
      // Created but never started (the engine went away in between): nothing ran, so the
      // container goes and the execution waits in the queue again.
      await container.remove({ force: true, v: true });
      this.container = null;
      throw new NeverStartedError();
    }
    const startedAt =
      Date.parse(inspect.State.StartedAt) || execution.containerStartedAt || Date.now();
    executions.update(this.executionId, {
      containerId,
      state: inspect.State.Running
        ? execution.state === 'stopping'
          ? 'stopping'
          : 'running'
        : execution.state,
      containerStartedAt: execution.containerStartedAt ?? startedAt,
    });
    this.exitedWhileAway = !inspect.State.Running;
    if (execution.timedOut) this.stopReason = 'timeout';
    if (execution.cancelRequested) this.stopReason = 'cancel';
    log.info(
      `execution ${this.executionId}: adopted container ${containerId.slice(0, 12)} ` +
        `(${inspect.State.Running ? 'running' : 'exited'})`,
    );
    this.parts.events.emit('execution.changed', executions.get(this.executionId));
    if (inspect.State.Running && this.stopReason) void this.stopContainer(this.stopReason);
    const exit = this.waitForExit(container, 'not-running');
    return this.superviseUntilExit(container, version, exit, startedAt);
  }

  private async superviseUntilExit(
    container: Docker.Container,
    version: TemplateVersion,
    exit: Promise<number>,
    startedAt: number,
    output?: NodeJS.ReadableStream,
  ): Promise<Outcome> {
    const { executions } = this.parts;
    this.armRuntimeLimit(version, startedAt);
    if (executions.cancelRequested(this.executionId)) this.cancel();

    const sampler = new ResourceSampler(startedAt);
    void sampler.start(container);
    const logs = await this.followLogs(container, output);
    let statusCode: number;
    let after: Docker.ContainerInspectInfo;
    try {
      statusCode = await exit;
      this.exited = true;
      await logs.done;
      if (this.dockerLost) throw new DockerLostError('the log stream broke');
      after = await this.docker(() => container.inspect());
    } catch (error) {
      logs.flush();
      logs.discard();
      throw error;
    } finally {
      sampler.stop();
    }

    // A full disk is dealt with before anything else is written: the partial artifacts are
    // removed first, which gives the store the room it needs for the rest.
    const dirs = executionDirs(this.parts.layout, this.executionId);
    const full = await this.removeArtifactsIfDiskFull(dirs.out);
    // If lines still cannot be stored, this throws: the container is kept and the execution
    // is reconciled later, its lines replayed from Docker's log.
    logs.finish();
    this.saveUsage(sampler);

    const exitCode = after.State.ExitCode ?? statusCode;
    const oomKilled = after.State.OOMKilled === true;
    const finishedAt = Date.parse(after.State.FinishedAt) || Date.now();
    const realStart = Date.parse(after.State.StartedAt);
    executions.update(this.executionId, {
      exitCode,
      oomKilled,
      containerExitedAt: finishedAt,
      containerStartedAt: realStart > 0 ? realStart : undefined,
    });
    const diskFull = full ? this.diskFullOutcome(full) : await this.collectArtifacts(dirs.out);
    if (diskFull) return diskFull;
    return this.outcomeOfExit(version, exitCode, oomKilled);
  }

  /** Usage is a nice-to-have: a store that cannot take it does not fail the execution. */
  private saveUsage(sampler: ResourceSampler): void {
    try {
      saveUsage(this.parts.db, this.executionId, sampler.usage());
    } catch (error) {
      log.warn(`execution ${this.executionId}: resource usage not stored: ${errorMessage(error)}`);
    }
  }

  /** The exit status; a broken connection to Docker is a DockerLostError, not an exit. */
  private async waitForExit(
    container: Docker.Container,
    condition: 'next-exit' | 'not-running',
  ): Promise<number> {
    const result = (await this.docker(() => container.wait({ condition }))) as {
      StatusCode: number;
    };
    return result.StatusCode;
  }

  /** Runs a Docker call; a failure that means the engine is gone becomes DockerLostError. */
  private async docker<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (isDockerUnreachable(error)) {
        this.dockerLost = true;
        throw new DockerLostError(error);
      }
      throw error;
    }
  }

  /**
   * The project's missions to mount: the launched one (already checked by its rescan) and the
   * others whose folders are there and hold no socket. A socket that appeared in another
   * mission's folder since its last scan withholds that mission, not the execution.
   */
  private async mountableProjectMissions(mission: Mission) {
    const mounted: Mission[] = [];
    const withheld: Array<{ mission: Mission; reason: string }> = [];
    for (const other of this.parts.missions.list(mission.projectId)) {
      if (other.id === mission.id) {
        mounted.push(other);
        continue;
      }
      if (!fs.existsSync(other.folder)) continue;
      const socket = await firstSocketIn(other.folder);
      if (socket === null) {
        mounted.push(other);
      } else {
        withheld.push({
          mission: other,
          reason: `not mounted: its folder holds a socket (${socket})`,
        });
        log.warn(
          `execution ${this.executionId}: mission ${other.name} withheld (socket ${socket})`,
        );
      }
    }
    return { mounted, withheld };
  }

  private recordInputs(
    mission: Mission,
    projectMissions: Mission[],
    withheld: Array<{ mission: Mission; reason: string }>,
  ): void {
    const files = this.parts.missions.files(mission.id);
    this.parts.audit.record(this.executionId, [
      ...files.map((file) => ({
        operation: 'input.available' as const,
        path: `/data/${file.path}`,
        bytes: file.size,
        detail: 'read-only',
      })),
      ...projectMissions
        .filter((other) => other.id !== mission.id)
        .map((other) => ({
          operation: 'input.available' as const,
          path: `/project/${other.name}`,
          bytes: other.totalBytes,
          detail: `read-only, mission ${other.name} (${other.fileCount} files)`,
        })),
      ...withheld.map(({ mission: other, reason }) => ({
        operation: 'input.withheld' as const,
        path: `/project/${other.name}`,
        detail: reason,
      })),
    ]);
  }

  private armRuntimeLimit(version: TemplateVersion, startedAt: number): void {
    // Counted from the container's real start, also when an engine adopts a running one.
    const remaining = startedAt + version.maxRuntimeSeconds * 1000 - Date.now();
    this.runtimeTimer = setTimeout(
      () => {
        if (this.stopReason || this.exited) return;
        this.stopReason = 'timeout';
        this.parts.executions.update(this.executionId, { timedOut: true });
        log.info(`execution ${this.executionId} reached its runtime limit`);
        void this.stopContainer('timeout');
      },
      Math.max(0, remaining),
    );
  }

  private async stopContainer(reason: 'cancel' | 'timeout'): Promise<void> {
    const { executions, events, options } = this.parts;
    if (executions.update(this.executionId, { state: 'stopping' }, ['running', 'starting'])) {
      events.emit('execution.changed', executions.get(this.executionId));
    }
    const container = this.container;
    if (!container || this.exited) return;
    try {
      // Docker sends SIGTERM, waits the grace period, then SIGKILL.
      await container.stop({ t: options.stopGraceSeconds });
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      // 304: it had stopped already; 404: it is gone. Both are what a stop wants.
      if (status !== 304 && status !== 404) {
        log.warn(
          `stop of execution ${this.executionId} (${reason}) failed: ${errorMessage(error)}`,
        );
      }
    }
  }

  /**
   * Follows the container's log stream into the store. The returned `finish` decodes what is
   * left (a last line without a newline): it is called only once the container has really
   * exited, because a stream cut by a lost engine is replayed later and a half line taken
   * as whole now would make that replay skip the rest of it.
   */
  private async followLogs(container: Docker.Container, attached?: NodeJS.ReadableStream) {
    const { logs, events } = this.parts;
    const writer = new LogWriter(logs, events, this.executionId);
    const decoder = new LogDecoder((line) => writer.push(line));
    const stream =
      attached ??
      ((await this.docker(() =>
        container.logs({ follow: true, stdout: true, stderr: true }),
      )) as unknown as NodeJS.ReadableStream);
    const sink = (name: 'stdout' | 'stderr') =>
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          decoder.push(name, chunk);
          done();
        },
      });
    this.parts.docker.modem.demuxStream(stream, sink('stdout'), sink('stderr'));
    let lastDataAt = Date.now();
    stream.on('data', () => {
      lastDataAt = Date.now();
    });
    const done = new Promise<void>((resolve) => {
      // After the exit, a stream that stays silent is cut loose rather than hang the run. It
      // is idle time that counts: a busy machine may still be reading a long log, and cutting
      // that would lose lines.
      const watchdog = setInterval(() => {
        if (!this.exited || Date.now() - lastDataAt < LOG_IDLE_MS) return;
        log.warn(`log stream of ${this.executionId} went silent after the exit; closing it`);
        (stream as unknown as { destroy?: () => void }).destroy?.();
        finish();
      }, 1000);
      const finish = () => {
        clearInterval(watchdog);
        resolve();
      };
      stream.on('end', finish);
      stream.on('close', finish);
      stream.on('error', (error) => {
        log.warn(`log stream of ${this.executionId} broke: ${errorMessage(error)}`);
        if (isDockerUnreachable(error)) this.dockerLost = true;
        finish();
      });
    });
    return {
      done,
      /** Stores the complete lines received so far (when Docker was lost). */
      flush: () => writer.flush(),
      flushOrThrow: () => writer.flushOrThrow(),
      discard: () => writer.discard(),
      finish: () => {
        decoder.end();
        writer.flush();
      },
    };
  }

  /**
   * When the data directory's disk filled up while the action wrote, the files in /out cannot
   * be trusted to be whole: they are removed, and the reason is returned.
   */
  private async removeArtifactsIfDiskFull(outDir: string): Promise<DiskFull | null> {
    const free = await freeBytes(this.parts.layout.root);
    if (free === null || free >= DISK_FULL_BYTES) return null;
    return this.removePartialArtifacts(outDir, `only ${formatBytes(free)} left`);
  }

  private async removePartialArtifacts(outDir: string, reason: string): Promise<DiskFull> {
    const collection = await walkOutFolder(outDir);
    await fs.promises.rm(outDir, { recursive: true, force: true });
    await fs.promises.mkdir(outDir, { recursive: true });
    log.warn(`execution ${this.executionId}: disk full (${reason}); partial artifacts removed`);
    return { reason, removed: collection.files };
  }

  private diskFullOutcome(full: DiskFull): Outcome {
    this.parts.audit.record(
      this.executionId,
      full.removed.map((file) => ({
        operation: 'artifact.deleted' as const,
        path: file.path,
        bytes: file.size,
        detail: 'disk full: a partial artifact, removed',
      })),
    );
    return {
      state: 'failed',
      cause:
        `the disk of the data directory ${this.parts.layout.root} filled up while the action ` +
        `wrote its artifacts (${full.reason}): the partial artifacts were removed`,
      hint: 'free space on that disk (or move the data directory), then launch again',
    };
  }

  /** Records what /out holds; a store too full to take the rows is a full disk as well. */
  private async collectArtifacts(outDir: string): Promise<Outcome | null> {
    const collection = await walkOutFolder(outDir);
    try {
      const artifacts = this.parts.artifacts.record(this.executionId, collection);
      log.info(`execution ${this.executionId}: ${artifacts.length} artifacts collected`);
      this.parts.events.emit('artifacts.collected', { executionId: this.executionId, artifacts });
      return null;
    } catch (error) {
      if (!isDiskFull(error)) throw error;
      return this.diskFullOutcome(await this.removePartialArtifacts(outDir, errorMessage(error)));
    }
  }

  private async startFailed(container: Docker.Container, error: unknown): Promise<Outcome> {
    const message = dockerErrorMessage(error);
    const state = await container.inspect().then(
      (info) => info.State,
      () => null,
    );
    const exitCode = state?.ExitCode && state.ExitCode !== 0 ? state.ExitCode : 125;
    // No GPU means the action never ran: it has no exit code of its own.
    if (/could not select device driver|nvidia/i.test(message)) {
      return {
        state: 'unprocessable',
        cause: `this machine cannot give the container a GPU: ${message}`,
        hint: 'install the NVIDIA container toolkit, or set the template to ask for no GPU',
      };
    }
    this.parts.executions.update(this.executionId, { exitCode });
    return {
      state: 'failed',
      cause: `Docker could not start the command (exit ${exitCode}: ${exitCodeMeaning(exitCode)}): ${message}`,
      hint:
        exitCode === 127 || exitCode === 126
          ? 'check the command and entrypoint of the template against the image'
          : null,
    };
  }

  private outcomeOfExit(version: TemplateVersion, exitCode: number, oomKilled: boolean): Outcome {
    if (this.stopReason === 'cancel') {
      return { state: 'cancelled', cause: 'cancelled while running', hint: null };
    }
    if (this.stopReason === 'timeout') {
      return {
        state: 'failed',
        cause: `timed out: stopped after the maximum runtime of ${version.maxRuntimeSeconds} s`,
        hint: 'raise the maximum runtime of the template if the action needs longer',
      };
    }
    if (oomKilled) {
      return {
        state: 'failed',
        cause: `out of memory: the action needed more than its limit of ${formatMemory(version.memoryBytes)}`,
        hint: 'raise the memory limit of the template',
      };
    }
    if (exitCode === 0) return { state: 'succeeded', cause: null, hint: null };
    const away = this.exitedWhileAway
      ? 'while the engine was away (killed, or Docker restarted), '
      : '';
    return {
      state: 'failed',
      cause: `exited ${away}with code ${exitCode}: ${exitCodeMeaning(exitCode)}`,
      hint: null,
    };
  }

  private outcomeOfError(error: unknown): Outcome {
    // The image or the mission is not there or not fit to mount: running again cannot help.
    const unprocessable = ['image_unavailable', 'not_found', 'invalid_input'];
    if (isAppError(error) && unprocessable.includes(error.code)) {
      log.warn(`execution ${this.executionId} unprocessable: ${error.message}`);
      return { state: 'unprocessable', cause: error.message, hint: error.hint ?? null };
    }
    log.error(`execution ${this.executionId} failed in the engine: ${errorMessage(error)}`);
    return {
      state: 'failed',
      cause: `the engine could not run it: ${errorMessage(error)}`,
      hint: null,
    };
  }

  private async cleanUp(): Promise<void> {
    if (this.container) {
      try {
        await this.container.remove({ force: true, v: true });
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode !== 404) {
          log.warn(`could not remove container of ${this.executionId}: ${errorMessage(error)}`);
        }
      }
    }
    const dirs = executionDirs(this.parts.layout, this.executionId);
    await fs.promises.rm(dirs.scratch, { recursive: true, force: true }).catch(() => undefined);
  }
}

export function missionFolderGone(mission: Mission): AppError {
  return new AppError(
    'not_found',
    `the mission folder ${mission.folder} is gone`,
    undefined,
    'mount or restore the folder, or point the mission at its new place ' +
      '(kleinkram-actions mission move), then launch again',
  );
}
