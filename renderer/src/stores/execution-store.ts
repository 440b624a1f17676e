// The execution being looked at: its record, artifacts and audit log, kept current by events.
import { create } from 'zustand';

import type { ErrorValue } from '../../../main/shared/contract.js';
import type {
  Artifact,
  AuditEvent,
  Execution,
  ResourceUsage,
  TemplateVersion,
} from '../../../main/shared/domain.js';
import { EXECUTION_STATES } from '../../../main/shared/domain.js';
import { request } from '../lib/api-client.js';
import { toErrorValue } from '../lib/errors.js';

function stateRank(execution: Execution): number {
  return Math.min(EXECUTION_STATES.indexOf(execution.state), EXECUTION_STATES.indexOf('succeeded'));
}

interface ExecutionState {
  executionId: string | null;
  execution: Execution | null;
  error: ErrorValue | null;
  /** The template version it runs, for its limits and image. */
  version: TemplateVersion | null;
  artifacts: Artifact[];
  artifactsError: ErrorValue | null;
  audit: AuditEvent[];
  auditError: ErrorValue | null;
  /** CPU and memory sampled while it ran; null before the first samples. */
  resources: ResourceUsage | null;
  cancelling: boolean;
  cancelError: ErrorValue | null;
  open(executionId: string): Promise<void>;
  close(): void;
  applyChange(execution: Execution): void;
  refreshArtifacts(): Promise<void>;
  cancel(): Promise<void>;
}

/** What the page shows before an execution's data has arrived; opening one starts here again. */
const NOTHING_LOADED = {
  execution: null,
  error: null,
  version: null,
  artifacts: [],
  artifactsError: null,
  audit: [],
  auditError: null,
  resources: null,
  cancelError: null,
} satisfies Partial<ExecutionState>;

export const useExecutionStore = create<ExecutionState>((set, get) => ({
  executionId: null,
  ...NOTHING_LOADED,
  cancelling: false,

  async open(executionId) {
    set({ executionId, ...NOTHING_LOADED });
    try {
      const execution = await request('executions.get', { execution: executionId });
      if (get().executionId !== executionId) return;
      // An event may have brought a newer record while this one was on its way; states only
      // move forward, so the further one wins.
      const current = get().execution;
      if (!current || stateRank(execution) >= stateRank(current)) set({ execution });
      // Versions are immutable and a template with executions is archived, never deleted, so
      // this only fails with the connection; the header then shows no limits, nothing more.
      void request('templates.get', {
        template: execution.templateId,
        version: execution.templateVersion,
      })
        .then((version) => get().executionId === executionId && set({ version }))
        .catch(() => undefined);
    } catch (error) {
      if (get().executionId === executionId) set({ error: toErrorValue(error) });
    }
    await get().refreshArtifacts();
  },

  close() {
    set({ executionId: null, execution: null });
  },

  applyChange(execution) {
    if (execution.id !== get().executionId) return;
    const before = get().execution;
    set({ execution });
    // Artifacts and the audit log are written as the execution ends.
    if (before && before.state !== execution.state) void get().refreshArtifacts();
  },

  async refreshArtifacts() {
    const executionId = get().executionId;
    if (!executionId) return;
    const [artifacts, audit, resources] = await Promise.allSettled([
      request('artifacts.list', { execution: executionId }),
      request('audit.list', { execution: executionId }),
      request('executions.resources', { execution: executionId }),
    ]);
    if (get().executionId !== executionId) return;
    set({
      // Usage is extra information: a failure to read it leaves the last one shown.
      resources: resources.status === 'fulfilled' ? resources.value : get().resources,
      artifacts: artifacts.status === 'fulfilled' ? artifacts.value : get().artifacts,
      artifactsError: artifacts.status === 'rejected' ? toErrorValue(artifacts.reason) : null,
      audit: audit.status === 'fulfilled' ? audit.value : get().audit,
      auditError: audit.status === 'rejected' ? toErrorValue(audit.reason) : null,
    });
  },

  async cancel() {
    const executionId = get().executionId;
    if (!executionId) return;
    set({ cancelling: true, cancelError: null });
    try {
      get().applyChange(await request('executions.cancel', { execution: executionId }));
      set({ cancelling: false });
    } catch (error) {
      set({ cancelling: false, cancelError: toErrorValue(error) });
    }
  },
}));
