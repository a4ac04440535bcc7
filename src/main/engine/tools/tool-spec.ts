import { z } from 'zod';
import type { ToolSpec } from '../llm/language-model';
import type { Tool } from './tool';

/** What the model is told about a built-in tool: its name, description and a JSON schema of its arguments. */
export function toolSpecOf(tool: Tool): ToolSpec {
  return {
    name: tool.name,
    description: tool.description,
    parameters: z.toJSONSchema(tool.schema, { target: 'draft-7' }),
  };
}
