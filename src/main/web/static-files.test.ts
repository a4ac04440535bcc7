import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/temp-dir';
import { contentTypeOf } from '../engine/base/fs/content-types';
import { findStaticFile } from './static-files';

async function fixture() {
  const base = await tempDir('deskmate-static-');
  const root = path.join(base, 'root');
  await mkdir(path.join(root, 'assets'), { recursive: true });
  await writeFile(path.join(root, 'index.html'), '<!doctype html>');
  await writeFile(path.join(root, 'assets', 'app.js'), 'export {};');
  await writeFile(path.join(root, '.env'), 'SECRET=1');
  await mkdir(path.join(root, '.git'));
  await writeFile(path.join(root, '.git', 'config'), '[remote "origin"]');
  await writeFile(path.join(root, 'assets', '.secret'), 'hidden');
  await writeFile(path.join(base, 'secret.txt'), 'top secret');
  await symlink(path.join(base, 'secret.txt'), path.join(root, 'assets', 'link.txt'));
  return root;
}

describe('findStaticFile', () => {
  it('finds index.html for / and files by path', async () => {
    const root = await fixture();
    expect(await findStaticFile(root, '/')).toMatchObject({
      kind: 'file',
      file: path.join(root, 'index.html'),
    });
    expect(await findStaticFile(root, '/assets/app.js')).toMatchObject({ kind: 'file' });
    expect(await findStaticFile(root, '/assets/%61pp.js')).toMatchObject({ kind: 'file' });
  });

  it('reads encoded extra leading slashes as the root, never as the filesystem root', async () => {
    const root = await fixture();
    for (const spelled of ['/%2Findex.html', '/%2F%2Fassets/app.js']) {
      expect(await findStaticFile(root, spelled), spelled).toMatchObject({ kind: 'file' });
    }
    expect(await findStaticFile(root, '/%2Fetc/passwd')).toEqual({ kind: 'not-found' });
  });

  it('never leaves the root, however the path is spelled', async () => {
    const root = await fixture();
    for (const attempt of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '//secret.txt',
      '/assets/link.txt',
      '/.env',
    ]) {
      expect((await findStaticFile(root, attempt)).kind, attempt).toBe('not-found');
    }
    for (const attempt of ['/%00', '/assets/app.js%00.html', '/..%5csecret.txt', '/%e0%a4%a']) {
      expect((await findStaticFile(root, attempt)).kind, attempt).toBe('bad-request');
    }
  });

  it('serves nothing under a dot-folder or named with a dot, at any depth', async () => {
    const root = await fixture();
    for (const attempt of ['/.git/config', '/assets/.secret', '/%2egit/config']) {
      expect((await findStaticFile(root, attempt)).kind, attempt).toBe('not-found');
    }
  });

  it('lists no folder', async () => {
    const root = await fixture();
    expect((await findStaticFile(root, '/assets/')).kind).toBe('not-found');
    expect((await findStaticFile(root, '/assets')).kind).toBe('not-found');
    expect((await findStaticFile(root, '/missing.js')).kind).toBe('not-found');
  });
});

describe('contentTypeOf', () => {
  it('names the common kinds and falls back to bytes', () => {
    expect(contentTypeOf('index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeOf('a.JS')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeOf('a.css')).toBe('text/css; charset=utf-8');
    expect(contentTypeOf('a.woff2')).toBe('font/woff2');
    expect(contentTypeOf('a.bin')).toBe('application/octet-stream');
  });
});
