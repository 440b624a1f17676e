// The template form's values and the core's input: a saved version shown in the form comes
// back unchanged, the form's own checks join the core's, and the `latest` advice shows even
// while other fields are wrong.
import { describe, expect, it } from 'vitest';

import type { TemplateVersion } from '../../main/shared/domain.js';
import {
  EMPTY_TEMPLATE_FORM,
  formValuesFromFields,
  sameFields,
  validateForm,
} from '../../renderer/src/lib/template-form.js';

const saved: TemplateVersion = {
  templateId: 't1',
  version: 4,
  author: 'ana',
  createdAt: 0,
  restoredFrom: null,
  name: 'bag summary',
  description: 'Summarises bags',
  image: 'kleinkram-actions/bag-summary:1',
  command: ['bash', '-c', 'echo "$HOME" > /out/home.txt; ls /data'],
  entrypoint: null,
  environment: { MODE: 'fast', LEVEL: '3' },
  cpuCores: 1.5,
  memoryBytes: 512 * 1024 * 1024,
  gpuCount: 0,
  maxRuntimeSeconds: 600,
  accessRights: 'read',
  network: false,
};

describe('template form', () => {
  it('shows a saved version so that it validates back to the same fields', () => {
    const values = formValuesFromFields(saved);
    expect(values.memory).toBe('512MiB');
    const validation = validateForm(values);
    expect(validation.errors).toEqual({});
    expect(validation.fields).not.toBeNull();
    expect(sameFields(validation.fields!, saved)).toBe(true);

    const edited = validateForm({ ...values, command: 'true' });
    expect(sameFields(edited.fields!, saved)).toBe(false);
  });

  it('reports environment lines the form cannot read next to the core errors', () => {
    const validation = validateForm({
      ...EMPTY_TEMPLATE_FORM,
      name: 'x',
      image: 'debian:12',
      environment: 'GOOD=1\nno equals sign\nKLEINKRAM_RUN=1',
    });
    expect(validation.fields).toBeNull();
    expect(validation.errors.environment).toContain('line 2: write NAME=value');
    // The reserved name is refused by the core's schema (its message is the core's to word).
    expect(validation.errors.environment).toHaveLength(2);
  });

  it('warns about an untagged image while other fields are still wrong', () => {
    const validation = validateForm({ ...EMPTY_TEMPLATE_FORM, image: 'debian', memory: 'lots' });
    expect(validation.errors.memory?.[0]).toContain('"lots" is not a memory size');
    expect(validation.warnings.image?.[0]).toContain('no tag means `latest`');
  });
});
