// Brings the store and Docker back into agreement after the engine was away: killed, or cut
// off from a restarting Docker daemon. Containers are found by the app's labels. One still
// running is adopted; one that exited meanwhile is finished; an execution whose container is
// gone is failed with that cause; a container that belongs to no live execution is removed.
import os from 'node:os';

import type Docker from 'dockerode';

import type { EngineParts } from '../engine-parts.js';
import { errorMessage } from '../errors.js';
import { createLogger } from '../logger.js';
import { LABEL_APP, LABEL_EXECUTION, LABEL_STORE } from './container-spec.js';

const log = createLogger('reconciler');

/** An engine whose heartbeat is older than this is taken to be gone. */
export const HEARTBEAT_STALE_MS = 15_000;

export interface Orphan {
  id: string;
  owner: string | null;
  state: string;
  containerId: string | null;
}

export type Decision =
  { kind: 'adopt'; containerId: string } | { kind: 'requeue' } | { kind: 'gone' };

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class Reconciler {
  constructor(private readonly parts: EngineParts) {}

  /** Whether the engine instance that owns an execution is still running it. */
  ownerAlive(owner: string | null): boolean {
    if (owner === null) return false;
    if (owner === this.parts.instanceId) return true;
    const row = this.parts.db
      .prepare('SELECT pid, hostname, heartbeat_at FROM engine_instances WHERE id = ?')
      .get(owner) as { pid: number; hostname: string; heartbeat_at: number } | undefined;
    if (!row) return false;
    if (row.hostname === os.hostname() && !processAlive(row.pid)) return false;
    return row.heartbeat_at > Date.now() - HEARTBEAT_STALE_MS;
  }

  /**
   * Active executions nobody runs: owned by a dead engine, or by this one without a run
   * (its run gave up when Docker went away).
   */
  orphans(localRuns: ReadonlySet<string>): Orphan[] {
    return this.parts.executions
      .active()
      .filter((row) =>
        row.owner === this.parts.instanceId ? !localRuns.has(row.id) : !this.ownerAlive(row.owner),
      );
  }

  /** Decides what to do with an orphan, from what Docker knows of its container. */
  async decide(orphan: Orphan): Promise<Decision> {
    const containers = await this.parts.docker.listContainers({
      all: true,
      filters: { label: [`${LABEL_EXECUTION}=${orphan.id}`] },
    });
    const container = containers.find((c) => c.Labels[LABEL_STORE] === this.parts.storeId);
    if (container) return { kind: 'adopt', containerId: container.Id };
    // Claimed but never given a container: nothing ran, so it can simply wait again.
    if (orphan.state === 'starting' && orphan.containerId === null) return { kind: 'requeue' };
    return { kind: 'gone' };
  }

  requeue(orphan: Orphan): void {
    const { executions } = this.parts;
    if (!executions.takeOver(orphan.id, orphan.owner, this.parts.instanceId)) return;
    executions.update(orphan.id, { state: 'queued', owner: null, startedAt: null }, ['starting']);
    log.info(`execution ${orphan.id} had not started when its engine went away: queued again`);
    this.parts.events.emit('execution.changed', executions.get(orphan.id));
  }

  failGone(orphan: Orphan): void {
    const { executions } = this.parts;
    if (!executions.takeOver(orphan.id, orphan.owner, this.parts.instanceId)) return;
    executions.update(orphan.id, {
      state: 'failed',
      stateCause:
        'its container is gone: it was removed while the engine was not watching it, so its ' +
        'exit code and any artifacts it had not written are unknown',
      errorHint: 'launch it again',
      endedAt: Date.now(),
    });
    log.warn(`execution ${orphan.id} failed: its container is gone`);
    this.parts.events.emit('execution.changed', executions.get(orphan.id));
  }

  /** Stops and removes this store's containers that belong to no active execution. */
  async removeStrayContainers(localRuns: ReadonlySet<string>): Promise<number> {
    const { docker, executions, storeId } = this.parts;
    const containers = await docker.listContainers({
      all: true,
      filters: { label: [`${LABEL_APP}=true`, `${LABEL_STORE}=${storeId}`] },
    });
    let removed = 0;
    for (const info of containers) {
      const executionId = info.Labels[LABEL_EXECUTION] ?? '';
      const execution = executions.find(executionId);
      const active = execution && ['starting', 'running', 'stopping'].includes(execution.state);
      if (active || localRuns.has(executionId)) continue;
      await removeContainer(docker.getContainer(info.Id));
      removed++;
      log.warn(
        `removed container ${info.Id.slice(0, 12)} (${info.State}): it belongs to ` +
          (execution ? `execution ${executionId}, which has ended` : 'no known execution'),
      );
    }
    return removed;
  }
}

async function removeContainer(container: Docker.Container): Promise<void> {
  try {
    await container.remove({ force: true, v: true });
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== 404) {
      log.warn(`could not remove container ${container.id}: ${errorMessage(error)}`);
    }
  }
}
