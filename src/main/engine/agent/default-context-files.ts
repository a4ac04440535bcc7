import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { resolveInWorkspace } from '../tools/workspace-path';

// What a gptme user finds in the system prompt with no `files` set: the README, the instructions
// written for coding agents, Cursor's rules and the project manifest. Each is read (capped, inside
// the workspace only) by the system prompt like a listed file.
const AGENT_FILES = Object.freeze(['AGENTS.md', 'CLAUDE.md', 'GEMINI.md']);
const MANIFESTS = Object.freeze(['package.json', 'pyproject.toml', 'Cargo.toml', 'Makefile']);
const CURSOR_RULES = path.join('.cursor', 'rules');
// A folder a repository fills cannot fill the prompt: a few READMEs, a few rules at most.
const MAX_READMES = 4;
const MAX_RULES = 20;
// gptme's order: the common README spellings first, any other README* after them by name.
const README_ORDER = Object.freeze(['README.md', 'README.rst', 'README.txt', 'README']);

async function namesIn(workspace: string, folder: string, offLimits: readonly string[]): Promise<string[]> {
  try {
    // A folder that is a symlink out of the workspace is not listed at all.
    const real = await resolveInWorkspace(workspace, folder, offLimits);
    return (await readdir(real, { withFileTypes: true }))
      .filter((entry) => !entry.isDirectory())
      .map((entry) => entry.name);
  } catch {
    return [];
  }
}

function readmeRank(name: string): number {
  const known = README_ORDER.indexOf(name);
  return known === -1 ? README_ORDER.length : known;
}

/** The default context files present in `workspace`, as paths relative to it, in prompt order. */
export async function defaultContextFiles(
  workspace: string,
  offLimits: readonly string[],
): Promise<string[]> {
  const top = await namesIn(workspace, '.', offLimits);
  const readmes = top
    .filter((name) => name.startsWith('README'))
    .sort((a, b) => readmeRank(a) - readmeRank(b) || a.localeCompare(b))
    .slice(0, MAX_READMES);
  const rules = (await namesIn(workspace, CURSOR_RULES, offLimits))
    .filter((name) => name.endsWith('.mdc') || name.endsWith('.md'))
    .sort()
    .slice(0, MAX_RULES)
    .map((name) => path.join(CURSOR_RULES, name));
  const present = (names: readonly string[]) => names.filter((name) => top.includes(name));
  return [...readmes, ...present(AGENT_FILES), ...rules, ...present(MANIFESTS)];
}
