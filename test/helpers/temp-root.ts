// Vitest global setup: every temporary folder of a test run (data directories, missions,
// exports, Chromium profiles) goes under one root that is removed when the run ends, so a
// run leaves nothing behind in /tmp. Workers inherit TMPDIR, and os.tmpdir() reads it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kleinkram-test-run-'));
  process.env.TMPDIR = root;
  return () => {
    try {
      fs.rmSync(root, { recursive: true, force: true, maxRetries: 5 });
    } catch (error) {
      // A browser or container still closing must not fail a run whose tests passed.
      console.warn(`could not remove the tests' temporary folder ${root}: ${String(error)}`);
    }
  };
}
