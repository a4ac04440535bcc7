import { symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bounded } from '../../../../test/support/bounded';
import { createChatEngine, makeWorkspace, type TestEngine } from '../../../../test/support/engine';
import { startScriptedProvider, type ScriptedProvider } from '../../../../test/support/scripted-provider';
import type { ContextView } from '../../../shared/context-view';

let provider: ScriptedProvider;
let engine: TestEngine | undefined;
beforeEach(async () => {
  provider = await startScriptedProvider();
});
afterEach(async () => {
  engine?.registry.dispose();
  engine = undefined;
  await provider.close();
});

const PROJECT = {
  'AGENTS.md': 'Always run the linter.',
  'gptme.toml': 'prompt = "Answer in French."\ncontext_cmd = "echo run >> ran.txt; echo CONTEXT-$RANDOM"\n',
};

async function view(): Promise<ContextView> {
  const answer = await engine!.router.handle('w', 'context.get', {});
  if (!answer.ok) throw new Error(JSON.stringify(answer));
  return answer.value as ContextView;
}

async function open(files: Record<string, string> = PROJECT) {
  engine = await createChatEngine(provider);
  const workspace = await makeWorkspace(files);
  const context = engine.connect('w');
  await context.openWorkspace(workspace);
  return { context, workspace };
}

const systemOf = (i: number) => String(provider.requests[i]?.body.messages?.[0]?.content);

