import { useWindow, useWindowState } from '../store/window-context';

export function ErrorBanner() {
  const { actions } = useWindow();
  const error = useWindowState((s) => s.error);
  if (!error) return null;
  const aboutProvider = /API key|provider|model/i.test(error);
  return (
    <div data-testid="error-banner" role="alert" className="error-banner">
      <span>{error}</span>
      <span className="banner-actions">
        {aboutProvider && (
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
