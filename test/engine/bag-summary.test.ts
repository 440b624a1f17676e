// The bag summary example on the fixture missions, checked against their ground truth
// (../shared/fixtures/README.md), and the checksum example against the published sha256s.
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { executionDirs } from '../../main/core/paths.js';
import { exampleTemplates } from '../../main/core/resources.js';
import { FIXTURES, openTestEngine } from '../helpers/engine.js';
import { WALK_BAG_MESSAGES, WALK_BAG_TOPICS, type BagSummary } from '../helpers/fixtures.js';

const engine = openTestEngine();

async function summarise(missionName: string) {
  const folder = path.join(FIXTURES, missionName);
  const mission = (await engine.missions.add('fixtures', folder)).mission;
  const launched = engine.launch({ template: 'bag-summary', mission: mission.id });
  const ended = await engine.waitForEnd(launched.id);
  const file = path.join(executionDirs(engine.layout, ended.id).out, 'summary.json');
  const summary = JSON.parse(fs.readFileSync(file, 'utf8')) as { bags: BagSummary[] };
  return { ended, summary, byPath: new Map(summary.bags.map((bag) => [bag.path, bag])) };
}

beforeAll(() => {
  engine.projects.create('fixtures');
  for (const example of exampleTemplates()) {
    engine.templates.importInput(
      engine.templates.parseYaml(fs.readFileSync(example.file, 'utf8')),
      'test',
    );
  }
  engine.startRunner();
});
afterAll(() => engine.close());

describe('bag summary example', () => {
  it('reports the ground truth of lab-run-01, for the plain and the LZ4 bag', async () => {
    const { ended, byPath } = await summarise('lab-run-01');
    expect(ended.state).toBe('succeeded');
    expect(ended.exitCode).toBe(0);
    for (const name of ['walk_2019-03-14.bag', 'walk_2019-03-14_lz4.bag']) {
      const bag = byPath.get(name)!;
      expect(bag.status).toBe('ok');
      expect(bag.messages).toBe(WALK_BAG_MESSAGES);
      expect(Object.keys(bag.topics)).toHaveLength(9);
      const counts = Object.fromEntries(
        Object.entries(bag.topics).map(([topic, info]) => [topic, info.messages]),
      );
      expect(counts).toEqual(WALK_BAG_TOPICS);
      expect(bag.start).toBeCloseTo(1396293887.844784, 5);
      expect(bag.end).toBeCloseTo(1396293909.54487, 5);
      expect(bag.duration).toBeCloseTo(21.7, 2);
    }
    // The log streamed the action's progress lines.
    const lines = engine.logs.read(ended.id).map((line) => line.text);
    expect(lines.some((line) => line.includes('8647 messages'))).toBe(true);
  });

  it('reports idle.bag as empty and truncated.bag as damaged in lab-run-02', async () => {
    const { ended, byPath } = await summarise('lab-run-02');
    expect(ended.state).toBe('succeeded');
    const idle = byPath.get('idle.bag')!;
    expect(idle.status).toBe('ok');
    expect(idle.messages).toBe(0);
    expect(Object.values(idle.topics).filter((topic) => topic.messages > 0)).toHaveLength(0);
    const truncated = byPath.get('truncated.bag')!;
    expect(truncated.status).toBe('damaged');
    expect(truncated.error).toBeTruthy();
    expect(truncated.messages ?? 0).not.toBe(8647);
    expect(byPath.has('notes.txt')).toBe(false);
  });

  it('the audit log lists the mission files made available and the artifact written', async () => {
    const [latest] = engine.executions.list({ limit: 1 });
    const events = engine.audit.list(latest!.id);
    const inputs = events.filter((event) => event.operation === 'input.available');
    expect(inputs.map((event) => [event.path, event.bytes])).toEqual(
      expect.arrayContaining([
        ['/data/idle.bag', fs.statSync(path.join(FIXTURES, 'lab-run-02/idle.bag')).size],
        ['/data/notes.txt', fs.statSync(path.join(FIXTURES, 'lab-run-02/notes.txt')).size],
        ['/data/truncated.bag', 300000],
      ]),
    );
    // The other mission of the project is readable too, and recorded as such.
    expect(inputs.some((event) => event.path === '/project/lab-run-01')).toBe(true);
    const written = events.filter((event) => event.operation === 'artifact.written');
    expect(written.map((event) => event.path)).toEqual(['summary.json']);
  });

  it('the checksum example writes the published sha256 of every mission file', async () => {
    const mission = engine.missions.resolve('fixtures/lab-run-02');
    const launched = engine.launch({ template: 'checksums', mission: mission.id });
    const ended = await engine.waitForEnd(launched.id);
    expect(ended.state).toBe('succeeded');
    const sums = fs.readFileSync(
      path.join(executionDirs(engine.layout, ended.id).out, 'SHA256SUMS'),
      'utf8',
    );
    const readme = fs.readFileSync(path.join(FIXTURES, '..', 'README.md'), 'utf8');
    for (const line of sums.trim().split('\n')) {
      const [digest, file] = line.split(/\s+\*?/);
      expect(readme).toContain(`${digest}  lab-run-02/${file}`);
    }
    expect(sums.trim().split('\n')).toHaveLength(3);
  });
});
