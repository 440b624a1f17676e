// launch and the commands that look at executions: list, show, cancel, logs, artifacts, audit.
import { spawn } from 'node:child_process';
import path from 'node:path';

import { Command, Option } from 'commander';
import pc from 'picocolors';

import type { Engine } from '../../core/engine.js';
import { executionDirs, resolveDataDir } from '../../core/paths.js';
import {
  EXECUTION_STATES,
  isFinalState,
  type Execution,
  type ExecutionState,
} from '../../shared/domain.js';
import { exitCodeMeaning } from '../../shared/exit-codes.js';
import { openEngine, printJson, wholeNumber, withEngine, type GlobalOptions } from '../context.js';
import { followExecution, printLine } from '../follow.js';
import { executionDuration, shortId, size, state, table, time } from '../format.js';

/** The CLI's exit status for an ended execution (documented in the README). */
export function exitStatusOf(execution: Execution): number {
  switch (execution.state) {
    case 'succeeded':
      return 0;
    case 'failed':
      return execution.exitCode && execution.exitCode > 0 && execution.exitCode < 256
        ? execution.exitCode
        : 1;
    case 'cancelled':
      return 130;
    default:
      return 69;
  }
}

export function describeExecution(engine: Engine, execution: Execution): string {
  const version = engine.templates.get(execution.templateId, execution.templateVersion);
  const artifacts = engine.artifacts.list(execution.id);
  const bytes = artifacts.reduce((sum, a) => sum + a.size, 0);
  const rows: Array<[string, string]> = [
    ['template', `${execution.templateName} v${execution.templateVersion}`],
    ['mission', `${execution.projectName}/${execution.missionName}`],
    ['state', state(execution.state) + (execution.stateCause ? `: ${execution.stateCause}` : '')],
  ];
  if (execution.exitCode !== null) {
    rows.push([
      'exit code',
      `${execution.exitCode} (${exitCodeMeaning(execution.exitCode, execution.oomKilled)})`,
    ]);
  }
  if (execution.errorHint) rows.push(['what to do', execution.errorHint]);
  rows.push([
    'image',
    version.image + (execution.imageDigest ? pc.gray(` @ ${execution.imageDigest}`) : ''),
  ]);
  rows.push([
    'limits',
    `${version.cpuCores} CPU, ${size(version.memoryBytes)}, ${version.maxRuntimeSeconds} s, ` +
      `network ${version.network ? 'on' : 'off'}${version.gpuCount ? `, ${version.gpuCount} GPU` : ''}`,
  ]);
  const usage = engine.resourceUsage(execution.id);
  if (usage && usage.sampleCount > 0) {
    rows.push([
      'resources',
      `peak memory ${size(usage.peakMemoryBytes)}, average CPU ${usage.averageCpuPercent}% ` +
        `(${usage.sampleCount} samples)`,
    ]);
  }
  rows.push(['queued', time(execution.queuedAt)]);
  if (execution.startedAt) rows.push(['started', time(execution.startedAt)]);
  if (execution.endedAt)
    rows.push(['ended', `${time(execution.endedAt)} (${executionDuration(execution)})`]);
  rows.push([
    'artifacts',
    artifacts.length === 0
      ? 'none'
      : `${artifacts.length} file${artifacts.length === 1 ? '' : 's'}, ${size(bytes)} in ${executionDirs(engine.layout, execution.id).out}`,
  ]);
  const width = Math.max(...rows.map(([key]) => key.length));
  return [
    pc.bold(`execution #${execution.number}`) + pc.gray(` ${execution.id}`),
    ...rows.map(([key, value]) => `  ${key.padEnd(width)}  ${value}`),
  ].join('\n');
}

/** Makes sure some process runs the queue: a detached worker when no engine is alive. */
function ensureWorker(engine: Engine, command: Command, options = { evenIfAlive: false }): void {
  if (!options.evenIfAlive && engine.anyRunnerAlive()) return;
  const globals = command.optsWithGlobals<GlobalOptions>();
  const args = [
    process.argv[1]!,
    'worker',
    '--until-idle',
    '--data-dir',
    resolveDataDir(globals.dataDir),
  ];
  if (globals.dockerSocket) args.push('--docker-socket', globals.dockerSocket);
  // execArgv carries loader flags (tsx in development) to the worker as well.
  spawn(process.execPath, [...process.execArgv, ...args], {
    detached: true,
    stdio: 'ignore',
  }).unref();
}

