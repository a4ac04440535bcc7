import type { EffectiveConfig } from '../../../shared/config';
import type { PendingTool } from '../../../shared/contract';
import type { ApprovalGrant } from '../../../shared/domain';
import { NamedError } from '../../../shared/errors';
import type { Disposable } from '../base/disposable';

export type ApprovalResponse =
  | { action: 'approve' }
  | { action: 'skip' }
  | { action: 'edit'; args: Record<string, unknown> }
  | { action: 'auto'; count: number }
  | { action: 'always' };

export type Decision = { run: true; args: Record<string, unknown> } | { run: false };

interface Waiter {
  tool: string;
  args: Record<string, unknown>;
  warning: string | undefined;
  resolve(decision: Decision): void;
  reject(error: unknown): void;
}

/** Every tool at once: the chat config's bare `always`, which only a program sets (tests, the CLI). */
export const EVERY_TOOL = '*';

/**
 * Where main waits for the user before a tool writes or runs. Only the context that owns the gate
 * can answer it, so a call id from another window finds nothing here.
 *
 * Grants are per tool (issue 10): "always" or "auto next N" given on a shell card lets shell run
 * without asking, never save. `onChange` hears every change, so the window can show what is granted.
 */
export class ApprovalGate implements Disposable {
  readonly #waiting = new Map<string, Waiter>();
  readonly #grants = new Map<string, 'always' | number>();
  readonly #onChange: () => void;
  #disposed = false;

  constructor(onChange: () => void = () => undefined) {
    this.#onChange = onChange;
  }

  /** What runs without asking, in the order it was granted. */
  get grants(): ApprovalGrant[] {
    return [...this.#grants].map(([tool, grant]) => ({ tool, grant }));
  }

  /**
   * Takes the chat config's "always" grants (`always` for every tool, or per tool) as the gate's,
   * keeping counted grants of tools it does not name: the config decides "always" each turn.
   */
  syncAlways(config: EffectiveConfig['autoApprove']): void {
    // A count names no tool: Object.keys of a number is [].
    const always = new Set(config === 'always' ? [EVERY_TOOL] : Object.keys(config));
    const before = JSON.stringify(this.grants);
    for (const [tool, grant] of this.#grants)
      if (grant === 'always' && !always.has(tool)) this.#grants.delete(tool);
    for (const tool of always) this.#grants.set(tool, 'always');
    if (JSON.stringify(this.grants) !== before) this.#onChange();
  }

  /** Ends one tool's grant (`*`: the every-tool one); the next call of it asks again. */
  revoke(tool: string): boolean {
    const had = this.#grants.delete(tool);
    if (had) this.#onChange();
    return had;
  }

  /** Ends every grant: a new conversation, folder or trust. */
  clear(): void {
    if (this.#grants.size === 0) return;
    this.#grants.clear();
    this.#onChange();
  }

  get pending(): string[] {
    return [...this.#waiting.keys()];
  }

  /** What is waiting, for a window that reloads mid-turn and must show the cards again. */
  pendingCalls(): PendingTool[] {
    return [...this.#waiting].map(([callId, { tool, args, warning }]) => ({
      callId,
      tool,
      args,
      ...(warning === undefined ? {} : { warning }),
    }));
  }

  /** True when this tool's next call runs without asking (using up one of a counted grant). */
  takeAutoApproval(tool: string): boolean {
    if (this.#grants.get(EVERY_TOOL) === 'always') return true;
    const grant = this.#grants.get(tool);
    if (grant === undefined) return false;
    if (grant !== 'always') {
      if (grant > 1) this.#grants.set(tool, grant - 1);
      else this.#grants.delete(tool);
      this.#onChange();
    }
    return true;
  }

  /** Waits for the user's answer; `warning` (a dangerous command) is kept for a window that reloads. */
  wait(
    callId: string,
    tool: string,
    args: Record<string, unknown>,
    signal: AbortSignal,
    warning?: string,
  ): Promise<Decision> {
    if (this.#disposed) return Promise.reject(new NamedError('Disposed', 'The window was closed'));
    return new Promise<Decision>((resolve, reject) => {
      const onAbort = () => {
        this.#waiting.delete(callId);
        reject(signal.reason);
      };
      if (signal.aborted) return onAbort();
      // Stryker disable next-line ObjectLiteral,BooleanLiteral: a signal aborts once, and an answer removes the listener.
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiting.set(callId, {
        tool,
        args,
        warning,
        resolve: (decision) => {
          signal.removeEventListener('abort', onAbort);
          resolve(decision);
        },
        reject: (error) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      });
    });
  }

  /** Answers a waiting call; `auto N` runs this call and approves the next N calls of its tool without asking. */
  respond(callId: string, response: ApprovalResponse): void {
    const waiter = this.#waiting.get(callId);
    if (!waiter)
      throw new NamedError('NotFound', `No tool call ${callId} is waiting for approval in this window`);
    this.#waiting.delete(callId);
    switch (response.action) {
      case 'skip':
        return waiter.resolve({ run: false });
      case 'edit':
        return waiter.resolve({ run: true, args: response.args });
      case 'auto':
        // An "always" already given stays: a count never narrows it.
        if (this.#grants.get(waiter.tool) !== 'always') {
          this.#grants.set(waiter.tool, response.count);
          this.#onChange();
        }
        return waiter.resolve({ run: true, args: waiter.args });
      case 'always':
        this.#grants.set(waiter.tool, 'always');
        this.#onChange();
        return waiter.resolve({ run: true, args: waiter.args });
      case 'approve':
        return waiter.resolve({ run: true, args: waiter.args });
    }
  }

  /** The tool a waiting call is for, if it is waiting here. */
  toolOf(callId: string): string | undefined {
    return this.#waiting.get(callId)?.tool;
  }

  dispose(): void {
    this.#disposed = true;
    const error = new NamedError('Disposed', 'The window was closed while a tool was waiting for approval');
    for (const waiter of this.#waiting.values()) waiter.reject(error);
    this.#waiting.clear();
  }
}
