// Projects and their missions, registering folders as missions (drop, pick or type a path),
// and the files of a mission with their kinds and sizes.
import {
  useEffect,
  useId,
  useState,
  type DragEvent,
  type FormEvent,
  type ReactElement,
} from 'react';

import type { ErrorValue, RescanResultDto } from '../../../main/shared/contract.js';
import type { Mission, MissionFileKind } from '../../../main/shared/domain.js';
import { EmptyState } from '../components/empty-state.js';
import { ErrorNotice } from '../components/error-notice.js';
import { Icon } from '../components/icons.js';
import { api, request } from '../lib/api-client.js';
import { toErrorValue } from '../lib/errors.js';
import { formatBytes, formatCount, formatTime } from '../lib/format.js';
import { usePageTitle } from '../lib/use-page-title.js';
import { useExecutionsStore } from '../stores/executions-store.js';
import { useMissionFilesStore, useMissionsStore } from '../stores/missions-store.js';
import { useNoticeStore } from '../stores/notice-store.js';
import { routeHref, useRouteStore } from '../stores/route-store.js';

export function MissionsPage({ missionId }: { missionId: string | null }): ReactElement {
  const { projects, missions, loaded, error, load } = useMissionsStore();

  useEffect(() => {
    void load();
  }, [load]);

  const selected = missions.find((mission) => mission.id === missionId) ?? null;
  usePageTitle(selected ? `Mission ${selected.name}` : 'Missions');

  return (
    <section className="page missions-page">
      <h1>Missions</h1>
      <p className="page-lead">
        A mission is a folder of recordings on this machine, in a project. Actions read it through a
        read-only mount; nothing is copied.
      </p>
      <ErrorNotice error={error} title="Could not load the missions" onRetry={() => void load()} />
      <div className="missions-layout">
        <div className="missions-side">
          {loaded && projects.length > 0 ? (
            <nav aria-label="Projects and missions" className="project-list">
              {projects.map((project) => {
                const own = missions.filter((mission) => mission.projectId === project.id);
                return (
                  <section key={project.id} className="project-group" data-project={project.name}>
                    <h2>{project.name}</h2>
                    {project.description ? <p className="muted">{project.description}</p> : null}
                    {own.length === 0 ? (
                      <p className="muted small">No missions yet: add a folder above.</p>
                    ) : (
                      <ul className="mission-list">
                        {own.map((mission) => (
                          <li key={mission.id}>
                            <a
                              href={routeHref({ page: 'missions', missionId: mission.id })}
                              aria-current={mission.id === missionId ? 'page' : undefined}
                            >
                              <span className="mission-name">{mission.name}</span>
                              <span className="muted small">
                                {formatCount(mission.fileCount)} files ·{' '}
                                {formatBytes(mission.totalBytes)}
                              </span>
                            </a>
                          </li>
                        ))}
                      </ul>
                    )}
                  </section>
                );
              })}
            </nav>
          ) : null}
          <AddMissions />
        </div>
        <div className="missions-main">
          {selected ? (
            <MissionDetail mission={selected} />
          ) : loaded && missions.length === 0 ? (
            <EmptyState title="No missions yet">
              <p>
                {projects.length === 0
                  ? 'Create a project, then drop a folder of recordings on the drop zone or give its path.'
                  : 'Drop a folder of recordings on the drop zone, or give its path, to register it as a mission.'}
              </p>
            </EmptyState>
          ) : missionId && loaded ? (
            <EmptyState title="This mission is not here">
              <p>It may have been removed. Choose a mission from the list.</p>
            </EmptyState>
          ) : loaded ? (
            <EmptyState title="Choose a mission">
              <p>Its files, with their kinds and sizes, show here.</p>
            </EmptyState>
          ) : null}
        </div>
      </div>
    </section>
  );
}

