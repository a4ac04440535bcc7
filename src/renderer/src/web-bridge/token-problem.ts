import type { RpcErrorShape } from '../../../shared/errors';

/** What the page says when it cannot connect for want of a good token. */
export const TOKEN_HELP = 'Open the address Deskmate printed when it started';

/**
 * Why a tab cannot connect: it has no token at all (`missing`: its address had none and no earlier
 * load of this tab kept one), or the server refused the one it has (`refused`: Deskmate was
 * restarted, and each start prints a new token).
 */
export type TokenProblem = 'missing' | 'refused';

/** What went wrong, in words a user can act on, after TOKEN_HELP. */
function tokenProblemText(problem: TokenProblem): string {
  return problem === 'missing'
    ? 'This tab has no token: its address carries none, and it was not opened from a Deskmate tab.'
    : 'Deskmate refused the token this tab holds: it was probably restarted, and each start prints a new token.';
}

export function refusedError(problem: TokenProblem): RpcErrorShape {
  return { name: 'Unauthorized', message: `${TOKEN_HELP}. ${tokenProblemText(problem)}` };
}

/**
 * Puts the token problem in place of the app: a tab that cannot connect has nothing else to show,
 * and a blank page or a console line would leave the user guessing. Built with DOM calls outside
 * React, whose tree is what it replaces (and may not have rendered yet); the CSP allows a CSSOM
 * style, not a style attribute.
 */
export function showTokenProblem(doc: Document, problem: TokenProblem): void {
  doc.querySelector('[data-testid="token-problem"]')?.remove();
  const notice = doc.createElement('main');
  notice.className = 'fatal';
  notice.setAttribute('role', 'alert');
  notice.dataset.testid = 'token-problem';
  const title = doc.createElement('h1');
  title.textContent = TOKEN_HELP;
  const detail = doc.createElement('p');
  detail.textContent = tokenProblemText(problem);
  const where = doc.createElement('p');
  where.textContent =
    `It is the line "Deskmate is ready: ${doc.location.origin}/?token=…" in the terminal where ` +
    'Deskmate runs. Opened once, the token stays with that tab through reloads.';
  // The heading carries the alarm; the explanation reads as plain text.
  for (const line of [detail, where]) line.style.color = 'var(--text)';
  notice.append(title, detail, where);
  const root = doc.getElementById('root');
  if (root) root.style.display = 'none';
  doc.body.prepend(notice);
}
