// What the model is offered for each tool, in the wire format: moved here from each tool's own
// tests, since tools know only their spec (tools/tool-spec.ts) and this folder turns it into OpenAI's.
import { describe, expect, it } from 'vitest';
import { ALL_TOOLS } from '../tools/all-tools';
import { appendTool } from '../tools/append';
import { patchTool } from '../tools/patch';
import { PATCH_SHAPE } from '../../../shared/patch-format';
import { saveTool } from '../tools/save';
import { shellTool } from '../tools/shell';
import type { Tool } from '../tools/tool';
import { selectTools } from '../tools/tool-registry';
import { toolSpecOf } from '../tools/tool-spec';
import { toOpenAiTools } from './to-openai-tools';

/** The tools as the model is offered them: each one's spec, in OpenAI's format. */
const offered = (tools: readonly Tool[]) => toOpenAiTools(tools.map(toolSpecOf));

describe('toOpenAiTools', () => {
  it('describes each tool to the model by name, description and a JSON schema of its arguments', () => {
    const [read] = offered(selectTools(ALL_TOOLS, ['read']));
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

describe('each tool as the model is offered it', () => {
  it('shell: offers the model one strict call: the command to run', () => {
    expect(offered([shellTool])[0]).toMatchObject({
      type: 'function',
      function: {
        name: 'shell',
        parameters: {
          type: 'object',
          properties: {
            command: {
              type: 'string',
              minLength: 1,
              maxLength: 100_000,
              description: 'The bash command to run',
            },
          },
          required: ['command'],
          additionalProperties: false,
        },
      },
    });
  });

  it('save: offers the model one strict call: a path and the content, each described', () => {
    expect(offered([saveTool])[0]).toEqual({
      type: 'function',
      function: {
        name: 'save',
        description: expect.stringMatching(
          /^Write a whole file in the workspace, replacing it if it exists\. .*To change part of an existing file use patch; to add to its end use append\.$/,
        ),
        parameters: {
          $schema: 'http://json-schema.org/draft-07/schema#',
          type: 'object',
          properties: {
            path: { type: 'string', minLength: 1, description: 'File path, relative to the workspace' },
            content: { type: 'string', description: 'The complete new content of the file' },
          },
          required: ['path', 'content'],
          additionalProperties: false,
        },
      },
    });
  });

  it('append: offers the model one strict call: a path and the content, each described', () => {
    expect(offered([appendTool])[0]).toEqual({
      type: 'function',
      function: {
        name: 'append',
        description: expect.stringMatching(
          /^Add text to the end of a file in the workspace, exactly as given .*Creates the file and its parent folders if missing\.$/,
        ),
        parameters: {
          $schema: 'http://json-schema.org/draft-07/schema#',
          type: 'object',
          properties: {
            path: { type: 'string', minLength: 1, description: 'File path, relative to the workspace' },
            content: { type: 'string', minLength: 1, description: 'Text to add at the end of the file' },
          },
          required: ['path', 'content'],
          additionalProperties: false,
        },
      },
    });
  });

  it('patch: tells the model the hunk shape, that ORIGINAL must match one place, and when to use save instead', () => {
    const [tool] = offered([patchTool]);
    expect(tool?.type === 'function' ? tool.function.name : undefined).toBe('patch');
    const description = tool?.type === 'function' ? tool.function.description : undefined;
    expect(description).toMatch(/^Change part of an existing file in the workspace\. .*one or more hunks:\n/);
    expect(description).toContain(`\n${PATCH_SHAPE}\n`);
    expect(description).toMatch(
      /ORIGINAL must match exactly one place in the file \(copy it from the file, with enough context lines to be unique\)\./,
    );
    expect(description).toMatch(
      /Hunks apply in order; if any fails, the file is left unchanged\. To create a file or rewrite it whole, use save\.$/,
    );
    expect(tool?.type === 'function' ? tool.function.parameters : undefined).toMatchObject({
      properties: {
        path: { type: 'string', minLength: 1, description: 'File path, relative to the workspace' },
        patch: { type: 'string', minLength: 1, description: 'One or more ORIGINAL/UPDATED hunks' },
      },
      required: ['path', 'patch'],
      additionalProperties: false,
    });
  });
});
