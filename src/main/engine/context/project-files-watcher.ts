import { watch, type FSWatcher } from 'node:fs';
import type { Disposable } from '../base/disposable';

/** Editors save in bursts (write, rename, chmod): one reload for the lot. */
const DEBOUNCE_MS = 150;

/**
 * Calls `onChange` (debounced) when one of `names` in `folder` is created, written, replaced or
 * removed. The folder is watched, not the files: an editor that saves by renaming a temp file over
 * the old one, and a file that does not exist yet, are both seen. Disposing closes the watcher and
 * its timer; a watcher that fails (the folder went away) closes itself.
 */
export function watchProjectFiles(
  folder: string,
  names: readonly string[],
  onChange: () => void,
  debounceMs = DEBOUNCE_MS,
): Disposable {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let watcher: FSWatcher | undefined;
  const close = () => {
    clearTimeout(timer);
    timer = undefined;
    watcher?.close();
    watcher = undefined;
  };
  try {
    // Not persistent: a watcher never keeps the process alive on its own.
    watcher = watch(folder, { persistent: false }, (_event, name) => {
      // A change that names no file (never on Linux) may be one of ours: it counts.
      if (
        !names.includes(String(name)) &&
        // Stryker disable next-line ConditionalExpression: Linux always names the file; only other systems may not
        name !== null
      )
        return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        onChange();
      }, debounceMs);
    });
    // Stryker disable next-line StringLiteral,CallExpression: on Linux a watcher never fails (a removed folder is a rename event); elsewhere (Windows: EPERM) it may, and an unheard failure would throw
    watcher.on('error', close);
  } catch {
    // A folder that cannot be watched (gone, too many watchers): files are still read on each turn.
  }
  return { dispose: close };
}
