import { afterAll, describe, expect, it } from 'vitest';

import { addMission, openTestEngine, runToEnd, shellTemplate } from '../helpers/engine.js';

const engine = openTestEngine();
afterAll(() => engine.close());

describe('smoke', () => {
  it('runs a shell action', async () => {
    const mission = await addMission(engine);
    engine.templates.create(
      shellTemplate('hello', 'echo hello; echo err >&2; echo x > /out/a.txt; exit 3'),
      'test',
    );
    const done = await runToEnd(engine, 'hello', mission.id);
    console.log(done);
    console.log(engine.logs.read(done.id));
    console.log(engine.artifacts.list(done.id));
    console.log(engine.audit.list(done.id));
    expect(done.state).toBe('failed');
    expect(done.exitCode).toBe(3);
  });
});
