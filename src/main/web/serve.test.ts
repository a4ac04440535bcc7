import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { makeWorkspace } from '../../../test/support/engine';
import { notPrivate, walk } from '../../../test/support/file-modes';
import { usePermissiveUmask } from '../../../test/support/permissive-umask';
import {
  startScriptedProvider,
  type RecordedRequest,
  type Step,
} from '../../../test/support/scripted-provider';
import { tempDir } from '../../../test/support/temp-dir';
import { serve } from './serve';
import { makeStaticFixture, TestClient } from './web-test-support';

usePermissiveUmask();

const TOKEN = 'serve-test-token-0123456789-abcdefghij';

/** One shell call whose output is long enough to be kept as an artifact, then a closing reply. */
function longOutputTurn(request: RecordedRequest): Step {
  const answered = request.body.messages?.some((m) => m.role === 'tool');
  return answered
    ? { kind: 'stream', text: 'Counted.' }
    : { kind: 'stream', toolCalls: [{ id: 'count', name: 'shell', args: { command: 'seq 1 20000' } }] };
}

describe('serve', () => {
  it('creates its data folder 0700; a turn through a tab leaves only 0600 files and 0700 folders', async () => {
    const provider = await startScriptedProvider({ respond: longOutputTurn });
    onTestFinished(() => provider.close());
    const dataDir = path.join(await tempDir('deskmate-serve-'), 'not', 'yet', 'there');
    const { root } = await makeStaticFixture();
    let stderr = '';
    const running = await serve(
      { host: '127.0.0.1', port: 0, dataDir, staticDir: root, remote: false, graceMs: 1_000 },
      {
        env: {
          PATH: process.env.PATH,
          OPENAI_BASE_URL: provider.url,
          OPENAI_API_KEY: 'sk-env-key',
          DESKMATE_MODEL: 'scripted-model',
          DESKMATE_TOKEN: TOKEN,
        },
        stdout: { write: () => true },
        stderr: { write: (text: string) => (stderr += text) },
      },
    );
    onTestFinished(() => running.close());
    expect(stderr).not.toContain('warning');
    expect((await walk(dataDir)).find((entry) => entry.path === '.')?.mode).toBe(0o700);
    expect(notPrivate(await walk(dataDir))).toEqual([]);

    const client = await TestClient.connect(
      { server: running.server, token: TOKEN },
      { query: { workspace: await makeWorkspace() } },
    );
    const stored = await client.request('config.set', {
      scope: 'user',
      values: { provider: { apiKey: 'sk-stored-key' } },
    });
    expect(stored.ok).toBe(true);
    expect((await client.request('chat.send', { text: 'Count to twenty thousand' })).ok).toBe(true);
    await client.waitFor((frame) => frame.type === 'event' && frame.name === 'tool.pending');
    await client.request('tool.respond', { callId: 'count', response: { action: 'approve' } });
    await client.waitFor((frame) => frame.type === 'event' && frame.name === 'turn.completed', 10_000);

    const entries = await walk(dataDir);
    const paths = entries.map((entry) => entry.path);
    expect(paths).toEqual(
      expect.arrayContaining(['settings.json', 'secrets.json', 'conversations/index.jsonl']),
    );
    expect(
      paths.filter((p) => /^conversations\/[^/]+\/(conversation\.jsonl|chat\.json)$/.test(p)),
    ).toHaveLength(2);
    expect(paths.some((p) => /^conversations\/[^/]+\/artifacts\/shell-.*\.txt$/.test(p))).toBe(true);
    expect(notPrivate(entries)).toEqual([]);
  });
});
