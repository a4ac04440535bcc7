import { createHash } from 'node:crypto';
import { open, readFile, stat } from 'node:fs/promises';
import type { Message, Role } from '../../../shared/domain';
import { PRIVATE_FILE_MODE } from '../private-data-dir';
import { hasErrorCode } from '../base/fs/fs-errors';
import { lineOfMessage, messageFromLine } from './gptme-line';

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

function parseLine(line: string, context: { id: string; timestamp?: string }): Message | undefined {
  try {
    return messageFromLine(JSON.parse(line), context);
    // Stryker disable next-line BlockStatement: an empty catch returns undefined just the same
  } catch {
    return undefined;
  }
}

/**
 * Each non-blank line with its message, if it is one. A line with no id (gptme wrote it) gets one
 * made from its text, numbered when the same text comes again, so every read gives it the same id.
 */
function readLines(text: string, fallbackTimestamp?: string): Array<{ line: string; message?: Message }> {
  const lines = text.split('\n').filter((line) => line.trim().length > 0);
  const seen = new Map<string, number>();
  return lines.map((line) => {
    const hash = createHash('sha256').update(line).digest('hex').slice(0, 16);
    const n = seen.get(hash) ?? 0;
    seen.set(hash, n + 1);
    const id = n ? `gptme-${hash}-${n}` : `gptme-${hash}`;
    const message = parseLine(line, { id, ...(fallbackTimestamp ? { timestamp: fallbackTimestamp } : {}) });
    return message ? { line, message } : { line };
  });
}

/**
 * One message per line; blank lines are ignored, anything else unreadable is counted, never thrown.
 * `fallbackTimestamp` is the time of a line that has none (gptme: the file's modification time).
 */
export function parseMessageLog(text: string, fallbackTimestamp?: string): ParsedLog {
  const messages: Message[] = [];
  let unreadable = 0;
  let lastUnreadable = false;
  for (const { message } of readLines(text, fallbackTimestamp)) {
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
    const text = await readFile(file, 'utf8');
    return parseMessageLog(text, (await stat(file)).mtime.toISOString());
  } catch (error) {
    if (hasErrorCode(error, 'ENOENT')) return { messages: [], skippedLines: 0, truncatedTail: false };
    throw error;
  }
}

/** One message as the line gptme would write for it. */
export function serializeMessage(message: Message): string {
  return `${JSON.stringify(lineOfMessage(message))}\n`;
}

export function serializeMessages(messages: readonly Message[]): string {
  return messages.map(serializeMessage).join('');
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
    await handle.appendFile(`${prefix}${serializeMessage(message)}`, 'utf8');
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
  fallbackTimestamp?: string,
): { text: string; messages: Message[] } {
  const parsed = readLines(text, fallbackTimestamp);
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
    out.push(next === entry.message ? `${entry.line}\n` : serializeMessage(next));
  }
  return { text: out.join(''), messages };
}
