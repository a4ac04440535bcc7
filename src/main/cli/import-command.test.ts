import { spawn } from 'node:child_process';
import { cp, readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/temp-dir';
import { formatImportSummary } from './import-command';

const ENTRY = path.resolve('src/main/cli/index.ts');
const FIXTURES = path.resolve('test/fixtures/gptme-logs');

/** The real CLI in a child process, as `npm run cli -- import ...` runs it. */
function runCli(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run cli -- import', () => {
  it("imports gptme's log folder (XDG_DATA_HOME) into the app's data folder; the second run adds nothing", async () => {
    const home = await tempDir('deskmate-cli-home-');
    const dataHome = path.join(home, 'data');
    const logs = path.join(dataHome, 'gptme', 'logs');
    await cp(FIXTURES, logs, { recursive: true });
    // No --data-dir: the app's own folder, found from XDG_CONFIG_HOME as the app finds it.
    const env = { HOME: home, XDG_DATA_HOME: dataHome, XDG_CONFIG_HOME: path.join(home, 'config') };

    const first = await runCli(['import'], env);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toBe(
      [
        `Imported from ${logs}:`,
        '  imported:        2',
        '  already present: 0',
        '  unreadable:      0',
        'Notes:',
        '  2026-03-02-tidy-project: 1 line cannot be read: kept as it is, and the window says so; ' +
          'its workspace /srv/gptme-fixture/project is not a folder here: it opens without one',
        '',
      ].join('\n'),
    );
    const conversations = path.join(home, 'config', 'deskmate', 'conversations');
    const before = (await readdir(conversations)).sort();
    expect(before).toEqual(['2026-03-01-markdown-tools', '2026-03-02-tidy-project']);

    const second = await runCli(['import'], env);
    expect(second).toMatchObject({ code: 0, stderr: '' });
    expect(second.stdout).toBe(
      [
        `Imported from ${logs}:`,
        '  imported:        0',
        '  already present: 2',
        '  unreadable:      0',
        '',
      ].join('\n'),
    );
    expect((await readdir(conversations)).sort()).toEqual(before);
  }, 60_000);

  it('takes DIR relative to where the command was typed, and exits 1 when it is not there', async () => {
    const here = await tempDir('deskmate-cli-here-');
    const dataDir = await tempDir('deskmate-cli-data-');
    await cp(FIXTURES, path.join(here, 'logs'), { recursive: true });
    const ok = await runCli(['import', 'logs', '--data-dir', dataDir], { HOME: here, INIT_CWD: here });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('  imported:        2');

    const missing = await runCli(['import', 'nowhere', '--data-dir', dataDir], {
      HOME: here,
      INIT_CWD: here,
    });
    expect(missing).toMatchObject({
      code: 1,
      stdout: '',
      stderr: `deskmate: No folder of gptme conversations at ${path.join(here, 'nowhere')}\n`,
    });
    const two = await runCli(['import', 'a', 'b', '--data-dir', dataDir], { HOME: here });
    expect(two.code).toBe(1);
    expect(two.stderr).toContain('give at most one folder to import from');
    expect(two.stderr).toContain('usage: npm run cli -- import [DIR]');
  }, 60_000);
});

describe('the import summary on a terminal', () => {
  it('gives the counts, then the notes and the reasons folder by folder', () => {
    expect(
      formatImportSummary({
        source: '/logs\u001b[2J',
        imported: [
          { folder: 'a', id: 'a', notes: [] },
          { folder: 'b c', id: 'b_c', notes: ['its name is not a safe id: imported as b_c', 'x'] },
        ],
        alreadyPresent: [{ folder: 'd', id: 'd' }],
        unreadable: [{ folder: 'e', reason: 'has no conversation.jsonl' }],
      }),
    ).toBe(
      [
        'Imported from /logs\\u{1b}[2J:',
        '  imported:        2',
        '  already present: 1',
        '  unreadable:      1',
        'Notes:',
        '  b c: its name is not a safe id: imported as b_c; x',
        'Unreadable:',
        '  e: has no conversation.jsonl',
        '',
      ].join('\n'),
    );
  });
});
