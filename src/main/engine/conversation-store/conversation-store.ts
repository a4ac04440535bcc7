import { lstat, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { chatConfigSchema, type ChatConfig } from '../../../shared/config';
import type { ConversationDetail, ConversationSummary, Message } from '../../../shared/domain';
import { NamedError } from '../../../shared/errors';
import { toDisposable, type Disposable } from '../base/disposable';
import { writeFileAtomic } from '../base/fs/atomic-write';
import { readRegularFile } from '../base/fs/regular-file';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../private-data-dir';
import { isShown, shownCountOf, toSummary, withAutoName, type ChatMeta } from './chat-meta';
import { generateConversationId, isConversationId } from './conversation-id';
import { ConversationIndex } from './conversation-index';
import { DEFAULT_CONVERSATION_NAME } from './conversation-name';
import { conversationPaths, type ConversationPaths } from './conversation-paths';
import { hasErrorCode } from '../base/fs/fs-errors';
import { KeyedQueue } from '../base/keyed-queue';
import {
  appendMessage,
  isMessage,
  readMessageLog,
  rewriteMessageLog,
  serializeMessages,
  type MessageChange,
  type ParsedLog,
} from './message-log';
import { readMetaFile, setBrokenMetaAside, writeMetaFile } from './meta-file';
import { readGptmeChatConfig } from './gptme-chat-config';
import { parseGptmeTimestamp } from './gptme-timestamp';
import { numberedFileName, safeFileName } from './safe-file-name';

export interface ConversationStoreOptions {
  now?: () => Date;
  /** A new conversation id; tried again while the folder it names already exists. */
  newId?: () => string;
}

export interface CreateConversationOptions {
  name?: string;
  workspace?: string | null;
  chat?: ChatConfig;
  /** Where the chat's auto-approve, if any, was granted (see ChatMeta.grantScope). */
  grantScope?: string;
}

export interface ListOptions {
  /** A case-insensitive part of the name. */
  query?: string;
  offset?: number;
  /** 50 unless given. */
  limit?: number;
}

export interface OpenedConversation extends ConversationDetail {
  /** Lines before the last that could not be read: messages lost, for the UI to say so. */
  skippedLines: number;
  /** The last line could not be read: the message being written when the process stopped. */
  truncatedTail: boolean;
}

const DEFAULT_LIMIT = 50;
const MAX_NAME_LENGTH = 200;
const ID_ATTEMPTS = 20;
const ARTIFACT_ATTEMPTS = 1000;
const FORK_SUFFIX = ' (fork)';

const invalid = (message: string, data?: unknown) => new NamedError('InvalidRequest', message, data);
const notFound = (id: string) => new NamedError('NotFound', `No conversation ${id}.`, { id });

function checkName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > MAX_NAME_LENGTH)
    throw invalid(`A conversation name is 1 to ${MAX_NAME_LENGTH} characters.`);
  return trimmed;
}

function checkChat(chat: ChatConfig): ChatConfig {
  const parsed = chatConfigSchema.safeParse(chat);
  if (!parsed.success) throw invalid('Invalid chat config.', { issues: parsed.error.issues });
  return parsed.data;
}

function checkWorkspace(workspace: string | null): string | null {
  if (workspace !== null && (typeof workspace !== 'string' || !path.isAbsolute(workspace)))
    throw invalid('A workspace is an absolute path, or null.');
  return workspace;
}

function checkMessages(messages: readonly Message[]): void {
  // A message that could not be read back would be lost silently on the next open; a timestamp gptme
  // cannot parse would make the whole log unloadable for gptme.
  const bad = messages.findIndex(
    (message) => !isMessage(message) || parseGptmeTimestamp(message.timestamp) === undefined,
  );
  if (bad >= 0) throw invalid('A message needs an id, a role, text content and a timestamp.', { index: bad });
}

/**
 * Conversations on disk: `<dataDir>/conversations/<id>/conversation.jsonl` (one message a line) and
 * `chat.json` (name, dates, count, workspace, chat config) beside it. Every change to one
 * conversation, and every read of it, runs in the order it was asked for, through a queue per
 * conversation; the queue belongs to this store, so there must be one store per data dir.
 */
export class ConversationStore {
  readonly #root: string;
  readonly #now: () => Date;
  readonly #newId: () => string;
  readonly #queue = new KeyedQueue();
  readonly #index: ConversationIndex;
  readonly #listeners = new Set<() => void>();

