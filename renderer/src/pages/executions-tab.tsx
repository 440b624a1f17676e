// The Executions tab: every execution, newest first, filtered by state, template and mission,
// kept current by events. Only the rows in sight are in the DOM, and older pages are fetched
// as the list is scrolled towards them, so 10,000 executions scroll as smoothly as ten.
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useId, useRef, type ReactElement } from 'react';

import {
  EXECUTION_STATES,
  KLEINKRAM_STATE_NAMES,
  isFinalState,
  type Execution,
} from '../../../main/shared/domain.js';
import { exitCodeMeaning } from '../../../main/shared/exit-codes.js';
import { EmptyState } from '../components/empty-state.js';
import { ErrorNotice } from '../components/error-notice.js';
import { Icon } from '../components/icons.js';
import { StateBadge } from '../components/state-badge.js';
import { executionDuration } from '../lib/execution-time.js';
import { formatCount, formatDuration, formatTime } from '../lib/format.js';
import { useNow } from '../lib/use-now.js';
import { useExecutionsStore } from '../stores/executions-store.js';
import { useMissionsStore } from '../stores/missions-store.js';
import { routeHref } from '../stores/route-store.js';
import { useTemplatesStore } from '../stores/templates-store.js';

const ROW_HEIGHT = 44;
/** Fetch the next page this many rows before the end comes into sight. */
const PREFETCH_ROWS = 60;

export function ExecutionsTab(): ReactElement {
  const { rows, loaded, loading, loadingMore, exhausted, error, filter, load, loadMore } =
    useExecutionsStore();
  const cancelErrors = useExecutionsStore((state) => state.cancelErrors);
  const scroller = useRef<HTMLDivElement>(null);

  useEffect(() => {
    void load();
    void useTemplatesStore.getState().load();
    void useMissionsStore.getState().load();
  }, [load]);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    getItemKey: (index) => rows[index]?.id ?? index,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;

  useEffect(() => {
    if (!exhausted && rows.length > 0 && lastIndex >= rows.length - PREFETCH_ROWS) {
      void loadMore();
    }
  }, [exhausted, lastIndex, loadMore, rows.length]);

  const filtering =
    filter.states.length > 0 || filter.templateId !== null || filter.missionId !== null;
  const cancelError = Object.entries(cancelErrors).at(-1);

  return (
    <div className="tab-panel executions-tab">
      <ExecutionFilters />
      <ErrorNotice
        error={error}
        title="Could not load the executions"
        onRetry={() => void load()}
      />
      {cancelError ? (
        <ErrorNotice
          error={cancelError[1]}
          title={`Could not cancel execution #${rows.find((row) => row.id === cancelError[0])?.number ?? ''}`}
        />
      ) : null}
      <p className="list-count" aria-live="polite">
        {loading && !loaded
          ? 'Loading executions…'
          : `${formatCount(rows.length)}${exhausted ? '' : '+'} execution${rows.length === 1 ? '' : 's'}${filtering ? ' match the filters' : ''}`}
        {loadingMore ? ' · loading older ones…' : ''}
      </p>
      {loaded && rows.length === 0 ? (
        filtering ? (
          <EmptyState title="No execution matches these filters">
            <p>Clear a filter to see more executions.</p>
          </EmptyState>
        ) : (
          <EmptyState
            title="No executions yet"
            action={
              <a className="button primary" href={routeHref({ page: 'actions', tab: 'templates' })}>
                Go to the templates
              </a>
            }
          >
            <p>
              Launch a template on a mission with its play button: each launch appears here and
              updates as it runs.
            </p>
          </EmptyState>
        )
      ) : null}
      {rows.length > 0 ? (
        <div
          className="virtual-table executions-table"
          role="table"
          aria-rowcount={rows.length + 1}
        >
          <div className="virtual-head" role="rowgroup">
            <div className="execution-row head-row" role="row" aria-rowindex={1}>
              <span role="columnheader">#</span>
              <span role="columnheader">State</span>
              <span role="columnheader">Template</span>
              <span role="columnheader">Mission</span>
              <span role="columnheader">Started</span>
              <span role="columnheader">Duration</span>
              <span role="columnheader">Exit code</span>
              <span role="columnheader">
                <span className="visually-hidden">Actions</span>
              </span>
            </div>
          </div>
          <div
            ref={scroller}
            className="virtual-scroller"
            data-testid="executions-scroller"
            style={{ height: rows.length * ROW_HEIGHT }}
          >
            <div
              role="rowgroup"
              className="virtual-space"
              style={{ height: virtualizer.getTotalSize() }}
            >
              {items.map((item) => {
                const execution = rows[item.index];
                if (!execution) return null;
                return (
                  <ExecutionRow
                    key={item.key}
                    execution={execution}
                    rowIndex={item.index + 2}
                    offset={item.start}
                  />
                );
              })}
            </div>
          </div>
        </div>
      ) : null}
    </div>
  );
}

