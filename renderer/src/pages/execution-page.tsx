// One execution: what ran, how it ended and why, its live log, its artifacts and its audit log.
import { useEffect, useState, type ReactElement } from 'react';

import type { ErrorValue } from '../../../main/shared/contract.js';
import {
  isFinalState,
  type Artifact,
  type AuditEvent,
  type Execution,
} from '../../../main/shared/domain.js';
import { exitCodeMeaning } from '../../../main/shared/exit-codes.js';
import { EmptyState } from '../components/empty-state.js';
import { ErrorNotice } from '../components/error-notice.js';
import { Icon } from '../components/icons.js';
import { RichText } from '../components/rich-text.js';
import { StateBadge } from '../components/state-badge.js';
import { api, request } from '../lib/api-client.js';
import { toErrorValue } from '../lib/errors.js';
import { executionDuration } from '../lib/execution-time.js';
import { formatBytes, formatDuration, formatTime } from '../lib/format.js';
import { limitsText } from '../lib/limits.js';
import { useNow } from '../lib/use-now.js';
import { usePageTitle } from '../lib/use-page-title.js';
import { useExecutionStore } from '../stores/execution-store.js';
import { useRunnerStore } from '../stores/runner-store.js';
import { routeHref } from '../stores/route-store.js';
import { LogViewer } from './log-viewer.js';
import { ResourceChart } from './resource-chart.js';

export function ExecutionPage({ executionId }: { executionId: string }): ReactElement {
  const { execution, error, open, close } = useExecutionStore();
  usePageTitle(execution ? `#${execution.number} ${execution.templateName}` : 'Execution');

  useEffect(() => {
    void open(executionId);
    return () => close();
  }, [close, executionId, open]);

  return (
    <section className="page execution-page">
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <a href={routeHref({ page: 'actions', tab: 'executions' })}>Executions</a>
        <span aria-hidden="true"> / </span>
        <span>{execution ? `#${execution.number}` : 'Execution'}</span>
      </nav>
      <ErrorNotice error={error} title="Could not load the execution" />
      {execution ? (
        <>
          <ExecutionHeader execution={execution} />
          <ResourceChart />
          <LogViewer executionId={execution.id} ended={isFinalState(execution.state)} />
          <div className="execution-columns">
            <ArtifactsSection execution={execution} />
            <AuditSection />
          </div>
        </>
      ) : error ? null : (
        <p className="loading">Loading the execution…</p>
      )}
    </section>
  );
}

