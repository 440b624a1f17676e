// The UI under test as a person meets it: a real engine on a fresh data directory (real
// SQLite, real Docker), the browser transport's server started in-process on it, and the
// built renderer in Debian's Chromium. Every console error or warning and every uncaught page
// error is collected, so that a test can fail on them.
import fs from 'node:fs';
import path from 'node:path';

import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

import type { Engine, EngineOptions } from '../../main/core/engine.js';
import { ACTIVE_STATES } from '../../main/shared/domain.js';
import { startServer, type RunningServer } from '../../main/server/server.js';
import { PROJECT_ROOT, openTestEngine } from '../helpers/engine.js';
import { RENDERER_DIST, ensureRendererBuilt } from './renderer-build.js';

export const SCREENSHOTS = path.join(PROJECT_ROOT, 'test-output', 'screenshots');
const CHROMIUM = '/usr/bin/chromium';

export interface UiHarness {
  engine: Engine;
  server: RunningServer;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Console errors and warnings and page errors, in the order they happened. */
  problems: string[];
  /** The app's address for a page of it (a hash route such as '#/missions'). */
  url(hash?: string): string;
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function startUi(engineOptions: Partial<EngineOptions> = {}): Promise<UiHarness> {
  await ensureRendererBuilt();
  const engine = openTestEngine(engineOptions);
  engine.startRunner();
  const server = await startServer({ engine, port: 0, rendererDir: RENDERER_DIST });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const context = await browser.newContext({
    viewport: { width: 1360, height: 900 },
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    const type = message.type();
    if (type === 'error' || type === 'warning') problems.push(`console ${type}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  fs.mkdirSync(SCREENSHOTS, { recursive: true });

  return {
    engine,
    server,
    browser,
    context,
    page,
    problems,
    url(hash = '') {
      return `${server.origin}/?token=${encodeURIComponent(server.token)}${hash}`;
    },
    async screenshot(name) {
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
    },
    async close() {
      await browser.close().catch(() => undefined);
      await server.close().catch(() => undefined);
      // Closing drains the runner: a test that failed half-way must not leave it waiting on
      // a long action.
      for (const execution of engine.executions.list({ states: [...ACTIVE_STATES, 'queued'] })) {
        engine.cancel(execution.id);
      }
      await engine.close();
    },
  };
}
