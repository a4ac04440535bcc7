import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../../../test/support/temp-dir';
import { hasErrorCode } from './fs-errors';

describe('hasErrorCode', () => {
  it('recognises the errno code of a failed file system call, and only that one', async () => {
    const error = await readFile(path.join(await tempDir(), 'missing')).catch((e: unknown) => e);
    expect(hasErrorCode(error, 'ENOENT')).toBe(true);
    expect(hasErrorCode(error, 'EEXIST')).toBe(false);
  });

  it('is false for anything that carries no code: plain errors, text, null, undefined', () => {
    expect(hasErrorCode(new Error('ENOENT'), 'ENOENT')).toBe(false);
    expect(hasErrorCode('ENOENT', 'ENOENT')).toBe(false);
    expect(hasErrorCode(null, 'ENOENT')).toBe(false);
    expect(hasErrorCode(undefined, 'ENOENT')).toBe(false);
    expect(hasErrorCode({ code: 'ENOENT' }, 'ENOENT')).toBe(true);
  });
});
