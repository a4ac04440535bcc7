import { open, readFile } from 'node:fs/promises';
import type { Message, Role } from '../../../shared/domain';
import { PRIVATE_FILE_MODE } from '../private-data-dir';
import { hasErrorCode } from '../base/fs/fs-errors';

const ROLES: readonly Role[] = Object.freeze(['system', 'user', 'assistant', 'tool']);

export interface ParsedLog {
  messages: Message[];
  /** Lines before the last that could not be read as a message: data lost, to be reported. */
  skippedLines: number;
  /** The last line could not be read: the message being written when the process died. */
  truncatedTail: boolean;
}

export function isMessage(value: unknown): value is Message {
  // Only null and undefined have no properties to read: a primitive or a list has no string id
  // either, and the checks below refuse it.
  if (value === null || value === undefined) return false;
  const m = value as Record<string, unknown>;
  return (
    typeof m.id === 'string' &&
    typeof m.content === 'string' &&
    typeof m.timestamp === 'string' &&
    ROLES.includes(m.role as Role)
  );
}

function parseLine(line: string): Message | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return isMessage(value) ? value : undefined;
    // Stryker disable next-line BlockStatement: an empty catch returns undefined just the same
  } catch {
    return undefined;
  }
}

/** One message per line; blank lines are ignored, anything else unreadable is counted, never thrown. */
export function parseMessageLog(text: string): ParsedLog {
  const lines = text.split('\n').filter((line) => line.trim().length > 0);
  const messages: Message[] = [];
  let unreadable = 0;
  let lastUnreadable = false;
  for (const line of lines) {
    const message = parseLine(line);
    if (message) messages.push(message);
    else unreadable++;
    lastUnreadable = message === undefined;
  }
  return {
    messages,
    skippedLines: lastUnreadable ? unreadable - 1 : unreadable,
    truncatedTail: lastUnreadable,
  };
}

/** An absent log is an empty one: a conversation is created before its first message. */
export async function readMessageLog(file: string): Promise<ParsedLog> {
  try {
    // Stryker disable next-line StringLiteral: readFile reads utf8 for an empty encoding too
    return parseMessageLog(await readFile(file, 'utf8'));
  } catch (error) {
    if (hasErrorCode(error, 'ENOENT')) return { messages: [], skippedLines: 0, truncatedTail: false };
    throw error;
  }
}

export function serializeMessages(messages: readonly Message[]): string {
  return messages.map((message) => `${JSON.stringify(message)}\n`).join('');
}

/**
 * Appends one line with a single O_APPEND write. If the file ends in a line cut short by a crash,
 * the new line starts on a line of its own, so the cut one stays the only casualty.
 */
export async function appendMessage(file: string, message: Message): Promise<void> {
  const handle = await open(file, 'a+', PRIVATE_FILE_MODE);
  try {
    const { size } = await handle.stat();
    let prefix = '';
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) prefix = '\n';
    }
    // Stryker disable next-line StringLiteral: appendFile writes utf8 for an empty encoding too
    await handle.appendFile(`${prefix}${JSON.stringify(message)}\n`, 'utf8');
  } finally {
    await handle.close();
  }
}

/**
 * What a rewrite does to each message: keep it, replace it, or drop it (`null`). It sees every
 * message with its neighbours, so it can drop a whole exchange.
 */
export type MessageChange = (message: Message, index: number, all: readonly Message[]) => Message | null;

/**
 * The log's new text after `change`: every line that is not a message (unreadable, cut by a crash,
 * written by a newer version) stays where it was, byte for byte, so a rewrite never loses what it
 * could not read. Blank lines go.
 */
export function rewriteMessageLog(
  text: string,
  change: MessageChange,
): { text: string; messages: Message[] } {
  const lines = text.split('\n').filter((line) => line.trim().length > 0);
  const parsed = lines.map((line) => ({ line, message: parseLine(line) }));
  const all = parsed.flatMap((entry) => (entry.message ? [entry.message] : []));
  const out: string[] = [];
  const messages: Message[] = [];
  let index = 0;
  for (const entry of parsed) {
    if (!entry.message) {
      out.push(`${entry.line}\n`);
      continue;
    }
    const next = change(entry.message, index++, all);
    if (next === null) continue;
    messages.push(next);
    out.push(next === entry.message ? `${entry.line}\n` : `${JSON.stringify(next)}\n`);
  }
  return { text: out.join(''), messages };
}
