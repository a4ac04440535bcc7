import { readFile } from 'node:fs/promises';
import type { EffectiveConfig } from '../../../shared/config';
import { resolveInWorkspace } from '../tools/workspace-path';

const MAX_FILE_CHARS = 20_000;

/**
 * The system prompt is rebuilt for every request from the current config and workspace, so a
 * changed project file or workspace takes effect on the next turn. It is not stored in the log.
 */
export async function buildSystemPrompt(config: EffectiveConfig, workspace: string | null): Promise<string> {
  const parts = [
    "You are Deskmate, an AI assistant working in a local workspace on the user's computer.",
    'Use the tools to inspect and change files and to run commands; the user approves each write or command.',
    'Keep answers concise. Use Markdown. Show code in fenced blocks with a language.',
    workspace
      ? `The workspace is ${workspace}. Relative paths are relative to it; paths outside it are refused.`
      : 'No workspace folder is open: file and shell tools will fail until the user opens one.',
  ];
  if (config.prompt) parts.push(`Project instructions:\n${config.prompt}`);
  if (workspace) {
    for (const file of config.files) {
      try {
        const text = await readFile(await resolveInWorkspace(workspace, file), 'utf8');
        const body = text.length > MAX_FILE_CHARS ? `${text.slice(0, MAX_FILE_CHARS)}\n[… cut]` : text;
        parts.push(`Contents of ${file}:\n\`\`\`\n${body}\n\`\`\``);
      } catch (error) {
        parts.push(
          `(${file} could not be included: ${error instanceof Error ? error.message : String(error)})`,
        );
      }
    }
  }
  return parts.join('\n\n');
}
