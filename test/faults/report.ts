// The fault suite's result: one row per fault, printed as one table at the end.
import Table from 'cli-table3';

export interface FaultRow {
  fault: string;
  executions: number;
  expected: string;
  happened: string;
  linesLost: number;
  artifactsLost: number;
  ok: boolean;
}

export function printTable(rows: FaultRow[]): void {
  const table = new Table({
    head: ['fault', 'executions', 'expected', 'what happened', 'lines lost', 'artifacts lost', ''],
    colWidths: [20, 12, 32, 44, 8, 11, 6],
    wordWrap: true,
    style: { head: [], border: [] },
  });
  for (const row of rows) {
    table.push([
      row.fault,
      row.executions,
      row.expected,
      row.happened,
      row.linesLost,
      row.artifactsLost,
      row.ok ? 'ok' : 'FAIL',
    ]);
  }
  console.log(table.toString());
}

/** Collects checks of one scenario: each failed check is named in "what happened". */
export class Checks {
  private readonly failures: string[] = [];

  expect(condition: boolean, what: string): void {
    if (!condition) this.failures.push(what);
  }

  get ok(): boolean {
    return this.failures.length === 0;
  }

  summary(success: string): string {
    return this.ok ? success : `FAILED: ${this.failures.join('; ')}`;
  }
}
