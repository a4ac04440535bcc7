import { describe, expect, it } from 'vitest';
import { readTool } from './read';
import { toolSpecOf } from './tool-spec';

describe('a tool as the model is told of it', () => {
  it('is its name, its description and a draft-7 JSON schema of its arguments', () => {
    expect(toolSpecOf(readTool)).toEqual({
      name: 'read',
      description: readTool.description,
      parameters: expect.objectContaining({
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object',
        properties: expect.objectContaining({ path: expect.objectContaining({ type: 'string' }) }),
        required: expect.arrayContaining(['path']),
        additionalProperties: false,
      }),
    });
  });
});
