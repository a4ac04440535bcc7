import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeWorkspace } from '../../../../test/support/engine';
import { tempDir } from '../../../../test/support/temp-dir';
import { defaultContextFiles } from './default-context-files';

describe('the files a gptme user expects without a files list', () => {
  it('are the README, the agent instructions, Cursor rules and the manifest, in that order, when present', async () => {
    const ws = await makeWorkspace({
      'README.txt': 't',
      'README.md': 'm',
      'README.de.md': 'de',
      'GEMINI.md': 'g',
      'AGENTS.md': 'a',
      'CLAUDE.md': 'c',
      Makefile: 'all:',
      'package.json': '{}',
      'Cargo.toml': '',
      'pyproject.toml': '',
      '.cursor/rules/style.mdc': 's',
      '.cursor/rules/api.md': 'x',
      '.cursor/rules/image.png': 'p',
      'src/README.md': 'not at the top',
      'notes.md': 'not a default',
    });
    expect(await defaultContextFiles(ws, [])).toEqual([
      'README.md',
      'README.txt',
      'README.de.md',
      'AGENTS.md',
      'CLAUDE.md',
      'GEMINI.md',
      path.join('.cursor', 'rules', 'api.md'),
      path.join('.cursor', 'rules', 'style.mdc'),
      'package.json',
      'pyproject.toml',
      'Cargo.toml',
      'Makefile',
    ]);
  });

  it('are none in an empty folder, and a README folder or a rules folder that leads out is not listed', async () => {
    expect(await defaultContextFiles(await makeWorkspace(), [])).toEqual([]);
    const outside = await makeWorkspace({ 'secret.mdc': 'key' });
    const ws = await makeWorkspace({ 'AGENTS.md': 'a' });
    await mkdir(path.join(ws, 'README'));
    await mkdir(path.join(ws, '.cursor'));
    await symlink(outside, path.join(ws, '.cursor', 'rules'));
    expect(await defaultContextFiles(ws, [])).toEqual(['AGENTS.md']);
  });

  it('list at most four READMEs and twenty rules', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++) files[`.cursor/rules/r${String(i).padStart(2, '0')}.mdc`] = 'r';
    for (let i = 0; i < 6; i++) files[`README.${i}`] = 'r';
    const found = await defaultContextFiles(await makeWorkspace(files), []);
    expect(found.filter((f) => f.startsWith('README'))).toHaveLength(4);
    expect(found.filter((f) => f.includes('rules'))).toHaveLength(20);
  });

  it('skip a workspace that cannot be listed', async () => {
    expect(await defaultContextFiles(path.join(await tempDir(), 'gone'), [])).toEqual([]);
  });
});
