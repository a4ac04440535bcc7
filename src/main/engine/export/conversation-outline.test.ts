import { describe, expect, it } from 'vitest';
import type { Message } from '../../../shared/domain';
import { outlineOf } from './conversation-outline';
import { viewOfExchange } from './tool-exchange-view';

const m = (id: string, role: Message['role'], extra: Partial<Message> = {}): Message => ({
  id,
  role,
  content: id,
  timestamp: 't',
  ...extra,
});

describe('outlineOf', () => {
  it('puts each result with its call, in either form of the log, and keeps everything else in order', () => {
    const outline = outlineOf([
      m('sys', 'system'),
      m('u', 'user'),
      m('a', 'assistant', {
        tool_calls: [
          { id: 'c1', name: 'shell', args: {} },
          { id: 'c2', name: 'read', args: {} },
        ],
      }),
      m('r2', 'system', { call_id: 'c2' }),
      m('r1', 'tool', { call_id: 'c1' }),
      m('again', 'tool', { call_id: 'c1' }),
      m('stray', 'tool'),
    ]);
    expect(outline.map((e) => `${e.kind}:${e.message.id}`)).toEqual([
      'system:sys',
      'message:u',
      'message:a',
      'result:again',
      'system:stray',
    ]);
    const calls = outline[2]!.kind === 'message' ? outline[2]!.tools : [];
    expect(calls.map((t) => `${t.call.id}=${t.result?.id}`)).toEqual(['c1=r1', 'c2=r2']);
  });
});

describe('viewOfExchange', () => {
  const call = { id: 'c', name: 'shell', args: { command: '\n  \nmake all\nmake test' } };
  const ended = (content: string, metadata: Message['metadata'] = {}) =>
    viewOfExchange({ call, result: m('r', 'tool', { content, metadata }) });

  it('says how a call ended', () => {
    expect(viewOfExchange({ call })).toMatchObject({ outcome: 'not run', failed: true, output: undefined });
    expect(ended('ok')).toMatchObject({ outcome: 'done', failed: false, output: 'ok' });
    expect(ended('ok', { exitCode: 0 })).toMatchObject({ outcome: 'done', failed: false });
    expect(ended('x', { exitCode: 127 })).toMatchObject({ outcome: 'exit 127', failed: true });
    expect(ended('x', { stopped: true, exitCode: 1 })).toMatchObject({ outcome: 'stopped', failed: true });
    expect(ended('Error (ShellTimeout): too slow')).toMatchObject({ outcome: 'failed', failed: true });
    expect(ended('[edited by the user before it ran; it ran as: {}]\nError (X): y')).toMatchObject({
      outcome: 'failed',
    });
    expect(ended('says Error (X): later')).toMatchObject({ outcome: 'done' });
    for (const skipped of [
      'Skipped by the user.',
      'The user skipped this tool call',
      'Not run: the user interrupted the turn.',
    ])
      expect(ended(skipped)).toMatchObject({ outcome: 'skipped', failed: false });
  });

  it('shows what ran: the edit when the user changed the call, and its first line in brief', () => {
    expect(ended('ok')).toMatchObject({ tool: 'shell', edited: false, args: call.args, brief: 'make all' });
    expect(ended('ok', { edited: true, args: { command: 'make lint' } })).toMatchObject({
      edited: true,
      args: { command: 'make lint' },
      brief: 'make lint',
    });
    // Edited without the arguments it ran with (a log cut by hand): the model's call is all there is.
    expect(ended('ok', { edited: true })).toMatchObject({ edited: false, args: call.args });
    const long = viewOfExchange({
      call: { id: 'c', name: 'save', args: { path: 'x'.repeat(200), content: 'y' } },
    });
    expect(long.brief).toBe(`${'x'.repeat(79)}…`);
    expect(viewOfExchange({ call: { id: 'c', name: 'save', args: { path: 'x'.repeat(80) } } }).brief).toBe(
      'x'.repeat(80),
    );
    expect(viewOfExchange({ call: { id: 'c', name: 'other', args: { command: 'run it' } } }).brief).toBe(
      'run it',
    );
    expect(viewOfExchange({ call: { id: 'c', name: 'shell', args: { path: 'p' } } }).brief).toBe('');
    expect(viewOfExchange({ call: { id: 'c', name: 'read', args: { path: 3 } } }).brief).toBe('');
  });
});
