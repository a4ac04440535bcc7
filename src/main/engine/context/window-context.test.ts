import { createHash } from 'node:crypto';
import { realpath, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createTestEngine, groupAlive, makeWorkspace } from '../../../../test/support/engine';
import type { NamedError } from '../../../shared/errors';

const ENV_REQUEST = '[env]\nFOO = "bar"\n';

async function oneWindow(files: Record<string, string> = { 'gptme.toml': ENV_REQUEST }) {
  const engine = await createTestEngine();
  const context = engine.connect('w');
  const ws = await realpath(await makeWorkspace(files));
  const log = engine.events.get('w')!;
  const names = () => log.map((event) => event.name);
  return { engine, context, ws, log, names };
}

function failureOf(run: () => unknown): NamedError {
  try {
    run();
  } catch (error) {
    return error as NamedError;
  }
  throw new Error('expected a failure');
}

describe('a window and its folder', () => {
  it('starts with no folder, untrusted, with the shared layers below its own', async () => {
    const { engine, context } = await oneWindow();
    expect(context.workspace).toBeNull();
    expect(context.clientId).toBe('w');
    expect(context.services).toBe(engine.services);
    expect(context.trust).toMatchObject({ trusted: false, changed: false, declined: false });
    expect(context.config.layers.map((layer) => layer.source)).toEqual([
      'defaults',
      'environment',
      'user',
      'chat',
    ]);
    expect(context.workspaceInfo()).toEqual({ workspace: null, projectFiles: [], trust: context.trust });
    expect(context.away).toBe(false);
    context.setAway(true);
    expect(context.away).toBe(true);
    context.setAway(false);
    expect(context.away).toBe(false);
  });

  it('opening a folder announces it, lists it as recent and saves it with the conversation', async () => {
    const { engine, context, ws, log, names } = await oneWindow();
    const { id } = await context.chat.create('Plan');
    log.splice(0);
    const info = await context.openWorkspace(ws);
    expect(info).toEqual({
      workspace: ws,
      projectFiles: [path.join(ws, 'gptme.toml')],
      trust: context.trust,
    });
    expect(names()).toEqual(['config.changed', 'workspace.changed']);
    expect(engine.settings.recentWorkspaces()).toEqual([ws]);
    expect((await engine.services.conversations.readMeta(id)).workspace).toBe(ws);
    expect(context.switching).toBe(false);
  });

  it('is switching while a folder opens, and not after it failed', async () => {
    const { context, ws } = await oneWindow();
    const opening = context.openWorkspace(ws);
    expect(context.switching).toBe(true);
    await opening;
    expect(context.switching).toBe(false);
    await expect(context.openWorkspace(path.join(ws, 'missing'))).rejects.toMatchObject({
      name: 'NotFound',
      message: `Folder not found: ${path.join(ws, 'missing')}`,
      data: { path: path.join(ws, 'missing') },
    });
    expect(context.switching).toBe(false);
    await expect(context.openWorkspace(path.join(ws, 'gptme.toml'))).rejects.toMatchObject({
      name: 'InvalidRequest',
      message: `Not a folder: ${path.join(ws, 'gptme.toml')}`,
      data: { path: path.join(ws, 'gptme.toml') },
    });
  });

  it('the same folder opened again keeps what was approved there; another folder ends it', async () => {
    const { context, ws } = await oneWindow();
    await context.openWorkspace(ws);
    context.setChatConfig({ autoApprove: 'always' });
    await context.openWorkspace(ws);
    expect(context.chatConfig.autoApprove).toBe('always');
    const other = await makeWorkspace();
    await context.openWorkspace(other);
    expect(context.chatConfig.autoApprove).toBeUndefined();
  });

  it('a project file that appears is read on reload, and announced when asked', async () => {
    const { context, ws, log, names } = await oneWindow({});
    await context.reloadProjectFiles(); // no folder yet: nothing to read, nothing said
    expect(names()).toEqual([]);
    await context.openWorkspace(ws);
    log.splice(0);
    await context.reloadProjectFiles();
    expect(names()).toEqual(['config.changed']);
    await writeFile(path.join(ws, '.deskmate.toml'), 'model = "from-file"\n');
    await context.reloadProjectFiles({ announce: true });
    expect(names()).toEqual(['config.changed', 'config.changed', 'workspace.changed']);
    expect(context.config.effective.model).toBe('from-file');
    expect(context.workspaceInfo().projectFiles).toEqual([path.join(ws, '.deskmate.toml')]);
  });
});

