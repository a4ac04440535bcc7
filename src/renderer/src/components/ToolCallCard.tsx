import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { ArtifactText } from '../../../shared/contract';
import { withoutExitCodeNote } from '../../../shared/tool-notes';
import type { ApprovalAction } from '../store/approval-action';
import { useWindow, useWindowState } from '../store/window-context';
import type { ToolCallView } from '../store/window-state';
import { ToolArgs } from './ToolArgs';
import './ToolCallCard.css';

function statusLabel(call: ToolCallView): string {
  const exit = call.result?.exitCode;
  switch (call.status) {
    case 'queued':
      return 'queued';
    case 'pending':
      return 'waiting for approval';
    case 'running':
      return 'running';
    case 'completed':
      return 'done';
    case 'failed':
      return exit !== undefined && exit !== 0 ? `failed · exit ${exit}` : 'failed';
    case 'skipped':
      return 'skipped';
    case 'stopped':
      return 'stopped';
  }
}

/**
 * One rule for folding: an output starts open when it is what the user must read now (while it
 * runs, and when the call failed or was stopped: the reason is in it), and folded when the call
 * succeeded (the card's status already says so). The user's own toggle wins from then on.
 */
const startsOpen = (status: ToolCallView['status']) =>
  status === 'running' || status === 'failed' || status === 'stopped';

// The model is told where a cut output is kept; in the app, "Open full output" shows it instead.
const withoutArtifactPath = (text: string) => text.replace(/; the full output is in .+? …\]/g, ' …]');

const focusComposer = () =>
  requestAnimationFrame(() => document.querySelector<HTMLElement>('[data-testid=composer]')?.focus());

function Elapsed({ since }: { since: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, []);
  return <span className="elapsed">{Math.max(0, Math.round((now - since) / 1000))} s</span>;
}

/** A shell call edits as the command it is; any other tool as its JSON arguments. */
function isPlainCommand(tool: string, args: Record<string, unknown>): args is { command: string } {
  return tool === 'shell' && typeof args.command === 'string' && Object.keys(args).length === 1;
}

function EditArgs({
  tool,
  args,
  onRun,
  onCancel,
}: {
  tool: string;
  args: Record<string, unknown>;
  onRun(args: Record<string, unknown>): void;
  onCancel(): void;
}) {
  const plain = isPlainCommand(tool, args);
  const [text, setText] = useState(() => (plain ? args.command : JSON.stringify(args, null, 2)));
  const [error, setError] = useState<string | null>(null);
  const run = () => {
    if (plain) {
      if (!text.trim()) return setError('Type the command to run');
      return onRun({ command: text });
    }
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('Arguments must be a JSON object');
      onRun(parsed as Record<string, unknown>);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <div className="edit-args">
      <textarea
        aria-label={plain ? 'Edit command' : 'Edit arguments'}
        className={plain ? 'edit-command' : undefined}
        value={text}
        spellCheck={false}
        autoFocus
        rows={Math.min(16, text.split('\n').length + 1)}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          // Kept here: the card's shortcuts (and the window's Esc = Stop) are not for the editor.
          if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) {
            e.preventDefault();
            e.stopPropagation();
            run();
          } else if (e.key === 'Escape') {
            e.stopPropagation();
            onCancel();
          }
        }}
      />
      {error && <div className="field-error">{error}</div>}
      <div className="tool-actions">
        <button type="button" className="primary" onClick={run} title="Run the edited call (Ctrl+Enter)">
          Run edited
        </button>
        <button type="button" onClick={onCancel} title="Back to the call as proposed (Esc)">
          Cancel
        </button>
      </div>
    </div>
  );
}

function ToolOutput({ call }: { call: ToolCallView }) {
  const { actions } = useWindow();
  const details = useRef<HTMLDetailsElement>(null);
  // Set by the user's own toggle (a click or Enter on the summary); from then on the rule stands aside.
  const chosen = useRef(false);
  const [full, setFull] = useState<ArtifactText | null>(null);
  const result = call.result;
  // The status line says how it ended (from data); the note saying it for the model is not output.
  const text = result
    ? (result.error?.message ?? withoutExitCodeNote(result.output, result.exitCode))
    : call.output;
  const shown = Boolean(text) && call.status !== 'skipped';
  // The DOM holds the open state: a controlled `open` hears its own changes as toggles.
  useLayoutEffect(() => {
    if (!chosen.current && details.current) details.current.open = startsOpen(call.status);
  }, [call.status, shown]);
  if (!shown) return null;
  const error = result?.error && call.status !== 'stopped';
  const lines = text.split('\n').length;
  const summary = error
    ? `Error${result.error?.name ? `: ${result.error.name}` : ''}`
    : full
      ? 'Full output'
      : `Output · ${lines} line${lines === 1 ? '' : 's'}`;
  return (
    <details ref={details} className={`tool-result${error || call.status === 'failed' ? ' error' : ''}`}>
      <summary onClick={() => (chosen.current = true)}>{summary}</summary>
      <pre>{full ? full.text : withoutArtifactPath(text)}</pre>
      {full?.truncated && (
        <div className="tool-note">
          Showing the first {full.text.length.toLocaleString('en-US')} characters of{' '}
          {full.bytes.toLocaleString('en-US')} bytes.
        </div>
      )}
      {result?.artifact && !full && (
        <div className="tool-actions">
          <button
            type="button"
            data-testid="tool-full-output"
            title="The output above was cut; show all of it"
            onClick={() => {
              void actions.readArtifact(result.artifact!).then((read) => {
                if (read) setFull(read);
              });
            }}
          >
            Open full output
          </button>
        </div>
      )}
    </details>
  );
}

