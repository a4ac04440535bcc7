import type { ToolName } from '../../../shared/config';
import type { Tool } from './tool';

/** The tools a conversation may use, in the order of its config's `tools` list. */
export function selectTools(all: readonly Tool[], enabled: readonly ToolName[]): Tool[] {
  return all.filter((tool) => enabled.includes(tool.name));
}
