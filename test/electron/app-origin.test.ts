// The pure parts of the Electron shell, tested on Node: which frames count as our page,
// which files app:// may serve, the window's CSP and the notification text.
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { APP_ENTRY, isOwnPage, rendererFileFor } from '../../main/electron/app-origin.js';
import { desktopCsp } from '../../main/electron/content-security.js';
import { executionEndedNotice } from '../../main/electron/notices.js';
import type { Execution } from '../../main/shared/domain.js';

describe('isOwnPage', () => {
  it('accepts the app scheme, and the dev server only in development', () => {
    expect(isOwnPage(APP_ENTRY, null)).toBe(true);
    expect(isOwnPage('app://kleinkram/executions/3', null)).toBe(true);
    expect(isOwnPage('http://localhost:5173/', null)).toBe(false);
    expect(isOwnPage('http://localhost:5173/x', 'http://localhost:5173')).toBe(true);
  });

  it.each([
    'app://other/index.html',
    'file:///etc/passwd',
    'https://kleinkram.example/',
    'http://localhost:5174/',
    'about:blank',
    '',
    'not a url',
  ])('refuses %s', (url) => {
    expect(isOwnPage(url, 'http://localhost:5173')).toBe(false);
  });
});

describe('rendererFileFor', () => {
  const dir = path.resolve('/app/renderer/dist');

  it('serves files of the build, and index.html for app paths', () => {
    expect(rendererFileFor(dir, 'app://kleinkram/assets/index-1.js')).toBe(
      path.join(dir, 'assets/index-1.js'),
    );
    expect(rendererFileFor(dir, 'app://kleinkram/')).toBe(path.join(dir, 'index.html'));
    expect(rendererFileFor(dir, 'app://kleinkram/executions/12')).toBe(
      path.join(dir, 'index.html'),
    );
  });

  it.each([
    'app://kleinkram/../../etc/passwd.txt',
    'app://kleinkram/%2e%2e/%2e%2e/etc/passwd.txt',
    'app://kleinkram/..%2f..%2fsecret.js',
    'app://kleinkram/%E0%A4%A.js',
    'app://other/index.html',
  ])('serves nothing outside the build: %s', (url) => {
    const file = rendererFileFor(dir, url);
    expect(file === null || file.startsWith(dir + path.sep)).toBe(true);
  });
});

describe('desktopCsp', () => {
  it('allows only our own scripts in the packaged app', () => {
    const csp = desktopCsp(null);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline'; connect");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(csp).toContain("default-src 'none'");
  });

  it('lets the dev server refresh the page in development', () => {
    const csp = desktopCsp('http://localhost:5173');
    expect(csp).toContain("script-src 'self' 'unsafe-inline'");
    expect(csp).toContain('ws://localhost:5173');
  });
});

describe('executionEndedNotice', () => {
  const base = {
    number: 7,
    templateName: 'bag-summary',
    templateVersion: 2,
    missionName: 'lab-run-01',
    exitCode: null,
    oomKilled: false,
    stateCause: null,
  } as unknown as Execution;

  it('says an execution succeeded', () => {
    expect(executionEndedNotice({ ...base, state: 'succeeded', exitCode: 0 })).toEqual({
      title: '#7 DONE: bag-summary v2 on lab-run-01',
      body: 'finished; its artifacts are ready',
    });
  });

  it('gives the exit code and its meaning when it failed', () => {
    const notice = executionEndedNotice({
      ...base,
      state: 'failed',
      exitCode: 137,
      oomKilled: true,
    });
    expect(notice.title).toBe('#7 FAILED: bag-summary v2 on lab-run-01');
    expect(notice.body).toMatch(/^exit code 137: /);
  });

  it('gives the cause when there is no exit code', () => {
    const notice = executionEndedNotice({
      ...base,
      state: 'unprocessable',
      stateCause: 'the mission folder is gone',
    });
    expect(notice.body).toBe('the mission folder is gone');
  });
});
