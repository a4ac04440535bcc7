// Pre-rendered OpenAI-compatible SSE bodies: the bench server answers from these, so what it costs
// to produce a stream is one socket write, and the engine and the bare SDK read the very same bytes.

/**
 * The model name picks the answer:
 * - `text-N`: a streamed reply of N one-token chunks, written whole (full speed);
 * - `text-N-rR`: the same reply paced at R tokens per second;
 * - `tool-N[-rR]`: a `shell` call (`echo x`) when the last message is the user's, else `text-N[-rR]`.
 */
export function benchModel(kind: 'text' | 'tool', tokens: number, tokensPerSec?: number): string {
  return `${kind}-${tokens}${tokensPerSec ? `-r${tokensPerSec}` : ''}`;
}

const CREATED = 1_700_000_000;
// Four characters each (≈ one token); every 60th token ends a paragraph, so the renderer lays out
// several blocks the way a real reply does, not one giant line.
const WORDS = ['the ', 'and ', 'for ', 'was ', 'not ', 'but ', 'all ', 'any ', 'can ', 'had '];

export function tokenText(index: number): string {
  return index % 60 === 59 ? 'end.\n\n' : WORDS[index % WORDS.length]!;
}

/** The reply's full text, to check what a client received. */
export function replyText(tokens: number): string {
  let text = '';
  for (let i = 0; i < tokens; i++) text += tokenText(i);
  return text;
}

function event(delta: object, finish: string | null = null): string {
  const body = {
    id: 'chatcmpl-bench',
    object: 'chat.completion.chunk',
    created: CREATED,
    model: 'bench',
    choices: [{ index: 0, delta, finish_reason: finish }],
  };
  return `data: ${JSON.stringify(body)}\n\n`;
}

function usage(completion: number): string {
  const body = {
    id: 'chatcmpl-bench',
    object: 'chat.completion.chunk',
    created: CREATED,
    model: 'bench',
    choices: [],
    usage: { prompt_tokens: 10, completion_tokens: completion, total_tokens: completion + 10 },
  };
  return `data: ${JSON.stringify(body)}\n\ndata: [DONE]\n\n`;
}

/** `tokens` content chunks, one token each, then stop, usage and [DONE]: one event per token. */
export function textEvents(tokens: number): string[] {
  const parts = [event({ role: 'assistant', content: '' })];
  for (let i = 0; i < tokens; i++) parts.push(event({ content: tokenText(i) }));
  parts.push(event({}, 'stop'), usage(tokens));
  return parts;
}

export function textBody(tokens: number): Buffer {
  return Buffer.from(textEvents(tokens).join(''), 'utf8');
}

/** One `shell` tool call, its arguments streamed in small pieces as models do. */
export function shellCallBody(command: string, callId: string): Buffer {
  const args = JSON.stringify({ command });
  const parts = [event({ role: 'assistant', content: '' })];
  parts.push(
    event({
      tool_calls: [{ index: 0, id: callId, type: 'function', function: { name: 'shell', arguments: '' } }],
    }),
  );
  for (let i = 0; i < args.length; i += 7)
    parts.push(event({ tool_calls: [{ index: 0, function: { arguments: args.slice(i, i + 7) } }] }));
  parts.push(event({}, 'tool_calls'), usage(Math.ceil(args.length / 4)));
  return Buffer.from(parts.join(''), 'utf8');
}
