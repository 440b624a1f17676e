// The Action Templates tab: every template with its image, latest version and limits, and
// per template the launch (play), versions and edit buttons.
import { useEffect, useRef, useState, type ChangeEvent, type ReactElement } from 'react';

import type { ErrorValue } from '../../../main/shared/contract.js';
import type { TemplateSummary } from '../../../main/shared/domain.js';
import { EmptyState } from '../components/empty-state.js';
import { ErrorNotice } from '../components/error-notice.js';
import { Icon } from '../components/icons.js';
import { request } from '../lib/api-client.js';
import { toErrorValue } from '../lib/errors.js';
import { formatCount, formatTime } from '../lib/format.js';
import { limitsText } from '../lib/limits.js';
import { useExecutionsStore } from '../stores/executions-store.js';
import { useNoticeStore } from '../stores/notice-store.js';
import { routeHref } from '../stores/route-store.js';
import { useTemplatesStore } from '../stores/templates-store.js';
import { LaunchPanel } from './launch-panel.js';

export function TemplatesTab(): ReactElement {
  const { templates, loaded, error, load } = useTemplatesStore();
  const [launching, setLaunching] = useState<TemplateSummary | null>(null);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <div className="tab-panel">
      <div className="toolbar">
        <a className="button primary" href={routeHref({ page: 'template-new' })}>
          <Icon name="add" /> New template
        </a>
        <ImportButton />
      </div>
      <ErrorNotice error={error} title="Could not load the templates" onRetry={() => void load()} />
      {loaded && templates.length === 0 ? (
        <EmptyState
          title="No action templates yet"
          action={
            <a className="button primary" href={routeHref({ page: 'template-new' })}>
              Create a template
            </a>
          }
        >
          <p>
            A template names a Docker image, the command to run and its limits. Create one, or
            import a template YAML file (for example one exported from Kleinkram or with{' '}
            <code>kleinkram-actions template export</code>).
          </p>
        </EmptyState>
      ) : null}
      {templates.length > 0 ? (
        <table className="data-table templates-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Image</th>
              <th scope="col">Latest version</th>
              <th scope="col">Limits</th>
              <th scope="col" className="numeric">
                Executions
              </th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {templates.map((template) => (
              <TemplateRow key={template.id} template={template} onLaunch={setLaunching} />
            ))}
          </tbody>
        </table>
      ) : null}
      {launching ? <LaunchPanel template={launching} onClose={() => setLaunching(null)} /> : null}
    </div>
  );
}

interface TemplateRowProps {
  template: TemplateSummary;
  onLaunch: (template: TemplateSummary) => void;
}

function TemplateRow({ template, onLaunch }: TemplateRowProps): ReactElement {
  const { latest } = template;
  return (
    <tr data-template={latest.name}>
      <th scope="row">
        <span className="template-name">{latest.name}</span>
        {latest.description ? (
          <span className="template-description">{latest.description}</span>
        ) : null}
      </th>
      <td className="mono">{latest.image}</td>
      <td>
        <span className="version-tag">v{latest.version}</span>{' '}
        <span className="muted">
          {latest.author}, {formatTime(latest.createdAt)}
        </span>
      </td>
      <td className="limits">{limitsText(latest)}</td>
      <td className="numeric">
        {template.executionCount > 0 ? (
          <a
            href={routeHref({ page: 'actions', tab: 'executions' })}
            aria-label={`${formatCount(template.executionCount)} executions of ${latest.name}`}
            onClick={() =>
              useExecutionsStore
                .getState()
                .setFilter({ states: [], templateId: template.id, missionId: null })
            }
          >
            {formatCount(template.executionCount)}
          </a>
        ) : (
          '0'
        )}
      </td>
      <td className="row-actions">
        <button
          type="button"
          className="icon-button launch-button"
          aria-label={`Launch ${latest.name}`}
          title="Launch on missions"
          onClick={() => onLaunch(template)}
        >
          <Icon name="play" />
        </button>
        <a
          className="icon-button"
          href={routeHref({ page: 'template-versions', templateId: template.id })}
          aria-label={`Versions of ${latest.name}`}
          title="Versions"
        >
          <Icon name="history" />
        </a>
        <a
          className="icon-button"
          href={routeHref({ page: 'template-edit', templateId: template.id })}
          aria-label={`Edit ${latest.name}`}
          title="Edit"
        >
          <Icon name="edit" />
        </a>
      </td>
    </tr>
  );
}

/** Imports a template YAML file: a new template, or the next version of one with its name. */
function ImportButton(): ReactElement {
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<ErrorValue | null>(null);
  const load = useTemplatesStore((state) => state.load);

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    setError(null);
    try {
      const result = await request('templates.importYaml', { yaml: await file.text() });
      const { name, version } = result.version;
      const what = { created: 'imported', saved: 'saved', unchanged: 'is unchanged' }[
        result.outcome
      ];
      useNoticeStore.getState().show(`${name} v${version} ${what} (from ${file.name})`);
      await load();
    } catch (caught) {
      setError(toErrorValue(caught));
    }
  };

  return (
    <>
      <label className="button file-button">
        Import YAML…
        <input
          ref={input}
          type="file"
          accept=".yaml,.yml,application/yaml,text/yaml"
          className="visually-hidden"
          data-testid="import-template"
          onChange={(event) => void onFile(event)}
        />
      </label>
      <ErrorNotice error={error} title="The template file was not imported" />
    </>
  );
}
