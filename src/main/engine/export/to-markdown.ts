import type { ConversationDetail, Message } from '../../../shared/domain';
import { unreadableNote, type ExportOptions } from './export-options';
import { outlineOf, type OutlineEntry, type ToolExchange } from './conversation-outline';
import { escapeHtml } from './safe-html';
import { viewOfExchange } from './tool-exchange-view';

/**
 * A fenced block that holds `text` whatever it contains: the fence is longer than any run of
 * backticks inside, so a reply's own code fences cannot close it early.
 */
export function fenced(text: string, language = ''): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${text}${text.endsWith('\n') ? '' : '\n'}${fence}`;
}

/** Collapsed where the reader's viewer folds (GitHub, most editors' previews); the summary is ours, escaped. */
function foldedBlock(summary: string, body: string): string {
  return `<details><summary>${escapeHtml(summary)}</summary>\n\n${body}\n\n</details>`;
}

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ');

/** Inline code that holds `text` whatever it contains (a path with a backtick in it, say). */
function inlineCode(text: string): string {
  const line = oneLine(text);
  const longest = Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = '`'.repeat(longest + 1);
  const pad = line.startsWith('`') || line.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${line}${pad}${ticks}`;
}

function shownTime(timestamp: string): string {
  return timestamp.replace('T', ' ').slice(0, 16);
}

function toolSection(exchange: ToolExchange): string {
  const view = viewOfExchange(exchange);
  const call =
    view.tool === 'shell' && typeof view.args.command === 'string'
      ? fenced(view.args.command, 'bash')
      : fenced(JSON.stringify(view.args, null, 2), 'json');
  const title = `**${escapeHtml(oneLine(view.tool))}**${view.edited ? ' (edited by the user)' : ''}: ${view.outcome}`;
  const output = view.output === undefined ? '' : `\n\n${foldedBlock('Output', fenced(view.output, 'text'))}`;
  return `${title}\n\n${call}${output}`;
}

function messageSection(message: Message, tools: readonly ToolExchange[]): string {
  const who =
    message.role === 'user'
      ? 'You'
      : `Deskmate${message.metadata?.model ? ` · ${escapeHtml(oneLine(message.metadata.model))}` : ''}`;
  const parts = [`## ${who} · ${shownTime(message.timestamp)}`];
  if (message.content.trim()) parts.push(message.content);
  if (message.files?.length) parts.push(`Attached: ${message.files.map(inlineCode).join(', ')}`);
  parts.push(...tools.map(toolSection));
  if (message.metadata?.interrupted) parts.push('_Stopped by the user._');
  const failure = message.metadata?.failure;
  // Text of ours, not the reply's: escaped, so an error that quotes HTML reads as it was said.
  if (failure)
    parts.push(`_This turn failed: ${escapeHtml(oneLine(`${failure.name}: ${failure.message}`))}_`);
  return parts.join('\n\n');
}

function entrySection(entry: OutlineEntry): string {
  if (entry.kind === 'message') return messageSection(entry.message, entry.tools);
  const kind =
    entry.kind === 'result'
      ? 'Tool result'
      : entry.message.role === 'tool'
        ? 'Tool message'
        : 'System message';
  const label = entry.message.call_id !== undefined ? `${kind} for call ${entry.message.call_id}` : kind;
  return foldedBlock(
    `${label} · ${shownTime(entry.message.timestamp)}`,
    fenced(entry.message.content, 'text'),
  );
}

/**
 * The conversation as a Markdown document: each message under a heading, its text as written (a
 * reply is Markdown already), tool calls with their arguments and folded output, and system
 * messages folded, so nothing in the log is left out.
 */
export function conversationToMarkdown(
  conversation: ConversationDetail,
  { exportedAt, unreadableLines = 0 }: ExportOptions,
): string {
  const meta = [
    `Exported from Deskmate on ${exportedAt.toISOString().slice(0, 10)}`,
    `${conversation.messages.length} messages`,
    ...(conversation.workspace ? [`in ${inlineCode(conversation.workspace)}`] : []),
  ].join(' · ');
  const note = unreadableNote(unreadableLines);
  const sections = outlineOf(conversation.messages).map(entrySection);
  return `${[`# ${escapeHtml(oneLine(conversation.name))}`, `_${meta}_`, ...(note ? [`> ${note}`] : []), ...sections].join('\n\n')}\n`;
}
