// Validation of what a person writes into a template. Every field is checked before anything
// is stored, and every problem is reported against its field, so a form or the CLI can show
// all of them at once.
import { parseAll as parseImageReference } from '@swimlane/docker-reference';
import bytes from 'bytes';
import { parse as parseShellWords } from 'shell-quote';
import { z } from 'zod';

import { ACCESS_RIGHTS, type TemplateFields } from './domain.js';

const MIB = 1024 * 1024;
/** Docker refuses a memory limit below 6 MiB. */
export const MIN_MEMORY_BYTES = 6 * MIB;

/** Variables the engine sets itself; a template may not override them. */
const RESERVED_ENV_PREFIX = 'KLEINKRAM_';

function splitCommand(text: string, ctx: z.RefinementCtx): string[] {
  // Nothing expands variables (the command is not run by a shell): a $NAME outside single
  // quotes is refused below rather than passed on as text the author did not mean.
  const unexpanded: string[] = [];
  const words = parseShellWords(text, (name) => {
    unexpanded.push(name);
    return `$${name}`;
  });
  if (unexpanded.length > 0) {
    ctx.addIssue({
      code: 'custom',
      message:
        `$${unexpanded[0]} needs a shell to expand it, and the command is not run by one: ` +
        `write it as sh -c '...', or put it in single quotes to pass it as it is`,
    });
    return z.NEVER;
  }
  const out: string[] = [];
  for (const word of words) {
    if (typeof word === 'string') {
      out.push(word);
    } else if ('op' in word && word.op === 'glob') {
      ctx.addIssue({
        code: 'custom',
        message:
          `\`${word.pattern}\` is a pattern only a shell expands, and the command is not run by ` +
          `one: write it as sh -c '...', or quote it to pass it as it is`,
      });
      return z.NEVER;
    } else {
      const what = 'op' in word ? `\`${word.op}\`` : 'a comment';
      ctx.addIssue({
        code: 'custom',
        message:
          `${what} needs a shell, and the command is not run by one: ` +
          `write it as sh -c '...' or give the arguments as a list`,
      });
      return z.NEVER;
    }
  }
  return out;
}

const commandSchema = z
  .union([z.string(), z.array(z.string())], {
    error: 'give the command as a string or as a list of arguments',
  })
  .transform((value, ctx) => (typeof value === 'string' ? splitCommand(value, ctx) : value));

