// With no Docker engine to reach, the app says so where the user looks: in the top bar, and on
// a queued execution that therefore waits. Nothing in the page breaks.
import { afterAll, beforeAll, expect, it } from 'vitest';

import { addMission, shellTemplate, tempDir } from '../helpers/engine.js';
import { startUi, type UiHarness } from './harness.js';

let ui: UiHarness;

beforeAll(async () => {
  ui = await startUi({ docker: { socketPath: `${tempDir()}/no-docker.sock` } });
});

afterAll(async () => {
  await ui?.close();
});

it('says why a queued execution waits when Docker cannot be reached', async () => {
  const { engine, page } = ui;
  const mission = await addMission(engine);
  engine.templates.create(shellTemplate('hello', 'echo hello'), 'test');
  const execution = engine.launch({ template: 'hello', mission: mission.id });

  await page.goto(ui.url(`#/executions/${execution.id}`));
  await page.getByRole('status').filter({ hasText: 'Runner unavailable' }).waitFor();
  const waiting = page.locator('.cause-waiting');
  await expect.poll(() => waiting.textContent()).toContain('the Docker engine is not reachable');
  await ui.screenshot('execution-waiting-for-docker');

  // It can still be cancelled while it waits.
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByTestId('execution-state').locator('[data-state="cancelled"]').waitFor();
  expect(ui.problems).toEqual([]);
});
