// Loading an image from a `docker save` archive, as an offline machine gets its images.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { inspectImage } from '../../main/core/docker/images.js';
import { openTestEngine, tempDir } from '../helpers/engine.js';

const engine = openTestEngine();
const TAG = `kleinkram-test/tiny:${process.pid}`;
afterAll(async () => {
  execFileSync('docker', ['rmi', '-f', TAG], { stdio: 'ignore' });
  await engine.close();
});

describe('image load', () => {
  it('loads a saved image that is not on the machine, and names it', async () => {
    const root = tempDir('kleinkram-tiny-');
    fs.writeFileSync(path.join(root, 'hello.txt'), 'hello');
    const tar = path.join(tempDir(), 'tiny.tar');
    execFileSync('sh', ['-c', `tar -C "${root}" -c . | docker import - ${TAG} >/dev/null`]);
    execFileSync('docker', ['save', '-o', tar, TAG]);
    execFileSync('docker', ['rmi', TAG], { stdio: 'ignore' });
    expect(await inspectImage(engine.docker, TAG)).toBeNull();

    const names = await engine.loadImage(tar);
    expect(names).toContain(TAG);
    expect(await inspectImage(engine.docker, TAG)).not.toBeNull();
  });

  it('refuses a file that is not an image archive, and a missing file, saying which', async () => {
    const bogus = path.join(tempDir(), 'notes.tar');
    fs.writeFileSync(bogus, 'this is not a tar archive');
    await expect(engine.loadImage(bogus)).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(engine.loadImage('/no/such/image.tar')).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});
