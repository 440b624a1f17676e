// The contract's promise: every request refuses malformed input with `invalid_input` and a
// message per field, and changes nothing in the store; handler errors keep their codes.
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  createHandlers,
  invokeRequest,
  type DesktopServices,
  type Handlers,
} from '../../main/bridge/index.js';
import type { Engine } from '../../main/core/engine.js';
import {
  DESKTOP_ONLY_REQUESTS,
  REQUEST_NAMES,
  type RequestName,
} from '../../main/shared/contract.js';
import { openTestEngine, tempDir } from '../helpers/engine.js';
import { fillStore } from './fixtures.js';
import { snapshotStore } from './store-snapshot.js';

/** Inputs that are wrong for any request. */
const ALWAYS_MALFORMED: unknown[] = [42, 'text', null, [], true, { unexpected: 1 }];

/** Inputs wrong for one request: by the schema, or by the core's own checks behind it. */
function malformedInputs(execution: string): Record<RequestName, unknown[]> {
  return {
    'projects.list': [{ all: true }],
    'projects.create': [{}, { name: '' }, { name: 'x', description: 5 }, { name: 'x'.repeat(201) }],
    'missions.list': [{ project: '' }, { project: 1 }],
    'missions.add': [
      { project: 'lab' },
      { project: 'lab', folder: '' },
      { project: 'lab', folder: tempDir(), name: '   ' },
      { project: 'lab', folder: tempDir(), name: 'no spaces allowed' },
    ],
    'missions.rescan': [{}, { mission: 3 }],
    'missions.files': [{ mission: '' }],
    'missions.remove': [{}, { mission: '' }, { mission: 7 }],
    'templates.list': [{ includeArchived: 'yes' }],
    'templates.get': [
      { template: 'hello', version: 0 },
      { template: 'hello', version: 1.5 },
      { template: 'hello', version: '1' },
    ],
    'templates.versions': [{}],
    'templates.validate': [{ input: {}, strict: false }],
    'templates.create': [
      { input: {}, extra: 1 },
      { input: 'not a template' },
      { input: { name: 'bad name!', image: '' } },
    ],
    'templates.edit': [
      { template: 'hello' },
      { template: 'hello', input: [] },
      { template: 'hello', input: { cpuCores: -1 } },
      { template: 'hello', input: { nonsense: 1 } },
    ],
    'templates.restore': [{ template: 'hello' }, { template: 'hello', version: -1 }],
    'templates.diff': [
      { template: 'hello', from: 1 },
      { template: 'hello', from: 'a', to: 1 },
    ],
    'templates.remove': [{ template: '' }, { template: '   ' }],
    'templates.exportYaml': [{ template: 'hello', version: 0 }],
    'templates.importYaml': [
      { yaml: '' },
      { yaml: 'name: [unclosed' },
      { yaml: 'name: x\nimage: 5\n' },
    ],
    'executions.launch': [
      { template: 'hello', missions: [] },
      { template: 'hello', missions: 'lab/m' },
      { template: 'hello', missions: [''] },
      { template: 'hello', version: 0, missions: ['x'] },
    ],
    'executions.list': [
      { states: ['bogus'] },
      { limit: 0 },
      { limit: 10_001 },
      { beforeNumber: 1.5 },
    ],
    'executions.get': [{ execution: '' }],
    'executions.cancel': [{ execution: 5 }],
    'logs.read': [
      { execution, afterSeq: -1 },
      { execution, stream: 'stdin' },
      { execution, limit: 0 },
    ],
    'artifacts.list': [{}],
    'audit.list': [{ execution: [] }],
    'executions.resources': [{ execution: null }],
    'runner.status': [{ verbose: true }],
    'dialog.pickFolders': [{ multiple: 'yes' }, { title: 5 }],
    'artifacts.save': [{ execution }, { execution, path: '' }],
    'artifacts.saveAll': [{}],
    'artifacts.showInFolder': [{ execution, path: 7 }],
  };
}

let engine: Engine;
let handlers: Handlers;
let data: Awaited<ReturnType<typeof fillStore>>;

beforeAll(async () => {
  engine = openTestEngine();
  data = await fillStore(engine);
  handlers = createHandlers(engine, { author: 'test' });
});
afterAll(() => engine.close());

