import { describe, expect, it } from 'vitest';
import { eventNames, isEventName, isRequestName, requestNames, requests, type RequestName } from './contract';

/** What the router answers a payload: accepted, or the first issue's field and reason. */
function check(method: RequestName, payload: unknown): { path: PropertyKey[]; message: string } | 'ok' {
  const result = requests[method].input.safeParse(payload);
  if (result.success) return 'ok';
  const [issue] = result.error.issues;
  return { path: issue!.path, message: issue!.message };
}

describe('request and event names', () => {
  it('are the contract’s own keys, never an inherited property', () => {
    expect(isRequestName('chat.send')).toBe(true);
    expect(isEventName('message.delta')).toBe(true);
    for (const name of ['toString', '__proto__', 'constructor', 'chat.nope', 'message.delta ', 42, null]) {
      expect(isRequestName(name), String(name)).toBe(false);
      expect(isEventName(name), String(name)).toBe(false);
    }
    // A frame whose method is an array or an object naming a request is not that request, even
    // though either turns into its name when used as a property key.
    for (const name of [['chat.send'], { toString: () => 'chat.send' }, ['message.delta']]) {
      expect(isRequestName(name), JSON.stringify(name)).toBe(false);
      expect(isEventName(name), JSON.stringify(name)).toBe(false);
    }
    expect(isRequestName('message.delta')).toBe(false);
    expect(isEventName('chat.send')).toBe(false);
    expect(Object.isFrozen(requestNames) && Object.isFrozen(eventNames)).toBe(true);
    expect(requestNames).toContain('host.capabilities');
  });

  it('list every event a window can listen to, each once', () => {
    expect(eventNames).toEqual([
      'message.added',
      'message.delta',
      'message.completed',
      'message.removed',
      'tool.pending',
      'tool.started',
      'tool.output',
      'tool.completed',
      'turn.started',
      'turn.completed',
      'turn.failed',
      'config.changed',
      'workspace.changed',
      'grants.changed',
      'conversation.taken',
      'conversations.changed',
      'import.progress',
      'window.command',
    ]);
    for (const name of eventNames) expect(isEventName(name), name).toBe(true);
  });
});

