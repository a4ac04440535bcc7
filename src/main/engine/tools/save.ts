import { z } from 'zod';
import { writeFileAtomic } from '../base/fs/atomic-write';
import { assertWritable, targetFile, writeError } from './target-file';
import { refusePlaceholderLines } from './placeholder-lines';
import { defineTool } from './tool';
import { refuseOutsideWorkspace } from './workspace-path';

/**
 * The content with a final line break, as gptme saves it: a text file's last line ends with one
 * (POSIX tools and diffs expect it, and a model rarely writes it). CRLF when every break already
 * is; empty content stays empty.
 */
function withFinalNewline(content: string): string {
  if (content === '' || content.endsWith('\n')) return content;
  const breaks = content.split('\n').length - 1;
  const crlf = breaks > 0 && content.split('\r\n').length - 1 === breaks;
  return content + (crlf ? '\r\n' : '\n');
}

export const saveTool = defineTool({
  name: 'save',
  description:
    'Write a whole file in the workspace, replacing it if it exists. Parent folders are created, and ' +
    'a final line break is added if the content has none. ' +
    'To change part of an existing file use patch; to add to its end use append.',
  schema: z.strictObject({
    path: z.string().min(1).describe('File path, relative to the workspace'),
    content: z.string().describe('The complete new content of the file'),
  }),
  needsApproval: true,
  async precheck(args, ctx) {
    refusePlaceholderLines(args.content, args.path, 'save');
    await refuseOutsideWorkspace(args, ctx);
  },
  async execute(args, ctx) {
    refusePlaceholderLines(args.content, args.path, 'save');
    const content = withFinalNewline(args.content);
    const target = await targetFile(ctx.workspace, args.path, { create: true, offLimits: ctx.offLimits });
    const { existing } = target;
    try {
      if (existing) assertWritable(existing, args.path, 'save to');
      // The rename replaces whatever name is there by then; it never writes through it.
      await writeFileAtomic(target.entry, content, existing ? existing.mode & 0o7777 : undefined).catch(
        (error: unknown) => {
          throw writeError(error, args.path);
        },
      );
    } finally {
      await target.close();
    }
    // Stryker disable next-line StringLiteral: Buffer.byteLength takes '' for utf8
    const bytes = Buffer.byteLength(content, 'utf8');
    return `Saved ${bytes} bytes to ${args.path} (${existing ? 'overwrote' : 'new file'})`;
  },
});
