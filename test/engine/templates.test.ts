// Templates and their versions: validation per field, immutable versions, diff and restore.
import { afterAll, describe, expect, it } from 'vitest';

import { validateTemplate } from '../../main/shared/template-input.js';
import { openTestEngine, readStore, shellTemplate } from '../helpers/engine.js';

const engine = openTestEngine();
afterAll(() => engine.close());

function versionRows() {
  const store = readStore(engine);
  try {
    return store.prepare('SELECT * FROM template_versions ORDER BY template_id, version').all();
  } finally {
    store.close();
  }
}

describe('template validation', () => {
  it('reports every bad field at once, each with its own message', () => {
    const result = validateTemplate({
      name: '',
      image: 'Not A Valid/Image',
      cpuCores: 0,
      memory: '5MiB',
      maxRuntimeSeconds: -1,
      accessRights: 'admin',
      environment: { 'BAD-NAME': 'x', KLEINKRAM_MISSION_UUID: 'y' },
      surprise: true,
    });
    expect(result.fields).toBeNull();
    expect(Object.keys(result.errors).sort()).toEqual(
      [
        '',
        'accessRights',
        'cpuCores',
        'environment',
        'image',
        'maxRuntimeSeconds',
        'memory',
        'name',
      ].sort(),
    );
    expect(result.errors.image![0]).toMatch(/Docker would refuse/);
    expect(result.errors.memory![0]).toMatch(/at least 6 MiB/);
    expect(result.errors.cpuCores![0]).toMatch(/more than 0/);
    expect(result.errors['']![0]).toMatch(/unknown field: surprise/);
  });

  it('warns about latest and untagged images without refusing them', () => {
    const latest = validateTemplate(shellTemplate('a', 'true', { image: 'debian:latest' }));
    expect(latest.fields).not.toBeNull();
    expect(latest.warnings.image![0]).toMatch(/pin a version tag/);
    const untagged = validateTemplate(shellTemplate('a', 'true', { image: 'debian' }));
    expect(untagged.warnings.image![0]).toMatch(/no tag means `latest`/);
    const pinned = validateTemplate(shellTemplate('a', 'true', { image: 'debian:bookworm-slim' }));
    expect(pinned.warnings).toEqual({});
  });

  it('splits a command string like a shell does, and refuses what needs a shell', () => {
    const split = validateTemplate(
      shellTemplate('a', '', { command: `python3 -c "print('hi there')" 'two words' '$HOME'` }),
    );
    expect(split.fields!.command).toEqual([
      'python3',
      '-c',
      "print('hi there')",
      'two words',
      '$HOME',
    ]);
    const list = validateTemplate(shellTemplate('a', '', { command: ['a b', 'c'] }));
    expect(list.fields!.command).toEqual(['a b', 'c']);
    for (const command of ['ls | wc -l', 'ls /data/*.bag', 'echo $HOME', 'a && b']) {
      const refused = validateTemplate(shellTemplate('a', '', { command }));
      expect(refused.errors.command![0], command).toMatch(/sh -c/);
    }
  });

  it('says why a variable name or a size is refused', () => {
    const env = validateTemplate(
      shellTemplate('a', 'true', { environment: { KLEINKRAM_MISSION_UUID: 'x', 'A-B': 'y' } }),
    );
    expect(env.errors.environment).toEqual([
      'KLEINKRAM_MISSION_UUID: KLEINKRAM_* variables are set by the app',
      '"A-B": variable names are letters, digits and _',
    ]);
    const bytes = validateTemplate(shellTemplate('a', 'true', { memory: '512' }));
    expect(bytes.errors.memory![0]).toMatch(/did you mean 512MiB/);
    const cpu = validateTemplate(shellTemplate('a', 'true', { cpuCores: 0.001 }));
    expect(cpu.errors.cpuCores![0]).toMatch(/at least 0.01/);
    const writer = validateTemplate(shellTemplate('a', 'true', { accessRights: 'write' }));
    expect(writer.fields).not.toBeNull();
    expect(writer.warnings.accessRights![0]).toMatch(/not yet supported/);
  });

  it('reads memory sizes as people write them', () => {
    const sizes = ['512MiB', '512m', '512MB', '1GiB', '1.5g', 64 * 1024 * 1024];
    const bytes = sizes.map(
      (memory) => validateTemplate(shellTemplate('a', 'true', { memory })).fields!.memoryBytes,
    );
    expect(bytes).toEqual([
      512 * 2 ** 20,
      512 * 2 ** 20,
      512 * 2 ** 20,
      2 ** 30,
      1.5 * 2 ** 30,
      64 * 2 ** 20,
    ]);
  });
});

