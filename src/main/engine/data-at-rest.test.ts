import { describe, expect, it } from 'vitest';
import { createChatEngine, makeWorkspace, waitForEvent } from '../../../test/support/engine';
import { notPrivate, walk } from '../../../test/support/file-modes';
import { usePermissiveUmask } from '../../../test/support/permissive-umask';
import {
  startScriptedProvider,
  type RecordedRequest,
  type Step,
} from '../../../test/support/scripted-provider';
import type { ConversationSummary } from '../../shared/domain';

usePermissiveUmask();

/** One shell call whose output is long enough to be kept as an artifact, then a closing reply. */
function longOutputTurn(request: RecordedRequest): Step {
  const answered = request.body.messages?.some((m) => m.role === 'tool');
  return answered
    ? { kind: 'stream', text: 'Counted.' }
    : { kind: 'stream', toolCalls: [{ id: 'count', name: 'shell', args: { command: 'seq 1 20000' } }] };
}

describe('data at rest', () => {
  it('after a real turn, every file under the data folder is 0600 and every folder 0700', async () => {
    const provider = await startScriptedProvider({ respond: longOutputTurn });
    try {
      const engine = await createChatEngine(provider);
      // A stored key, so the secret file exists too.
      engine.settings.update({ provider: { apiKey: 'sk-stored-key' } });
      const context = engine.connect('a');
      await context.openWorkspace(await makeWorkspace());
      const sent = await engine.router.handle('a', 'chat.send', { text: 'Count to twenty thousand' });
      expect(sent.ok).toBe(true);
      await waitForEvent(engine.events.get('a'), 'tool.pending');
      await engine.router.handle('a', 'tool.respond', { callId: 'count', response: { action: 'approve' } });
      await context.chat.waitForTurn();
      // A fork rewrites a whole log; a rename rewrites chat.json.
      const id = context.chat.conversationId!;
      const fork = await engine.router.handle('a', 'conversation.fork', { id, atMessage: 1 });
      expect(fork.ok).toBe(true);
      const forkId = (fork as { value: ConversationSummary }).value.id;
      await engine.router.handle('a', 'conversation.rename', { id: forkId, name: 'Forked' });

      const entries = await walk(engine.dataDir);
      const paths = entries.map((entry) => entry.path);
      expect(paths).toEqual(
        expect.arrayContaining([
          'settings.json',
          'secrets.json',
          'conversations',
          'conversations/index.jsonl',
          `conversations/${id}`,
          `conversations/${id}/conversation.jsonl`,
          `conversations/${id}/chat.json`,
          `conversations/${id}/artifacts`,
          `conversations/${forkId}/conversation.jsonl`,
        ]),
      );
      expect(paths.some((p) => p.startsWith(`conversations/${id}/artifacts/shell-`))).toBe(true);
      expect(notPrivate(entries)).toEqual([]);
    } finally {
      await provider.close();
    }
  });
});
