import { cp, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestEngine } from '../../../../test/support/engine';
import { tempDir } from '../../../../test/support/temp-dir';

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/gptme-logs');

describe('conversation.import', () => {
  it("imports gptme's log folder as the host's environment names it, and every window lists again", async () => {
    const dataHome = await tempDir('xdg-data-');
    await cp(FIXTURES, path.join(dataHome, 'gptme', 'logs'), { recursive: true });
    const engine = await createTestEngine({ XDG_DATA_HOME: dataHome });
    engine.connect('w');
    engine.connect('other');

    const result = await engine.router.handle('w', 'conversation.import', {});
    expect(result).toMatchObject({ ok: true, value: { source: path.join(dataHome, 'gptme', 'logs') } });
    const value = (result as { value: { imported: unknown[] } }).value;
    expect(value.imported).toHaveLength(2);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    for (const client of ['w', 'other'])
      expect(
        engine.events.get(client)!.map((e) => e.name),
        client,
      ).toContain('conversations.changed');
    const listed = await engine.router.handle('w', 'conversation.list', {});
    expect(listed).toMatchObject({ ok: true, value: { total: 2 } });

    const again = await engine.router.handle('w', 'conversation.import', {});
    expect(again).toMatchObject({ ok: true, value: { imported: [], alreadyPresent: [{}, {}] } });
  });

  it('tells only the importing window how far it got, every hundred', async () => {
    const source = await tempDir('gptme-logs-');
    for (let n = 0; n < 120; n++) {
      await mkdir(path.join(source, `c${n}`));
      await writeFile(
        path.join(source, `c${n}`, 'conversation.jsonl'),
        `${JSON.stringify({ role: 'user', content: `Hi ${n}`, timestamp: '2026-03-05T10:00:00' })}\n`,
      );
    }
    const engine = await createTestEngine();
    engine.connect('w');
    engine.connect('other');
    await engine.router.handle('w', 'conversation.import', { path: source });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const progress = (client: string) =>
      engine.events
        .get(client)!
        .filter((e) => e.name === 'import.progress')
        .map((e) => e.payload);
    expect(progress('w')).toEqual([{ done: 100, total: 120 }]);
    expect(progress('other')).toEqual([]);
  });

  it('answers ImportSourceNotFound for a folder that is not there', async () => {
    const engine = await createTestEngine();
    engine.connect('w');
    expect(await engine.router.handle('w', 'conversation.import', { path: '/nowhere/gptme/logs' })).toEqual({
      ok: false,
      error: {
        name: 'ImportSourceNotFound',
        message: 'No folder of gptme conversations at /nowhere/gptme/logs',
        data: { path: '/nowhere/gptme/logs' },
      },
    });
  });
});
