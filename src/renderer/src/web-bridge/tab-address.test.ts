import { describe, expect, it } from 'vitest';
import { addressWithoutToken, newTabAddress, takePageToken } from './tab-address';
import type { TabStorage } from './tab-storage';

/** sessionStorage as a browser keeps it, or one that refuses every write (storage disabled). */
function storage(
  entries: Record<string, string> = {},
  writable = true,
): TabStorage & { map: Map<string, string> } {
  const map = new Map(Object.entries(entries));
  return {
    map,
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => {
      if (!writable) throw new Error('QuotaExceededError');
      map.set(key, value);
    },
    removeItem: (key) => void map.delete(key),
  };
}

describe('the tab token', () => {
  it('comes from the address first and is kept for reloads, else from what the tab kept', () => {
    const tab = storage();
    expect(takePageToken('http://127.0.0.1:4321/?token=T1&workspace=%2Ftmp', tab)).toEqual({
      token: 'T1',
      kept: true,
    });
    expect(tab.map.get('deskmate.token')).toBe('T1');
    // A reload: the address no longer has it.
    expect(takePageToken('http://127.0.0.1:4321/?workspace=%2Ftmp', tab)).toEqual({
      token: 'T1',
      kept: true,
    });
    // The printed address of a new start, opened in the same tab, replaces it.
    expect(takePageToken('http://127.0.0.1:4321/?token=T2', tab)).toEqual({ token: 'T2', kept: true });
    expect(tab.map.get('deskmate.token')).toBe('T2');
  });

  it('is absent for a tab opened by hand without one', () => {
    expect(takePageToken('http://127.0.0.1:4321/', storage())).toBeNull();
    expect(takePageToken('http://127.0.0.1:4321/?token=', storage())).toBeNull();
    expect(takePageToken('http://127.0.0.1:4321/', null)).toBeNull();
  });

  it('says it was not kept when storage refuses it, so the address keeps it for a reload', () => {
    expect(takePageToken('http://127.0.0.1:4321/?token=T1', storage({}, false))).toEqual({
      token: 'T1',
      kept: false,
    });
    expect(takePageToken('http://127.0.0.1:4321/?token=T1', null)).toEqual({ token: 'T1', kept: false });
  });

  it("goes along in the address of a new tab the app opens, since that tab's storage starts empty", () => {
    const tab = storage({ 'deskmate.token': 'a b/c' });
    const address = newTabAddress('http://127.0.0.1:4321/index.html?workspace=%2Fw#x', tab);
    expect(address).toBe('/index.html?token=a%20b%2Fc');
    expect(tokenOf(address)).toBe('a b/c');
    // Storage disabled: the token is still in this page's address.
    expect(newTabAddress('http://127.0.0.1:4321/?token=T1', null)).toBe('/?token=T1');
    expect(newTabAddress('http://127.0.0.1:4321/', storage())).toBe('/');
  });

  it('opens a conversation in the new tab along with the token', () => {
    const tab = storage({ 'deskmate.token': 'T1' });
    expect(newTabAddress('http://127.0.0.1:4321/?conversation=old', tab, { conversation: 'c-2' })).toBe(
      '/?token=T1&conversation=c-2',
    );
  });
});

function tokenOf(address: string): string | null {
  return new URL(address, 'http://127.0.0.1:4321').searchParams.get('token');
}

describe('addressWithoutToken', () => {
  it('drops every token parameter and keeps the rest as it was spelled', () => {
    const folder = '/home/me/a b&c';
    const href = `http://127.0.0.1:4321/?token=T0k-en&workspace=${encodeURIComponent(folder)}#top`;
    const address = addressWithoutToken(href)!;
    expect(address).toBe(`/?workspace=${encodeURIComponent(folder)}#top`);
    expect(new URL(address, href).searchParams.get('workspace')).toBe(folder);

    expect(addressWithoutToken('http://127.0.0.1:4321/?token=abc')).toBe('/');
    expect(addressWithoutToken('http://127.0.0.1:4321/?conversation=c1&token=a&%74oken=b&x=1')).toBe(
      '/?conversation=c1&x=1',
    );
    expect(addressWithoutToken('http://127.0.0.1:4321/index.html?token=')).toBe('/index.html');
  });

  it('leaves an address without a token alone', () => {
    for (const href of [
      'http://127.0.0.1:4321/',
      'http://127.0.0.1:4321/?workspace=%2Ftmp',
      'http://127.0.0.1:4321/?tokens=1&my_token=2',
      'http://127.0.0.1:4321/#token=abc',
    ]) {
      expect(addressWithoutToken(href), href).toBeNull();
    }
  });
});
