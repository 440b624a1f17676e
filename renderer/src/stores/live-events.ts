// One subscription per event for the whole app, fanned out to the stores. Execution changes
// come in bursts (a launch on many missions, a queue draining), so they are gathered and
// handed over together.
import type { Execution } from '../../../main/shared/domain.js';
import { subscribe } from '../lib/api-client.js';
import { useExecutionStore } from './execution-store.js';
import { useExecutionsStore } from './executions-store.js';
import { useRunnerStore } from './runner-store.js';
import { useTemplatesStore } from './templates-store.js';

const FLUSH_INTERVAL_MS = 100;
const TEMPLATES_RELOAD_DELAY_MS = 500;

function refreshIfOpen(executionId: string): void {
  if (useExecutionStore.getState().executionId === executionId) {
    void useExecutionStore.getState().refreshArtifacts();
  }
}

export function connectLiveEvents(): () => void {
  let pending: Execution[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;

  // A burst of launches reloads the template list once at its end, not once per flush.
  let templatesTimer: ReturnType<typeof setTimeout> | null = null;
  const reloadTemplatesSoon = () => {
    if (templatesTimer) clearTimeout(templatesTimer);
    templatesTimer = setTimeout(() => {
      templatesTimer = null;
      void useTemplatesStore.getState().load();
    }, TEMPLATES_RELOAD_DELAY_MS);
  };

  const flush = () => {
    timer = null;
    const changes = pending;
    pending = [];
    useExecutionsStore.getState().applyChanges(changes);
    // The template list counts executions: a launch (from here or from the CLI) changes one.
    if (changes.some((execution) => execution.state === 'queued')) reloadTemplatesSoon();
  };

  const unsubscribers = [
    subscribe('execution.changed', (execution) => {
      useExecutionStore.getState().applyChange(execution);
      pending.push(execution);
      timer ??= setTimeout(flush, FLUSH_INTERVAL_MS);
    }),
    subscribe('runner.changed', (status) => useRunnerStore.setState({ status, error: null })),
    subscribe('artifacts.collected', ({ executionId }) => refreshIfOpen(executionId)),
    // Downloads and exports through this engine show in the open audit log at once.
    subscribe('audit.recorded', ({ executionId }) => refreshIfOpen(executionId)),
  ];

  return () => {
    if (timer) clearTimeout(timer);
    if (templatesTimer) clearTimeout(templatesTimer);
    for (const unsubscribe of unsubscribers) unsubscribe();
  };
}
