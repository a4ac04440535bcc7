import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createChatEngine,
  openChatWindow,
  makeWorkspace,
  waitForEvent,
} from '../../../../test/support/engine';
import { runToolTurn } from '../../../../test/support/run-tool';
import { startScriptedProvider, type ScriptedProvider } from '../../../../test/support/scripted-provider';

let provider: ScriptedProvider;
beforeEach(async () => {
  provider = await startScriptedProvider();
});
afterEach(async () => {
  await provider.close();
});

const PROJECT = '[env]\nGREETING = "hello from the project"\n';

async function setup(files: Record<string, string> = { '.deskmate.toml': PROJECT }) {
  const { engine, workspace, context } = await openChatWindow(provider, files);
  const log = engine.events.get('w')!;
  const shell = (command: string, answer?: Parameters<typeof context.chat.respond>[1]) =>
    runToolTurn(provider, context, log, { name: 'shell', args: { command } }, answer);
  return { engine, workspace, context, log, shell };
}

describe('workspace trust', () => {
  it('an untrusted workspace keeps its env from the shell; trusting applies exactly what was listed', async () => {
    const { engine, workspace, context, log, shell } = await setup();
    expect(context.trust).toMatchObject({ trusted: false, changed: false, declined: false });
    expect(context.trust.request.env).toEqual([
      { name: 'GREETING', value: 'hello from the project', file: path.join(workspace, '.deskmate.toml') },
    ]);
    expect(context.config.warnings.map((w) => w.message)).toContain(
      'env (GREETING): not applied, this workspace is not trusted',
    );
    expect((await shell('echo "[$GREETING]"')).result.output).toContain('[]');

    context.setTrust(true);
    expect(context.trust.trusted).toBe(true);
    const changed = await waitForEvent(log, 'workspace.changed', (info) => info.trust.trusted);
    expect(changed.workspace).toBe(workspace);
    expect(engine.settings.trustOf(workspace)).toBeDefined();
    expect((await shell('echo "[$GREETING]"')).result.output).toContain('[hello from the project]');

    // The repository asks for more after it was trusted (a pull, a checkout): asked again, nothing
    // applied, and grants given under the old trust end.
    await shell('echo granted', { action: 'always' });
    await writeFile(path.join(workspace, '.deskmate.toml'), `${PROJECT}LD_PRELOAD = "./evil.so"\n`);
    await context.openWorkspace(workspace);
    expect(context.trust).toMatchObject({ trusted: false, changed: true });
    expect(context.config.effective.env).toEqual({});
    const after = await shell('echo "[$GREETING][$LD_PRELOAD]"');
    expect(after).toMatchObject({ asked: true });
    expect(after.result.output).toContain('[][]');
  });

  it('declining keeps the window working, untrusted, and closes the prompt until asked for something else', async () => {
    const { engine, workspace, context, shell } = await setup();
    const info = context.setTrust(false);
    expect(info.trust).toMatchObject({ trusted: false, declined: true });
    expect(engine.settings.trustOf(workspace)).toBeUndefined();
    expect((await shell('echo "[$GREETING]"')).status).toBe('completed');
    // Revoking a trusted folder works the same way, and the env leaves the shell at once.
    context.setTrust(true);
    expect((await shell('echo "[$GREETING]"')).result.output).toContain('[hello from the project]');
    context.setTrust(false);
    expect(engine.settings.trustOf(workspace)).toBeUndefined();
    expect((await shell('echo "[$GREETING]"')).result.output).toContain('[]');
  });

  it('trust given in one window reaches another window on the same folder, and no other folder', async () => {
    const { engine, workspace, context } = await setup();
    const twin = engine.connect('twin');
    await twin.openWorkspace(workspace);
    const other = engine.connect('other');
    await other.openWorkspace(await makeWorkspace({ '.deskmate.toml': PROJECT }));
    context.setTrust(true);
    expect(twin.trust.trusted).toBe(true);
    expect(twin.config.effective.env).toEqual({ GREETING: 'hello from the project' });
    expect(other.trust.trusted).toBe(false);
    expect(other.config.effective.env).toEqual({});
  });

  it('a trusted project still cannot set bash hooks', async () => {
    const marker = path.join(await makeWorkspace(), 'hook-ran');
    const { context, shell } = await setup({
      '.deskmate.toml': `[env]\nBASH_ENV = "./hook.sh"\nPROMPT_COMMAND = "./hook.sh"\nOK = "yes"\n`,
      'hook.sh': `touch ${marker}\n`,
    });
    context.setTrust(true);
    expect(context.config.effective.env).toEqual({ OK: 'yes' });
    expect((await shell('echo "[$OK]"')).result.output).toContain('[yes]');
    expect(existsSync(marker)).toBe(false);
  });
});

