// The launch drawer: choose the scope (a project, then one or several of its missions) and
// confirm. Several missions make one execution each, as in Kleinkram.
import { useEffect, useId, useMemo, useState, type ReactElement } from 'react';

import type { ErrorValue } from '../../../main/shared/contract.js';
import type { Execution, TemplateSummary } from '../../../main/shared/domain.js';
import { EmptyState } from '../components/empty-state.js';
import { ErrorNotice } from '../components/error-notice.js';
import { SidePanel } from '../components/side-panel.js';
import { StateBadge } from '../components/state-badge.js';
import { request } from '../lib/api-client.js';
import { toErrorValue } from '../lib/errors.js';
import { formatBytes, formatCount } from '../lib/format.js';
import { limitsText } from '../lib/limits.js';
import { useMissionsStore } from '../stores/missions-store.js';
import { routeHref } from '../stores/route-store.js';
import { useTemplatesStore } from '../stores/templates-store.js';

interface LaunchPanelProps {
  template: TemplateSummary;
  onClose: () => void;
}

export function LaunchPanel({ template, onClose }: LaunchPanelProps): ReactElement {
  const { latest } = template;
  const { projects, missions, loaded, error: missionsError, load } = useMissionsStore();
  const [projectId, setProjectId] = useState<string>('');
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [version, setVersion] = useState(latest.version);
  const [launching, setLaunching] = useState(false);
  const [error, setError] = useState<ErrorValue | null>(null);
  const [launched, setLaunched] = useState<Execution[] | null>(null);
  const ids = { project: useId(), version: useId(), missions: useId() };

  useEffect(() => {
    void load();
  }, [load]);

  // The first project is the likely one when there is only one, so it is chosen for the user.
  useEffect(() => {
    if (!projectId && projects.length === 1 && projects[0]) setProjectId(projects[0].id);
  }, [projects, projectId]);

  const projectMissions = useMemo(
    () => missions.filter((mission) => mission.projectId === projectId),
    [missions, projectId],
  );

  const toggle = (missionId: string, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(missionId);
    else next.delete(missionId);
    setChosen(next);
  };

  const allChosen = projectMissions.length > 0 && projectMissions.every((m) => chosen.has(m.id));

  const launch = async () => {
    setLaunching(true);
    setError(null);
    try {
      const executions = await request('executions.launch', {
        template: template.id,
        version,
        missions: projectMissions.filter((m) => chosen.has(m.id)).map((m) => m.id),
      });
      setLaunched(executions);
      void useTemplatesStore.getState().load();
    } catch (caught) {
      setError(toErrorValue(caught));
    } finally {
      setLaunching(false);
    }
  };

  if (launched) {
    return (
      <SidePanel title={`Launched ${latest.name}`} onClose={onClose}>
        <p role="status">
          {launched.length === 1
            ? 'One execution was queued.'
            : `${formatCount(launched.length)} executions were queued, one per mission.`}
        </p>
        <ul className="launched-list">
          {launched.map((execution) => (
            <li key={execution.id}>
              <a href={routeHref({ page: 'execution', executionId: execution.id })}>
                #{execution.number} on {execution.missionName}
              </a>{' '}
              <StateBadge state={execution.state} />
              {execution.stateCause ? (
                <p className="muted">
                  {execution.stateCause}
                  {execution.errorHint ? `: ${execution.errorHint}` : ''}
                </p>
              ) : null}
            </li>
          ))}
        </ul>
        <div className="form-actions">
          <a
            className="button primary"
            href={routeHref({ page: 'actions', tab: 'executions' })}
            onClick={onClose}
          >
            See all executions
          </a>
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
        </div>
      </SidePanel>
    );
  }

  return (
    <SidePanel title={`Launch ${latest.name}`} onClose={onClose}>
      <p className="muted">
        <span className="mono">{latest.image}</span>
        <br />
        {limitsText(latest)}
      </p>
      <ErrorNotice error={missionsError} title="Could not load the missions" />
      {loaded && projects.length === 0 ? (
        <EmptyState
          title="No missions to run on"
          action={
            <a className="button primary" href={routeHref({ page: 'missions', missionId: null })}>
              Add a mission
            </a>
          }
        >
          <p>An action runs on a mission, a folder of recordings. Register one first.</p>
        </EmptyState>
      ) : (
        <form
          className="launch-form"
          onSubmit={(event) => {
            event.preventDefault();
            void launch();
          }}
        >
          <div className="form-field">
            <label htmlFor={ids.version}>Version</label>
            <select
              id={ids.version}
              value={version}
              onChange={(event) => setVersion(Number(event.target.value))}
            >
              {Array.from({ length: latest.version }, (_, index) => latest.version - index).map(
                (number) => (
                  <option key={number} value={number}>
                    v{number}
                    {number === latest.version ? ' (latest)' : ''}
                  </option>
                ),
              )}
            </select>
          </div>
          <div className="form-field">
            <label htmlFor={ids.project}>Project</label>
            <select
              id={ids.project}
              value={projectId}
              onChange={(event) => {
                setProjectId(event.target.value);
                setChosen(new Set());
              }}
            >
              <option value="">Choose a project</option>
              {projects.map((project) => (
                <option key={project.id} value={project.id}>
                  {project.name}
                </option>
              ))}
            </select>
          </div>
          {projectId ? (
            <fieldset className="mission-choice" aria-describedby={ids.missions}>
              <legend>Missions</legend>
              <p id={ids.missions} className="field-hint">
                Each mission you choose gets an execution of its own.
              </p>
              {projectMissions.length === 0 ? (
                <p className="muted">
                  This project has no missions yet.{' '}
                  <a href={routeHref({ page: 'missions', missionId: null })}>Add one</a>.
                </p>
              ) : (
                <>
                  <label className="checkbox-row select-all">
                    <input
                      type="checkbox"
                      checked={allChosen}
                      onChange={(event) =>
                        setChosen(
                          event.target.checked
                            ? new Set(projectMissions.map((mission) => mission.id))
                            : new Set(),
                        )
                      }
                    />
                    All {formatCount(projectMissions.length)} missions
                  </label>
                  <ul className="mission-options">
                    {projectMissions.map((mission) => (
                      <li key={mission.id}>
                        <label className="checkbox-row">
                          <input
                            type="checkbox"
                            checked={chosen.has(mission.id)}
                            onChange={(event) => toggle(mission.id, event.target.checked)}
                          />
                          <span>{mission.name}</span>
                          <span className="muted">
                            {formatCount(mission.fileCount)} files,{' '}
                            {formatBytes(mission.totalBytes)}
                          </span>
                        </label>
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </fieldset>
          ) : null}
          <ErrorNotice error={error} title="Nothing was launched" />
          <div className="form-actions">
            <button
              type="submit"
              className="button primary"
              disabled={launching || chosen.size === 0}
            >
              {launching
                ? 'Launching…'
                : chosen.size <= 1
                  ? 'Launch'
                  : `Launch on ${formatCount(chosen.size)} missions`}
            </button>
            <button type="button" className="button" onClick={onClose}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </SidePanel>
  );
}
