// The files a conversation can be exported to. Shared: the contract validates the format, the
// engine writes it, the CLI takes it as `--format`, and a window saves the file with its type.

export const EXPORT_FORMATS = Object.freeze(['md', 'html', 'jsonl'] as const);

export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The media type a saved file is given: a browser picks the application to open it with from it. */
export const EXPORT_MEDIA_TYPES: Readonly<Record<ExportFormat, string>> = Object.freeze({
  md: 'text/markdown;charset=utf-8',
  html: 'text/html;charset=utf-8',
  // gptme's own log, one JSON value a line.
  jsonl: 'application/jsonl;charset=utf-8',
});

/** What each format is called where a user picks one. */
export const EXPORT_LABELS: Readonly<Record<ExportFormat, string>> = Object.freeze({
  md: 'Markdown',
  html: 'HTML page',
  jsonl: 'gptme log (JSONL)',
});

export function isExportFormat(value: unknown): value is ExportFormat {
  return typeof value === 'string' && (EXPORT_FORMATS as readonly string[]).includes(value);
}
