import { describe, expect, it } from 'vitest';
import type { Message } from '../../../shared/domain';
import { isShown, parseChatMeta, shownCountOf, toSummary, withAutoName, type ChatMeta } from './chat-meta';

const META: ChatMeta = {
  name: 'Plans',
  nameSource: 'user',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-02T00:00:00.000Z',
  messageCount: 4,
  shownCount: 2,
  workspace: '/work/w',
  chat: { model: 'm', autoApprove: { shell: 'always' } },
  grantScope: 'scope-1',
};

const message = (role: Message['role'], content: string): Message => ({
  id: `${role}-${content}`,
  role,
  content,
  timestamp: '2026-01-01T00:00:00.000Z',
});

describe('reading chat.json', () => {
  it('gives back what was written', () => {
    expect(parseChatMeta(JSON.parse(JSON.stringify(META)))).toEqual(META);
  });

  it('leaves out what is absent: the shown count of an older file, an empty grant scope', () => {
    const { shownCount: _s, grantScope: _g, ...older } = META;
    const parsed = parseChatMeta({ ...older, grantScope: '' });
    expect(parsed).toEqual(older);
    expect(parsed).not.toHaveProperty('shownCount');
    expect(parsed).not.toHaveProperty('grantScope');
  });

  it('is undefined for a value too damaged to name and date the conversation', () => {
    for (const raw of [
      null,
      [],
      'text',
      { ...META, name: '' },
      { ...META, name: 3 },
      { ...META, createdAt: undefined },
      { ...META, updatedAt: 5 },
    ]) {
      expect(parseChatMeta(raw), JSON.stringify(raw)).toBeUndefined();
    }
  });

  it('costs a damaged value that key only, read the safe way', () => {
    const parsed = parseChatMeta({
      ...META,
      nameSource: 'hacker',
      messageCount: -1,
      shownCount: 1.5,
      workspace: '',
      grantScope: 'x'.repeat(201),
      chat: { model: 'x'.repeat(500), temperature: 1, tools: ['rm'], bogus: true },
    });
    expect(parsed).toEqual({
      name: 'Plans',
      // A name of unknown origin is not one the user chose, and not a default to replace.
      nameSource: 'auto',
      createdAt: META.createdAt,
      updatedAt: META.updatedAt,
      messageCount: 0,
      workspace: null,
      chat: { temperature: 1 },
    });
  });

  it('reads an empty chat config as none', () => {
    expect(parseChatMeta({ ...META, chat: null })?.chat).toEqual({});
  });

  it('keeps the longest grant scope it writes', () => {
    expect(parseChatMeta({ ...META, grantScope: 'g'.repeat(200) })?.grantScope).toBe('g'.repeat(200));
    expect(parseChatMeta({ ...META, messageCount: 0, shownCount: 0 })).toMatchObject({
      messageCount: 0,
      shownCount: 0,
    });
  });
});

describe('the list entry of a conversation', () => {
  it('carries its id, name, counts, date and folder', () => {
    expect(toSummary('c1', META)).toEqual({
      id: 'c1',
      name: 'Plans',
      messageCount: 4,
      shownCount: 2,
      updatedAt: META.updatedAt,
      workspace: '/work/w',
    });
  });

  it('counts every message as shown for a chat.json written before the shown count', () => {
    const { shownCount: _s, ...older } = META;
    expect(toSummary('c1', older).shownCount).toBe(4);
  });
});

describe('which messages a conversation shows', () => {
  it('shows user and assistant messages, not tool results or the system prompt', () => {
    expect(isShown({ role: 'user' })).toBe(true);
    expect(isShown({ role: 'assistant' })).toBe(true);
    expect(isShown({ role: 'system' })).toBe(false);
    expect(isShown({ role: 'tool' } as Pick<Message, 'role'>)).toBe(false);
    expect(
      shownCountOf([
        message('system', 's'),
        message('user', 'u'),
        message('assistant', 'a'),
        message('user', 'v'),
      ]),
    ).toBe(3);
  });
});

describe('naming a conversation after its first message', () => {
  const fresh: ChatMeta = { ...META, name: 'New conversation', nameSource: 'default' };

  it('takes the first user message that has text', () => {
    expect(
      withAutoName(fresh, [
        message('system', 'You are'),
        message('user', '   '),
        message('user', 'Fix the build'),
      ]),
    ).toEqual({ ...fresh, name: 'Fix the build', nameSource: 'auto' });
  });

  it('keeps the default name while no user message has text', () => {
    expect(withAutoName(fresh, [message('assistant', 'Hello'), message('user', '\n \n')])).toBe(fresh);
  });

  it('never replaces a name the user chose or one already made', () => {
    expect(withAutoName(META, [message('user', 'Other')])).toBe(META);
    const auto: ChatMeta = { ...META, nameSource: 'auto' };
    expect(withAutoName(auto, [message('user', 'Other')])).toBe(auto);
  });
});

describe('who chose the name', () => {
  it('is read back as written: a default name stays replaceable, a user name stays', () => {
    expect(parseChatMeta({ ...META, nameSource: 'default' })?.nameSource).toBe('default');
    expect(parseChatMeta({ ...META, nameSource: 'user' })?.nameSource).toBe('user');
    expect(parseChatMeta({ ...META, nameSource: 'auto' })?.nameSource).toBe('auto');
  });
});
