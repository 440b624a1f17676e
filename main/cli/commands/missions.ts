// project and mission commands.
import type { Command } from 'commander';
import pc from 'picocolors';

import { printJson, withEngine } from '../context.js';
import { count, size, table, time } from '../format.js';
import type { RescanResult } from '../../core/missions.js';

function printScan(result: RescanResult): void {
  const { mission } = result;
  console.log(
    `${mission.projectName}/${mission.name}: ${count(mission.fileCount, 'file')}, ` +
      `${size(mission.totalBytes)} ` +
      `(${result.added} added, ${result.changed} changed, ${result.removed} removed)`,
  );
  for (const skipped of result.skipped) console.log(`  skipped ${skipped}`);
}

export function registerMissionCommands(program: Command): void {
  const project = program.command('project').description('projects group missions');
  project
    .command('add <name>')
    .description('create a project')
    .option('--description <text>', 'what the project is about', '')
    .action((name: string, options: { description: string }, command: Command) =>
      withEngine(command, (engine) => {
        const created = engine.projects.create(name, options.description);
        console.log(`project ${created.name} created`);
      }),
    );
  project
    .command('list')
    .description('list projects')
    .option('--json', 'print JSON for scripts')
    .action((options: { json?: boolean }, command: Command) =>
      withEngine(command, (engine) => {
        const projects = engine.projects.list();
        if (options.json) return printJson(projects);
        if (projects.length === 0)
          return console.log('no projects yet: kleinkram-actions project add NAME');
        console.log(
          table(
            ['name', 'created', 'description'],
            projects.map((p) => [p.name, time(p.createdAt), p.description]),
          ),
        );
      }),
    );

  const mission = program.command('mission').description('missions: folders of recorded data');
  mission
    .command('add <project> <folder>')
    .description('register a folder as a mission of a project (the project is made if new)')
    .option('--name <name>', 'the mission name (default: the folder name)')
    .action((projectName: string, folder: string, options: { name?: string }, command: Command) =>
      withEngine(command, async (engine) => {
        const result = await engine.missions.add(projectName, folder, options.name, {
          createProject: true,
        });
        printScan(result);
        for (const other of engine.missions.sameFolder(result.mission.id)) {
          console.log(pc.yellow(`note: ${other.projectName}/${other.name} is the same folder`));
        }
      }),
    );
  mission
    .command('list [project]')
    .description('list missions, of one project or all')
    .option('--json', 'print JSON for scripts')
    .action((projectName: string | undefined, options: { json?: boolean }, command: Command) =>
      withEngine(command, (engine) => {
        const missions = engine.missions.list(projectName);
        if (options.json) return printJson(missions);
        if (missions.length === 0) {
          return console.log('no missions yet: kleinkram-actions mission add PROJECT FOLDER');
        }
        console.log(
          table(
            ['mission', 'files', 'size', 'folder'],
            missions.map((m) => [
              `${m.projectName}/${m.name}`,
              m.fileCount,
              size(m.totalBytes),
              m.folder,
            ]),
          ),
        );
      }),
    );
  mission
    .command('files <mission>')
    .description('list the files of a mission')
    .option('--hash', 'compute missing sha256 hashes (cached by size and mtime)')
    .option('--json', 'print JSON for scripts')
    .action((ref: string, options: { hash?: boolean; json?: boolean }, command: Command) =>
      withEngine(command, async (engine) => {
        const found = engine.missions.resolve(ref);
        // Progress is for a person watching a terminal, not for a script reading the output.
        const showProgress = options.hash === true && process.stderr.isTTY && !options.json;
        const files = options.hash
          ? await engine.missions.hash(found.id, (done, total) => {
              if (showProgress) process.stderr.write(`\rhashing ${done}/${total}`);
            })
          : engine.missions.files(found.id);
        if (showProgress) process.stderr.write('\n');
        if (options.json) return printJson(files);
        console.log(
          table(
            ['path', 'kind', 'size', 'modified', ...(options.hash ? ['sha256'] : [])],
            files.map((f) => [
              f.path,
              f.kind,
              size(f.size),
              time(f.mtimeMs),
              ...(options.hash ? [f.sha256 ?? ''] : []),
            ]),
          ),
        );
      }),
    );
  mission
    .command('move <mission> <folder>')
    .description('point a mission at the folder its data was moved to')
    .action((ref: string, folder: string, _options: unknown, command: Command) =>
      withEngine(command, async (engine) => {
        printScan(await engine.missions.move(engine.missions.resolve(ref).id, folder));
      }),
    );
  mission
    .command('remove <mission>')
    .description('forget a mission that no action ran on (its folder is left as it is)')
    .action((ref: string, _options: unknown, command: Command) =>
      withEngine(command, (engine) => {
        const removed = engine.missions.remove(engine.missions.resolve(ref).id);
        console.log(
          `removed mission ${removed.projectName}/${removed.name}; ${removed.folder} is untouched`,
        );
      }),
    );
  mission
    .command('rescan <mission>')
    .description('scan the folder of a mission again')
    .action((ref: string, _options: unknown, command: Command) =>
      withEngine(command, async (engine) => {
        printScan(await engine.missions.rescan(engine.missions.resolve(ref).id));
      }),
    );
}
