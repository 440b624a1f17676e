// Start and duration as the executions list and page show them: the duration counts from the
// moment the runner took the execution, and keeps counting while it runs.
import type { Execution } from '../../../main/shared/domain.js';
import { isFinalState } from '../../../main/shared/domain.js';

export function executionStart(execution: Execution): number | null {
  return execution.startedAt;
}

export function executionDuration(execution: Execution, now: number): number | null {
  if (execution.startedAt === null) return null;
  const end = execution.endedAt ?? (isFinalState(execution.state) ? null : now);
  return end === null ? null : end - execution.startedAt;
}
