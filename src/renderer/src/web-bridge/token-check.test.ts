import { describe, expect, it } from 'vitest';
import { tokenCheckUrl } from './token-check';

describe('the tab token', () => {
  it('is checked over HTTP at the same /ws, with the token and nothing else', () => {
    expect(tokenCheckUrl('ws://127.0.0.1:4321/ws?token=T%2B1&session=abc&resume=1&workspace=%2Fw')).toBe(
      'http://127.0.0.1:4321/ws?token=T%2B1',
    );
    expect(tokenCheckUrl('wss://example.test/ws?token=T')).toBe('https://example.test/ws?token=T');
  });
});
