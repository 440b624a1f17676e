// The executions table: one run of one template version on one mission. The runner and the
// scheduler move executions through their states; every change is one statement or one
// transaction, so a crash leaves a state the next start can read.
import type { Execution, ExecutionState } from '../shared/domain.js';
import { AppError } from './errors.js';
import type { Db } from './store/database.js';

// Rows are read as arrays (`.raw()`) in the order of this SELECT, and each becomes an Execution
// in one step: a page of a hundred rows then costs one object per row, not two. Exported so
// the benchmark types the very same statement into the sqlite3 shell.
export const EXECUTION_SELECT = `
  SELECT e.id, e.number, e.template_id, e.template_version, v.name, e.mission_id, m.name,
         m.project_id, p.name, e.state, e.state_cause, e.exit_code, e.error_hint,
         e.image_digest, e.container_id, e.cancel_requested, e.timed_out, e.oom_killed,
         e.queued_at, e.started_at, e.container_started_at, e.container_exited_at, e.ended_at
  FROM executions e
  JOIN template_versions v ON v.template_id = e.template_id AND v.version = e.template_version
  JOIN missions m ON m.id = e.mission_id
  JOIN projects p ON p.id = m.project_id`;

type ExecutionRow = [
  id: string,
  number: number,
  templateId: string,
  templateVersion: number,
  templateName: string,
  missionId: string,
  missionName: string,
  projectId: string,
  projectName: string,
  state: ExecutionState,
  stateCause: string | null,
  exitCode: number | null,
  errorHint: string | null,
  imageDigest: string | null,
  containerId: string | null,
  cancelRequested: number,
  timedOut: number,
  oomKilled: number,
  queuedAt: number,
  startedAt: number | null,
  containerStartedAt: number | null,
  containerExitedAt: number | null,
  endedAt: number | null,
];

const toExecution = (row: ExecutionRow): Execution => ({
  id: row[0],
  number: row[1],
  templateId: row[2],
  templateVersion: row[3],
  templateName: row[4],
  missionId: row[5],
  missionName: row[6],
  projectId: row[7],
  projectName: row[8],
  state: row[9],
  stateCause: row[10],
  exitCode: row[11],
  errorHint: row[12],
  imageDigest: row[13],
  containerId: row[14],
  cancelRequested: row[15] === 1,
  timedOut: row[16] === 1,
  oomKilled: row[17] === 1,
  queuedAt: row[18],
  startedAt: row[19],
  containerStartedAt: row[20],
  containerExitedAt: row[21],
  endedAt: row[22],
});

export interface ExecutionFilter {
  states?: ExecutionState[];
  templateId?: string;
  missionId?: string;
  /** Only executions numbered below this (for paging from the newest down). */
  beforeNumber?: number;
  limit?: number;
}

/** Columns the runner may set on a state change. */
export interface ExecutionUpdate {
  state?: ExecutionState;
  stateCause?: string | null;
  exitCode?: number | null;
  errorHint?: string | null;
  imageDigest?: string | null;
  containerId?: string | null;
  timedOut?: boolean;
  oomKilled?: boolean;
  owner?: string | null;
  startedAt?: number | null;
  containerStartedAt?: number | null;
  containerExitedAt?: number | null;
  endedAt?: number | null;
}

const COLUMN: Record<keyof ExecutionUpdate, string> = {
  state: 'state',
  stateCause: 'state_cause',
  exitCode: 'exit_code',
  errorHint: 'error_hint',
  imageDigest: 'image_digest',
  containerId: 'container_id',
  timedOut: 'timed_out',
  oomKilled: 'oom_killed',
  owner: 'owner',
  startedAt: 'started_at',
  containerStartedAt: 'container_started_at',
  containerExitedAt: 'container_exited_at',
  endedAt: 'ended_at',
};

export class ExecutionStore {
  constructor(private readonly db: Db) {}

