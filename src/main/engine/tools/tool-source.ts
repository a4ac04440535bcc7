// The seam between the turn loop and wherever its tools come from (STYLE.md 14): built in today,
// an MCP server's next. The loop sees a tool's spec, whether it asks first, and a checked call.
import type { NamedError } from '../../../shared/errors';
import type { ToolSpec } from '../llm/language-model';
import type { ToolContext, ToolOutput } from './tool';

/** Where the file tools may work, for checks made before a call is approved. */
export type ToolPlace = Pick<ToolContext, 'workspace' | 'offLimits'>;

/** A call whose arguments fit its tool's schema, ready to be checked and run. */
export interface CheckedCall {
  /**
   * Refuses the call before the user is asked about it (a path outside the workspace); absent
   * for a tool with no such check. Opens nothing the model names: the user has not said yes.
   */
  precheck?(place: ToolPlace): Promise<void>;
  /** Why the user should look at this call even under a grant (shown on the card); absent if not. */
  readonly warning?: string;
  /** The text the model sees, or that text with facts for the card; throws a NamedError to fail. */
  execute(context: ToolContext): Promise<string | ToolOutput>;
}

/** A tool as the turn loop sees it, whichever source it comes from. */
export interface SourcedTool {
  readonly spec: ToolSpec;
  /** Tools that write or execute wait for the user's approval. */
  readonly needsApproval: boolean;
  /** The arguments checked against the tool's schema: a call ready to run, or what is wrong, said for the model. */
  check(args: Readonly<Record<string, unknown>>): CheckedCall | NamedError;
}

/**
 * Where a turn's tools come from. Listed once a turn, and may take a while (a server to ask):
 * a source belongs to its window and may hold connections of its own.
 */
export interface ToolSource {
  list(signal: AbortSignal): Promise<readonly SourcedTool[]>;
}
