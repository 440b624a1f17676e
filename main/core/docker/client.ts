// The connection to the Docker engine. Every error that means "the engine is not there" is
// turned into one message that says where we looked and how to start it.
import Docker from 'dockerode';

import { AppError, errorMessage } from '../errors.js';

export interface DockerOptions {
  /** A unix socket (or Windows named pipe). Default: DOCKER_HOST, else the platform default. */
  socketPath?: string;
}

export function createDockerClient(options: DockerOptions = {}): Docker {
  if (options.socketPath) return new Docker({ socketPath: options.socketPath });
  // Without options dockerode reads DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH, and
  // reads the certificates at once: a wrong path fails here, not at the first request.
  try {
    return new Docker();
  } catch (error) {
    // The instruction is in the message itself: the runner shows it as the waiting cause.
    throw new AppError(
      'docker_unavailable',
      `the Docker settings in the environment cannot be used (${errorMessage(error)}): ` +
        'check DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH, or unset them to use the ' +
        'local engine',
    );
  }
}

export function describeEndpoint(docker: Docker): string {
  const modem = docker.modem as unknown as { socketPath?: string; host?: string; port?: number };
  if (modem.socketPath) return modem.socketPath;
  return `${modem.host ?? 'localhost'}:${modem.port ?? ''}`;
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOENT',
  'EACCES',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
]);

/** Docker's API errors start with "(HTTP code 500) server error - "; people need the rest. */
export function dockerErrorMessage(error: unknown): string {
  return errorMessage(error)
    .replace(/^\(HTTP code \d+\) [a-z ]+- /, '')
    .trim();
}

export function isDockerUnreachable(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return (
    (code !== undefined && UNREACHABLE_CODES.has(code)) ||
    /socket hang up|ping timed out/i.test(errorMessage(error))
  );
}

export function dockerUnavailableMessage(docker: Docker, error: unknown): string {
  const code = (error as { code?: string } | null)?.code;
  const endpoint = describeEndpoint(docker);
  if (code === 'EACCES') {
    return (
      `the Docker engine at ${endpoint} refused access: add your user to the docker group ` +
      '(sudo usermod -aG docker $USER, then log in again)'
    );
  }
  return (
    `the Docker engine is not reachable at ${endpoint} (${errorMessage(error)}): ` +
    'start it (sudo systemctl start docker, or scripts/docker-up.sh) and the queue goes on'
  );
}

/** Asks the engine whether it is there, within `timeoutMs`. */
export async function pingDocker(docker: Docker, timeoutMs = 3000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`ping timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([docker.ping(), timeout]);
  } catch (error) {
    throw new AppError('docker_unavailable', dockerUnavailableMessage(docker, error));
  } finally {
    clearTimeout(timer);
  }
}
