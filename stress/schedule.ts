/**
 * The weights of the random schedule: what a client does next, what it does while its turn
 * runs, and how it answers a tool that waits for approval. Drawn from a seeded stream per client.
 */
import type { Random } from './seeded-random';
import type { Op, TurnPlan } from './turn-plan';

export const ACTIONS = {
  send: 50,
  config: 8,
  workspace: 9,
  newConversation: 7,
  openConversation: 9,
  dispose: 7,
  probe: 5,
} as const;
export type Action = keyof typeof ACTIONS;

/** What happens while a turn runs, after a random delay. */
export const MID_TURN = {
  none: 48,
  interrupt: 24,
  dispose: 6,
  workspace: 8,
  config: 8,
  probe: 6,
} as const;
export type MidTurn = keyof typeof MID_TURN;

export const ANSWERS = { approve: 50, skip: 17, edit: 15, auto: 18 } as const;
export type Answer = keyof typeof ANSWERS;

const OP_WEIGHTS: Record<Op, number> = { cd: 3, write: 4, save: 3, check: 2, sleep: 1 };

export function turnPlan(random: Random): TurnPlan {
  const replies: Op[][] = [];
  const count = random.int(0, 3);
  for (let i = 0; i < count; i++) {
    const ops = Array.from({ length: random.chance(0.25) ? 2 : 1 }, () => random.weighted(OP_WEIGHTS));
    replies.push(ops);
  }
  return { replies, talk: random.chance(0.2) };
}
