// The CLI as a person or a script uses it: real processes on a real data directory.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { FIXTURES, PROJECT_ROOT, tempDir } from '../helpers/engine.js';

const dataDir = tempDir('kleinkram-cli-');
const entry = path.join(PROJECT_ROOT, 'test/helpers/cli-entry.ts');

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', entry, ...args], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    env: {
      ...process.env,
      KLEINKRAM_ACTIONS_DATA: dataDir,
      NO_COLOR: '1',
      KLEINKRAM_AUTHOR: 'cli-test',
    },
    timeout: 120_000,
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

function json<T>(...args: string[]): T {
  const result = cli(...args, '--json');
  expect(result.code, result.err).toBe(0);
  return JSON.parse(result.out) as T;
}

describe('kleinkram-actions CLI', () => {
  it('registers a mission, manages template versions, and runs the bag summary with --wait', () => {
    expect(cli('mission', 'add', 'lab', path.join(FIXTURES, 'lab-run-01')).code).toBe(0);
    const missions = json<Array<{ name: string; fileCount: number }>>('mission', 'list');
    expect(missions).toMatchObject([{ name: 'lab-run-01', fileCount: 2 }]);

    const template = path.join(PROJECT_ROOT, 'resources/actions/bag-summary/template.yaml');
    expect(cli('template', 'import', template).out).toMatch(/created bag-summary v1/);
    expect(cli('template', 'edit', 'bag-summary', '--memory', '1GiB').out).toMatch(
      /saved bag-summary v2/,
    );
    const diff = cli('template', 'diff', 'bag-summary', '1', '2');
    expect(diff.out).toContain('-memory: 512MiB');
    expect(diff.out).toContain('+memory: 1GiB');
    expect(cli('template', 'restore', 'bag-summary', '1').out).toMatch(/v3/);
    const versions = json<Array<{ version: number; memoryBytes: number; author: string }>>(
      'template',
      'versions',
      'bag-summary',
    );
    expect(versions.map((v) => [v.version, v.memoryBytes / 2 ** 20, v.author])).toEqual([
      [1, 512, 'cli-test'],
      [2, 1024, 'cli-test'],
      [3, 512, 'cli-test'],
    ]);

    const run = cli('launch', 'bag-summary', 'lab/lab-run-01', '--wait');
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain('8647 messages on 9 topics');
    expect(run.err).toMatch(/succeeded \(DONE\)/);

    const [execution] = json<Array<{ number: number; state: string; templateVersion: number }>>(
      'execution',
      'list',
    );
    expect(execution).toMatchObject({ number: 1, state: 'succeeded', templateVersion: 3 });
    const artifacts = json<Array<{ path: string }>>('artifact', 'list', '1');
    expect(artifacts.map((a) => a.path)).toEqual(['summary.json']);
    const target = tempDir('kleinkram-cli-export-');
    expect(cli('artifact', 'export', '1', '--to', target).code).toBe(0);
    const summary = JSON.parse(fs.readFileSync(path.join(target, 'summary.json'), 'utf8'));
    expect(summary.bags.map((bag: { messages: number }) => bag.messages)).toEqual([8647, 8647]);
    const audit = json<Array<{ operation: string }>>('audit', '1');
    expect(audit.map((event) => event.operation)).toEqual(
      expect.arrayContaining(['input.available', 'artifact.written', 'artifact.exported']),
    );
    expect(cli('logs', '1').out).toContain('8647 messages');
  });

  it("exits with the action's own code, and explains refusals without changing anything", () => {
    expect(
      cli(
        'template',
        'create',
        '--name',
        'three',
        '--image',
        'debian:bookworm-slim',
        '--command',
        "bash -c 'echo failing; exit 3'",
        '--cpu',
        '1',
        '--memory',
        '64MiB',
        '--max-runtime',
        '30',
      ).code,
    ).toBe(0);
    const failed = cli('launch', 'three', 'lab-run-01', '--wait');
    expect(failed.code).toBe(3);
    expect(failed.err).toMatch(/exited with code 3/);

    const before = json<unknown[]>('execution', 'list');
    const unknown = cli('launch', 'three', 'lab-run-01', 'lab/nowhere', '--wait');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/no mission "lab\/nowhere"/);
    expect(json<unknown[]>('execution', 'list')).toEqual(before);

    // A mission no action ran on can be removed; one with executions is kept, with the reason.
    const spare = tempDir('kleinkram-spare-');
    expect(cli('mission', 'add', 'lab', spare, '--name', 'spare').code).toBe(0);
    const removed = cli('mission', 'remove', 'lab/spare');
    expect(removed.code, removed.err).toBe(0);
    expect(removed.out).toContain(`removed mission lab/spare; ${spare} is untouched`);
    expect(fs.existsSync(spare)).toBe(true);
    const kept = cli('mission', 'remove', 'lab/lab-run-01');
    expect(kept.code).toBe(1);
    expect(kept.err).toMatch(/has \d+ executions, whose records and audit trails refer to it/);
    expect(json<Array<{ name: string }>>('mission', 'list').map((m) => m.name)).toEqual([
      'lab-run-01',
    ]);

    const bad = cli(
      'template',
      'create',
      '--name',
      'bad',
      '--image',
      'UPPER/case',
      '--cpu',
      '0',
      '--memory',
      '1MiB',
      '--max-runtime',
      '5',
    );
    expect(bad.code).toBe(2);
    // Usage mistakes in subcommands exit 2 as well, with the reason.
    for (const args of [
      ['execution', 'list', '--state', 'bogus'],
      ['execution', 'list', '--limit', 'abc'],
      ['launch', 'three'],
      ['launch', 'three', 'lab-run-01', '--bogus'],
    ]) {
      const usage = cli(...args);
      expect(usage.code, `${args.join(' ')}: ${usage.err}`).toBe(2);
      expect(usage.err).toMatch(/error: /);
    }
    // An empty --to is refused, not taken for the current folder.
    const ran = json<Array<{ number: number }>>('execution', 'list')[0]!;
    const emptyTo = cli('artifact', 'export', String(ran.number), '--to', '');
    expect(emptyTo.code).toBe(2);
    expect(emptyTo.err).toMatch(/give a folder to export the artifacts into/);
    expect(bad.err).toMatch(/image: Docker would refuse/);
    expect(bad.err).toMatch(/cpuCores: CPU cores must be more than 0/);
    expect(bad.err).toMatch(/memory: memory must be at least 6 MiB/);
  });

  it('a launch without --wait is run by a background worker', async () => {
    const launched = json<Array<{ id: string }>>('launch', 'three', 'lab-run-01');
    let state = '';
    for (let i = 0; i < 200 && !['failed', 'succeeded'].includes(state); i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      state = json<{ state: string }>('execution', 'show', launched[0]!.id).state;
    }
    expect(state).toBe('failed');
    expect(cli('logs', launched[0]!.id).out).toBe('failing\n');
  });
});
