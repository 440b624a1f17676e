// The one contract between the core and every face of it (Electron preload, browser
// transport, renderer). Each request has a runtime schema for its input; its result type is
// declared beside it. Main, preload, the browser transport and the renderer all derive from
// this file, so a request cannot exist in one place and not in another.
import { z } from 'zod';

import type {
  ResourceUsage,
  Artifact,
  AuditEvent,
  Execution,
  LogLine,
  Mission,
  MissionFile,
  Project,
  RunnerStatus,
  TemplateSummary,
  TemplateVersion,
} from './domain.js';
import { EXECUTION_STATES } from './domain.js';
import type { EngineEventMap } from './events.js';
import type { TemplateValidation } from './template-input.js';

const ref = z.string().trim().min(1, 'required').max(200);
const versionNumber = z.number().int().positive();
const artifactPath = z.string().min(1, 'an artifact path is required').max(4096);

export const requestSchemas = {
  'projects.list': z.object({}).strict(),
  'projects.create': z
    .object({ name: ref, description: z.string().max(4000).default('') })
    .strict(),
  'missions.list': z.object({ project: ref.optional() }).strict(),
  'missions.add': z
    .object({
      project: ref,
      folder: z.string().min(1, 'a folder is required'),
      name: ref.optional(),
    })
    .strict(),
  'missions.rescan': z.object({ mission: ref }).strict(),
  'missions.files': z.object({ mission: ref }).strict(),
  'missions.remove': z.object({ mission: ref }).strict(),
  'templates.list': z.object({ includeArchived: z.boolean().default(false) }).strict(),
  'templates.get': z.object({ template: ref, version: versionNumber.optional() }).strict(),
  'templates.versions': z.object({ template: ref }).strict(),
  // The input of a template is checked by the template schema itself, field by field.
  'templates.validate': z.object({ input: z.unknown() }).strict(),
  'templates.create': z.object({ input: z.unknown() }).strict(),
  'templates.edit': z.object({ template: ref, input: z.record(z.string(), z.unknown()) }).strict(),
  'templates.restore': z.object({ template: ref, version: versionNumber }).strict(),
  'templates.diff': z.object({ template: ref, from: versionNumber, to: versionNumber }).strict(),
  'templates.remove': z.object({ template: ref }).strict(),
  'templates.exportYaml': z.object({ template: ref, version: versionNumber.optional() }).strict(),
  'templates.importYaml': z.object({ yaml: z.string().min(1).max(1_000_000) }).strict(),
  'executions.launch': z
    .object({
      template: ref,
      version: versionNumber.optional(),
      missions: z.array(ref).min(1, 'choose at least one mission').max(1000),
    })
    .strict(),
  'executions.list': z
    .object({
      states: z.array(z.enum(EXECUTION_STATES)).optional(),
      template: ref.optional(),
      mission: ref.optional(),
      beforeNumber: z.number().int().optional(),
      limit: z.number().int().min(1).max(10_000).default(100),
    })
    .strict(),
  'executions.get': z.object({ execution: ref }).strict(),
  'executions.cancel': z.object({ execution: ref }).strict(),
  'logs.read': z
    .object({
      execution: ref,
      afterSeq: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(100_000).default(5000),
      stream: z.enum(['stdout', 'stderr']).optional(),
      search: z.string().max(1000).optional(),
    })
    .strict(),
  'artifacts.list': z.object({ execution: ref }).strict(),
  'audit.list': z.object({ execution: ref }).strict(),
  'executions.resources': z.object({ execution: ref }).strict(),
  'runner.status': z.object({}).strict(),
  // Desktop only: they need the machine's own dialogs and file manager. The browser transport
  // answers them with not_supported, and the UI offers download links there instead.
  'dialog.pickFolders': z
    .object({ title: z.string().max(200).optional(), multiple: z.boolean().default(true) })
    .strict(),
  'artifacts.save': z.object({ execution: ref, path: artifactPath }).strict(),
  'artifacts.saveAll': z.object({ execution: ref }).strict(),
  'artifacts.showInFolder': z.object({ execution: ref, path: artifactPath }).strict(),
} as const;

export const REQUEST_NAMES = Object.keys(requestSchemas) as RequestName[];

/** Requests that only the desktop app can answer (see above). */
export const DESKTOP_ONLY_REQUESTS = [
  'dialog.pickFolders',
  'artifacts.save',
  'artifacts.saveAll',
  'artifacts.showInFolder',
] as const satisfies readonly RequestName[];

export type RequestName = keyof typeof requestSchemas;
export type RequestInput<K extends RequestName> = z.input<(typeof requestSchemas)[K]>;
export type ParsedInput<K extends RequestName> = z.output<(typeof requestSchemas)[K]>;

export interface SavedVersionResult {
  version: TemplateVersion;
  warnings: Record<string, string[]>;
}

export interface RescanResultDto {
  mission: Mission;
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
  skipped: string[];
}

export interface VersionDiffDto {
  templateId: string;
  from: number;
  to: number;
  changes: Array<{ field: string; before: unknown; after: unknown }>;
  patch: string;
  parts: Array<{ value: string; added: boolean; removed: boolean }>;
}