/** One tool call: what it will do, the user's choice while it waits, its result folded beneath. */
export function ToolCallCard({ callId }: { callId: string }) {
  const { actions } = useWindow();
  const call = useWindowState((s) => s.toolCalls[callId]);
  const [editing, setEditing] = useState(false);
  const [autoCount, setAutoCount] = useState(5);
  const card = useRef<HTMLDivElement>(null);
  const pending = call?.status === 'pending';

  // A call that waits for the user takes focus, so the keyboard can answer it at once.
  useEffect(() => {
    if (pending) card.current?.focus();
  }, [pending]);

  if (!call) return null;
  const respond = (response: ApprovalAction) => {
    void actions.respond(callId, response);
    // Back to where the user writes; a next call that waits takes focus again when it comes.
    focusComposer();
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (!pending || editing || (e.target as HTMLElement).tagName === 'INPUT') return;
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      respond({ action: 'approve' });
    } else if (e.key === 'Escape') {
      // Skips this call only: without this, the window's Esc would stop the whole turn.
      e.preventDefault();
      e.stopPropagation();
      respond({ action: 'skip' });
    }
  };
  const exit = call.result?.exitCode;
  return (
    <div
      ref={card}
      className={`tool-call status-${call.status}`}
      data-testid="tool-call"
      data-tool={call.tool}
      data-status={call.status}
      {...(exit !== undefined ? { 'data-exit-code': String(exit) } : {})}
      role="group"
      aria-label={`${call.tool} call, ${statusLabel(call)}`}
      tabIndex={pending ? -1 : undefined}
      onKeyDown={onKeyDown}
    >
      <div className="tool-head">
        <span className="tool-name">
          {call.tool}
          {call.edited && (
            <span
              className="tool-edited"
              data-testid="tool-edited"
              title="You changed this call before it ran"
            >
              edited
            </span>
          )}
        </span>
        <span className="tool-status">
          {statusLabel(call)}
          {call.status === 'running' && call.startedAt ? (
            <>
              {' '}
              · <Elapsed since={call.startedAt} />
            </>
          ) : null}
        </span>
      </div>
      {editing ? (
        <EditArgs
          tool={call.tool}
          args={call.args}
          onCancel={() => {
            setEditing(false);
            card.current?.focus();
          }}
          onRun={(args) => {
            setEditing(false);
            respond({ action: 'edit', args });
          }}
        />
      ) : (
        <ToolArgs tool={call.tool} args={call.args} />
      )}
      {pending && call.warning && (
        <div className="tool-warning" data-testid="tool-warning">
          Asked again despite any grant: {call.warning}
        </div>
      )}
      {pending && !editing && (
        <div className="tool-actions">
          <button
            type="button"
            className="primary"
            data-testid="tool-approve"
            title="Run it (Ctrl+Enter)"
            onClick={() => respond({ action: 'approve' })}
          >
            Approve
          </button>
          <button
            type="button"
            data-testid="tool-skip"
            title="Do not run it; the model is told (Esc)"
            onClick={() => respond({ action: 'skip' })}
          >
            Skip
          </button>
          <button
            type="button"
            data-testid="tool-edit"
            title="Change it before it runs"
            onClick={() => setEditing(true)}
          >
            Edit
          </button>
          <span className="auto-group">
            <button
              type="button"
              data-testid="tool-auto"
              title={`Run this and the next ${autoCount} ${call.tool} calls without asking`}
              onClick={() => respond({ action: 'auto', count: autoCount })}
            >
              Auto next
            </button>
            <input
              type="number"
              min={1}
              max={1000}
              aria-label="How many more to approve"
              value={autoCount}
              onChange={(e) => setAutoCount(Math.max(1, Math.min(1000, Number(e.target.value) || 1)))}
            />
          </span>
          <button
            type="button"
            className="link"
            title={`Run every ${call.tool} call in this conversation without asking; other tools still ask. Revoke it in the header.`}
            onClick={() => respond({ action: 'always' })}
          >
            Always allow {call.tool} in this conversation
          </button>
        </div>
      )}
      <ToolOutput call={call} />
    </div>
  );
}
