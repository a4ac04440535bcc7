// The seam between the agent and whoever answers it (STYLE.md 14): the agent speaks its own
// messages and tool specs; each provider converts at its edge, in this folder, and nowhere else.
import type { Message, Usage } from '../../../shared/domain';

/** What the model is told about a tool: its name, what it does, and a JSON schema of its arguments. */
export interface ToolSpec {
  readonly name: string;
  readonly description: string;
  readonly parameters: Readonly<Record<string, unknown>>;
}

export interface ModelRequest {
  /** The system prompt, sent before the conversation. */
  readonly system: string;
  readonly messages: readonly Message[];
  readonly tools: readonly ToolSpec[];
  /** Stop: the stream ends by throwing the signal's reason. */
  readonly signal: AbortSignal;
}

/**
 * One piece of a streamed reply. A tool call arrives in pieces, stitched by `index`: the id and
 * name usually come first, the arguments' JSON text in fragments.
 */
export type ModelEvent =
  | { readonly type: 'text-delta'; readonly text: string }
  | {
      readonly type: 'tool-call-delta';
      readonly index: number;
      readonly id?: string;
      readonly name?: string;
      readonly arguments?: string;
    }
  | { readonly type: 'usage'; readonly usage: Usage }
  /** The reply is complete; a stream that ends without one was cut off. */
  | { readonly type: 'finish'; readonly reason: string };

/** A model, bound to its settings (which model, temperature, timeouts), that streams replies. */
export interface LanguageModel {
  /** The reply as it arrives. Failures are thrown as NamedErrors, Stop as the signal's reason. */
  stream(request: ModelRequest): AsyncIterable<ModelEvent>;
}
