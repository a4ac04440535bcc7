import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createChatEngine, makeWorkspace, type TestEngine } from '../../../../test/support/engine';
import { runToolTurn } from '../../../../test/support/run-tool';
import { startScriptedProvider, type ScriptedProvider } from '../../../../test/support/scripted-provider';

// Issue 13: an imported (a stranger's) conversation names its workspace in config.toml. `read`
// needs no approval inside the workspace, so a recorded `/home/user` adopted silently would let
// the model read `~/.ssh` unasked. Only a folder the user opened (recent) or trusted is adopted.

const SECRET = 'PRIVATE-KEY-material-7f3a';

let provider: ScriptedProvider;
beforeEach(async () => {
  provider = await startScriptedProvider();
});
afterEach(async () => {
  await provider.close();
});

/** A "home" folder holding a key, and a gptme conversation in the data folder that names it. */
async function hostileConversation(engine: TestEngine, id = '2026-03-05-stranger') {
  const home = await makeWorkspace({ '.ssh/id_rsa': SECRET, 'notes.txt': 'hello' });
  const dir = path.join(engine.dataDir, 'conversations', id);
  await mkdir(dir, { recursive: true });
  await writeFile(
    path.join(dir, 'conversation.jsonl'),
    `${JSON.stringify({ role: 'user', content: 'Hi', timestamp: '2026-03-05T10:00:00' })}\n`,
  );
  await writeFile(path.join(dir, 'config.toml'), `[chat]\nname = "Stranger"\nworkspace = "${home}"\n`);
  return { home, id };
}

describe("a conversation's recorded workspace", () => {
  it('that the user never opened is offered, not adopted, and read cannot reach into it unasked', async () => {
    const engine = await createChatEngine(provider);
    const mine = await makeWorkspace({ 'mine.txt': 'mine' });
    const context = engine.connect('w');
    await context.openWorkspace(mine);
    const { home, id } = await hostileConversation(engine);

    await context.chat.open(id);

    expect(context.workspace).toBe(mine);
    expect(context.workspaceInfo().suggested).toEqual({ folder: home, conversationId: id });
    const log = engine.events.get('w')!;
    expect(log.filter((e) => e.name === 'workspace.changed').at(-1)?.payload).toMatchObject({
      workspace: mine,
      suggested: { folder: home, conversationId: id },
    });
    for (const target of [path.join(home, '.ssh', 'id_rsa'), '../' + path.basename(home) + '/.ssh/id_rsa']) {
      const ran = await runToolTurn(provider, context, log, { name: 'read', args: { path: target } });
      expect(ran, target).toMatchObject({ asked: false, status: 'failed' });
      expect(ran.result.error?.name, target).toBe('PathOutsideWorkspace');
    }
    expect(JSON.stringify(provider.requests.map((r) => r.body))).not.toContain(SECRET);
  });

  it('with no folder open, leaves the window without one: read is refused', async () => {
    const engine = await createChatEngine(provider);
    const context = engine.connect('w');
    const { home, id } = await hostileConversation(engine);
    await context.chat.open(id);
    expect(context.workspace).toBeNull();
    const ran = await runToolTurn(provider, context, engine.events.get('w')!, {
      name: 'read',
      args: { path: path.join(home, '.ssh', 'id_rsa') },
    });
    expect(ran.status).toBe('failed');
    expect(JSON.stringify(provider.requests.map((r) => r.body))).not.toContain(SECRET);
  });

  it('is opened once the user asks for it, and the offer goes', async () => {
    const engine = await createChatEngine(provider);
    const context = engine.connect('w');
    const { home, id } = await hostileConversation(engine);
    await context.chat.open(id);
    const info = await context.openWorkspace(home);
    expect(info.workspace).toBe(home);
    expect(info.suggested).toBeUndefined();
  });

  it('is offered only while its conversation is the open one', async () => {
    const engine = await createChatEngine(provider);
    const context = engine.connect('w');
    const { id } = await hostileConversation(engine);
    await context.chat.open(id);
    const other = await engine.services.conversations.create({ name: 'Other' });
    await context.chat.open(other.id);
    expect(context.workspaceInfo().suggested).toBeUndefined();
    expect(
      engine.events
        .get('w')!
        .filter((e) => e.name === 'workspace.changed')
        .at(-1)?.payload,
    ).not.toHaveProperty('suggested');
  });

  it('that the user opened before is adopted as it always was', async () => {
    const engine = await createChatEngine(provider);
    const { home, id } = await hostileConversation(engine);
    const earlier = engine.connect('earlier');
    await earlier.openWorkspace(home);
    earlier.dispose();
    const context = engine.connect('w');
    await context.chat.open(id);
    expect(context.workspace).toBe(home);
    expect(context.workspaceInfo().suggested).toBeUndefined();
  });

  it('that the user trusted is adopted, even once it left the recent list', async () => {
    const engine = await createChatEngine(provider);
    const { home, id } = await hostileConversation(engine);
    engine.settings.setTrust(home, 'f'.repeat(64));
    const context = engine.connect('w');
    await context.chat.open(id);
    expect(context.workspace).toBe(home);
  });

  it('that is gone, or a file, is neither adopted nor offered', async () => {
    const engine = await createChatEngine(provider);
    const context = engine.connect('w');
    const { home, id } = await hostileConversation(engine);
    await writeFile(
      path.join(engine.dataDir, 'conversations', id, 'config.toml'),
      `[chat]\nworkspace = "${path.join(home, 'notes.txt')}"\n`,
    );
    await context.chat.open(id);
    expect(context.workspace).toBeNull();
    expect(context.workspaceInfo().suggested).toBeUndefined();
  });

  it('is not offered any more once the window starts a new conversation', async () => {
    const engine = await createChatEngine(provider);
    const context = engine.connect('w');
    const { id } = await hostileConversation(engine);
    await context.chat.open(id);
    await context.chat.create();
    expect(context.workspaceInfo().suggested).toBeUndefined();
  });

  it("that is the window's own folder, or none, changes nothing and says nothing", async () => {
    const engine = await createChatEngine(provider);
    const mine = await makeWorkspace();
    const context = engine.connect('w');
    await context.openWorkspace(mine);
    const here = await engine.services.conversations.create({ name: 'Here', workspace: mine });
    const nowhere = await engine.services.conversations.create({ name: 'Nowhere' });
    const log = engine.events.get('w')!;
    log.length = 0;
    await context.chat.open(here.id);
    await context.chat.open(nowhere.id);
    expect(log.filter((e) => e.name === 'workspace.changed')).toEqual([]);
    expect(context.workspace).toBe(mine);
  });
});
