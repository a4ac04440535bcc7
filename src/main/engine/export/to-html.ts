import type { Element, ElementContent, Root } from 'hast';
import rehypeHighlight from 'rehype-highlight';
import { unified } from 'unified';
import type { ConversationDetail, Message } from '../../../shared/domain';
import { unreadableNote, type ExportOptions } from './export-options';
import { outlineOf, type OutlineEntry, type ToolExchange } from './conversation-outline';
import { EXPORT_STYLESHEET } from './export-stylesheet';
import { h } from './hast-builder';
import { createMarkdownReader, type MarkdownReader } from './markdown-to-hast';
import { escapeHtml, toSafeHtml } from './safe-html';
import { viewOfExchange } from './tool-exchange-view';

/**
 * The page's own policy, should anything slip past the allowlist: nothing may be fetched or run,
 * styles only from the page itself. A page opened from disk has no server to send one.
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

/** What a recorded time shows: as it was written, to the minute (a gptme log's may have no zone). */
function shownTime(timestamp: string): string {
  return timestamp.replace('T', ' ').slice(0, 16);
}

function time(timestamp: string): Element {
  return h('time', { dateTime: timestamp }, [shownTime(timestamp)]);
}

/** A highlighted block: the language class is what the highlighter reads; unknown ones stay plain. */
function codeBlock(code: string, language?: string): Element {
  return h('pre', {}, [h('code', language ? { className: [`language-${language}`] } : {}, [code])]);
}

/** A file's language from its extension (`app.ts` → `ts`); the highlighter knows the common ones. */
function languageOfPath(path: unknown): string | undefined {
  if (typeof path !== 'string') return undefined;
  const extension = /\.([A-Za-z0-9]{1,10})$/.exec(path)?.[1];
  return extension?.toLowerCase();
}

const str = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value, null, 2));

/** The call's arguments the way a window's card reads them, not as JSON where there is a better form. */
function argsView(tool: string, args: Record<string, unknown>): ElementContent[] {
  if (tool === 'shell' && typeof args.command === 'string') return [codeBlock(args.command, 'bash')];
  if ((tool === 'save' || tool === 'append') && typeof args.path === 'string')
    return [
      h('div', { className: ['tool-path'] }, [`${tool === 'append' ? 'append to ' : ''}${args.path}`]),
      codeBlock(str(args.content ?? ''), languageOfPath(args.path)),
    ];
  if (tool === 'patch' && typeof args.path === 'string')
    return [h('div', { className: ['tool-path'] }, [args.path]), codeBlock(str(args.patch ?? ''))];
  return [codeBlock(JSON.stringify(args, null, 2), 'json')];
}

/** Folded, as a finished call is in a window: the summary says what ran and how it ended. */
function toolDetails(exchange: ToolExchange): Element {
  const view = viewOfExchange(exchange);
  return h('details', { className: ['tool'] }, [
    h('summary', {}, [
      h('span', { className: ['tool-name'] }, [view.tool]),
      view.brief && h('code', { className: ['tool-brief'] }, [view.brief]),
      view.edited && h('span', { className: ['tool-edited'] }, ['edited']),
      h('span', { className: view.failed ? ['tool-outcome', 'failed'] : ['tool-outcome'] }, [view.outcome]),
    ]),
    h('div', { className: ['tool-body'] }, [
      h('div', { className: ['tool-label'] }, [view.edited ? 'Ran as (edited by the user)' : 'Call']),
      ...argsView(view.tool, view.args),
      view.output !== undefined && h('div', { className: ['tool-label'] }, ['Output']),
      view.output !== undefined && h('pre', { className: ['tool-output'] }, [view.output]),
    ]),
  ]);
}

function notes(message: Message): Array<Element | false> {
  const failure = message.metadata?.failure;
  return [
    message.metadata?.interrupted === true && h('div', { className: ['note'] }, ['Stopped by the user.']),
    failure !== undefined &&
      h('div', { className: ['note', 'failure'] }, [`This turn failed: ${failure.name}: ${failure.message}`]),
  ];
}

function messageArticle(
  message: Message,
  tools: readonly ToolExchange[],
  read: MarkdownReader,
  index: number,
): Element {
  const user = message.role === 'user';
  const model = message.metadata?.model;
  return h('article', { className: ['message', message.role] }, [
    h('div', { className: ['who'] }, [
      user ? 'You' : 'Deskmate',
      !user && model !== undefined && h('span', { className: ['model'] }, [model]),
      time(message.timestamp),
    ]),
    user
      ? h('div', { className: ['user-text'] }, [message.content])
      : h('div', { className: ['markdown'] }, read(message.content, `m${index}`)),
    message.files?.length
      ? h(
          'ul',
          { className: ['files'] },
          message.files.map((f) => h('li', {}, [f])),
        )
      : false,
    ...tools.map(toolDetails),
    ...notes(message),
  ]);
}

/** A message a reader rarely needs (a system prompt, a result without its call): there, folded. */
function folded(kind: string, message: Message): Element {
  const label = message.call_id !== undefined ? `${kind} for call ${message.call_id}` : kind;
  return h('details', { className: ['system'] }, [
    h('summary', {}, [label, time(message.timestamp)]),
    h('pre', {}, [message.content]),
  ]);
}

function entryView(entry: OutlineEntry, read: MarkdownReader, index: number): Element {
  switch (entry.kind) {
    case 'message':
      return messageArticle(entry.message, entry.tools, read, index);
    case 'result':
      return folded('Tool result', entry.message);
    case 'system':
      return folded(entry.message.role === 'tool' ? 'Tool message' : 'System message', entry.message);
  }
}

/**
 * One self-contained page: the style inlined, code highlighted now (no script runs in it), tool
 * calls folded in `<details>`, and everything from the conversation escaped (safe-html.ts).
 */
export function conversationToHtml(
  conversation: ConversationDetail,
  { exportedAt, unreadableLines = 0 }: ExportOptions,
): string {
  const read = createMarkdownReader();
  const note = unreadableNote(unreadableLines);
  const body: Root = {
    type: 'root',
    children: [
      h('main', {}, [
        h('header', {}, [
          h('h1', {}, [conversation.name]),
          h('p', { className: ['meta'] }, [
            `Exported from Deskmate on ${exportedAt.toISOString().slice(0, 10)} · ${conversation.messages.length} messages`,
            conversation.workspace ? ` · in ${conversation.workspace}` : '',
          ]),
          note !== undefined && h('p', { className: ['note', 'failure'] }, [note]),
        ]),
        ...outlineOf(conversation.messages).map((entry, index) => entryView(entry, read, index)),
      ]),
    ],
  };
  // detect: off, as in a window: a block says its language or stays plain (guessing mislabels).
  unified().use(rehypeHighlight, { detect: false }).runSync(body);
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(conversation.name)}</title>`,
    `<style>${EXPORT_STYLESHEET}</style>`,
    '</head>',
    '<body>',
    toSafeHtml(body),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
