import { describe, expect, it } from 'vitest';
import { ALL_TOOLS } from './all-tools';
import { selectTools, toOpenAiTools } from './tool-registry';

describe('selectTools', () => {
  it('offers only the tools the config enables, however the list is ordered or padded', () => {
    expect(selectTools(ALL_TOOLS, ['read', 'patch']).map((tool) => tool.name)).toEqual(['read', 'patch']);
    expect(selectTools(ALL_TOOLS, ['patch', 'read']).map((tool) => tool.name)).toEqual(['read', 'patch']);
    expect(selectTools(ALL_TOOLS, [])).toEqual([]);
  });
});

describe('toOpenAiTools', () => {
  it('describes each tool to the model by name, description and a JSON schema of its arguments', () => {
    const [read] = toOpenAiTools(selectTools(ALL_TOOLS, ['read']));
    expect(read).toMatchObject({
      type: 'function',
      function: {
        name: 'read',
        description: expect.stringMatching(/\S/),
        parameters: {
          $schema: 'http://json-schema.org/draft-07/schema#',
          type: 'object',
          properties: { path: { type: 'string' } },
          required: expect.arrayContaining(['path']),
          additionalProperties: false,
        },
      },
    });
    expect(toOpenAiTools([])).toEqual([]);
  });
});
