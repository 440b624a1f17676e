// Action templates and their versions. A version is immutable: creating makes version 1,
// every edit inserts version n+1, and restoring version k inserts a new version equal to k.
import { randomUUID } from 'node:crypto';

import { createTwoFilesPatch, diffLines } from 'diff';
import YAML from 'yaml';

import type { SavedVersionResult, VersionDiffDto } from '../shared/contract.js';
import type { TemplateFields, TemplateSummary, TemplateVersion } from '../shared/domain.js';
import {
  templateFieldsToInput,
  validateTemplate,
  type TemplateInput,
} from '../shared/template-input.js';
import { AppError } from './errors.js';
import { createLogger } from './logger.js';
import type { Db } from './store/database.js';

const log = createLogger('templates');

interface VersionRow {
  template_id: string;
  version: number;
  name: string;
  description: string;
  image: string;
  command: string;
  entrypoint: string | null;
  environment: string;
  cpu_cores: number;
  memory_bytes: number;
  gpu_count: number;
  max_runtime_seconds: number;
  access_rights: string;
  network: number;
  author: string;
  created_at: number;
  restored_from: number | null;
}

interface TemplateRow {
  id: string;
  name: string;
  latest_version: number;
  created_at: number;
  archived_at: number | null;
}

const toVersion = (row: VersionRow): TemplateVersion => ({
  templateId: row.template_id,
  version: row.version,
  name: row.name,
  description: row.description,
  image: row.image,
  command: JSON.parse(row.command) as string[],
  entrypoint: row.entrypoint === null ? null : (JSON.parse(row.entrypoint) as string[]),
  environment: JSON.parse(row.environment) as Record<string, string>,
  cpuCores: row.cpu_cores,
  memoryBytes: row.memory_bytes,
  gpuCount: row.gpu_count,
  maxRuntimeSeconds: row.max_runtime_seconds,
  accessRights: row.access_rights as TemplateVersion['accessRights'],
  network: row.network === 1,
  author: row.author,
  createdAt: row.created_at,
  restoredFrom: row.restored_from,
});

export function versionFields(version: TemplateVersion): TemplateFields {
  return {
    name: version.name,
    description: version.description,
    image: version.image,
    command: version.command,
    entrypoint: version.entrypoint,
    environment: version.environment,
    cpuCores: version.cpuCores,
    memoryBytes: version.memoryBytes,
    gpuCount: version.gpuCount,
    maxRuntimeSeconds: version.maxRuntimeSeconds,
    accessRights: version.accessRights,
    network: version.network,
  };
}

/** The YAML a person reads, edits, diffs and exchanges: the same keys as the input. */
export function versionToYaml(fields: TemplateFields): string {
  return YAML.stringify(templateFieldsToInput(fields), { lineWidth: 0 });
}

// The contract's types, so the UI reads the same shapes.
export type VersionDiff = VersionDiffDto;
export type SavedVersion = SavedVersionResult;

export class TemplateService {
  constructor(private readonly db: Db) {}

