import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test/support/temp-dir';

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

describe('lint fails on an import cycle in src', () => {
  // Planted in a folder of their own (the rule reads the other files from disk), linted through
  // the project's real config with that folder as the project root.
  async function lintPlanted(files: Record<string, string>): Promise<Map<string, string[]>> {
    const root = await tempDir('deskmate-cycle-');
    for (const [name, code] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(root, name)), { recursive: true });
      await writeFile(path.join(root, name), code);
    }
    const planted = new ESLint({ cwd: root, overrideConfigFile: path.resolve('eslint.config.js') });
    const results = await planted.lintFiles(Object.keys(files));
    return new Map(
      results.map((r) => [
        path.relative(root, r.filePath),
        r.messages.filter((m) => m.ruleId === 'deskmate/no-cycle').map((m) => m.message),
      ]),
    );
  }

  it('names the cycle in each file of it, type-only imports included', async () => {
    const found = await lintPlanted({
      'src/main/engine/a/session.ts':
        "import type { Host } from '../b/host';\nexport class Session {\n  constructor(readonly host: Host) {}\n}\n",
      'src/main/engine/b/host.ts':
        "import { Session } from '../a/session';\nexport class Host {\n  session = new Session(this);\n}\n",
    });
    expect(found.get('src/main/engine/a/session.ts')).toEqual([
      expect.stringContaining(
        'Import cycle: src/main/engine/a/session.ts → src/main/engine/b/host.ts → src/main/engine/a/session.ts',
      ),
    ]);
    expect(found.get('src/main/engine/b/host.ts')).toEqual([
      expect.stringContaining(
        'Import cycle: src/main/engine/b/host.ts → src/main/engine/a/session.ts → src/main/engine/b/host.ts',
      ),
    ]);
  });

  it('finds a cycle through three files, every form of import and an ESM-style .js name', async () => {
    const found = await lintPlanted({
      'src/shared/one.ts': "export * from './two.js';\n",
      'src/shared/two.ts': "export type T = import('./three').T;\n",
      'src/shared/three/index.ts': "export type { T } from '../one';\nexport const x = 1;\n",
    });
    expect(found.get('src/shared/one.ts')).toEqual([
      expect.stringContaining(
        'Import cycle: src/shared/one.ts → src/shared/two.ts → src/shared/three/index.ts → src/shared/one.ts',
      ),
    ]);
    expect(found.get('src/shared/two.ts')).toHaveLength(1);
    expect(found.get('src/shared/three/index.ts')).toHaveLength(1);
  });

  it('passes files that import one way, through an interface the lower one declares', async () => {
    const found = await lintPlanted({
      'src/main/engine/a/host.ts': 'export interface Host {\n  readonly name: string;\n}\n',
      'src/main/engine/a/session.ts':
        "import type { Host } from './host';\nexport class Session {\n  constructor(readonly host: Host) {}\n}\n",
      'src/main/engine/b/window.ts':
        "import type { Host } from '../a/host';\nimport { Session } from '../a/session';\nexport class Window implements Host {\n  readonly name = 'w';\n  session = new Session(this);\n}\n",
    });
    expect([...found.values()].flat()).toEqual([]);
  });
});
