import { randomBytes } from 'node:crypto';
import { NamedError } from '../../../shared/errors';

// The same pattern as `id` in src/shared/contract.ts. It is also what keeps a conversation inside the
// conversations folder: no separator can appear, and the first character is never a dot, so an id is
// never `.` or `..`.
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function isConversationId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

/** Checked before any path is built from `id`. */
export function assertConversationId(value: unknown): asserts value is string {
  if (!isConversationId(value)) {
    throw new NamedError('InvalidRequest', 'A conversation id is letters, digits, . _ - (at most 128).', {
      id: typeof value === 'string' ? value.slice(0, 200) : typeof value,
    });
  }
}

/** `2026-11-26-a1b2c3`: the UTC day it was made (as in its `createdAt`) and a random suffix. */
export function generateConversationId(now: Date, random: (bytes: number) => Buffer = randomBytes): string {
  return `${now.toISOString().slice(0, 10)}-${random(3).toString('hex')}`;
}
