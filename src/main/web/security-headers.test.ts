import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../shared/content-security-policy';
import { setSecurityHeaders } from './security-headers';

describe('the security headers', () => {
  it('keep other pages from framing, embedding, sniffing or holding a handle on ours', () => {
    const response = new ServerResponse(new IncomingMessage(new Socket()));
    setSecurityHeaders(response);
    expect(response.getHeaders()).toEqual({
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cross-origin-resource-policy': 'same-origin',
      'x-frame-options': 'DENY',
      'cross-origin-opener-policy': 'same-origin',
    });
  });
});
