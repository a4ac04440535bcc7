// `npm run cli -- import [DIR]`: gptme's conversations into the data folder, asked of the engine
// through the router like the window's "Import from gptme…" (conversation.import), so both do the same.
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { EventName, EventPayload } from '../../shared/contract';
import type { ImportSummary } from '../../shared/import-summary';
import { printable } from '../../shared/printable';
import type { EnvironmentVariables } from '../engine/config/environment-layer';
import { createEngine } from '../engine/create-engine';
import { connectCliClient } from './cli-client';
import { prepareCliDataDir } from './cli-data-dir';

/** What the command needs of the process (run-cli's CliIo is one). */
export interface ImportIo {
  env: EnvironmentVariables;
  cwd: string;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** Aborted on Ctrl+C: the import stops between two conversations; what came in stays. */
  signal?: AbortSignal;
}

export const IMPORT_USAGE =
  "usage: npm run cli -- import [DIR] [--data-dir DIR]   (DIR: a folder of gptme conversations; default: gptme's log folder)";

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The summary as lines for a terminal: the three counts, then each folder that needs a word. */
export function formatImportSummary(summary: ImportSummary): string {
  const lines = [
    `Imported from ${printable(summary.source)}:`,
    `  imported:        ${summary.imported.length}`,
    `  already present: ${summary.alreadyPresent.length}`,
    `  unreadable:      ${summary.unreadable.length}`,
  ];
  const noted = summary.imported.filter((item) => item.notes.length > 0);
  if (noted.length > 0) lines.push('Notes:');
  for (const item of noted) lines.push(`  ${item.folder}: ${item.notes.join('; ')}`);
  if (summary.unreadable.length > 0) lines.push('Unreadable:');
  for (const item of summary.unreadable) lines.push(`  ${item.folder}: ${item.reason}`);
  return `${lines.join('\n')}\n`;
}

/** Runs one import. Returns the exit code: 0, or 1 with the reason on stderr (a missing folder included). */
export async function runImportCommand(argv: readonly string[], io: ImportIo): Promise<number> {
  const fail = (reason: string, usage = false) => {
    io.stderr.write(`deskmate: ${reason}\n${usage ? `${IMPORT_USAGE}\n` : ''}`);
    return 1;
  };
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        'data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: true,
    });
  } catch (error) {
    return fail(message(error), true);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(`${IMPORT_USAGE}\n`);
    return 0;
  }
  if (positionals.length > 1) return fail('give at most one folder to import from', true);
  // `npm run` moves to the package folder; INIT_CWD is where the user typed the command.
  const here = io.env.INIT_CWD || io.cwd;
  const source = positionals[0] === undefined ? undefined : path.resolve(here, positionals[0]);
  let dataDir: string;
  try {
    dataDir = prepareCliDataDir(io, values['data-dir']);
  } catch (error) {
    return fail(message(error));
  }
  const engine = createEngine({
    dataDir,
    env: io.env,
    warn: (warning) => io.stderr.write(`deskmate: ${warning}\n`),
  });
  const stop = () => engine.dispose();
  io.signal?.addEventListener('abort', stop, { once: true });
  try {
    const client = connectCliClient(
      engine,
      'cli',
      <E extends EventName>(name: E, payload: EventPayload<E>) => {
        if (name !== 'import.progress') return;
        const { done, total } = payload as EventPayload<'import.progress'>;
        io.stdout.write(`import: ${done} of ${total} conversations…\n`);
      },
    );
    const summary = await client.request('conversation.import', source ? { path: source } : {});
    io.stdout.write(formatImportSummary(summary));
    return 0;
  } catch (error) {
    if (io.signal?.aborted)
      return fail('import stopped; what came in stays, and importing again brings the rest');
    return fail(message(error));
  } finally {
    io.signal?.removeEventListener('abort', stop);
    engine.dispose();
  }
}
