import { homedir } from 'node:os';
import path from 'node:path';
import { parse } from 'smol-toml';
import { chatConfigSchema } from '../../../shared/config';
import { readRegularFile } from '../base/fs/regular-file';

// A chat's config.toml is a few lines; anything this large is not one.
const MAX_BYTES = 64 * 1024;
const MAX_NAME_LENGTH = 200;

/** What gptme's `config.toml` beside a log says about the conversation, as far as Deskmate uses it. */
export interface GptmeChatConfig {
  name?: string;
  /** The model id the API was called with (gptme's `provider/` prefix taken off). */
  model?: string;
  workspace?: string;
}

/** The folder a `[chat] workspace` value names, absolute; undefined for anything else. */
export function gptmeWorkspaceOf(value: unknown): string | undefined {
  // `@log` is a folder inside gptme's log directory: once the conversation is Deskmate's, it is
  // inside the data folder, which no tool may touch. Like any relative path (which meant gptme's
  // working folder) it is not absolute, so it is refused below.
  if (typeof value !== 'string') return undefined;
  const expanded = value === '~' || value.startsWith('~/') ? path.join(homedir(), value.slice(1)) : value;
  return path.isAbsolute(expanded) ? path.normalize(expanded) : undefined;
}

function modelOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const model = value.includes('/') ? value.slice(value.indexOf('/') + 1) : value;
  return chatConfigSchema.shape.model.safeParse(model).success && model ? model : undefined;
}

/**
 * Reads the `[chat]` table of gptme's `config.toml` in `dir`. A missing, oversized, unreadable or
 * malformed file, and any value of the wrong kind, gives nothing for it: the log is still read.
 */
export async function readGptmeChatConfig(dir: string): Promise<GptmeChatConfig> {
  let chat: unknown;
  try {
    const data = await readRegularFile(path.join(dir, 'config.toml'), {
      maxBytes: MAX_BYTES,
      noFollow: true,
    });
    chat = parse(data.toString('utf8')).chat;
  } catch {
    return {};
  }
  if (typeof chat !== 'object' || chat === null) return {};
  const { name, model, workspace } = chat as Record<string, unknown>;
  const trimmed = typeof name === 'string' ? name.trim() : '';
  const result: GptmeChatConfig = {};
  if (trimmed && trimmed.length <= MAX_NAME_LENGTH) result.name = trimmed;
  const checkedModel = modelOf(model);
  if (checkedModel) result.model = checkedModel;
  const checkedWorkspace = gptmeWorkspaceOf(workspace);
  if (checkedWorkspace) result.workspace = checkedWorkspace;
  return result;
}
