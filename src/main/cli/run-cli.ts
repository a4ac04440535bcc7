import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import envPaths from 'env-paths';
import { openConfBackend } from '../engine/config/conf-backend';
import type { EnvironmentVariables } from '../engine/config/environment-layer';
import { openUserSettings } from '../engine/config/open-settings';
import { FileSecretStore } from '../engine/config/secret-store';
import { ContextRegistry } from '../engine/context/context-registry';
import { createEngineServices } from '../engine/context/engine-services';
import { resolveDataDir } from '../engine/data-dir';
import { preparePrivateDataDir } from '../engine/private-data-dir';
import { createCliPrinter } from './cli-printer';
import { printable } from '../../shared/printable';
import { printTrust } from './print-trust';

export const USAGE =
  'usage: npm run cli -- [--data-dir DIR] [--workspace DIR] [--model ID] [--yes] [--trust] [--conversation ID] "PROMPT"';

export interface CliIo {
  env: EnvironmentVariables;
  cwd: string;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** Aborted on Ctrl+C: the turn is interrupted and what was said so far is kept. */
  signal?: AbortSignal;
}

/** Runs one turn to its end. Returns the exit code: 0, or 1 with the error on stderr. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        'data-dir': { type: 'string' },
        workspace: { type: 'string' },
        model: { type: 'string' },
        conversation: { type: 'string' },
        yes: { type: 'boolean', short: 'y', default: false },
        trust: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: true,
    });
  } catch (error) {
    io.stderr.write(`deskmate: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 1;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const prompt = positionals.join(' ').trim();
  if (!prompt) {
    io.stderr.write(`deskmate: no prompt given\n${USAGE}\n`);
    return 1;
  }

  // `npm run` moves to the package folder; INIT_CWD is where the user typed the command.
  const here = io.env.INIT_CWD || io.cwd;
  const dataDir = resolveDataDir(
    values['data-dir']
      ? { dataDir: path.resolve(here, values['data-dir']), positionals: [] }
      : { positionals: [] },
    io.env,
    envPaths('deskmate', { suffix: '' }).data,
  );
  try {
    preparePrivateDataDir(dataDir, (message) => io.stderr.write(`deskmate: warning: ${message}\n`));
  } catch (error) {
    io.stderr.write(`deskmate: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  const settings = openUserSettings(dataDir, openConfBackend, new FileSecretStore(dataDir));
  const registry = new ContextRegistry(createEngineServices({ dataDir, env: io.env, settings }));
  const printer = createCliPrinter(io, { approve: values.yes });
  const context = registry.create('cli', printer.sink);
  printer.attach(context);
  try {
    const workspace = path.resolve(here, values.workspace ?? '.');
    await context.openWorkspace(workspace);
    // --trust covers the folder given, as it is now; not a folder a conversation moves to.
    if (values.trust) context.trustForThisRun();
    if (values.conversation) {
      await context.chat.open(values.conversation);
      if (context.workspace !== (await realpath(workspace)))
        io.stderr.write(`deskmate: conversation ${values.conversation} works in ${context.workspace}\n`);
    }
    // Said for the folder the turn runs in, after everything that could change it.
    for (const problem of context.config.warnings) {
      io.stderr.write(
        `deskmate: warning: ${printable(`${problem.path ? `${problem.path}: ` : ''}${problem.message}`)}\n`,
      );
    }
    printTrust(context.trust, io.stderr);
    if (values.model) context.setChatConfig({ model: values.model });
    const { done } = await context.chat.send(prompt);
    const interrupt = () => context.chat.interrupt();
    io.signal?.addEventListener('abort', interrupt, { once: true });
    await done;
    io.signal?.removeEventListener('abort', interrupt);
    io.stderr.write(`deskmate: conversation ${context.chat.conversationId}\n`);
    return printer.failed ? 1 : 0;
  } catch (error) {
    io.stderr.write(`deskmate: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    registry.dispose();
  }
}
