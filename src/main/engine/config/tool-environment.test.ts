import { describe, expect, it } from 'vitest';
import { toolBaseEnvironment, withoutShellHooks } from './tool-environment';

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
});
