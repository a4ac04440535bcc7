import type { RecordedRequest, Step } from './scripted-provider';

const firstUserText = (request: RecordedRequest) =>
  String(request.body.messages?.find((message) => message.role === 'user')?.content ?? '');
const afterTool = (request: RecordedRequest) => request.body.messages?.at(-1)?.role === 'tool';

export type ConversationScripts = Record<string, { first: Step; then?: Step }>;

/**
 * A scripted model that answers each conversation by its first user message: `first` for the
 * opening, `then` after tool results. Concurrent contexts each follow their own script.
 */
export function byConversation(scripts: ConversationScripts) {
  return (request: RecordedRequest): Step => {
    const script = scripts[firstUserText(request)];
    if (!script) return { kind: 'error', status: 500, message: `no script for ${firstUserText(request)}` };
    return afterTool(request) ? (script.then ?? { kind: 'stream', text: 'done' }) : script.first;
  };
}
