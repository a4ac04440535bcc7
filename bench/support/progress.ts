/** Progress goes to stderr: stdout carries the one JSON document and nothing else. */
export function progress(section: string, message: string): void {
  process.stderr.write(`[bench ${section}] ${message}\n`);
}
