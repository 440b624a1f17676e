// The app end to end, as a person uses it in a browser: the real core on a fresh data
// directory, real Docker, the browser transport's server in-process and the built renderer
// in Chromium. Missions are registered from the fixtures where they lie; templates are made,
// edited and restored in the forms; the bag summary runs and its summary.json is downloaded
// and checked against the fixtures' ground truth; a launch on two missions makes two
// executions; a long action is cancelled from the list. Any console error or warning, or
// uncaught page error, fails the test it happened in.
import fs from 'node:fs';
import path from 'node:path';

import type { Locator } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { PROJECT_ROOT, tempDir } from '../helpers/engine.js';
import { WALK_BAG_TOPICS, type BagSummary } from '../helpers/fixtures.js';
import { startUi, type UiHarness } from './harness.js';

const LAB_RUN_01 = '../shared/fixtures/missions/lab-run-01';
const LAB_RUN_02 = '../shared/fixtures/missions/lab-run-02';
const BAG_SUMMARY_YAML = path.join(PROJECT_ROOT, 'resources/actions/bag-summary/template.yaml');

const RUN_TIMEOUT = 120_000;

let ui: UiHarness;

beforeAll(async () => {
  ui = await startUi({ stopGraceSeconds: 2 });
});

afterAll(async () => {
  await ui?.close();
});

afterEach(() => {
  const problems = ui.problems.splice(0);
  expect(problems, 'console errors, warnings or page errors').toEqual([]);
});

/** The execution number in a link such as "#3 on lab-run-01". */
async function executionNumber(link: Locator): Promise<number> {
  const match = /#(\d+)/.exec((await link.textContent()) ?? '');
  if (!match) throw new Error('no execution number in the link');
  return Number(match[1]);
}

async function fillTemplateForm(fields: Record<string, string>) {
  const { page } = ui;
  for (const [label, value] of Object.entries(fields)) {
    await page.getByLabel(label, { exact: true }).fill(value);
  }
}