export interface RequestResults {
  'projects.list': Project[];
  'projects.create': Project;
  'missions.list': Mission[];
  'missions.add': RescanResultDto;
  'missions.rescan': RescanResultDto;
  'missions.files': MissionFile[];
  'missions.remove': Mission;
  'templates.list': TemplateSummary[];
  'templates.get': TemplateVersion;
  'templates.versions': TemplateVersion[];
  'templates.validate': TemplateValidation;
  'templates.create': SavedVersionResult;
  'templates.edit': SavedVersionResult;
  'templates.restore': SavedVersionResult;
  'templates.diff': VersionDiffDto;
  'templates.remove': { outcome: 'deleted' | 'archived' };
  'templates.exportYaml': { yaml: string };
  'templates.importYaml': SavedVersionResult & { outcome: 'created' | 'saved' | 'unchanged' };
  'executions.launch': Execution[];
  'executions.list': Execution[];
  'executions.get': Execution;
  'executions.cancel': Execution;
  'logs.read': LogLine[];
  'artifacts.list': Artifact[];
  'audit.list': AuditEvent[];
  /** Null until the execution has run long enough to be sampled. */
  'executions.resources': ResourceUsage | null;
  'runner.status': RunnerStatus;
  /** The chosen folders; none when the person cancelled. */
  'dialog.pickFolders': { folders: string[] };
  /** Where the artifact was saved; null when the person cancelled. */
  'artifacts.save': { savedTo: string | null };
  /** The folder the artifacts were copied into; null when the person cancelled. */
  'artifacts.saveAll': { folder: string | null; count: number };
  'artifacts.showInFolder': { shown: string };
}

/** An error as it crosses the bridge: a stable code and a message a person can act on. */
export interface ErrorValue {
  code: string;
  message: string;
  fieldErrors?: Record<string, string[]>;
  hint?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorValue };

export type EventName = keyof EngineEventMap;

const EVENTS: Record<EventName, true> = {
  'execution.changed': true,
  'logs.appended': true,
  'artifacts.collected': true,
  'audit.recorded': true,
  'runner.changed': true,
};
/** Every event name at run time (the record above makes the compiler check it is complete). */
export const EVENT_NAMES = Object.keys(EVENTS) as EventName[];

/** What the renderer sees, whichever transport carries it (Electron IPC or HTTP/WebSocket). */
export interface KleinkramApi {
  request<K extends RequestName>(name: K, input: RequestInput<K>): Promise<RequestResults[K]>;
  /** Subscribes to an event; the returned function unsubscribes. */
  on<K extends EventName>(name: K, listener: (payload: EngineEventMap[K]) => void): () => void;
}

/**
 * What the Electron preload exposes as `window.kleinkram`. Results cross as values, not as
 * thrown errors, because Electron's context bridge keeps only the message of an Error and
 * would drop its code; the renderer's getApi() turns them back into RequestErrors.
 */
export interface KleinkramBridge {
  request<K extends RequestName>(
    name: K,
    input: RequestInput<K>,
  ): Promise<Result<RequestResults[K]>>;
  on<K extends EventName>(name: K, listener: (payload: EngineEventMap[K]) => void): () => void;
  /** The path on disk of a file or folder dropped on the window. */
  pathForFile(file: File): string;
}

/** Thrown on the renderer side for an error value, so callers can catch a real Error. */
export class RequestError extends Error {
  readonly code: string;
  readonly fieldErrors: Record<string, string[]> | undefined;
  readonly hint: string | undefined;

  constructor(value: ErrorValue) {
    super(value.message);
    this.name = 'RequestError';
    this.code = value.code;
    this.fieldErrors = value.fieldErrors;
    this.hint = value.hint;
  }
}

/**
 * The browser transport: the same requests over HTTP and the same events over one WebSocket,
 * served by `kleinkram-actions serve`. Every /api route needs the token the server printed,
 * in the header or (where a browser cannot set headers: WebSocket, download links) the query.
 */
export const HTTP_API = {
  tokenHeader: 'x-kleinkram-token',
  tokenParam: 'token',
  events: '/api/events',
  request: (name: RequestName) => `/api/request/${name}`,
  artifact: (executionId: string, artifactPath: string) =>
    `/api/executions/${encodeURIComponent(executionId)}/artifact?path=${encodeURIComponent(artifactPath)}`,
  artifactsZip: (executionId: string) =>
    `/api/executions/${encodeURIComponent(executionId)}/artifacts.zip`,
} as const;

/** What the server sends on the events WebSocket: one event per message. */
export type EventMessage = {
  [K in EventName]: { event: K; payload: EngineEventMap[K] };
}[EventName];

/** What a client sends on the events WebSocket: which events it wants. */
export const eventSubscriptionSchema = z
  .object({
    type: z.enum(['subscribe', 'unsubscribe']),
    event: z.enum(EVENT_NAMES as [EventName, ...EventName[]]),
  })
  .strict();
export type EventSubscription = z.infer<typeof eventSubscriptionSchema>;
