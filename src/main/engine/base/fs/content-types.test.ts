import { describe, expect, it } from 'vitest';
import { contentTypeOf } from './content-types';

describe('contentTypeOf', () => {
  it('names each kind the built renderer ships, text ones as UTF-8', () => {
    const names = [
      'index.html',
      'app.js',
      'chunk.mjs',
      'style.css',
      'data.json',
      'app.js.map',
      'notes.txt',
      'icon.svg',
      'a.png',
      'a.jpg',
      'a.jpeg',
      'a.gif',
      'a.webp',
      'a.avif',
      'favicon.ico',
      'f.woff',
      'f.woff2',
      'f.ttf',
      'f.otf',
      'm.wasm',
      'site.webmanifest',
    ];
    expect(Object.fromEntries(names.map((name) => [name, contentTypeOf(name)]))).toEqual({
      'index.html': 'text/html; charset=utf-8',
      'app.js': 'text/javascript; charset=utf-8',
      'chunk.mjs': 'text/javascript; charset=utf-8',
      'style.css': 'text/css; charset=utf-8',
      'data.json': 'application/json; charset=utf-8',
      'app.js.map': 'application/json; charset=utf-8',
      'notes.txt': 'text/plain; charset=utf-8',
      'icon.svg': 'image/svg+xml',
      'a.png': 'image/png',
      'a.jpg': 'image/jpeg',
      'a.jpeg': 'image/jpeg',
      'a.gif': 'image/gif',
      'a.webp': 'image/webp',
      'a.avif': 'image/avif',
      'favicon.ico': 'image/x-icon',
      'f.woff': 'font/woff',
      'f.woff2': 'font/woff2',
      'f.ttf': 'font/ttf',
      'f.otf': 'font/otf',
      'm.wasm': 'application/wasm',
      'site.webmanifest': 'application/manifest+json',
    });
  });

  it('ignores the case of the extension and reads it from the last dot', () => {
    expect(contentTypeOf('assets/INDEX.HTML')).toBe('text/html; charset=utf-8');
    expect(contentTypeOf('archive.html.PNG')).toBe('image/png');
  });

  it('serves anything else as plain bytes, never as something a browser would run', () => {
    for (const name of ['payload.exe', 'README', '.html', 'x.htm', 'toString', 'a.constructor']) {
      expect(contentTypeOf(name), name).toBe('application/octet-stream');
    }
  });
});
