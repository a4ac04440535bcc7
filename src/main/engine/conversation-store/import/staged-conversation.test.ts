import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../../../test/support/temp-dir';
import { stageConversation } from './staged-conversation';

describe('putting an imported conversation together', () => {
  it('leaves nothing behind when a write fails', async () => {
    const root = await tempDir();
    const broken = {
      log: Buffer.from('x\n'),
      config: 42 as unknown as Buffer,
      modified: new Date(),
      notes: [],
    };
    await expect(stageConversation(root, 'one', broken, new Date())).rejects.toThrow();
    expect(await readdir(root)).toEqual([]);
  });
});
