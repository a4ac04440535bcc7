/**
 * The scripted model's brain for the stress run: every reply is decided from the request alone
 * (the plan in the last user message, and how many tool results follow it), so replies are
 * deterministic per context however the contexts interleave. It also checks each request: the
 * body must carry exactly one secret, the one of the context whose plan it is.
 */
import type { RecordedRequest, Step } from '../test/support/scripted-provider';
import { logProblem } from './log-check';
import type { Ownership } from './ownership';
import { parseMessage, toolCallFor } from './turn-plan';

export interface ModelStats {
  requests: number;
  toolCalls: number;
}

const TALK = 'All of this is streamed slowly so that an interrupt can land in the middle of it. ';

export function stressModel(ownership: Ownership, stats: ModelStats) {
  return (request: RecordedRequest): Step => {
    stats.requests++;
    const messages = request.body.messages ?? [];
    const body = JSON.stringify(request.body);
    const secrets = ownership.secretsIn(body);
    const lastUser = messages.findLastIndex((message) => message.role === 'user');
    const parsed = parseMessage(String(messages[lastUser]?.content ?? ''));
    if (!parsed || secrets.length !== 1 || secrets[0] !== parsed.secret) {
      ownership.violation(`provider request #${stats.requests} carries secrets [${secrets.join(', ')}]`);
      return { kind: 'error', status: 400, message: 'stress model: request of no single owner' };
    }
    const client = ownership.ownerOfSecret(parsed.secret)!;
    const problem = logProblem(
      messages.map((message) => ({
        role: message.role,
        call_id: message.tool_call_id,
        tool_calls: message.tool_calls as Array<{ id: string }> | undefined,
      })),
    );
    if (problem) {
      ownership.violation(`${client}: provider request #${stats.requests} is not resumable: ${problem}`);
      return { kind: 'error', status: 400, message: `stress model: ${problem}` };
    }
    const done = messages.slice(lastUser + 1).filter((message) => message.role === 'tool').length;
    // Which reply comes next: the first whose tool calls have not all been answered yet.
    let first = 0;
    for (const ops of parsed.plan.replies) {
      if (first === done) {
        const toolCalls = ops.map((op, offset) =>
          toolCallFor(op, parsed.secret, parsed.turn, first + offset),
        );
        for (const call of toolCalls) ownership.claim('call', call.id!, client, 'model');
        stats.toolCalls += toolCalls.length;
        return { kind: 'stream', text: `Step for ${parsed.secret}.`, toolCalls, delayMs: 1, chunkSize: 6 };
      }
      first += ops.length;
    }
    if (first !== done)
      ownership.violation(`${client} turn ${parsed.turn}: ${done} tool results for ${first} calls`);
    const text = parsed.plan.talk ? TALK.repeat(4) : `Done for ${parsed.secret}, turn ${parsed.turn}.`;
    return { kind: 'stream', text, delayMs: parsed.plan.talk ? 3 : 1, chunkSize: 6 };
  };
}
