// A template's limits in one short line, as the list and the execution header show them.
import type { TemplateFields } from '../../../main/shared/domain.js';
import { formatBytes, formatSeconds } from './format.js';

export function limitsText(fields: TemplateFields): string {
  const parts = [
    `${fields.cpuCores} CPU`,
    formatBytes(fields.memoryBytes),
    ...(fields.gpuCount > 0 ? [`${fields.gpuCount} GPU`] : []),
    `max ${formatSeconds(fields.maxRuntimeSeconds)}`,
    fields.network ? 'network' : 'no network',
  ];
  return parts.join(' · ');
}