  insert(row: {
    id: string;
    templateId: string;
    templateVersion: number;
    missionId: string;
    state: ExecutionState;
    stateCause: string | null;
    errorHint: string | null;
  }): void {
    const now = Date.now();
    this.db
      .prepare(
        `INSERT INTO executions (id, number, template_id, template_version, mission_id, state,
           state_cause, error_hint, queued_at, ended_at)
         VALUES (?, (SELECT COALESCE(MAX(number), 0) + 1 FROM executions), ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        row.id,
        row.templateId,
        row.templateVersion,
        row.missionId,
        row.state,
        row.stateCause,
        row.errorHint,
        now,
        row.state === 'queued' ? null : now,
      );
  }

  find(id: string): Execution | null {
    const row = this.db.prepare(`${EXECUTION_SELECT} WHERE e.id = ?`).raw().get(id) as
      ExecutionRow | undefined;
    return row ? toExecution(row) : null;
  }

  get(id: string): Execution {
    const execution = this.find(id);
    if (!execution) throw new AppError('not_found', `no execution ${id}`);
    return execution;
  }

  /** An execution by id, by the first characters of its id, or by its number (#12 or 12). */
  resolve(ref: string): Execution {
    const number = /^#?(\d+)$/.exec(ref);
    if (number) {
      const row = this.db
        .prepare(`${EXECUTION_SELECT} WHERE e.number = ?`)
        .raw()
        .get(Number(number[1])) as ExecutionRow | undefined;
      if (row) return toExecution(row);
    }
    const rows = this.db
      .prepare(`${EXECUTION_SELECT} WHERE e.id = ? OR (length(?) >= 4 AND e.id LIKE ?) LIMIT 2`)
      .raw()
      .all(ref, ref, `${ref}%`) as ExecutionRow[];
    if (rows.length === 1) return toExecution(rows[0]!);
    if (rows.length > 1) {
      throw new AppError(
        'invalid_input',
        `"${ref}" matches several executions: give more of the id`,
      );
    }
    throw new AppError(
      'not_found',
      `no execution "${ref}"`,
      undefined,
      'the executions list shows their numbers and ids (kleinkram-actions execution list)',
    );
  }

  list(filter: ExecutionFilter = {}): Execution[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.states && filter.states.length > 0) {
      where.push(`e.state IN (${filter.states.map(() => '?').join(', ')})`);
      params.push(...filter.states);
    }
    if (filter.templateId) {
      where.push('e.template_id = ?');
      params.push(filter.templateId);
    }
    if (filter.missionId) {
      where.push('e.mission_id = ?');
      params.push(filter.missionId);
    }
    if (filter.beforeNumber !== undefined) {
      where.push('e.number < ?');
      params.push(filter.beforeNumber);
    }
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    params.push(filter.limit ?? 100);
    const rows = this.db
      .prepare(`${EXECUTION_SELECT} ${clause} ORDER BY e.number DESC LIMIT ?`)
      .raw()
      .all(...params) as ExecutionRow[];
    return rows.map(toExecution);
  }

  /** Queued executions, oldest first: the order the scheduler starts them in. */
  queued(limit = 50): Execution[] {
    return (
      this.db
        .prepare(`${EXECUTION_SELECT} WHERE e.state = 'queued' ORDER BY e.number LIMIT ?`)
        .raw()
        .all(limit) as ExecutionRow[]
    ).map(toExecution);
  }

  /**
   * Sets columns, optionally only while the execution is in one of `fromStates`; returns
   * whether a row changed, so a caller that lost a race knows it.
   */
  update(id: string, changes: ExecutionUpdate, fromStates?: readonly ExecutionState[]): boolean {
    const sets: string[] = [];
    const params: unknown[] = [];
    for (const [key, value] of Object.entries(changes) as Array<[keyof ExecutionUpdate, unknown]>) {
      if (value === undefined) continue;
      sets.push(`${COLUMN[key]} = ?`);
      params.push(typeof value === 'boolean' ? (value ? 1 : 0) : value);
    }
    if (sets.length === 0) return false;
    let sql = `UPDATE executions SET ${sets.join(', ')} WHERE id = ?`;
    params.push(id);
    if (fromStates) {
      sql += ` AND state IN (${fromStates.map(() => '?').join(', ')})`;
      params.push(...fromStates);
    }
    return this.db.prepare(sql).run(...params).changes === 1;
  }

  /**
   * Moves an active execution to a new owner, only if it still has the old one: of two
   * engines that try to take over the same execution, one wins.
   */
  takeOver(id: string, fromOwner: string | null, toOwner: string): boolean {
    return (
      this.db
        .prepare(
          `UPDATE executions SET owner = ? WHERE id = ? AND owner IS ?
           AND state IN ('starting', 'running', 'stopping')`,
        )
        .run(toOwner, id, fromOwner).changes === 1
    );
  }

  /** Executions that an engine is running or should be running, with their owners. */
  active(): Array<{
    id: string;
    owner: string | null;
    state: ExecutionState;
    containerId: string | null;
  }> {
    return this.db
      .prepare(
        `SELECT id, owner, state, container_id AS containerId FROM executions
         WHERE state IN ('starting', 'running', 'stopping') ORDER BY number`,
      )
      .all() as Array<{
      id: string;
      owner: string | null;
      state: ExecutionState;
      containerId: string | null;
    }>;
  }

  requestCancel(id: string): void {
    this.db.prepare('UPDATE executions SET cancel_requested = 1 WHERE id = ?').run(id);
  }

  cancelRequested(id: string): boolean {
    return (
      this.db.prepare('SELECT cancel_requested FROM executions WHERE id = ?').pluck().get(id) === 1
    );
  }

  counts(): Record<ExecutionState, number> {
    const rows = this.db
      .prepare('SELECT state, COUNT(*) AS n FROM executions GROUP BY state')
      .all() as Array<{ state: ExecutionState; n: number }>;
    const counts = {} as Record<ExecutionState, number>;
    for (const row of rows) counts[row.state] = row.n;
    return counts;
  }
}
