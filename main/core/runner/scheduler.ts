// The queue: executions wait in the store as `queued` and start in order when a runner slot
// and the CPU and memory they ask for are free. The resources in use are read from the store,
// so several engines on one data directory (the app and a CLI worker) share the machine
// fairly. While Docker is unreachable nothing is claimed: executions stay queued, with a
// message that says why, and the engine asks again with a growing backoff.
import os from 'node:os';

import type { RunnerStatus } from '../../shared/domain.js';
import { dockerUnavailableMessage, pingDocker } from '../docker/client.js';
import type { EngineParts } from '../engine-parts.js';
import { errorMessage, isAppError } from '../errors.js';
import { createLogger } from '../logger.js';
import { freeBytes, formatBytes } from './disk-space.js';
import { ExecutionRun, type RunStart } from './execution-run.js';
import { Reconciler, type Orphan } from './reconciler.js';

const log = createLogger('scheduler');

const TICK_MS = 500;
const BACKOFF_START_MS = 500;
const BACKOFF_MAX_MS = 15_000;
/** How long an orphan that could not be reconciled waits before the next attempt. */
const RECONCILE_RETRY_MS = 5_000;
/** Checkpoints keep the WAL file small while long log streams are written. */
const CHECKPOINT_EVERY_MS = 10_000;

export class Scheduler {
  private readonly runs = new Map<string, { run: ExecutionRun; done: Promise<unknown> }>();
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private tickAgain = false;
  private stopped = true;
  private dockerMessage: string | null = null;
  private backoffMs = 0;
  private nextPingAt = 0;
  private lastStatus = '';
  private readonly reconciler: Reconciler;
  /** Stray containers are looked for after each start and each return of Docker. */
  private strayCheckDue = true;
  private readonly retryAt = new Map<string, number>();
  private waitingCause: string | null = null;
  private lastCheckpoint = Date.now();
  private lastTickError: string | null = null;

  constructor(private readonly parts: EngineParts) {
    this.reconciler = new Reconciler(parts);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const now = Date.now();
    this.parts.db
      .prepare(
        'INSERT OR REPLACE INTO engine_instances (id, pid, hostname, started_at, heartbeat_at) ' +
          'VALUES (?, ?, ?, ?, ?)',
      )
      .run(this.parts.instanceId, process.pid, os.hostname(), now, now);
    log.info(
      `runner started (instance ${this.parts.instanceId}, up to ${this.parts.options.maxConcurrent} at once)`,
    );
    this.schedule(0);
  }

