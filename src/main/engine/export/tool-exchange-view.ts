import type { ToolExchange } from './conversation-outline';

/** A tool call as an export shows it: what ran, on what, and how it ended. */
export interface ToolExchangeView {
  tool: string;
  /** The arguments that ran: the user's edit when they changed the call, else the model's. */
  args: Record<string, unknown>;
  edited: boolean;
  /** One line for the folded summary: the command, or the file the call worked on. */
  brief: string;
  /** done, failed, exit 2, stopped, skipped, or not run (no result in the log). */
  outcome: string;
  failed: boolean;
  output: string | undefined;
}

const BRIEF_LENGTH = 80;

function briefOf(tool: string, args: Record<string, unknown>): string {
  const value = tool === 'shell' ? args.command : (args.path ?? args.command);
  const line = typeof value === 'string' ? (value.split('\n').find((l) => l.trim()) ?? '') : '';
  return line.length > BRIEF_LENGTH ? `${line.slice(0, BRIEF_LENGTH - 1)}…` : line;
}

function outcomeOf(exchange: ToolExchange): { outcome: string; failed: boolean } {
  const result = exchange.result;
  if (!result) return { outcome: 'not run', failed: true };
  const facts = result.metadata ?? {};
  if (facts.stopped) return { outcome: 'stopped', failed: true };
  // The engine's own phrasing of a failed call and a skipped one (turn-loop.ts), also in older logs,
  // after the note an edited call's result starts with.
  const text = result.content.replace(/^\[edited by the user before it ran[^\n]*\]\n/, '');
  if (/^Error \([^)]+\):/.test(text)) return { outcome: 'failed', failed: true };
  if (/^(The user skipped|Skipped by the user|Not run:)/.test(text))
    return { outcome: 'skipped', failed: false };
  if (facts.exitCode !== undefined && facts.exitCode !== 0)
    return { outcome: `exit ${facts.exitCode}`, failed: true };
  return { outcome: 'done', failed: false };
}

export function viewOfExchange(exchange: ToolExchange): ToolExchangeView {
  const facts = exchange.result?.metadata;
  const edited = facts?.edited === true && facts.args !== undefined;
  const args = edited ? facts.args! : exchange.call.args;
  return {
    tool: exchange.call.name,
    args,
    edited,
    brief: briefOf(exchange.call.name, args),
    ...outcomeOf(exchange),
    output: exchange.result?.content,
  };
}