describe('template versions', () => {
  it('edit, diff and restore keep old versions byte for byte', () => {
    const created = engine.templates.create(shellTemplate('versioned', 'echo one'), 'alice');
    expect(created.version.version).toBe(1);
    const v1Rows = versionRows();

    const edited = engine.templates.edit(
      'versioned',
      { command: 'echo two', memory: '1GiB' },
      'bob',
    );
    expect(edited.version.version).toBe(2);
    expect(edited.version.author).toBe('bob');
    const afterEdit = versionRows();
    expect(afterEdit.slice(0, v1Rows.length)).toEqual(v1Rows);

    const diff = engine.templates.diff('versioned', 1, 2);
    expect(diff.changes.map((change) => change.field).sort()).toEqual(['command', 'memoryBytes']);
    expect(diff.patch).toContain('-memory: 256MiB');
    expect(diff.patch).toContain('+memory: 1GiB');
    expect(versionRows()).toEqual(afterEdit);

    const restored = engine.templates.restore('versioned', 1, 'carol');
    expect(restored.version.version).toBe(3);
    expect(restored.version.restoredFrom).toBe(1);
    expect(restored.version.command).toEqual(['bash', '-c', 'echo one']);
    expect(engine.templates.diff('versioned', 1, 3).changes).toEqual([]);
    const afterRestore = versionRows();
    expect(afterRestore.slice(0, afterEdit.length)).toEqual(afterEdit);
    expect(engine.templates.versions('versioned').map((v) => v.version)).toEqual([1, 2, 3]);

    // Restoring what the latest version already is would only make a duplicate: refused.
    expect(() => engine.templates.restore('versioned', 1, 'carol')).toThrow(
      /the restore changes nothing: versioned v3 is equal to v1 already/,
    );
    expect(versionRows()).toEqual(afterRestore);
  });

  it('the store itself refuses to change a saved version', async () => {
    const store = new (await import('better-sqlite3')).default(engine.layout.database);
    try {
      expect(() => store.prepare("UPDATE template_versions SET image = 'x'").run()).toThrow(
        /immutable/,
      );
    } finally {
      store.close();
    }
  });

  it('an edit that changes nothing is refused and saves no version', () => {
    engine.templates.create(shellTemplate('steady', 'true'), 'alice');
    const before = versionRows();
    expect(() =>
      engine.templates.edit('steady', { command: ['bash', '-c', 'true'] }, 'bob'),
    ).toThrow(/changes nothing/);
    expect(versionRows()).toEqual(before);
  });

  it('YAML export and import round-trip a version', () => {
    const yaml = engine.templates.exportYaml('versioned', 2);
    expect(yaml).toContain('name: versioned');
    const parsed = engine.templates.parseYaml(yaml.replace('name: versioned', 'name: copied'));
    const imported = engine.templates.importInput(parsed, 'dave');
    expect(imported.outcome).toBe('created');
    expect(engine.templates.diff('copied', 1, 1).changes).toEqual([]);
    const again = engine.templates.importInput(parsed, 'dave');
    expect(again.outcome).toBe('unchanged');
    const fields = {
      ...imported.version,
      templateId: '',
      author: '',
      createdAt: 0,
      restoredFrom: null,
    };
    const original = {
      ...engine.templates.get('versioned', 2),
      templateId: '',
      author: '',
      createdAt: 0,
      restoredFrom: null,
    };
    expect({ ...fields, name: 'versioned', version: 2 }).toEqual(original);
  });

  it('a template without executions is deleted', () => {
    engine.templates.create(shellTemplate('unused', 'true'), 'alice');
    expect(engine.templates.remove('unused')).toBe('deleted');
    expect(() => engine.templates.get('unused')).toThrow(/no template/);
  });
});
