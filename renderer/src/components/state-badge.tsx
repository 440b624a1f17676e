// An execution state in both vocabularies: ours, and the name Kleinkram shows for it.
import type { ReactElement } from 'react';

import { KLEINKRAM_STATE_NAMES, type ExecutionState } from '../../../main/shared/domain.js';

export function StateBadge({ state }: { state: ExecutionState }): ReactElement {
  return (
    <span className={`state-badge state-${state}`} data-state={state}>
      <span className="state-ours">{state}</span>
      <span className="state-kleinkram">{KLEINKRAM_STATE_NAMES[state]}</span>
    </span>
  );
}