describe('trust', () => {
  it('needs a folder', async () => {
    const { context } = await oneWindow();
    expect(failureOf(() => context.setTrust(true))).toMatchObject({
      name: 'NoWorkspace',
      message: 'No workspace folder is open',
    });
    expect(failureOf(() => context.trustForThisRun())).toMatchObject({
      name: 'NoWorkspace',
      message: 'No workspace folder is open',
    });
  });

  it('answers exactly the list the user saw', async () => {
    const { engine, context, ws } = await oneWindow();
    await context.openWorkspace(ws);
    expect(context.trust).toMatchObject({ trusted: false, changed: false, declined: false });
    const seen = context.trust.fingerprint;
    const refused = failureOf(() => context.setTrust(true, 'a-list-from-before'));
    expect(refused).toMatchObject({
      name: 'TrustRequestChanged',
      message: "This folder's project files changed while you were deciding; review the new list",
      data: { trust: context.trust },
    });
    expect(context.trust.trusted).toBe(false);
    // Declining needs no list: whatever it asks now is declined.
    const log = engine.events.get('w')!;
    log.splice(0);
    expect(context.setTrust(false, 'a-list-from-before').trust).toMatchObject({
      trusted: false,
      declined: true,
    });
    // The prompt closes in the window: the answer is announced though trust did not change.
    expect(log.map((event) => event.name)).toEqual(['config.changed', 'workspace.changed']);
    expect(context.setTrust(true, seen).trust).toMatchObject({ trusted: true, declined: false });
  });

  it("another window's answer for the same folder reaches this one, announced", async () => {
    const { engine, context, ws, log, names } = await oneWindow();
    await context.openWorkspace(ws);
    const other = engine.connect('other');
    await other.openWorkspace(ws);
    log.splice(0);
    other.setTrust(true);
    expect(context.trust.trusted).toBe(true);
    expect(names()).toEqual(['config.changed', 'workspace.changed']);
    // A plain settings change is not a trust change: nothing to announce about the folder.
    log.splice(0);
    engine.settings.update({ model: 'other-model' });
    expect(names()).toEqual(['config.changed']);
  });

  it('trust for this run only: never saved, and not for what the files ask later', async () => {
    const { engine, context, ws } = await oneWindow();
    await context.openWorkspace(ws);
    context.trustForThisRun();
    expect(context.trust.trusted).toBe(true);
    expect(context.config.effective.env).toEqual({ FOO: 'bar' });
    expect(engine.settings.trustedFolders()).toEqual([]);
    // Another window on the same folder is not trusted by it.
    const other = engine.connect('other');
    await other.openWorkspace(ws);
    expect(other.trust.trusted).toBe(false);
    await writeFile(path.join(ws, 'gptme.toml'), '[env]\nFOO = "changed"\n');
    await context.reloadProjectFiles();
    expect(context.trust.trusted).toBe(false);
    expect(context.config.effective.env).toEqual({});
  });

  it('trust for this run stays with its folder', async () => {
    const { context, ws } = await oneWindow();
    const twin = await realpath(await makeWorkspace({ 'gptme.toml': ENV_REQUEST }));
    await context.openWorkspace(ws);
    context.trustForThisRun();
    await context.openWorkspace(twin);
    expect(context.trust.trusted).toBe(false);
  });

  it('declining in one folder leaves the prompt of the next folder open, even for the same request', async () => {
    const { context, ws } = await oneWindow();
    await context.openWorkspace(ws);
    context.setTrust(false);
    expect(context.trust.declined).toBe(true);
    await context.openWorkspace(await makeWorkspace({ 'gptme.toml': ENV_REQUEST }));
    expect(context.trust).toMatchObject({ trusted: false, declined: false });
  });

  it('the scope of a grant is stable across versions: folder and trust, hashed as saved', async () => {
    const { context, ws } = await oneWindow();
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    expect(context.grantScope).toBe(sha('\0untrusted'));
    await context.openWorkspace(ws);
    expect(context.grantScope).toBe(sha(`${ws}\0untrusted`));
    context.setTrust(true);
    expect(context.grantScope).toBe(sha(`${ws}\0${context.trust.fingerprint}`));
  });

  it('a grant is scoped to its folder and its trust', async () => {
    const { context, ws } = await oneWindow();
    const none = context.grantScope;
    expect(none).toMatch(/^[0-9a-f]{64}$/);
    await context.openWorkspace(ws);
    const untrusted = context.grantScope;
    expect(untrusted).not.toBe(none);
    context.setTrust(true);
    const trusted = context.grantScope;
    expect(trusted).not.toBe(untrusted);
    context.setTrust(false);
    expect(context.grantScope).toBe(untrusted);
    await context.openWorkspace(await makeWorkspace({ 'gptme.toml': ENV_REQUEST }));
    expect(context.grantScope).not.toBe(untrusted);
  });
});