export function registerExecutionCommands(program: Command): void {
  program
    .command('launch <template> <missions...>')
    .description('queue one execution of a template per mission')
    .option(
      '--version <n>',
      'run this version of the template (default: the latest)',
      wholeNumber(),
    )
    .option('-w, --wait', "run here, print the logs live and exit with the action's status")
    .option('--json', 'print the queued executions as JSON')
    .action(
      async (
        template: string,
        missions: string[],
        options: { version?: number; wait?: boolean; json?: boolean },
        command: Command,
      ) => {
        const engine = openEngine(command);
        try {
          // Every mission is checked before any is queued: a bad one refuses the whole request.
          for (const mission of missions) engine.missions.resolve(mission);
          const launched = missions.map((mission) =>
            engine.launch({ template, mission, version: options.version }),
          );
          if (options.json) printJson(launched);
          if (!options.wait) {
            ensureWorker(engine, command);
            if (!options.json) {
              for (const execution of launched) {
                console.log(
                  `#${execution.number} ${state(execution.state)}  ${execution.templateName} v${execution.templateVersion} on ${execution.projectName}/${execution.missionName}` +
                    (execution.stateCause ? `: ${execution.stateCause}` : ''),
                );
              }
              console.log(
                pc.gray(`follow with: kleinkram-actions logs ${launched[0]!.number} --follow`),
              );
            }
            return;
          }
          if (!engine.anyRunnerAlive()) engine.startRunner();
          // Ctrl-C once cancels what this command launched; twice leaves it running, handed to
          // a background worker.
          const detach = new AbortController();
          let interrupts = 0;
          const onInterrupt = () => {
            interrupts++;
            if (interrupts > 1) return detach.abort();
            console.error(pc.yellow('cancelling… (Ctrl-C again to leave it running instead)'));
            for (const execution of launched) {
              if (!isFinalState(engine.executions.get(execution.id).state))
                engine.cancel(execution.id);
            }
          };
          process.on('SIGINT', onInterrupt);
          let worst = 0;
          for (const execution of launched) {
            const ended = await followExecution(engine, execution.id, {
              showStates: true,
              signal: detach.signal,
            });
            if (ended === null) break;
            console.error(describeExecution(engine, ended));
            worst = Math.max(worst, exitStatusOf(ended));
          }
          process.off('SIGINT', onInterrupt);
          if (detach.signal.aborted) {
            ensureWorker(engine, command, { evenIfAlive: true });
            await engine.close({ drain: false });
            const numbers = launched.map((execution) => `#${execution.number}`).join(', ');
            console.error(
              `left running: ${numbers}; follow with kleinkram-actions logs N --follow`,
            );
            process.exit(130);
          }
          process.exitCode = worst;
        } finally {
          await engine.close();
        }
      },
    );

  const execution = program
    .command('execution')
    .description('executions: runs of a template version on a mission');
  execution
    .command('list')
    .description('list executions, newest first')
    .addOption(new Option('--state <state...>', 'only these states').choices([...EXECUTION_STATES]))
    .option('--template <template>', 'only of this template')
    .option('--mission <mission>', 'only on this mission')
    .option('--limit <n>', 'at most this many', wholeNumber(), 50)
    .option('--json', 'print JSON for scripts')
    .action(
      (
        options: {
          state?: ExecutionState[];
          template?: string;
          mission?: string;
          limit: number;
          json?: boolean;
        },
        command: Command,
      ) =>
        withEngine(command, (engine) => {
          const list = engine.executions.list({
            states: options.state,
            templateId: options.template
              ? engine.templates.resolveRow(options.template).id
              : undefined,
            missionId: options.mission ? engine.missions.resolve(options.mission).id : undefined,
            limit: options.limit,
          });
          if (options.json) return printJson(list);
          if (list.length === 0)
            return console.log('no executions: kleinkram-actions launch TEMPLATE MISSION');
          console.log(
            table(
              ['#', 'id', 'state', 'template', 'mission', 'started', 'duration', 'exit'],
              list.map((e) => [
                e.number,
                shortId(e.id),
                state(e.state),
                `${e.templateName} v${e.templateVersion}`,
                `${e.projectName}/${e.missionName}`,
                time(e.startedAt),
                executionDuration(e),
                e.exitCode ?? '-',
              ]),
            ),
          );
        }),
    );
  execution
    .command('show <execution>')
    .description('show one execution (by number, id or the start of its id)')
    .option('--json', 'print JSON for scripts')
    .action((ref: string, options: { json?: boolean }, command: Command) =>
      withEngine(command, (engine) => {
        const found = engine.executions.resolve(ref);
        if (options.json) {
          const artifacts = engine.artifacts.list(found.id);
          return printJson({ ...found, artifacts, resources: engine.resourceUsage(found.id) });
        }
        console.log(describeExecution(engine, found));
      }),
    );
  execution
    .command('cancel <execution>')
    .description('cancel a queued execution, or stop a running one')
    .action((ref: string, _options: unknown, command: Command) =>
      withEngine(command, (engine) => {
        const after = engine.cancel(ref);
        // Without a live engine nobody would stop the container: a worker adopts and stops it.
        if (after.state !== 'cancelled') ensureWorker(engine, command);
        console.log(
          `#${after.number} ${state(after.state)}` +
            (after.state === 'cancelled' ? '' : ': stopping'),
        );
      }),
    );

  program
    .command('logs <execution>')
    .description('print the log of an execution')
    .option('-f, --follow', 'keep printing new lines until the execution ends')
    .addOption(
      new Option('--stream <stream>', 'only stdout or stderr').choices(['stdout', 'stderr']),
    )
    .option('--search <text>', 'only lines containing this text')
    .option('--json', 'print JSON lines for scripts')
    .action(
      async (
        ref: string,
        options: {
          follow?: boolean;
          stream?: 'stdout' | 'stderr';
          search?: string;
          json?: boolean;
        },
        command: Command,
      ) =>
        withEngine(command, async (engine) => {
          const found = engine.executions.resolve(ref);
          if (options.follow && !options.json) {
            await followExecution(engine, found.id, {
              stream: options.stream,
              search: options.search,
            });
            return;
          }
          let afterSeq = 0;
          for (;;) {
            const lines = engine.logs.read(found.id, {
              afterSeq,
              limit: 5000,
              stream: options.stream,
              search: options.search,
            });
            for (const line of lines) {
              if (options.json) process.stdout.write(`${JSON.stringify(line)}\n`);
              else printLine(line);
            }
            if (lines.length < 5000) break;
            afterSeq = lines[lines.length - 1]!.seq;
          }
        }),
    );

  const artifact = program.command('artifact').description('the files an execution wrote to /out');
  artifact
    .command('list <execution>')
    .description('list the artifacts of an execution')
    .option('--json', 'print JSON for scripts')
    .action((ref: string, options: { json?: boolean }, command: Command) =>
      withEngine(command, (engine) => {
        const found = engine.executions.resolve(ref);
        const list = engine.artifacts.list(found.id);
        if (options.json) return printJson(list);
        if (list.length === 0) return console.log(`#${found.number} has no artifacts`);
        console.log(
          table(
            ['path', 'size', 'sha256', 'expires'],
            list.map((a) => [a.path, size(a.size), a.sha256, time(a.expiresAt)]),
          ),
        );
        console.log(pc.gray(`stored in ${executionDirs(engine.layout, found.id).out}`));
      }),
    );
  artifact
    .command('export <execution> [paths...]')
    .description('copy artifacts (all unless paths are given) into a folder')
    .requiredOption('--to <folder>', 'the folder to copy them into')
    .action((ref: string, paths: string[], options: { to: string }, command: Command) =>
      withEngine(command, async (engine) => {
        const found = engine.executions.resolve(ref);
        const exported = await engine.artifacts.export(
          found.id,
          // An empty --to is refused by the core, not taken for the current folder.
          options.to.trim() === '' ? '' : path.resolve(options.to),
          paths.length > 0 ? paths : undefined,
        );
        for (const item of exported)
          console.log(`${item.path} -> ${item.to} (${size(item.bytes)})`);
        if (exported.length === 0) {
          console.log(`execution #${found.number} has no artifacts: nothing was exported`);
        }
      }),
    );

  program
    .command('audit <execution>')
    .description('print the audit log: every file operation of an execution')
    .option('--json', 'print JSON for scripts')
    .action((ref: string, options: { json?: boolean }, command: Command) =>
      withEngine(command, (engine) => {
        const found = engine.executions.resolve(ref);
        const events = engine.audit.list(found.id);
        if (options.json) return printJson(events);
        console.log(
          table(
            ['time', 'operation', 'path', 'bytes', 'detail'],
            events.map((e) => [
              time(e.time),
              e.operation,
              e.path ?? '',
              e.bytes === null ? '' : size(e.bytes),
              e.detail ?? '',
            ]),
          ),
        );
      }),
    );
}
