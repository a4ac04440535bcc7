import { needsTrustPrompt, type EnvRisk } from '../../../shared/workspace-trust';
import { useWindow, useWindowState } from '../store/window-context';

const RISK: Record<EnvRisk, { label: string; title: string }> = {
  'runs-code': {
    label: 'runs code',
    title: 'Decides which programs run, or loads code into the programs your commands start',
  },
  network: { label: 'network', title: 'Routes or unsecures the network traffic of your commands' },
};

const fileName = (file: string) => file.split(/[\\/]/).pop() ?? file;

/**
 * Asked in the window whose workspace's project files want more than content: lists exactly what
 * trusting would apply. Declining keeps the window working, restricted.
 */
export function TrustPrompt() {
  const { actions } = useWindow();
  const trust = useWindowState((s) => s.workspace.trust);
  const reopened = useWindowState((s) => s.trustPromptOpen);
  if (trust.trusted || (!needsTrustPrompt(trust) && !reopened)) return null;
  const { env, settings } = trust.request;
  return (
    <section className="trust-prompt" data-testid="trust-prompt" aria-labelledby="trust-title">
      <h2 id="trust-title">
        {trust.changed ? 'This folder’s project files changed since you trusted it' : 'Trust this folder?'}
      </h2>
      <p>
        Its project files ask for more than instructions. Until you trust it, Deskmate uses only their model,
        prompt, files and tool choices, and does not apply:
      </p>
      <ul className="trust-items">
        {env.map((item) => (
          <li key={`env-${item.name}`}>
            <code className="trust-name">{item.name}</code>
            <code className="trust-value">= {item.value}</code>
            {item.risk && (
              <span className={`risk risk-${item.risk}`} title={RISK[item.risk].title}>
                {RISK[item.risk].label}
              </span>
            )}
            <span className="trust-file">{fileName(item.file)}</span>
          </li>
        ))}
        {settings.map((item) => (
          <li key={`setting-${item.key}`}>
            <code className="trust-name">{item.key}</code>
            <code className="trust-value">= {item.value}</code>
            <span className="trust-file">{fileName(item.file)}</span>
          </li>
        ))}
      </ul>
      <p className="muted small">
        Trusting applies exactly this list to the commands you approve in this folder. Your API key never
        reaches them, and if the files ask for anything else later you will be asked again.
      </p>
      <div className="trust-actions">
        <button
          type="button"
          className="primary"
          data-testid="trust-accept"
          onClick={() => void actions.trust(true)}
        >
          Trust this folder
        </button>
        <button type="button" data-testid="trust-decline" onClick={() => void actions.trust(false)}>
          Stay restricted
        </button>
      </div>
    </section>
  );
}

/** A small header control: the folder's trust state, to reopen the prompt or revoke trust. */
export function TrustBadge() {
  const { actions } = useWindow();
  const trust = useWindowState((s) => s.workspace.trust);
  const hasWorkspace = useWindowState((s) => s.workspace.workspace !== null);
  const asks = trust.request.env.length + trust.request.settings.length > 0;
  if (!hasWorkspace || (!asks && !trust.trusted)) return null;
  if (trust.trusted) {
    return (
      <button
        type="button"
        className="trust-badge trusted"
        data-testid="trust-badge"
        title="You trust this folder: its project files apply in full. Click to revoke."
        onClick={() => void actions.trust(false)}
      >
        Trusted
      </button>
    );
  }
  return (
    <button
      type="button"
      className="trust-badge restricted"
      data-testid="trust-badge"
      title="Restricted: some of this folder's project settings are not applied. Click to review."
      onClick={() => actions.reviewTrust()}
    >
      Restricted
    </button>
  );
}