interface ExecutionRowProps {
  execution: Execution;
  rowIndex: number;
  offset: number;
}

const ExecutionRow = memo(function ExecutionRow(props: ExecutionRowProps): ReactElement {
  const { execution, rowIndex, offset } = props;
  const final = isFinalState(execution.state);
  const now = useNow(!final && execution.startedAt !== null);
  const cancelling = useExecutionsStore((state) => state.cancelling[execution.id] === true);
  const cancel = useExecutionsStore((state) => state.cancel);
  const canCancel = !final && !execution.cancelRequested;

  return (
    <div
      className="execution-row"
      role="row"
      aria-rowindex={rowIndex}
      data-execution={execution.number}
      data-state={execution.state}
      style={{ transform: `translateY(${offset}px)` }}
    >
      <span role="cell">
        <a href={routeHref({ page: 'execution', executionId: execution.id })}>
          #{execution.number}
        </a>
      </span>
      <span role="cell">
        <StateBadge state={execution.state} />
      </span>
      <span role="cell" className="ellipsis" title={execution.templateName}>
        {execution.templateName} <span className="version-tag">v{execution.templateVersion}</span>
      </span>
      <span
        role="cell"
        className="ellipsis"
        title={`${execution.projectName} / ${execution.missionName}`}
      >
        <span className="muted">{execution.projectName} /</span> {execution.missionName}
      </span>
      <span role="cell">{formatTime(execution.startedAt)}</span>
      <span role="cell">{formatDuration(executionDuration(execution, now))}</span>
      <span
        role="cell"
        title={
          execution.exitCode === null
            ? undefined
            : exitCodeMeaning(execution.exitCode, execution.oomKilled)
        }
      >
        {execution.exitCode ?? '–'}
      </span>
      <span role="cell" className="row-actions">
        {canCancel ? (
          <button
            type="button"
            className="button small danger"
            aria-label={`Cancel execution #${execution.number}`}
            disabled={cancelling}
            onClick={() => void cancel(execution.id)}
          >
            <Icon name="stop" size={14} /> Cancel
          </button>
        ) : null}
      </span>
    </div>
  );
});

function ExecutionFilters(): ReactElement {
  const filter = useExecutionsStore((state) => state.filter);
  const setFilter = useExecutionsStore((state) => state.setFilter);
  const templates = useTemplatesStore((state) => state.templates);
  const missions = useMissionsStore((state) => state.missions);
  const ids = { template: useId(), mission: useId(), states: useId() };

  const toggleState = (state: Execution['state']) => {
    const states = filter.states.includes(state)
      ? filter.states.filter((other) => other !== state)
      : [...filter.states, state];
    setFilter({ states });
  };

  return (
    <div className="filters" role="search" aria-label="Filter executions">
      <div className="state-filters" role="group" aria-labelledby={ids.states}>
        <span id={ids.states} className="filter-label">
          State
        </span>
        {EXECUTION_STATES.map((state) => (
          <button
            key={state}
            type="button"
            className={`chip state-chip state-${state}`}
            aria-pressed={filter.states.includes(state)}
            title={`Kleinkram: ${KLEINKRAM_STATE_NAMES[state]}`}
            onClick={() => toggleState(state)}
          >
            {state}
          </button>
        ))}
      </div>
      <div className="form-field inline">
        <label htmlFor={ids.template}>Template</label>
        <select
          id={ids.template}
          value={filter.templateId ?? ''}
          onChange={(event) => setFilter({ templateId: event.target.value || null })}
        >
          <option value="">All templates</option>
          {templates.map((template) => (
            <option key={template.id} value={template.id}>
              {template.latest.name}
            </option>
          ))}
        </select>
      </div>
      <div className="form-field inline">
        <label htmlFor={ids.mission}>Mission</label>
        <select
          id={ids.mission}
          value={filter.missionId ?? ''}
          onChange={(event) => setFilter({ missionId: event.target.value || null })}
        >
          <option value="">All missions</option>
          {missions.map((mission) => (
            <option key={mission.id} value={mission.id}>
              {mission.projectName} / {mission.name}
            </option>
          ))}
        </select>
      </div>
      {filter.states.length > 0 || filter.templateId || filter.missionId ? (
        <button
          type="button"
          className="button small"
          onClick={() => setFilter({ states: [], templateId: null, missionId: null })}
        >
          Clear filters
        </button>
      ) : null}
    </div>
  );
}
