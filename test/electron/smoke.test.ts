// The desktop app itself, driven by Playwright's Electron launcher: it opens a sandboxed
// window on our own page, exposes exactly the bridge, and answers a request. It needs the
// Electron binary, which is not downloaded where ELECTRON_SKIP_BINARY_DOWNLOAD is set; there
// the test is skipped and says so.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';

import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';

import type { KleinkramBridge } from '../../main/shared/contract.js';
import { PROJECT_ROOT, tempDir } from '../helpers/engine.js';

/** The Electron executable when it is installed: the electron package exports its path. */
function electronBinary(): string | null {
  try {
    const binary = createRequire(import.meta.url)('electron') as unknown;
    return typeof binary === 'string' && fs.existsSync(binary) ? binary : null;
  } catch {
    // The package throws when its binary was never downloaded.
    return null;
  }
}

const binary = electronBinary();
const SKIPPED =
  'skipped: the Electron binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD=1 at ' +
  '`npm install`); install it with `node node_modules/electron/install.js` to run this test';

describe('the desktop app', () => {
  if (!binary) {
    it.skip(SKIPPED, () => undefined);
    return;
  }

  it('opens a sandboxed window that has only the bridge and answers a request', async () => {
    execFileSync('npm', ['run', 'build:app'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
    const app = await electron.launch({
      executablePath: binary,
      args: [PROJECT_ROOT],
      cwd: PROJECT_ROOT,
      env: { ...process.env, KLEINKRAM_ACTIONS_DATA: tempDir('kleinkram-electron-') },
    });
    const errors: string[] = [];
    try {
      const page = await app.firstWindow();
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      await page.waitForLoadState('domcontentloaded');
      expect(page.url()).toBe('app://kleinkram/index.html');

      const globals = await page.evaluate(() => ({
        bridge: Object.keys(window.kleinkram ?? {}).sort(),
        require: typeof (window as unknown as { require?: unknown }).require,
        process: typeof (window as unknown as { process?: unknown }).process,
      }));
      expect(globals).toEqual({
        bridge: ['on', 'pathForFile', 'request'],
        require: 'undefined',
        process: 'undefined',
      });

      const answer = await page.evaluate(() =>
        (window as unknown as { kleinkram: KleinkramBridge }).kleinkram.request(
          'projects.list',
          {},
        ),
      );
      expect(answer).toEqual({ ok: true, value: [] });

      expect(await page.evaluate(() => window.open('https://example.com') === null)).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
