// `npm run cli -- export ID --format md|html|jsonl [--out FILE]`: a conversation as a file, asked of
// the engine through the router like a window's Export (conversation.export), so both give the same.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EXPORT_FORMATS, isExportFormat } from '../../shared/export-format';
import { PRIVATE_FILE_MODE } from '../engine/private-data-dir';
import { connectCliClient } from './cli-client';
import { subcommand, type SubcommandIo } from './cli-subcommand';

/** What the command needs of the process (run-cli's CliIo is one). */
export type ExportIo = SubcommandIo;

export const EXPORT_USAGE = `usage: npm run cli -- export ID --format ${EXPORT_FORMATS.join('|')} [--out FILE] [--data-dir DIR]`;

/** Exports one conversation to stdout, or to `--out`. Returns the exit code: 0, or 1 with the reason on stderr. */
export async function runExportCommand(argv: readonly string[], io: ExportIo): Promise<number> {
  const command = subcommand(io, EXPORT_USAGE);
  const { fail } = command;
  const parsed = command.parse(argv, {
    format: { type: 'string', short: 'f' },
    out: { type: 'string', short: 'o' },
  });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (positionals.length !== 1) return fail('give the id of one conversation', true);
  const format = values.format;
  if (!isExportFormat(format)) return fail(`--format must be one of ${EXPORT_FORMATS.join(', ')}`, true);

  return command.withEngine(values['data-dir'], async (engine) => {
    // A client like any window: it sees no event worth printing while it exports.
    const client = connectCliClient(engine, 'cli', () => {});
    const { text } = await client.request('conversation.export', { id: positionals[0]!, format });
    if (values.out === undefined) {
      io.stdout.write(text);
      return 0;
    }
    const out = path.resolve(command.here, values.out);
    // A conversation is private: a new file is the user's alone, as the data folder's files are.
    await writeFile(out, text, { mode: PRIVATE_FILE_MODE });
    io.stderr.write(`deskmate: exported to ${out}\n`);
    return 0;
  });
}
