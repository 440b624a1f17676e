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
    // Before the commands are added: they inherit it, so their usage mistakes reach main().
    .exitOverride()
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
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Usage mistakes are bad input, like a refused request; help and version are not.
      const usage = error.exitCode !== 0 && !error.code.startsWith('commander.help');
      process.exitCode = usage ? 2 : error.exitCode;
      return;
    }
    if (isAppError(error)) {
      console.error(pc.red(`error: ${error.message}`));
      if (error.hint) console.error(`what to do: ${error.hint}`);
      process.exitCode = error.code === 'invalid_input' ? 2 : 1;
      return;
    }
    // A system error (a path that is not there, no permission) is a message for a person;
    // anything else is a bug, and its stack helps whoever reports it.
    const code = (error as NodeJS.ErrnoException | null)?.code;
    const system = typeof code === 'string' && /^E[A-Z]+$/.test(code);
    const text =
      system || process.env.KLEINKRAM_DEBUG !== '1'
        ? (error as Error).message
        : (error as Error).stack;
    console.error(pc.red(`error: ${text ?? String(error)}`));
    process.exitCode = 1;
  }
}