describe('the app in a browser, on the real core and Docker', () => {
  it('registers the fixture missions on the Missions page', async () => {
    const { page } = ui;
    await page.goto(ui.url('#/missions'));
    await expect.poll(() => page.getByText('No missions yet').isVisible()).toBe(true);

    await page.getByLabel('New project').fill('lab');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByLabel('Folder path').waitFor();

    // A browser cannot tell where a dropped folder lies: the path field is how it is done here.
    for (const [folder, files] of [
      [LAB_RUN_01, 2],
      [LAB_RUN_02, 3],
    ] as const) {
      await page.getByLabel('Folder path').fill(folder);
      await page.getByRole('button', { name: 'Add mission' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `${files} files` })
        .waitFor();
    }

    await page.getByRole('link', { name: /lab-run-01/ }).click();
    const files = page.locator('.files-table tbody tr');
    await expect.poll(() => files.count()).toBe(2);
    await expect.poll(() => files.first().textContent()).toContain('ROS 1 bag');

    await page.getByRole('button', { name: 'Rescan' }).click();
    await page.getByText('Rescanned: 0 added, 0 changed, 0 removed, 2 unchanged.').waitFor();
    await ui.screenshot('missions');
  });

  it('creates a template, edits it into version 2 and restores version 1 as version 3', async () => {
    const { page } = ui;
    await page.goto(ui.url('#/actions/templates'));
    await page.getByText('No action templates yet').waitFor();
    await ui.screenshot('templates-empty');

    await page.getByRole('link', { name: 'New template' }).click();
    await fillTemplateForm({ Name: 'greeter', 'Docker image': 'debian' });
    const image = page.locator('[data-field="image"]');
    await expect.poll(() => image.textContent()).toContain('no tag means latest');

    // Live validation with the core's own messages, next to the field.
    await fillTemplateForm({ Memory: 'lots', 'Maximum runtime (seconds)': '' });
    const memory = page.locator('[data-field="memory"]');
    await expect.poll(() => memory.textContent()).toContain('"lots" is not a memory size');
    await expect
      .poll(() => page.locator('[data-field="maxRuntimeSeconds"]').textContent())
      .toContain('the maximum runtime must be a number of seconds');
    await ui.screenshot('template-form-errors');

    await fillTemplateForm({
      'Docker image': 'debian:bookworm-slim',
      Memory: '256MiB',
      'Maximum runtime (seconds)': '60',
      Command: "bash -c 'echo hello from v1'",
    });
    await expect.poll(() => image.textContent()).not.toContain('latest');
    await expect.poll(() => memory.locator('.field-error').count()).toBe(0);
    await page.getByRole('button', { name: 'Create template' }).click();
    await page.getByRole('status').filter({ hasText: 'greeter v1 saved' }).waitFor();

    // A refusal of the core lands next to its field too.
    await page.getByRole('link', { name: 'New template' }).click();
    await fillTemplateForm({
      Name: 'greeter',
      'Docker image': 'debian:bookworm-slim',
      Command: 'true',
    });
    await page.getByRole('button', { name: 'Create template' }).click();
    await expect
      .poll(() => page.locator('[data-field="name"] .field-error').textContent())
      .toContain('this name is taken');
    await page.getByRole('link', { name: 'Cancel' }).click();

    await page.getByRole('link', { name: 'Edit greeter' }).click();
    await page.getByLabel('Command', { exact: true }).fill("bash -c 'echo hello from v2'");
    await page.getByRole('button', { name: 'Save as version 2' }).click();
    await page.getByRole('status').filter({ hasText: 'greeter v2 saved' }).waitFor();
    const greeter = page.locator('tr[data-template="greeter"]');
    await expect.poll(() => greeter.locator('.version-tag').textContent()).toBe('v2');
    await ui.screenshot('templates');

    await page.getByRole('link', { name: 'Versions of greeter' }).click();
    await page.locator('.diff-added').filter({ hasText: 'hello from v2' }).waitFor();
    await page.locator('.diff-removed').filter({ hasText: 'hello from v1' }).waitFor();
    await ui.screenshot('versions');

    await page.getByRole('button', { name: 'Restore version 1' }).click();
    await page.getByText('Version 1 restored as version 3.').waitFor();
    const v3 = page.locator('tr[data-version="3"]');
    await expect.poll(() => v3.textContent()).toContain('restored from v1');
    await page.getByLabel('From', { exact: true }).selectOption('1');
    await page.getByLabel('To', { exact: true }).selectOption('3');
    await page.getByText('v1 and v3 are the same template.').waitFor();

    const stored = ui.engine.templates.get(ui.engine.templates.resolveRow('greeter').id);
    expect(stored.version).toBe(3);
    expect(stored.restoredFrom).toBe(1);
    expect(stored.command).toEqual(['bash', '-c', 'echo hello from v1']);
  });

  it('runs the bag summary on lab-run-01 and downloads a summary.json that matches the ground truth', async () => {
    const { page } = ui;
    await page.goto(ui.url('#/actions/templates'));
    await page.getByTestId('import-template').setInputFiles(BAG_SUMMARY_YAML);
    await page.getByRole('status').filter({ hasText: 'bag-summary v1 imported' }).waitFor();

    await page.getByRole('button', { name: 'Launch bag-summary' }).click();
    // The panel's title turns to "Launched …" once it has launched.
    const panel = page.getByRole('dialog');
    await panel.getByRole('checkbox', { name: /lab-run-01/ }).check();
    await ui.screenshot('launch-panel');
    await panel.getByRole('button', { name: 'Launch', exact: true }).click();

    const launched = page.getByRole('link', { name: /#\d+ on lab-run-01/ });
    await launched.waitFor();
    const number = await executionNumber(launched);
    await launched.click();

    // The log streams in while it runs, and the state follows to the end.
    await page
      .locator('.log-line')
      .filter({ hasText: '8647 messages on 9 topics' })
      .first()
      .waitFor({
        timeout: RUN_TIMEOUT,
      });
    await page
      .getByTestId('execution-state')
      .locator('[data-state="succeeded"]')
      .waitFor({ timeout: RUN_TIMEOUT });
    await expect.poll(() => page.getByTestId('exit-code').textContent()).toContain('0 success');
    await expect.poll(() => page.getByTestId('log-count').textContent()).toBe('3 lines');

    const artifact = page.locator('tr[data-artifact="summary.json"]');
    await artifact.waitFor();
    await expect.poll(() => artifact.locator('.sha').textContent()).toMatch(/^[0-9a-f]{64}$/);
    await ui.screenshot('execution');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download summary.json' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('summary.json');
    // The download is in the audit log on the open page at once, without a reload.
    const exported = page.locator('.audit-table tr[data-operation="artifact.exported"]');
    await expect.poll(() => exported.count()).toBe(1);
    const summary = JSON.parse(fs.readFileSync(await download.path(), 'utf8')) as {
      bags: BagSummary[];
    };
    expect(summary.bags.map((bag) => bag.path).sort()).toEqual([
      'walk_2019-03-14.bag',
      'walk_2019-03-14_lz4.bag',
    ]);
    for (const bag of summary.bags) {
      expect(bag.status).toBe('ok');
      expect(bag.messages).toBe(8647);
      expect(Object.keys(bag.topics)).toHaveLength(9);
      const counts = Object.fromEntries(
        Object.entries(bag.topics).map(([topic, info]) => [topic, info.messages]),
      );
      expect(counts).toEqual(WALK_BAG_TOPICS);
    }

    const [zip] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('download-all').click(),
    ]);
    expect(zip.suggestedFilename()).toBe(`execution-${number}-artifacts.zip`);
    expect(
      fs
        .readFileSync(await zip.path())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
    await expect.poll(() => exported.count()).toBe(2);

    // Desktop-only actions are not offered in a browser.
    expect(await page.getByRole('button', { name: /in its folder/ }).count()).toBe(0);
  });

  it('is usable from the keyboard, every control labelled', async () => {
    const { page } = ui;
    await page.goto(ui.url('#/actions/templates'));
    const play = page.getByRole('button', { name: 'Launch bag-summary' });
    await play.focus();
    await page.keyboard.press('Enter');
    const panel = page.getByRole('dialog');
    await panel.getByRole('checkbox', { name: /lab-run-01/ }).waitFor();
    // Focus is held in the panel, Escape closes it, and focus returns to the play button.
    expect(await page.evaluate(() => document.activeElement?.closest('dialog') !== null)).toBe(
      true,
    );
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.closest('dialog') !== null)).toBe(
      true,
    );
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      'Launch bag-summary',
    );

    for (const hash of [
      '#/actions/templates',
      '#/actions/executions',
      '#/missions',
      '#/templates/new',
    ]) {
      await page.goto(ui.url(hash));
      await page.locator('main h1').waitFor();
      const unlabelled = await page.evaluate(() =>
        [...document.querySelectorAll('input, select, textarea, button, a[href]')]
          .filter((element) => {
            const control = element as HTMLInputElement;
            const named =
              (control.labels?.length ?? 0) > 0 ||
              element.getAttribute('aria-label') ||
              element.textContent?.trim();
            return !named;
          })
          .map((element) => element.outerHTML.slice(0, 120)),
      );
      expect(unlabelled, hash).toEqual([]);
    }
  });

  it('launches on two missions at once, one execution each, and filters the list', async () => {
    const { page } = ui;
    await page.goto(ui.url('#/actions/templates'));
    await page.getByRole('button', { name: 'Launch bag-summary' }).click();
    // The panel's title turns to "Launched …" once it has launched.
    const panel = page.getByRole('dialog');
    await panel.getByRole('checkbox', { name: 'All 2 missions' }).check();
    await panel.getByRole('button', { name: 'Launch on 2 missions' }).click();
    await panel.getByText('2 executions were queued, one per mission.').waitFor();
    const numbers = [
      await executionNumber(panel.getByRole('link', { name: /on lab-run-01/ })),
      await executionNumber(panel.getByRole('link', { name: /on lab-run-02/ })),
    ];
    await panel.getByRole('link', { name: 'See all executions' }).click();

    // The list follows the runs live: no reload.
    for (const number of numbers) {
      await page
        .locator(`.execution-row[data-execution="${number}"][data-state="succeeded"]`)
        .waitFor({ timeout: RUN_TIMEOUT });
    }
    const rows = page.locator('.virtual-space .execution-row');
    await expect.poll(() => rows.count()).toBe(3);

    await page.getByLabel('Mission').selectOption({ label: 'lab / lab-run-02' });
    await expect.poll(() => rows.count()).toBe(1);
    await expect.poll(() => rows.first().textContent()).toContain('lab-run-02');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByRole('button', { name: 'failed', exact: true }).click();
    await page.getByText('No execution matches these filters').waitFor();
    await page.getByRole('button', { name: 'failed', exact: true }).click();
    await page.getByRole('button', { name: 'succeeded', exact: true }).click();
    await expect.poll(() => rows.count()).toBe(3);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await ui.screenshot('executions');

    // From a mission to its executions.
    await page.getByRole('link', { name: 'Missions' }).click();
    await page.getByRole('link', { name: /lab-run-02/ }).click();
    await page.getByRole('link', { name: 'Executions on this mission' }).click();
    await expect.poll(() => rows.count()).toBe(1);
    await expect.poll(() => page.getByLabel('Mission').inputValue()).not.toBe('');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => rows.count()).toBe(3);
  });

  it('cancels a long action from the list', async () => {
    const { page } = ui;
    await page.goto(ui.url('#/templates/new'));
    await fillTemplateForm({
      Name: 'sleeper',
      'Docker image': 'debian:bookworm-slim',
      Command: 'sleep 600',
      'Maximum runtime (seconds)': '3600',
      Memory: '64MiB',
    });
    await page.getByRole('button', { name: 'Create template' }).click();
    await page.getByRole('status').filter({ hasText: 'sleeper v1 saved' }).waitFor();

    await page.getByRole('button', { name: 'Launch sleeper' }).click();
    const panel = page.getByRole('dialog');
    await panel.getByRole('checkbox', { name: /lab-run-01/ }).check();
    await panel.getByRole('button', { name: 'Launch', exact: true }).click();
    const number = await executionNumber(panel.getByRole('link', { name: /on lab-run-01/ }));
    await panel.getByRole('link', { name: 'See all executions' }).click();

    const sleeper = page.locator(`.execution-row[data-execution="${number}"]`);
    await page
      .locator(`.execution-row[data-execution="${number}"][data-state="running"]`)
      .waitFor({ timeout: RUN_TIMEOUT });
    await ui.screenshot('executions-running');
    // Docker's stats sample a running container about once a second: a few seconds of
    // running give the execution page a resource chart to show.
    await page.waitForTimeout(3000);
    await sleeper.getByRole('button', { name: `Cancel execution #${number}` }).click();
    await page
      .locator(`.execution-row[data-execution="${number}"][data-state="cancelled"]`)
      .waitFor({ timeout: 60_000 });
    expect(await sleeper.getByRole('button', { name: /Cancel/ }).count()).toBe(0);

    const stored = ui.engine.executions.list({ limit: 1 })[0];
    expect(stored?.number).toBe(number);
    expect(stored?.state).toBe('cancelled');

    await sleeper.getByRole('link', { name: `#${number}` }).click();
    await page.getByTestId('execution-state').locator('[data-state="cancelled"]').waitFor();
    const usage = ui.engine.resourceUsage(stored!.id);
    expect(usage?.sampleCount).toBeGreaterThan(1);
    const resources = page.getByRole('region', { name: 'Resources' });
    await resources.waitFor();
    expect(await resources.locator('svg polyline').count()).toBe(2);
    await ui.screenshot('execution-cancelled');
  });

  it('forgets a mission no action ran on, and keeps one that actions ran on', async () => {
    const { page, engine } = ui;
    const folder = tempDir('kleinkram-spare-');
    await engine.missions.add('lab', folder, 'spare');
    await page.goto(ui.url('#/missions'));
    await page.getByRole('link', { name: /spare/ }).click();
    await page.getByRole('button', { name: 'Remove…' }).click();
    await page
      .getByRole('group', { name: 'Remove spare?' })
      .getByRole('button', { name: 'Remove' })
      .click();
    await page
      .getByRole('status')
      .filter({ hasText: `Removed lab / spare; ${folder} is untouched` })
      .waitFor();
    await expect.poll(() => page.getByRole('link', { name: /spare/ }).count()).toBe(0);
    expect(engine.missions.list().map((mission) => mission.name)).not.toContain('spare');
    expect(fs.existsSync(folder)).toBe(true);

    // lab-run-01 has executions: the core refuses, the page says why, nothing changes.
    await page.getByRole('link', { name: /lab-run-01/ }).click();
    await page.getByRole('button', { name: 'Remove…' }).click();
    await page.getByRole('button', { name: 'Remove', exact: true }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /has \d+ executions/ })
      .waitFor();
    expect(engine.missions.list().map((mission) => mission.name)).toContain('lab-run-01');
    await ui.screenshot('mission-kept');
  });
});
