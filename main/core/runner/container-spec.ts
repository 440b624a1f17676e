// The container an execution runs in: isolated by default (no capabilities, no new
// privileges, no network, a process limit, memory without extra swap) with the mission
// mounted read-only and /out as the execution's own folder.
import os from 'node:os';

import type Docker from 'dockerode';

import type { Mission, TemplateVersion } from '../../shared/domain.js';

export const LABEL_APP = 'app.kleinkram.actions';
export const LABEL_STORE = 'app.kleinkram.actions.store';
export const LABEL_EXECUTION = 'app.kleinkram.actions.execution';

export interface ContainerSpecInput {
  executionId: string;
  storeId: string;
  imageId: string;
  version: TemplateVersion;
  mission: Mission;
  /** The other missions of the project, mounted under /project/<name>. */
  projectMissions: Mission[];
  outDir: string;
  scratchDir: string;
  pidsLimit: number;
}

export function containerName(executionId: string): string {
  return `kleinkram-action-${executionId}`;
}

export function buildContainerSpec(input: ContainerSpecInput): Docker.ContainerCreateOptions {
  const { version, mission } = input;
  const environment = {
    ...version.environment,
    KLEINKRAM_PROJECT_UUID: mission.projectId,
    KLEINKRAM_MISSION_UUID: mission.id,
    KLEINKRAM_ACTION_UUID: input.executionId,
  };
  const mounts: Docker.MountSettings[] = [
    { Type: 'bind', Source: mission.folder, Target: '/data', ReadOnly: true },
    ...input.projectMissions
      .filter((other) => other.id !== mission.id)
      .map((other) => ({
        Type: 'bind' as const,
        Source: other.folder,
        Target: `/project/${other.name}`,
        ReadOnly: true,
      })),
    { Type: 'bind', Source: input.outDir, Target: '/out', ReadOnly: false },
    { Type: 'bind', Source: input.scratchDir, Target: '/tmp_disk', ReadOnly: false },
  ];
  const spec: Docker.ContainerCreateOptions = {
    name: containerName(input.executionId),
    // The image id, not the tag: the container runs exactly the image whose digest is recorded.
    Image: input.imageId,
    Cmd: version.command.length > 0 ? version.command : undefined,
    Entrypoint: version.entrypoint ?? undefined,
    Env: Object.entries(environment).map(([key, value]) => `${key}=${value}`),
    Labels: {
      [LABEL_APP]: 'true',
      [LABEL_STORE]: input.storeId,
      [LABEL_EXECUTION]: input.executionId,
    },
    Tty: false,
    AttachStdin: false,
    AttachStdout: false,
    AttachStderr: false,
    OpenStdin: false,
    HostConfig: {
      Mounts: mounts,
      Memory: version.memoryBytes,
      // Swap equal to memory means no swap at all: the limit is the limit.
      MemorySwap: version.memoryBytes,
      NanoCpus: Math.round(version.cpuCores * 1e9),
      PidsLimit: input.pidsLimit,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      NetworkMode: version.network ? 'bridge' : 'none',
      AutoRemove: false,
      // The engine reads the logs back through the API, which the json-file driver serves.
      LogConfig: { Type: 'json-file', Config: {} },
      DeviceRequests:
        version.gpuCount > 0
          ? [{ Driver: '', Count: version.gpuCount, Capabilities: [['gpu']], Options: {} }]
          : undefined,
    },
  };
  if (process.platform === 'linux') {
    // Artifacts then belong to the person who runs the app, not to root.
    const user = os.userInfo();
    spec.User = `${user.uid}:${user.gid}`;
  }
  return spec;
}
