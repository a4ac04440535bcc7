import { describe, expect, it } from 'vitest';
import { isSecretName, isShellHook, toolBaseEnvironment, withoutShellHooks } from './tool-environment';

describe('the environment a tool process starts from', () => {
  it('drops provider keys and URLs, Deskmate’s own variables and anything named like a credential', () => {
    const env = toolBaseEnvironment({
      OPENAI_API_KEY: 'sk-1',
      OPENAI_BASE_URL: 'http://proxy',
      OPENAI_ORG_ID: 'org',
      ANTHROPIC_API_KEY: 'sk-2',
      OPENROUTER_KEY: 'sk-3',
      GITHUB_TOKEN: 'ghp',
      NPM_TOKEN: 'npm',
      AWS_SECRET_ACCESS_KEY: 'aws',
      CLIENT_SECRET: 'c',
      DB_PASSWORD: 'p',
      PGPASSWORD: 'pg',
      MYSQL_PWD: 'my',
      PWD: '/home/me/project',
      OLDPWD: '/home/me',
      DESKMATE_TOKEN: 't',
      DESKMATE_DATA_DIR: '/d',
      API_KEY: 'bare',
      apikey: 'lower',
      PATH: '/usr/bin:/bin',
      HOME: '/home/me',
      LANG: 'C.UTF-8',
      SSH_AUTH_SOCK: '/tmp/agent',
      TOKENIZERS_PARALLELISM: 'false',
      KEYBOARD_LAYOUT: 'us',
      UNSET: undefined,
    });
    expect(env).toEqual({
      PATH: '/usr/bin:/bin',
      HOME: '/home/me',
      LANG: 'C.UTF-8',
      SSH_AUTH_SOCK: '/tmp/agent',
      TOKENIZERS_PARALLELISM: 'false',
      KEYBOARD_LAYOUT: 'us',
      PWD: '/home/me/project',
      OLDPWD: '/home/me',
    });
    expect(Object.isFrozen(env)).toBe(true);
    expect('UNSET' in env).toBe(false);
  });

  it('drops the variables through which bash runs code on its own, from the host too', () => {
    const hooks = {
      BASH_ENV: '/x/hook.sh',
      ENV: '/x/hook.sh',
      PROMPT_COMMAND: 'curl evil',
      PS4: '$(touch /tmp/pwned)',
      SHELLOPTS: 'xtrace',
      BASHOPTS: 'extdebug',
      'BASH_FUNC_ls%%': '() { rm -rf ~; }',
    };
    expect(toolBaseEnvironment({ ...hooks, TERM: 'xterm' })).toEqual({ TERM: 'xterm' });
    expect(withoutShellHooks({ ...hooks, FOO: 'bar' })).toEqual({ FOO: 'bar' });
  });

  it('knows every variable bash runs code through, in any case, and nothing that only resembles one', () => {
    for (const name of [
      'PS0',
      'PS4',
      'IFS',
      'CDPATH',
      'GLOBIGNORE',
      'bash_env',
      'Prompt_Command',
      'env',
      'BASH_FUNC_x%%',
    ])
      expect(isShellHook(name), name).toBe(true);
    for (const name of ['PS1', 'ENVIRONMENT', 'MY_BASH_ENV', 'BASH_FUNCS', 'XBASH_FUNC_a%%'])
      expect(isShellHook(name), name).toBe(false);
  });

  it('knows a credential by its name, in any case, and leaves names that only contain the letters', () => {
    for (const name of [
      'openai_org',
      'DESKMATE_X',
      'apiKey',
      'MY_API_KEY_FILE',
      'SESSION_TOKEN',
      'TOKEN',
      'SECRET',
      'X_PASSWD',
      'CREDENTIAL',
      'GOOGLE_CREDENTIALS',
      'SSH_PRIVATE_KEY',
      'HF_AUTHTOKEN',
      'AWS_ACCESS_KEY_ID',
      'STRIPE_KEY',
      'DB_PWD',
    ])
      expect(isSecretName(name), name).toBe(true);
    for (const name of [
      'KEYBOARD',
      'MONKEY',
      'PWD',
      'SECRETARY_NAME',
      'TOKENIZERS_PARALLELISM',
      'MY_OPENAI_NOTE',
      'KEYS',
      'MY_KEYBOARD',
      'X_PWDX',
    ])
      expect(isSecretName(name), name).toBe(false);
  });
});
