import type { EffectiveConfig } from '../../../shared/config';
import { estimateTokens, type PromptFile, type SystemPromptView } from '../../../shared/context-view';
import { readWorkspaceFile } from '../tools/target-file';
import { defaultContextFiles } from './default-context-files';

const MAX_FILE_CHARS = 20_000;
// UTF-8 takes at most 3 bytes per UTF-16 unit, so a file cut at 4 bytes a character still decodes
// to more than MAX_FILE_CHARS and is marked as cut below.
const MAX_FILE_BYTES = 4 * MAX_FILE_CHARS;

/**
 * The system prompt is rebuilt for every request from the current config and workspace, so a
 * changed project file or workspace takes effect on the next turn. It is not stored in the log.
 */
export async function buildSystemPrompt(
  config: EffectiveConfig,
  workspace: string | null,
  offLimits: readonly string[],
  /** The project's context command output, formatted (context-command.ts); last, as in gptme. */
  computed?: string,
): Promise<string> {
  return (await composeSystemPrompt(config, workspace, offLimits, computed)).text;
}

/** The system prompt with what went into it: each file named, how much of it, or why none. */
export async function composeSystemPrompt(
  config: EffectiveConfig,
  workspace: string | null,
  offLimits: readonly string[],
  computed?: string,
): Promise<SystemPromptView> {
  // A project's base_prompt replaces who the assistant is; what the workspace is stays said.
  const opening = config.basePrompt
    ? [config.basePrompt]
    : [
        "You are Deskmate, an AI assistant working in a local workspace on the user's computer.",
        'Use the tools to inspect and change files and to run commands; the user approves each write or command.',
        'Keep answers concise. Use Markdown. Show code in fenced blocks with a language.',
      ];
  const parts = [
    ...opening,
    workspace
      ? `The workspace is ${workspace}. Relative paths are relative to it; paths outside it are refused.`
      : 'No workspace folder is open: file and shell tools will fail until the user opens one.',
  ];
  if (config.prompt) parts.push(`Project instructions:\n${config.prompt}`);
  const included: PromptFile[] = [];
  if (workspace) {
    // Unset, the files a gptme user expects; set (even to []), exactly those.
    const files = config.files ?? (await defaultContextFiles(workspace, offLimits));
    for (const file of files) {
      try {
        // A project file names these: a FIFO among them must not hold the turn, a huge file not fill memory.
        const bytes = await readWorkspaceFile(workspace, file, {
          maxBytes: MAX_FILE_BYTES,
          truncate: true,
          offLimits,
        });
        const text = bytes.toString('utf8');
        const cut = text.length > MAX_FILE_CHARS;
        const kept = cut ? text.slice(0, MAX_FILE_CHARS) : text;
        const body = cut ? `${kept}\n[… cut]` : text;
        parts.push(`Contents of ${file}:\n\`\`\`\n${body}\n\`\`\``);
        included.push({
          path: file,
          bytes: bytes.length,
          chars: kept.length,
          tokens: estimateTokens(kept),
          cut,
        });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        parts.push(`(${file} could not be included: ${reason})`);
        included.push({ path: file, error: reason });
      }
    }
  }
  if (computed) parts.push(computed);
  const text = parts.join('\n\n');
  return {
    text,
    tokens: estimateTokens(text),
    files: included,
    basePrompt: Boolean(config.basePrompt),
    instructions: Boolean(config.prompt),
  };
}
