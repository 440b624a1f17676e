// The audit log of an execution: every file operation of its life, in order.
import type { AuditEvent, AuditOperation } from '../shared/domain.js';
import type { Db } from './store/database.js';

interface AuditRow {
  id: number;
  execution_id: string;
  time: number;
  operation: AuditOperation;
  path: string | null;
  bytes: number | null;
  detail: string | null;
}

export interface AuditRecord {
  operation: AuditOperation;
  path?: string | null;
  bytes?: number | null;
  detail?: string | null;
}

export class AuditLog {
  /** Executions with new entries since the last notice. */
  private readonly unannounced = new Set<string>();

  constructor(
    private readonly db: Db,
    private readonly onRecorded: (executionId: string) => void = () => undefined,
  ) {}

  /** Records events; call inside the caller's transaction when they belong to a state change. */
  record(executionId: string, events: AuditRecord[], time = Date.now()): void {
    if (events.length === 0) return;
    this.announceLater(executionId);
    const insert = this.db.prepare(
      'INSERT INTO audit_events (execution_id, time, operation, path, bytes, detail) ' +
        'VALUES (?, ?, ?, ?, ?, ?)',
    );
    for (const event of events) {
      insert.run(
        executionId,
        time,
        event.operation,
        event.path ?? null,
        event.bytes ?? null,
        event.detail ?? null,
      );
    }
  }

  /**
   * Says which executions have new entries once the current synchronous work is over: after
   * the caller's transaction has committed (a rolled-back one costs a reader a needless
   * reload, nothing more), and once for all the entries of one collection or sweep.
   */
  private announceLater(executionId: string): void {
    if (this.unannounced.size === 0) {
      queueMicrotask(() => {
        const executionIds = [...this.unannounced];
        this.unannounced.clear();
        for (const id of executionIds) this.onRecorded(id);
      });
    }
    this.unannounced.add(executionId);
  }

  list(executionId: string): AuditEvent[] {
    const rows = this.db
      .prepare('SELECT * FROM audit_events WHERE execution_id = ? ORDER BY id')
      .all(executionId) as AuditRow[];
    return rows.map((row) => ({
      id: row.id,
      executionId: row.execution_id,
      time: row.time,
      operation: row.operation,
      path: row.path,
      bytes: row.bytes,
      detail: row.detail,
    }));
  }
}
