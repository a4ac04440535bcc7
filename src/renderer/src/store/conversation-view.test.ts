import { describe, expect, it } from 'vitest';
import type { Message } from '../../../shared/domain';
import { endedStatus, viewOfMessages } from './conversation-view';

const at = '2026-01-01T00:00:00.000Z';
const call = (id: string, command: string): Message => ({
  id: `a-${id}`,
  role: 'assistant',
  content: '',
  timestamp: at,
  tool_calls: [{ id, name: 'shell', args: { command } }],
});
const result = (id: string, content: string, metadata?: Message['metadata']): Message => ({
  id: `r-${id}`,
  role: 'tool',
  content,
  call_id: id,
  timestamp: at,
  ...(metadata ? { metadata } : {}),
});

describe('a conversation read back from disk', () => {
  it('shows how each command ended, from the metadata or, without it, from the text', () => {
    const { toolCalls } = viewOfMessages([
      call('ok', 'true'),
      result('ok', '[exit code 0]', { exitCode: 0 }),
      call('two', 'ls /nope'),
      result('two', 'ls: cannot access\n[exit code 2]'),
      call('gone', 'nope'),
      result('gone', 'nope: command not found\n[exit code 127]', { exitCode: 127 }),
      call('stop', 'sleep 30'),
      result('stop', '[interrupted by the user]'),
      call('stuck', 'x'),
      result('stuck', 'Error (Interrupted): Interrupted by the user while shell was running'),
      call('slow', 'sleep 99'),
      result('slow', 'Error (ShellTimeout): killed after 5 s'),
    ]);
    const view = (id: string) => [toolCalls[id]?.status, toolCalls[id]?.result?.exitCode];
    expect(view('ok')).toEqual(['completed', 0]);
    expect(view('two')).toEqual(['failed', 2]);
    expect(view('gone')).toEqual(['failed', 127]);
    expect(view('stop')).toEqual(['stopped', undefined]);
    expect(view('stuck')).toEqual(['stopped', undefined]);
    expect(view('slow')).toEqual(['failed', undefined]);
  });

  it('shows an edited call with the arguments that ran, without the note meant for the model', () => {
    const note = '[edited by the user before it ran; it ran as: {"command":"echo edited"}]\n';
    const { toolCalls } = viewOfMessages([
      call('e', 'echo original'),
      result('e', `${note}edited\n[exit code 0]`, {
        args: { command: 'echo edited' },
        edited: true,
        exitCode: 0,
      }),
      call('old', 'echo original'),
      result('old', `${note}edited\n[exit code 0]`),
    ]);
    for (const id of ['e', 'old']) {
      expect(toolCalls[id]).toMatchObject({
        args: { command: 'echo edited' },
        edited: true,
        status: 'completed',
      });
      expect(toolCalls[id]?.result?.output).toBe('edited\n[exit code 0]');
    }
  });

  it('finds the artifact of a cut output by its file name', () => {
    const cut =
      'row 1\n[… 9 characters omitted; the full output is in /data/My Stuff/c1/artifacts/shell-1a2b3c4d.txt …]\nrow 9\n[exit code 0]';
    const { toolCalls } = viewOfMessages([call('c', 'seq'), result('c', cut)]);
    expect(toolCalls.c?.result?.artifact).toBe('shell-1a2b3c4d.txt');
  });
});

describe('a call as it ends live', () => {
  it('a non-zero exit is a failure, a stop is a stop, the rest is what the engine said', () => {
    expect(endedStatus('completed', { ok: true, output: '', exitCode: 1 })).toBe('failed');
    expect(endedStatus('completed', { ok: true, output: '', exitCode: 0 })).toBe('completed');
    expect(endedStatus('completed', { ok: true, output: '', stopped: true })).toBe('stopped');
    expect(endedStatus('skipped', { ok: false, output: '' })).toBe('skipped');
  });
});

describe('a gptme conversation in the window', () => {
  const message = (
    id: string,
    role: Message['role'],
    content: string,
    extra?: Partial<Message>,
  ): Message => ({
    id,
    role,
    content,
    timestamp: at,
    ...extra,
  });

  it('shows every message gptme shows its user: visible system messages too, hidden ones not', () => {
    const view = viewOfMessages([
      message('prompt', 'system', 'You are gptme.', { hide: true, pinned: true }),
      message('u', 'user', 'What day is it?'),
      message('a', 'assistant', "I'll check.\n\n```shell\ndate\n```"),
      message('out', 'system', 'Ran command: `date`\n\n```stdout\nSun Mar  1\n```'),
      message('note', 'user', 'a note for the model only', { hide: true }),
      message('a2', 'assistant', 'It is Sunday.'),
    ]);
    expect(view.messageIds).toEqual(['u', 'a', 'out', 'a2']);
    expect(view.messages.out).toMatchObject({
      role: 'system',
      content: expect.stringContaining('Ran command'),
    });
  });

  it('shows a result whose call is missing from the log on its own, not nowhere', () => {
    const view = viewOfMessages([
      message('u', 'user', 'hi'),
      result('lost', 'the output of a call cut from the log'),
    ]);
    expect(view.messageIds).toEqual(['u', 'r-lost']);
    expect(view.messages['r-lost']).toMatchObject({
      role: 'system',
      content: 'the output of a call cut from the log',
    });
    expect(view.toolCalls).toEqual({});
  });
});
