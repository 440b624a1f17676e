// Follows an execution from the store: prints its log lines as they are stored and returns
// when it has ended and every line is out. Works whichever process runs the execution.
import pc from 'picocolors';

import type { Engine } from '../core/engine.js';
import { isFinalState, type Execution, type LogLine } from '../shared/domain.js';
import { state } from './format.js';

const POLL_MS = 200;

export interface FollowOptions {
  afterSeq?: number;
  stream?: 'stdout' | 'stderr';
  search?: string;
  /** Print state changes to stderr as they happen. */
  showStates?: boolean;
  /** Stops following (the execution goes on): the result is then null. */
  signal?: AbortSignal;
}

export function printLine(line: LogLine): void {
  const text = line.cut ? `${line.text}${pc.yellow(' [line cut: too long]')}` : line.text;
  if (line.stream === 'stderr') process.stderr.write(`${text}\n`);
  else process.stdout.write(`${text}\n`);
}

export async function followExecution(
  engine: Engine,
  executionId: string,
  options: FollowOptions = {},
): Promise<Execution | null> {
  let afterSeq = options.afterSeq ?? 0;
  let lastState = '';
  for (;;) {
    // The state is read before the lines: every line stored before the end is printed below.
    const execution = engine.executions.get(executionId);
    for (;;) {
      const lines = engine.logs.read(executionId, { afterSeq, limit: 5000 });
      for (const line of lines) {
        afterSeq = line.seq;
        if (options.stream && line.stream !== options.stream) continue;
        if (options.search && !line.text.includes(options.search)) continue;
        printLine(line);
      }
      if (lines.length < 5000) break;
    }
    if (options.showStates && execution.state !== lastState) {
      lastState = execution.state;
      const cause =
        execution.stateCause && !isFinalState(execution.state) ? `: ${execution.stateCause}` : '';
      process.stderr.write(
        pc.gray(`· #${execution.number} `) + state(execution.state) + pc.gray(cause) + '\n',
      );
    }
    if (isFinalState(execution.state)) return execution;
    if (options.signal?.aborted) return null;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
