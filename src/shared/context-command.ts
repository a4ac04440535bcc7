/** One run of a project's `context_cmd`, as the system prompt got it. */
export interface ContextCommandRun {
  command: string;
  /** ISO 8601, when it was started. */
  ranAt: string;
  output: string;
  /** Exit code; null when it was stopped (timeout, output cap, abort) or killed by a signal. */
  exitCode: number | null;
  stderr: string;
  /** The output was longer than the cap and is cut. */
  cut: boolean;
  timedOut: boolean;
}
