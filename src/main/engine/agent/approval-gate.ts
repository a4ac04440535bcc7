import { NamedError } from '../../../shared/errors';
import type { Disposable } from '../context/disposable';

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
  resolve(decision: Decision): void;
  reject(error: unknown): void;
}

/**
 * Where main waits for the user before a tool writes or runs. Only the context that owns the gate
 * can answer it, so a call id from another window finds nothing here.
 */
export class ApprovalGate implements Disposable {
  readonly #waiting = new Map<string, Waiter>();
  #autoRemaining = 0;
  #always = false;
  #disposed = false;

  /** `always` from the chat config, or a count of calls still approved without asking. */
  get policy(): number | 'always' {
    return this.#always ? 'always' : this.#autoRemaining;
  }

  setPolicy(policy: number | 'always'): void {
    this.#always = policy === 'always';
    this.#autoRemaining = policy === 'always' ? 0 : policy;
  }

  get pending(): string[] {
    return [...this.#waiting.keys()];
  }

  /** What is waiting, for a window that reloads mid-turn and must show the cards again. */
  pendingCalls(): Array<{ callId: string; tool: string; args: Record<string, unknown> }> {
    return [...this.#waiting].map(([callId, waiter]) => ({ callId, tool: waiter.tool, args: waiter.args }));
  }

  /** True when the next call will run without asking (and uses up one auto approval). */
  takeAutoApproval(): boolean {
    if (this.#always) return true;
    if (this.#autoRemaining > 0) {
      this.#autoRemaining--;
      return true;
    }
    return false;
  }

  wait(callId: string, tool: string, args: Record<string, unknown>, signal: AbortSignal): Promise<Decision> {
    if (this.#disposed) return Promise.reject(new NamedError('Disposed', 'The window was closed'));
    return new Promise<Decision>((resolve, reject) => {
      const onAbort = () => {
        this.#waiting.delete(callId);
        reject(signal.reason);
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiting.set(callId, {
        tool,
        args,
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

  /** Answers a waiting call; `auto N` runs this call and approves the next N without asking. */
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
        this.#autoRemaining = response.count;
        return waiter.resolve({ run: true, args: waiter.args });
      case 'always':
        this.#always = true;
        return waiter.resolve({ run: true, args: waiter.args });
      case 'approve':
        return waiter.resolve({ run: true, args: waiter.args });
    }
  }

  dispose(): void {
    this.#disposed = true;
    const error = new NamedError('Disposed', 'The window was closed while a tool was waiting for approval');
    for (const waiter of this.#waiting.values()) waiter.reject(error);
    this.#waiting.clear();
  }
}
