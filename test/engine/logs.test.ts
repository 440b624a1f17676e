// Log lines as an action prints them, through Docker's log stream into the store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { MAX_LINE_CHARS } from '../../main/core/runner/log-decoder.js';
import { addMission, openTestEngine, shellTemplate } from '../helpers/engine.js';

const engine = openTestEngine();
let missionId: string;

beforeAll(async () => {
  missionId = (await addMission(engine)).id;
  engine.startRunner();
});
afterAll(() => engine.close());

async function run(name: string, script: string) {
  engine.templates.create(shellTemplate(name, script), 'test');
  const ended = await engine.waitForEnd(engine.launch({ template: name, mission: missionId }).id);
  expect(ended.state).toBe('succeeded');
  return ended;
}

function allLines(id: string) {
  const lines = [];
  let afterSeq = 0;
  for (;;) {
    const page = engine.logs.read(id, { afterSeq, limit: 50_000 });
    lines.push(...page);
    if (page.length < 50_000) return lines;
    afterSeq = page[page.length - 1]!.seq;
  }
}

describe('log lines', () => {
  it('keeps a 30,000-character line whole, also when Docker splits it mid-character', async () => {
    // 30,000 two-byte characters are 60,000 bytes: Docker cuts them into 16 KiB frames.
    const ended = await run(
      'long-lines',
      `perl -e 'binmode STDOUT, ":utf8"; print "\\x{e9}" x 30000, "\\n"; print "a" x 30000, "\\n"'`,
    );
    const lines = allLines(ended.id);
    expect(lines).toHaveLength(2);
    expect(lines[0]!.text).toBe('é'.repeat(30000));
    expect(lines[0]!.cut).toBe(false);
    expect(lines[1]!.text).toBe('a'.repeat(30000));
  });

  it('joins an emoji written in two halves, and turns invalid UTF-8 into U+FFFD', async () => {
    const ended = await run(
      'odd-bytes',
      `printf 'smile \\xf0\\x9f'; sleep 0.5; printf '\\x98\\x80 done\\n'; ` +
        `printf 'bad \\xff\\xfe bytes\\n'; printf 'to stderr\\n' >&2`,
    );
    const lines = allLines(ended.id);
    const stdout = lines.filter((line) => line.stream === 'stdout').map((line) => line.text);
    expect(stdout).toEqual(['smile 😀 done', 'bad \uFFFD\uFFFD bytes']);
    const stderr = lines.filter((line) => line.stream === 'stderr').map((line) => line.text);
    expect(stderr).toEqual(['to stderr']);
  });

  it('stores all of 200,000 lines, in order, numbered without gaps', async () => {
    const ended = await run('many-lines', 'seq 1 200000');
    const lines = allLines(ended.id);
    expect(lines).toHaveLength(200_000);
    for (let i = 0; i < lines.length; i++) {
      if (lines[i]!.text !== String(i + 1) || lines[i]!.seq !== i + 1) {
        throw new Error(`line ${i + 1} is ${JSON.stringify(lines[i])}`);
      }
    }
  });

  it('cuts a line longer than the cap and marks it, keeping the next line intact', async () => {
    const ended = await run(
      'too-long',
      `perl -e 'print "x" x ${MAX_LINE_CHARS + 5000}, "\\n", "after\\n"'`,
    );
    const lines = allLines(ended.id);
    expect(lines).toHaveLength(2);
    expect(lines[0]!.cut).toBe(true);
    expect(lines[0]!.text).toHaveLength(MAX_LINE_CHARS);
    expect(lines[1]).toMatchObject({ text: 'after', cut: false });
  });

  it('keeps the last line even without a final newline', async () => {
    const ended = await run('no-newline', `printf 'first\\nlast'`);
    expect(allLines(ended.id).map((line) => line.text)).toEqual(['first', 'last']);
  });
});
