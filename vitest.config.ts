import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'main/**/*.test.ts'],
    // Engine tests run real containers: two files at a time suits a 2-core machine.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    reporters: ['default', './test/reporters/summary-line.ts'],
    globalSetup: ['./test/helpers/temp-root.ts'],
  },
});
