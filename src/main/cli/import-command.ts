// `npm run cli -- import [DIR]`: gptme's conversations into the data folder, asked of the engine
// through the router like the window's "Import from gptme…" (conversation.import), so both do the same.
import path from 'node:path';
import type { EventName, EventPayload } from '../../shared/contract';
import type { ImportSummary } from '../../shared/import-summary';
import { printable } from '../../shared/printable';
import { connectCliClient } from './cli-client';
import { subcommand, type SubcommandIo } from './cli-subcommand';

/** What the command needs of the process (run-cli's CliIo is one). */
export interface ImportIo extends SubcommandIo {
  /** Aborted on Ctrl+C: the import stops between two conversations; what came in stays. */
  signal?: AbortSignal;
}

export const IMPORT_USAGE =
  "usage: npm run cli -- import [DIR] [--data-dir DIR]   (DIR: a folder of gptme conversations; default: gptme's log folder)";

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
  const command = subcommand(io, IMPORT_USAGE);
  const { fail } = command;
  const parsed = command.parse(argv, {});
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (positionals.length > 1) return fail('give at most one folder to import from', true);
  const source = positionals[0] === undefined ? undefined : path.resolve(command.here, positionals[0]);
  return command.withEngine(values['data-dir'], async (engine) => {
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
      throw error;
    } finally {
      io.signal?.removeEventListener('abort', stop);
    }
  });
}
