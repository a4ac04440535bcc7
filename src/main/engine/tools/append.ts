import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { z } from 'zod';
import { NamedError } from '../../../shared/errors';
import { makeParents, writableTarget } from './target-file';
import { defineTool } from './tool';

// resolveInWorkspace refuses symlinks that lead out, dangling ones included; O_NOFOLLOW also
// refuses one created between that check and this open, which would create its target anywhere.
const APPEND_FLAGS =
  constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | (constants.O_NOFOLLOW ?? 0);

async function appendAt(target: string, requested: string, content: string): Promise<void> {
  let handle;
  try {
    handle = await open(target, APPEND_FLAGS, 0o666);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOOP') throw error;
    throw new NamedError('InvalidPath', `${requested} is a symlink to a missing file; refused`, {
      path: requested,
    });
  }
  try {
    await handle.appendFile(content);
  } finally {
    await handle.close();
  }
}

export const appendTool = defineTool({
  name: 'append',
  description:
    'Add text to the end of a file in the workspace, exactly as given (include a leading newline if ' +
    'the file may not end with one). Creates the file and its parent folders if missing.',
  schema: z.strictObject({
    path: z.string().min(1).describe('File path, relative to the workspace'),
    content: z.string().min(1).describe('Text to add at the end of the file'),
  }),
  needsApproval: true,
  async execute(args, ctx) {
    const { target, existing } = await writableTarget(ctx.workspace, args.path, 'append to');
    if (!existing) await makeParents(target, args.path);
    await appendAt(target, args.path, args.content);
    const bytes = Buffer.byteLength(args.content, 'utf8');
    return existing
      ? `Appended ${bytes} bytes to ${args.path} (now ${existing.size + bytes} bytes)`
      : `Appended ${bytes} bytes to ${args.path} (new file)`;
  },
});
