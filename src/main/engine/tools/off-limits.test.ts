import path from 'node:path';
import { writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createChatEngine } from '../../../../test/support/engine';
import { runToolTurn } from '../../../../test/support/run-tool';
import { filesHolding } from '../../../../test/support/secret-scan';
import { startScriptedProvider, type ScriptedProvider } from '../../../../test/support/scripted-provider';

let provider: ScriptedProvider;
beforeEach(async () => {
  provider = await startScriptedProvider();
});
afterEach(async () => {
  await provider.close();
});

describe("Deskmate's data folder inside the workspace", () => {
  it('is never read, written or included by the file tools, whatever path leads there', async () => {
    const engine = await createChatEngine(provider, { provider: { apiKey: 'sk-in-the-secret-store' } });
    // A workspace that holds the data folder, as the home folder holds ~/.config/deskmate.
    const workspace = path.dirname(engine.dataDir);
    const data = path.basename(engine.dataDir);
    await writeFile(path.join(workspace, '.deskmate.toml'), `files = ["${data}/secrets.json"]\n`);
    const context = engine.connect('w');
    await context.openWorkspace(workspace);
    context.setChatConfig({ autoApprove: 'always' });
    const log = engine.events.get('w')!;
    const attempts = [
      { name: 'read', args: { path: `${data}/secrets.json` } },
      { name: 'read', args: { path: path.join(engine.dataDir, 'settings.json') } },
      { name: 'read', args: { path: `./${data}/../${data}/conversations/index.jsonl` } },
      { name: 'save', args: { path: `${data}/settings.json`, content: '{}' } },
      { name: 'append', args: { path: `${data}/conversations/index.jsonl`, content: 'x' } },
    ];
    for (const attempt of attempts) {
      const run = await runToolTurn(provider, context, log, attempt);
      expect({ attempt, error: run.result.error?.name }).toEqual({ attempt, error: 'PathOffLimits' });
    }
    const system = String(provider.requests[0]?.body.messages?.[0]?.content);
    expect(system).toContain(`${data}/secrets.json could not be included`);
    expect(await filesHolding(engine.dataDir, ['sk-in-the-secret-store'])).toEqual(['secrets.json']);
  });
});
