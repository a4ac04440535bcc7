import type { z } from 'zod';
import type { ToolName } from '../../../shared/config';
import type { ToolRunFacts } from '../../../shared/domain';
import type { ShellSession } from './shell-session';

/**
 * Everything a tool may use arrives here; a tool reads no global, no process.cwd(), no process.env.
 * One ToolContext is built per call by the turn loop from the conversation's context.
 */
export interface ToolContext {
  /** Absolute, symlink-resolved workspace folder. Paths outside it are refused. */
  readonly workspace: string;
  /**
   * Folders the file tools never touch even inside the workspace: Deskmate's own data folder
   * (keys, every conversation), for a workspace that holds it, such as the home folder.
   */
  readonly offLimits: readonly string[];
  /** Environment for processes the tool starts: the host's, plus the project's `env`. */
  readonly env: Readonly<Record<string, string>>;
  /** Aborted on interrupt, on window close and on the tool's own timeout. */
  readonly signal: AbortSignal;
  /** Shell commands are killed after this long. */
  readonly timeoutMs: number;
  /** Streams progress (shell output) to the client while the tool runs. */
  onOutput(chunk: string): void;
  /** Keeps a large text beside the conversation log; returns its path. */
  saveArtifact(name: string, content: string): Promise<string>;
  /** The conversation's persistent shell, started on first use. */
  shell(): ShellSession;
}

export interface Tool<
  S extends z.ZodObject = z.ZodObject,
  R extends string | ToolOutput = string | ToolOutput,
> {
  readonly name: ToolName;
  readonly description: string;
  readonly schema: S;
  /** Tools that write or execute wait for the user's approval; `read` does not. */
  readonly needsApproval: boolean;
  /**
   * Refuses a call before the user is asked about it (a path outside the workspace): asking to
   * approve what will be refused anyway wastes the user's attention. Must not wait on anything the
   * model names (no opening of files): it runs before the user has said yes.
   */
  precheck?(args: z.output<S>, context: Pick<ToolContext, 'workspace' | 'offLimits'>): Promise<void>;
  /**
   * Why this call deserves the user's own look even when the tool runs without asking (a grant):
   * a sentence for the card, or undefined. Such a call is asked about again (issue 13).
   */
  warning?(args: z.output<S>): string | undefined;
  /**
   * Returns the text the model sees, or that text with facts for the card and the log (exit code,
   * stopped, the artifact holding a cut output). Throws a NamedError for a failure the model should read.
   */
  execute(args: z.output<S>, context: ToolContext): Promise<R>;
}

export interface ToolOutput extends Pick<ToolRunFacts, 'exitCode' | 'stopped' | 'artifact'> {
  output: string;
}

export function defineTool<S extends z.ZodObject, R extends string | ToolOutput>(
  tool: Tool<S, R>,
): Tool<S, R> {
  return Object.freeze(tool);
}