describe('the chat layer', () => {
  it('is saved with the attached conversation, with the scope of its grant', async () => {
    const { engine, context, ws } = await oneWindow();
    await context.openWorkspace(ws);
    const { id } = await context.chat.create();
    context.setChatConfig({ model: 'chat-model', autoApprove: 'always' });
    await vi.waitFor(async () => {
      const meta = await engine.services.conversations.readMeta(id);
      expect(meta.chat).toEqual({ model: 'chat-model', autoApprove: 'always' });
      expect(meta.grantScope).toBe(context.grantScope);
    });
    context.setChatConfig({}, ['model']);
    expect(context.chatConfig).toEqual({ autoApprove: 'always' });
    expect(context.config.layers.at(-1)?.source).toBe('chat');
  });

  it('with no conversation open, the chat layer stays in the window and nothing is saved', async () => {
    const { context } = await oneWindow();
    const warned = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      context.setChatConfig({ model: 'unsaved' });
      // Absence can only be waited for: a failed save would have warned by now.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(warned).not.toHaveBeenCalled();
    } finally {
      warned.mockRestore();
    }
  });

  it('a chat layer that cannot be saved is said in the log, and the window goes on', async () => {
    const { engine, context } = await oneWindow();
    const { id } = await context.chat.create();
    await engine.services.conversations.delete(id);
    const warned = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      expect(context.setChatConfig({ model: 'kept-here' }).effective.model).toBe('kept-here');
      await vi.waitFor(() => expect(warned).toHaveBeenCalledTimes(1));
      expect(String(warned.mock.calls[0]?.[0])).toContain(id);
    } finally {
      warned.mockRestore();
    }
  });

  it("an untrusted folder's files may still turn tools off", async () => {
    const { context, ws } = await oneWindow({ 'gptme.toml': 'tools = ["read"]\n' });
    await context.openWorkspace(ws);
    expect(context.trust.trusted).toBe(false);
    expect(context.config.effective.tools).toEqual(['read']);
  });

  it('a restored chat config keeps only what a chat may set', async () => {
    const { context } = await oneWindow();
    context.restoreChatConfig({ model: 'resumed', temperature: 'hot' } as never);
    expect(context.chatConfig).toEqual({ model: 'resumed' });
    expect(context.config.layers.at(-1)?.source).toBe('chat');
    expect(context.config.effective.model).toBe('resumed');
  });

  it('what a client sees has the key redacted', async () => {
    const engine = await createTestEngine({ OPENAI_API_KEY: 'sk-very-secret-4321' });
    const context = engine.connect('w');
    expect(context.config.effective.provider.apiKey).toBe('sk-very-secret-4321');
    expect(context.publicConfig().effective.provider.apiKey).toBe('••••4321');
    expect(JSON.stringify(engine.events.get('w'))).not.toContain('sk-very-secret');
  });
});

