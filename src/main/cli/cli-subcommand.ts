// What `npm run cli -- export` and `-- import` share: arguments with --data-dir and --help, one way
// to fail (the reason, then the usage when the arguments were wrong), and an engine over the data
// folder that is disposed whatever happens.
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import type { EnvironmentVariables } from '../engine/config/environment-layer';
import { createEngine, type Engine } from '../engine/create-engine';
import { prepareCliDataDir } from './cli-data-dir';

/** What a subcommand needs of the process (run-cli's CliIo is one). */
export interface SubcommandIo {
  env: EnvironmentVariables;
  cwd: string;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

const COMMON_OPTIONS = {
  'data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsOptionsConfig;

export function subcommand(io: SubcommandIo, usage: string) {
  /** Writes the reason (and the usage, for wrong arguments); the exit code is 1. */
  const fail = (reason: string, withUsage = false): number => {
    io.stderr.write(`deskmate: ${reason}\n${withUsage ? `${usage}\n` : ''}`);
    return 1;
  };
  return {
    fail,
    /** Where the user typed the command: `npm run` moves to the package folder, INIT_CWD says where from. */
    here: io.env.INIT_CWD || io.cwd,
    /** The arguments, or the exit code when they were wrong or --help was asked (usage printed). */
    parse<O extends ParseArgsOptionsConfig>(argv: readonly string[], options: O) {
      try {
        const parsed = parseArgs({
          args: [...argv],
          options: { ...options, ...COMMON_OPTIONS },
          allowPositionals: true,
        });
        if ((parsed.values as { help?: boolean }).help) {
          io.stdout.write(`${usage}\n`);
          return 0;
        }
        return parsed;
      } catch (error) {
        return fail(errorMessage(error), true);
      }
    },
    /** Runs `body` on an engine over the data folder (`--data-dir` or the app's); an error fails the command. */
    async withEngine(
      dataDirFlag: string | undefined,
      body: (engine: Engine) => Promise<number>,
    ): Promise<number> {
      let dataDir: string;
      try {
        dataDir = prepareCliDataDir(io, dataDirFlag);
      } catch (error) {
        return fail(errorMessage(error));
      }
      const engine = createEngine({
        dataDir,
        env: io.env,
        warn: (warning) => io.stderr.write(`deskmate: ${warning}\n`),
      });
      try {
        return await body(engine);
      } catch (error) {
        return fail(errorMessage(error));
      } finally {
        engine.dispose();
      }
    },
  };
}
