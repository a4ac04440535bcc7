import { describe, expect, it } from 'vitest';
import { createTestEngine } from '../../../../test/support/engine';
import type { ConversationSummary } from '../../../shared/domain';

// Client ids are the host's handles on windows (a webContents id, a WebSocket session): one window
// must never learn another's. These are distinctive so a leak shows up in any serialized error.
const OWNER = 'window-owner-7f3a91';
const OTHER = 'window-other-2c4e05';

async function twoWindows() {
  const engine = await createTestEngine();
  engine.connect(OWNER);
  engine.connect(OTHER);
  const call = async <T>(client: string, method: string, input: unknown): Promise<T> => {
    const result = await engine.router.handle(client, method, input);
    if (!result.ok) throw Object.assign(new Error(result.error.message), result.error);
    return result.value as T;
  };
  const created = await call<ConversationSummary>(OWNER, 'conversation.new', { name: 'Release plan' });
  const names = async () =>
    (await call<{ items: ConversationSummary[] }>(OTHER, 'conversation.list', {})).items.map((c) => c.name);
  return { engine, call, id: created.id, names };
}

describe('a conversation open in another window', () => {
  it('cannot be renamed from this one; its owner can, and anyone can once it is closed', async () => {
    const { engine, call, id, names } = await twoWindows();

    const refused = await engine.router.handle(OTHER, 'conversation.rename', { id, name: 'Hijacked' });
    expect(refused).toMatchObject({ ok: false, error: { name: 'AlreadyOpen', message: /rename it there/ } });
    expect(await names()).toEqual(['Release plan']);

    await call(OWNER, 'conversation.rename', { id, name: 'Release plan v2' });
    expect(await names()).toEqual(['Release plan v2']);

    engine.registry.release(OWNER);
    await call(OTHER, 'conversation.rename', { id, name: 'Renamed after close' });
    expect(await names()).toEqual(['Renamed after close']);
  });

  it('cannot be deleted from this one', async () => {
    const { engine, id, names } = await twoWindows();
    const refused = await engine.router.handle(OTHER, 'conversation.delete', { id });
    expect(refused).toMatchObject({ ok: false, error: { name: 'AlreadyOpen' } });
    expect(await names()).toEqual(['Release plan']);
  });

  it("errors never reveal the other window's id", async () => {
    const { engine, id } = await twoWindows();
    const answers = [
      await engine.router.handle(OTHER, 'conversation.open', { id }),
      await engine.router.handle(OTHER, 'conversation.rename', { id, name: 'x' }),
      await engine.router.handle(OTHER, 'conversation.delete', { id }),
    ];
    for (const answer of answers) {
      expect(answer).toMatchObject({ ok: false, error: { name: 'AlreadyOpen' } });
      expect(JSON.stringify(answer)).not.toContain(OWNER);
    }
    expect(JSON.stringify(engine.events.get(OTHER))).not.toContain(OWNER);
  });
});
