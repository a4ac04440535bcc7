// What `npm run serve` does with the process it runs in: read the arguments, start the host, print
// why it could not, and shut down cleanly on SIGINT or SIGTERM. index.ts only hands it `process`,
// so every branch here runs in a test as well as in the real command.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultDataDir } from '../engine/data-dir';
import { parseServeArgs, USAGE, type ServeArgsContext } from './serve-args';
import { serve, type RunningServe, type ServeIo } from './serve';

/** The parts of `process` the command uses. */
export interface ServeProcess extends ServeIo {
  readonly argv: readonly string[];
  cwd(): string;
  on(signal: 'SIGINT' | 'SIGTERM', listener: (signal: NodeJS.Signals) => void): unknown;
  exit(code: number): void;
  exitCode?: number | string | null | undefined;
}

/**
 * The package folder: the nearest one above this file holding package.json. This file runs from
 * src/main/web under the tests and from out/main once built, so no fixed `../..` fits both.
 */
export function packageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (dir === path.dirname(dir)) return from;
  }
}

const here = path.dirname(fileURLToPath(import.meta.url));

/** Where relative paths, the data folder and the built renderer are found for this process. */
export function serveArgsContext(proc: Pick<ServeProcess, 'env' | 'cwd'>): ServeArgsContext {
  return {
    env: proc.env,
    // `npm run` moves to the package folder; INIT_CWD is where the user typed the command.
    cwd: proc.env.INIT_CWD || proc.cwd(),
    // The app's own folder (Electron's userData), so the app, the CLI and serve share conversations.
    platformDataDir: defaultDataDir(proc.env),
    defaultStaticDir: path.join(packageRoot(here), 'out', 'renderer'),
  };
}

/** Runs the command; the running host when it started, else undefined with `exitCode` set if it failed. */
export async function runServeCommand(proc: ServeProcess): Promise<RunningServe | undefined> {
  const parsed = parseServeArgs(proc.argv.slice(2), serveArgsContext(proc));
  if (parsed.kind === 'help') {
    proc.stdout.write(`${USAGE}\n`);
    return undefined;
  }
  if (parsed.kind === 'error') {
    proc.stderr.write(`deskmate: ${parsed.message}\n${USAGE}\n`);
    proc.exitCode = 1;
    return undefined;
  }
  let running: RunningServe;
  try {
    running = await serve(parsed.options, proc);
  } catch (error) {
    proc.stderr.write(`deskmate: ${error instanceof Error ? error.message : String(error)}\n`);
    proc.exitCode = 1;
    return undefined;
  }
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    // A second signal while closing quits at once.
    if (stopping) return proc.exit(130);
    stopping = true;
    proc.stderr.write(`deskmate: ${signal}, shutting down\n`);
    running.close().then(
      () => proc.exit(0),
      (error: unknown) => {
        proc.stderr.write(`deskmate: shutdown failed: ${String(error)}\n`);
        proc.exit(1);
      },
    );
  };
  proc.on('SIGINT', stop);
  proc.on('SIGTERM', stop);
  return running;
}