describe('the conversation list follows changes made anywhere', () => {
  it('every window hears of a change at once, and of a burst once more when the second is up', async () => {
    const { engine, context } = await oneWindow();
    engine.connect('other');
    const otherLog = engine.events.get('other')!;
    const heard = () => otherLog.filter((event) => event.name === 'conversations.changed').length;
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      await context.chat.create('First');
      expect(heard()).toBe(1);
      await context.chat.create('Second');
      await context.chat.create('Third');
      expect(heard()).toBe(1);
      vi.advanceTimersByTime(999);
      expect(heard()).toBe(1);
      vi.advanceTimersByTime(1);
      expect(heard()).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a closed window hears nothing more', async () => {
    const { engine, context } = await oneWindow();
    const other = engine.connect('other');
    const otherLog = engine.events.get('other')!;
    other.dispose();
    await context.chat.create('After');
    expect(otherLog).toEqual([]);
  });
});

describe('a closed window', () => {
  it('refuses every change with NoContext, stops what it started and says nothing more', async () => {
    const { context, ws, log } = await oneWindow();
    await context.openWorkspace(ws);
    log.splice(0);
    context[Symbol.dispose]();
    expect(context.disposed).toBe(true);
    expect(context.signal.reason).toMatchObject({ name: 'Disposed', message: 'The window was closed' });
    const closed = { name: 'NoContext', message: 'This window has been closed' };
    await expect(context.openWorkspace(ws)).rejects.toMatchObject(closed);
    expect(failureOf(() => context.setTrust(true))).toMatchObject(closed);
    expect(failureOf(() => context.trustForThisRun())).toMatchObject(closed);
    expect(failureOf(() => context.restoreChatConfig({}))).toMatchObject(closed);
    await expect(context.reloadProjectFiles()).rejects.toMatchObject(closed);
    context.emit('conversations.changed', {});
    expect(log).toEqual([]);
  });

  it('a folder whose load finishes after the window closed is not applied', async () => {
    const { context, ws } = await oneWindow();
    const opening = context.openWorkspace(ws);
    context.dispose();
    await expect(opening).rejects.toMatchObject({
      name: 'Cancelled',
      message: 'Another workspace was opened meanwhile',
    });
    expect(context.workspace).toBeNull();
  });
});

describe("the workspace's shell", () => {
  const PATH = process.env.PATH ?? '/usr/bin:/bin';
  const run = { signal: new AbortController().signal, timeoutMs: 10_000, onOutput: () => {} };

  async function gone(pid: number | undefined): Promise<boolean> {
    for (let i = 0; i < 100 && groupAlive(pid); i++) await new Promise((r) => setTimeout(r, 20));
    return !groupAlive(pid);
  }

  it('needs a folder, runs in it, and is another shell in another folder', async () => {
    const { context, ws } = await oneWindow({});
    expect(failureOf(() => context.shell({ PATH }))).toMatchObject({
      name: 'NoWorkspace',
      message: 'No workspace folder is open; ask the user to open one.',
    });
    await context.openWorkspace(ws);
    expect((await context.shell({ PATH }).run('pwd', run)).output).toBe(`${ws}\n`);
    const first = context.shellPid;
    expect(groupAlive(first)).toBe(true);
    const other = await realpath(await makeWorkspace());
    await context.openWorkspace(other);
    expect(context.shellPid).toBeUndefined();
    expect(await gone(first)).toBe(true);
    expect((await context.shell({ PATH }).run('pwd', run)).output).toBe(`${other}\n`);
    context.dispose();
  });

  it('goes with a closed window, which starts no other', async () => {
    const { context, ws } = await oneWindow({});
    await context.openWorkspace(ws);
    await context.shell({ PATH }).run('true', run);
    const pid = context.shellPid;
    context.dispose();
    expect(await gone(pid)).toBe(true);
    expect(failureOf(() => context.shell({ PATH }))).toMatchObject({ name: 'Disposed' });
  });
});
