// template commands: create, edit, list, show, versions, diff, restore, import, export, remove.
import fs from 'node:fs';

import { Command, Option } from 'commander';
import pc from 'picocolors';

import { author, printJson, wholeNumber, withEngine } from '../context.js';
import { size, table, time } from '../format.js';
import { AppError } from '../../core/errors.js';
import type { SavedVersion } from '../../core/templates.js';
import type { TemplateInput } from '../../shared/template-input.js';

interface FieldFlags {
  file?: string;
  name?: string;
  description?: string;
  image?: string;
  command?: string;
  entrypoint?: string;
  env?: string[];
  cpu?: string;
  memory?: string;
  gpu?: string;
  maxRuntime?: string;
  access?: string;
  network?: boolean;
}

function addFieldOptions(command: Command): Command {
  return command
    .option('-f, --file <template.yaml>', 'take the fields from a YAML file (flags override it)')
    .option('--name <name>', 'template name')
    .option('--description <text>', 'what the action does')
    .option('--image <ref>', 'Docker image, e.g. acme/bag-tools:1.2')
    .option('--command <command>', 'command, split like a shell does (quotes honoured)')
    .option('--entrypoint <entrypoint>', 'entrypoint, split like a shell does')
    .option('--env <KEY=VALUE...>', 'environment variable (repeat for more)')
    .option('--cpu <cores>', 'CPU cores, e.g. 1 or 0.5')
    .option('--memory <size>', 'memory limit, e.g. 512MiB or 2GiB')
    .option('--gpu <count>', 'number of GPUs')
    .option('--max-runtime <seconds>', 'maximum runtime in seconds')
    .addOption(
      new Option('--access <rights>', 'access rights on mission data').choices([
        'read',
        'create',
        'write',
        'delete',
      ]),
    )
    .option('--network', 'give the action network access (off by default)')
    .option('--no-network', 'no network access');
}

/** Numbers stay text when they are not numbers, so the validator names the field. */
const numberOr = (value: string) =>
  value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value;

