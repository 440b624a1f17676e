// Runs the CLI from its TypeScript sources, so tests need no build step.
import { main } from '../../main/cli/index.js';

await main(process.argv);
