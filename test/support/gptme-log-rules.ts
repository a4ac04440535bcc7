// gptme's rules for a conversation.jsonl, written from its source (logmanager/manager.py
// `_gen_read_jsonl`, message.py `Message`, tools/base.py `toolcall_re`, llm_openai.py's tool
// handling), to check what Deskmate writes. Independent of Deskmate's own reader on purpose: a
// bug there must not make a bad line look good here.

/** The fields of gptme's Message; any other top-level key is dropped with a warning (older: a crash). */
const MESSAGE_FIELDS = new Set([
  'role',
  'content',
  'timestamp',
  'files',
  'file_hashes',
  'call_id',
  'pinned',
  'hide',
  'quiet',
  'ephemeral_ttl',
  'metadata',
]);
const ROLES = new Set(['system', 'user', 'assistant']);
const TOKEN_KEYS = new Set(['input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_creation_tokens']);
// dateutil's isoparse, for the forms a writer would use: a date, a time, a fraction, a zone.
const ISOPARSE =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])([T ]([01]\d|2[0-3])(:[0-5]\d(:[0-5]\d([.,]\d{1,6})?)?)?)?(Z|[+-]([01]\d|2[0-3])(:?[0-5]\d)?)?$/;
const CALL = /^@([\w.]+)\(([\w\-:.]+)\):\s*\{/;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Where the JSON object starting at `start` ends, counting braces outside strings. */
function objectEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
  }
  return text.length;
}

/** The tool calls gptme finds in an assistant's content: `@name(call_id): {json}` at a line's start. */
export function gptmeCallsIn(content: string): Array<{ name: string; callId: string; args: unknown }> {
  const calls = [];
  for (const m of content.matchAll(/^@([\w.]+)\(([\w\-:.]+)\):\s*\{/gm)) {
    const start = m.index + m[0].length - 1;
    calls.push({
      name: m[1]!,
      callId: m[2]!,
      args: JSON.parse(content.slice(start, objectEnd(content, start))) as unknown,
    });
  }
  return calls;
}

/** What gptme would make of one line: the problems, none when it loads it as written. */
export function gptmeLineProblems(line: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return ['not JSON: gptme skips the line'];
  }
  if (!isObject(value)) return ['not an object'];
  const problems: string[] = [];
  for (const key of Object.keys(value))
    if (!MESSAGE_FIELDS.has(key))
      problems.push(`unknown field ${key}: dropped with a warning, refused by older gptme`);
  if (!ROLES.has(value.role as string))
    problems.push(`role ${String(value.role)}: gptme has system, user, assistant`);
  if (typeof value.content !== 'string') problems.push('content is not text');
  if (
    value.timestamp !== undefined &&
    (typeof value.timestamp !== 'string' || !ISOPARSE.test(value.timestamp))
  )
    problems.push(`timestamp ${String(value.timestamp)}: isoparse refuses it`);
  if (
    value.files !== undefined &&
    !(Array.isArray(value.files) && value.files.every((f) => typeof f === 'string'))
  )
    problems.push('files is not a list of paths');
  if (value.file_hashes !== undefined && !isObject(value.file_hashes))
    problems.push('file_hashes is not a table');
  if (value.call_id !== undefined && value.call_id !== null && typeof value.call_id !== 'string')
    problems.push('call_id is not text');
  if (typeof value.call_id === 'string' && value.role !== 'system')
    problems.push('call_id on a message that is not a tool result (system)');
  for (const flag of ['pinned', 'hide', 'quiet'])
    if (value[flag] !== undefined && typeof value[flag] !== 'boolean')
      problems.push(`${flag} is not a boolean`);
  if (
    value.ephemeral_ttl !== undefined &&
    value.ephemeral_ttl !== null &&
    !Number.isInteger(value.ephemeral_ttl)
  )
    problems.push('ephemeral_ttl is not an integer');
  if (value.metadata !== undefined) {
    const meta = value.metadata;
    if (!isObject(meta)) problems.push('metadata is not a table');
    else {
      if (meta.model !== undefined && typeof meta.model !== 'string')
        problems.push('metadata.model is not text');
      if (meta.cost !== undefined && typeof meta.cost !== 'number')
        problems.push('metadata.cost is not a number');
      for (const key of Object.keys(meta))
        if (TOKEN_KEYS.has(key))
          problems.push(`metadata.${key}: the old flat form, gptme writes usage.${key}`);
      if (meta.usage !== undefined) {
        if (!isObject(meta.usage)) problems.push('metadata.usage is not a table');
        else
          for (const [key, n] of Object.entries(meta.usage))
            if (!TOKEN_KEYS.has(key) || !Number.isInteger(n))
              problems.push(`metadata.usage.${key} is not gptme's`);
      }
    }
  }
  if (value.role === 'assistant' && typeof value.content === 'string') {
    for (const line of value.content.split('\n'))
      if (line.startsWith('@') && !CALL.test(line)) problems.push(`a tool call gptme cannot read: ${line}`);
    try {
      for (const call of gptmeCallsIn(value.content))
        if (!isObject(call.args)) problems.push(`the arguments of ${call.callId} are not an object`);
    } catch {
      problems.push('a tool call whose arguments are not JSON');
    }
  }
  return problems;
}

/**
 * A whole log: every line loadable, and every tool result answers a call made before it (what
 * gptme's tool handling needs to send it as a `tool` message for that call).
 */
export function gptmeLogProblems(text: string): string[] {
  const problems: string[] = [];
  const called = new Set<string>();
  text
    .split('\n')
    .filter((line) => line.trim())
    .forEach((line, index) => {
      const own = gptmeLineProblems(line);
      problems.push(...own.map((p) => `line ${index + 1}: ${p}`));
      let m: { role: string; content: string; call_id?: string };
      try {
        m = JSON.parse(line) as typeof m;
        if (m.role === 'assistant') for (const call of gptmeCallsIn(m.content)) called.add(call.callId);
      } catch {
        return; // said above
      }
      if (m.role === 'system' && m.call_id && !called.has(m.call_id))
        problems.push(`line ${index + 1}: the result of ${m.call_id}, which no earlier reply called`);
    });
  return problems;
}
