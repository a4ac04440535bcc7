// `npm run cli -- ... "PROMPT"`: one turn from a terminal, on the same engine as the windows.
import { runCli } from './run-cli';

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
