// The handler table: one function per request of the contract, each taking the input its
// schema has already parsed. The mapped type makes a missing request a compile error, so
// the contract, the Electron main process and the HTTP server cannot drift apart.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

import type { Engine } from '../core/engine.js';
import { AppError, errorMessage } from '../core/errors.js';
import { createLogger } from '../core/logger.js';
import type { ParsedInput, RequestName, RequestResults } from '../shared/contract.js';
import type { Execution } from '../shared/domain.js';
import { validateTemplate, type TemplateInput } from '../shared/template-input.js';

const log = createLogger('bridge');

export type Handler<K extends RequestName> = (
  input: ParsedInput<K>,
) => RequestResults[K] | Promise<RequestResults[K]>;

export type Handlers = { [K in RequestName]: Handler<K> };

/** What only the desktop app has: the machine's dialogs and file manager. */
export interface DesktopServices {
  /** The folders the person chose; none when they cancelled. */
  pickFolders(options: { title?: string; multiple: boolean }): Promise<string[]>;
  /** Where to save a file; null when the person cancelled. */
  chooseSaveFile(suggestedName: string): Promise<string | null>;
  /** A folder to save into; null when the person cancelled. */
  chooseFolder(title: string): Promise<string | null>;
  showItemInFolder(file: string): void;
}

export interface HandlerOptions {
  /** Present in the desktop app; without it the desktop-only requests say not_supported. */
  desktop?: DesktopServices;
  /** Who saves template versions; default: KLEINKRAM_AUTHOR or the user's login name. */
  author?: string;
  /** Told about executions launched through this table (the app notifies when they end). */
  onLaunched?: (executions: Execution[]) => void;
}

export function defaultAuthor(): string {
  if (process.env.KLEINKRAM_AUTHOR) return process.env.KLEINKRAM_AUTHOR;
  try {
    return os.userInfo().username;
  } catch {
    // Some containers run as a user id without a passwd entry.
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}

export function createHandlers(engine: Engine, options: HandlerOptions = {}): Handlers {
  const author = options.author ?? defaultAuthor();
  const execution = (ref: string) => engine.executions.resolve(ref);
  const desktop = (what: string): DesktopServices => {
    if (options.desktop) return options.desktop;
    throw new AppError(
      'not_supported',
      `${what} works only in the desktop app`,
      undefined,
      'in a browser, use the download links instead',
    );
  };

  return {
    'projects.list': () => engine.projects.list(),
    'projects.create': ({ name, description }) => engine.projects.create(name, description),

    'missions.list': ({ project }) => engine.missions.list(project),
    'missions.add': ({ project, folder, name }) => engine.missions.add(project, folder, name),
    'missions.rescan': ({ mission }) => engine.missions.rescan(engine.missions.resolve(mission).id),
    'missions.files': ({ mission }) => engine.missions.files(engine.missions.resolve(mission).id),
    'missions.remove': ({ mission }) => engine.missions.remove(engine.missions.resolve(mission).id),

    'templates.list': ({ includeArchived }) => engine.templates.list({ includeArchived }),
    'templates.get': ({ template, version }) => engine.templates.get(template, version),
    'templates.versions': ({ template }) => engine.templates.versions(template),
    'templates.validate': ({ input }) => validateTemplate(input),
    'templates.create': ({ input }) => engine.templates.create(input, author),
    // The core validates the merged template field by field; the bridge only checks the shape.
    'templates.edit': ({ template, input }) =>
      engine.templates.edit(template, input as Partial<TemplateInput>, author),
    'templates.restore': ({ template, version }) =>
      engine.templates.restore(template, version, author),
    'templates.diff': ({ template, from, to }) => engine.templates.diff(template, from, to),
    'templates.remove': ({ template }) => ({ outcome: engine.templates.remove(template) }),
    'templates.exportYaml': ({ template, version }) => ({
      yaml: engine.templates.exportYaml(template, version),
    }),
    'templates.importYaml': ({ yaml }) =>
      engine.templates.importInput(engine.templates.parseYaml(yaml), author),

    'executions.launch': ({ template, version, missions }) => {
      // Everything is checked before anything is queued: one bad mission refuses the request.
      engine.templates.get(template, version);
      const targets = [...new Set(missions.map((ref) => engine.missions.resolve(ref).id))];
      const launched = targets.map((mission) => engine.launch({ template, mission, version }));
      options.onLaunched?.(launched);
      return launched;
    },
    'executions.list': ({ states, template, mission, beforeNumber, limit }) =>
      engine.executions.list({
        states,
        templateId: template === undefined ? undefined : engine.templates.resolveRow(template).id,
        missionId: mission === undefined ? undefined : engine.missions.resolve(mission).id,
        beforeNumber,
        limit,
      }),
    'executions.get': ({ execution: ref }) => execution(ref),
    'executions.cancel': ({ execution: ref }) => engine.cancel(ref),

    'logs.read': ({ execution: ref, afterSeq, limit, stream, search }) =>
      engine.logs.read(execution(ref).id, { afterSeq, limit, stream, search }),
    'artifacts.list': ({ execution: ref }) => engine.artifacts.list(execution(ref).id),
    'audit.list': ({ execution: ref }) => engine.audit.list(execution(ref).id),
    'executions.resources': ({ execution: ref }) => engine.resourceUsage(execution(ref).id),
    'runner.status': () => engine.runnerStatus(),

    'dialog.pickFolders': async ({ title, multiple }) => ({
      folders: await desktop('choosing folders').pickFolders({ title, multiple }),
    }),
    'artifacts.save': async ({ execution: ref, path: artifactPath }) => {
      const services = desktop('saving through a dialog');
      const { id } = execution(ref);
      // The artifact is checked first, so nobody picks a place for a file that is gone.
      await engine.artifacts.file(id, artifactPath);
      const target = await services.chooseSaveFile(path.basename(artifactPath));
      if (target === null) return { savedTo: null };
      const { stream } = await engine.artifacts.openForDownload(
        id,
        artifactPath,
        `saved to ${target}`,
      );
      try {
        await pipeline(stream, fs.createWriteStream(target));
      } catch (error) {
        await fs.promises.rm(target, { force: true });
        throw new AppError(
          'io_error',
          `could not save ${artifactPath} to ${target}: ${errorMessage(error)}`,
        );
      }
      log.info(`execution ${id}: artifact ${artifactPath} saved to ${target}`);
      return { savedTo: target };
    },
    'artifacts.saveAll': async ({ execution: ref }) => {
      const services = desktop('saving through a dialog');
      const found = execution(ref);
      if (engine.artifacts.list(found.id).length === 0) {
        throw new AppError('not_found', `execution #${found.number} has no artifacts to save`);
      }
      const chosen = await services.chooseFolder(`Save the artifacts of #${found.number}`);
      if (chosen === null) return { folder: null, count: 0 };
      // A folder of its own, so saving two executions into one place overwrites nothing.
      const folder = path.join(chosen, `execution-${found.number}`);
      const exported = await engine.artifacts.export(found.id, folder);
      return { folder, count: exported.length };
    },
    'artifacts.showInFolder': async ({ execution: ref, path: artifactPath }) => {
      const services = desktop('showing a file in its folder');
      const { file } = await engine.artifacts.file(execution(ref).id, artifactPath);
      services.showItemInFolder(file);
      return { shown: file };
    },
  };
}
