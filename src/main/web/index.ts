// `npm run serve -- [--port N] [--host H] [--data-dir DIR] [--allow-remote]`: the engine behind a
// browser tab per context, for machines without Electron and for the e2e tests.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import envPaths from 'env-paths';
import { parseServeArgs, USAGE } from './serve-args';
import { serve } from './serve';

const here = path.dirname(fileURLToPath(import.meta.url));
const parsed = parseServeArgs(process.argv.slice(2), {
  env: process.env,
  // `npm run` moves to the package folder; INIT_CWD is where the user typed the command.
  cwd: process.env.INIT_CWD || process.cwd(),
  platformDataDir: envPaths('deskmate', { suffix: '' }).data,
  defaultStaticDir: path.resolve(here, '../../../out/renderer'),
});

if (parsed.kind === 'help') {
  process.stdout.write(`${USAGE}\n`);
} else if (parsed.kind === 'error') {
  process.stderr.write(`deskmate: ${parsed.message}\n${USAGE}\n`);
  process.exitCode = 1;
} else {
  try {
    const running = await serve(parsed.options, {
      env: process.env,
      stdout: process.stdout,
      stderr: process.stderr,
    });
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      // A second signal while closing quits at once.
      if (stopping) process.exit(130);
      stopping = true;
      process.stderr.write(`deskmate: ${signal}, shutting down\n`);
      running.close().then(
        () => process.exit(0),
        (error: unknown) => {
          process.stderr.write(`deskmate: shutdown failed: ${String(error)}\n`);
          process.exit(1);
        },
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  } catch (error) {
    process.stderr.write(`deskmate: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
