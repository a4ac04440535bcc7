import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/support/temp-dir';
import { readGptmeChatConfig } from './gptme-chat-config';

async function folderWith(toml: string): Promise<string> {
  const dir = await tempDir();
  await writeFile(path.join(dir, 'config.toml'), toml);
  return dir;
}

describe("gptme's config.toml beside a log", () => {
  it('gives the name, the model as the API knew it, and the workspace', async () => {
    const dir = await folderWith(
      '[chat]\nname = "  Tidy up  "\nmodel = "openrouter/anthropic/claude-3.5-sonnet"\nworkspace = "/srv/p/../q"\ntools = ["shell"]\n[env]\nX = "1"\n',
    );
    expect(await readGptmeChatConfig(dir)).toEqual({
      name: 'Tidy up',
      model: 'anthropic/claude-3.5-sonnet',
      workspace: '/srv/q',
    });
    expect(
      await readGptmeChatConfig(await folderWith('[chat]\nmodel = "gpt-4o"\nworkspace = "~/code"\n')),
    ).toEqual({
      model: 'gpt-4o',
      workspace: path.join(homedir(), 'code'),
    });
  });

  it('gives nothing for a value of the wrong kind, a relative or @log workspace, or a name too long', async () => {
    const dir = await folderWith(`[chat]\nname = "${'n'.repeat(201)}"\nmodel = 42\nworkspace = "@log"\n`);
    expect(await readGptmeChatConfig(dir)).toEqual({});
    expect(
      await readGptmeChatConfig(
        await folderWith('[chat]\nname = "  "\nworkspace = "src"\nmodel = "openai/"\n'),
      ),
    ).toEqual({});
    expect(await readGptmeChatConfig(await folderWith('chat = "flat"\n'))).toEqual({});
  });

  it('a missing, malformed, oversized or linked file, or a folder in its place, gives nothing and throws nothing', async () => {
    expect(await readGptmeChatConfig(await tempDir())).toEqual({});
    expect(await readGptmeChatConfig(await folderWith('[chat\nname = "x"'))).toEqual({});
    expect(
      await readGptmeChatConfig(await folderWith(`[chat]\nname = "big"\n#${'x'.repeat(70_000)}\n`)),
    ).toEqual({});
    const secret = await folderWith('[chat]\nname = "from elsewhere"\n');
    const linked = await tempDir();
    await symlink(path.join(secret, 'config.toml'), path.join(linked, 'config.toml'));
    expect(await readGptmeChatConfig(linked)).toEqual({});
    const folder = await tempDir();
    await mkdir(path.join(folder, 'config.toml'));
    expect(await readGptmeChatConfig(folder)).toEqual({});
  });
});

describe("each value of gptme's [chat] table, on its own", () => {
  const read = async (toml: string) => readGptmeChatConfig(await folderWith(toml));

  it("takes a workspace only as an absolute path, the home folder's included, never gptme's @log", async () => {
    expect(await read('[chat]\nworkspace = "~"\n')).toStrictEqual({ workspace: homedir() });
    expect(await read('[chat]\nworkspace = "~/proj"\n')).toStrictEqual({
      workspace: path.join(homedir(), 'proj'),
    });
    for (const value of ['"@log"', '"proj"', '"~other/x"', '5'])
      expect(await read(`[chat]\nworkspace = ${value}\n`)).toStrictEqual({});
  });

  it('takes a model with or without its provider, and no empty one', async () => {
    expect(await read('[chat]\nmodel = "gpt-4o"\n')).toStrictEqual({ model: 'gpt-4o' });
    expect(await read('[chat]\nmodel = "openai/"\n')).toStrictEqual({});
  });

  it('takes a name of up to 200 characters', async () => {
    expect(await read(`[chat]\nname = "${'n'.repeat(200)}"\n`)).toStrictEqual({ name: 'n'.repeat(200) });
    expect(await read(`[chat]\nname = "${'n'.repeat(201)}"\n`)).toStrictEqual({});
  });

  it('gives nothing for a [chat] that is not a table, or a file that is not TOML', async () => {
    expect(await read('chat = 5\n')).toStrictEqual({});
    expect(await read('[env]\nX = "1"\n')).toStrictEqual({});
    expect(await read('[chat\nname = "x"\n')).toStrictEqual({});
  });
});
