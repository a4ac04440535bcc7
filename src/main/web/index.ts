// `npm run serve -- [--port N] [--host H] [--data-dir DIR] [--allow-remote]`: the engine behind a
// browser tab per context, for machines without Electron and for the e2e tests.
import { runServeCommand } from './serve-command';

await runServeCommand(process);
