// Whether the runner can start executions, and how busy it is: shown in the top bar, so that
// a missing Docker engine is seen before a launch waits for nothing.
import { create } from 'zustand';

import type { ErrorValue } from '../../../main/shared/contract.js';
import type { RunnerStatus } from '../../../main/shared/domain.js';
import { request } from '../lib/api-client.js';
import { toErrorValue } from '../lib/errors.js';

interface RunnerState {
  status: RunnerStatus | null;
  error: ErrorValue | null;
  load(): Promise<void>;
}

export const useRunnerStore = create<RunnerState>((set) => ({
  status: null,
  error: null,
  async load() {
    try {
      set({ status: await request('runner.status', {}), error: null });
    } catch (error) {
      set({ error: toErrorValue(error) });
    }
  },
}));