describe('approval grants are scoped to the workspace', () => {
  it('"always" and "auto next N" end when the window switches folders', async () => {
    const { context, shell } = await setup({});
    expect(await shell('echo one', { action: 'always' })).toMatchObject({ asked: true, status: 'completed' });
    expect(context.chatConfig.autoApprove).toEqual({ shell: 'always' });
    expect(await shell('echo two')).toMatchObject({ asked: false, status: 'completed' });

    await context.openWorkspace(await makeWorkspace());
    expect(context.chatConfig.autoApprove).toBeUndefined();
    expect(await shell('echo three', { action: 'auto', count: 5 })).toMatchObject({ asked: true });
    expect(await shell('echo four')).toMatchObject({ asked: false });

    await context.openWorkspace(await makeWorkspace());
    expect(await shell('echo five')).toMatchObject({ asked: true });
  });

  it('a change of trust ends every grant too', async () => {
    const { context, shell } = await setup();
    await shell('echo one', { action: 'always' });
    context.setTrust(true);
    expect(context.chatConfig.autoApprove).toBeUndefined();
    expect(await shell('echo two', { action: 'auto', count: 3 })).toMatchObject({ asked: true });
    context.setTrust(false);
    expect(await shell('echo three')).toMatchObject({ asked: true });
  });

  it('a conversation reopened in its own folder keeps its grant; elsewhere it does not', async () => {
    const { engine, workspace, context, shell } = await setup({});
    await shell('echo one', { action: 'always' });
    const id = context.chat.conversationId!;
    context.dispose();

    const back = engine.connect('back');
    await back.openWorkspace(await makeWorkspace());
    await back.chat.open(id);
    expect(back.workspace).toBe(workspace);
    expect(back.chatConfig.autoApprove).toEqual({ shell: 'always' });
    back.dispose();

    // The folder is gone: the conversation opens in this window's folder, without its grant.
    const elsewhere = engine.connect('elsewhere');
    const folder = await makeWorkspace();
    await elsewhere.openWorkspace(folder);
    await engine.services.conversations.setWorkspace(id, path.join(folder, 'missing'));
    await engine.services.conversations.setChat(id, { autoApprove: 'always' });
    await elsewhere.chat.open(id);
    expect(elsewhere.workspace).toBe(folder);
    expect(elsewhere.chatConfig.autoApprove).toBeUndefined();
  });

  it('a folder cannot be switched under a running turn', async () => {
    const { context, log } = await setup({});
    provider.enqueue({
      kind: 'stream',
      toolCalls: [{ id: 'busy1', name: 'shell', args: { command: 'echo x' } }],
    });
    const { done } = await context.chat.send('go');
    await waitForEvent(log, 'tool.pending');
    await expect(context.openWorkspace(await makeWorkspace())).rejects.toMatchObject({ name: 'Busy' });
    context.chat.interrupt();
    await done;
  });
});

describe('no secret reaches a tool', () => {
  it('an approved `env` shows no provider key, token or secret, and bash ignores hooks from the host', async () => {
    const marker = path.join(await makeWorkspace(), 'hook-ran');
    const hook = path.join(await makeWorkspace({ 'hook.sh': `touch ${marker}\n` }), 'hook.sh');
    const engine = await createChatEngine(provider);
    // createChatEngine's host env carries OPENAI_API_KEY=sk-test-key; add what a developer's shell has.
    const hosted = await (
      await import('../../../../test/support/engine')
    ).createTestEngine({
      OPENAI_BASE_URL: provider.url,
      OPENAI_API_KEY: 'sk-test-key',
      GITHUB_TOKEN: 'ghp_secret',
      DESKMATE_TOKEN: 'web-token-secret',
      AWS_SECRET_ACCESS_KEY: 'aws-secret',
      BASH_ENV: hook,
      'BASH_FUNC_echo%%': '() { builtin echo hijacked; }',
    });
    hosted.settings.update({ model: 'scripted-model', requestTimeoutMs: 2_000 });
    for (const { connect, events } of [engine, hosted]) {
      const context = connect('w');
      await context.openWorkspace(await makeWorkspace());
      const { result } = await runToolTurn(provider, context, events.get('w')!, {
        name: 'shell',
        args: { command: 'env; echo plain' },
      });
      expect(result.output).toContain('PATH=');
      expect(result.output).toContain('plain');
      for (const secret of ['sk-test-key', 'ghp_secret', 'web-token-secret', 'aws-secret', 'hijacked'])
        expect(result.output).not.toContain(secret);
    }
    expect(existsSync(marker)).toBe(false);
  });
});