  /** Stops claiming new executions; waits for the running ones when `drain` is set. */
  async stop(options: { drain: boolean }): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.ticking;
    if (options.drain) await Promise.all([...this.runs.values()].map((entry) => entry.done));
    this.parts.db.prepare('DELETE FROM engine_instances WHERE id = ?').run(this.parts.instanceId);
    log.info('runner stopped');
  }

  /** Looks at the queue now instead of at the next tick. */
  wake(): void {
    if (!this.stopped) this.schedule(0);
  }

  cancel(executionId: string): boolean {
    const entry = this.runs.get(executionId);
    entry?.run.cancel();
    return entry !== undefined;
  }

  get localRunCount(): number {
    return this.runs.size;
  }

  /**
   * Whether there is work for a runner: something queued, running here, or left behind by
   * an engine that went away (which a runner adopts).
   */
  hasWork(): boolean {
    if (this.runs.size > 0 || this.parts.executions.queued(1).length > 0) return true;
    return this.reconciler.orphans(new Set()).length > 0;
  }

  status(): RunnerStatus {
    const counts = this.parts.executions.counts();
    return {
      available: this.dockerMessage === null,
      message: this.dockerMessage,
      running: (counts.starting ?? 0) + (counts.running ?? 0) + (counts.stopping ?? 0),
      queued: counts.queued ?? 0,
    };
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delayMs);
  }

  private async tick(): Promise<void> {
    if (this.ticking) {
      this.tickAgain = true;
      return;
    }
    this.ticking = this.tickOnce()
      .catch((error) => {
        // A full disk fails every tick until space is freed: say so once, not twice a second.
        const message = errorMessage(error);
        if (message !== this.lastTickError) log.error(`scheduler tick failed: ${message}`);
        this.lastTickError = message;
      })
      .finally(() => {
        this.ticking = null;
        const again = this.tickAgain;
        this.tickAgain = false;
        this.schedule(again ? 0 : TICK_MS);
      });
    await this.ticking;
  }

  private async tickOnce(): Promise<void> {
    const { db, executions, instanceId } = this.parts;
    db.prepare('UPDATE engine_instances SET heartbeat_at = ? WHERE id = ?').run(
      Date.now(),
      instanceId,
    );
    // A cancel may come from another process (the CLI) through the store.
    for (const [id, entry] of this.runs) {
      if (executions.cancelRequested(id)) entry.run.cancel();
    }
    const orphans = this.reconciler
      .orphans(new Set(this.runs.keys()))
      .filter((orphan) => (this.retryAt.get(orphan.id) ?? 0) <= Date.now());
    const queued = executions.queued(1).length > 0;
    if ((queued || orphans.length > 0 || this.strayCheckDue) && (await this.dockerReady())) {
      await this.reconcile(orphans);
      if (queued) await this.claimAndStart();
    }
    this.checkpoint();
    this.publishStatus();
    this.lastTickError = null;
  }

  private async reconcile(orphans: Orphan[]): Promise<void> {
    for (const orphan of orphans) {
      try {
        const decision = await this.reconciler.decide(orphan);
        if (decision.kind === 'requeue') this.reconciler.requeue(orphan);
        else if (decision.kind === 'gone') this.reconciler.failGone(orphan);
        else if (this.parts.executions.takeOver(orphan.id, orphan.owner, this.parts.instanceId)) {
          this.launchRun(orphan.id, { kind: 'adopt', containerId: decision.containerId });
        }
        this.retryAt.delete(orphan.id);
      } catch (error) {
        this.retryAt.set(orphan.id, Date.now() + RECONCILE_RETRY_MS);
        log.warn(`could not reconcile execution ${orphan.id}: ${errorMessage(error)}`);
      }
    }
    if (this.strayCheckDue) {
      await this.reconciler.removeStrayContainers(new Set(this.runs.keys()));
      this.strayCheckDue = false;
    }
  }

  /** Keeps the WAL bounded: a passive checkpoint never blocks writers or readers. */
  private checkpoint(): void {
    if (Date.now() - this.lastCheckpoint < CHECKPOINT_EVERY_MS) return;
    this.lastCheckpoint = Date.now();
    this.parts.db.pragma('wal_checkpoint(PASSIVE)');
  }

  private async dockerReady(): Promise<boolean> {
    if (this.dockerMessage !== null && Date.now() < this.nextPingAt) return false;
    try {
      await pingDocker(this.parts.docker);
    } catch (error) {
      const message = isAppError(error)
        ? error.message
        : dockerUnavailableMessage(this.parts.docker, error);
      if (this.dockerMessage === null) log.warn(`runner unavailable: ${message}`);
      this.dockerMessage = message;
      this.backoffMs = Math.min(BACKOFF_MAX_MS, Math.max(BACKOFF_START_MS, this.backoffMs * 2));
      this.nextPingAt = Date.now() + this.backoffMs;
      this.setWaitingCause(`waiting: ${message}`);
      return false;
    }
    if (this.dockerMessage !== null) {
      log.info('runner available again: the Docker engine answers');
      this.strayCheckDue = true;
      this.setWaitingCause(null);
    }
    this.dockerMessage = null;
    this.backoffMs = 0;
    return true;
  }

  /** Tells every queued execution why it waits (or that it no longer does). */
  private setWaitingCause(cause: string | null): void {
    if (cause === this.waitingCause) return;
    this.waitingCause = cause;
    this.parts.db
      .prepare("UPDATE executions SET state_cause = ? WHERE state = 'queued'")
      .run(cause);
  }

  /** Claims queued executions in order while they fit; the first that does not fit waits. */
  private async claimAndStart(): Promise<void> {
    const { db, executions, options, instanceId, layout } = this.parts;
    const free = await freeBytes(layout.root);
    if (free !== null && free < options.diskReserveBytes) {
      if (this.waitingCause === null) {
        log.warn(`executions wait: ${formatBytes(free)} free in ${layout.root}`);
      }
      this.setWaitingCause(
        `waiting: only ${formatBytes(free)} free on the disk of ${layout.root}, below the ` +
          `reserve of ${formatBytes(options.diskReserveBytes)}: free space, or lower the reserve`,
      );
      return;
    }
    this.setWaitingCause(null);
    const claim = db.transaction(() => {
      if (this.runs.size >= options.maxConcurrent) return null;
      const head = executions.queued(1)[0];
      if (!head) return null;
      const used = db
        .prepare(
          `SELECT COUNT(*) AS n, COALESCE(SUM(v.cpu_cores), 0) AS cpus,
                  COALESCE(SUM(v.memory_bytes), 0) AS memory
           FROM executions e JOIN template_versions v
             ON v.template_id = e.template_id AND v.version = e.template_version
           WHERE e.state IN ('starting', 'running', 'stopping')`,
        )
        .get() as { n: number; cpus: number; memory: number };
      const wanted = this.parts.templates.get(head.templateId, head.templateVersion);
      const fits =
        used.n === 0 ||
        (used.cpus + wanted.cpuCores <= options.machineCpus + 1e-9 &&
          used.memory + wanted.memoryBytes <= options.machineMemoryBytes);
      if (!fits) return null;
      const claimed = executions.update(
        head.id,
        { state: 'starting', stateCause: null, owner: instanceId, startedAt: Date.now() },
        ['queued'],
      );
      return claimed ? head.id : null;
    });
    for (;;) {
      const id = claim.immediate();
      if (!id) return;
      this.parts.events.emit('execution.changed', executions.get(id));
      log.info(`execution ${id} claimed`);
      this.launchRun(id, { kind: 'fresh' });
    }
  }

  private launchRun(id: string, start: RunStart): void {
    const run = new ExecutionRun(this.parts, id, start);
    const done = run
      .run()
      .then((final) => {
        // Docker went away under the run: look for stray containers once it is back.
        if (final === null) this.strayCheckDue = true;
      })
      .catch((error) => log.error(`execution ${id} ended in the engine: ${errorMessage(error)}`))
      .finally(() => {
        this.runs.delete(id);
        this.wake();
      });
    this.runs.set(id, { run, done });
  }

  private publishStatus(): void {
    const status = this.status();
    const key = JSON.stringify(status);
    if (key === this.lastStatus) return;
    this.lastStatus = key;
    this.parts.events.emit('runner.changed', status);
  }
}
