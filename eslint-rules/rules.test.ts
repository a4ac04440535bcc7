import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// Lints planted code through the project's real eslint.config.js, as `npm run lint` would.
const eslint = new ESLint({ cwd: path.resolve('.') });

async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.resolve(filePath) });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('lint keeps the runtimes apart', () => {
  it.each([
    'src/main/engine/planted.ts',
    'src/main/web/planted.ts',
    'src/main/cli/planted.ts',
    'src/shared/planted.ts',
    'src/renderer/src/planted.ts',
  ])('fails on an electron import in %s', async (file) => {
    expect(await ruleIds(file, "import { app } from 'electron';\nexport const a = app;\n")).toContain(
      'deskmate/layers',
    );
  });

  it('allows electron in src/main/app and src/preload', async () => {
    expect(
      await ruleIds('src/main/app/planted.ts', "import { app } from 'electron';\nexport const a = app;\n"),
    ).toEqual([]);
    expect(
      await ruleIds(
        'src/preload/planted.ts',
        "import { ipcRenderer } from 'electron';\nexport const i = ipcRenderer;\n",
      ),
    ).toEqual([]);
  });

  it('fails on a renderer import of main code, however the path is spelled', async () => {
    for (const source of ['../../main/engine/data-dir', '../../main/app/windows', './../../main/web/x']) {
      expect(
        await ruleIds('src/renderer/src/planted.ts', `import { x } from '${source}';\nexport const y = x;\n`),
        source,
      ).toContain('deskmate/layers');
    }
    expect(
      await ruleIds(
        'src/renderer/src/planted.ts',
        "import { x } from '../../shared/contract';\nexport const y = x;\n",
      ),
    ).toEqual([]);
  });

  it('fails when the engine imports a host, or shared imports the engine', async () => {
    expect(
      await ruleIds(
        'src/main/engine/planted.ts',
        "import { x } from '../app/windows';\nexport const y = x;\n",
      ),
    ).toContain('deskmate/layers');
    expect(
      await ruleIds('src/main/engine/rpc/planted.ts', "export { x } from '../../cli/main';\n"),
    ).toContain('deskmate/layers');
    expect(
      await ruleIds(
        'src/shared/planted.ts',
        "import { x } from '../main/engine/data-dir';\nexport const y = x;\n",
      ),
    ).toContain('deskmate/layers');
  });

  it('fails on module-level mutable state in the engine, not on frozen constants', async () => {
    const file = 'src/main/engine/planted.ts';
    expect(await ruleIds(file, 'export let current = 0;\n')).toContain('deskmate/no-module-state');
    expect(await ruleIds(file, 'var count = 0;\nexport const c = count;\n')).toContain(
      'deskmate/no-module-state',
    );
    expect(await ruleIds(file, 'export const cache = new Map<string, number>();\n')).toContain(
      'deskmate/no-module-state',
    );
    expect(await ruleIds(file, 'export const seen: string[] = [];\n')).toContain('deskmate/no-module-state');
    expect(await ruleIds(file, 'export const state = { n: 0 };\n')).toContain('deskmate/no-module-state');
    expect(
      await ruleIds(file, "export const NAMES = Object.freeze(['a']);\nexport const LIMIT = 3;\n"),
    ).toEqual([]);
    expect(await ruleIds(file, 'export function f() {\n  let n = 0;\n  n++;\n  return n;\n}\n')).toEqual([]);
  });

  it('fails on process.chdir and writes to process.env anywhere in src', async () => {
    const cases = [
      "process.chdir('/tmp');\n",
      "process.env.FOO = 'bar';\n",
      "process.env['FOO'] = 'bar';\n",
      'delete process.env.FOO;\n',
      "Object.assign(process.env, { FOO: 'bar' });\n",
      'process.env = {};\n',
    ];
    for (const code of cases) {
      expect(await ruleIds('src/main/app/planted.ts', code), code).toContain('no-restricted-syntax');
    }
    expect(await ruleIds('src/main/app/planted.ts', 'export const home = process.env.HOME;\n')).toEqual([]);
  });
});
