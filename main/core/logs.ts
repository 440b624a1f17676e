// Stored log lines of executions. Lines arrive in batches and are written in one transaction
// per batch: a long stream costs a few hundred commits, not one per line.
import type { LogLine, LogStream } from '../shared/domain.js';
import type { Statement } from 'better-sqlite3';

import type { Db } from './store/database.js';

// Rows are read as arrays (`.raw()`) in this column order: a page of a thousand lines then
// builds one object per line instead of two, which is most of what a read costs.
type LogRow = [seq: number, stream: LogStream, time: number, text: string, cut: number];
export const LOG_LINE_COLUMNS = 'seq, stream, time, text, cut';

const toLine = (row: LogRow): LogLine => ({
  seq: row[0],
  stream: row[1],
  time: row[2],
  text: row[3],
  cut: row[4] === 1,
});

export interface NewLogLine {
  stream: LogStream;
  time: number;
  text: string;
  cut: boolean;
}

export interface LogQuery {
  /** Lines with a sequence number above this one. */
  afterSeq?: number;
  limit?: number;
  stream?: LogStream;
  /** Only lines containing this text (case-insensitive for ASCII). */
  search?: string;
}

// A fast stream arrives in batches of thousands of lines: a hundred rows per INSERT took a
// quarter less CPU and 40 % less time than one row each (bench/probes/log-inserts.ts).
const ROWS_PER_INSERT = 100;

export class LogStore {
  private readonly inserts = new Map<number, Statement>();

  constructor(private readonly db: Db) {}

  /** The highest stored sequence number of an execution, 0 when it has none. */
  lastSeq(executionId: string): number {
    return this.db
      .prepare('SELECT COALESCE(MAX(seq), 0) FROM log_lines WHERE execution_id = ?')
      .pluck()
      .get(executionId) as number;
  }

  /** Appends lines after `afterSeq` and returns them with their sequence numbers. */
  append(executionId: string, afterSeq: number, lines: NewLogLine[]): LogLine[] {
    const stored: LogLine[] = [];
    let seq = afterSeq;
    const values: unknown[] = [];
    const addRow = (line: NewLogLine) => {
      seq += 1;
      values.push(executionId, seq, line.stream, line.time, line.text, line.cut ? 1 : 0);
      stored.push({ seq, stream: line.stream, time: line.time, text: line.text, cut: line.cut });
    };
    this.db.transaction(() => {
      let next = 0;
      for (; next + ROWS_PER_INSERT <= lines.length; next += ROWS_PER_INSERT) {
        values.length = 0;
        for (let row = next; row < next + ROWS_PER_INSERT; row++) addRow(lines[row]!);
        this.insertStatement(ROWS_PER_INSERT).run(values);
      }
      for (; next < lines.length; next++) {
        values.length = 0;
        addRow(lines[next]!);
        this.insertStatement(1).run(values);
      }
    })();
    return stored;
  }

  private insertStatement(rows: 1 | typeof ROWS_PER_INSERT): Statement {
    const cached = this.inserts.get(rows);
    if (cached) return cached;
    const statement = this.db.prepare(
      'INSERT INTO log_lines (execution_id, seq, stream, time, text, cut) VALUES ' +
        Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?)').join(', '),
    );
    this.inserts.set(rows, statement);
    return statement;
  }

  read(executionId: string, query: LogQuery = {}): LogLine[] {
    const where = ['execution_id = ?', 'seq > ?'];
    const params: unknown[] = [executionId, query.afterSeq ?? 0];
    if (query.stream) {
      where.push('stream = ?');
      params.push(query.stream);
    }
    if (query.search) {
      where.push("text LIKE ? ESCAPE '\\'");
      params.push(`%${query.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    }
    params.push(query.limit ?? 1000);
    const rows = this.db
      .prepare(
        `SELECT ${LOG_LINE_COLUMNS} FROM log_lines WHERE ${where.join(' AND ')} ` +
          'ORDER BY seq LIMIT ?',
      )
      .raw()
      .all(...params) as LogRow[];
    return rows.map(toLine);
  }

  count(executionId: string): number {
    return this.db
      .prepare('SELECT COUNT(*) FROM log_lines WHERE execution_id = ?')
      .pluck()
      .get(executionId) as number;
  }
}
