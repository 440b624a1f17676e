// Images: present, pulled, or loaded from a .tar. A pull is followed to its end, and an error
// event inside its progress stream is a failure even though the HTTP request succeeded.
import fs from 'node:fs';

import type Docker from 'dockerode';

import { AppError, errorMessage } from '../errors.js';
import { dockerErrorMessage } from './client.js';
import { createLogger } from '../logger.js';

const log = createLogger('images');

export interface ImageInfo {
  /** The content-addressed image id (sha256:...), what "the digest as it ran" records. */
  id: string;
  repoDigests: string[];
}

export async function inspectImage(docker: Docker, ref: string): Promise<ImageInfo | null> {
  try {
    const info = await docker.getImage(ref).inspect();
    return { id: info.Id, repoDigests: info.RepoDigests ?? [] };
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return null;
    throw error;
  }
}

export function missingImageHint(ref: string): string {
  return (
    `load it from a file saved elsewhere with \`docker save ${ref} -o image.tar\`: ` +
    '`kleinkram-actions image load image.tar` (or `docker load -i image.tar`), ' +
    'or build it on this machine; then launch again'
  );
}

function missingImage(ref: string, pullError?: string): AppError {
  const message =
    `the image ${ref} is not on this machine` +
    (pullError ? ` and could not be pulled (${pullError})` : ' and pulling is off');
  return new AppError('image_unavailable', message, undefined, missingImageHint(ref));
}

type PullEvent = { status?: string; error?: string; errorDetail?: { message?: string } };

export async function pullImage(
  docker: Docker,
  ref: string,
  onProgress?: (status: string) => void,
): Promise<void> {
  const stream = await docker.pull(ref);
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (error: Error | null, events: PullEvent[]) => {
        if (error) return reject(error);
        const failed = events.find((event) => event.error || event.errorDetail);
        if (failed) return reject(new Error(failed.errorDetail?.message ?? failed.error));
        resolve();
      },
      (event: PullEvent) => {
        if (event.status) onProgress?.(event.status);
      },
    );
  });
}

/**
 * Makes sure an image is present: inspects it, and pulls it when it is missing and pulling
 * is allowed. A missing image that cannot be had is an image_unavailable error with the hint.
 */
export async function ensureImage(
  docker: Docker,
  ref: string,
  options: { pull: boolean; onProgress?: (status: string) => void },
): Promise<ImageInfo> {
  const present = await inspectImage(docker, ref);
  if (present) return present;
  if (!options.pull) throw missingImage(ref);
  log.info(`pulling ${ref}`);
  try {
    await pullImage(docker, ref, options.onProgress);
  } catch (error) {
    log.warn(`pull of ${ref} failed: ${dockerErrorMessage(error)}`);
    throw missingImage(ref, dockerErrorMessage(error));
  }
  const pulled = await inspectImage(docker, ref);
  if (!pulled) throw missingImage(ref, 'the pull reported success but the image is not there');
  return pulled;
}

/** Loads images from a `docker save` archive; returns the names the archive held. */
export async function loadImage(docker: Docker, tarPath: string): Promise<string[]> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(tarPath, 'r');
  } catch (error) {
    throw new AppError('not_found', `cannot read ${tarPath}: ${errorMessage(error)}`);
  }
  if (!(await handle.stat()).isFile()) {
    await handle.close();
    throw new AppError(
      'invalid_input',
      `${tarPath} is not a file: give the .tar that docker save wrote`,
    );
  }
  const response = await docker.loadImage(handle.createReadStream(), { quiet: true });
  const events = await new Promise<Array<{ stream?: string; error?: string }>>((resolve, reject) =>
    docker.modem.followProgress(response, (error: Error | null, output: unknown[]) =>
      error ? reject(error) : resolve(output as Array<{ stream?: string; error?: string }>),
    ),
  );
  const failed = events.find((event) => event.error);
  if (failed) {
    throw new AppError(
      'invalid_input',
      `${tarPath} could not be loaded: ${failed.error} (is it a \`docker save\` archive?)`,
    );
  }
  const names = events
    .map((event) => /Loaded image(?: ID)?: (\S+)/.exec(event.stream ?? '')?.[1])
    .filter((name): name is string => name !== undefined);
  log.info(`loaded ${names.join(', ')} from ${tarPath}`);
  return names;
}
