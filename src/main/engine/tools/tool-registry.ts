import type { ChatCompletionTool } from 'openai/resources/chat/completions';
import { z } from 'zod';
import type { ToolName } from '../../../shared/config';
import type { Tool } from './tool';

/** The tools a conversation may use, in the order of its config's `tools` list. */
export function selectTools(all: readonly Tool[], enabled: readonly ToolName[]): Tool[] {
  return all.filter((tool) => enabled.includes(tool.name));
}

export function toOpenAiTools(tools: readonly Tool[]): ChatCompletionTool[] {
  return tools.map((tool) => ({
    type: 'function',
    function: {
      name: tool.name,
      description: tool.description,
      parameters: z.toJSONSchema(tool.schema, { target: 'draft-7' }) as Record<string, unknown>,
    },
  }));
}
