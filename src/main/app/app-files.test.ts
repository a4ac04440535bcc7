import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/temp-dir';
import { CONTENT_SECURITY_POLICY } from '../../shared/content-security-policy';
import { resolveAppRequest } from './app-files';

// <tmp>/renderer is the built renderer; <tmp>/secret.txt and <tmp>/secrets/key.txt sit beside it
// and must never be served.
let base: string;
let root: string;

beforeEach(async () => {
  base = await tempDir('deskmate-app-files-');
  root = path.join(base, 'renderer');
  await mkdir(path.join(root, 'assets'), { recursive: true });
  await writeFile(path.join(root, 'index.html'), '<!doctype html><title>Deskmate</title>');
  await writeFile(path.join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  await writeFile(path.join(root, 'assets', 'a b.css'), 'body{}');
  await writeFile(path.join(base, 'secret.txt'), 'SECRET');
  await mkdir(path.join(base, 'secrets'));
  await writeFile(path.join(base, 'secrets', 'key.txt'), 'SECRET');
  // Planted inside the renderer folder, pointing out of it.
  await symlink(path.join(base, 'secret.txt'), path.join(root, 'leak.txt'));
  await symlink(base, path.join(root, 'up'));
  // Pointing somewhere else inside: harmless.
  await symlink(path.join(root, 'assets', 'index-abc.js'), path.join(root, 'alias.js'));
});

/** What a page would get: the served file's content, or the refusal's status. */
async function get(url: string, method = 'GET'): Promise<string | number> {
  const result = await resolveAppRequest(root, { url, method });
  return result.ok ? readFile(result.file, 'utf8') : result.status;
}

describe('the app:// handler serves the built renderer', () => {
  it('/ is index.html, with the strict CSP, its type and nosniff', async () => {
    const result = await resolveAppRequest(root, { url: 'app://deskmate/', method: 'GET' });
    expect(result).toMatchObject({ ok: true, file: path.join(root, 'index.html') });
    expect(result.ok && result.headers).toEqual({
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
    });
  });

  it('serves assets, percent-encoded names and in-folder symlinks; ignores query and fragment', async () => {
    expect(await get('app://deskmate/index.html?x=1#top')).toContain('<title>Deskmate</title>');
    expect(await get('app://deskmate/assets/index-abc.js')).toBe('console.log(1)');
    expect(await get('app://deskmate/assets/a%20b.css')).toBe('body{}');
    expect(await get('app://deskmate/alias.js', 'HEAD')).toBe('console.log(1)');
    const js = await resolveAppRequest(root, { url: 'app://deskmate/assets/index-abc.js', method: 'GET' });
    expect(js.ok && js.headers['Content-Type']).toBe('text/javascript; charset=utf-8');
  });

  it('a folder or a missing file is 404, a POST is 405', async () => {
    expect(await get('app://deskmate/assets')).toBe(404);
    expect(await get('app://deskmate/assets/')).toBe(404);
    expect(await get('app://deskmate/missing.js')).toBe(404);
    expect(await get('app://deskmate/index.html', 'POST')).toBe(405);
  });
});

describe('no request reaches a file outside the built renderer', () => {
  it.each([
    ['plain ..', 'app://deskmate/../secret.txt'],
    ['.. inside a path', 'app://deskmate/assets/../../secret.txt'],
    ['percent-encoded ..', 'app://deskmate/%2e%2e/secret.txt'],
    ['mixed-case encoded ..', 'app://deskmate/%2E./secrets/key.txt'],
    ['encoded slash', 'app://deskmate/..%2fsecret.txt'],
    ['encoded slash inside a segment', 'app://deskmate/assets%2f..%2f..%2fsecret.txt'],
    ['double-encoded ..', 'app://deskmate/%252e%252e/secret.txt'],
    ['double-encoded slash', 'app://deskmate/..%252fsecret.txt'],
    ['backslashes', 'app://deskmate/..\\secret.txt'],
    ['encoded backslashes', 'app://deskmate/assets%5c..%5c..%5csecret.txt'],
    ['NUL', 'app://deskmate/index.html%00../../secret.txt'],
    ['a lone encoded NUL', 'app://deskmate/%00'],
    ['a drive letter', 'app://deskmate/C:%5csecret.txt'],
    ['an absolute path as a segment', 'app://deskmate/%2Fetc%2Fhostname'],
    ['a symlinked file pointing out', 'app://deskmate/leak.txt'],
    ['a symlinked folder pointing out', 'app://deskmate/up/secret.txt'],
    ['a symlinked folder, then a sibling folder', 'app://deskmate/up/secrets/key.txt'],
    ['malformed encoding', 'app://deskmate/%E0%A4%A'],
  ])('%s: %s', async (_name, url) => {
    const result = await resolveAppRequest(root, { url, method: 'GET' });
    expect(result.ok).toBe(false);
    expect(await get(url)).not.toBe('SECRET');
  });

  it('a backslash or a colon is refused even where it is an ordinary file name character', async () => {
    // On Windows they are a separator and a drive or stream marker; on Linux, a name like any other.
    await writeFile(path.join(root, 'back\\slash.txt'), 'inside');
    await writeFile(path.join(root, 'c:stream.txt'), 'inside');
    expect(await get('app://deskmate/back%5Cslash.txt')).toBe(400);
    expect(await get('app://deskmate/c%3Astream.txt')).toBe(400);
  });

  it.each([
    'app://deskmate.evil/index.html',
    'app://evil/index.html',
    'app://user@deskmate/index.html',
    'app:///index.html',
    'file:///index.html',
    'https://deskmate/index.html',
    'not a url',
  ])('a request for another host or scheme is refused: %s', async (url) => {
    expect(await get(url)).toBeOneOf([400, 404]);
  });
});

describe('a refused app:// request says why', () => {
  it.each([
    ['app://deskmate/index.html', 'POST', 405, 'POST is not served'],
    ['app://deskmate/index.html', 'PUT', 405, 'PUT is not served'],
    ['not a url', 'GET', 400, 'not a URL'],
    ['app://evil/index.html', 'GET', 404, "not the app's origin: app://evil"],
    ['https://deskmate/index.html', 'GET', 404, "not the app's origin: https://deskmate"],
    ['app://user@deskmate/index.html', 'GET', 404, "not the app's origin: app://deskmate"],
    ['app://deskmate/%E0%A4%A', 'GET', 400, 'malformed percent-encoding'],
    ['app://deskmate/a%00b', 'GET', 400, 'refused path segment "a\\u0000b"'],
    ['app://deskmate/a%2fb', 'GET', 400, 'refused path segment "a/b"'],
    ['app://deskmate/missing.js', 'GET', 404, 'no such file inside the renderer'],
  ])('%s (%s): %i, %s', async (url, method, status, reason) => {
    expect(await resolveAppRequest(root, { url, method })).toEqual({ ok: false, status, reason });
  });

  it('serves HEAD like GET, and the host in any case', async () => {
    expect(await resolveAppRequest(root, { url: 'app://DESKMATE/index.html', method: 'HEAD' })).toMatchObject(
      {
        ok: true,
        file: path.join(root, 'index.html'),
      },
    );
  });

  it('resolves dot segments however they are encoded, never above the renderer', async () => {
    expect(await get('app://deskmate/%2e%2e/%2E%2e/index.html')).toContain('<title>Deskmate</title>');
    expect(await get('app://deskmate/assets/%2e/index-abc.js')).toBe('console.log(1)');
    expect(await resolveAppRequest(root, { url: 'app://deskmate/%2e%2e/secret.txt', method: 'GET' })).toEqual(
      {
        ok: false,
        status: 404,
        reason: 'no such file inside the renderer',
      },
    );
  });

  it('skips empty segments: a doubled slash names the same file', async () => {
    expect(await get('app://deskmate//assets//index-abc.js')).toBe('console.log(1)');
  });
});
