import type { ToolCall } from '../../../shared/domain';

// gptme's `tool` format: a call is a line `@name(call_id): {json}` in the assistant's content, the
// JSON possibly spread over several lines. gptme's own pattern, in JavaScript's terms.
const CALL_START = String.raw`^@([\w.]+)\(([\w\-:.]+)\):\s*\{`;
const FENCE = /^(`{3,})/gm;
const NOT_NAME = /[^\w.]/g;
const NOT_CALL_ID = /[^\w\-:.]/g;

/** Where fenced code blocks are: a call written inside one is an example, not a call (as in gptme). */
function fencedRanges(content: string): Array<[number, number]> {
  const fences = [...content.matchAll(FENCE)];
  const ranges: Array<[number, number]> = [];
  let i = 0;
  while (i < fences.length) {
    const open = fences[i]!;
    let closed = false;
    for (let j = i + 1; j < fences.length; j++) {
      const close = fences[j]!;
      const after = close.index + close[1]!.length;
      const lineEnd = content.indexOf('\n', after) === -1 ? content.length : content.indexOf('\n', after);
      if (close[1]!.length === open[1]!.length && content.slice(after, lineEnd).trim() === '') {
        ranges.push([open.index, lineEnd]);
        i = j + 1;
        closed = true;
        break;
      }
    }
    if (!closed) i++;
  }
  return ranges;
}

/** The end (exclusive) of the JSON object starting at `start`, by counting braces as gptme does. */
function jsonEnd(text: string, start: number): number | undefined {
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (escaped) {
      escaped = false;
    } else if (c === '\\') {
      escaped = true;
    } else if (c === '"') {
      inString = !inString;
    } else if (!inString && c === '{') {
      depth++;
    } else if (!inString && c === '}') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return undefined;
}

// The text starts with `{` and ends at its matching `}`: what parses is an object.
function parseArgs(json: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(json) as Record<string, unknown>;
    // Stryker disable next-line BlockStatement: an empty catch returns undefined just the same
  } catch {
    return undefined;
  }
}

/**
 * Splits an assistant's content as gptme does into its text and its tool calls. A call that does
 * not parse stays in the text, as it does for gptme; so does one inside a fenced code block.
 */
export function splitToolCalls(content: string): { text: string; calls: ToolCall[] } {
  const fenced = fencedRanges(content);
  const calls: ToolCall[] = [];
  let text = '';
  let from = 0;
  const callStart = new RegExp(CALL_START, 'gm');
  for (let match = callStart.exec(content); match; match = callStart.exec(content)) {
    const inFence = fenced.find(([start, end]) => start <= match!.index && match!.index < end);
    if (inFence) {
      callStart.lastIndex = inFence[1];
      continue;
    }
    const start = match.index + match[0].length - 1;
    const end = jsonEnd(content, start);
    if (end === undefined) break;
    callStart.lastIndex = end;
    const args = parseArgs(content.slice(start, end));
    if (!args) continue;
    text += content.slice(from, match.index);
    from = end;
    calls.push({ id: match[2]!, name: match[1]!, args });
  }
  if (!calls.length) return { text: content, calls };
  return { text: (text + content.slice(from)).trimEnd(), calls };
}

/** A call id gptme's pattern accepts: the same id on the call and on its result. */
export function gptmeCallId(id: string): string {
  return id.replace(NOT_CALL_ID, '_') || '_';
}

/** The assistant's content as gptme writes it: the text, then one `@name(call_id): {json}` line per call. */
export function joinToolCalls(text: string, calls: readonly ToolCall[]): string {
  if (!calls.length) return text;
  const lines = calls.map(
    (call) =>
      `@${call.name.replace(NOT_NAME, '_') || '_'}(${gptmeCallId(call.id)}): ${JSON.stringify(call.args ?? {})}`,
  );
  return `${text}${text ? '\n\n' : ''}${lines.join('\n')}`;
}
