// The app side of benchmark 7 in a process of its own: an engine on a fresh data directory with
// its runner started, and the browser transport's server on it serving the built renderer, as
// the desktop app's browser mode does. The bench process drives Chromium against it and asks
// this process, over IPC, to launch and cancel actions and to say how many lines are stored. A
// process of its own makes the peak resident set the engine's and the server's alone, not the
// bench runner's or Playwright's.
import fs from 'node:fs';
import path from 'node:path';

import Database from 'better-sqlite3';

import { Engine } from '../main/core/engine.js';
import { startServer } from '../main/server/server.js';
import { ACTIVE_STATES } from '../main/shared/domain.js';

export interface UiEngineStart {
  tmpDir: string;
  rendererDir: string;
  image: string;
  command: string[];
}

export type UiEngineRequest =
  | { id: number; type: 'launch' }
  | { id: number; type: 'lines'; execution: string }
  | { id: number; type: 'cancel'; execution: string };

export interface UiEngineLines {
  state: string;
  stored: number;
  /** Receive times of the first and last stored line, to give the real rate of the stream. */
  firstTime: number | null;
  lastTime: number | null;
}

export type UiEngineMessage =
  | { type: 'ready'; url: string; storeId: string }
  | { type: 'reply'; id: number; value?: unknown; error?: string }
  | { type: 'closed'; maxRssKb: number };

const PROJECT = 'bench';
const TEMPLATE = 'ui-stream';
const MISSION = 'bench/mission';

function send(message: UiEngineMessage): void {
  process.send!(message);
}

async function main(start: UiEngineStart): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(start.tmpDir, 'kleinkram-bench-data-'));
  const missionDir = fs.mkdtempSync(path.join(start.tmpDir, 'kleinkram-bench-mission-'));
  // The image is on this machine; a pull attempt would only add a registry timeout.
  const engine = Engine.open({ dataDir, pullImages: false, stopGraceSeconds: 1 });
  engine.projects.create(PROJECT);
  await engine.missions.add(PROJECT, missionDir, 'mission');
  engine.templates.create(
    {
      name: TEMPLATE,
      image: start.image,
      command: start.command,
      cpuCores: 1,
      memory: '512MiB',
      maxRuntimeSeconds: 3600,
    },
    'bench',
  );
  engine.startRunner();
  const server = await startServer({ engine, port: 0, rendererDir: start.rendererDir });

  const answer = async (request: UiEngineRequest): Promise<unknown> => {
    if (request.type === 'launch') {
      return engine.launch({ template: TEMPLATE, mission: MISSION }).id;
    }
    if (request.type === 'cancel') {
      const execution = engine.executions.get(request.execution);
      if ([...ACTIVE_STATES, 'queued'].includes(execution.state)) engine.cancel(execution.id);
      return (await engine.waitForEnd(execution.id)).state;
    }
    const stored = engine.logs.count(request.execution);
    const first = engine.logs.read(request.execution, { limit: 1 })[0];
    const last =
      stored > 0 ? engine.logs.read(request.execution, { afterSeq: stored - 1 })[0] : null;
    const lines: UiEngineLines = {
      state: engine.executions.get(request.execution).state,
      stored,
      firstTime: first?.time ?? null,
      lastTime: last?.time ?? null,
    };
    return lines;
  };

  const close = async () => {
    process.off('message', onMessage);
    await server.close().catch(() => undefined);
    for (const execution of engine.executions.list({ states: [...ACTIVE_STATES, 'queued'] })) {
      engine.cancel(execution.id);
    }
    await engine.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(missionDir, { recursive: true, force: true });
    send({ type: 'closed', maxRssKb: process.resourceUsage().maxRSS });
    process.disconnect();
  };

  const onMessage = (message: UiEngineRequest | { type: 'close' }) => {
    if (message.type === 'close') {
      void close();
      return;
    }
    answer(message).then(
      (value) => send({ type: 'reply', id: message.id, value }),
      (error: unknown) => send({ type: 'reply', id: message.id, error: String(error) }),
    );
  };
  process.on('message', onMessage);
  const db = new Database(engine.layout.database, { readonly: true, fileMustExist: true });
  const storeId = String(db.prepare("SELECT value FROM meta WHERE key = 'store_id'").pluck().get());
  db.close();
  send({ type: 'ready', url: server.url, storeId });
}

process.once('message', (start: UiEngineStart) => {
  main(start).catch((error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
});
