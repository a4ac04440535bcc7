/**
 * What one turn asks the scripted model to do, written into the user's message so the model can
 * decide every reply from the request alone: `[sec_…] turn=3 plan=cd+write/save/talk`. Replies are
 * separated by `/`, tool calls within one reply by `+`; `talk` ends the turn with a long text.
 */
import type { ScriptedToolCall } from '../test/support/scripted-provider';

export const OPS = ['cd', 'write', 'save', 'check', 'sleep'] as const;
export type Op = (typeof OPS)[number];

export interface TurnPlan {
  replies: Op[][];
  /** A long streamed final answer: something to interrupt mid-stream. */
  talk: boolean;
}

export interface ParsedMessage {
  secret: string;
  turn: number;
  plan: TurnPlan;
}

export function encodeMessage(secret: string, turn: number, plan: TurnPlan): string {
  const replies = plan.replies.map((ops) => ops.join('+'));
  if (plan.talk) replies.push('talk');
  return `[${secret}] turn=${turn} plan=${replies.join('/')}`;
}

export function parseMessage(text: string): ParsedMessage | undefined {
  const match = /^\[(sec_[0-9a-f]{8})\] turn=(\d+) plan=(\S*)$/.exec(text);
  if (!match) return undefined;
  const parts = match[3] ? match[3].split('/') : [];
  const talk = parts.at(-1) === 'talk';
  const replies = (talk ? parts.slice(0, -1) : parts).map((reply) => reply.split('+') as Op[]);
  if (replies.some((ops) => ops.some((op) => !OPS.includes(op)))) return undefined;
  return { secret: match[1]!, turn: Number(match[2]), plan: { replies, talk } };
}

/** A tag written into every file a call creates: which client, turn and call it came from. */
export function tagOf(secret: string, turn: number, index: number, edited = false): string {
  return `${secret}-t${turn}-o${index}${edited ? '-e' : ''}`;
}

export function findTag(text: string): string | undefined {
  return /tag=(sec_[0-9a-f]{8}-t\d+-o\d+(?:-e)?)/.exec(text)?.[1];
}

export function callIdOf(secret: string, turn: number, index: number): string {
  return `call_${secret}_t${turn}_o${index}`;
}

/** The tool call the model makes for the `index`-th op of a turn. */
export function toolCallFor(op: Op, secret: string, turn: number, index: number): ScriptedToolCall {
  const id = callIdOf(secret, turn, index);
  const tag = tagOf(secret, turn, index);
  const shell = (command: string): ScriptedToolCall => ({ id, name: 'shell', args: { command } });
  switch (op) {
    case 'cd':
      return shell(`mkdir -p sub-${secret} && cd sub-${secret} && export DM_OWNER=${secret} && pwd`);
    case 'write':
      return shell(
        `printf 'owner=${secret} tag=${tag} env=%s\\n' "\${DM_OWNER:-unset}" > sh-${turn}-${index}.txt && echo wrote`,
      );
    case 'save':
      return {
        id,
        name: 'save',
        args: { path: `saved/sv-${turn}-${index}.txt`, content: `owner=${secret} tag=${tag}\n` },
      };
    case 'check':
      // The whole environment too: the scan after the run proves no provider key was in it.
      return shell('echo "env=${DM_OWNER:-unset} pwd=$PWD"; env');
    case 'sleep':
      return shell('sleep 0.2 && echo slept');
  }
}

/** What a user writes instead when they choose "edit" on a call: a different file, its own tag. */
export function editedArgs(
  tool: string,
  secret: string,
  turn: number,
  index: number,
): Record<string, unknown> {
  const tag = tagOf(secret, turn, index, true);
  if (tool === 'save')
    return { path: `saved/ed-${turn}-${index}.txt`, content: `owner=${secret} tag=${tag} edited\n` };
  return {
    command: `printf 'owner=${secret} tag=${tag} edited\\n' > ed-${turn}-${index}.txt && echo edited`,
  };
}

/** Parses a call id made by callIdOf back into its turn and index. */
export function parseCallId(callId: string): { secret: string; turn: number; index: number } | undefined {
  const match = /^call_(sec_[0-9a-f]{8})_t(\d+)_o(\d+)$/.exec(callId);
  return match ? { secret: match[1]!, turn: Number(match[2]), index: Number(match[3]) } : undefined;
}
