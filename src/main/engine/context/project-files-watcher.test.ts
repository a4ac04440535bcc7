import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeWorkspace, openChatWindow, waitForEvent } from '../../../../test/support/engine';
import { startScriptedProvider, type ScriptedProvider } from '../../../../test/support/scripted-provider';
import { watchProjectFiles } from './project-files-watcher';

let provider: ScriptedProvider;
beforeEach(async () => {
  provider = await startScriptedProvider();
});
afterEach(async () => provider.close());

// Generous: a file system event and the debounce, on a loaded machine.
const WITHIN = 5_000;

async function openWith(files: Record<string, string>) {
  const { engine, workspace, context } = await openChatWindow(provider, files);
  const log = engine.events.get('w')!;
  /** Forgets the events so far, so a wait sees only what comes next. */
  const fresh = () => log.splice(0);
  return { engine, workspace, context, log, fresh };
}

describe('project files of the open workspace, watched', () => {
  it('a broken file fixed in place applies without reopening the folder', async () => {
    const { workspace, context, log, fresh } = await openWith({ 'gptme.toml': 'model = "fixed-model\n' });
    const file = path.join(workspace, 'gptme.toml');
    expect(context.config.warnings).toEqual([
      expect.objectContaining({ path: file, line: 1, excerpt: 'model = "fixed-model' }),
    ]);

    fresh();
    await writeFile(file, 'model = "fixed-model"\n');
    const config = await waitForEvent(log, 'config.changed', (c) => c.warnings.length === 0, WITHIN);
    expect(config.effective.model).toBe('fixed-model');
    await waitForEvent(log, 'workspace.changed', (info) => info.projectFiles.includes(file), WITHIN);
  });

  it('a file created or removed shows in the workspace; other files are not watched for', async () => {
    const { workspace, log, fresh } = await openWith({});
    const file = path.join(workspace, '.deskmate.toml');
    fresh();
    await writeFile(path.join(workspace, 'notes.md'), 'not a project file');
    await writeFile(file, 'temperature = 0.3\n');
    const added = await waitForEvent(
      log,
      'workspace.changed',
      (info) => info.projectFiles.includes(file),
      WITHIN,
    );
    expect(added.projectFiles).toEqual([file]);
    fresh();
    await rm(file);
    await waitForEvent(log, 'workspace.changed', (info) => info.projectFiles.length === 0, WITHIN);
  });

  it('a trusted file that now asks for more is untrusted again and its new env is not applied', async () => {
    const project = '[env]\nGREETING = "hello"\n';
    const { workspace, context, log, fresh } = await openWith({ '.deskmate.toml': project });
    context.setTrust(true);
    expect(context.config.effective.env).toEqual({ GREETING: 'hello' });
    fresh();
    await writeFile(path.join(workspace, '.deskmate.toml'), `${project}LD_PRELOAD = "./evil.so"\n`);
    const info = await waitForEvent(log, 'workspace.changed', (i) => i.trust.changed, WITHIN);
    expect(info.trust).toMatchObject({ trusted: false, changed: true });
    expect(context.config.effective.env).toEqual({});
  });

  it('stops watching when the context goes, and when another folder is opened', async () => {
    const { engine, workspace, context, log, fresh } = await openWith({});
    const other = await makeWorkspace({});
    await context.openWorkspace(other);
    fresh();
    await writeFile(path.join(workspace, 'gptme.toml'), 'model = "old-folder"\n');
    await writeFile(path.join(other, 'gptme.toml'), 'model = "new-folder"\n');
    await waitForEvent(log, 'config.changed', (c) => c.effective.model === 'new-folder', WITHIN);
    expect(
      log.some((e) => e.name === 'config.changed' && JSON.stringify(e.payload).includes('old-folder')),
    ).toBe(false);

    engine.registry.release('w');
    fresh();
    await writeFile(path.join(other, 'gptme.toml'), 'model = "after-close"\n');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(log).toEqual([]);
  });
});

describe('watchProjectFiles', () => {
  const changes = () => {
    let count = 0;
    let wake: (() => void) | undefined;
    return {
      onChange: () => {
        count++;
        wake?.();
      },
      get count() {
        return count;
      },
      next: () => new Promise<void>((resolve) => (wake = resolve)),
    };
  };

  it('a burst of saves is one reload; another save later is another', async () => {
    const folder = await makeWorkspace({});
    const seen = changes();
    const watch = watchProjectFiles(folder, ['gptme.toml'], seen.onChange, 100);
    try {
      const first = seen.next();
      for (let i = 0; i < 5; i++) await writeFile(path.join(folder, 'gptme.toml'), `model = "m${i}"\n`);
      await first;
      expect(seen.count).toBe(1);
      const second = seen.next();
      await rm(path.join(folder, 'gptme.toml'));
      await second;
      expect(seen.count).toBe(2);
    } finally {
      watch.dispose();
    }
  });

  it('other files in the folder are not its business', async () => {
    const folder = await makeWorkspace({});
    const seen = changes();
    const watch = watchProjectFiles(folder, ['gptme.toml'], seen.onChange, 20);
    try {
      await writeFile(path.join(folder, 'notes.md'), 'x');
      await writeFile(path.join(folder, 'gptme.toml.bak'), 'x');
      // Absence can only be waited for: well past the debounce, nothing was reported.
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(seen.count).toBe(0);
      // A project file's change afterwards is the only one reported.
      const next = seen.next();
      await writeFile(path.join(folder, 'gptme.toml'), 'x');
      await next;
      await new Promise((resolve) => setTimeout(resolve, 60));
      expect(seen.count).toBe(1);
    } finally {
      watch.dispose();
    }
  });

  it('disposed, a pending reload is dropped', async () => {
    const folder = await makeWorkspace({});
    const seen = changes();
    const watch = watchProjectFiles(folder, ['gptme.toml'], seen.onChange, 50);
    await writeFile(path.join(folder, 'gptme.toml'), 'x');
    // Let the file system event arrive and arm the debounce, then close before it runs.
    await new Promise((resolve) => setTimeout(resolve, 20));
    watch.dispose();
    watch.dispose();
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(seen.count).toBe(0);
  });

  it('never keeps the process alive on its own', async () => {
    const folder = await makeWorkspace({});
    const watchers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'FSEventWrap').length;
    const before = watchers();
    const seen = changes();
    const watch = watchProjectFiles(folder, ['gptme.toml'], seen.onChange, 20);
    try {
      expect(watchers()).toBe(before);
      // Still watching all the same.
      const next = seen.next();
      await writeFile(path.join(folder, 'gptme.toml'), 'x');
      await next;
    } finally {
      watch.dispose();
    }
  });

  it('a folder that cannot be watched is no error: the files are still read on each turn', async () => {
    const folder = await makeWorkspace({});
    const watch = watchProjectFiles(path.join(folder, 'gone'), ['gptme.toml'], () => {});
    expect(() => watch.dispose()).not.toThrow();
  });
});
