import { describe, expect, it } from 'vitest';
import { deepFreeze } from './deep-freeze';

describe('deepFreeze', () => {
  it('freezes a layer all the way down, so a shared mutation throws', () => {
    const layer = deepFreeze({ values: { env: { A: '1' }, tools: ['read'] }, problems: [{ message: 'm' }] });
    expect(() => {
      (layer.values.env as Record<string, string>).B = '2';
    }).toThrow(TypeError);
    expect(() => layer.values.tools.push('shell')).toThrow(TypeError);
    expect(() => {
      layer.problems[0]!.message = 'changed';
    }).toThrow(TypeError);
    expect(layer).toEqual({ values: { env: { A: '1' }, tools: ['read'] }, problems: [{ message: 'm' }] });
  });

  it('gives back what it was given, primitives and null included', () => {
    const value = { a: 1 };
    expect(deepFreeze(value)).toBe(value);
    expect(deepFreeze('text')).toBe('text');
    expect(deepFreeze(null)).toBeNull();
    expect(deepFreeze(undefined)).toBeUndefined();
  });

  it('stops at what is frozen already, so a value that refers to itself does not recurse forever', () => {
    const cyclic: { name: string; self?: unknown } = { name: 'loop' };
    cyclic.self = cyclic;
    expect(deepFreeze(cyclic)).toBe(cyclic);
    expect(Object.isFrozen(cyclic)).toBe(true);
  });
});
