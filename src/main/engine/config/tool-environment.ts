import type { EnvironmentVariables } from './environment-layer';

// Provider keys and URLs, and anything named like a credential: a tool's output reaches the model,
// the provider and the log, so a process the model starts must not be able to print them.
const SECRET_NAME =
  /^(OPENAI_|DESKMATE_)|(^|_)(API_?KEY|[A-Z]*TOKEN|SECRET|[A-Z]*PASSWORD|PASSWD|CREDENTIALS?|PRIVATE_KEY|ACCESS_KEY)(_|$)|_(KEY|PWD)$/i;

// Variables through which bash runs code on its own: at start-up (BASH_ENV, ENV), before prompts,
// with tracing (SHELLOPTS=xtrace with a PS4 holding `$(...)`), or as imported functions that
// replace a command (BASH_FUNC_name%%). None of them is honoured from any layer.
const SHELL_HOOK_NAMES: readonly string[] = Object.freeze([
  'BASH_ENV',
  'ENV',
  'PROMPT_COMMAND',
  'PS0',
  'PS4',
  'SHELLOPTS',
  'BASHOPTS',
  'IFS',
  'CDPATH',
  'GLOBIGNORE',
]);

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

export function isShellHook(name: string): boolean {
  return SHELL_HOOK_NAMES.includes(name.toUpperCase()) || name.startsWith('BASH_FUNC_');
}

/** The environment without bash's hooks: what the persistent shell is started with, whatever the layer. */
export function withoutShellHooks(env: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !isShellHook(name)));
}

/**
 * The environment every tool process starts from, in every host: the host's own, read once,
 * without secrets and without shell hooks. A trusted project's `env` goes on top.
 */
export function toolBaseEnvironment(host: EnvironmentVariables): Readonly<Record<string, string>> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(host)) {
    if (value === undefined || isSecretName(name) || isShellHook(name)) continue;
    Object.defineProperty(kept, name, { value, enumerable: true });
  }
  return Object.freeze(kept);
}
