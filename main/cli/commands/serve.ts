// serve: the app in a browser, for headless lab machines. The same UI and the same handler
// table as the desktop window, over HTTP and a WebSocket, with the queue run in this process.
import { InvalidArgumentError, type Command } from 'commander';
import pc from 'picocolors';

import { isLoopbackHost } from '../../server/access.js';
import {
  rendererBuilt,
  defaultRendererDir,
  RENDERER_MISSING,
} from '../../server/renderer-files.js';
import { DEFAULT_HOST, DEFAULT_PORT, startServer } from '../../server/server.js';
import { openEngine } from '../context.js';

function port(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0 || number > 65535) {
    throw new InvalidArgumentError('give a port from 0 to 65535 (0 picks a free one)');
  }
  return number;
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the app to a browser (headless machines); runs the queue meanwhile')
    .option('--port <n>', 'the port to listen on (0 picks a free one)', port, DEFAULT_PORT)
    .option('--host <address>', 'the address to listen on (other machines: 0.0.0.0)', DEFAULT_HOST)
    .action(async (options: { port: number; host: string }, command: Command) => {
      const engine = openEngine(command);
      let server;
      try {
        server = await startServer({ engine, port: options.port, host: options.host });
      } catch (error) {
        await engine.close();
        throw error;
      }
      engine.startRunner();

      const rendererDir = defaultRendererDir();
      if (!rendererBuilt(rendererDir)) console.error(pc.yellow(RENDERER_MISSING));
      if (!isLoopbackHost(options.host)) {
        console.error(
          pc.yellow(
            `listening on ${options.host}: other machines can reach this server, and anyone ` +
              'with the address below can run containers here',
          ),
        );
      }
      console.log(`Kleinkram Actions is served at\n\n  ${pc.bold(server.url)}\n`);
      console.log(pc.gray('open it in a browser; the token in it is the key. Ctrl+C stops.'));

      const running = server;
      let stopping = false;
      const stop = () => {
        if (stopping) {
          // A second Ctrl+C leaves running containers be; the next start picks them up.
          process.exit(130);
        }
        stopping = true;
        const { running: active } = engine.runnerStatus();
        if (active > 0) {
          console.error(
            `waiting for ${active} running execution${active === 1 ? '' : 's'} to end ` +
              '(Ctrl+C again to leave them running)',
          );
        }
        void running
          .close()
          .then(() => engine.close())
          .then(() => process.exit(0));
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      await new Promise(() => undefined);
    });
}
