import { spawn } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { workedConversation } from '../../../test/support/export-fixtures';
import { tempDir } from '../../../test/support/temp-dir';
import { ConversationStore } from '../engine/conversation-store/conversation-store';

const ENTRY = path.resolve('src/main/cli/index.ts');

/** The real CLI in a child process, as `npm run cli -- export ...` runs it. */
function runCli(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function dataDirWithConversation() {
  const dataDir = await tempDir('deskmate-cli-export-');
  const store = new ConversationStore(dataDir);
  const { id } = await store.create({ name: 'Fix the build' });
  for (const message of workedConversation().messages) await store.append(id, message);
  const log = path.join(dataDir, 'conversations', id, 'conversation.jsonl');
  return { dataDir, id, log };
}

describe('npm run cli -- export', () => {
  it('writes the log to stdout as it is on disk, and a page to --out, readable by the user alone', async () => {
    const { dataDir, id, log } = await dataDirWithConversation();
    const jsonl = await runCli(['export', id, '--format', 'jsonl', '--data-dir', dataDir], {});
    expect(jsonl).toMatchObject({ code: 0, stderr: '' });
    expect(jsonl.stdout).toBe(await readFile(log, 'utf8'));

    const here = await tempDir('deskmate-cli-out-');
    // Relative to where the user typed the command (npm sets INIT_CWD), not the package folder.
    const html = await runCli(['export', id, '-f', 'html', '--out', 'chat.html', '--data-dir', dataDir], {
      INIT_CWD: here,
    });
    const out = path.join(here, 'chat.html');
    expect(html).toMatchObject({ code: 0, stdout: '', stderr: `deskmate: exported to ${out}\n` });
    const page = await readFile(out, 'utf8');
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('<details class="tool">');
    expect((await stat(out)).mode & 0o777).toBe(0o600);
  }, 60_000);

  it('says what is wrong and exits 1: no id, a format it does not write, a conversation that is not there', async () => {
    const { dataDir, id } = await dataDirWithConversation();
    const noId = await runCli(['export', '--format', 'md', '--data-dir', dataDir], {});
    expect(noId.code).toBe(1);
    expect(noId.stderr).toContain('give the id of one conversation');
    expect(noId.stderr).toContain('usage: npm run cli -- export ID --format md|html|jsonl');
    const pdf = await runCli(['export', id, '--format', 'pdf', '--data-dir', dataDir], {});
    expect(pdf.code).toBe(1);
    expect(pdf.stderr).toContain('--format must be one of md, html, jsonl');
    const missing = await runCli(
      ['export', '2026-01-01-ffffff', '--format', 'md', '--data-dir', dataDir],
      {},
    );
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr).toBe('deskmate: No conversation 2026-01-01-ffffff.\n');
  }, 60_000);
});
