import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';

/** A fresh folder for one test, removed after it. Call inside a test or a beforeEach. */
export async function tempDir(prefix = 'deskmate-'): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  afterEach(() => rm(dir, { recursive: true, force: true }));
  return dir;
}
