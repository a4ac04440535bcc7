import { describe, expect, it } from 'vitest';
import {
  needsTrustPrompt,
  requestsNothing,
  UNTRUSTED,
  type TrustRequest,
  type WorkspaceTrust,
} from './workspace-trust';

const ENV: TrustRequest = {
  env: [{ name: 'NODE_OPTIONS', value: '--require x', file: 'gptme.toml', risk: 'runs-code' }],
  settings: [],
};
const SETTING: TrustRequest = {
  env: [],
  settings: [{ key: 'shellTimeoutMs', value: '600000', file: '.deskmate.toml' }],
};

function trust(overrides: Partial<WorkspaceTrust>): WorkspaceTrust {
  return { ...UNTRUSTED, ...overrides };
}

describe('workspace trust', () => {
  it('asks nothing of a folder whose project files want only content', () => {
    expect(requestsNothing({ env: [], settings: [] })).toBe(true);
    expect(requestsNothing(ENV)).toBe(false);
    expect(requestsNothing(SETTING)).toBe(false);
    expect(needsTrustPrompt(UNTRUSTED)).toBe(false);
  });

  it('prompts when the files ask for an environment variable or a setting, until answered', () => {
    expect(needsTrustPrompt(trust({ request: ENV }))).toBe(true);
    expect(needsTrustPrompt(trust({ request: SETTING }))).toBe(true);
    expect(needsTrustPrompt(trust({ request: ENV, trusted: true }))).toBe(false);
    expect(needsTrustPrompt(trust({ request: ENV, declined: true }))).toBe(false);
  });

  it('starts untrusted, asking for nothing, and cannot be changed in place', () => {
    expect(UNTRUSTED).toEqual({
      trusted: false,
      request: { env: [], settings: [] },
      changed: false,
      declined: false,
      fingerprint: '',
    });
    expect(Object.isFrozen(UNTRUSTED)).toBe(true);
    expect(Object.isFrozen(UNTRUSTED.request)).toBe(true);
  });
});