  constructor(dataDir: string, options: ConversationStoreOptions = {}) {
    this.#root = path.resolve(dataDir, 'conversations');
    this.#index = new ConversationIndex(this.#root);
    this.#now = options.now ?? (() => new Date());
    this.#newId = options.newId ?? (() => generateConversationId(this.#now()));
  }

  /**
   * Called after a change to what the list shows (a conversation created, renamed, deleted, or a
   * message added or changed), with nothing about which: a listener lists again, and so learns
   * only what it could list anyway.
   */
  onDidChange(listener: () => void): Disposable {
    this.#listeners.add(listener);
    return toDisposable(() => this.#listeners.delete(listener));
  }

  #changed(): void {
    for (const listener of [...this.#listeners]) listener();
  }

  async create(options: CreateConversationOptions = {}): Promise<ConversationSummary> {
    const now = this.#now().toISOString();
    const named = options.name !== undefined;
    const meta: ChatMeta = {
      name: named ? checkName(options.name ?? '') : DEFAULT_CONVERSATION_NAME,
      nameSource: named ? 'user' : 'default',
      createdAt: now,
      updatedAt: now,
      messageCount: 0,
      shownCount: 0,
      workspace: checkWorkspace(options.workspace ?? null),
      chat: checkChat(options.chat ?? {}),
      ...(options.chat?.autoApprove !== undefined && options.grantScope
        ? { grantScope: options.grantScope }
        : {}),
    };
    const id = await this.#createWith(meta, []);
    return toSummary(id, meta);
  }

  async list(options: ListOptions = {}): Promise<{ items: ConversationSummary[]; total: number }> {
    const query = options.query?.trim().toLowerCase() ?? '';
    const offset = Math.max(0, Math.trunc(options.offset ?? 0));
    const limit = Math.max(0, Math.trunc(options.limit ?? DEFAULT_LIMIT));
    const all = await this.#index.all(async (id) => {
      try {
        return toSummary(id, (await this.#load(conversationPaths(this.#root, id), id)).meta);
        // Stryker disable next-line BlockStatement: an empty catch returns undefined just the same
      } catch {
        // One unreadable folder (half created, deleted meanwhile, no permission) costs that folder only.
        return undefined;
      }
    });
    const matches = all
      .filter((summary) => !query || summary.name.toLowerCase().includes(query))
      .map((summary) => ({ summary, time: Date.parse(summary.updatedAt) || 0 }))
      .sort((a, b) => b.time - a.time || (a.summary.id < b.summary.id ? 1 : -1));
    return { items: matches.slice(offset, offset + limit).map((f) => f.summary), total: matches.length };
  }

  async open(id: string): Promise<OpenedConversation> {
    const { meta, log } = await this.#snapshot(id);
    return {
      ...toSummary(id, meta),
      messageCount: log.messages.length,
      shownCount: shownCountOf(log.messages),
      messages: log.messages,
      skippedLines: log.skippedLines,
      truncatedTail: log.truncatedTail,
    };
  }

  async readMeta(id: string): Promise<ChatMeta> {
    const paths = conversationPaths(this.#root, id);
    return this.#queue.run(id, async () => (await this.#load(paths, id)).meta);
  }

  /**
   * The log as it is on disk, every line, read or not (an export of it); empty before the first
   * message. NotFound for no such conversation.
   */
  async readLog(id: string): Promise<string> {
    const paths = conversationPaths(this.#root, id);
    return this.#queue.run(id, async () => {
      await this.#load(paths, id);
      try {
        return await readFile(paths.log, 'utf8');
      } catch (error) {
        if (hasErrorCode(error, 'ENOENT')) return '';
        throw error;
      }
    });
  }

  /** One line, one write; a crash while writing it loses this message and nothing before it. */
  async append(id: string, message: Message): Promise<ConversationSummary> {
    checkMessages([message]);
    const meta = await this.#change(id, async (current, paths) => {
      await appendMessage(paths.log, message);
      const next = {
        ...current,
        messageCount: current.messageCount + 1,
        shownCount: (current.shownCount ?? 0) + (isShown(message) ? 1 : 0),
        updatedAt: this.#stamp(),
      };
      return withAutoName(next, [message]);
    });
    return toSummary(id, meta);
  }

