import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ToolContext } from '../../src/main/engine/tools/tool';

/**
 * The context a tool receives from the turn loop, for a tool's own tests: a real workspace, an
 * empty env, a live signal, artifacts saved into the workspace, and a shell the tool must not use
 * unless the test provides one.
 */
export function toolContext(
  workspace: string,
  overrides: Partial<ToolContext> = {},
): ToolContext & { output: string[] } {
  const output: string[] = [];
  return {
    workspace,
    env: {},
    offLimits: [],
    signal: new AbortController().signal,
    timeoutMs: 5000,
    onOutput: (chunk) => output.push(chunk),
    saveArtifact: async (name, content) => {
      const file = path.join(workspace, name);
      await writeFile(file, content);
      return file;
    },
    shell: () => {
      throw new Error('this tool must not use the shell');
    },
    output,
    ...overrides,
  };
}
