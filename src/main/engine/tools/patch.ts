import { z } from 'zod';
import { NamedError } from '../../../shared/errors';
import { writeFileAtomic } from '../base/fs/atomic-write';
import { readRegularFile } from '../base/fs/regular-file';
import { applyHunks } from './patch-apply';
import { PATCH_SHAPE, parsePatch } from '../../../shared/patch-format';
import { assertWritable, targetFile, writeError } from './target-file';
import { defineTool } from './tool';
import { refuseOutsideWorkspace } from './workspace-path';

const MAX_FILE_BYTES = 8 * 1024 * 1024;

function missing(requested: string): NamedError {
  return new NamedError('NotFound', `${requested} does not exist; use save to create a new file`, {
    path: requested,
  });
}

export const patchTool = defineTool({
  name: 'patch',
  description:
    'Change part of an existing file in the workspace. The patch holds one or more hunks:\n' +
    `${PATCH_SHAPE}\n` +
    'ORIGINAL must match exactly one place in the file (copy it from the file, with enough context ' +
    'lines to be unique). A placeholder line such as `# ...` or `// ...` at the same place in ORIGINAL ' +
    'and UPDATED stands for unchanged lines; the lines around it are matched separately. Hunks apply in order; if any fails, the file is left unchanged. ' +
    'To create a file or rewrite it whole, use save.',
  schema: z.strictObject({
    path: z.string().min(1).describe('File path, relative to the workspace'),
    patch: z.string().min(1).describe('One or more ORIGINAL/UPDATED hunks'),
  }),
  needsApproval: true,
  precheck: refuseOutsideWorkspace,
  async execute(args, ctx) {
    const hunks = parsePatch(args.patch);
    const target = await targetFile(ctx.workspace, args.path, {
      create: false,
      offLimits: ctx.offLimits,
    }).catch((error: unknown) => {
      throw error instanceof NamedError && error.name === 'NotFound' ? missing(args.path) : error;
    });
    try {
      if (!target.existing) throw missing(args.path);
      if (target.existing.isDirectory()) {
        throw new NamedError('IsADirectory', `${args.path} is a directory; patch a file inside it`, {
          path: args.path,
        });
      }
      let mode = 0o644;
      const before = await readRegularFile(target.entry, {
        maxBytes: MAX_FILE_BYTES,
        signal: ctx.signal,
        noFollow: true,
        label: args.path,
        // Checked on the opened file: the one read is the one whose links and mode count.
        check: (stats) => {
          // Stryker disable next-line StringLiteral: the verb only words the error for a directory, which readRegularFile has refused before this check
          assertWritable(stats, args.path, 'patch');
          mode = stats.mode & 0o7777;
        },
      });
      const after = await applyHunks(before.toString('utf8'), hunks, { signal: ctx.signal });
      await writeFileAtomic(target.entry, after, mode).catch((error: unknown) => {
        throw writeError(error, args.path);
      });
    } finally {
      await target.close();
    }
    return `Applied ${hunks.length} hunk${hunks.length === 1 ? '' : 's'} to ${args.path}`;
  },
});
