import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openChatWindow } from '../../../../test/support/engine';
import { runToolTurn } from '../../../../test/support/run-tool';
import { startScriptedProvider, type ScriptedProvider } from '../../../../test/support/scripted-provider';
import type { WindowContext } from '../context/window-context';

// Issue 10, bug 5: "always" given on a shell card silently covered every tool, and nothing showed
// or took back a grant.

let provider: ScriptedProvider;
beforeEach(async () => {
  provider = await startScriptedProvider();
});
afterEach(async () => {
  await provider.close();
});

async function setup() {
  const { engine, workspace, context } = await openChatWindow(provider);
  return { engine, workspace, context, ...tools(engine.events.get('w')!, context) };
}

function tools(log: Parameters<typeof runToolTurn>[2], context: WindowContext) {
  type Answer = Parameters<typeof context.chat.respond>[1];
  return {
    log,
    shell: (command: string, answer?: Answer) =>
      runToolTurn(provider, context, log, { name: 'shell', args: { command } }, answer),
    save: (file: string, answer?: Answer) =>
      runToolTurn(provider, context, log, { name: 'save', args: { path: file, content: 'x' } }, answer),
  };
}

describe('approval grants are per tool', () => {
  it('"always" on shell does not approve save, and the window hears which grant it holds', async () => {
    const { context, log, shell, save } = await setup();
    expect(await shell('echo one', { action: 'always' })).toMatchObject({ asked: true, status: 'completed' });
    expect(context.chat.grants).toEqual([{ tool: 'shell', grant: 'always' }]);
    expect(log.filter((e) => e.name === 'grants.changed').at(-1)?.payload).toEqual({
      grants: [{ tool: 'shell', grant: 'always' }],
    });
    expect(await save('a.txt')).toMatchObject({ asked: true, status: 'completed' });
    expect(await shell('echo two')).toMatchObject({ asked: false });
  });

  it('"auto next N" counts one tool\'s calls down, and ends at zero', async () => {
    const { context, shell, save } = await setup();
    await save('1.txt', { action: 'auto', count: 2 });
    expect(context.chat.grants).toEqual([{ tool: 'save', grant: 2 }]);
    expect(await shell('echo asked')).toMatchObject({ asked: true });
    expect(await save('2.txt')).toMatchObject({ asked: false });
    expect(context.chat.grants).toEqual([{ tool: 'save', grant: 1 }]);
    expect(await save('3.txt')).toMatchObject({ asked: false });
    expect(context.chat.grants).toEqual([]);
    expect(await save('4.txt')).toMatchObject({ asked: true });
  });

  it('revoking a grant makes the next call ask, and the saved conversation forgets it', async () => {
    const { engine, context, shell, save } = await setup();
    await shell('echo one', { action: 'always' });
    await save('a.txt', { action: 'always' });
    expect(context.chatConfig.autoApprove).toEqual({ shell: 'always', save: 'always' });

    const result = await engine.router.handle('w', 'grants.revoke', { tool: 'shell' });
    expect(result).toEqual({ ok: true, value: { grants: [{ tool: 'save', grant: 'always' }] } });
    expect(context.chatConfig.autoApprove).toEqual({ save: 'always' });
    expect(await shell('echo two')).toMatchObject({ asked: true });
    expect(await save('b.txt')).toMatchObject({ asked: false });

    context.chat.revokeGrant('save');
    expect(context.chatConfig.autoApprove).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const meta = await engine.services.conversations.readMeta(context.chat.conversationId!);
    expect(meta.chat.autoApprove).toBeUndefined();
    expect(await save('c.txt')).toMatchObject({ asked: true });
  });

  it('a per-tool grant comes back with its conversation, in its folder', async () => {
    const { engine, workspace, context, shell } = await setup();
    await shell('echo one', { action: 'always' });
    const id = context.chat.conversationId!;
    context.dispose();
    const back = engine.connect('back');
    await back.openWorkspace(workspace);
    await back.chat.open(id);
    expect(back.chat.grants).toEqual([{ tool: 'shell', grant: 'always' }]);
    const again = tools(engine.events.get('back')!, back);
    expect(await again.shell('echo two')).toMatchObject({ asked: false });
    expect(back.chat.grants).toEqual([{ tool: 'shell', grant: 'always' }]);
    expect(await again.save('a.txt')).toMatchObject({ asked: true });
  });

  it('an old conversation whose "always" covered every tool opens without it: everything asks', async () => {
    const { engine, workspace, context, shell } = await setup();
    await shell('echo one');
    const id = context.chat.conversationId!;
    // What chat.json held before grants were per tool, saved in this very folder and trust.
    await engine.services.conversations.setChat(id, { autoApprove: 'always' }, context.grantScope);
    expect((await engine.services.conversations.readMeta(id)).chat.autoApprove).toBe('always');
    context.dispose();

    const back = engine.connect('back');
    await back.openWorkspace(workspace);
    await back.chat.open(id);
    expect(back.chatConfig.autoApprove).toBeUndefined();
    const again = tools(engine.events.get('back')!, back);
    expect(await again.shell('echo two')).toMatchObject({ asked: true });
    expect(await again.save('a.txt')).toMatchObject({ asked: true });
  });

  it('a program may still grant every tool for the running window, and revoke it as "*"', async () => {
    const { context, shell, save } = await setup();
    context.setChatConfig({ autoApprove: 'always' });
    expect(await shell('echo one')).toMatchObject({ asked: false });
    expect(context.chat.grants).toEqual([{ tool: '*', grant: 'always' }]);
    context.chat.revokeGrant('*');
    expect(context.chatConfig.autoApprove).toBeUndefined();
    expect(await save('a.txt')).toMatchObject({ asked: true });
  });
});