describe('the handler table', () => {
  it('has a handler for every request of the contract', () => {
    expect(Object.keys(handlers).sort()).toEqual([...REQUEST_NAMES].sort());
    // @ts-expect-error a table without every request does not compile
    const partial: Handlers = { 'projects.list': () => [] };
    expect(partial).toBeDefined();
  });
});

describe('malformed input', () => {
  it.each(REQUEST_NAMES)('%s refuses it with invalid_input and changes nothing', async (name) => {
    const before = snapshotStore(engine);
    const inputs = [...ALWAYS_MALFORMED, ...malformedInputs(data.ended.id)[name]];
    for (const input of inputs) {
      const result = await invokeRequest(handlers, name, input);
      expect(result, `${name} ${JSON.stringify(input)}`).toMatchObject({
        ok: false,
        error: { code: 'invalid_input' },
      });
      if (!result.ok) expect(result.error.message.length).toBeGreaterThan(10);
    }
    expect(snapshotStore(engine)).toEqual(before);
  });

  it('names each wrong field', async () => {
    const result = await invokeRequest(handlers, 'executions.list', {
      limit: 0,
      states: ['bogus'],
      extra: true,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.error.fieldErrors ?? {}).sort()).toEqual([
      'extra',
      'limit',
      'states.0',
    ]);
    expect(result.error.fieldErrors?.extra).toEqual(['unknown field']);
  });

  it('gives the core template checks per field', async () => {
    const result = await invokeRequest(handlers, 'templates.create', {
      input: { name: 'ok', image: 'debian:bookworm-slim', cpuCores: 0 },
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.fieldErrors).toHaveProperty('cpuCores');
  });
});

describe('errors keep their codes', () => {
  const cases: Array<[string, () => [RequestName, unknown], string]> = [
    ['an unknown execution', () => ['executions.get', { execution: 'no-such-one' }], 'not_found'],
    ['the log of an unknown execution', () => ['logs.read', { execution: '999999' }], 'not_found'],
    ['an unknown template', () => ['templates.get', { template: 'missing' }], 'not_found'],
    ['a missing version', () => ['templates.get', { template: 'hello', version: 99 }], 'not_found'],
    ['a taken project name', () => ['projects.create', { name: 'lab' }], 'conflict'],
    [
      'a mission in an unknown project',
      () => ['missions.add', { project: 'nope', folder: tempDir() }],
      'not_found',
    ],
    [
      'an edit that changes nothing',
      () => ['templates.edit', { template: 'hello', input: { description: 'says hello' } }],
      'invalid_input',
    ],
    [
      'cancelling an ended execution',
      () => ['executions.cancel', { execution: data.ended.id }],
      'conflict',
    ],
    [
      'a launch on an unknown mission',
      () => ['executions.launch', { template: 'hello', missions: [data.mission.id, 'ghost'] }],
      'not_found',
    ],
    [
      'an artifact that does not exist',
      () => ['artifacts.list', { execution: 'ffffffff-none' }],
      'not_found',
    ],
  ];

  it.each(cases)('%s', async (_what, make, code) => {
    const [name, input] = make();
    const before = snapshotStore(engine);
    const result = await invokeRequest(handlers, name, input);
    expect(result).toMatchObject({ ok: false, error: { code } });
    expect(snapshotStore(engine)).toEqual(before);
  });

  it('keeps the field errors of a conflict', async () => {
    const result = await invokeRequest(handlers, 'projects.create', { name: 'lab' });
    expect(result).toMatchObject({
      ok: false,
      error: { fieldErrors: { name: [expect.any(String)] } },
    });
  });

  it.each(['nope.nope', '__proto__', 'constructor', 'toString'])(
    'answers not_found for the unknown request %s',
    async (name) => {
      expect(await invokeRequest(handlers, name, {})).toMatchObject({
        ok: false,
        error: { code: 'not_found' },
      });
    },
  );

  it.each(DESKTOP_ONLY_REQUESTS)(
    'answers not_supported for %s outside the desktop app',
    async (name) => {
      const input = {
        'dialog.pickFolders': {},
        'artifacts.save': { execution: data.ended.id, path: 'a.txt' },
        'artifacts.saveAll': { execution: data.ended.id },
        'artifacts.showInFolder': { execution: data.ended.id, path: 'a.txt' },
      }[name];
      expect(await invokeRequest(handlers, name, input)).toMatchObject({
        ok: false,
        error: { code: 'not_supported', hint: expect.stringContaining('download') },
      });
    },
  );

  it('turns an unexpected failure into internal without its details', async () => {
    const broken: Handlers = {
      ...handlers,
      'projects.list': () => {
        throw new Error('disk /secret/place exploded');
      },
    };
    const result = await invokeRequest(broken, 'projects.list', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(result)).not.toContain('secret');
  });
});

describe('answers', () => {
  it('runs a valid request and applies schema defaults', async () => {
    const result = await invokeRequest(handlers, 'logs.read', {
      execution: String(data.ended.number),
    });
    expect(result).toMatchObject({
      ok: true,
      value: [
        { seq: 1, text: 'one' },
        { seq: 2, text: 'two' },
      ],
    });
    expect(await invokeRequest(handlers, 'projects.list', undefined)).toMatchObject({ ok: true });
  });

  it('launches on several missions, one execution each, and reports them', async () => {
    const second = await engine.missions.add('lab', tempDir('kleinkram-mission-'), 'second');
    const launched: string[] = [];
    const withHook = createHandlers(engine, {
      author: 'test',
      onLaunched: (executions) => launched.push(...executions.map((e) => e.id)),
    });
    const result = await invokeRequest(withHook, 'executions.launch', {
      template: 'hello',
      missions: [data.mission.id, second.mission.id, data.mission.id],
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toHaveLength(2);
    expect(launched).toEqual(result.value.map((e) => e.id));
    for (const execution of result.value) engine.cancel(execution.id);
  });
});

describe('desktop-only requests with the desktop', () => {
  const saved = tempDir('kleinkram-saved-');
  const shown: string[] = [];
  let answer: string | null = null;
  const desktop: DesktopServices = {
    pickFolders: async () => ['/data/a', '/data/b'],
    chooseSaveFile: async (name) => (answer === null ? null : path.join(answer, name)),
    chooseFolder: async () => answer,
    showItemInFolder: (file) => shown.push(file),
  };
  const table = () => createHandlers(engine, { author: 'test', desktop });

  it('picks folders', async () => {
    expect(await invokeRequest(table(), 'dialog.pickFolders', {})).toEqual({
      ok: true,
      value: { folders: ['/data/a', '/data/b'] },
    });
  });

  it('saves an artifact where the person chose, audited, and nothing when they cancel', async () => {
    answer = null;
    const before = snapshotStore(engine);
    const input = { execution: data.ended.id, path: 'a.txt' };
    expect(await invokeRequest(table(), 'artifacts.save', input)).toEqual({
      ok: true,
      value: { savedTo: null },
    });
    expect(snapshotStore(engine)).toEqual(before);

    answer = saved;
    const result = await invokeRequest(table(), 'artifacts.save', input);
    expect(result).toEqual({ ok: true, value: { savedTo: path.join(saved, 'a.txt') } });
    expect(fs.readFileSync(path.join(saved, 'a.txt'), 'utf8')).toBe('artifact\n');
    expect(engine.audit.list(data.ended.id).at(-1)).toMatchObject({
      operation: 'artifact.exported',
      path: 'a.txt',
    });
  });

  it('saves all artifacts into a folder of the execution', async () => {
    answer = saved;
    const result = await invokeRequest(table(), 'artifacts.saveAll', { execution: data.ended.id });
    const folder = path.join(saved, `execution-${data.ended.number}`);
    expect(result).toEqual({ ok: true, value: { folder, count: 1 } });
    expect(fs.existsSync(path.join(folder, 'a.txt'))).toBe(true);
  });

  it('shows an artifact in its folder, and refuses one that does not exist', async () => {
    const ok = await invokeRequest(table(), 'artifacts.showInFolder', {
      execution: data.ended.id,
      path: 'a.txt',
    });
    expect(ok.ok).toBe(true);
    expect(shown.at(-1)).toMatch(/a\.txt$/);
    const missing = await invokeRequest(table(), 'artifacts.showInFolder', {
      execution: data.ended.id,
      path: '../../../etc/passwd',
    });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});
