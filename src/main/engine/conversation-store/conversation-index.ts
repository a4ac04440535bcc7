import { appendFile, open, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { ConversationSummary } from '../../../shared/domain';
import { writeFileAtomic } from '../base/fs/atomic-write';
import { PRIVATE_FILE_MODE } from '../private-data-dir';
import { isConversationId } from './conversation-id';
import { hasErrorCode } from '../base/fs/fs-errors';

const JOURNAL = 'index.jsonl';
// Rewrite the journal once it holds this many times more lines than conversations.
const COMPACT_RATIO = 3;
const COMPACT_MIN_LINES = 2_000;

type Entry = ConversationSummary;
type Line = Entry | { id: string; deleted: true };

function parseLine(text: string): Line | undefined {
  try {
    const value = JSON.parse(text) as Partial<Entry> & { deleted?: boolean };
    // Stryker disable next-line ConditionalExpression: isConversationId refuses what is not text too
    if (typeof value.id !== 'string' || !isConversationId(value.id)) return undefined;
    // Stryker disable next-line BooleanLiteral: a line is a deletion by having the key
    if (value.deleted) return { id: value.id, deleted: true };
    if (typeof value.name !== 'string' || typeof value.updatedAt !== 'string') return undefined;
    // A line from before the shown count: the folder is read again (once) to count it.
    if (typeof value.shownCount !== 'number') return undefined;
    return {
      id: value.id,
      name: value.name,
      updatedAt: value.updatedAt,
      messageCount: typeof value.messageCount === 'number' ? value.messageCount : 0,
      shownCount: value.shownCount,
      workspace: typeof value.workspace === 'string' ? value.workspace : null,
    };
    // Stryker disable next-line BlockStatement: an empty catch returns undefined just the same
  } catch {
    return undefined; // a line torn by a crash: the folder scan below makes up for it
  }
}

/**
 * A journal of conversation summaries beside the folders, so the list never reads 10,000
 * chat.json files. Every change appends one line (O_APPEND: lines from several processes, the app
 * and the CLI, never interleave); the last line for an id wins. The folders stay the truth: a
 * folder the journal does not know is read from disk, an entry without a folder is dropped.
 */
export class ConversationIndex {
  readonly #root: string;
  readonly #file: string;
  readonly #entries = new Map<string, Entry>();
  /** How far into the journal this process has read, and in which file (compaction replaces it). */
  #offset = 0;
  // Stryker disable next-line UnaryOperator: no journal has inode 1 either
  #inode = -1;
  #lines = 0;

  constructor(root: string) {
    this.#root = root;
    this.#file = path.join(root, JOURNAL);
  }

  async record(entry: Entry): Promise<void> {
    await this.#append(entry);
  }

  async remove(id: string): Promise<void> {
    await this.#append({ id, deleted: true });
  }

  /**
   * Every conversation on disk, newest journal state first read; `load` reads the summary of a
   * folder the journal does not know (a crash between the two writes, or an older data dir).
   */
  async all(load: (id: string) => Promise<Entry | undefined>): Promise<Entry[]> {
    let names: string[];
    try {
      names = await readdir(this.#root);
    } catch (error) {
      if (hasErrorCode(error, 'ENOENT')) return [];
      throw error;
    }
    await this.#catchUp();
    // The journal's own name is a valid id: without this, every list would try to read it as a folder.
    const onDisk = new Set(names.filter((name) => name !== JOURNAL && isConversationId(name)));
    for (const id of this.#entries.keys()) if (!onDisk.has(id)) this.#entries.delete(id);
    const unknown = [...onDisk].filter((id) => !this.#entries.has(id));
    for (const id of unknown) {
      const entry = await load(id);
      if (!entry) continue;
      this.#entries.set(id, entry);
      await this.#append(entry);
    }
    if (this.#lines > COMPACT_MIN_LINES && this.#lines > COMPACT_RATIO * this.#entries.size)
      await this.#compact();
    return [...this.#entries.values()];
  }

  async #append(line: Line): Promise<void> {
    try {
      await appendFile(this.#file, `${JSON.stringify(line)}\n`, { mode: PRIVATE_FILE_MODE });
    } catch (error) {
      if (!hasErrorCode(error, 'ENOENT')) throw error; // no conversations folder yet: nothing to index
    }
  }

  /** Reads what was appended since the last call (by any process). */
  async #catchUp(): Promise<void> {
    let handle;
    try {
      handle = await open(this.#file, 'r');
    } catch (error) {
      if (hasErrorCode(error, 'ENOENT')) return;
      throw error;
    }
    try {
      const info = await handle.stat();
      // Reading from the start every time would give the same entries, only slower.
      // Stryker disable next-line ConditionalExpression,EqualityOperator: see above
      if (info.ino !== this.#inode || info.size < this.#offset) {
        // A new file (compacted by another process) or a shorter one: read it from the start.
        this.#inode = info.ino;
        this.#offset = 0;
        this.#lines = 0;
        this.#entries.clear();
      }
      // Stryker disable next-line ConditionalExpression: reading nothing finds no line, just the same
      if (info.size === this.#offset) return;
      // Stryker disable next-line ArithmeticOperator: a longer buffer is filled only up to the end of the file
      const buffer = Buffer.alloc(info.size - this.#offset);
      await handle.read(buffer, 0, buffer.length, this.#offset);
      // Only whole lines: a line still being written is read next time.
      const end = buffer.lastIndexOf(10) + 1;
      for (const text of buffer.subarray(0, end).toString('utf8').split('\n')) {
        if (!text) continue;
        this.#lines++;
        const line = parseLine(text);
        if (!line) continue;
        if ('deleted' in line) this.#entries.delete(line.id);
        else this.#entries.set(line.id, line);
      }
      this.#offset += end;
    } finally {
      await handle.close();
    }
  }

  async #compact(): Promise<void> {
    const body = [...this.#entries.values()].map((entry) => `${JSON.stringify(entry)}\n`).join('');
    await writeFileAtomic(this.#file, body, PRIVATE_FILE_MODE);
    this.#inode = -1; // re-read the new file from its start next time
  }
}
