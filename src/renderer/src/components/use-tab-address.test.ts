import { describe, expect, it } from 'vitest';
import { addressShowing, askedByAddress } from './use-tab-address';

describe("a tab's address", () => {
  it('names the folder and conversation shown, keeping every other part', () => {
    expect(
      addressShowing('http://127.0.0.1:5/?workspace=%2Fold&x=1#h', {
        workspace: '/home/me/new folder',
        conversation: 'c1',
      }),
    ).toBe('/?workspace=%2Fhome%2Fme%2Fnew+folder&x=1&conversation=c1#h');
  });

  it('drops what the tab no longer shows', () => {
    expect(
      addressShowing('http://127.0.0.1:5/?workspace=%2Fa&conversation=c1', {
        workspace: null,
        conversation: null,
      }),
    ).toBe('/');
  });

  it('reads back what it asks for', () => {
    const href = `http://127.0.0.1:5${addressShowing('http://127.0.0.1:5/', { workspace: '/a b', conversation: 'c2' })}`;
    expect(askedByAddress(href)).toEqual({ workspace: '/a b', conversation: 'c2' });
    expect(askedByAddress('http://127.0.0.1:5/')).toEqual({ workspace: null, conversation: null });
  });
});
