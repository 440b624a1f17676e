// Commands about the machine rather than one execution: images, retention, the worker, status,
// and the demo.
import fs from 'node:fs';
import path from 'node:path';

import type { Command } from 'commander';
import pc from 'picocolors';

import { pingDocker } from '../../core/docker/client.js';
import type { Engine } from '../../core/engine.js';
import { AppError } from '../../core/errors.js';
import { executionDirs } from '../../core/paths.js';
import { exampleTemplates } from '../../core/resources.js';
import { author, openEngine, printJson, wholeNumber, withEngine } from '../context.js';
import { followExecution } from '../follow.js';
import { count, size } from '../format.js';
import { describeExecution, exitStatusOf } from './executions.js';

export function registerSystemCommands(program: Command): void {
  const image = program.command('image').description('Docker images for actions');
  image
    .command('load <tar>')
    .description('load images from a `docker save` archive (for machines without a registry)')
    .action((tar: string, _options: unknown, command: Command) =>
      withEngine(command, async (engine) => {
        await pingDocker(engine.docker);
        const names = await engine.loadImage(tar);
        console.log(names.length > 0 ? `loaded ${names.join(', ')}` : `loaded ${tar}`);
      }),
    );

  const retention = program.command('retention').description('artifact retention');
  retention
    .command('sweep')
    .description('delete artifacts whose retention has expired')
    .action((_options: unknown, command: Command) =>
      withEngine(command, async (engine) => {
        const result = await engine.sweepArtifacts();
        console.log(`deleted ${result.deleted} expired artifacts (${size(result.bytes)})`);
      }),
    );

  program
    .command('worker')
    .description('run the queue in the foreground (the desktop app does this itself)')
    .option('--until-idle', 'exit once the queue is empty and nothing runs')
    .option('--max-concurrent <n>', 'run at most this many executions at once', wholeNumber())
    .action(async (options: { untilIdle?: boolean; maxConcurrent?: number }, command: Command) => {
      const engine = openEngine(
        command,
        options.maxConcurrent === undefined ? {} : { maxConcurrent: options.maxConcurrent },
      );
      engine.startRunner();
      const stop = () => void engine.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      if (options.untilIdle) {
        await engine.waitIdle();
        await engine.close();
        return;
      }
      await new Promise(() => undefined);
    });

  program
    .command('status')
    .description('is Docker reachable, what is queued and running')
    .option('--json', 'print JSON for scripts')
    .action((options: { json?: boolean }, command: Command) =>
      withEngine(command, async (engine) => {
        let docker: string | null = null;
        try {
          await pingDocker(engine.docker);
        } catch (error) {
          docker = (error as Error).message;
        }
        const counts = engine.executions.counts();
        const status = {
          dataDir: engine.layout.root,
          docker: docker ?? 'reachable',
          runnerAlive: engine.anyRunnerAlive(),
          executions: counts,
        };
        if (options.json) return printJson(status);
        console.log(`data      ${status.dataDir}`);
        console.log(`docker    ${docker ? pc.red(docker) : pc.green('reachable')}`);
        console.log(
          `runner    ${status.runnerAlive ? 'running' : 'not running (launch starts one)'}`,
        );
        console.log(
          `executions ${
            Object.entries(counts)
              .map(([k, v]) => `${k} ${v}`)
              .join(', ') || 'none'
          }`,
        );
      }),
    );

  program
    .command('demo [folder]')
    .description('register a mission folder, run the bag summary on it and show the result')
    .option('--project <name>', 'the project to register the mission in', 'demo')
    .action(async (folder: string | undefined, options: { project: string }, command: Command) => {
      const engine = openEngine(command);
      try {
        process.exitCode = await runDemo(engine, folder ?? defaultDemoFolder(), options.project);
      } finally {
        await engine.close();
      }
    });
}

function defaultDemoFolder(): string {
  return path.resolve('../shared/fixtures/missions/lab-run-01');
}

async function runDemo(engine: Engine, folder: string, projectName: string): Promise<number> {
  const absolute = path.resolve(folder);
  if (!fs.existsSync(absolute)) {
    throw new AppError(
      'not_found',
      `no folder ${absolute}: give a folder of bags, e.g. npm run demo -- ~/bags`,
    );
  }
  await pingDocker(engine.docker);
  for (const example of exampleTemplates()) {
    const input = engine.templates.parseYaml(fs.readFileSync(example.file, 'utf8'));
    const result = engine.templates.importInput(input, author());
    console.log(
      pc.gray(`template ${result.version.name} v${result.version.version} (${result.outcome})`),
    );
  }
  if (!engine.projects.find(projectName)) engine.projects.create(projectName);
  let mission = engine.missions.list(projectName).find((m) => m.folder === absolute);
  if (mission) {
    mission = (await engine.missions.rescan(mission.id)).mission;
  } else {
    const taken = new Set(engine.missions.list(projectName).map((m) => m.name));
    const base =
      path
        .basename(absolute)
        .replace(/[^A-Za-z0-9._-]/g, '-')
        .replace(/^[^A-Za-z0-9]+/, '') || 'mission';
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
    mission = (await engine.missions.add(projectName, absolute, name)).mission;
  }
  console.log(
    pc.gray(
      `mission ${mission.projectName}/${mission.name}: ${count(mission.fileCount, 'file')}, ` +
        `${size(mission.totalBytes)} in ${mission.folder}`,
    ),
  );

  const execution = engine.launch({ template: 'bag-summary', mission: mission.id });
  if (!engine.anyRunnerAlive()) engine.startRunner();
  // Without a signal the follow ends only with the execution.
  const ended = (await followExecution(engine, execution.id, { showStates: true }))!;
  console.log('');
  console.log(describeExecution(engine, ended));
  const summary = path.join(executionDirs(engine.layout, ended.id).out, 'summary.json');
  if (ended.state === 'succeeded' && fs.existsSync(summary)) {
    console.log('');
    console.log(pc.bold(`summary.json`) + pc.gray(` (${summary})`));
    printSummary(JSON.parse(fs.readFileSync(summary, 'utf8')) as unknown);
  }
  return exitStatusOf(ended);
}

function printSummary(summary: unknown): void {
  const bags = (summary as { bags?: Array<Record<string, unknown>> }).bags ?? [];
  for (const bag of bags) {
    if (bag.status === 'ok') {
      const topics = bag.topics as Record<string, unknown> | unknown[] | undefined;
      const topicCount = Array.isArray(topics) ? topics.length : Object.keys(topics ?? {}).length;
      console.log(
        `  ${pc.green('ok')}       ${bag.path}: ${bag.message_count ?? bag.messages} messages on ${topicCount} topics, ${Number(bag.duration).toFixed(2)} s`,
      );
    } else {
      console.log(`  ${pc.red('damaged')}  ${bag.path}: ${bag.error}`);
    }
  }
}
