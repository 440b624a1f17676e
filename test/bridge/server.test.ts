// The browser transport end to end: the server started in-process on a real engine, the
// renderer's own transport (createBrowserApi) talking to it, and a real action on Docker
// whose artifacts are downloaded, one and all as a zip, with the downloads audited.
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import yauzl from 'yauzl';

import type { Engine } from '../../main/core/engine.js';
import { startServer, type RunningServer } from '../../main/server/server.js';
import { HTTP_API, RequestError, type EventMessage } from '../../main/shared/contract.js';
import { isFinalState, type Execution, type LogLine } from '../../main/shared/domain.js';
import { createBrowserApi, followLogs, type BrowserApi } from '../../renderer/src/api/index.js';
import { addMission, openTestEngine, shellTemplate, tempDir } from '../helpers/engine.js';
import { rawRequest, upgradeStatus } from './http.js';

const LINES = 3000;
const SCRIPT = `seq 1 ${LINES}; mkdir -p /out/sub; echo hello > /out/a.txt; echo world > /out/sub/b.txt`;

let engine: Engine;
let server: RunningServer;
let api: BrowserApi;
let missionId: string;

function json(body: unknown) {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json', [HTTP_API.tokenHeader]: server.token },
    body: JSON.stringify(body),
  };
}

function connected(client: BrowserApi): Promise<void> {
  return new Promise((resolve) => {
    const stop = client.onConnectionChange((up) => {
      if (!up) return;
      stop();
      resolve();
    });
  });
}

function unzip(buffer: Buffer): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('no zip'));
      const files: Record<string, string> = {};
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            files[entry.fileName] = Buffer.concat(chunks).toString('utf8');
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(files));
      zip.readEntry();
    });
  });
}

beforeAll(async () => {
  engine = openTestEngine();
  engine.startRunner();
  missionId = (await addMission(engine)).id;
  engine.templates.create(shellTemplate('writer', SCRIPT), 'test');
  const rendererDir = tempDir('kleinkram-renderer-');
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>test</title>');
  server = await startServer({ engine, port: 0, rendererDir });
  api = createBrowserApi({ baseUrl: server.origin, token: server.token, WebSocket });
  await connected(api);
});

afterAll(async () => {
  api?.close();
  await server?.close();
  await engine?.close();
});

describe('access', () => {
  it('prints a loopback address with the token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{40,}$/);
  });

  it('refuses requests without the token, or with a wrong one (401)', async () => {
    const body = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' };
    expect(
      (await rawRequest(server.origin, { path: '/api/request/projects.list', ...body })).status,
    ).toBe(401);
    const wrong = { ...body, headers: { ...body.headers, [HTTP_API.tokenHeader]: 'guess' } };
    expect(
      (await rawRequest(server.origin, { path: '/api/request/projects.list', ...wrong })).status,
    ).toBe(401);
    expect((await rawRequest(server.origin, { path: HTTP_API.artifactsZip('1') })).status).toBe(
      401,
    );
  });

  it('refuses a foreign Origin or Host even with the token (403)', async () => {
    const request = json({});
    const foreign = await rawRequest(server.origin, {
      path: '/api/request/projects.list',
      ...request,
      headers: { ...request.headers, origin: 'http://evil.example' },
    });
    expect(foreign.status).toBe(403);
    const rebound = await rawRequest(server.origin, {
      path: '/',
      headers: { host: `evil.example:${server.port}` },
    });
    expect(rebound.status).toBe(403);
    const own = await rawRequest(server.origin, {
      path: '/api/request/projects.list',
      ...request,
      headers: { ...request.headers, origin: server.origin },
    });
    expect(own.status).toBe(200);
  });

  it('refuses event sockets without the token (401) or from a foreign origin (403)', async () => {
    const events = `ws://127.0.0.1:${server.port}${HTTP_API.events}`;
    expect(await upgradeStatus(events)).toBe(401);
    expect(await upgradeStatus(`${events}?token=guess`)).toBe(401);
    expect(
      await upgradeStatus(`${events}?token=${server.token}`, { origin: 'http://evil.example' }),
    ).toBe(403);
    expect(await upgradeStatus(`${events}?token=${server.token}`, { origin: server.origin })).toBe(
      101,
    );
  });

  it('serves the renderer with a strict CSP, and any app path as index.html', async () => {
    for (const page of ['/', '/executions/12']) {
      const response = await rawRequest(server.origin, { path: page });
      expect(response.status).toBe(200);
      expect(response.body.toString()).toContain('<title>test</title>');
      const csp = String(response.headers['content-security-policy']);
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(response.headers['referrer-policy']).toBe('no-referrer');
    }
  });

  it('says how to build the renderer when it is missing', async () => {
    const bare = await startServer({ engine, port: 0, rendererDir: tempDir('kleinkram-empty-') });
    try {
      const response = await rawRequest(bare.origin, { path: '/' });
      expect(response.status).toBe(503);
      expect(response.body.toString()).toContain('npm run build:renderer');
    } finally {
      await bare.close();
    }
  });
});

