// Where the app's own files (the example actions) lie: beside package.json in a checkout, in
// the resources folder of a packaged app.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function resourcesDir(): string {
  const packaged = (process as { resourcesPath?: string }).resourcesPath;
  if (packaged && fs.existsSync(path.join(packaged, 'actions'))) return packaged;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the app folder (no package.json above it)');
    dir = parent;
  }
  return path.join(dir, 'resources');
}

/** The template files of the example actions, by action name. */
export function exampleTemplates(): Array<{ name: string; file: string }> {
  const actions = path.join(resourcesDir(), 'actions');
  return fs
    .readdirSync(actions, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => ({ name: entry.name, file: path.join(actions, entry.name, 'template.yaml') }))
    .filter((entry) => fs.existsSync(entry.file));
}