/** Creating a project, and registering folders as missions of it. */
function AddMissions(): ReactElement {
  const { projects, loaded, createProject, addMission } = useMissionsStore();
  const [projectName, setProjectName] = useState('');
  const [creating, setCreating] = useState(false);
  const [projectError, setProjectError] = useState<ErrorValue | null>(null);
  const [project, setProject] = useState('');
  const [folder, setFolder] = useState('');
  const [name, setName] = useState('');
  const [dragging, setDragging] = useState(false);
  const [busy, setBusy] = useState(false);
  const [addError, setAddError] = useState<ErrorValue | null>(null);
  const [added, setAdded] = useState<string[]>([]);
  const ids = {
    newProject: useId(),
    project: useId(),
    folder: useId(),
    name: useId(),
  };
  const app = api();
  const canPick = app.supports('dialog.pickFolders');
  const targetProject = project || projects[0]?.name || '';

  const onCreateProject = async (event: FormEvent) => {
    event.preventDefault();
    setCreating(true);
    setProjectError(null);
    try {
      const created = await createProject(projectName.trim(), '');
      setProject(created.name);
      setProjectName('');
    } catch (error) {
      setProjectError(toErrorValue(error));
    } finally {
      setCreating(false);
    }
  };

  const register = async (folders: string[], missionName?: string) => {
    if (folders.length === 0) return;
    setBusy(true);
    setAddError(null);
    setAdded([]);
    const done: string[] = [];
    try {
      for (const path of folders) {
        const result = await addMission(targetProject, path, missionName);
        done.push(describeAdd(result));
      }
      setFolder('');
      setName('');
    } catch (error) {
      setAddError(toErrorValue(error));
    } finally {
      setAdded(done);
      setBusy(false);
    }
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const paths = [...event.dataTransfer.files]
      .map((file) => app.pathForFile(file))
      .filter((path): path is string => Boolean(path));
    if (paths.length === 0) {
      setAddError({
        code: 'not_supported',
        message: 'a browser does not tell the page where a dropped folder lies',
        hint: 'type the folder path in the field below instead',
      });
      return;
    }
    void register(paths);
  };

  const onPick = async () => {
    setAddError(null);
    try {
      const { folders } = await request('dialog.pickFolders', {
        title: 'Choose mission folders',
        multiple: true,
      });
      await register(folders);
    } catch (error) {
      setAddError(toErrorValue(error));
    }
  };

  const onSubmitFolder = (event: FormEvent) => {
    event.preventDefault();
    void register([folder.trim()], name.trim() || undefined);
  };

  return (
    <section className="add-missions" aria-labelledby="add-missions-title">
      <h2 id="add-missions-title">Add missions</h2>
      {loaded && projects.length === 0 ? (
        <p className="muted">Missions belong to a project. Start with one:</p>
      ) : null}
      <form className="inline-form" onSubmit={(event) => void onCreateProject(event)}>
        <div className="form-field">
          <label htmlFor={ids.newProject}>New project</label>
          <div className="input-with-button">
            <input
              id={ids.newProject}
              type="text"
              autoComplete="off"
              placeholder="e.g. field-tests"
              value={projectName}
              onChange={(event) => setProjectName(event.target.value)}
            />
            <button
              type="submit"
              className="button"
              disabled={creating || projectName.trim() === ''}
            >
              Create
            </button>
          </div>
          {projectError?.fieldErrors?.name ? (
            <p className="field-error">{projectError.fieldErrors.name.join('; ')}</p>
          ) : null}
        </div>
      </form>
      <ErrorNotice error={projectError} title="The project was not created" />

      {projects.length > 0 ? (
        <>
          <div className="form-field">
            <label htmlFor={ids.project}>Into project</label>
            <select
              id={ids.project}
              value={targetProject}
              onChange={(event) => setProject(event.target.value)}
            >
              {projects.map((each) => (
                <option key={each.id} value={each.name}>
                  {each.name}
                </option>
              ))}
            </select>
          </div>
          <div
            className={`drop-zone${dragging ? ' dragging' : ''}`}
            data-testid="drop-zone"
            onDragOver={(event) => {
              event.preventDefault();
              setDragging(true);
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={onDrop}
          >
            <Icon name="folder" size={28} />
            <p>
              {app.platform === 'desktop'
                ? 'Drop mission folders here'
                : 'A browser does not tell where a dropped folder lies: give its path below (the desktop app takes drops here)'}
            </p>
            {canPick ? (
              <button
                type="button"
                className="button"
                disabled={busy}
                onClick={() => void onPick()}
              >
                Choose folders…
              </button>
            ) : null}
          </div>
          <form className="folder-form" onSubmit={onSubmitFolder}>
            <div className="form-field">
              <label htmlFor={ids.folder}>Folder path</label>
              <input
                id={ids.folder}
                type="text"
                className="mono"
                autoComplete="off"
                spellCheck={false}
                placeholder="/data/recordings/lab-run-01"
                value={folder}
                onChange={(event) => setFolder(event.target.value)}
                aria-describedby={`${ids.folder}-hint`}
              />
              <p id={`${ids.folder}-hint`} className="field-hint">
                A path on the machine that runs the app; relative paths start where it was started.
              </p>
            </div>
            <div className="form-field">
              <label htmlFor={ids.name}>Mission name (optional)</label>
              <input
                id={ids.name}
                type="text"
                autoComplete="off"
                placeholder="the folder's name"
                value={name}
                onChange={(event) => setName(event.target.value)}
              />
              {addError?.fieldErrors?.name ? (
                <p className="field-error">{addError.fieldErrors.name.join('; ')}</p>
              ) : null}
            </div>
            <button
              type="submit"
              className="button primary"
              disabled={busy || folder.trim() === ''}
            >
              {busy ? 'Adding…' : 'Add mission'}
            </button>
          </form>
          <ErrorNotice error={addError} title="The folder was not added" />
          {added.length > 0 ? (
            <ul className="notice" role="status">
              {added.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

function describeAdd(result: RescanResultDto): string {
  const { mission, added, skipped } = result;
  const extra = skipped.length > 0 ? `; ${skipped.length} links or special files skipped` : '';
  return `${mission.projectName} / ${mission.name}: ${formatCount(added)} files${extra}`;
}

const KIND_LABELS: Record<MissionFileKind, string> = {
  bag: 'ROS 1 bag',
  mcap: 'MCAP',
  db3: 'ROS 2 db3',
  other: 'other',
};

/**
 * Forgetting a mission asks once more, in place: the answer says that the folder stays. The
 * core refuses a mission that actions ran on, and the reason is shown here.
 */
function RemoveMission({
  mission,
  onError,
}: {
  mission: Mission;
  onError(error: ErrorValue | null): void;
}): ReactElement {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => setAsking(false), [mission.id]);

  const remove = async () => {
    setBusy(true);
    onError(null);
    try {
      const removed = await useMissionsStore.getState().removeMission(mission.id);
      const landing = { page: 'missions', missionId: null } as const;
      useNoticeStore
        .getState()
        .show(
          `Removed ${removed.projectName} / ${removed.name}; ${removed.folder} is untouched`,
          landing,
        );
      useRouteStore.getState().navigate(landing);
    } catch (caught) {
      onError(toErrorValue(caught));
      setAsking(false);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {asking ? (
        <span className="confirm" role="group" aria-label={`Remove ${mission.name}?`}>
          <span>Forget this mission? Its folder stays.</span>
          <button
            type="button"
            className="button danger"
            disabled={busy}
            onClick={() => void remove()}
          >
            Remove
          </button>
          <button type="button" className="button" onClick={() => setAsking(false)}>
            Keep
          </button>
        </span>
      ) : (
        <button type="button" className="button" onClick={() => setAsking(true)}>
          Remove…
        </button>
      )}
    </>
  );
}

function MissionDetail({ mission }: { mission: Mission }): ReactElement {
  const { files, loading, error, rescanning, rescan, rescanError, load, rescanMission } =
    useMissionFilesStore();

  const [removeError, setRemoveError] = useState<ErrorValue | null>(null);

  useEffect(() => {
    void load(mission.id);
    setRemoveError(null);
  }, [load, mission.id]);

  const kinds = files.reduce<Partial<Record<MissionFileKind, number>>>((counts, file) => {
    counts[file.kind] = (counts[file.kind] ?? 0) + 1;
    return counts;
  }, {});

  return (
    <section className="mission-detail" aria-labelledby="mission-title">
      <div className="section-head">
        <h2 id="mission-title">
          <span className="muted">{mission.projectName} /</span> {mission.name}
        </h2>
        <div className="toolbar tight">
          <a
            className="button"
            href={routeHref({ page: 'actions', tab: 'executions' })}
            onClick={() =>
              useExecutionsStore
                .getState()
                .setFilter({ states: [], templateId: null, missionId: mission.id })
            }
          >
            Executions on this mission
          </a>
          <button
            type="button"
            className="button"
            disabled={rescanning}
            onClick={() => void rescanMission()}
          >
            <Icon name="refresh" size={16} /> {rescanning ? 'Rescanning…' : 'Rescan'}
          </button>
          <RemoveMission mission={mission} onError={setRemoveError} />
        </div>
      </div>
      <dl className="facts">
        <div className="wide">
          <dt>Folder</dt>
          <dd className="mono">{mission.folder}</dd>
        </div>
        <div>
          <dt>Files</dt>
          <dd>
            {formatCount(mission.fileCount)} ({formatBytes(mission.totalBytes)})
          </dd>
        </div>
        <div>
          <dt>Last scanned</dt>
          <dd>{formatTime(mission.scannedAt)}</dd>
        </div>
        <div>
          <dt>Kinds</dt>
          <dd>
            {Object.entries(kinds)
              .map(([kind, count]) => `${count} ${KIND_LABELS[kind as MissionFileKind]}`)
              .join(', ') || '–'}
          </dd>
        </div>
      </dl>
      <ErrorNotice error={rescanError} title="The rescan failed" />
      <ErrorNotice error={removeError} title="The mission was kept" />
      {rescan ? (
        <p className="notice" role="status">
          Rescanned: {rescan.added} added, {rescan.changed} changed, {rescan.removed} removed,{' '}
          {rescan.unchanged} unchanged.
        </p>
      ) : null}
      <ErrorNotice error={error} title="Could not list the files" />
      {files.length === 0 && !loading ? (
        <EmptyState title="This folder holds no files">
          <p>Copy recordings into {mission.folder}, then rescan.</p>
        </EmptyState>
      ) : (
        <table className="data-table files-table">
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Kind</th>
              <th scope="col" className="numeric">
                Size
              </th>
              <th scope="col">Modified</th>
            </tr>
          </thead>
          <tbody>
            {files.map((file) => (
              <tr key={file.path} data-file={file.path}>
                <th scope="row" className="mono">
                  {file.path}
                </th>
                <td>
                  <span className={`kind kind-${file.kind}`}>{KIND_LABELS[file.kind]}</span>
                </td>
                <td className="numeric">{formatBytes(file.size)}</td>
                <td>{formatTime(file.mtimeMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
