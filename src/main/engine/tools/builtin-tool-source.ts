import type { z } from 'zod';
import type { ToolName } from '../../../shared/config';
import { NamedError } from '../../../shared/errors';
import type { Tool } from './tool';
import { selectTools } from './tool-registry';
import type { SourcedTool, ToolSource } from './tool-source';
import { toolSpecOf } from './tool-spec';

/** Deskmate's own tools, those the config enables, in the order of `tools`. */
export function builtinToolSource(tools: readonly Tool[], enabled: readonly ToolName[]): ToolSource {
  const listed = selectTools(tools, enabled).map(sourcedTool);
  return { list: async () => listed };
}

/** A built-in tool as the turn loop sees it: its zod schema checks the arguments and types the call. */
export function sourcedTool(tool: Tool): SourcedTool {
  return {
    spec: toolSpecOf(tool),
    needsApproval: tool.needsApproval,
    check(args) {
      const parsed = tool.schema.safeParse(args);
      if (!parsed.success) return validationError(tool, parsed.error);
      const { data } = parsed;
      const precheck = tool.precheck?.bind(tool);
      const warning = tool.warning?.(data);
      return {
        ...(precheck ? { precheck: (place) => precheck(data, place) } : {}),
        ...(warning === undefined ? {} : { warning }),
        execute: (context) => tool.execute(data, context),
      };
    },
  };
}

/** Phrases a validation failure as something the model can fix on its next step. */
function validationError(tool: Tool, error: z.ZodError): NamedError {
  const problems = error.issues
    .map((issue) => `${issue.path.join('.') || 'arguments'}: ${issue.message}`)
    .join('; ');
  const fields = Object.keys(tool.schema.shape).join(', ');
  return new NamedError(
    'InvalidToolArguments',
    `Invalid arguments for ${tool.name} (${problems}). It takes: ${fields}.`,
  );
}
