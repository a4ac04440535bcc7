import { appendTool } from './append';
import { patchTool } from './patch';
import { readTool } from './read';
import { saveTool } from './save';
import { shellTool } from './shell';
import type { Tool } from './tool';

/** Every tool Deskmate has; a conversation's config chooses which of them the model sees. */
export const ALL_TOOLS: readonly Tool[] = Object.freeze<Tool[]>([
  shellTool,
  readTool,
  saveTool,
  appendTool,
  patchTool,
]);
