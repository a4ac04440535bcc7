import { NamedError } from '../../../shared/errors';
import type { Disposable } from '../base/disposable';
import { BashSession } from '../tools/shell-session';

/**
 * A workspace's persistent shell, started on first use. One at a time: asking with another
 * environment (trust given or taken) or after a reset (another folder) kills the old one's process
 * group and starts anew, and disposing it kills the shell for good.
 */
export class WorkspaceShell implements Disposable {
  #shell: BashSession | undefined;
  // The environment the shell was started with: a change needs a new shell.
  #env: string | undefined;
  #disposed = false;

  /** The running bash's process id; undefined until a command has started one. */
  get pid(): number | undefined {
    return this.#shell?.pid;
  }

  get(cwd: string, env: Readonly<Record<string, string>>): BashSession {
    // A tool of a turn that was winding down as the window closed gets no new process to leak.
    if (this.#disposed) throw new NamedError('Disposed', 'The window was closed');
    const key = JSON.stringify(env);
    if (this.#shell && this.#env !== key) this.reset();
    this.#env = key;
    return (this.#shell ??= new BashSession({ cwd, env }));
  }

  /** A new workspace means a new shell: the old one's cwd and files belong to the old folder. */
  reset(): void {
    this.#shell?.dispose();
    this.#shell = undefined;
    this.#env = undefined;
  }

  dispose(): void {
    this.#disposed = true;
    this.reset();
  }
}
