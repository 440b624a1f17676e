// kleinkram-actions: the command line of Kleinkram Actions Desktop. It drives the same engine
// as the desktop app, for scripts and headless machines.
import { Command, CommanderError } from 'commander';
import pc from 'picocolors';

import { isAppError } from '../core/errors.js';
import { DATA_DIR_ENV } from '../core/paths.js';
import { EXIT_CODE_TABLE } from '../shared/exit-codes.js';
import { registerExecutionCommands } from './commands/executions.js';
import { registerMissionCommands } from './commands/missions.js';
import { registerServeCommand } from './commands/serve.js';
import { registerSystemCommands } from './commands/system.js';
import { registerTemplateCommands } from './commands/templates.js';

export function buildProgram(): Command {
  const program = new Command('kleinkram-actions')
    .description('Run containerised Kleinkram actions on local missions, offline.')
    .option('--data-dir <folder>', `where the store and artifacts live (or set ${DATA_DIR_ENV})`)
    .option(
      '--docker-socket <path>',
      'the Docker engine socket (default: DOCKER_HOST or the usual one)',
    )
    .showHelpAfterError()
    .addHelpText(
      'after',
      `\nExit codes of actions:\n${EXIT_CODE_TABLE.map(([code, meaning]) => `  ${String(code).padEnd(4)} ${meaning}`).join('\n')}`,
    );
  registerMissionCommands(program);
  registerTemplateCommands(program);
  registerExecutionCommands(program);
  registerSystemCommands(program);
  registerServeCommand(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  program.exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    if (isAppError(error)) {
      console.error(pc.red(`error: ${error.message}`));
      if (error.hint) console.error(`what to do: ${error.hint}`);
      process.exitCode = error.code === 'invalid_input' ? 2 : 1;
      return;
    }
    console.error(pc.red(`error: ${(error as Error).stack ?? String(error)}`));
    process.exitCode = 1;
  }
}
