import { symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeWorkspace } from '../../../../test/support/engine';
import { tempDir } from '../../../../test/support/temp-dir';
import type { EffectiveConfig } from '../../../shared/config';
import { DEFAULT_CONFIG } from '../config/defaults';
import { buildSystemPrompt, composeSystemPrompt } from './system-prompt';

const config = (values: Partial<EffectiveConfig> = {}): EffectiveConfig => ({ ...DEFAULT_CONFIG, ...values });

describe('the system prompt', () => {
  it('without a folder, says the file and shell tools will fail, and reads no project files', async () => {
    const prompt = await buildSystemPrompt(config({ files: ['README.md'] }), null, []);
    expect(prompt).toBe(
      [
        "You are Deskmate, an AI assistant working in a local workspace on the user's computer.",
        'Use the tools to inspect and change files and to run commands; the user approves each write or command.',
        'Keep answers concise. Use Markdown. Show code in fenced blocks with a language.',
        'No workspace folder is open: file and shell tools will fail until the user opens one.',
      ].join('\n\n'),
    );
  });

  it('names the folder relative paths start from, and adds the project instructions only when there are some', async () => {
    const workspace = await makeWorkspace();
    const plain = await buildSystemPrompt(config(), workspace, []);
    expect(plain.split('\n\n').at(-1)).toBe(
      `The workspace is ${workspace}. Relative paths are relative to it; paths outside it are refused.`,
    );
    expect(plain).not.toContain('Project instructions');
    const instructed = await buildSystemPrompt(config({ prompt: 'Answer in French.' }), workspace, []);
    expect(instructed.split('\n\n').at(-1)).toBe('Project instructions:\nAnswer in French.');
  });

  it('includes the project files in order, each in its own fenced block', async () => {
    const workspace = await makeWorkspace({ 'README.md': '# Hello', 'docs/notes.txt': 'one\ntwo' });
    const prompt = await buildSystemPrompt(config({ files: ['README.md', 'docs/notes.txt'] }), workspace, []);
    expect(prompt.split('\n\n').slice(-2)).toEqual([
      'Contents of README.md:\n```\n# Hello\n```',
      'Contents of docs/notes.txt:\n```\none\ntwo\n```',
    ]);
  });

  it('cuts a long file at 20,000 characters and says so; a file of exactly that length is whole', async () => {
    const exact = 'a'.repeat(20_000);
    const workspace = await makeWorkspace({ 'exact.txt': exact, 'long.txt': 'b'.repeat(20_001) });
    const prompt = await buildSystemPrompt(config({ files: ['exact.txt', 'long.txt'] }), workspace, []);
    expect(prompt).toContain(`Contents of exact.txt:\n\`\`\`\n${exact}\n\`\`\``);
    expect(prompt).toContain(`Contents of long.txt:\n\`\`\`\n${'b'.repeat(20_000)}\n[… cut]\n\`\`\``);
  });

  it('counts characters, not bytes: 20,000 three-byte characters are whole, more are cut', async () => {
    const euros = '€'.repeat(20_000);
    const workspace = await makeWorkspace({ 'euros.txt': euros, 'more.txt': `${euros}€€€` });
    const prompt = await buildSystemPrompt(config({ files: ['euros.txt', 'more.txt'] }), workspace, []);
    expect(prompt).toContain(`Contents of euros.txt:\n\`\`\`\n${euros}\n\`\`\``);
    expect(prompt).toContain(`Contents of more.txt:\n\`\`\`\n${euros}\n[… cut]\n\`\`\``);
  });

  it('a file far too big is cut, not refused', async () => {
    const workspace = await makeWorkspace({ 'huge.log': 'c'.repeat(1_000_000) });
    const prompt = await buildSystemPrompt(config({ files: ['huge.log'] }), workspace, []);
    expect(prompt).toContain(`Contents of huge.log:\n\`\`\`\n${'c'.repeat(20_000)}\n[… cut]\n\`\`\``);
  });

  it('a file that cannot be read is named with the reason, and the others are still included', async () => {
    const outside = await tempDir();
    await writeFile(path.join(outside, 'secret.txt'), 'do not send');
    const workspace = await makeWorkspace({ 'ok.txt': 'fine' });
    await symlink(path.join(outside, 'secret.txt'), path.join(workspace, 'link.txt'));
    const prompt = await buildSystemPrompt(
      config({ files: ['missing.txt', 'link.txt', '../escape.txt', 'ok.txt'] }),
      workspace,
      [],
    );
    const parts = prompt.split('\n\n').slice(-4);
    // The reason a model and a user can read, not the error's name.
    expect(parts[0]).toBe('(missing.txt could not be included: missing.txt does not exist)');
    expect(parts[1]).toMatch(/^\(link\.txt could not be included: .*outside the workspace/);
    expect(parts[2]).toMatch(/^\(\.\.\/escape\.txt could not be included: .*outside the workspace/);
    expect(parts[3]).toBe('Contents of ok.txt:\n```\nfine\n```');
    expect(prompt).not.toContain('do not send');
  });

  it('never reads the data folder, even when the workspace holds it', async () => {
    // Opening the home folder as the workspace puts Deskmate's own data inside it.
    const workspace = await makeWorkspace({ 'data/secrets.json': '{"apiKey":"sk-secret"}' });
    const prompt = await buildSystemPrompt(config({ files: ['data/secrets.json'] }), workspace, [
      path.join(workspace, 'data'),
    ]);
    expect(prompt).not.toContain('sk-secret');
    expect(prompt).toMatch(/\(data\/secrets\.json could not be included: /);
  });
});

describe('the system prompt of a project with no files list', () => {
  it('includes the README, AGENTS.md and the manifest; an empty list includes none', async () => {
    const workspace = await makeWorkspace({
      'README.md': '# Demo',
      'AGENTS.md': 'Run npm test.',
      'package.json': '{"name":"demo"}',
    });
    const prompt = await buildSystemPrompt(config(), workspace, []);
    expect(prompt.split('\n\n').slice(-3)).toEqual([
      'Contents of README.md:\n```\n# Demo\n```',
      'Contents of AGENTS.md:\n```\nRun npm test.\n```',
      'Contents of package.json:\n```\n{"name":"demo"}\n```',
    ]);
    expect(await buildSystemPrompt(config({ files: [] }), workspace, [])).not.toContain('Contents of');
  });

  it('cuts a huge default file and says so, and never follows a README that is a symlink out', async () => {
    const outside = await makeWorkspace({ 'secret.txt': 'TOP SECRET' });
    const workspace = await makeWorkspace({ 'AGENTS.md': 'x'.repeat(50_000) });
    await symlink(path.join(outside, 'secret.txt'), path.join(workspace, 'README.md'));
    const prompt = await buildSystemPrompt(config(), workspace, []);
    expect(prompt).toContain(`Contents of AGENTS.md:\n\`\`\`\n${'x'.repeat(20_000)}\n[… cut]\n\`\`\``);
    expect(prompt).not.toContain('TOP SECRET');
    expect(prompt).toContain('(README.md could not be included: README.md leads outside the workspace');
  });

  it("takes a project's base_prompt as its opening, and still names the workspace", async () => {
    const workspace = await makeWorkspace();
    const prompt = await buildSystemPrompt(
      config({ basePrompt: 'You are Bob, a build bot.' }),
      workspace,
      [],
    );
    expect(prompt.split('\n\n')).toEqual([
      'You are Bob, a build bot.',
      `The workspace is ${workspace}. Relative paths are relative to it; paths outside it are refused.`,
    ]);
  });
});

describe('what went into the system prompt', () => {
  it('is the very text sent, each file with its size, characters and tokens, cut or not', async () => {
    const workspace = await makeWorkspace({
      'AGENTS.md': 'Run npm test.',
      'notes.txt': '€'.repeat(20_001),
    });
    const files = ['AGENTS.md', 'notes.txt', 'missing.md'];
    const composed = await composeSystemPrompt(config({ files }), workspace, [], 'computed');
    expect(composed.text).toBe(await buildSystemPrompt(config({ files }), workspace, [], 'computed'));
    // The context command's output comes last, as in gptme.
    expect(composed.text.split('\n\n').at(-1)).toBe('computed');
    expect(composed.tokens).toBe(Math.ceil(composed.text.length / 4));
    expect(composed.files).toEqual([
      { path: 'AGENTS.md', bytes: 13, chars: 13, tokens: 4, cut: false },
      // Three bytes a euro: every byte read, only the first 20,000 characters in.
      { path: 'notes.txt', bytes: 60_003, chars: 20_000, tokens: 5_000, cut: true },
      { path: 'missing.md', error: expect.stringContaining('missing.md') },
    ]);
    expect(composed.text).toContain(
      `(missing.md could not be included: ${(composed.files[2] as { error: string }).error})`,
    );
  });

  it('says whether the base prompt and the instructions were used', async () => {
    const plain = await composeSystemPrompt(config(), null, []);
    expect(plain).toMatchObject({ basePrompt: false, instructions: false, files: [] });
    const project = await composeSystemPrompt(config({ basePrompt: 'Bob.', prompt: 'Be brief.' }), null, []);
    expect(project).toMatchObject({ basePrompt: true, instructions: true });
  });

  it('names the default files it found, and no file of a prompt without a folder', async () => {
    const workspace = await makeWorkspace({ 'README.md': '# Demo', 'AGENTS.md': 'Hi' });
    const composed = await composeSystemPrompt(config(), workspace, []);
    expect(composed.files.map((f) => f.path)).toEqual(['README.md', 'AGENTS.md']);
    expect((await composeSystemPrompt(config({ files: ['README.md'] }), null, [])).files).toEqual([]);
  });
});
