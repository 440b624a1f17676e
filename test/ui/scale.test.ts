// The two lists that grow without bound stay usable: 10,000 executions in the Executions tab
// and a million log lines streaming into the log viewer, both through the real core. Only the
// rows in sight may be in the DOM, and the page must keep answering while it fills.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { addMission, shellTemplate } from '../helpers/engine.js';
import { startUi, type UiHarness } from './harness.js';

const EXECUTIONS = 10_000;
const LOG_LINES = 1_000_000;

let ui: UiHarness;

beforeAll(async () => {
  ui = await startUi();
});

afterAll(async () => {
  await ui?.close();
});

afterEach(() => {
  const problems = ui.problems.splice(0);
  expect(problems, 'console errors, warnings or page errors').toEqual([]);
});

/** Records main-thread tasks longer than 50 ms (Chromium's long tasks) from now on. */
async function watchLongTasks(page: Page): Promise<() => Promise<number[]>> {
  await page.evaluate(() => {
    const durations: number[] = [];
    (window as unknown as { longTasks: number[] }).longTasks = durations;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) durations.push(entry.duration);
    }).observe({ type: 'longtask', buffered: false });
  });
  return () => page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
}

describe('large lists', () => {
  it(`keeps ${EXECUTIONS.toLocaleString('en-US')} executions fast and live`, async () => {
    const { engine, page } = ui;
    const mission = await addMission(engine);
    // More cores than the machine has: each launch ends at once as unprocessable, no Docker.
    engine.templates.create(shellTemplate('too-big', 'true', { cpuCores: 512 }), 'test');
    for (let index = 0; index < EXECUTIONS; index += 1) {
      engine.launch({ template: 'too-big', mission: mission.id });
    }

    await page.goto(ui.url('#/actions/executions'));
    const scroller = page.getByTestId('executions-scroller');
    const rows = page.locator('.virtual-space .execution-row');
    await page.locator(`.execution-row[data-execution="${EXECUTIONS}"]`).waitFor();
    expect(await rows.count()).toBeLessThan(60);

    // Scrolling to the end pages through the list with beforeNumber until the first one.
    const longTasks = await watchLongTasks(page);
    const started = Date.now();
    while (!(await page.locator('.execution-row[data-execution="1"]').count())) {
      await scroller.evaluate((element) => element.scrollTo(0, element.scrollHeight));
      await page.waitForTimeout(50);
      expect(Date.now() - started).toBeLessThan(90_000);
    }
    await page.getByText(`${EXECUTIONS.toLocaleString('en-US')} executions`).waitFor();
    expect(await rows.count()).toBeLessThan(60);
    // Other test files may share the two cores meanwhile: a second is a freeze, a few hundred
    // milliseconds under load is not.
    const tasks = await longTasks();
    expect(Math.max(0, ...tasks), `long tasks: ${tasks.join(', ')} ms`).toBeLessThan(1_000);

    // A new execution comes in live at the top, without a reload.
    await scroller.evaluate((element) => element.scrollTo(0, 0));
    engine.launch({ template: 'too-big', mission: mission.id });
    await page.locator(`.execution-row[data-execution="${EXECUTIONS + 1}"]`).waitFor();
    await page.getByText(`${(EXECUTIONS + 1).toLocaleString('en-US')} executions`).waitFor();
    await ui.screenshot('executions-10000');
  }, 300_000);

  it('streams a million log lines into the viewer without freezing it', async () => {
    const { engine, page } = ui;
    const mission = await addMission(engine);
    engine.templates.create(
      shellTemplate('chatty', `seq 1 ${LOG_LINES}`, { maxRuntimeSeconds: 900 }),
      'test',
    );
    const execution = engine.launch({ template: 'chatty', mission: mission.id });

    // Opened while it runs: history first, then the live batches.
    await page.goto(ui.url(`#/executions/${execution.id}`));
    await page.locator('.log-line').first().waitFor({ timeout: 120_000 });
    const longTasks = await watchLongTasks(page);
    const ended = await engine.waitForEnd(execution.id);
    expect(ended.state).toBe('succeeded');

    // The viewer shows exactly what the core stored (which should be every line: the core's
    // own tests hold it to that).
    const stored = engine.logs.count(execution.id);
    const count = page.getByTestId('log-count');
    await expect
      .poll(() => count.textContent(), { timeout: 120_000 })
      .toBe(`${stored.toLocaleString('en-US')} lines`);
    // Only what is in sight is rendered, and following the tail shows the last line.
    expect(await page.locator('.log-line').count()).toBeLessThan(200);
    await expect
      .poll(() => page.locator('.log-line').last().locator('.log-text').textContent())
      .toBe(engine.logs.read(execution.id, { afterSeq: stored - 1 })[0]?.text);
    const tasks = await longTasks();
    expect(Math.max(0, ...tasks), `long tasks: ${tasks.join(', ')} ms`).toBeLessThan(1_000);

    const matches = engine.logs.read(execution.id, { search: '999999', limit: 100 }).length;
    const searched = Date.now();
    await page.getByLabel('Search the log').fill('999999');
    await expect
      .poll(() => count.textContent())
      .toBe(`${matches} of ${stored.toLocaleString('en-US')} lines`);
    expect(Date.now() - searched).toBeLessThan(5_000);
    await ui.screenshot('execution-million-lines');
  }, 300_000);
});