describe('requests', () => {
  it('round-trips through the browser transport', async () => {
    await api.request('projects.create', { name: 'served', description: 'over HTTP' });
    const projects = await api.request('projects.list', {});
    expect(projects.map((p) => p.name)).toContain('served');
  });

  it('rethrows errors as RequestError with their code', async () => {
    const error = await api
      .request('executions.get', { execution: 'nope' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestError);
    expect(error).toMatchObject({ code: 'not_found' });
    const invalid = await api
      .request('executions.list', { limit: 0 })
      .catch((e: unknown) => e as RequestError);
    expect(invalid).toMatchObject({
      code: 'invalid_input',
      fieldErrors: { limit: [expect.any(String)] },
    });
  });

  it('answers desktop-only requests with not_supported', async () => {
    expect(api.supports('dialog.pickFolders')).toBe(false);
    await expect(api.request('dialog.pickFolders', {})).rejects.toMatchObject({
      code: 'not_supported',
    });
  });

  it('refuses a body that is not JSON', async () => {
    const request = json({});
    const notJson = await rawRequest(server.origin, {
      path: '/api/request/projects.list',
      ...request,
      body: '{',
    });
    expect(notJson.status).toBe(400);
    const wrongType = await rawRequest(server.origin, {
      path: '/api/request/projects.list',
      ...request,
      headers: { ...request.headers, 'content-type': 'text/plain' },
    });
    expect(wrongType.status).toBe(415);
  });
});

describe('a real action', () => {
  let execution: Execution;
  const batches: number[] = [];
  const followed: LogLine[] = [];

  beforeAll(async () => {
    // A raw socket counts the log messages, to show lines come in batches.
    const raw = new WebSocket(
      `ws://127.0.0.1:${server.port}${HTTP_API.events}?token=${server.token}`,
    );
    await new Promise((resolve) => raw.once('open', resolve));
    raw.send(JSON.stringify({ type: 'subscribe', event: 'logs.appended' }));
    raw.on('message', (data) => {
      const message = JSON.parse(data.toString()) as EventMessage;
      if (message.event === 'logs.appended') batches.push(message.payload.lines.length);
    });

    const states: string[] = [];
    const ended = new Promise<Execution>((resolve) => {
      api.on('execution.changed', (changed) => {
        states.push(changed.state);
        if (isFinalState(changed.state)) resolve(changed);
      });
    });
    [execution] = (await api.request('executions.launch', {
      template: 'writer',
      missions: [missionId],
    })) as [Execution];
    const stopFollowing = followLogs(api, execution.id, (lines) => followed.push(...lines));
    execution = await ended;
    // The follower reads the tail once it sees the end, and the last batch of the raw socket
    // is up to 50 ms behind: give both a moment.
    const received = () => batches.reduce((sum, n) => sum + n, 0);
    for (let i = 0; i < 50 && (followed.length < LINES || received() < LINES); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    stopFollowing();
    raw.close();
    expect(states).toContain('running');
  }, 180_000);

  it('succeeds, its events having arrived over the WebSocket', () => {
    expect(execution.state).toBe('succeeded');
  });

  it('pushes log lines in batches, never one message per line', () => {
    expect(batches.reduce((sum, n) => sum + n, 0)).toBe(LINES);
    expect(batches.length).toBeLessThan(LINES / 10);
  });

  it('lets a follower see every line once, in order', () => {
    expect(followed.map((line) => line.seq)).toEqual(
      Array.from({ length: LINES }, (_, i) => i + 1),
    );
    expect(followed.at(-1)?.text).toBe(String(LINES));
  });

  it('lets a late follower read the history page by page', async () => {
    const late: LogLine[] = [];
    await new Promise<void>((resolve) => {
      const stop = followLogs(
        api,
        execution.id,
        (lines) => {
          late.push(...lines);
          if (late.length >= LINES) {
            stop();
            resolve();
          }
        },
        { pageSize: 700 },
      );
    });
    expect(late.map((line) => line.seq)).toEqual(Array.from({ length: LINES }, (_, i) => i + 1));
  });

  it('downloads one artifact as an attachment, audited', async () => {
    const url = api.artifactUrl(execution.id, 'a.txt');
    expect(url).not.toBeNull();
    const response = await fetch(url!);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="?a\.txt"?$/,
    );
    expect(await response.text()).toBe('hello\n');
    const audit = engine.audit.list(execution.id);
    expect(audit).toContainEqual(
      expect.objectContaining({
        operation: 'artifact.exported',
        path: 'a.txt',
        detail: expect.stringContaining('browser download'),
      }),
    );
  });

  it('answers 404 for an artifact that does not exist', async () => {
    const response = await fetch(api.artifactUrl(execution.id, '../../etc/passwd')!);
    expect(response.status).toBe(404);
  });

  it('downloads all artifacts as one zip, each file audited', async () => {
    const before = engine.audit.list(execution.id).length;
    const response = await fetch(api.artifactsZipUrl(execution.id)!);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-disposition')).toContain(
      `filename=execution-${execution.number}-artifacts.zip`,
    );
    const files = await unzip(Buffer.from(await response.arrayBuffer()));
    expect(files).toEqual({ 'a.txt': 'hello\n', 'sub/b.txt': 'world\n' });
    const added = engine.audit.list(execution.id).slice(before);
    expect(added.map((event) => [event.operation, event.path]).sort()).toEqual([
      ['artifact.exported', 'a.txt'],
      ['artifact.exported', 'sub/b.txt'],
    ]);
    expect(added[0]?.detail).toContain('(zip)');
  });
});
