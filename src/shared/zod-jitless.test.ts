// The renderer's CSP forbids eval: zod must parse without ever building a function from a string,
// not even to probe whether it may.
import './zod-jitless';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';

const RealFunction = globalThis.Function;
afterEach(() => {
  globalThis.Function = RealFunction;
});

describe('zod under a CSP without unsafe-eval', () => {
  it('parses objects without constructing a Function', () => {
    let constructed = 0;
    globalThis.Function = new Proxy(RealFunction, {
      construct() {
        constructed += 1;
        throw new EvalError('Refused to evaluate a string as JavaScript (CSP)');
      },
    });
    const schema = z.strictObject({ text: z.string().min(1), count: z.number().int() });
    expect(schema.safeParse({ text: 'hi', count: 2 })).toMatchObject({ success: true });
    expect(schema.safeParse({ text: '', count: 2.5, extra: 1 }).success).toBe(false);
    expect(constructed).toBe(0);
    expect(z.config().jitless).toBe(true);
  });
});
