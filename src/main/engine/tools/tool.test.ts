import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool } from './tool';

describe('defineTool', () => {
  it('returns the tool frozen, so nothing can turn off its approval or swap its code later', () => {
    const tool = defineTool({
      name: 'save',
      description: 'test',
      schema: z.strictObject({ path: z.string() }),
      needsApproval: true,
      execute: async () => 'done',
    });
    expect(Object.isFrozen(tool)).toBe(true);
    expect(() => {
      (tool as { needsApproval: boolean }).needsApproval = false;
    }).toThrow(TypeError);
    expect(tool.needsApproval).toBe(true);
  });
});