function ExecutionHeader({ execution }: { execution: Execution }): ReactElement {
  const { version, cancel, cancelling, cancelError } = useExecutionStore();
  const runner = useRunnerStore((state) => state.status);
  const final = isFinalState(execution.state);
  // A queued execution waits for the runner; when the runner cannot start anything, say why
  // here rather than leave the user watching a queue that does not move.
  const blocked = execution.state === 'queued' && runner && !runner.available;
  const now = useNow(!final && execution.startedAt !== null);

  return (
    <header className="execution-header">
      <div className="execution-title">
        <h1>
          #{execution.number} {execution.templateName}{' '}
          <span className="version-tag">v{execution.templateVersion}</span>
          <span className="muted"> on </span>
          <a href={routeHref({ page: 'missions', missionId: execution.missionId })}>
            {execution.projectName} / {execution.missionName}
          </a>
        </h1>
        <div className="execution-state" data-testid="execution-state">
          <StateBadge state={execution.state} />
          {!final && !execution.cancelRequested ? (
            <button
              type="button"
              className="button danger small"
              disabled={cancelling}
              onClick={() => void cancel()}
            >
              <Icon name="stop" size={16} /> {cancelling ? 'Cancelling…' : 'Cancel'}
            </button>
          ) : null}
          {execution.cancelRequested && !final ? <span className="muted">stopping…</span> : null}
        </div>
      </div>
      <ErrorNotice error={cancelError} title="Could not cancel the execution" />
      {blocked ? (
        <div className="state-cause cause-waiting" role="status">
          <p>
            <strong>Waiting: </strong>
            <RichText text={runner.message ?? 'the runner cannot start executions now'} />
          </p>
        </div>
      ) : null}
      {execution.stateCause || execution.errorHint ? (
        <div className={`state-cause cause-${execution.state}`}>
          {execution.stateCause ? (
            <p data-testid="state-cause">
              <strong>Cause: </strong>
              <RichText text={execution.stateCause} />
            </p>
          ) : null}
          {execution.errorHint ? (
            <p>
              <strong>What to do: </strong>
              <RichText text={execution.errorHint} />
            </p>
          ) : null}
        </div>
      ) : null}
      <dl className="facts">
        <div>
          <dt>Exit code</dt>
          <dd data-testid="exit-code">
            {execution.exitCode === null ? (
              '–'
            ) : (
              <>
                <strong>{execution.exitCode}</strong>{' '}
                <span className="muted">
                  {exitCodeMeaning(execution.exitCode, execution.oomKilled)}
                </span>
              </>
            )}
            {execution.timedOut ? <span className="pill warn">timed out</span> : null}
            {execution.oomKilled ? <span className="pill warn">out of memory</span> : null}
          </dd>
        </div>
        <div>
          <dt>Queued</dt>
          <dd>{formatTime(execution.queuedAt)}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{formatTime(execution.startedAt)}</dd>
        </div>
        <div>
          <dt>Ended</dt>
          <dd>{formatTime(execution.endedAt)}</dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>{formatDuration(executionDuration(execution, now))}</dd>
        </div>
        <div className="wide">
          <dt>Image</dt>
          <dd className="mono">
            {version?.image ?? '–'}
            {execution.imageDigest ? (
              <span className="digest" title={execution.imageDigest}>
                {' '}
                @ {execution.imageDigest}
              </span>
            ) : null}
          </dd>
        </div>
        <div className="wide">
          <dt>Limits</dt>
          <dd>{version ? limitsText(version) : '–'}</dd>
        </div>
      </dl>
    </header>
  );
}

function ArtifactsSection({ execution }: { execution: Execution }): ReactElement {
  const { artifacts, artifactsError } = useExecutionStore();
  const [actionError, setActionError] = useState<ErrorValue | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const app = api();
  const desktop = app.supports('artifacts.save');
  const live = artifacts.filter((artifact) => artifact.deletedAt === null);
  const total = live.reduce((sum, artifact) => sum + artifact.size, 0);

  const run = async (action: () => Promise<string | null>) => {
    setActionError(null);
    setSaved(null);
    try {
      setSaved(await action());
    } catch (error) {
      setActionError(toErrorValue(error));
    }
  };

  const saveAll = () =>
    run(async () => {
      const result = await request('artifacts.saveAll', { execution: execution.id });
      return result.folder ? `${result.count} artifacts copied to ${result.folder}` : null;
    });

  const zipUrl = app.artifactsZipUrl(execution.id);

  return (
    <section className="artifacts-section" aria-labelledby="artifacts-title">
      <div className="section-head">
        <h2 id="artifacts-title">Artifacts</h2>
        {live.length > 0 ? (
          desktop ? (
            <button type="button" className="button small" onClick={() => void saveAll()}>
              <Icon name="download" size={16} /> Save all…
            </button>
          ) : zipUrl ? (
            <a className="button small" href={zipUrl} download data-testid="download-all">
              <Icon name="download" size={16} /> Download all (.zip)
            </a>
          ) : null
        ) : null}
      </div>
      <ErrorNotice error={artifactsError} title="Could not list the artifacts" />
      <ErrorNotice error={actionError} title="The artifact was not saved" />
      {saved ? (
        <p className="notice" role="status">
          {saved}
        </p>
      ) : null}
      {artifacts.length === 0 ? (
        <p className="muted">
          {isFinalState(execution.state)
            ? 'The action wrote no files to /out.'
            : 'Files the action writes to /out are collected here when it ends.'}
        </p>
      ) : (
        <>
          <table className="data-table artifacts-table">
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col" className="numeric">
                  Size
                </th>
                <th scope="col">sha256</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {artifacts.map((artifact) => (
                <ArtifactRow
                  key={artifact.id}
                  artifact={artifact}
                  desktop={desktop}
                  onAction={(action) => void run(action)}
                />
              ))}
            </tbody>
          </table>
          <p className="muted small">
            {live.length} file{live.length === 1 ? '' : 's'}, {formatBytes(total)}; kept until{' '}
            {formatTime(artifacts[0]?.expiresAt ?? null)}.
          </p>
        </>
      )}
    </section>
  );
}