function fieldsFromFlags(
  flags: FieldFlags,
  readYaml: (text: string) => unknown,
): Partial<TemplateInput> {
  let base: Record<string, unknown> = {};
  if (flags.file) {
    let text: string;
    try {
      text = fs.readFileSync(flags.file, 'utf8');
    } catch (error) {
      throw new AppError('not_found', `cannot read ${flags.file}: ${(error as Error).message}`);
    }
    const parsed = readYaml(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new AppError('invalid_input', `${flags.file} must hold a mapping of template fields`);
    }
    base = parsed as Record<string, unknown>;
  }
  const fields: Record<string, unknown> = { ...base };
  const set = (key: string, value: unknown) => {
    if (value !== undefined) fields[key] = value;
  };
  set('name', flags.name);
  set('description', flags.description);
  set('image', flags.image);
  set('command', flags.command);
  set('entrypoint', flags.entrypoint);
  if (flags.env) {
    const environment: Record<string, string> = {
      ...((base.environment as Record<string, string>) ?? {}),
    };
    for (const pair of flags.env) {
      const eq = pair.indexOf('=');
      if (eq <= 0)
        throw new AppError('invalid_input', `--env ${pair}: write it as KEY=VALUE`, {
          environment: ['write KEY=VALUE'],
        });
      environment[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    fields.environment = environment;
  }
  set('cpuCores', flags.cpu === undefined ? undefined : numberOr(flags.cpu));
  set('memory', flags.memory === undefined ? undefined : numberOr(flags.memory));
  set('gpu', flags.gpu === undefined ? undefined : numberOr(flags.gpu));
  set('maxRuntimeSeconds', flags.maxRuntime === undefined ? undefined : numberOr(flags.maxRuntime));
  set('accessRights', flags.access);
  set('network', flags.network);
  return fields as Partial<TemplateInput>;
}

function printSaved(saved: SavedVersion, verb: string): void {
  const { version } = saved;
  console.log(
    `${verb} ${version.name} v${version.version} (template ${version.templateId.slice(0, 8)})`,
  );
  for (const [field, messages] of Object.entries(saved.warnings)) {
    for (const message of messages) console.log(pc.yellow(`warning: ${field}: ${message}`));
  }
}

export function registerTemplateCommands(program: Command): void {
  const template = program.command('template').description('action templates and their versions');

  addFieldOptions(template.command('create').description('create a template (version 1)')).action(
    (flags: FieldFlags, command: Command) =>
      withEngine(command, (engine) => {
        const input = fieldsFromFlags(flags, (text) => engine.templates.parseYaml(text));
        printSaved(engine.templates.create(input, author()), 'created');
      }),
  );

  addFieldOptions(
    template.command('edit <template>').description('save changed fields as a new version'),
  ).action((ref: string, flags: FieldFlags, command: Command) =>
    withEngine(command, (engine) => {
      const changes = fieldsFromFlags(flags, (text) => engine.templates.parseYaml(text));
      printSaved(engine.templates.edit(ref, changes, author()), 'saved');
    }),
  );

  template
    .command('list')
    .description('list templates with their latest version')
    .option('--all', 'include archived templates')
    .option('--json', 'print JSON for scripts')
    .action((options: { all?: boolean; json?: boolean }, command: Command) =>
      withEngine(command, (engine) => {
        const templates = engine.templates.list({ includeArchived: options.all });
        if (options.json) return printJson(templates);
        if (templates.length === 0) {
          return console.log(
            'no templates yet: kleinkram-actions template import resources/actions/bag-summary/template.yaml',
          );
        }
        console.log(
          table(
            ['name', 'version', 'image', 'cpu', 'memory', 'runtime', 'runs'],
            templates.map((t) => [
              t.latest.name + (t.archivedAt ? pc.gray(' (archived)') : ''),
              `v${t.latest.version}`,
              t.latest.image,
              t.latest.cpuCores,
              size(t.latest.memoryBytes),
              `${t.latest.maxRuntimeSeconds} s`,
              t.executionCount,
            ]),
          ),
        );
      }),
    );

  template
    .command('show <template>')
    .description('show a version (the latest unless --version) as YAML')
    .option('--version <n>', 'the version to show', wholeNumber())
    .option('--json', 'print JSON for scripts')
    .action((ref: string, options: { version?: number; json?: boolean }, command: Command) =>
      withEngine(command, (engine) => {
        const version = engine.templates.get(ref, options.version);
        if (options.json) return printJson(version);
        console.error(
          pc.gray(
            `# ${version.name} v${version.version}, by ${version.author} at ${time(version.createdAt)}` +
              (version.restoredFrom ? `, restored from v${version.restoredFrom}` : ''),
          ),
        );
        process.stdout.write(engine.templates.exportYaml(ref, options.version));
      }),
    );

  template
    .command('versions <template>')
    .description('list the versions of a template')
    .option('--json', 'print JSON for scripts')
    .action((ref: string, options: { json?: boolean }, command: Command) =>
      withEngine(command, (engine) => {
        const versions = engine.templates.versions(ref);
        if (options.json) return printJson(versions);
        console.log(
          table(
            ['version', 'author', 'created', 'image', 'note'],
            versions.map((v) => [
              `v${v.version}`,
              v.author,
              time(v.createdAt),
              v.image,
              v.restoredFrom ? `restored from v${v.restoredFrom}` : '',
            ]),
          ),
        );
      }),
    );

  template
    .command('diff <template> <from> <to>')
    .description('show what changed between two versions')
    .option('--json', 'print JSON for scripts')
    .action(
      (ref: string, from: string, to: string, options: { json?: boolean }, command: Command) =>
        withEngine(command, (engine) => {
          const diff = engine.templates.diff(ref, versionNumber(from), versionNumber(to));
          if (options.json) return printJson(diff);
          if (diff.changes.length === 0)
            return console.log(`v${diff.from} and v${diff.to} are the same`);
          // The first line of the patch is a rule of = signs; the rest is the diff itself.
          for (const line of diff.patch.split('\n').filter((l) => !/^=+$/.test(l))) {
            if (line.startsWith('+') && !line.startsWith('+++')) console.log(pc.green(line));
            else if (line.startsWith('-') && !line.startsWith('---')) console.log(pc.red(line));
            else if (line.startsWith('@@') || line.startsWith('===')) continue;
            else console.log(line);
          }
        }),
    );

  template
    .command('restore <template> <version>')
    .description('save a new version equal to an old one')
    .action((ref: string, version: string, _options: unknown, command: Command) =>
      withEngine(command, (engine) => {
        printSaved(engine.templates.restore(ref, versionNumber(version), author()), 'restored as');
      }),
    );

  template
    .command('import <file>')
    .description('create a template from YAML, or a new version when one of that name exists')
    .action((file: string, _options: unknown, command: Command) =>
      withEngine(command, (engine) => {
        const input = fieldsFromFlags({ file }, (text) => engine.templates.parseYaml(text));
        const result = engine.templates.importInput(input, author());
        if (result.outcome === 'unchanged') {
          return console.log(
            `${result.version.name} v${result.version.version} is this template already`,
          );
        }
        printSaved(result, result.outcome);
      }),
    );

  template
    .command('export <template>')
    .description('write a version as YAML (to stdout unless -o)')
    .option('--version <n>', 'the version to export', wholeNumber())
    .option('-o, --output <file>', 'write to this file (- for stdout)')
    .action((ref: string, options: { version?: number; output?: string }, command: Command) =>
      withEngine(command, (engine) => {
        const yaml = engine.templates.exportYaml(ref, options.version);
        if (!options.output || options.output === '-') {
          process.stdout.write(yaml);
          return;
        }
        try {
          fs.writeFileSync(options.output, yaml);
        } catch (error) {
          throw new AppError(
            'io_error',
            `cannot write ${options.output}: ${(error as Error).message}`,
          );
        }
        console.log(`wrote ${options.output}`);
      }),
    );

  template
    .command('remove <template>')
    .description('delete a template; one that has executions is archived instead')
    .action((ref: string, _options: unknown, command: Command) =>
      withEngine(command, (engine) => {
        const outcome = engine.templates.remove(ref);
        console.log(
          outcome === 'archived' ? `${ref} archived: its executions keep it` : `${ref} deleted`,
        );
      }),
    );
}

function versionNumber(text: string): number {
  const match = /^v?(\d+)$/.exec(text);
  if (!match)
    throw new AppError('invalid_input', `"${text}" is not a version number (write 3 or v3)`);
  return Number(match[1]);
}
