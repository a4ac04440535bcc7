import { z } from 'zod';
import { chatConfigSchema, type ChatConfig } from '../../../shared/config';
import type { ConversationSummary, Message } from '../../../shared/domain';
import { sanitizeLayer } from '../config/sanitize';
import { nameFromText } from './conversation-name';

const nameSourceSchema = z.enum(['default', 'auto', 'user']);
/**
 * Who chose the name. Only a `default` name is replaced by one made from the first user message;
 * a `user` name is never replaced by anything but another rename.
 */
type NameSource = z.infer<typeof nameSourceSchema>;

/** What `chat.json` holds beside a conversation's log. */
export interface ChatMeta {
  name: string;
  nameSource: NameSource;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601 of the last change to the messages (a rename or new settings leave it). */
  updatedAt: string;
  /** Every message in the log, tool results included (ConversationSummary.messageCount). */
  messageCount: number;
  /**
   * User and assistant messages (ConversationSummary.shownCount). Absent in a chat.json written
   * before it existed: the store counts it from the log then.
   */
  shownCount?: number;
  workspace: string | null;
  chat: ChatConfig;
  /**
   * Where the chat's auto-approve was granted: its folder and trust, fingerprinted. A grant applies
   * again only under the same scope (another folder, or a change of trust, ends it).
   */
  grantScope?: string;
}

const metaFileSchema = z.object({
  name: z.string().min(1),
  nameSource: nameSourceSchema.catch('auto'),
  createdAt: z.string(),
  updatedAt: z.string(),
  messageCount: z.number().int().min(0).catch(0),
  shownCount: z.number().int().min(0).optional().catch(undefined),
  workspace: z.string().min(1).nullable().catch(null),
  chat: z.unknown(),
  grantScope: z.string().max(200).optional().catch(undefined),
});

/** Reads what a file held; a value too damaged to name and date the conversation is `undefined`. */
export function parseChatMeta(raw: unknown): ChatMeta | undefined {
  const parsed = metaFileSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  // Key by key, so one bad value (a model id too long) costs that key, not the whole chat config.
  // Stryker disable next-line ObjectLiteral,StringLiteral: only the values are kept, not the layer's source
  const chat = sanitizeLayer(chatConfigSchema, parsed.data.chat ?? {}, { source: 'chat' }).values;
  const { grantScope, shownCount, ...rest } = parsed.data;
  return {
    ...rest,
    chat: chat as ChatConfig,
    ...(shownCount !== undefined ? { shownCount } : {}),
    ...(grantScope ? { grantScope } : {}),
  };
}

export function toSummary(id: string, meta: ChatMeta): ConversationSummary {
  return {
    id,
    name: meta.name,
    messageCount: meta.messageCount,
    shownCount: meta.shownCount ?? meta.messageCount,
    updatedAt: meta.updatedAt,
    workspace: meta.workspace,
  };
}

/** Whether the conversation shows a message as one: user and assistant, not tool results or system. */
export function isShown(message: Pick<Message, 'role'>): boolean {
  return message.role === 'user' || message.role === 'assistant';
}

export function shownCountOf(messages: readonly Message[]): number {
  return messages.filter(isShown).length;
}

/** A conversation still on its default name takes one from its first user message that has text. */
export function withAutoName(meta: ChatMeta, messages: readonly Message[]): ChatMeta {
  if (meta.nameSource !== 'default') return meta;
  for (const message of messages) {
    if (message.role !== 'user') continue;
    const name = nameFromText(message.content);
    if (name) return { ...meta, name, nameSource: 'auto' };
  }
  return meta;
}
