import { describe, expect, it } from 'vitest';
import { ERROR_NAMES, isNamedError, NamedError, settingsCanFix, toErrorShape } from './errors';

describe('named errors', () => {
  it('carry a stable name, the message, and data only when there is some', () => {
    const error = new NamedError('NotFound', 'No conversation abc', { id: 'abc' });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('NotFound');
    expect(error.message).toBe('No conversation abc');
    expect(error.data).toEqual({ id: 'abc' });
    expect(error.toShape()).toEqual({
      name: 'NotFound',
      message: 'No conversation abc',
      data: { id: 'abc' },
    });
    const bare = new NamedError('Busy', 'A turn is running').toShape();
    expect(bare).toEqual({ name: 'Busy', message: 'A turn is running' });
    expect('data' in bare).toBe(false);
    // A falsy datum is still data.
    expect(new NamedError('Internal', 'x', 0).toShape()).toEqual({ name: 'Internal', message: 'x', data: 0 });
  });

  it('are recognised by shape after crossing a boundary, never by prototype', () => {
    const crossed = structuredClone(new NamedError('ProviderAuth', 'Key refused').toShape());
    expect(isNamedError(crossed)).toBe(true);
    expect(isNamedError(crossed, 'ProviderAuth')).toBe(true);
    expect(isNamedError(crossed, 'NotFound')).toBe(false);
    for (const value of [
      null,
      undefined,
      'NotFound',
      42,
      { name: 'NotFound' },
      { message: 'x' },
      { name: 1, message: 'x' },
      { name: 'x', message: 1 },
    ]) {
      expect(isNamedError(value), JSON.stringify(value)).toBe(false);
    }
  });

  it('are thrown again on the far side of a boundary by name, and an unknown name is Internal', () => {
    const again = NamedError.fromShape(
      structuredClone(new NamedError('NotFound', 'No conversation abc', { id: 'abc' }).toShape()),
    );
    expect(again).toBeInstanceOf(NamedError);
    expect(again.toShape()).toEqual({
      name: 'NotFound',
      message: 'No conversation abc',
      data: { id: 'abc' },
    });
    const unknown = NamedError.fromShape({ name: 'FromTheFuture', message: 'A newer peer said so' });
    expect(unknown.toShape()).toEqual({ name: 'Internal', message: 'A newer peer said so' });
  });

  it('offer Settings only for what a change in Settings fixes', () => {
    for (const name of ['ProviderAuth', 'ProviderNotConfigured', 'ModelNotFound', 'ProviderUnreachable']) {
      expect(settingsCanFix(name), name).toBe(true);
    }
    for (const name of ['RateLimited', 'Internal', 'Interrupted', '', null, undefined]) {
      expect(settingsCanFix(name), String(name)).toBe(false);
    }
  });

  it('are one list, each name once, frozen', () => {
    expect(new Set(ERROR_NAMES).size).toBe(ERROR_NAMES.length);
    expect(Object.isFrozen(ERROR_NAMES)).toBe(true);
    expect(ERROR_NAMES).toEqual(
      expect.arrayContaining(['Internal', 'Interrupted', 'ProviderAuth', 'StreamDropped']),
    );
  });
});

describe('what a failure looks like to a client', () => {
  it('a named error is itself, data and all', () => {
    expect(toErrorShape(new NamedError('NotFound', 'No such thing', { id: 1 }))).toEqual({
      name: 'NotFound',
      message: 'No such thing',
      data: { id: 1 },
    });
  });

  it('anything else is Internal, with its message and never its stack', () => {
    const shape = toErrorShape(new TypeError('x is undefined'));
    expect(shape).toEqual({ name: 'Internal', message: 'x is undefined' });
    expect(toErrorShape('a string')).toEqual({ name: 'Internal', message: 'a string' });
    expect(toErrorShape(42)).toEqual({ name: 'Internal', message: '42' });
  });

  it('a thrown value with no text form still gets an answer', () => {
    expect(toErrorShape(Object.create(null))).toEqual({ name: 'Internal', message: 'The request failed' });
  });
});
