import { readPatch } from '../../../shared/patch-format';
import { CopyButton } from './Markdown';
import './ToolArgs.css';

interface DiffLine {
  kind: 'del' | 'add' | 'meta' | 'raw';
  text: string;
}

/**
 * Shows gptme's ORIGINAL/UPDATED hunks as a diff: removed lines, then added lines, per hunk. A
 * patch the tool will refuse is shown as written, under the reason, so the user sees why before
 * approving it.
 */
function patchToDiff(patch: string): DiffLine[] {
  const reading = readPatch(patch);
  if ('problem' in reading) {
    return [
      { kind: 'meta', text: `Not a valid patch: ${reading.problem}` },
      ...patch.split('\n').map((text) => ({ kind: 'raw' as const, text })),
    ];
  }
  return reading.hunks.flatMap((hunk, index) => [
    { kind: 'meta' as const, text: `@@ hunk ${index + 1}` },
    ...hunk.original.map((text) => ({ kind: 'del' as const, text })),
    ...hunk.updated.map((text) => ({ kind: 'add' as const, text })),
  ]);
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

/** A tool call's arguments shown the way a person reads them, not as JSON. */
export function ToolArgs({ tool, args }: { tool: string; args: Record<string, unknown> }) {
  if (tool === 'shell') {
    const command = str(args.command ?? '');
    return (
      <div className="tool-args shell">
        <pre>
          <span className="prompt">$ </span>
          {command}
        </pre>
        <CopyButton text={command} />
      </div>
    );
  }
  if (tool === 'patch') {
    return (
      <div className="tool-args">
        <div className="tool-path">{str(args.path)}</div>
        <pre className="diff" data-testid="patch-diff">
          {patchToDiff(str(args.patch ?? '')).map((line, i) => (
            <div key={i} className={`diff-${line.kind}`}>
              {line.kind === 'del' ? '- ' : line.kind === 'add' ? '+ ' : ''}
              {line.text}
            </div>
          ))}
        </pre>
      </div>
    );
  }
  if (tool === 'save' || tool === 'append') {
    return (
      <div className="tool-args">
        <div className="tool-path">
          {tool === 'append' ? 'append to ' : ''}
          {str(args.path)}
        </div>
        <pre className="file-content">{str(args.content ?? '')}</pre>
      </div>
    );
  }
  if (tool === 'read') {
    const range = args.start_line ? ` lines ${str(args.start_line)}–${str(args.end_line ?? 'end')}` : '';
    return (
      <div className="tool-args">
        <div className="tool-path">
          {str(args.path)}
          {range}
        </div>
      </div>
    );
  }
  return <pre className="tool-args">{JSON.stringify(args, null, 2)}</pre>;
}
