// The action templates: the list, and the versions of the one being looked at.
import { create } from 'zustand';

import type { ErrorValue, VersionDiffDto } from '../../../main/shared/contract.js';
import type { TemplateSummary, TemplateVersion } from '../../../main/shared/domain.js';
import { request } from '../lib/api-client.js';
import { toErrorValue } from '../lib/errors.js';

interface TemplatesState {
  templates: TemplateSummary[];
  loaded: boolean;
  loading: boolean;
  error: ErrorValue | null;
  load(): Promise<void>;
  byId(id: string): TemplateSummary | undefined;
}

export const useTemplatesStore = create<TemplatesState>((set, get) => ({
  templates: [],
  loaded: false,
  loading: false,
  error: null,
  async load() {
    set({ loading: true });
    try {
      const templates = await request('templates.list', { includeArchived: false });
      set({ templates, loaded: true, loading: false, error: null });
    } catch (error) {
      set({ loading: false, error: toErrorValue(error) });
    }
  },
  byId(id) {
    return get().templates.find((template) => template.id === id);
  },
}));

interface VersionsState {
  templateId: string | null;
  versions: TemplateVersion[];
  loading: boolean;
  error: ErrorValue | null;
  diff: VersionDiffDto | null;
  diffError: ErrorValue | null;
  restoring: number | null;
  restoreError: ErrorValue | null;
  /** The version the last restore made, to point the user at it. */
  restored: TemplateVersion | null;
  load(templateId: string): Promise<void>;
  compare(from: number, to: number): Promise<void>;
  restore(version: number): Promise<TemplateVersion | null>;
}

export const useVersionsStore = create<VersionsState>((set, get) => ({
  templateId: null,
  versions: [],
  loading: false,
  error: null,
  diff: null,
  diffError: null,
  restoring: null,
  restoreError: null,
  restored: null,
  async load(templateId) {
    if (get().templateId !== templateId) {
      set({ templateId, versions: [], diff: null, restored: null, restoreError: null });
    }
    set({ loading: true });
    try {
      const versions = await request('templates.versions', { template: templateId });
      // Newest first, as a history reads.
      versions.sort((a, b) => b.version - a.version);
      if (get().templateId === templateId) set({ versions, loading: false, error: null });
    } catch (error) {
      set({ loading: false, error: toErrorValue(error) });
    }
  },
  async compare(from, to) {
    const templateId = get().templateId;
    if (!templateId) return;
    try {
      const diff = await request('templates.diff', { template: templateId, from, to });
      if (get().templateId === templateId) set({ diff, diffError: null });
    } catch (error) {
      set({ diff: null, diffError: toErrorValue(error) });
    }
  },
  async restore(version) {
    const templateId = get().templateId;
    if (!templateId) return null;
    set({ restoring: version, restoreError: null, restored: null });
    try {
      const saved = await request('templates.restore', { template: templateId, version });
      set({ restoring: null, restored: saved.version });
      await get().load(templateId);
      void useTemplatesStore.getState().load();
      return saved.version;
    } catch (error) {
      set({ restoring: null, restoreError: toErrorValue(error) });
      return null;
    }
  },
}));
