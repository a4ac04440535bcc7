import { useEffect, useState } from 'react';
import { useWindowState } from '../store/window-context';
import './TurnStatus.css';

const LABEL = {
  thinking: 'Thinking',
  streaming: 'Writing',
  waiting: 'Waiting for your approval',
  running: 'Running a tool',
} as const;

/** What the turn is doing right now, with the time spent on it. */
export function TurnStatus() {
  const turn = useWindowState((s) => s.turn);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!turn) return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [turn]);
  if (!turn) return null;
  const seconds = Math.max(0, Math.round((now - turn.since) / 1000));
  return (
    <div className={`turn-status phase-${turn.phase}`} role="status" aria-live="polite">
      <span className="pulse" />
      {LABEL[turn.phase]}
      {seconds >= 1 ? <span className="elapsed"> · {seconds} s</span> : null}
      {/* A waiting card has the focus, and there Esc skips the call rather than stopping the turn. */}
      <span className="hint">
        {turn.phase === 'waiting' ? 'Ctrl+Enter to approve · Esc to skip' : 'Esc to stop'}
      </span>
    </div>
  );
}
