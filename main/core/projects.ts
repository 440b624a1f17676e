// Projects group missions; an action may read every mission of its execution's project.
import { randomUUID } from 'node:crypto';

import type { Project } from '../shared/domain.js';
import { AppError } from './errors.js';
import { createLogger } from './logger.js';
import type { Db } from './store/database.js';

const log = createLogger('projects');

interface ProjectRow {
  id: string;
  name: string;
  description: string;
  created_at: number;
}

const toProject = (row: ProjectRow): Project => ({
  id: row.id,
  name: row.name,
  description: row.description,
  createdAt: row.created_at,
});

export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
export const NAME_RULE =
  'use letters, digits, dots, dashes and underscores (at most 100), starting with a letter or digit';

export class ProjectService {
  constructor(private readonly db: Db) {}

  /** Throws what create() would throw for this name, without creating anything. */
  assertCreatable(name: string): void {
    if (!NAME_PATTERN.test(name)) {
      throw new AppError('invalid_input', `"${name}" is not a valid project name: ${NAME_RULE}`, {
        name: [NAME_RULE],
      });
    }
    if (this.find(name)) {
      throw new AppError('conflict', `a project named "${name}" exists already`, {
        name: ['this name is taken'],
      });
    }
  }

  create(name: string, description = ''): Project {
    this.assertCreatable(name);
    const row: ProjectRow = { id: randomUUID(), name, description, created_at: Date.now() };
    this.db
      .prepare(
        'INSERT INTO projects (id, name, description, created_at) ' +
          'VALUES (@id, @name, @description, @created_at)',
      )
      .run(row);
    log.info(`project ${row.name} created (${row.id})`);
    return toProject(row);
  }

  list(): Project[] {
    const rows = this.db.prepare('SELECT * FROM projects ORDER BY name').all() as ProjectRow[];
    return rows.map(toProject);
  }

  find(ref: string): Project | null {
    const row = this.db.prepare('SELECT * FROM projects WHERE name = ? OR id = ?').get(ref, ref) as
      ProjectRow | undefined;
    return row ? toProject(row) : null;
  }

  /** A project by name or id, or a not_found error that says how to see the known ones. */
  resolve(ref: string): Project {
    const project = this.find(ref);
    if (!project) {
      throw new AppError(
        'not_found',
        `no project "${ref}"`,
        undefined,
        'the Missions page shows the projects (kleinkram-actions project list)',
      );
    }
    return project;
  }
}
