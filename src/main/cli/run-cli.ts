import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { EnvironmentVariables } from '../engine/config/environment-layer';
import { createEngine } from '../engine/create-engine';
import { prepareCliDataDir } from './cli-data-dir';
import { connectCliClient } from './cli-client';
import { createCliPrinter } from './cli-printer';
import { printable } from '../../shared/printable';
import { printTrust } from './print-trust';
import { EXPORT_USAGE, runExportCommand } from './export-command';
import { IMPORT_USAGE, runImportCommand } from './import-command';

const USAGE =
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
  // A subcommand is the first word on its own; a prompt that starts with the same word is quoted whole.
  if (argv[0] === 'export') return runExportCommand(argv.slice(1), io);
  if (argv[0] === 'import') return runImportCommand(argv.slice(1), io);
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
    io.stdout.write(`${USAGE}\n${EXPORT_USAGE}\n${IMPORT_USAGE}\n`);
    return 0;
  }
  const prompt = positionals.join(' ').trim();
  if (!prompt) {
    io.stderr.write(`deskmate: no prompt given\n${USAGE}\n`);
    return 1;
  }

  // `npm run` moves to the package folder; INIT_CWD is where the user typed the command.
  const here = io.env.INIT_CWD || io.cwd;
  let dataDir: string;
  try {
    dataDir = prepareCliDataDir(io, values['data-dir']);
  } catch (error) {
    io.stderr.write(`deskmate: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  const engine = createEngine({
    dataDir,
    env: io.env,
    warn: (message) => io.stderr.write(`deskmate: ${message}\n`),
  });
  // Also for the requests an event or Ctrl+C sends, which no one awaits: a failure is said, never dropped.
  const report = (error: unknown) =>
    io.stderr.write(`deskmate: ${error instanceof Error ? error.message : String(error)}\n`);
  const printer = createCliPrinter(io, {
    approve: values.yes,
    respond: (callId, response) => void client.request('tool.respond', { callId, response }).catch(report),
  });
  // The CLI is a client of the engine like any window: its own context, every step a request.
  const client = connectCliClient(engine, 'cli', printer.sink);
  try {
    const workspace = path.resolve(here, values.workspace ?? '.');
    await client.request('workspace.open', { path: workspace });
    // --trust covers the folder given, as it is now; not a folder a conversation moves to.
    if (values.trust) client.context.trustForThisRun();
    if (values.conversation) {
      await client.request('conversation.open', { id: values.conversation });
      const { workspace: now } = await client.request('config.get', {});
      if (now !== (await realpath(workspace)))
        io.stderr.write(`deskmate: conversation ${values.conversation} works in ${now}\n`);
    }
    // Said for the folder the turn runs in, after everything that could change it.
    const state = await client.request('window.state', {});
    for (const problem of (await client.request('config.get', {})).warnings) {
      io.stderr.write(
        `deskmate: warning: ${printable(`${problem.path ? `${problem.path}: ` : ''}${problem.message}`)}\n`,
      );
    }
    printTrust(state.workspace.trust, io.stderr);
    if (values.model) await client.request('config.set', { scope: 'chat', values: { model: values.model } });
    const { turnId } = await client.request('chat.send', { text: prompt });
    const interrupt = () => void client.request('chat.interrupt', {}).catch(report);
    io.signal?.addEventListener('abort', interrupt, { once: true });
    const conversationId = await client.turnEnded(turnId);
    io.signal?.removeEventListener('abort', interrupt);
    io.stderr.write(`deskmate: conversation ${conversationId}\n`);
    return printer.failed ? 1 : 0;
  } catch (error) {
    report(error);
    return 1;
  } finally {
    engine.dispose();
  }
}
