// The executions list: pages of executions newest first, filtered by the core, kept current by
// execution.changed events. Rows are replaced, never mutated, so a row component re-renders
// only when its own execution changed.
import { create } from 'zustand';

import type { ErrorValue, RequestInput } from '../../../main/shared/contract.js';
import type { Execution, ExecutionState } from '../../../main/shared/domain.js';
import { request } from '../lib/api-client.js';
import { toErrorValue } from '../lib/errors.js';

/** Large enough that one page fills a tall window, small enough to arrive at once. */
export const EXECUTIONS_PAGE_SIZE = 250;

export interface ExecutionFilter {
  states: ExecutionState[];
  templateId: string | null;
  missionId: string | null;
}

export function matchesFilter(execution: Execution, filter: ExecutionFilter): boolean {
  if (filter.states.length > 0 && !filter.states.includes(execution.state)) return false;
  if (filter.templateId && execution.templateId !== filter.templateId) return false;
  if (filter.missionId && execution.missionId !== filter.missionId) return false;
  return true;
}

function listInput(
  filter: ExecutionFilter,
  beforeNumber?: number,
): RequestInput<'executions.list'> {
  return {
    limit: EXECUTIONS_PAGE_SIZE,
    ...(filter.states.length > 0 ? { states: filter.states } : {}),
    ...(filter.templateId ? { template: filter.templateId } : {}),
    ...(filter.missionId ? { mission: filter.missionId } : {}),
    ...(beforeNumber !== undefined ? { beforeNumber } : {}),
  };
}

interface ExecutionsState {
  rows: Execution[];
  filter: ExecutionFilter;
  loaded: boolean;
  loading: boolean;
  loadingMore: boolean;
  /** The last page came back short: there is nothing older to fetch. */
  exhausted: boolean;
  error: ErrorValue | null;
  cancelling: Record<string, boolean>;
  cancelErrors: Record<string, ErrorValue>;
  load(): Promise<void>;
  loadMore(): Promise<void>;
  setFilter(change: Partial<ExecutionFilter>): void;
  applyChanges(changes: Execution[]): void;
  cancel(executionId: string): Promise<void>;
}

function without<T>(record: Record<string, T>, key: string): Record<string, T> {
  const copy = { ...record };
  delete copy[key];
  return copy;
}

/** Answers to an older filter are dropped: a slow page must not land in a newer list. */
let generation = 0;

export const useExecutionsStore = create<ExecutionsState>((set, get) => ({
  rows: [],
  filter: { states: [], templateId: null, missionId: null },
  loaded: false,
  loading: false,
  loadingMore: false,
  exhausted: false,
  error: null,
  cancelling: {},
  cancelErrors: {},

  async load() {
    const mine = ++generation;
    set({ loading: true, loadingMore: false });
    try {
      const rows = await request('executions.list', listInput(get().filter));
      if (mine !== generation) return;
      set({
        rows,
        loaded: true,
        loading: false,
        error: null,
        exhausted: rows.length < EXECUTIONS_PAGE_SIZE,
      });
    } catch (error) {
      if (mine === generation) set({ loading: false, error: toErrorValue(error) });
    }
  },

  async loadMore() {
    const { rows, loading, loadingMore, exhausted, filter } = get();
    const oldest = rows.at(-1);
    if (loading || loadingMore || exhausted || !oldest) return;
    const mine = generation;
    set({ loadingMore: true });
    try {
      const page = await request('executions.list', listInput(filter, oldest.number));
      if (mine !== generation) return;
      // A live event may have brought some of these rows already.
      const known = new Set(get().rows.map((row) => row.id));
      const fresh = page.filter((row) => !known.has(row.id));
      set({
        rows: [...get().rows, ...fresh],
        loadingMore: false,
        exhausted: page.length < EXECUTIONS_PAGE_SIZE,
        error: null,
      });
    } catch (error) {
      if (mine === generation) set({ loadingMore: false, error: toErrorValue(error) });
    }
  },

  setFilter(change) {
    set({ filter: { ...get().filter, ...change }, rows: [], loaded: false, exhausted: false });
    void get().load();
  },

  applyChanges(changes) {
    const { rows, filter, exhausted } = get();
    if (changes.length === 0) return;
    const latest = new Map<string, Execution>();
    for (const change of changes) latest.set(change.id, change);

    const next: Execution[] = [];
    let changed = false;
    for (const row of rows) {
      const change = latest.get(row.id);
      if (!change) {
        next.push(row);
        continue;
      }
      latest.delete(row.id);
      changed = true;
      if (matchesFilter(change, filter)) next.push(change);
    }
    // What is left is new to this list. Older than the loaded pages, it arrives with paging;
    // newer (or anything, when every page is loaded) it goes in by number.
    const oldest = next.at(-1)?.number ?? Number.NEGATIVE_INFINITY;
    const added = [...latest.values()].filter(
      (execution) => matchesFilter(execution, filter) && (exhausted || execution.number > oldest),
    );
    if (added.length > 0) {
      next.push(...added);
      next.sort((a, b) => b.number - a.number);
    }
    // Changes to executions outside this list leave it (and its renders) alone.
    if (changed || added.length > 0) set({ rows: next });
  },

  async cancel(executionId) {
    set({
      cancelling: { ...get().cancelling, [executionId]: true },
      cancelErrors: without(get().cancelErrors, executionId),
    });
    try {
      const execution = await request('executions.cancel', { execution: executionId });
      get().applyChanges([execution]);
    } catch (error) {
      set({ cancelErrors: { ...get().cancelErrors, [executionId]: toErrorValue(error) } });
    } finally {
      set({ cancelling: without(get().cancelling, executionId) });
    }
  },
}));
