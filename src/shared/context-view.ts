// What a window's "What the model sees" panel shows: the system prompt, the files in it, the
// project's context command and where each config value came from. The engine builds it
// (`context.get`); nothing in it is a secret (the API key is never among the config values).
import type { LayerSource } from './config';
import type { ContextCommandRun } from './context-command';

/**
 * Tokens, estimated as gptme does when it has no tokenizer for the model: four characters each.
 * Deskmate talks to any OpenAI-compatible server, whose models count with tokenizers of their own,
 * so an exact count for one family would still be a guess for the rest: shown as "≈ N tokens".
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** One file the system prompt names: what of it went in, or why nothing did. */
export type PromptFile =
  | {
      path: string;
      /** Bytes read from the file: its size, up to the cap of what is read (80,000 bytes). */
      bytes: number;
      /** Characters of it in the prompt. */
      chars: number;
      tokens: number;
      /** Longer than the prompt takes: only its start is in. */
      cut: boolean;
    }
  | { path: string; error: string };

export interface SystemPromptView {
  text: string;
  tokens: number;
  files: PromptFile[];
  /** The project's `base_prompt` replaced the opening (who the assistant is). */
  basePrompt: boolean;
  /** Project (or user) instructions were added (`prompt`). */
  instructions: boolean;
}

/** The project's context command, as this window's conversation knows it. */
export type ContextCommandView =
  | { state: 'none' }
  /** A project file asks for one; it runs once the user trusts the folder. */
  | { state: 'untrusted'; command: string }
  /** Trusted, not run yet for this conversation: its first turn runs it. */
  | { state: 'pending'; command: string }
  | { state: 'ran'; run: ContextCommandRun };

/** One effective config value, shown as text, with the layer (and file) it came from. */
export interface ConfigValueSource {
  key: string;
  value: string;
  source: LayerSource;
  path?: string;
}

export interface ContextView {
  prompt: SystemPromptView & {
    /**
     * `sent`: exactly what this conversation's last request carried, at `sentAt`. `next`: nothing
     * was sent yet (in this window): what the next request would carry, as things stand now.
     */
    kind: 'sent' | 'next';
    sentAt?: string;
  };
  contextCmd: ContextCommandView;
  config: ConfigValueSource[];
}
