import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'smol-toml';
import { isNamedError } from '../../../../shared/errors';
import { printable } from '../../../../shared/printable';
import { holdFolder } from '../../base/fs/held-folder';
import { readRegularFile } from '../../base/fs/regular-file';
import { gptmeWorkspaceOf } from '../gptme-chat-config';
import { parseMessageLog } from '../message-log';

/** A log this large is no chat a window could show; it is left where it is, said so. */
export const MAX_LOG_BYTES = 64 * 1024 * 1024;
/** As gptme-chat-config reads it: a chat's config.toml is a few lines. */
export const MAX_CONFIG_BYTES = 64 * 1024;

/** The files of one gptme conversation folder Deskmate reads, as bytes, and what to say about them. */
export interface SourceConversation {
  log: Buffer;
  /** Absent when the folder has none, or one that could not be taken (a note says why). */
  config?: Buffer;
  /** The log's modification time: the imported copy keeps it, so the list keeps gptme's order. */
  modified: Date;
  notes: string[];
}

export type SourceRead = { ok: true; conversation: SourceConversation } | { ok: false; reason: string };

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Reads `<root>/<name>/conversation.jsonl` and its `config.toml` from a folder that may be a
 * stranger's: the conversation folder is held open without following a symlink (so nothing
 * swapped in meanwhile redirects the reads), each file is read only when it is a regular file
 * (a symlink to `~/.ssh/id_rsa` is refused, a FIFO is never waited on) and under a size limit.
 * Never throws for what is in the folder: an unusable one comes back with the reason. An abort
 * rejects with the signal's reason.
 */
export async function readSourceConversation(
  root: string,
  name: string,
  signal?: AbortSignal,
): Promise<SourceRead> {
  let held;
  try {
    held = await holdFolder(root, path.join(root, name), { create: false, label: 'the folder' });
  } catch (error) {
    return { ok: false, reason: `cannot be opened: ${message(error)}` };
  }
  try {
    let stats: Stats | undefined;
    let log: Buffer;
    try {
      log = await readRegularFile(held.entry('conversation.jsonl'), {
        maxBytes: MAX_LOG_BYTES,
        noFollow: true,
        label: 'conversation.jsonl',
        ...(signal ? { signal } : {}),
        check: (opened) => {
          stats = opened;
        },
      });
    } catch (error) {
      signal?.throwIfAborted();
      if (isNamedError(error, 'NotFound')) return { ok: false, reason: 'has no conversation.jsonl' };
      return { ok: false, reason: message(error) };
    }
    // A line without a time gets the file's, as when the store reads it (and as gptme does).
    const parsed = parseMessageLog(log.toString('utf8'), stats!.mtime.toISOString());
    if (parsed.messages.length === 0) {
      return {
        ok: false,
        reason:
          log.length === 0 ? 'conversation.jsonl is empty' : 'no line of conversation.jsonl is a message',
      };
    }
    const notes: string[] = [];
    const broken = parsed.skippedLines + (parsed.truncatedTail ? 1 : 0);
    if (broken > 0)
      notes.push(
        broken === 1
          ? '1 line cannot be read: kept as it is, and the window says so'
          : `${broken} lines cannot be read: kept as they are, and the window says so`,
      );
    const config = await readConfig(held.entry('config.toml'), notes);
    return {
      ok: true,
      conversation: { log, ...(config ? { config } : {}), modified: stats!.mtime, notes },
    };
  } finally {
    await held.close();
  }
}

// No signal: 64 KiB is read at once; the import looks at its signal before the next folder.
async function readConfig(file: string, notes: string[]): Promise<Buffer | undefined> {
  let config: Buffer;
  try {
    config = await readRegularFile(file, {
      maxBytes: MAX_CONFIG_BYTES,
      noFollow: true,
      label: 'config.toml',
    });
  } catch (error) {
    if (!isNamedError(error, 'NotFound')) notes.push(`config.toml left out: ${message(error)}`);
    return undefined;
  }
  const problem = await workspaceProblem(config);
  if (problem) notes.push(problem);
  return config;
}

/** What is wrong with the workspace config.toml records, if anything: it opens without it then. */
async function workspaceProblem(config: Buffer): Promise<string | undefined> {
  let recorded: unknown;
  try {
    recorded = (parse(config.toString('utf8')).chat as Record<string, unknown> | undefined)?.workspace;
  } catch {
    return 'config.toml cannot be read: the name, model and workspace in it are not used';
  }
  if (recorded === undefined) return undefined;
  const shown = printable(String(recorded)).slice(0, 300);
  const folder = gptmeWorkspaceOf(recorded);
  if (folder === undefined) return `its workspace ${shown} is not an absolute path: it opens without one`;
  if (!(await stat(folder).catch(() => undefined))?.isDirectory())
    return `its workspace ${shown} is not a folder here: it opens without one`;
  return undefined;
}
