import { useCallback, useEffect, useRef, useState } from 'react';
import { providerSchema, type LayerSource } from '../../../shared/config';
import type { SettingsView as Settings } from '../../../shared/contract';
import { sameEndpoint } from '../../../shared/endpoint';
import { isNamedError } from '../../../shared/errors';
import type { TrustedFolder } from '../../../shared/workspace-trust';
import { useWindow, useWindowState } from '../store/window-context';
import './SettingsView.css';

const URL_HINT = 'Enter a full URL starting with http:// or https://';

/** The very rule main applies (the settings schema), so the form never sends what main refuses. */
function isWebUrl(text: string): boolean {
  return providerSchema.shape.baseUrl.safeParse(text).success;
}

/** An InvalidRequest about the provider URL: main's own check, worded for the field instead. */
function isUrlRefusal(error: unknown): boolean {
  const issues = (error as { data?: { issues?: Array<{ path?: unknown[] }> } }).data?.issues ?? [];
  return isNamedError(error, 'InvalidRequest') && issues.some((i) => i.path?.includes('baseUrl'));
}

/** Where the model in use comes from, as a user would say it. */
function modelSource(source: LayerSource | undefined): string {
  switch (source) {
    case 'environment':
      return 'the environment, DESKMATE_MODEL';
    case 'user':
      return 'these settings';
    case 'project':
      return 'the project files';
    case 'chat':
      return 'this conversation';
    default:
      return 'defaults';
  }
}