  /** For edits: the whole log is rewritten through a temp file, so a crash leaves the old or the new. */
  async replaceMessages(id: string, messages: readonly Message[]): Promise<ConversationSummary> {
    checkMessages(messages);
    const meta = await this.#change(id, async (current, paths) => {
      await writeFileAtomic(paths.log, serializeMessages(messages), PRIVATE_FILE_MODE);
      const next = {
        ...current,
        messageCount: messages.length,
        shownCount: shownCountOf(messages),
        updatedAt: this.#stamp(),
      };
      return withAutoName(next, messages);
    });
    return toSummary(id, meta);
  }

  /**
   * Changes or drops messages in place (a failure noted, a reply retried, a message deleted). The
   * log is rewritten through a temp file, so a crash leaves the old or the new, and the lines it
   * cannot read stay as they were. The messages as they are now.
   */
  async updateMessages(id: string, change: MessageChange): Promise<Message[]> {
    // Stryker disable next-line ArrayDeclaration: always replaced before it is returned; a failure throws
    let messages: Message[] = [];
    await this.#change(id, async (current, paths) => {
      let text = '';
      let modified: string | undefined;
      try {
        text = await readFile(paths.log, 'utf8');
        modified = (await stat(paths.log)).mtime.toISOString();
      } catch (error) {
        if (!hasErrorCode(error, 'ENOENT')) throw error;
      }
      const rewritten = rewriteMessageLog(
        text,
        (message, index, all) => {
          const next = change(message, index, all);
          // Stryker disable next-line ConditionalExpression: an unchanged message was read as one, and passes
          if (next !== null && next !== message) checkMessages([next]);
          return next;
        },
        modified,
      );
      messages = rewritten.messages;
      if (rewritten.text !== text) await writeFileAtomic(paths.log, rewritten.text, PRIVATE_FILE_MODE);
      return { ...current, messageCount: messages.length, shownCount: shownCountOf(messages) };
    });
    return messages;
  }

  // A rename is not activity: the conversation keeps its date, and so its place in the list.
  async rename(id: string, name: string): Promise<ConversationSummary> {
    const checked = checkName(name);
    const meta = await this.#change(id, async (current) => ({
      ...current,
      name: checked,
      nameSource: 'user',
    }));
    return toSummary(id, meta);
  }

  // Settings are not activity: they leave updatedAt, and so the conversation's place in the list, alone.
  async setChat(id: string, chat: ChatConfig, grantScope?: string): Promise<ChatMeta> {
    const checked = checkChat(chat);
    return this.#change(id, async ({ grantScope: _old, ...current }) => ({
      ...current,
      chat: checked,
      ...(checked.autoApprove !== undefined && grantScope ? { grantScope } : {}),
    }));
  }

  async setWorkspace(id: string, workspace: string | null): Promise<ChatMeta> {
    const checked = checkWorkspace(workspace);
    return this.#change(id, async (current) => ({ ...current, workspace: checked }));
  }

  /**
   * The conversations folder, made if missing: an import puts a conversation together in a hidden
   * folder there (a name starting with a dot is never an id, so no list sees it) before `adopt`.
   */
  async conversationsFolder(): Promise<string> {
    await mkdir(this.#root, { recursive: true, mode: PRIVATE_DIR_MODE });
    return this.#root;
  }

  /**
   * Moves `staged`, a folder put together in the conversations folder, in as conversation `id`
   * with one rename, in that conversation's turn: a list sees all of it or nothing. False, and
   * `staged` left as it is, when `id` exists: nothing is ever replaced.
   */
  async adopt(id: string, staged: string): Promise<boolean> {
    const paths = conversationPaths(this.#root, id);
    if (path.dirname(staged) !== this.#root)
      throw new NamedError('Internal', 'A folder to adopt is put together in the conversations folder.');
    const adopted = await this.#queue.run(id, async () => {
      try {
        await lstat(paths.dir);
        return false;
      } catch (error) {
        // Stryker disable next-line ConditionalExpression: a name in the store's own 0700 folder fails lstat only as missing
        if (!hasErrorCode(error, 'ENOENT')) throw error;
      }
      try {
        // Another process may have taken the id since: a folder with anything in it is never replaced.
        await rename(staged, paths.dir);
      } catch (error) {
        // Stryker disable next-line StringLiteral: Linux says ENOTEMPTY; EEXIST is what other systems say
        if (hasErrorCode(error, 'EEXIST') || hasErrorCode(error, 'ENOTEMPTY')) return false;
        throw error;
      }
      return true;
    });
    if (adopted) this.#changed();
    return adopted;
  }

  /** Removes the folder, artifacts included. Whether there was one. */
  async delete(id: string): Promise<boolean> {
    const paths = conversationPaths(this.#root, id);
    return this.#queue.run(id, async () => {
      try {
        await lstat(paths.dir);
      } catch (error) {
        if (hasErrorCode(error, 'ENOENT')) return false;
        throw error;
      }
      // Stryker disable next-line BooleanLiteral: the folder was just found; force only spares a race with another process
      await rm(paths.dir, { recursive: true, force: true });
      await this.#index.remove(id);
      this.#changed();
      return true;
    });
  }

  /** A new conversation with messages [0, atMessage) of this one (all of them without it). */
  async fork(id: string, atMessage?: number): Promise<ConversationSummary> {
    if (atMessage !== undefined && (!Number.isInteger(atMessage) || atMessage < 0))
      throw invalid('atMessage is a message index: an integer from 0.');
    const { meta, log } = await this.#snapshot(id);
    const messages = log.messages.slice(0, atMessage ?? log.messages.length);
    const now = this.#now().toISOString();
    const base = meta.name.slice(0, MAX_NAME_LENGTH - FORK_SUFFIX.length);
    // A fork starts without the original's grants: they were given to that conversation.
    const { grantScope: _scope, ...ungranted } = meta;
    const { autoApprove: _auto, ...chat } = meta.chat;
    const forked = withAutoName(
      {
        ...ungranted,
        chat,
        name: `${base}${FORK_SUFFIX}`,
        createdAt: now,
        updatedAt: now,
        messageCount: messages.length,
        shownCount: shownCountOf(messages),
      },
      messages,
    );
    const forkId = await this.#createWith(forked, messages);
    return toSummary(forkId, forked);
  }

  /**
   * Writes `content` to `<dir>/<id>/artifacts/` under a safe form of `name`, numbered rather than
   * overwriting one already there. The absolute path of the file written.
   */
  async saveArtifact(id: string, name: string, content: string | Uint8Array): Promise<string> {
    const paths = conversationPaths(this.#root, id);
    await this.#load(paths, id);
    try {
      // Not recursive: a conversation deleted meanwhile must not come back as an artifacts folder.
      await mkdir(paths.artifacts, { mode: PRIVATE_DIR_MODE });
    } catch (error) {
      if (hasErrorCode(error, 'ENOENT')) throw notFound(id);
      if (!hasErrorCode(error, 'EEXIST')) throw error;
    }
    const base = safeFileName(name);
    for (let n = 0; n < ARTIFACT_ATTEMPTS; n++) {
      const file = path.join(paths.artifacts, numberedFileName(base, n));
      try {
        await writeFile(file, content, { flag: 'wx', mode: PRIVATE_FILE_MODE });
        return file;
      } catch (error) {
        if (!hasErrorCode(error, 'EEXIST')) throw error;
      }
    }
    throw new NamedError('Internal', `No free artifact name for ${base}.`);
  }

  /**
   * Reads an artifact of conversation `id` by its file name, bounded. Only a plain name this store
   * could have written is accepted, and only a regular file directly under artifacts/ is read (no
   * symlink, no FIFO wait): no other path is reachable through it.
   */
  async readArtifact(
    id: string,
    name: string,
    maxBytes: number,
  ): Promise<{ data: Buffer; bytes: number; truncated: boolean }> {
    const paths = conversationPaths(this.#root, id);
    // Stryker disable next-line ConditionalExpression: safeFileName keeps no separator; basename is a second lock
    if (safeFileName(name) !== name || path.basename(name) !== name) {
      throw new NamedError('InvalidRequest', `${name} is not the name of an artifact of this conversation`);
    }
    let bytes = 0;
    const data = await readRegularFile(path.join(paths.artifacts, name), {
      maxBytes,
      truncate: true,
      noFollow: true,
      label: `The artifact ${name}`,
      check: (stats) => {
        bytes = stats.size;
      },
    });
    return { data, bytes, truncated: bytes > data.length };
  }

  #stamp(): string {
    return this.#now().toISOString();
  }

  /** chat.json and the log as one consistent picture, taken in the conversation's turn. */
  #snapshot(id: string): Promise<{ meta: ChatMeta; log: ParsedLog }> {
    const paths = conversationPaths(this.#root, id);
    return this.#queue.run(id, async () => {
      const { meta } = await this.#load(paths, id);
      return { meta, log: await readMessageLog(paths.log) };
    });
  }

  /** Read, change and rewrite chat.json in the conversation's turn, so no two changes interleave. */
  #change(
    id: string,
    change: (meta: ChatMeta, paths: ConversationPaths) => Promise<ChatMeta>,
  ): Promise<ChatMeta> {
    const paths = conversationPaths(this.#root, id);
    return this.#queue.run(id, async () => {
      const { meta, broken } = await this.#load(paths, id);
      const next = await change(meta, paths);
      if (broken) await setBrokenMetaAside(paths.meta, this.#now());
      await writeMetaFile(paths.meta, next);
      const summary = toSummary(id, next);
      await this.#index.record(summary);
      // Settings and workspace choices are not in the list: no window needs to list again for them.
      if (JSON.stringify(summary) !== JSON.stringify(toSummary(id, meta))) this.#changed();
      return next;
    });
  }

  /**
   * chat.json, or when it is missing or broken, what the log alone can tell: a conversation whose
   * messages survived is still listed and opened. Neither one: NotFound.
   */
  async #load(paths: ConversationPaths, id: string): Promise<{ meta: ChatMeta; broken: boolean }> {
    const read = await readMetaFile(paths.meta);
    if (read.state === 'ok' && read.meta.shownCount === undefined) {
      // Written before chat.json kept it: counted from the log once, saved with the next change.
      const { messages } = await readMessageLog(paths.log);
      return { meta: { ...read.meta, shownCount: shownCountOf(messages) }, broken: false };
    }
    if (read.state === 'ok') return { meta: read.meta, broken: false };
    const meta = await this.#recover(paths, id);
    if (!meta) throw notFound(id);
    // Stryker disable next-line ConditionalExpression: setting aside a chat.json that is missing does nothing
    return { meta, broken: read.state === 'broken' };
  }

  async #recover(paths: ConversationPaths, id: string): Promise<ChatMeta | undefined> {
    let modified: Date;
    try {
      modified = (await stat(paths.log)).mtime;
    } catch (error) {
      if (hasErrorCode(error, 'ENOENT')) return undefined;
      throw error;
    }
    const { messages } = await readMessageLog(paths.log);
    // A folder gptme wrote has its name, model and workspace in config.toml's [chat] table.
    const gptme = await readGptmeChatConfig(paths.dir);
    const recovered: ChatMeta = {
      name: gptme.name ?? id,
      nameSource: gptme.name ? 'user' : 'default',
      createdAt: messages[0]?.timestamp ?? modified.toISOString(),
      updatedAt: modified.toISOString(),
      messageCount: messages.length,
      shownCount: shownCountOf(messages),
      workspace: gptme.workspace ?? null,
      chat: gptme.model ? { model: gptme.model } : {},
    };
    return withAutoName(recovered, messages);
  }

  /** A fresh folder (mkdir without `recursive` fails on one that exists), its log, then chat.json. */
  async #createWith(meta: ChatMeta, messages: readonly Message[]): Promise<string> {
    await mkdir(this.#root, { recursive: true, mode: PRIVATE_DIR_MODE });
    for (let attempt = 0; attempt < ID_ATTEMPTS; attempt++) {
      const id = this.#newId();
      if (!isConversationId(id)) throw new NamedError('Internal', `Generated an invalid conversation id.`);
      const paths = conversationPaths(this.#root, id);
      try {
        await mkdir(paths.dir, { mode: PRIVATE_DIR_MODE });
      } catch (error) {
        if (hasErrorCode(error, 'EEXIST')) continue;
        throw error;
      }
      try {
        await writeFileAtomic(paths.log, serializeMessages(messages), PRIVATE_FILE_MODE);
        await writeMetaFile(paths.meta, meta);
        await this.#index.record(toSummary(id, meta));
      } catch (error) {
        await rm(paths.dir, { recursive: true, force: true });
        throw error;
      }
      this.#changed();
      return id;
    }
    throw new NamedError('Internal', `No free conversation id after ${ID_ATTEMPTS} tries.`);
  }
}
