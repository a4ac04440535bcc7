import { useEffect, useState } from 'react';
import { useWindow, useWindowState } from '../store/window-context';
import { ToolArgs } from './ToolArgs';

const STATUS_LABEL = {
  queued: 'queued',
  pending: 'waiting for approval',
  running: 'running',
  completed: 'done',
  failed: 'failed',
  skipped: 'skipped',
} as const;

function Elapsed({ since }: { since: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, []);
  return <span className="elapsed">{Math.max(0, Math.round((now - since) / 1000))} s</span>;
}

function EditArgs({
  args,
  onRun,
  onCancel,
}: {
  args: Record<string, unknown>;
  onRun(args: Record<string, unknown>): void;
  onCancel(): void;
}) {
  const [text, setText] = useState(() => JSON.stringify(args, null, 2));
  const [error, setError] = useState<string | null>(null);
  const run = () => {
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
        aria-label="Edit arguments"
        value={text}
        spellCheck={false}
        rows={Math.min(16, text.split('\n').length + 1)}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) run();
          if (e.key === 'Escape') onCancel();
        }}
      />
      {error && <div className="field-error">{error}</div>}
      <div className="tool-actions">
        <button type="button" className="primary" onClick={run}>
          Run edited
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}

/** One tool call: what it will do, the user's choice while it waits, its result folded beneath. */
export function ToolCallCard({ callId }: { callId: string }) {
  const { actions } = useWindow();
  const call = useWindowState((s) => s.toolCalls[callId]);
  const [editing, setEditing] = useState(false);
  const [autoCount, setAutoCount] = useState(5);
  const [open, setOpen] = useState(false);
  if (!call) return null;
  const output = call.result ? (call.result.error?.message ?? call.result.output) : call.output;
  return (
    <div
      className={`tool-call status-${call.status}`}
      data-testid="tool-call"
      data-tool={call.tool}
      data-status={call.status}
    >
      <div className="tool-head">
        <span className="tool-name">{call.tool}</span>
        <span className="tool-status">
          {STATUS_LABEL[call.status]}
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
          args={call.args}
          onCancel={() => setEditing(false)}
          onRun={(args) => {
            setEditing(false);
            void actions.respond(callId, { action: 'edit', args });
          }}
        />
      ) : (
        <ToolArgs tool={call.tool} args={call.args} />
      )}
      {call.status === 'pending' && !editing && (
        <div className="tool-actions">
          <button
            type="button"
            className="primary"
            data-testid="tool-approve"
            onClick={() => void actions.respond(callId, { action: 'approve' })}
          >
            Approve
          </button>
          <button
            type="button"
            data-testid="tool-skip"
            onClick={() => void actions.respond(callId, { action: 'skip' })}
          >
            Skip
          </button>
          <button type="button" data-testid="tool-edit" onClick={() => setEditing(true)}>
            Edit
          </button>
          <span className="auto-group">
            <button
              type="button"
              data-testid="tool-auto"
              title={`Approve this and the next ${autoCount} tool calls`}
              onClick={() => void actions.respond(callId, { action: 'auto', count: autoCount })}
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
            onClick={() => void actions.respond(callId, { action: 'always' })}
          >
            Always allow in this conversation
          </button>
        </div>
      )}
      {output && call.status !== 'skipped' && (
        <details
          className={`tool-result${call.status === 'failed' ? ' error' : ''}`}
          open={open || call.status === 'running' || call.status === 'failed'}
          onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}
        >
          <summary>
            {call.status === 'failed'
              ? `Error${call.result?.error?.name ? `: ${call.result.error.name}` : ''}`
              : 'Output'}
          </summary>
          <pre>{output}</pre>
        </details>
      )}
    </div>
  );
}
