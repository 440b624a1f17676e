// The template form's values are what a person types, all strings; they become the same input
// the CLI and the YAML files give the core, and are checked by the same validateTemplate.
import { quote } from 'shell-quote';

import type { AccessRights, TemplateFields } from '../../../main/shared/domain.js';
import {
  formatMemory,
  imageTagWarning,
  validateTemplate,
  type TemplateValidation,
} from '../../../main/shared/template-input.js';

export interface TemplateFormValues {
  name: string;
  description: string;
  image: string;
  command: string;
  entrypoint: string;
  /** One KEY=value per line. */
  environment: string;
  cpuCores: string;
  memory: string;
  gpu: string;
  maxRuntimeSeconds: string;
  accessRights: AccessRights;
  network: boolean;
}

export type TemplateFormField = keyof TemplateFormValues;

export const EMPTY_TEMPLATE_FORM: TemplateFormValues = {
  name: '',
  description: '',
  image: '',
  command: '',
  entrypoint: '',
  environment: '',
  cpuCores: '1',
  memory: '512MiB',
  gpu: '0',
  maxRuntimeSeconds: '3600',
  accessRights: 'read',
  network: false,
};

export function formValuesFromFields(fields: TemplateFields): TemplateFormValues {
  return {
    name: fields.name,
    description: fields.description,
    image: fields.image,
    command: quote(fields.command),
    entrypoint: fields.entrypoint === null ? '' : quote(fields.entrypoint),
    environment: Object.entries(fields.environment)
      .map(([key, value]) => `${key}=${value}`)
      .join('\n'),
    cpuCores: String(fields.cpuCores),
    memory: String(formatMemory(fields.memoryBytes)),
    gpu: String(fields.gpuCount),
    maxRuntimeSeconds: String(fields.maxRuntimeSeconds),
    accessRights: fields.accessRights,
    network: fields.network,
  };
}

function parseNumber(text: string): number | undefined {
  const trimmed = text.trim();
  return trimmed === '' ? undefined : Number(trimmed);
}

interface EnvironmentParse {
  environment: Record<string, string>;
  errors: string[];
}

function parseEnvironment(text: string): EnvironmentParse {
  const environment: Record<string, string> = {};
  const errors: string[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const equals = line.indexOf('=');
    if (equals <= 0) {
      errors.push(`line ${index + 1}: write NAME=value`);
      return;
    }
    environment[line.slice(0, equals).trim()] = line.slice(equals + 1);
  });
  return { environment, errors };
}

/** The form as the input the core takes (memory as written, the command as a string). */
export function formValuesToInput(values: TemplateFormValues): Record<string, unknown> {
  const input: Record<string, unknown> = {
    name: values.name,
    description: values.description,
    image: values.image,
    command: values.command,
    entrypoint: values.entrypoint.trim() === '' ? null : values.entrypoint,
    environment: parseEnvironment(values.environment).environment,
    memory: values.memory.trim() === '' ? undefined : values.memory,
    gpu: parseNumber(values.gpu) ?? 0,
    accessRights: values.accessRights,
    network: values.network,
  };
  const cpuCores = parseNumber(values.cpuCores);
  if (cpuCores !== undefined) input.cpuCores = cpuCores;
  const maxRuntimeSeconds = parseNumber(values.maxRuntimeSeconds);
  if (maxRuntimeSeconds !== undefined) input.maxRuntimeSeconds = maxRuntimeSeconds;
  if (input.memory === undefined) delete input.memory;
  return input;
}

/** validateTemplate on the form, plus what only the form can get wrong (environment lines). */
export function validateForm(values: TemplateFormValues): TemplateValidation {
  const validation = validateTemplate(formValuesToInput(values));
  const errors = { ...validation.errors };
  const environmentErrors = parseEnvironment(values.environment).errors;
  if (environmentErrors.length > 0) {
    errors.environment = [...(errors.environment ?? []), ...environmentErrors];
  }
  // validateTemplate gives advice only for a valid template; the form shows the tag warning
  // as soon as the image is right, whatever the other fields say.
  const warnings = { ...validation.warnings };
  const tagWarning = errors.image ? null : imageTagWarning(values.image.trim());
  if (tagWarning && !warnings.image) warnings.image = [tagWarning];
  const valid = Object.keys(errors).length === 0;
  return { fields: valid ? validation.fields : null, errors, warnings };
}

/** Whether the fields of a form are those of a saved version (which carries more keys). */
export function sameFields(fields: TemplateFields, saved: TemplateFields): boolean {
  return (Object.keys(fields) as Array<keyof TemplateFields>).every(
    (key) => JSON.stringify(fields[key]) === JSON.stringify(saved[key]),
  );
}