export function SettingsView() {
  const { client, actions, store } = useWindow();
  const providerReady = useWindowState((s) => s.providerReady);
  const warnings = useWindowState((s) => s.config?.warnings ?? []);
  const config = useWindowState((s) => s.config);
  const from = (key: keyof typeof providerSchema.shape) =>
    [...(config?.layers ?? [])].reverse().find((l) => l.values.provider?.[key] !== undefined)?.source;
  const layers = [...(config?.layers ?? [])].reverse();
  const modelFrom = layers.find((l) => l.values.model !== undefined)?.source;
  // What applies when the field is empty: the model from the layers below the user's settings.
  const fallbackModel =
    layers.find((l) => (l.source === 'environment' || l.source === 'defaults') && l.values.model)?.values
      .model ?? config?.effective.model;
  const heading = useRef<HTMLHeadingElement>(null);
  // Opening Settings moves the focus here (it would fall to the page otherwise): a screen reader
  // says where the user is, and Tab goes on to the first field.
  useEffect(() => {
    heading.current?.focus();
  }, []);
  const [settings, setSettings] = useState<Settings | null>(null);
  const [baseUrl, setBaseUrl] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [model, setModel] = useState('');
  const [status, setStatus] = useState<{ kind: 'ok' | 'error' | 'busy'; text: string } | null>(null);
  // The URL's problem shows beside it once the user has left the field or tried to use it.
  const [urlChecked, setUrlChecked] = useState(false);
  const [urlRefused, setUrlRefused] = useState(false);
  const [found, setFound] = useState<string[] | null>(null);
  const [trusted, setTrusted] = useState<TrustedFolder[]>([]);
  const storedUrl = config?.effective.provider.baseUrl ?? '';
  const keyInUse = from('apiKey') !== undefined;
  // A key only ever goes to its own URL (main enforces it): say so before a test or a save surprises.
  const otherUrl = baseUrl.trim() !== '' && !sameEndpoint(baseUrl.trim(), storedUrl);
  const badUrl = baseUrl.trim() !== '' && !isWebUrl(baseUrl.trim());
  const showUrlProblem = (badUrl && urlChecked) || urlRefused;
  const savedUrl = settings?.values.provider?.baseUrl ?? '';
  const savedModel = settings?.values.model ?? '';
  // What Save would change: nothing typed, nothing to save (and no "Saved." for it).
  const changed =
    (baseUrl.trim() !== '' && baseUrl.trim() !== savedUrl) || apiKey !== '' || model.trim() !== savedModel;

  const loadTrusted = useCallback(
    () =>
      client.call('trust.list', {}).then(
        ({ folders }) => setTrusted(folders),
        () => undefined,
      ),
    [client],
  );
  useEffect(() => {
    void loadTrusted();
  }, [loadTrusted]);

  const revoke = async (path: string) => {
    try {
      await client.call('trust.revoke', { path });
    } catch (error) {
      setStatus({ kind: 'error', text: (error as Error).message });
    }
    await loadTrusted();
  };

  useEffect(() => {
    void client.call('settings.get', {}).then((loaded) => {
      setSettings(loaded);
      setBaseUrl(loaded.values.provider?.baseUrl ?? '');
      setModel(loaded.values.model ?? '');
    });
  }, [client]);

  const values = () => ({
    provider: { ...(baseUrl.trim() ? { baseUrl: baseUrl.trim() } : {}), ...(apiKey ? { apiKey } : {}) },
    ...(model.trim() ? { model: model.trim() } : {}),
  });

  /** False (and the problem beside the field) when the URL cannot be used. */
  const urlUsable = () => {
    setUrlChecked(true);
    if (!badUrl) return true;
    setStatus(null);
    document.getElementById('settings-base-url')?.focus();
    return false;
  };

  const failed = (error: unknown) => {
    if (isUrlRefusal(error)) {
      setUrlRefused(true);
      setStatus(null);
    } else setStatus({ kind: 'error', text: (error as Error).message });
  };

  const save = async () => {
    if (!changed) return setStatus({ kind: 'ok', text: 'Nothing changed.' });
    if (!urlUsable()) return;
    setStatus({ kind: 'busy', text: 'Saving…' });
    try {
      const saved = await client.call('settings.set', {
        values: values(),
        ...(model.trim() === '' && savedModel !== '' ? { unset: ['model' as const] } : {}),
      });
      setSettings(saved);
      setApiKey('');
      setStatus({ kind: 'ok', text: 'Saved.' });
      if (store.getState().providerReady) actions.showSettings(false);
    } catch (error) {
      failed(error);
    }
  };

  const test = async () => {
    if (!urlUsable()) return;
    setStatus({ kind: 'busy', text: 'Connecting…' });
    setFound(null);
    try {
      const result = await client.call('settings.test', {
        ...(baseUrl.trim() ? { baseUrl: baseUrl.trim() } : {}),
        ...(apiKey ? { apiKey } : {}),
        list: true,
      });
      const plural = result.models === 1 ? 'model' : 'models';
      setStatus({
        kind: 'ok',
        text: `Connected: ${result.models} ${plural} available.${result.models > 0 ? ' Pick the default model from the list.' : ''}`,
      });
      setFound(result.ids ?? []);
    } catch (error) {
      failed(error);
    }
  };

  return (
    <section className="settings" aria-label="Settings">
      <h1 ref={heading} tabIndex={-1}>
        {providerReady ? 'Settings' : 'Welcome to Deskmate'}
      </h1>
      {!providerReady && (
        <p className="lead" data-testid="first-run">
          Connect a provider to start: any OpenAI-compatible endpoint works (OpenAI, a local server, a proxy).
        </p>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <label>
          Provider base URL
          <input
            id="settings-base-url"
            name="baseUrl"
            value={baseUrl}
            placeholder={storedUrl || 'https://api.openai.com/v1'}
            aria-invalid={showUrlProblem}
            aria-describedby={showUrlProblem ? 'settings-url-problem' : undefined}
            onChange={(e) => {
              setBaseUrl(e.target.value);
              setUrlRefused(false);
              setFound(null);
            }}
            onBlur={() => setUrlChecked(true)}
          />
        </label>
        {showUrlProblem && (
          <p id="settings-url-problem" className="field-problem" data-testid="url-problem">
            {URL_HINT}
          </p>
        )}
        <label>
          API key
          <input
            name="apiKey"
            type="password"
            autoComplete="off"
            value={apiKey}
            placeholder={settings?.hasApiKey ? 'A key is stored (type to replace it)' : 'sk-…'}
            onChange={(e) => setApiKey(e.target.value)}
          />
        </label>
        {otherUrl && keyInUse && !apiKey && (
          <p className="muted small" data-testid="key-for-url">
            The key in use only goes to <code>{storedUrl}</code>. Type the key for this URL: saving it without
            one leaves it keyless.
          </p>
        )}
        {settings?.keyStorage === 'file' && (
          <p className="muted small" data-testid="key-unencrypted">
            No OS keyring is available to Deskmate here: a key you save is stored unencrypted, in a file only
            your user account can read.
          </p>
        )}
        <label>
          Default model
          <input
            name="model"
            value={model}
            placeholder={fallbackModel ?? ''}
            aria-describedby={config ? 'settings-model-in-use' : undefined}
            list={found?.length ? 'settings-found-models' : undefined}
            spellCheck={false}
            onChange={(e) => setModel(e.target.value)}
          />
        </label>
        {config && (
          <p id="settings-model-in-use" className="muted small field-note" data-testid="model-in-effect">
            In use here: <code>{config.effective.model}</code> (from {modelSource(modelFrom)}).
            {modelFrom === 'chat' || modelFrom === 'project'
              ? ' This default applies where neither the conversation nor the project picks one.'
              : ' Leave the field empty to use the model from the environment or the built-in default.'}
          </p>
        )}
        {found && found.length > 0 && (
          <>
            <datalist id="settings-found-models">
              {found.map((id) => (
                <option key={id} value={id} />
              ))}
            </datalist>
            <label className="found-models">
              <span className="muted small">
                The provider offers {found.length === 1 ? 'this model' : `these ${found.length} models`}:
              </span>
              <select
                data-testid="found-models"
                aria-label="Models the provider offers"
                value={found.includes(model.trim()) ? model.trim() : ''}
                onChange={(e) => e.target.value && setModel(e.target.value)}
              >
                <option value="">Pick the default model…</option>
                {found.map((id) => (
                  <option key={id} value={id}>
                    {id}
                  </option>
                ))}
              </select>
            </label>
          </>
        )}
        <div className="form-actions">
          <button
            type="submit"
            className="primary"
            aria-disabled={!changed}
            title={changed ? 'Save these settings' : 'Nothing changed yet'}
          >
            Save
          </button>
          <button type="button" onClick={() => void test()}>
            Test connection
          </button>
          {providerReady && (
            <button type="button" onClick={() => actions.showSettings(false)}>
              Back to chat
            </button>
          )}
          {status && (
            <span className={`status ${status.kind}`} role="status">
              {status.text}
            </span>
          )}
        </div>
      </form>
      {config && (
        <p className="muted small" data-testid="provider-in-effect">
          In effect: <code>{config.effective.provider.baseUrl}</code> (from {from('baseUrl') ?? 'defaults'}),{' '}
          {from('apiKey') ? `API key from ${from('apiKey')}` : 'no API key'}, model{' '}
          <code>{config.effective.model}</code> (from {modelSource(modelFrom)}).
        </p>
      )}
      {settings?.path && <p className="muted small">Settings are stored in {settings.path}</p>}
      <h2>Trusted folders</h2>
      {trusted.length === 0 ? (
        <p className="muted small">
          No folder is trusted. A folder whose project files set environment variables asks before they apply.
        </p>
      ) : (
        <ul className="trusted-folders" data-testid="trusted-folders">
          {trusted.map((folder) => (
            <li key={folder.path}>
              <code title={folder.path}>{folder.path}</code>
              <span className="muted small">since {new Date(folder.grantedAt).toLocaleDateString()}</span>
              <button type="button" className="danger" onClick={() => void revoke(folder.path)}>
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}
      {warnings.length > 0 && (
        <>
          <h2>Config warnings</h2>
          <ul className="warnings">
            {warnings.map((w, i) => (
              <li key={i}>
                {w.path ? <code>{w.path}</code> : null} {w.message}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
