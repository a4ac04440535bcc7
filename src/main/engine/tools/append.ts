import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { z } from 'zod';
import { assertWritable, targetFile, writeError } from './target-file';
import { refusePlaceholderLines } from './placeholder-lines';
import { defineTool } from './tool';
import { refuseOutsideWorkspace } from './workspace-path';

// O_NOFOLLOW: the entry is the resolved real path, so a symlink there now was swapped in since;
// following it would write (or create) its target anywhere. O_NONBLOCK: a FIFO with no reader is
// refused (ENXIO) instead of waiting; one with a reader is refused after fstat, before any write.
const APPEND_FLAGS =
  constants.O_WRONLY |
  constants.O_APPEND |
  constants.O_CREAT |
  (constants.O_NOFOLLOW ?? 0) |
  (constants.O_NONBLOCK ?? 0) |
  (constants.O_NOCTTY ?? 0);

/**
 * Appends to `entry` after checking the opened handle itself; returns its size before. What is at
 * `entry` may have changed since the path was resolved: a symlink or a FIFO there now is refused.
 */
export async function appendAt(entry: string, requested: string, content: string): Promise<number> {
  let handle: FileHandle;
  try {
    handle = await open(entry, APPEND_FLAGS, 0o666);
  } catch (error) {
    throw writeError(error, requested);
  }
  try {
    const stats = await handle.stat();
    // Stryker disable next-line StringLiteral: the verb is only in the message for a folder, and a folder cannot be opened for writing (EISDIR)
    assertWritable(stats, requested, 'append to');
    await handle.appendFile(content).catch((error: unknown) => {
      throw writeError(error, requested);
    });
    return stats.size;
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
  async precheck(args, ctx) {
    refusePlaceholderLines(args.content, args.path, 'append');
    await refuseOutsideWorkspace(args, ctx);
  },
  async execute(args, ctx) {
    refusePlaceholderLines(args.content, args.path, 'append');
    const target = await targetFile(ctx.workspace, args.path, { create: true, offLimits: ctx.offLimits });
    let before: number;
    try {
      if (target.existing) assertWritable(target.existing, args.path, 'append to');
      before = await appendAt(target.entry, args.path, args.content);
    } finally {
      await target.close();
    }
    // Stryker disable next-line StringLiteral: Buffer.byteLength takes '' for utf8
    const bytes = Buffer.byteLength(args.content, 'utf8');
    return target.existing
      ? `Appended ${bytes} bytes to ${args.path} (now ${before + bytes} bytes)`
      : `Appended ${bytes} bytes to ${args.path} (new file)`;
  },
});
