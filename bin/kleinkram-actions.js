#!/usr/bin/env node
// The CLI runs the compiled engine from out/; `npm run build` makes it.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const entry = join(dirname(fileURLToPath(import.meta.url)), '..', 'out', 'main', 'cli', 'index.js');
if (!existsSync(entry)) {
  console.error('kleinkram-actions is not built yet: run `npm run build` in the app folder first');
  process.exit(1);
}
const { main } = await import(pathToFileURL(entry).href);
await main(process.argv);
