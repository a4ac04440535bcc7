// `npm run serve -- [--port N] [--host H] [--data-dir DIR] [--allow-remote]`: the engine behind a
// browser tab per context, for machines without Electron and for the e2e tests.
import { runServeCommand } from './serve-command';

// conf's atomically (through when-exit) listens for these signals to clean its temp files, then
// raises the signal again on this process: the command would take that echo for a second signal and
// quit at once (130) before the shutdown ends, leaving the tabs' shells running. Its cleanup runs
// on 'exit' as well, which every way out of the command reaches.
process.removeAllListeners('SIGINT');
process.removeAllListeners('SIGTERM');

await runServeCommand(process);
