// placeholder, replaced below
export interface ShellResult {
  output: string;
  exitCode: number | null;
  timedOut: boolean;
  cwd: string;
}
export interface ShellSession {
  run(command: string, options: { signal: AbortSignal; timeoutMs: number; onOutput(chunk: string): void }): Promise<ShellResult>;
  dispose(): void;
}
