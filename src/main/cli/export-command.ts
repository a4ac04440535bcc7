// `npm run cli -- export ID --format md|html|jsonl [--out FILE]`: a conversation as a file, asked of
// the engine through the router like a window's Export (conversation.export), so both give the same.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { EXPORT_FORMATS, isExportFormat } from '../../shared/export-format';
import { createEngine } from '../engine/create-engine';
import { PRIVATE_FILE_MODE } from '../engine/private-data-dir';
import { prepareCliDataDir } from './cli-data-dir';
import { connectCliClient } from './cli-client';
import type { EnvironmentVariables } from '../engine/config/environment-layer';

/** What the command needs of the process (run-cli's CliIo is one). */
export interface ExportIo {
  env: EnvironmentVariables;
  cwd: string;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export const EXPORT_USAGE = `usage: npm run cli -- export ID --format ${EXPORT_FORMATS.join('|')} [--out FILE] [--data-dir DIR]`;

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Exports one conversation to stdout, or to `--out`. Returns the exit code: 0, or 1 with the reason on stderr. */
export async function runExportCommand(argv: readonly string[], io: ExportIo): Promise<number> {
  const fail = (reason: string, usage = false) => {
    io.stderr.write(`deskmate: ${reason}\n${usage ? `${EXPORT_USAGE}\n` : ''}`);
    return 1;
  };
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        format: { type: 'string', short: 'f' },
        out: { type: 'string', short: 'o' },
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
    io.stdout.write(`${EXPORT_USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) return fail('give the id of one conversation', true);
  const format = values.format;
  if (!isExportFormat(format)) return fail(`--format must be one of ${EXPORT_FORMATS.join(', ')}`, true);

  // `npm run` moves to the package folder; INIT_CWD is where the user typed the command.
  const here = io.env.INIT_CWD || io.cwd;
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
  try {
    // A client like any window: it sees no event worth printing while it exports.
    const client = connectCliClient(engine, 'cli', () => {});
    const { text } = await client.request('conversation.export', { id: positionals[0]!, format });
    if (values.out === undefined) {
      io.stdout.write(text);
      return 0;
    }
    const out = path.resolve(here, values.out);
    // A conversation is private: a new file is the user's alone, as the data folder's files are.
    await writeFile(out, text, { mode: PRIVATE_FILE_MODE });
    io.stderr.write(`deskmate: exported to ${out}\n`);
    return 0;
  } catch (error) {
    return fail(message(error));
  } finally {
    engine.dispose();
  }
}
