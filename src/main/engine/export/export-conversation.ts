import type { ExportFormat } from '../../../shared/export-format';
import type { ConversationStore } from '../conversation-store/conversation-store';
import { safeFileName } from '../conversation-store/safe-file-name';
import { conversationToHtml } from './to-html';
import { conversationToMarkdown } from './to-markdown';

export interface ExportedConversation {
  /** A name to save it under: the conversation's, made safe for any file system, and the format's extension. */
  fileName: string;
  text: string;
}

/**
 * A conversation as a file. Markdown and HTML are documents for people, built from the messages
 * as they are read back; JSONL is the log itself, line for line as it is on disk (gptme's format),
 * so a line this version cannot read is exported too, and nothing is added.
 */
export async function exportConversation(
  store: Pick<ConversationStore, 'open' | 'readMeta' | 'readLog'>,
  id: string,
  format: ExportFormat,
  exportedAt: Date,
): Promise<ExportedConversation> {
  if (format === 'jsonl') {
    const { name } = await store.readMeta(id);
    return { fileName: fileNameOf(name, id, format), text: await store.readLog(id) };
  }
  const conversation = await store.open(id);
  const options = {
    exportedAt,
    unreadableLines: conversation.skippedLines + (conversation.truncatedTail ? 1 : 0),
  };
  return {
    fileName: fileNameOf(conversation.name, id, format),
    text:
      format === 'html'
        ? conversationToHtml(conversation, options)
        : conversationToMarkdown(conversation, options),
  };
}

function fileNameOf(name: string, id: string, format: ExportFormat): string {
  return `${safeFileName(name, id).slice(0, 100)}.${format}`;
}
