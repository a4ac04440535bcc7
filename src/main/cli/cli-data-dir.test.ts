import { stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/temp-dir';
import { prepareCliDataDir } from './cli-data-dir';

const quiet = { write: () => true };

describe('the CLI data folder', () => {
  it('takes --data-dir from where the user typed the command, and makes it private', async () => {
    const typedIn = await tempDir();
    const dir = prepareCliDataDir({ env: { INIT_CWD: typedIn }, cwd: '/', stderr: quiet }, 'data');
    expect(dir).toBe(path.join(typedIn, 'data'));
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
  });

  it('without the flag, uses DESKMATE_DATA_DIR before the app folder', async () => {
    const chosen = path.join(await tempDir(), 'chosen');
    const dir = prepareCliDataDir({ env: { DESKMATE_DATA_DIR: chosen }, cwd: '/', stderr: quiet }, undefined);
    expect(dir).toBe(chosen);
  });
});
