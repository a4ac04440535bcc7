// `npm run cli -- ... "PROMPT"`: one turn from a terminal, on the same engine as the windows.
import { runCli } from './run-cli';

// conf's atomically (through when-exit) listens for Ctrl+C to clean its temp files, then raises it
// again on this process: the handler below would take that echo for a second Ctrl+C and quit at
// once, losing the turn. Its cleanup runs on 'exit' as well, which every way out of here reaches.
process.removeAllListeners('SIGINT');

// The first Ctrl+C stops the turn and keeps what was said; a second one quits at once.
const interrupted = new AbortController();
process.on('SIGINT', () => {
  if (interrupted.signal.aborted) process.exit(130);
  interrupted.abort();
});

process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
  signal: interrupted.signal,
});
