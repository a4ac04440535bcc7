import { useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import type { ConfigProblem } from '../../../shared/config';
import { printable } from '../../../shared/printable';
import { useWindowState } from '../store/window-context';
import './ConfigWarnings.css';

const PANEL_WIDTH = 560;
// One empty list: a selector that made a new one each time would re-render forever.
const NONE: readonly ConfigProblem[] = Object.freeze([]);

/** The message without the `file:line:column: ` it starts with when it came from a parser. */
function reasonOf(problem: ConfigProblem): string {
  if (!problem.path || problem.line === undefined) return problem.message;
  const prefix = `${problem.path}:${problem.line}:${problem.column ?? ''}`;
  return problem.message.startsWith(prefix)
    ? problem.message.slice(prefix.length).replace(/^:?\s*/, '')
    : problem.message;
}

function Problem({ problem }: { problem: ConfigProblem }) {
  const where =
    problem.line === undefined
      ? null
      : `line ${problem.line}${problem.column ? `, column ${problem.column}` : ''}`;
  return (
    <li>
      <div className="config-warning-where">
        <code title={problem.path}>{problem.path ?? 'Settings'}</code>
        {where && <span className="config-warning-line">{where}</span>}
      </div>
      {/* A repository wrote these: control and bidi characters are shown, not obeyed. */}
      <p className="config-warning-reason">{printable(reasonOf(problem))}</p>
      {problem.excerpt !== undefined && (
        <pre className="config-warning-excerpt">
          <code>
            {printable(problem.excerpt)}
            {problem.column ? `\n${' '.repeat(Math.max(0, problem.column - 1))}^` : ''}
          </code>
        </pre>
      )}
    </li>
  );
}

/**
 * The header's count of config problems, as a button: it opens a panel with each problem's file,
 * line and reason, and the line itself. Drawn over the page (the header clips what overflows it).
 */
export function ConfigWarnings() {
  const warnings = useWindowState((s) => s.config?.warnings ?? NONE);
  const [at, setAt] = useState<{ top: number; left: number } | null>(null);
  const badge = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const open = at !== null && warnings.length > 0;

  useEffect(() => {
    if (!open) return;
    panel.current?.focus();
    const close = (event: Event) => {
      const target = event.target as Node | null;
      if (event.type === 'mousedown' && (panel.current?.contains(target) || badge.current?.contains(target)))
        return;
      setAt(null);
    };
    window.addEventListener('mousedown', close);
    window.addEventListener('resize', close);
    return () => {
      window.removeEventListener('mousedown', close);
      window.removeEventListener('resize', close);
    };
  }, [open]);

  if (warnings.length === 0) return null;
  const toggle = () => {
    if (open) return setAt(null);
    const rect = badge.current!.getBoundingClientRect();
    const width = Math.min(PANEL_WIDTH, window.innerWidth - 16);
    setAt({ top: rect.bottom + 6, left: Math.max(8, Math.min(rect.left, window.innerWidth - width - 8)) });
  };
  const count = `${warnings.length} config warning${warnings.length > 1 ? 's' : ''}`;
  return (
    <>
      <button
        ref={badge}
        type="button"
        className="warning-badge"
        data-testid="config-warnings"
        aria-expanded={open}
        aria-haspopup="dialog"
        title="Some config was not applied: show why"
        onClick={toggle}
      >
        {count}
      </button>
      {open &&
        createPortal(
          <div
            ref={panel}
            className="config-warnings-panel"
            data-testid="config-warnings-panel"
            role="dialog"
            aria-label="Config warnings"
            tabIndex={-1}
            style={{ top: at.top, left: at.left }}
            onKeyDown={(e) => {
              if (e.key !== 'Escape') return;
              e.stopPropagation();
              setAt(null);
              badge.current?.focus();
            }}
          >
            <div className="config-warnings-head">
              <h2>{count}</h2>
              <button
                type="button"
                aria-label="Close"
                onClick={() => {
                  setAt(null);
                  badge.current?.focus();
                }}
              >
                Close
              </button>
            </div>
            <ul>
              {warnings.map((problem, i) => (
                <Problem key={i} problem={problem} />
              ))}
            </ul>
            <p className="muted small">Fix the file and save it: Deskmate reads it again by itself.</p>
          </div>,
          document.body,
        )}
    </>
  );
}