describe('request payloads', () => {
  it('refuse an unknown key, __proto__ included, and a missing object', () => {
    expect(check('config.get', {})).toBe('ok');
    expect(check('config.get', { extra: 1 })).toMatchObject({ message: expect.stringMatching(/extra/) });
    expect(check('chat.interrupt', JSON.parse('{"__proto__":{"x":1}}'))).not.toBe('ok');
    expect(check('chat.interrupt', null)).not.toBe('ok');
  });

  it('take an id of letters, digits, dot, dash and underscore, never a path', () => {
    for (const id of ['abc', 'A1', '2024-01-01T00.00_x', `a${'b'.repeat(127)}`]) {
      expect(check('conversation.open', { id }), id).toBe('ok');
    }
    for (const id of ['', '../x', '.hidden', '-x', 'a/b', 'a\\b', 'a b', `a${'b'.repeat(128)}`, 'a\0']) {
      expect(check('conversation.open', { id }), id).toEqual({
        path: ['id'],
        message: 'must be an id of letters, digits, . _ -',
      });
    }
    expect(check('conversation.open', { id: 'abc', takeOver: 'yes' })).toMatchObject({ path: ['takeOver'] });
  });

  it('take an absolute path without NUL for a workspace or an attachment', () => {
    for (const path of ['/home/me/project', 'C:\\Users\\me', 'c:/work', '\\\\server\\share']) {
      expect(check('workspace.open', { path }), path).toBe('ok');
    }
    for (const path of ['project', './project', '~/project', 'C:project', '\\single', '', 'project/C:/x']) {
      expect(check('workspace.open', { path }), path).toMatchObject({ path: ['path'] });
    }
    expect(check('workspace.open', { path: 'project' })).toEqual({
      path: ['path'],
      message: 'must be an absolute path',
    });
    expect(check('workspace.open', { path: '/home/me\0/etc' })).toEqual({
      path: ['path'],
      message: 'must not contain NUL',
    });
    expect(check('workspace.open', { path: `/${'a'.repeat(4095)}` })).toBe('ok');
    expect(check('workspace.open', { path: `/${'a'.repeat(4096)}` })).toMatchObject({ path: ['path'] });
    expect(check('chat.send', { text: 'hi', attachments: Array.from({ length: 50 }, () => '/a') })).toBe(
      'ok',
    );
    expect(
      check('chat.send', { text: 'hi', attachments: Array.from({ length: 51 }, () => '/a') }),
    ).toMatchObject({
      path: ['attachments'],
    });
    expect(check('chat.send', { text: 'hi', attachments: ['relative'] })).toMatchObject({
      path: ['attachments', 0],
    });
  });

  it('bound a message and a name', () => {
    expect(check('chat.send', { text: '' })).toMatchObject({ path: ['text'] });
    expect(check('chat.send', { text: 'x'.repeat(1_000_000) })).toBe('ok');
    expect(check('chat.send', { text: 'x'.repeat(1_000_001) })).toMatchObject({ path: ['text'] });
    expect(requests['conversation.new'].input.parse({ name: '  Plans  ' })).toEqual({ name: 'Plans' });
    for (const name of ['   ', '', 'n'.repeat(201)]) {
      expect(check('conversation.rename', { id: 'abc', name }), name).toMatchObject({ path: ['name'] });
    }
    expect(check('conversation.list', { query: 'q'.repeat(201) })).toMatchObject({ path: ['query'] });
    expect(check('conversation.list', { offset: -1 })).toMatchObject({ path: ['offset'] });
    expect(check('conversation.list', { offset: 1_000_001 })).toMatchObject({ path: ['offset'] });
    expect(check('conversation.list', { limit: 0 })).toMatchObject({ path: ['limit'] });
    expect(check('conversation.list', { limit: 501 })).toMatchObject({ path: ['limit'] });
    expect(check('conversation.list', { query: 'q', offset: 0, limit: 500 })).toBe('ok');
    expect(check('conversation.fork', { id: 'abc', atMessage: -1 })).toMatchObject({ path: ['atMessage'] });
    expect(check('conversation.fork', { id: 'abc', atMessage: 10_000_001 })).toMatchObject({
      path: ['atMessage'],
    });
    expect(check('conversation.fork', { id: 'abc', atMessage: 3 })).toBe('ok');
  });

  it('answer an approval with one of the card’s actions, each with only its own fields', () => {
    const answer = (response: unknown) => check('tool.respond', { callId: 'call_1', response });
    for (const response of [
      { action: 'approve' },
      { action: 'skip' },
      { action: 'always' },
      { action: 'edit', args: { command: 'ls' } },
      { action: 'auto', count: 1 },
      { action: 'auto', count: 1000 },
    ]) {
      expect(answer(response), JSON.stringify(response)).toBe('ok');
    }
    for (const response of [
      { action: 'run' },
      { action: 'approve', args: {} },
      { action: 'skip', count: 1 },
      { action: 'always', tool: 'shell' },
      { action: 'edit' },
      { action: 'edit', args: { ['k'.repeat(201)]: 1 } },
      { action: 'auto', count: 0 },
      { action: 'auto', count: 1001 },
      { action: 'auto', count: 1.5 },
      { action: 'auto' },
    ]) {
      expect(answer(response), JSON.stringify(response)).not.toBe('ok');
    }
  });

  it('revoke a grant of one tool, or of every tool with *', () => {
    for (const tool of ['shell', '*', 'mcp_tool_1'])
      expect(check('grants.revoke', { tool }), tool).toBe('ok');
    for (const tool of ['', '**', '1tool', 'a-b', 'shell*']) {
      expect(check('grants.revoke', { tool }), tool).toEqual({
        path: ['tool'],
        message: 'must be a tool name or *',
      });
    }
  });

  it('read an artifact by its file name alone', () => {
    expect(check('artifact.read', { name: 'shell-1234.txt' })).toBe('ok');
    for (const name of ['../chat.json', 'a/b.txt', '.hidden', '', `a${'b'.repeat(128)}`]) {
      expect(check('artifact.read', { name }), name).toEqual({
        path: ['name'],
        message: 'must be the file name of an artifact, without a folder',
      });
    }
  });

  it('answer the trust prompt for the request that was shown, by its fingerprint', () => {
    expect(check('workspace.trust', { trusted: true, fingerprint: 'a'.repeat(64) })).toBe('ok');
    expect(check('workspace.trust', { trusted: false })).toBe('ok');
    for (const fingerprint of ['A'.repeat(64), 'a'.repeat(63), 'a'.repeat(65), 'g'.repeat(64)]) {
      expect(check('workspace.trust', { trusted: true, fingerprint }), fingerprint).toMatchObject({
        path: ['fingerprint'],
      });
    }
    expect(check('workspace.trust', { trusted: 'yes' })).toMatchObject({ path: ['trusted'] });
  });

  it('set a conversation’s or the user’s config, and unset only that scope’s keys', () => {
    expect(
      check('config.set', { scope: 'chat', values: { model: 'm' }, unset: ['temperature', 'autoApprove'] }),
    ).toBe('ok');
    expect(check('settings.set', { values: { prompt: 'p' }, unset: ['provider', 'shellTimeoutMs'] })).toBe(
      'ok',
    );
    expect(check('config.set', { scope: 'chat', values: { prompt: 'p' } })).not.toBe('ok');
    expect(check('config.set', { scope: 'chat', values: {}, unset: ['prompt'] })).toMatchObject({
      path: ['unset', 0],
    });
    expect(check('settings.set', { values: {}, unset: ['autoApprove'] })).toMatchObject({
      path: ['unset', 0],
    });
    expect(check('config.set', { scope: 'project', values: {} })).not.toBe('ok');
    // The user's settings have one request of their own.
    expect(check('config.set', { scope: 'user', values: {} })).not.toBe('ok');
    expect(
      check('config.set', {
        scope: 'chat',
        values: {},
        unset: ['model', 'model', 'model', 'model', 'model'],
      }),
    ).toMatchObject({ path: ['unset'] });
    expect(check('settings.set', { values: { model: 'm' }, unset: ['provider'] })).toBe('ok');
    // Each setting a scope may hold, that scope may unset, and nothing else.
    const chat = ['model', 'temperature', 'tools', 'autoApprove'];
    const user = [
      'provider',
      'model',
      'temperature',
      'prompt',
      'tools',
      'maxSteps',
      'requestTimeoutMs',
      'shellTimeoutMs',
    ];
    const every = [...new Set([...user, ...chat, 'files', 'env'])];
    const unsettable = (payload: (key: string) => unknown, method: RequestName = 'config.set') =>
      every.filter((key) => check(method, payload(key)) === 'ok');
    expect(unsettable((key) => ({ scope: 'chat', values: {}, unset: [key] }))).toEqual(chat);
    expect(unsettable((key) => ({ values: {}, unset: [key] }), 'settings.set')).toEqual(user);
    expect(check('config.set', { scope: 'chat', values: {}, unset: chat })).toBe('ok');
    expect(check('settings.set', { values: {}, unset: user })).toBe('ok');
    expect(check('settings.set', { values: { env: { A: 'b' } } })).not.toBe('ok');
  });

  it('test a provider at an http(s) URL only', () => {
    expect(
      check('settings.test', { list: true, baseUrl: 'https://api.example.com/v1', apiKey: 'sk-1' }),
    ).toBe('ok');
    expect(check('settings.test', { baseUrl: 'http://localhost:11434/v1' })).toBe('ok');
    for (const baseUrl of [
      'file:///etc/passwd',
      'ftp://example.com',
      'git+https://a.example/v1',
      'https+unix://a.example/v1',
      `https://a.example/${'a'.repeat(2048)}`,
    ]) {
      expect(check('settings.test', { baseUrl }), baseUrl).toMatchObject({ path: ['baseUrl'] });
    }
    expect(check('settings.test', { apiKey: '' })).toMatchObject({ path: ['apiKey'] });
    expect(check('settings.test', { apiKey: 'k'.repeat(4097) })).toMatchObject({ path: ['apiKey'] });
    expect(check('settings.test', { list: 'yes' })).toMatchObject({ path: ['list'] });
    expect(check('settings.test', { headers: { authorization: 'x' } })).toMatchObject({
      message: expect.stringMatching(/headers/),
    });
  });

  it('open a window on a folder or a conversation, named as elsewhere', () => {
    expect(check('window.new', { workspace: '/home/me', conversation: 'abc' })).toBe('ok');
    expect(check('window.new', { workspace: 'relative' })).toMatchObject({ path: ['workspace'] });
    expect(check('window.new', { conversation: '../x' })).toMatchObject({ path: ['conversation'] });
    expect(check('trust.revoke', { path: 'relative' })).toMatchObject({ path: ['path'] });
    expect(check('chat.delete', { messageId: '../x' })).toMatchObject({ path: ['messageId'] });
  });

  it('rename, delete or fork a conversation by its id alone', () => {
    expect(check('conversation.rename', { id: 'abc', name: 'Plans' })).toBe('ok');
    expect(check('conversation.delete', { id: 'abc' })).toBe('ok');
    expect(check('conversation.fork', { id: 'abc' })).toBe('ok');
    for (const method of ['conversation.delete', 'conversation.fork', 'conversation.open'] as const) {
      expect(check(method, {}), method).toMatchObject({ path: ['id'] });
      expect(check(method, { id: '../chats/abc' }), method).toMatchObject({ path: ['id'] });
      expect(check(method, { id: 'abc', path: '/tmp' }), method).toMatchObject({
        message: expect.stringMatching(/path/),
      });
    }
  });
});
