// The words of the system notification shown when an execution launched from the window ends.
import { KLEINKRAM_STATE_NAMES, type Execution } from '../shared/domain.js';
import { exitCodeMeaning } from '../shared/exit-codes.js';

export function executionEndedNotice(execution: Execution): { title: string; body: string } {
  const what = `${execution.templateName} v${execution.templateVersion} on ${execution.missionName}`;
  const title = `#${execution.number} ${KLEINKRAM_STATE_NAMES[execution.state]}: ${what}`;
  if (execution.state === 'succeeded') return { title, body: 'finished; its artifacts are ready' };
  if (execution.exitCode !== null) {
    return {
      title,
      body: `exit code ${execution.exitCode}: ${exitCodeMeaning(execution.exitCode, execution.oomKilled)}`,
    };
  }
  return { title, body: execution.stateCause ?? execution.state };
}
