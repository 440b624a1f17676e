// Projects, their missions, and the files of the mission being looked at.
import { create } from 'zustand';

import type { ErrorValue, RescanResultDto } from '../../../main/shared/contract.js';
import type { Mission, MissionFile, Project } from '../../../main/shared/domain.js';
import { request } from '../lib/api-client.js';
import { toErrorValue } from '../lib/errors.js';

interface MissionsState {
  projects: Project[];
  missions: Mission[];
  loaded: boolean;
  loading: boolean;
  error: ErrorValue | null;
  load(): Promise<void>;
  createProject(name: string, description: string): Promise<Project>;
  addMission(project: string, folder: string, name?: string): Promise<RescanResultDto>;
  /** Forgets a mission no action ran on; its folder is left alone. */
  removeMission(missionId: string): Promise<Mission>;
}

export const useMissionsStore = create<MissionsState>((set, get) => ({
  projects: [],
  missions: [],
  loaded: false,
  loading: false,
  error: null,
  async load() {
    set({ loading: true });
    try {
      const [projects, missions] = await Promise.all([
        request('projects.list', {}),
        request('missions.list', {}),
      ]);
      set({ projects, missions, loaded: true, loading: false, error: null });
    } catch (error) {
      set({ loading: false, error: toErrorValue(error) });
    }
  },
  async createProject(name, description) {
    const project = await request('projects.create', { name, description });
    await get().load();
    return project;
  },
  async addMission(project, folder, name) {
    const result = await request('missions.add', { project, folder, ...(name ? { name } : {}) });
    await get().load();
    return result;
  },
  async removeMission(missionId) {
    const removed = await request('missions.remove', { mission: missionId });
    await get().load();
    return removed;
  },
}));

interface MissionFilesState {
  missionId: string | null;
  files: MissionFile[];
  loading: boolean;
  error: ErrorValue | null;
  rescanning: boolean;
  rescan: RescanResultDto | null;
  rescanError: ErrorValue | null;
  load(missionId: string): Promise<void>;
  rescanMission(): Promise<void>;
}

export const useMissionFilesStore = create<MissionFilesState>((set, get) => ({
  missionId: null,
  files: [],
  loading: false,
  error: null,
  rescanning: false,
  rescan: null,
  rescanError: null,
  async load(missionId) {
    if (get().missionId !== missionId) {
      set({ missionId, files: [], rescan: null, rescanError: null, error: null });
    }
    set({ loading: true });
    try {
      const files = await request('missions.files', { mission: missionId });
      if (get().missionId === missionId) set({ files, loading: false, error: null });
    } catch (error) {
      set({ loading: false, error: toErrorValue(error) });
    }
  },
  async rescanMission() {
    const missionId = get().missionId;
    if (!missionId) return;
    set({ rescanning: true, rescanError: null });
    try {
      const rescan = await request('missions.rescan', { mission: missionId });
      set({ rescanning: false, rescan });
      await Promise.all([get().load(missionId), useMissionsStore.getState().load()]);
    } catch (error) {
      set({ rescanning: false, rescanError: toErrorValue(error) });
    }
  },
}));
