import type { EnvRisk } from '../../../shared/workspace-trust';

// Variables that decide which program runs, or load code into programs the user's commands start.
// HOME and XDG_* choose the config files programs load (a git config's core.fsmonitor runs on
// `git status`), so they count too.
const RUNS_CODE = new RegExp(
  '^(' +
    [
      'PATH',
      'HOME',
      'XDG_[A-Z_]+',
      'LD_[A-Z_]+',
      'DYLD_[A-Z_]+',
      'GCONV_PATH',
      'NODE_OPTIONS',
      'NODE_PATH',
      'PYTHON(PATH|STARTUP|HOME|INSPECT|WARNINGS)',
      'PERL5(OPT|LIB|DB)',
      'PERLLIB',
      'RUBYOPT',
      'RUBYLIB',
      'GIT_[A-Z_]+',
      'PAGER',
      'MANPAGER',
      'EDITOR',
      'VISUAL',
      'BROWSER',
      'SHELL',
      'LESSOPEN',
      'LESSCLOSE',
      'JAVA_TOOL_OPTIONS',
      '_JAVA_OPTIONS',
      'JDK_JAVA_OPTIONS',
      'CLASSPATH',
      'NPM_CONFIG_[A-Z_]+',
      'GOFLAGS',
      'RUSTC_WRAPPER',
      'CARGO_[A-Z_]+',
      'MAKEFLAGS',
      'CC',
      'CXX',
      'OPENSSL_CONF',
      'KUBECONFIG',
    ].join('|') +
    ')$',
  'i',
);
// Variables that route or unsecure the network traffic of those programs, or pick where they fetch from.
const NETWORK =
  /^(([A-Z]+_)?PROXY|SSL_CERT_(FILE|DIR)|NODE_EXTRA_CA_CERTS|NODE_TLS_REJECT_UNAUTHORIZED|REQUESTS_CA_BUNDLE|CURL_CA_BUNDLE|GIT_SSL_NO_VERIFY|DOCKER_HOST|PIP_(INDEX_URL|EXTRA_INDEX_URL|TRUSTED_HOST)|NPM_CONFIG_REGISTRY|UV_INDEX_URL)$/i;

/** Why a project's env variable deserves a warning in the trust prompt, if it does. */
export function envRisk(name: string): EnvRisk | undefined {
  if (NETWORK.test(name)) return 'network';
  if (RUNS_CODE.test(name)) return 'runs-code';
  return undefined;
}
