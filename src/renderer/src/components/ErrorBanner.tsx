import { useWindow, useWindowState } from '../store/window-context';

/**
 * Errors that a change in Settings fixes: a refused key, no provider at all, a model the provider
 * does not have, a URL nothing answers at. Only these offer "Open Settings"; a rate limit or a
 * dropped connection is not the settings' fault.
 */
export const SETTINGS_FIX = new Set([
  'ProviderAuth',
  'ProviderNotConfigured',
  'ModelNotFound',
  'ProviderUnreachable',
]);

export function ErrorBanner() {
  const { actions } = useWindow();
  const error = useWindowState((s) => s.error);
  const name = useWindowState((s) => s.errorName ?? null);
  const inSettings = useWindowState((s) => s.view === 'settings');
  if (!error) return null;
  const settingsFix = name !== null && SETTINGS_FIX.has(name);
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
