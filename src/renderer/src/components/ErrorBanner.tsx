import { settingsCanFix } from '../../../shared/errors';
import { useWindow, useWindowState } from '../store/window-context';
import './ErrorBanner.css';

export function ErrorBanner() {
  const { actions } = useWindow();
  const error = useWindowState((s) => s.error);
  const name = useWindowState((s) => s.errorName ?? null);
  const inSettings = useWindowState((s) => s.view === 'settings');
  if (!error) return null;
  const settingsFix = settingsCanFix(name);
  // Already in Settings, where the form says what is missing: a banner would only repeat it.
  if (settingsFix && inSettings) return null;
  return (
    <div data-testid="error-banner" role="alert" className="error-banner">
      <span>{error}</span>
      <span className="banner-actions">
        {settingsFix && (
          <button type="button" onClick={() => actions.showSettings(true)}>
            Open Settings
          </button>
        )}
        <button type="button" onClick={actions.dismissError} aria-label="Dismiss">
          Dismiss
        </button>
      </span>
    </div>
  );
}
