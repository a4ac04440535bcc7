import { describe, expect, it } from 'vitest';
import { envRisk } from './env-risk';

describe('which project env variables the trust prompt flags', () => {
  it.each([
    ['PATH', 'runs-code'],
    ['LD_PRELOAD', 'runs-code'],
    ['DYLD_INSERT_LIBRARIES', 'runs-code'],
    ['NODE_OPTIONS', 'runs-code'],
    ['HOME', 'runs-code'],
    ['XDG_CONFIG_HOME', 'runs-code'],
    ['GIT_SSH_COMMAND', 'runs-code'],
    ['PYTHONSTARTUP', 'runs-code'],
    ['OPENSSL_CONF', 'runs-code'],
    ['GCONV_PATH', 'runs-code'],
    ['HTTPS_PROXY', 'network'],
    ['https_proxy', 'network'],
    ['ALL_PROXY', 'network'],
    ['NODE_TLS_REJECT_UNAUTHORIZED', 'network'],
    ['GIT_SSL_NO_VERIFY', 'network'],
    ['PIP_INDEX_URL', 'network'],
    ['DOCKER_HOST', 'network'],
    ['NODE_ENV', undefined],
    ['RUST_LOG', undefined],
    ['PATHS_TO_SCAN', undefined],
  ])('%s: %s', (name, risk) => {
    expect(envRisk(name)).toBe(risk);
  });
});
