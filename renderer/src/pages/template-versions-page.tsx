// The versions of a template: who saved each and when, what changed between any two, and
// "restore", which saves an old version again as the newest (history is never rewritten).
import { useEffect, useId, useState, type ReactElement } from 'react';
import { quote } from 'shell-quote';

import type { VersionDiffDto } from '../../../main/shared/contract.js';
import type { TemplateVersion } from '../../../main/shared/domain.js';
import { formatMemory } from '../../../main/shared/template-input.js';
import { ErrorNotice } from '../components/error-notice.js';
import { formatTime } from '../lib/format.js';
import { usePageTitle } from '../lib/use-page-title.js';
import { routeHref } from '../stores/route-store.js';
import { useVersionsStore } from '../stores/templates-store.js';

export function TemplateVersionsPage({ templateId }: { templateId: string }): ReactElement {
  const store = useVersionsStore();
  const { versions, error, load, compare, diff, diffError } = store;
  const latest = versions[0];
  const [from, setFrom] = useState<number | null>(null);
  const [to, setTo] = useState<number | null>(null);
  const ids = { from: useId(), to: useId() };

  useEffect(() => {
    void load(templateId);
  }, [load, templateId]);

  // By default compare the newest version with the one before it.
  useEffect(() => {
    if (!latest) return;
    setTo(latest.version);
    setFrom(Math.max(1, latest.version - 1));
  }, [latest]);

  useEffect(() => {
    if (from !== null && to !== null && from !== to) void compare(from, to);
  }, [compare, from, to]);

  const name = latest?.name ?? 'template';
  usePageTitle(`Versions of ${name}`);

  return (
    <section className="page versions-page">
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <a href={routeHref({ page: 'actions', tab: 'templates' })}>Action templates</a>
        <span aria-hidden="true"> / </span>
        <span>Versions of {name}</span>
      </nav>
      <h1>Versions of {name}</h1>
      <ErrorNotice error={error} title="Could not load the versions" />
      <ErrorNotice error={store.restoreError} title="The version was not restored" />
      {store.restored ? (
        <p className="notice" role="status">
          Version {store.restored.restoredFrom} restored as version {store.restored.version}.
        </p>
      ) : null}

      {versions.length > 0 ? (
        <table className="data-table versions-table">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Saved by</th>
              <th scope="col">When</th>
              <th scope="col">Image</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {versions.map((version) => (
              <VersionRow
                key={version.version}
                version={version}
                isLatest={version.version === latest?.version}
              />
            ))}
          </tbody>
        </table>
      ) : null}

      {versions.length > 1 ? (
        <section className="diff-section" aria-labelledby="diff-title">
          <h2 id="diff-title">What changed</h2>
          <div className="toolbar">
            <VersionSelect
              id={ids.from}
              label="From"
              versions={versions}
              value={from}
              onChange={setFrom}
            />
            <VersionSelect id={ids.to} label="To" versions={versions} value={to} onChange={setTo} />
          </div>
          <ErrorNotice error={diffError} title="Could not compare the versions" />
          {from === to ? (
            <p className="muted">Choose two different versions to compare.</p>
          ) : diff && diff.from === from && diff.to === to ? (
            <VersionDiff diff={diff} />
          ) : null}
        </section>
      ) : versions.length === 1 ? (
        <p className="muted">
          There is one version so far. Editing the template saves the next one, and this page then
          shows what changed.
        </p>
      ) : null}
    </section>
  );
}

function VersionRow({ version, isLatest }: { version: TemplateVersion; isLatest: boolean }) {
  const { restore, restoring } = useVersionsStore();
  return (
    <tr data-version={version.version}>
      <th scope="row">
        <span className="version-tag">v{version.version}</span>
        {isLatest ? <span className="pill">latest</span> : null}
        {version.restoredFrom !== null ? (
          <span className="muted"> restored from v{version.restoredFrom}</span>
        ) : null}
      </th>
      <td>{version.author}</td>
      <td>{formatTime(version.createdAt)}</td>
      <td className="mono">{version.image}</td>
      <td className="row-actions">
        {isLatest ? null : (
          <button
            type="button"
            className="button small"
            disabled={restoring !== null}
            aria-label={`Restore version ${version.version}`}
            onClick={() => void restore(version.version)}
          >
            {restoring === version.version ? 'Restoring…' : 'Restore'}
          </button>
        )}
      </td>
    </tr>
  );
}

const FIELD_LABELS: Record<string, string> = {
  name: 'Name',
  description: 'Description',
  image: 'Docker image',
  command: 'Command',
  entrypoint: 'Entrypoint',
  environment: 'Environment',
  cpuCores: 'CPU cores',
  memoryBytes: 'Memory',
  gpuCount: 'GPUs',
  maxRuntimeSeconds: 'Maximum runtime',
  accessRights: 'Access rights',
  network: 'Network access',
};

/** A field's value as the form shows it: a command as words, memory with its unit. */
function display(field: string, value: unknown): string {
  if (value === null || value === undefined) return '–';
  if (field === 'memoryBytes' && typeof value === 'number') return String(formatMemory(value));
  if (field === 'maxRuntimeSeconds' && typeof value === 'number') return `${value} s`;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return quote(value.map(String));
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return entries.length === 0 ? '–' : entries.map(([k, v]) => `${k}=${String(v)}`).join(' ');
  }
  return String(value);
}

function VersionDiff({ diff }: { diff: VersionDiffDto }): ReactElement {
  if (diff.changes.length === 0) {
    return (
      <p className="muted">
        v{diff.from} and v{diff.to} are the same template.
      </p>
    );
  }
  return (
    <div className="version-diff">
      <table className="data-table changes-table">
        <caption className="visually-hidden">
          Fields changed from v{diff.from} to v{diff.to}
        </caption>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">v{diff.from}</th>
            <th scope="col">v{diff.to}</th>
          </tr>
        </thead>
        <tbody>
          {diff.changes.map((change) => (
            <tr key={change.field}>
              <th scope="row">{FIELD_LABELS[change.field] ?? change.field}</th>
              <td className="mono removed-value">{display(change.field, change.before)}</td>
              <td className="mono added-value">{display(change.field, change.after)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <pre className="diff-lines" aria-label={`Template YAML from v${diff.from} to v${diff.to}`}>
        {diff.parts.flatMap((part, partIndex) =>
          part.value
            .replace(/\n$/, '')
            .split('\n')
            .map((line, lineIndex) => {
              const kind = part.added ? 'added' : part.removed ? 'removed' : 'same';
              const mark = part.added ? '+' : part.removed ? '−' : ' ';
              return (
                <span key={`${partIndex}-${lineIndex}`} className={`diff-line diff-${kind}`}>
                  <span className="diff-mark" aria-hidden="true">
                    {mark}
                  </span>
                  {kind !== 'same' ? (
                    <span className="visually-hidden">{part.added ? 'added: ' : 'removed: '}</span>
                  ) : null}
                  {line}
                  {'\n'}
                </span>
              );
            }),
        )}
      </pre>
    </div>
  );
}

function VersionSelect(props: {
  id: string;
  label: string;
  versions: TemplateVersion[];
  value: number | null | undefined;
  onChange: (version: number) => void;
}): ReactElement {
  return (
    <div className="form-field inline">
      <label htmlFor={props.id}>{props.label}</label>
      <select
        id={props.id}
        value={props.value ?? ''}
        onChange={(event) => props.onChange(Number(event.target.value))}
      >
        {props.versions.map((version) => (
          <option key={version.version} value={version.version}>
            v{version.version}
          </option>
        ))}
      </select>
    </div>
  );
}
