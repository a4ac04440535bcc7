import type { RpcErrorShape } from '../../../shared/errors';
import { useWindow, useWindowState } from '../store/window-context';
import './MessageItem.css';

// Errors Settings can fix: the key, the address, the model.
const SETTINGS_CAN_FIX = new Set([
  'ProviderAuth',
  'ProviderNotConfigured',
  'ModelNotFound',
  'ProviderUnreachable',
]);

/** Where the reply would be: why the turn failed, and a Retry that runs it again. */
export function TurnError({ failure, cutShort }: { failure: RpcErrorShape; cutShort: boolean }) {
  const { actions } = useWindow();
  const busy = useWindowState((s) => s.turn !== null);
  return (
    <div className="turn-error" role="alert" data-testid="turn-error" data-error={failure.name}>
      <div className="turn-error-title">
        {cutShort ? 'The reply was cut short' : 'No reply: the turn failed'}
      </div>
      <div className="turn-error-message">{failure.message}</div>
      <div className="turn-error-actions">
        <button
          type="button"
          className="primary"
          data-testid="turn-retry"
          disabled={busy}
          onClick={() => void actions.retry()}
        >
          Retry
        </button>
        {SETTINGS_CAN_FIX.has(failure.name) && (
          <button type="button" onClick={() => actions.showSettings(true)}>
            Open Settings
          </button>
        )}
      </div>
    </div>
  );
}
