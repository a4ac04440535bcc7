import { printable } from '../../shared/printable';
import { requestsNothing, type WorkspaceTrust } from '../../shared/workspace-trust';

/** Says on stderr what the project files ask for that needs trust, and whether it applies. */
export function printTrust(trust: WorkspaceTrust, stderr: { write(text: string): unknown }): void {
  if (requestsNothing(trust.request)) return;
  const items = [
    ...trust.request.env.map(
      ({ name, value, risk }) => `  env ${name}=${printable(value)}${risk ? `  (${risk})` : ''}\n`,
    ),
    ...trust.request.settings.map(({ key, value }) => `  ${key} = ${printable(value)}\n`),
  ].join('');
  if (trust.trusted) {
    stderr.write(`deskmate: trusted workspace, applying from its project files:\n${items}`);
    return;
  }
  const why = trust.changed ? 'its project files changed since you trusted it' : 'the folder is not trusted';
  stderr.write(`deskmate: not applied (${why}; run with --trust to apply):\n${items}`);
}
