import type { ChatCompletionTool } from 'openai/resources/chat/completions';
import type { ToolSpec } from './language-model';

/** Each tool as a function the model may call, its arguments described by their JSON schema. */
export function toOpenAiTools(tools: readonly ToolSpec[]): ChatCompletionTool[] {
  return tools.map((tool) => ({
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: tool.parameters },
  }));
}
