// One execution, from claimed to final: image, container, logs, runtime limit, cancel, exit,
// artifacts, clean-up. The final state is decided from the exit code together with Docker's
// OOMKilled flag and the engine's own record of a timeout or cancel, never the code alone.
import fs from 'node:fs';
import { Writable } from 'node:stream';

import type Docker from 'dockerode';

import type { Execution, ExecutionState, Mission, TemplateVersion } from '../../shared/domain.js';
import { exitCodeMeaning } from '../../shared/exit-codes.js';
import { formatMemory } from '../../shared/template-input.js';
import { walkOutFolder } from '../artifacts.js';
import { dockerErrorMessage } from '../docker/client.js';
import { ensureImage } from '../docker/images.js';
import { AppError, errorMessage, isAppError } from '../errors.js';
import { createLogger } from '../logger.js';
import { executionDirs } from '../paths.js';
import type { EngineParts } from '../engine-parts.js';
import { buildContainerSpec } from './container-spec.js';
import { LogDecoder } from './log-decoder.js';
import { LogWriter } from './log-writer.js';

const log = createLogger('runner');

/** How long a stopped container gets between SIGTERM and SIGKILL. */
export const DEFAULT_STOP_GRACE_SECONDS = 10;
/** How long to wait for the log stream to end after the container exited. */
const LOG_DRAIN_MS = 30_000;

interface Outcome {
  state: ExecutionState;
  cause: string | null;
  hint: string | null;
}

export class ExecutionRun {
  private container: Docker.Container | null = null;
  private stopReason: 'cancel' | 'timeout' | null = null;
  private runtimeTimer: NodeJS.Timeout | null = null;
  private exited = false;

  constructor(
    private readonly parts: EngineParts,
    readonly executionId: string,
  ) {}

  /** Asks the run to end: before the container starts it never starts; after, it is stopped. */
  cancel(): void {
    if (this.stopReason) return;
    this.stopReason = 'cancel';
    void this.stopContainer('cancel');
  }

  async run(): Promise<Execution> {
    const { executions } = this.parts;
    const execution = executions.get(this.executionId);
    let outcome: Outcome;
    try {
      outcome = await this.execute(execution);
    } catch (error) {
      outcome = this.outcomeOfError(error);
    } finally {
      if (this.runtimeTimer) clearTimeout(this.runtimeTimer);
    }
    await this.cleanUp();
    executions.update(this.executionId, {
      state: outcome.state,
      stateCause: outcome.cause,
      errorHint: outcome.hint,
      endedAt: Date.now(),
    });
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
    await missions.rescan(mission.id);
    const dirs = executionDirs(this.parts.layout, this.executionId);
    await fs.promises.mkdir(dirs.out, { recursive: true });
    await fs.promises.mkdir(dirs.scratch, { recursive: true });
    const projectMissions = missions.list(mission.projectId).filter((m) => fs.existsSync(m.folder));
    this.recordInputs(mission, projectMissions);

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
    const exit = container.wait({ condition: 'next-exit' }) as Promise<{ StatusCode: number }>;
    try {
      await container.start();
    } catch (error) {
      return this.startFailed(container, error);
    }
    const inspect = await container.inspect();
    const startedAt = Date.parse(inspect.State.StartedAt) || Date.now();
    executions.update(this.executionId, { state: 'running', containerStartedAt: startedAt });
    this.parts.events.emit('execution.changed', executions.get(this.executionId));
    log.info(`execution ${this.executionId} started in container ${container.id.slice(0, 12)}`);

    this.armRuntimeLimit(version, startedAt);
    if (executions.cancelRequested(this.executionId)) this.cancel();

    const logsDone = this.followLogs(container);
    const status = await exit;
    this.exited = true;
    await logsDone;

    const after = await container.inspect();
    const exitCode = after.State.ExitCode ?? status.StatusCode;
    const oomKilled = after.State.OOMKilled === true;
    executions.update(this.executionId, {
      exitCode,
      oomKilled,
      containerExitedAt: Date.parse(after.State.FinishedAt) || Date.now(),
    });

    await this.collectArtifacts(dirs.out);
    return this.outcomeOfExit(version, exitCode, oomKilled);
  }

  private recordInputs(mission: Mission, projectMissions: Mission[]): void {
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

  private async followLogs(container: Docker.Container): Promise<void> {
    const { logs, events } = this.parts;
    const writer = new LogWriter(logs, events, this.executionId);
    const decoder = new LogDecoder((line) => writer.push(line));
    const stream = (await container.logs({
      follow: true,
      stdout: true,
      stderr: true,
    })) as unknown as NodeJS.ReadableStream;
    const sink = (name: 'stdout' | 'stderr') =>
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          decoder.push(name, chunk);
          done();
        },
      });
    this.parts.docker.modem.demuxStream(stream, sink('stdout'), sink('stderr'));
    await new Promise<void>((resolve) => {
      let drainTimer: NodeJS.Timeout | null = null;
      const finish = () => {
        if (drainTimer) clearTimeout(drainTimer);
        resolve();
      };
      stream.on('end', finish);
      stream.on('close', finish);
      stream.on('error', (error) => {
        log.warn(`log stream of ${this.executionId} broke: ${errorMessage(error)}`);
        finish();
      });
      // A stream that does not end after the exit is cut loose rather than hanging the run.
      const checkExit = setInterval(() => {
        if (!this.exited) return;
        clearInterval(checkExit);
        drainTimer = setTimeout(() => {
          log.warn(`log stream of ${this.executionId} did not end after exit; closing it`);
          (stream as unknown as { destroy?: () => void }).destroy?.();
          finish();
        }, LOG_DRAIN_MS);
      }, 200);
      stream.on('close', () => clearInterval(checkExit));
      stream.on('end', () => clearInterval(checkExit));
    });
    decoder.end();
    writer.flush();
  }

  private async collectArtifacts(outDir: string): Promise<void> {
    const collection = await walkOutFolder(outDir);
    const artifacts = this.parts.artifacts.record(this.executionId, collection);
    log.info(`execution ${this.executionId}: ${artifacts.length} artifacts collected`);
    this.parts.events.emit('artifacts.collected', { executionId: this.executionId, artifacts });
  }

  private async startFailed(container: Docker.Container, error: unknown): Promise<Outcome> {
    const message = dockerErrorMessage(error);
    const state = await container.inspect().then(
      (info) => info.State,
      () => null,
    );
    const exitCode = state?.ExitCode && state.ExitCode !== 0 ? state.ExitCode : 125;
    this.parts.executions.update(this.executionId, { exitCode });
    if (/could not select device driver|nvidia/i.test(message)) {
      return {
        state: 'unprocessable',
        cause: `this machine cannot give the container a GPU: ${message}`,
        hint: 'install the NVIDIA container toolkit, or set the template to ask for no GPU',
      };
    }
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
    return {
      state: 'failed',
      cause: `exited with code ${exitCode}: ${exitCodeMeaning(exitCode)}`,
      hint: null,
    };
  }

  private outcomeOfError(error: unknown): Outcome {
    if (isAppError(error) && (error.code === 'image_unavailable' || error.code === 'not_found')) {
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
    'mount or restore the folder (or register the mission again from its new place), then launch again',
  );
}