describe('trust and grants, as a reviewer attacked them', () => {
  it('an "always" given before trust is not honoured after it, even in a conversation reopened later', async () => {
    const { context, shell } = await setup();
    await shell('echo hi', { action: 'always' });
    const granted = context.chat.conversationId!;
    await context.chat.create('another');
    context.setTrust(true);
    await context.chat.open(granted);
    expect(context.chatConfig.autoApprove).toBeUndefined();
    const run = await shell('echo "[$GREETING]"');
    expect(run.asked).toBe(true);
  });

  it('a new conversation and a fork start without the grants of the one they came from', async () => {
    const { engine, context, shell } = await setup({});
    await shell('echo hi', { action: 'always' });
    const granted = context.chat.conversationId!;
    const fork = await engine.services.conversations.fork(granted);
    expect((await engine.services.conversations.readMeta(fork.id)).chat.autoApprove).toBeUndefined();
    await context.chat.create('fresh');
    expect(context.chatConfig.autoApprove).toBeUndefined();
    expect(await shell('echo two')).toMatchObject({ asked: true });
  });

  it('the project files are read again before each turn: a request changed since trust is not applied', async () => {
    const { workspace, context, log, shell } = await setup();
    context.setTrust(true);
    expect((await shell('echo "[$GREETING]"')).result.output).toContain('[hello from the project]');
    await writeFile(path.join(workspace, '.deskmate.toml'), `${PROJECT}NODE_OPTIONS = "--require ./x.js"\n`);
    const run = await shell('echo "[$GREETING][$NODE_OPTIONS]"');
    expect(run.result.output).toContain('[][]');
    expect(context.trust).toMatchObject({ trusted: false, changed: true });
    expect(log.filter((e) => e.name === 'workspace.changed').at(-1)?.payload).toMatchObject({
      trust: { trusted: false, changed: true },
    });
  });

  it('trusting answers the list the user saw: a request that changed meanwhile is refused', async () => {
    const { workspace, context } = await setup();
    const seen = context.trust.fingerprint;
    await writeFile(path.join(workspace, '.deskmate.toml'), `${PROJECT}LD_PRELOAD = "./x.so"\n`);
    await context.reloadProjectFiles();
    expect(() => context.setTrust(true, seen)).toThrow(
      expect.objectContaining({ name: 'TrustRequestChanged' }),
    );
    expect(context.trust.trusted).toBe(false);
    expect(context.setTrust(true, context.trust.fingerprint).trust.trusted).toBe(true);
  });

  it('a turn cannot start while a conversation or folder is being opened', async () => {
    const { engine, context } = await setup({});
    const other = engine.connect('other');
    await other.openWorkspace(await makeWorkspace());
    const created = await other.chat.create('elsewhere');
    other.dispose();
    const opening = context.chat.open(created.id);
    await expect(context.chat.send('now')).rejects.toMatchObject({ name: 'Busy' });
    await opening;
  });
});

describe('a grant set before the first message', () => {
  it('holds for every turn of the conversation that message starts, and is saved with its scope', async () => {
    const { engine, context, shell } = await setup({});
    context.setChatConfig({ autoApprove: 'always' });
    expect(await shell('echo one')).toMatchObject({ asked: false });
    expect(await shell('echo two')).toMatchObject({ asked: false });
    const meta = await engine.services.conversations.readMeta(context.chat.conversationId!);
    expect(meta.grantScope).toBe(context.grantScope);
  });

  it('ends with a deleted conversation: the next one starts without it', async () => {
    const { context, shell } = await setup({});
    await shell('echo one', { action: 'always' });
    context.chat.detach();
    expect(context.chatConfig.autoApprove).toBeUndefined();
    expect(await shell('echo two')).toMatchObject({ asked: true });
  });
});