function parseMemory(value: string | number, ctx: z.RefinementCtx): number {
  const plain = typeof value === 'number' || /^\s*\d+(\.\d+)?\s*$/.test(value);
  if (plain && Number(value) < MIN_MEMORY_BYTES) {
    ctx.addIssue({
      code: 'custom',
      message: `${value} is read as bytes, below the 6 MiB Docker needs: did you mean ${value}MiB?`,
    });
    return z.NEVER;
  }
  if (typeof value === 'number') return value;
  // Accept what people write for memory: 512m, 512MB, 512MiB, 2g, 2 GiB; all binary units.
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmgt])?i?b?\s*$/i.exec(value);
  const parsed = match ? bytes.parse(`${match[1]}${match[2] ?? ''}b`) : null;
  if (parsed === null || !Number.isFinite(parsed)) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a memory size: write e.g. 512MiB` });
    return z.NEVER;
  }
  return Math.round(parsed);
}

export const templateInputSchema = z
  .object({
    name: z
      .string({ error: 'a name is required' })
      .trim()
      .min(1, 'a name is required')
      .max(100, 'at most 100 characters')
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9 ._-]*$/,
        'letters, digits, spaces, dots, dashes and underscores; starting with a letter or digit',
      ),
    description: z.string().max(4000, 'at most 4,000 characters').default(''),
    image: z
      .string({ error: 'an image is required' })
      .trim()
      .min(1, 'an image is required')
      .superRefine((image, ctx) => {
        try {
          parseImageReference(image);
        } catch (error) {
          ctx.addIssue({
            code: 'custom',
            message: `Docker would refuse "${image}": ${(error as Error).message}`,
          });
        }
      }),
    command: commandSchema.default([]),
    entrypoint: commandSchema.nullable().default(null),
    environment: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String))
      .superRefine((environment, ctx) => {
        // Checked here rather than on the record's keys, whose messages zod does not keep.
        for (const key of Object.keys(environment)) {
          if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
            ctx.addIssue({
              code: 'custom',
              message: `"${key}": variable names are letters, digits and _`,
            });
          } else if (key.startsWith(RESERVED_ENV_PREFIX)) {
            ctx.addIssue({
              code: 'custom',
              message: `${key}: ${RESERVED_ENV_PREFIX}* variables are set by the app`,
            });
          }
        }
      })
      .default({}),
    cpuCores: z
      .number({ error: 'CPU cores must be a number' })
      .gt(0, 'CPU cores must be more than 0')
      .min(0.01, 'at least 0.01 CPU cores (Docker refuses less)')
      .max(1024, 'at most 1,024 cores'),
    memory: z
      .union([z.number(), z.string()], { error: 'memory must be a size such as 512MiB' })
      .transform(parseMemory)
      .pipe(
        z
          .number()
          .int()
          .min(MIN_MEMORY_BYTES, 'memory must be at least 6 MiB (Docker refuses less)'),
      ),
    gpu: z
      .union([z.boolean(), z.number().int().min(0, 'a GPU count cannot be negative')])
      .transform((gpu) => (gpu === true ? 1 : gpu === false ? 0 : gpu))
      .default(0),
    maxRuntimeSeconds: z
      .number({ error: 'the maximum runtime must be a number of seconds' })
      .gt(0, 'the maximum runtime must be more than 0 seconds'),
    accessRights: z
      .enum(ACCESS_RIGHTS, { error: `one of ${ACCESS_RIGHTS.join(', ')}` })
      .default('read'),
    network: z.boolean().default(false),
  })
  .strict();

/** The input as a person writes it (memory may be "512MiB", the command a string). */
export type TemplateInput = z.input<typeof templateInputSchema>;

export interface TemplateValidation {
  fields: TemplateFields | null;
  /** Problems that refuse the template, by field ("" for the whole template). */
  errors: Record<string, string[]>;
  /** Advice that does not refuse it. */
  warnings: Record<string, string[]>;
}

export function imageTagWarning(image: string): string | null {
  try {
    const ref = parseImageReference(image) as unknown as { _tag?: string; _digest?: string };
    if (ref._digest) return null;
    if (!ref._tag) return 'no tag means `latest`, which can change: pin a version tag';
    if (ref._tag === 'latest') return '`latest` can change under you: pin a version tag';
  } catch {
    // The reference is invalid; that is an error reported by the schema, not a warning.
  }
  return null;
}

export function validateTemplate(input: unknown): TemplateValidation {
  const result = templateInputSchema.safeParse(input);
  if (!result.success) {
    const errors: Record<string, string[]> = {};
    for (const issue of result.error.issues) {
      const field = String(issue.path[0] ?? '');
      const message =
        issue.code === 'unrecognized_keys'
          ? `unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`
          : issue.message;
      (errors[field] ??= []).push(message);
    }
    return { fields: null, errors, warnings: {} };
  }
  const { memory, gpu, ...rest } = result.data;
  const fields: TemplateFields = { ...rest, memoryBytes: memory, gpuCount: gpu };
  const warnings: Record<string, string[]> = {};
  const tagWarning = imageTagWarning(fields.image);
  if (tagWarning) warnings.image = [tagWarning];
  if (fields.accessRights !== 'read') {
    warnings.accessRights = [
      `"${fields.accessRights}" access is saved, but not yet supported: launches will be refused`,
    ];
  }
  return { fields, errors: {}, warnings };
}

/** The same fields in the form a person writes them, for editing and export. */
export function templateFieldsToInput(fields: TemplateFields): TemplateInput {
  return {
    name: fields.name,
    description: fields.description,
    image: fields.image,
    command: fields.command,
    entrypoint: fields.entrypoint,
    environment: fields.environment,
    cpuCores: fields.cpuCores,
    memory: formatMemory(fields.memoryBytes),
    gpu: fields.gpuCount,
    maxRuntimeSeconds: fields.maxRuntimeSeconds,
    accessRights: fields.accessRights,
    network: fields.network,
  };
}

/** 536870912 -> "512MiB"; sizes that are not whole MiB stay in bytes so nothing is rounded. */
export function formatMemory(memoryBytes: number): string | number {
  if (memoryBytes % (1024 * MIB) === 0) return `${memoryBytes / (1024 * MIB)}GiB`;
  if (memoryBytes % MIB === 0) return `${memoryBytes / MIB}MiB`;
  return memoryBytes;
}
