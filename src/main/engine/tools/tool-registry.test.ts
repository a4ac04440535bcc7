import { describe, expect, it } from 'vitest';
import { ALL_TOOLS } from './all-tools';
import { selectTools } from './tool-registry';

describe('selectTools', () => {
  it('offers only the tools the config enables, however the list is ordered or padded', () => {
    expect(selectTools(ALL_TOOLS, ['read', 'patch']).map((tool) => tool.name)).toEqual(['read', 'patch']);
    expect(selectTools(ALL_TOOLS, ['patch', 'read']).map((tool) => tool.name)).toEqual(['read', 'patch']);
    expect(selectTools(ALL_TOOLS, [])).toEqual([]);
  });
});
