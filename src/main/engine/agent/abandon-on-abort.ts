/**
 * Settles like `work`, or rejects with `abandoned()` once `signal` has been aborted for `graceMs`
 * while `work` is still pending. A tool that honours its signal answers within the grace period
 * with what it has (the shell returns the output printed so far); a tool blocked where nothing can
 * cancel it (a stuck file system, a tool that ignores its signal) is left running, unobserved, so
 * that Stop still ends the turn and the call still gets a result.
 */
export function abandonOnAbort<T>(
  work: Promise<T>,
  signal: AbortSignal,
  options: { graceMs: number; abandoned: () => Error },
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = () => {
      timer = setTimeout(() => reject(options.abandoned()), options.graceMs);
    };
    if (signal.aborted) onAbort();
    else {
      // Stryker disable next-line ObjectLiteral,BooleanLiteral: a signal aborts once, and settling removes the listener.
      signal.addEventListener('abort', onAbort, { once: true });
    }
    // A rejection after the grace period lands here, handled, instead of as an unhandled rejection.
    work.then(resolve, reject).finally(() => {
      // Stryker disable next-line CallExpression: a timer left to fire rejects a promise already settled, which does nothing.
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    });
  });
}