describe('what a window shows of what the model sees', () => {
  it('before any turn: the prompt the next request would carry, labelled so, and the command withheld', async () => {
    const { workspace } = await open();
    const before = await view();
    expect(before.prompt.kind).toBe('next');
    expect(before.prompt.sentAt).toBeUndefined();
    expect(before.prompt.text).toContain('Contents of AGENTS.md:\n```\nAlways run the linter.\n```');
    expect(before.prompt.text).toContain('Project instructions:\nAnswer in French.');
    expect(before.prompt.files).toEqual([{ path: 'AGENTS.md', bytes: 22, chars: 22, tokens: 6, cut: false }]);
    expect(before.prompt.instructions).toBe(true);
    // Untrusted: named so the user knows it exists, never run, no output or time.
    expect(before.contextCmd).toEqual({
      state: 'untrusted',
      command: 'echo run >> ran.txt; echo CONTEXT-$RANDOM',
    });
    expect(before.prompt.text).not.toContain('CONTEXT-');
    expect(before.config.find((row) => row.key === 'prompt')).toEqual({
      key: 'prompt',
      value: 'Answer in French.',
      source: 'project',
      path: path.join(workspace, 'gptme.toml'),
    });
    expect(before.config.find((row) => row.key === 'model')).toMatchObject({ source: 'user' });
    expect(before.config.find((row) => row.key === 'provider.apiKey')).toMatchObject({
      value: 'set (hidden)',
      source: 'environment',
    });
    expect(JSON.stringify(before)).not.toContain('sk-test-key');
    expect(JSON.stringify(before)).not.toContain('-key');
  });

  it('after a turn: the prompt exactly as sent, with the command output and when it ran', async () => {
    provider.enqueue({ kind: 'stream', text: 'ok' }, { kind: 'stream', text: 'ok' });
    const { context } = await open();
    context.setTrust(true);
    expect((await view()).contextCmd).toEqual({
      state: 'pending',
      command: 'echo run >> ran.txt; echo CONTEXT-$RANDOM',
    });
    const started = Date.now();
    await bounded((await context.chat.send('hi')).done, 10_000, 'a trusted turn');
    const after = await view();
    expect(after.prompt.kind).toBe('sent');
    expect(after.prompt.text).toBe(systemOf(0));
    expect(Date.parse(after.prompt.sentAt!)).toBeGreaterThanOrEqual(started - 1);
    expect(after.contextCmd.state).toBe('ran');
    const run = after.contextCmd.state === 'ran' ? after.contextCmd.run : undefined;
    expect(run).toMatchObject({ exitCode: 0, output: expect.stringMatching(/^CONTEXT-\d+\n$/) });
    expect(Date.parse(run!.ranAt)).toBeGreaterThanOrEqual(started - 1);
    expect(systemOf(0)).toContain(run!.output.trim());

    // Run again: the command's section shows the new run; the prompt stays the one that was sent
    // until the next turn sends the new output.
    await engine!.router.handle('w', 'context.refresh', {});
    const refreshed = await view();
    const again = refreshed.contextCmd.state === 'ran' ? refreshed.contextCmd.run : undefined;
    expect(again?.ranAt).not.toBe(run!.ranAt);
    expect(refreshed.prompt.text).toBe(systemOf(0));
    await bounded((await context.chat.send('again')).done, 10_000, 'a second turn');
    expect((await view()).prompt.text).toBe(systemOf(1));
    expect(systemOf(1)).toContain(again!.output.trim());
  });

  it('trust taken back: the output and its time are no longer shown', async () => {
    provider.enqueue({ kind: 'stream', text: 'ok' });
    const { context } = await open();
    context.setTrust(true);
    await bounded((await context.chat.send('hi')).done, 10_000, 'a trusted turn');
    context.setTrust(false);
    const shown = await view();
    expect(shown.contextCmd).toEqual({
      state: 'untrusted',
      command: 'echo run >> ran.txt; echo CONTEXT-$RANDOM',
    });
    expect(shown.config.map((row) => row.key)).not.toContain('context_cmd');
  });

  it('a new conversation shows the next prompt again, without the last one’s command output', async () => {
    provider.enqueue({ kind: 'stream', text: 'ok' });
    const { context } = await open();
    context.setTrust(true);
    await bounded((await context.chat.send('hi')).done, 10_000, 'a trusted turn');
    await context.chat.create();
    const fresh = await view();
    expect(fresh.prompt.kind).toBe('next');
    expect(fresh.prompt.text).not.toContain('CONTEXT-');
    expect(fresh.contextCmd.state).toBe('pending');
  });

  it('a command run before the first turn: the next prompt carries its output', async () => {
    const { context } = await open();
    context.setTrust(true);
    await context.chat.create();
    await engine!.router.handle('w', 'context.refresh', {});
    const shown = await view();
    const run = shown.contextCmd.state === 'ran' ? shown.contextCmd.run : undefined;
    expect(shown.prompt.kind).toBe('next');
    expect(shown.prompt.text).toContain(`\`\`\`\n${run!.output.trim()}\n\`\`\``);
  });

  it('the same command in another folder has not run there yet', async () => {
    provider.enqueue({ kind: 'stream', text: 'ok' });
    const { context } = await open();
    context.setTrust(true);
    await bounded((await context.chat.send('hi')).done, 10_000, 'a trusted turn');
    await context.openWorkspace(await makeWorkspace(PROJECT));
    context.setTrust(true);
    expect((await view()).contextCmd).toEqual({
      state: 'pending',
      command: 'echo run >> ran.txt; echo CONTEXT-$RANDOM',
    });
  });

  it('the next prompt never reads the data folder, even inside the workspace', async () => {
    const workspace = await makeWorkspace({ 'gptme.toml': 'files = ["data/settings.json"]\n' });
    engine = await createChatEngine(provider, {}, { dataDir: path.join(workspace, 'data') });
    await engine.connect('w').openWorkspace(workspace);
    const next = await view();
    expect(next.prompt.files).toEqual([{ path: 'data/settings.json', error: expect.any(String) }]);
    expect(next.prompt.text).not.toContain('scripted-model');
    // Nor the prompt a turn sends.
    provider.enqueue({ kind: 'stream', text: 'ok' });
    await bounded((await engine.registry.get('w')!.chat.send('hi')).done, 10_000, 'a turn');
    const sent = await view();
    expect(sent.prompt.kind).toBe('sent');
    expect(sent.prompt.files).toEqual([{ path: 'data/settings.json', error: expect.any(String) }]);
    expect(systemOf(0)).not.toContain('scripted-model');
  });

  it('a command changed in the project file: the old output is not in the next prompt', async () => {
    const { context, workspace } = await open();
    context.setTrust(true);
    await context.chat.create();
    await engine!.router.handle('w', 'context.refresh', {});
    await writeFile(path.join(workspace, 'gptme.toml'), 'context_cmd = "echo NEW-COMMAND"\n');
    await context.reloadProjectFiles();
    context.setTrust(true);
    const shown = await view();
    expect(shown.contextCmd).toEqual({ state: 'pending', command: 'echo NEW-COMMAND' });
    expect(shown.prompt.text).not.toContain('CONTEXT-');
  });

  it('a folder with no project file and no command: nothing to run, the files gptme would include', async () => {
    await open({ 'README.md': '# Demo' });
    const shown = await view();
    expect(shown.contextCmd).toEqual({ state: 'none' });
    expect(shown.prompt.files.map((file) => file.path)).toEqual(['README.md']);
  });

  it('an untrusted folder that asks for other things, but no command: still nothing to run', async () => {
    await open({ '.deskmate.toml': 'shellTimeoutMs = 5000\n[env]\nFOO = "x"\n' });
    const shown = await view();
    expect(shown.contextCmd).toEqual({ state: 'none' });
  });

  it('no folder at all: the prompt says so and names no file', async () => {
    engine = await createChatEngine(provider);
    engine.connect('w');
    const shown = await view();
    expect(shown.prompt).toMatchObject({ kind: 'next', files: [] });
    expect(shown.prompt.text).toContain('No workspace folder is open');
  });

  it('a hostile project: files outside are named with the reason and never read, and no key reaches the panel', async () => {
    provider.enqueue({ kind: 'stream', text: 'ok' });
    const outside = await makeWorkspace({ 'secret.txt': 'TOP SECRET' });
    const { context } = await open({
      'gptme.toml': [
        `files = ["../${path.basename(outside)}/secret.txt", "${path.join(outside, 'secret.txt')}", "link.txt"]`,
        'context_cmd = "echo key=$OPENAI_API_KEY; env"',
        '',
      ].join('\n'),
    });
    await symlink(path.join(outside, 'secret.txt'), path.join(context.workspace!, 'link.txt'));
    context.setTrust(true);
    await bounded((await context.chat.send('hi')).done, 10_000, 'a trusted turn');
    const shown = await view();
    // The paths that lead out are refused as the project file is read; the symlink as it is followed.
    expect(shown.prompt.files).toEqual([
      { path: 'link.txt', error: expect.stringContaining('leads outside the workspace') },
    ]);
    const text = JSON.stringify(shown);
    expect(text).not.toContain('TOP SECRET');
    expect(text).not.toContain('sk-test-key');
    const run = shown.contextCmd.state === 'ran' ? shown.contextCmd.run : undefined;
    expect(run?.output).toMatch(/^key=\n/);
  });
});