describe('following the tail', () => {
  it('stops when the user scrolls up and comes back with the button or at the end', async () => {
    const { engine, page } = ui;
    const mission = await addMission(engine);
    engine.templates.create(
      shellTemplate('ticker', 'for i in $(seq 1 3000); do echo "tick $i"; sleep 0.01; done', {
        maxRuntimeSeconds: 300,
      }),
      'test',
    );
    const execution = engine.launch({ template: 'ticker', mission: mission.id });
    await page.goto(ui.url(`#/executions/${execution.id}`));
    // The search of the test before stays set across executions, as it does for a user.
    await page.getByLabel('Search the log').fill('');
    const scroller = page.getByTestId('log-scroller');
    const follow = page.getByRole('button', { name: 'Follow the tail' });
    const following = () => follow.getAttribute('aria-pressed');
    const lastShown = async () => {
      const text = await page.locator('.log-line .log-text').last().textContent();
      return Number(/tick (\d+)/.exec(text ?? '')?.[1] ?? 0);
    };
    // Wait until the log is longer than the viewer, so that there is somewhere to scroll.
    await expect.poll(lastShown, { timeout: 120_000 }).toBeGreaterThan(200);
    await expect.poll(following).toBe('true');
    const before = await lastShown();
    await expect.poll(lastShown).toBeGreaterThan(before);

    // The user's wheel up leaves the tail: following stops and the view stays put.
    await scroller.hover();
    await page.mouse.wheel(0, -600);
    await expect.poll(following).toBe('false');
    const heldAt = await scroller.evaluate((element) => element.scrollTop);
    const heldLast = await lastShown();
    const storedThen = engine.logs.count(execution.id);
    await expect.poll(() => engine.logs.count(execution.id)).toBeGreaterThan(storedThen + 50);
    await page.waitForTimeout(300);
    expect(await scroller.evaluate((element) => element.scrollTop)).toBe(heldAt);
    expect(await lastShown()).toBe(heldLast);

    // The button brings the newest line back into sight, and it keeps coming.
    await follow.click();
    await expect.poll(following).toBe('true');
    await expect.poll(lastShown).toBeGreaterThan(heldLast + 50);

    // Scrolling up and then down to the end by hand follows again too.
    await scroller.hover();
    await page.mouse.wheel(0, -600);
    await expect.poll(following).toBe('false');
    await page.mouse.wheel(0, 1_000_000);
    await expect.poll(following).toBe('true');
    const resumed = await lastShown();
    await expect.poll(lastShown).toBeGreaterThan(resumed);

    // And so does the End key.
    await page.mouse.wheel(0, -600);
    await expect.poll(following).toBe('false');
    await scroller.press('End');
    await expect.poll(following).toBe('true');

    // A scroll away from the end that is neither a wheel nor a key (the scrollbar's thumb,
    // whose presses Chromium reports as no pointer event, or a screen reader) stops it too.
    // It comes well after the last wheel or key, as a drag after holding the thumb would.
    await page.waitForTimeout(1_500);
    await scroller.evaluate((element) => {
      element.scrollTop -= 600;
    });
    await expect.poll(following).toBe('false');

    engine.cancel(execution.id);
    await engine.waitForEnd(execution.id);
  }, 300_000);
});
