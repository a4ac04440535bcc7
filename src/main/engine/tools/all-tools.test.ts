import { describe, expect, it } from 'vitest';
import { ALL_TOOLS } from './all-tools';

describe('ALL_TOOLS', () => {
  it('holds the five tools, frozen, and only read runs without asking', () => {
    expect(ALL_TOOLS.map((tool) => tool.name)).toEqual(['shell', 'read', 'save', 'append', 'patch']);
    expect(Object.isFrozen(ALL_TOOLS)).toBe(true);
    expect(ALL_TOOLS.filter((tool) => !tool.needsApproval).map((tool) => tool.name)).toEqual(['read']);
  });
});