interface ArtifactRowProps {
  artifact: Artifact;
  desktop: boolean;
  onAction: (action: () => Promise<string | null>) => void;
}

function ArtifactRow({ artifact, desktop, onAction }: ArtifactRowProps): ReactElement {
  const app = api();
  const url = app.artifactUrl(artifact.executionId, artifact.path);
  const deleted = artifact.deletedAt !== null;
  const ref = { execution: artifact.executionId, path: artifact.path };

  return (
    <tr data-artifact={artifact.path} className={deleted ? 'deleted' : undefined}>
      <th scope="row" className="mono">
        {artifact.path}
        {deleted ? <span className="pill">deleted {formatTime(artifact.deletedAt)}</span> : null}
      </th>
      <td className="numeric">{formatBytes(artifact.size)}</td>
      <td className="mono sha" title={artifact.sha256}>
        {artifact.sha256}
      </td>
      <td className="row-actions">
        {deleted ? null : desktop ? (
          <>
            <button
              type="button"
              className="icon-button"
              aria-label={`Save ${artifact.path}`}
              title="Save as…"
              onClick={() =>
                onAction(async () => {
                  const { savedTo } = await request('artifacts.save', ref);
                  return savedTo ? `Saved to ${savedTo}` : null;
                })
              }
            >
              <Icon name="download" />
            </button>
            <button
              type="button"
              className="icon-button"
              aria-label={`Show ${artifact.path} in its folder`}
              title="Show in folder"
              onClick={() =>
                onAction(async () => {
                  await request('artifacts.showInFolder', ref);
                  return null;
                })
              }
            >
              <Icon name="folder" />
            </button>
          </>
        ) : url ? (
          <a
            className="icon-button"
            href={url}
            download={artifact.path.split('/').at(-1)}
            aria-label={`Download ${artifact.path}`}
            title="Download"
          >
            <Icon name="download" />
          </a>
        ) : null}
      </td>
    </tr>
  );
}

const OPERATION_WORDS: Record<AuditEvent['operation'], string> = {
  'input.available': 'input available',
  'input.withheld': 'input withheld',
  'artifact.written': 'artifact written',
  'artifact.skipped': 'artifact skipped',
  'artifact.exported': 'artifact exported',
  'artifact.deleted': 'artifact deleted',
};

function AuditSection(): ReactElement {
  const { audit, auditError } = useExecutionStore();
  return (
    <section className="audit-section" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      <ErrorNotice error={auditError} title="Could not read the audit log" />
      {audit.length === 0 ? (
        <EmptyState title="Nothing recorded yet">
          <p>What the action could read and what it wrote is recorded here as it happens.</p>
        </EmptyState>
      ) : (
        <table className="data-table audit-table">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Operation</th>
              <th scope="col">Path</th>
              <th scope="col" className="numeric">
                Bytes
              </th>
            </tr>
          </thead>
          <tbody>
            {audit.map((event) => (
              <tr key={event.id} data-operation={event.operation}>
                <td>{formatTime(event.time)}</td>
                <td>{OPERATION_WORDS[event.operation]}</td>
                <td className="mono">
                  {event.path ?? '–'}
                  {event.detail ? <span className="audit-detail">{event.detail}</span> : null}
                </td>
                <td className="numeric">{event.bytes === null ? '–' : formatBytes(event.bytes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
