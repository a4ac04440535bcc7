import { useEffect, useRef, type KeyboardEvent } from 'react';
import { printable } from '../../../shared/printable';
import { needsTrustPrompt, type EnvRisk, type TrustRequest } from '../../../shared/workspace-trust';
import { useWindow, useWindowState } from '../store/window-context';
import './TrustPrompt.css';

const RISK: Record<EnvRisk, { label: string; meaning: string }> = {
  'runs-code': { label: 'runs code', meaning: 'decides which programs run, or loads code into them' },
  network: { label: 'network', meaning: 'routes or unsecures the network traffic of your commands' },
};

const fileName = (file: string) => file.split(/[\\/]/).pop() ?? file;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Back to the composer once the question is answered, so the keyboard is never left nowhere. */
function focusComposer(): void {
  requestAnimationFrame(() => {
    // Only if the focus went nowhere (the panel that held it is gone): never take it from elsewhere.
    const active = document.activeElement;
    if (active && active !== document.body) return;
    document.querySelector<HTMLElement>('[data-testid=composer]')?.focus();
  });
}

function RequestList({ request }: { request: TrustRequest }) {
  const risks = [...new Set(request.env.flatMap((item) => (item.risk ? [item.risk] : [])))];
  return (
    <>
      <p className="trust-count">
        {[
          request.env.length ? plural(request.env.length, 'environment variable') : '',
          request.settings.length ? plural(request.settings.length, 'setting') : '',
        ]
          .filter(Boolean)
          .join(' and ')}
        :
      </p>
      <ul className="trust-items">
        {request.env.map((item) => (
          <li key={`env-${item.name}`}>
            <code className="trust-name">{item.name}</code>
            {/* A repository wrote these: control and bidi characters are shown, not obeyed. */}
            <code className="trust-value">= {printable(item.value)}</code>
            {item.risk && (
              <span className={`risk risk-${item.risk}`} title={RISK[item.risk].meaning}>
                {RISK[item.risk].label}
              </span>
            )}
            <span className="trust-file">{fileName(item.file)}</span>
          </li>
        ))}
        {request.settings.map((item) => (
          <li key={`setting-${item.key}`}>
            <code className="trust-name">{item.key}</code>
            <code className="trust-value">= {printable(item.value)}</code>
            <span className="trust-file">{fileName(item.file)}</span>
          </li>
        ))}
      </ul>
      {risks.length > 0 && (
        <p className="trust-legend small">
          {risks.map((risk) => (
            <span key={risk}>
              <span className={`risk risk-${risk}`}>{RISK[risk].label}</span> {RISK[risk].meaning}
            </span>
          ))}
        </p>
      )}
    </>
  );
}

/**
 * Asked in the window whose workspace's project files want to run commands or set what commands run with:
 * lists exactly what trusting would apply. Declining keeps the window working, restricted. Once
 * trusted, the header badge opens the same panel to see what applies and to revoke it.
 */
export function TrustPrompt() {
  const { actions } = useWindow();
  const trust = useWindowState((s) => s.workspace.trust);
  const reopened = useWindowState((s) => s.trustPromptOpen);
  const refused = useWindowState(
    (s) =>
      (s.config?.layers ?? [])
        .filter((layer) => layer.source === 'project')
        .flatMap((layer) => layer.problems)
        .filter((problem) => !problem.untilTrusted).length,
  );
  const panel = useRef<HTMLElement>(null);
  const visible = reopened || (!trust.trusted && needsTrustPrompt(trust));
  useEffect(() => {
    // A decision about the folder comes first: focus moves here (and a screen reader reads it).
    if (visible) panel.current?.focus();
  }, [visible, trust.trusted]);
  if (!visible) return null;

  const answer = (trusted: boolean) => {
    void actions.trust(trusted, trusted ? trust.fingerprint : undefined).then(focusComposer);
  };
  const close = () => {
    actions.closeTrust();
    focusComposer();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    if (trust.trusted || trust.declined) close();
    else answer(false);
  };

  if (trust.trusted) {
    return (
      <section
        ref={panel}
        tabIndex={-1}
        className="trust-prompt trusted"
        data-testid="trust-prompt"
        aria-labelledby="trust-title"
        onKeyDown={onKeyDown}
      >
        <h2 id="trust-title">You trust this folder</h2>
        <p>Its project files apply in full. The commands Deskmate runs here get:</p>
        <RequestList request={trust.request} />
        <div className="trust-actions">
          <button type="button" className="danger" data-testid="trust-revoke" onClick={() => answer(false)}>
            Revoke trust
          </button>
          <button type="button" onClick={close}>
            Close
          </button>
        </div>
      </section>
    );
  }

  const runsCode = trust.request.env.some((item) => item.risk === 'runs-code');
  return (
    <section
      ref={panel}
      tabIndex={-1}
      className="trust-prompt"
      data-testid="trust-prompt"
      aria-labelledby="trust-title"
      onKeyDown={onKeyDown}
    >
      <h2 id="trust-title">
        {trust.changed ? 'This folder’s project files changed since you trusted it' : 'Trust this folder?'}
      </h2>
      <p>
        Its project files want to run commands here (a context command, MCP servers) or set what the commands
        Deskmate runs here start with. Until you trust it, they are not applied; its instructions, files and
        model still are. Either way every command the assistant runs still asks first; a context command, once
        trusted, runs by itself at the start of each conversation.
      </p>
      <RequestList request={trust.request} />
      {refused > 0 && (
        <p className="muted small">
          These files also ask for {plural(refused, 'thing')} Deskmate never allows or does not use (such as a
          provider URL or key, or shell start-up hooks).{' '}
          <button type="button" className="link" onClick={() => actions.showSettings(true)}>
            See the config warnings
          </button>
        </p>
      )}
      <p className="muted small">
        Trusting applies exactly this list. Your API key never reaches these commands, and if the files ask
        for anything else later you will be asked again.
      </p>
      <div className="trust-actions">
        <button
          type="button"
          className={runsCode ? undefined : 'primary'}
          data-testid="trust-accept"
          onClick={() => answer(true)}
        >
          Trust this folder
        </button>
        <button
          type="button"
          className={runsCode ? 'primary' : undefined}
          data-testid="trust-decline"
          onClick={() => answer(false)}
        >
          Stay restricted
        </button>
      </div>
    </section>
  );
}

/** The folder's trust state in the header; either state opens the panel (review, trust, revoke). */
export function TrustBadge() {
  const { actions } = useWindow();
  const trust = useWindowState((s) => s.workspace.trust);
  const hasWorkspace = useWindowState((s) => s.workspace.workspace !== null);
  const asks = trust.request.env.length + trust.request.settings.length > 0;
  if (!hasWorkspace || (!asks && !trust.trusted)) return null;
  return (
    <button
      type="button"
      className={`trust-badge ${trust.trusted ? 'trusted' : 'restricted'}`}
      data-testid="trust-badge"
      title={
        trust.trusted
          ? 'You trust this folder: its project files apply in full. Click to review or revoke.'
          : "Restricted: some of this folder's project settings are not applied. Click to review."
      }
      onClick={() => actions.reviewTrust()}
    >
      {trust.trusted ? 'Trusted' : 'Restricted'}
    </button>
  );
}