  create(input: unknown, author: string): SavedVersion {
    const { fields, warnings } = this.validate(input);
    this.assertNameFree(fields.name, null);
    const id = randomUUID();
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO templates (id, name, latest_version, created_at) VALUES (?, ?, 1, ?)')
        .run(id, fields.name, Date.now());
      this.insertVersion(id, 1, fields, author, null);
    })();
    log.info(`template ${fields.name} created as ${id} v1`);
    return { version: this.version(id, 1), warnings };
  }

  /** Applies changes on top of the latest version and saves the result as the next version. */
  edit(ref: string, changes: Partial<TemplateInput>, author: string): SavedVersion {
    const template = this.resolveRow(ref);
    const latest = this.version(template.id, template.latest_version);
    const merged = { ...templateFieldsToInput(versionFields(latest)), ...changes };
    const { fields, warnings } = this.validate(merged);
    if (versionToYaml(fields) === versionToYaml(versionFields(latest))) {
      throw new AppError(
        'invalid_input',
        `the edit changes nothing: ${latest.name} v${latest.version} has these values already`,
      );
    }
    this.assertNameFree(fields.name, template.id);
    const saved = this.saveNext(template.id, fields, author, null);
    return { version: saved, warnings };
  }

  /** Saves a new version equal to version k (the old rows stay as they are). */
  restore(ref: string, k: number, author: string): SavedVersion {
    const template = this.resolveRow(ref);
    const old = this.version(template.id, k);
    const latest = this.version(template.id, template.latest_version);
    if (versionToYaml(versionFields(old)) === versionToYaml(versionFields(latest))) {
      throw new AppError(
        'invalid_input',
        `the restore changes nothing: ${latest.name} v${latest.version} is equal to v${k} already`,
      );
    }
    this.assertNameFree(old.name, template.id);
    const saved = this.saveNext(template.id, versionFields(old), author, k);
    log.info(`template ${template.id} v${k} restored as v${saved.version}`);
    return { version: saved, warnings: validateTemplate(templateFieldsToInput(old)).warnings };
  }

  /**
   * Imports a template: creates it, or saves a new version of the template of that name;
   * input equal to the latest version changes nothing.
   */
  importInput(
    input: unknown,
    author: string,
  ): SavedVersion & { outcome: 'created' | 'saved' | 'unchanged' } {
    const { fields, warnings } = this.validate(input);
    const existing = this.db
      .prepare('SELECT * FROM templates WHERE name = ? AND archived_at IS NULL')
      .get(fields.name) as TemplateRow | undefined;
    if (!existing) return { ...this.create(input, author), outcome: 'created' };
    const latest = this.version(existing.id, existing.latest_version);
    if (versionToYaml(fields) === versionToYaml(versionFields(latest))) {
      return { version: latest, warnings, outcome: 'unchanged' };
    }
    return {
      version: this.saveNext(existing.id, fields, author, null),
      warnings,
      outcome: 'saved',
    };
  }

  list(options: { includeArchived?: boolean } = {}): TemplateSummary[] {
    const rows = this.db
      .prepare(
        `SELECT t.*, (SELECT COUNT(*) FROM executions e WHERE e.template_id = t.id) AS runs
         FROM templates t ${options.includeArchived ? '' : 'WHERE t.archived_at IS NULL'}
         ORDER BY t.name`,
      )
      .all() as Array<TemplateRow & { runs: number }>;
    return rows.map((row) => ({
      id: row.id,
      latest: this.version(row.id, row.latest_version),
      versionCount: row.latest_version,
      archivedAt: row.archived_at,
      executionCount: row.runs,
    }));
  }

  versions(ref: string): TemplateVersion[] {
    const template = this.resolveRow(ref);
    return (
      this.db
        .prepare('SELECT * FROM template_versions WHERE template_id = ? ORDER BY version')
        .all(template.id) as VersionRow[]
    ).map(toVersion);
  }

  /** A version of a template, the latest when no version is given. */
  get(ref: string, version?: number): TemplateVersion {
    const template = this.resolveRow(ref);
    return this.version(template.id, version ?? template.latest_version);
  }

  diff(ref: string, from: number, to: number): VersionDiff {
    const template = this.resolveRow(ref);
    const a = versionFields(this.version(template.id, from));
    const b = versionFields(this.version(template.id, to));
    const yamlA = versionToYaml(a);
    const yamlB = versionToYaml(b);
    const changes: VersionDiff['changes'] = [];
    for (const field of Object.keys(a) as Array<keyof TemplateFields>) {
      if (JSON.stringify(a[field]) !== JSON.stringify(b[field])) {
        changes.push({ field, before: a[field], after: b[field] });
      }
    }
    return {
      templateId: template.id,
      from,
      to,
      changes,
      patch: createTwoFilesPatch(`v${from}`, `v${to}`, yamlA, yamlB, '', '', { context: 100 }),
      parts: diffLines(yamlA, yamlB).map((part) => ({
        value: part.value,
        added: part.added === true,
        removed: part.removed === true,
      })),
    };
  }

  /** Deletes a template nobody ran; one with executions is archived so their history stays. */
  remove(ref: string): 'deleted' | 'archived' {
    const template = this.resolveRow(ref);
    const runs = this.db
      .prepare('SELECT COUNT(*) FROM executions WHERE template_id = ?')
      .pluck()
      .get(template.id) as number;
    if (runs > 0) {
      this.db
        .prepare('UPDATE templates SET archived_at = ? WHERE id = ? AND archived_at IS NULL')
        .run(Date.now(), template.id);
      log.info(`template ${template.id} archived (${runs} executions keep it)`);
      return 'archived';
    }
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM template_versions WHERE template_id = ?').run(template.id);
      this.db.prepare('DELETE FROM templates WHERE id = ?').run(template.id);
    })();
    log.info(`template ${template.id} deleted`);
    return 'deleted';
  }

  exportYaml(ref: string, version?: number): string {
    return versionToYaml(versionFields(this.get(ref, version)));
  }

  /** Parses a template written as YAML; the result is checked like any other input. */
  parseYaml(text: string): unknown {
    try {
      return YAML.parse(text) as unknown;
    } catch (error) {
      throw new AppError(
        'invalid_input',
        `the template is not valid YAML: ${(error as Error).message}`,
      );
    }
  }

  /** Finds a template by name or id (or its first characters), archived ones included. */
  resolveRow(ref: string): TemplateRow {
    const rows = this.db
      .prepare(
        `SELECT * FROM templates
         WHERE (name = ? AND archived_at IS NULL) OR id = ? OR (length(?) >= 6 AND id LIKE ?)`,
      )
      .all(ref, ref, ref, `${ref}%`) as TemplateRow[];
    if (rows.length === 1) return rows[0]!;
    if (rows.length > 1) {
      throw new AppError(
        'invalid_input',
        `"${ref}" matches several templates: give more of the id`,
      );
    }
    throw new AppError(
      'not_found',
      `no template "${ref}"`,
      undefined,
      'the Action Templates tab shows the templates (kleinkram-actions template list)',
    );
  }

  private version(templateId: string, version: number): TemplateVersion {
    const row = this.db
      .prepare('SELECT * FROM template_versions WHERE template_id = ? AND version = ?')
      .get(templateId, version) as VersionRow | undefined;
    if (!row) {
      const name = this.db
        .prepare('SELECT name FROM templates WHERE id = ?')
        .pluck()
        .get(templateId);
      throw new AppError(
        'not_found',
        `template ${String(name ?? templateId)} has no version ${version}`,
      );
    }
    return toVersion(row);
  }

  private validate(input: unknown): { fields: TemplateFields; warnings: Record<string, string[]> } {
    const result = validateTemplate(input);
    if (!result.fields) {
      const summary = Object.entries(result.errors)
        .map(([field, messages]) => `${field || 'template'}: ${messages.join('; ')}`)
        .join('\n  ');
      throw new AppError(
        'invalid_input',
        `the template is not valid:\n  ${summary}`,
        result.errors,
      );
    }
    return { fields: result.fields, warnings: result.warnings };
  }

  private assertNameFree(name: string, exceptId: string | null): void {
    const other = this.db
      .prepare('SELECT id FROM templates WHERE name = ? AND archived_at IS NULL AND id IS NOT ?')
      .get(name, exceptId) as { id: string } | undefined;
    if (other) {
      throw new AppError('conflict', `a template named "${name}" exists already`, {
        name: ['this name is taken'],
      });
    }
  }

  private saveNext(
    templateId: string,
    fields: TemplateFields,
    author: string,
    restoredFrom: number | null,
  ): TemplateVersion {
    const next = this.db
      .transaction(() => {
        const row = this.db
          .prepare('SELECT latest_version FROM templates WHERE id = ?')
          .get(templateId) as { latest_version: number };
        const version = row.latest_version + 1;
        this.insertVersion(templateId, version, fields, author, restoredFrom);
        this.db
          .prepare('UPDATE templates SET latest_version = ?, name = ? WHERE id = ?')
          .run(version, fields.name, templateId);
        return version;
      })
      .immediate();
    log.info(`template ${templateId} saved as v${next}`);
    return this.version(templateId, next);
  }

  private insertVersion(
    templateId: string,
    version: number,
    fields: TemplateFields,
    author: string,
    restoredFrom: number | null,
  ): void {
    this.db
      .prepare(
        `INSERT INTO template_versions (template_id, version, name, description, image, command,
           entrypoint, environment, cpu_cores, memory_bytes, gpu_count, max_runtime_seconds,
           access_rights, network, author, created_at, restored_from)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        templateId,
        version,
        fields.name,
        fields.description,
        fields.image,
        JSON.stringify(fields.command),
        fields.entrypoint === null ? null : JSON.stringify(fields.entrypoint),
        JSON.stringify(fields.environment),
        fields.cpuCores,
        fields.memoryBytes,
        fields.gpuCount,
        fields.maxRuntimeSeconds,
        fields.accessRights,
        fields.network ? 1 : 0,
        author,
        Date.now(),
        restoredFrom,
      );
  }
}
