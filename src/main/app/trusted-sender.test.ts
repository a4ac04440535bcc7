import { describe, expect, it } from 'vitest';
import { createAppUrlCheck } from './app-origin';
import { isTrustedSender, type FrameLike, type SenderEvent } from './trusted-sender';

const windows = new Set([7]);
const isOurWindow = (id: number) => windows.has(id);

function event(options: { id?: number; url?: string; frame?: 'main' | 'sub' | 'gone' }): SenderEvent {
  const mainFrame: FrameLike = { url: options.url ?? 'app://deskmate/index.html' };
  const senderFrame =
    options.frame === 'gone' ? null : options.frame === 'sub' ? { url: mainFrame.url } : mainFrame;
  return { sender: { id: options.id ?? 7, mainFrame }, senderFrame };
}

describe('isTrustedSender', () => {
  const packaged = createAppUrlCheck();

  it('our window, its main frame, on our page: trusted', () => {
    expect(isTrustedSender(event({}), isOurWindow, packaged)).toBe(true);
    expect(isTrustedSender(event({ url: 'app://deskmate/index.html#x' }), isOurWindow, packaged)).toBe(true);
  });

  it('a web contents that is not one of our windows is refused', () => {
    expect(isTrustedSender(event({ id: 8 }), isOurWindow, packaged)).toBe(false);
  });

  it('a subframe, even on our origin, is refused', () => {
    expect(isTrustedSender(event({ frame: 'sub' }), isOurWindow, packaged)).toBe(false);
  });

  it('a frame that is gone (navigated or destroyed) is refused', () => {
    expect(isTrustedSender(event({ frame: 'gone' }), isOurWindow, packaged)).toBe(false);
  });

  it.each([
    'app://deskmate.evil/index.html',
    'https://example.com/',
    'file:///tmp/index.html',
    'http://localhost:5173/',
    'about:blank',
  ])('our window showing %s is refused', (url) => {
    expect(isTrustedSender(event({ url }), isOurWindow, packaged)).toBe(false);
  });

  it('in npm run dev the dev server is our page, and its look-alikes are not', () => {
    const dev = createAppUrlCheck('http://localhost:5173');
    expect(isTrustedSender(event({ url: 'http://localhost:5173/' }), isOurWindow, dev)).toBe(true);
    expect(isTrustedSender(event({ url: 'http://localhost:5173.evil.com/' }), isOurWindow, dev)).toBe(false);
    expect(isTrustedSender(event({ url: 'http://localhost:51730/' }), isOurWindow, dev)).toBe(false);
  });
});
