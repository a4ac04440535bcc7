import { describe, expect, it } from 'vitest';
import { NamedError } from '../../../shared/errors';
import { ConversationOwners } from './conversation-owners';

function failureOf(run: () => void): NamedError | undefined {
  try {
    run();
  } catch (error) {
    return error as NamedError;
  }
  return undefined;
}

describe('a conversation has at most one window', () => {
  it('a claim holds it for that window; another is refused without learning who holds it', () => {
    const owners = new ConversationOwners();
    owners.claim('c1', 'window-a');
    expect(owners.ownerOf('c1')).toBe('window-a');
    expect(owners.size).toBe(1);
    // The holder itself may claim again (a reopen) and is never refused.
    owners.claim('c1', 'window-a');
    expect(failureOf(() => owners.assertNotElsewhere('c1', 'window-a'))).toBeUndefined();

    const refused = failureOf(() => owners.claim('c1', 'window-b'));
    expect(refused).toBeInstanceOf(NamedError);
    expect(refused?.toShape()).toEqual({
      name: 'AlreadyOpen',
      message: 'This conversation is open in another window',
      data: { conversationId: 'c1' },
    });
    expect(JSON.stringify(refused?.toShape())).not.toContain('window-a');
    expect(owners.ownerOf('c1')).toBe('window-a');
  });

  it('a refusal says what the caller asks it to', () => {
    const owners = new ConversationOwners();
    owners.claim('c1', 'window-a');
    expect(failureOf(() => owners.assertNotElsewhere('c1', 'window-b', 'Rename it there'))?.message).toBe(
      'Rename it there',
    );
    expect(failureOf(() => owners.assertNotElsewhere('c2', 'window-b'))).toBeUndefined();
  });

  it('releasing frees it for another window; a stale release does not free a newer claim', () => {
    const owners = new ConversationOwners();
    const first = owners.claim('c1', 'window-a');
    first.dispose();
    expect(owners.ownerOf('c1')).toBeUndefined();
    expect(owners.size).toBe(0);
    owners.claim('c1', 'window-b');
    // Window A's claim, released again late, must not take B's away.
    first.dispose();
    const staleButOpen = owners.claim('c2', 'window-a');
    owners.claim('c3', 'window-a');
    expect(owners.ownerOf('c1')).toBe('window-b');
    staleButOpen.dispose();
    expect(owners.size).toBe(2);
  });
});

describe("a closed window's turn still writing", () => {
  it('whoever opens the conversation next waits for every write in flight', async () => {
    const owners = new ConversationOwners();
    const done: string[] = [];
    let finishFirst!: () => void;
    let failSecond!: (error: Error) => void;
    owners.drain(
      'c1',
      new Promise<void>((resolve) => (finishFirst = resolve)).then(() => done.push('first')),
    );
    owners.drain('c1', new Promise<void>((_, reject) => (failSecond = reject)));
    let drained = false;
    const waiting = owners.drained('c1').then(() => (drained = true));
    finishFirst();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(done).toEqual(['first']);
    expect(drained).toBe(false);
    // A turn that failed still counts as finished: the next window is not held forever.
    failSecond(new Error('disk full'));
    await waiting;
    expect(drained).toBe(true);
  });

  it('a conversation nothing writes to is ready at once', async () => {
    const owners = new ConversationOwners();
    await expect(owners.drained('c1')).resolves.toBeUndefined();
  });

  it('forgets a drained conversation, but not one a later turn still writes to', async () => {
    const owners = new ConversationOwners();
    let finishFirst!: () => void;
    owners.drain('c1', new Promise<void>((resolve) => (finishFirst = resolve)));
    await new Promise((resolve) => setTimeout(resolve, 0));
    let finishSecond!: () => void;
    owners.drain('c1', new Promise<void>((resolve) => (finishSecond = resolve)));
    finishFirst();
    await new Promise((resolve) => setTimeout(resolve, 0));
    let drained = false;
    const waiting = owners.drained('c1').then(() => (drained = true));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(drained).toBe(false);
    finishSecond();
    await waiting;
    expect(drained).toBe(true);
  });
});
