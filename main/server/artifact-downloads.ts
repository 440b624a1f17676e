// Artifact downloads for the browser: one file, or every file of an execution as one zip.
// Each file is opened through the engine, which audits it as exported.
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

import { ZipArchive } from 'archiver';
import { create as contentDisposition } from 'content-disposition';

import type { Engine } from '../core/engine.js';
import { AppError } from '../core/errors.js';
import { createLogger } from '../core/logger.js';

const log = createLogger('server-downloads');

export async function sendArtifact(
  engine: Engine,
  res: ServerResponse,
  executionRef: string,
  artifactPath: string,
  via: string,
): Promise<void> {
  const { id } = engine.executions.resolve(executionRef);
  const { artifact, stream } = await engine.artifacts.openForDownload(id, artifactPath, via);
  res.writeHead(200, {
    'Content-Type': 'application/octet-stream',
    'Content-Length': artifact.size,
    'Content-Disposition': contentDisposition(path.posix.basename(artifact.path)),
    'Cache-Control': 'no-store',
  });
  await pipeline(stream, res);
  log.info(`execution ${id}: artifact ${artifact.path} downloaded (${via})`);
}

export async function sendArtifactsZip(
  engine: Engine,
  res: ServerResponse,
  executionRef: string,
  via: string,
): Promise<void> {
  const execution = engine.executions.resolve(executionRef);
  const artifacts = engine.artifacts.list(execution.id);
  if (artifacts.length === 0) {
    throw new AppError('not_found', `execution #${execution.number} has no artifacts`);
  }
  res.writeHead(200, {
    'Content-Type': 'application/zip',
    'Content-Disposition': contentDisposition(`execution-${execution.number}-artifacts.zip`),
    'Cache-Control': 'no-store',
  });
  const archive = new ZipArchive({ zlib: { level: 6 } });
  const aborted = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) aborted.abort();
  });
  const sent = pipeline(archive, res, { signal: aborted.signal });
  try {
    // One file open at a time: the next is opened (and audited) once the last is packed.
    for (const artifact of artifacts) {
      const { stream } = await engine.artifacts.openForDownload(execution.id, artifact.path, via);
      const packed = once(archive, 'entry', { signal: aborted.signal });
      archive.append(stream, { name: artifact.path, date: new Date(artifact.createdAt) });
      await packed;
    }
    await archive.finalize();
    await sent;
    log.info(`execution ${execution.id}: ${artifacts.length} artifacts downloaded as zip (${via})`);
  } catch (error) {
    archive.abort();
    await sent.catch(() => undefined);
    if (aborted.signal.aborted) {
      log.warn(`execution ${execution.id}: the zip download was broken off`);
      return;
    }
    throw error;
  }
}
