import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { NamedError } from '../../../shared/errors';
import { applyHunks } from './patch-apply';
import { PATCH_SHAPE, parsePatch } from './patch-format';
import { writeFileAtomic } from '../fs/atomic-write';
import { statIfExists } from './target-file';
import { defineTool } from './tool';
import { resolveInWorkspace } from './workspace-path';

export const patchTool = defineTool({
  name: 'patch',
  description:
    'Change part of an existing file in the workspace. The patch holds one or more hunks:\n' +
    `${PATCH_SHAPE}\n` +
    'ORIGINAL must match exactly one place in the file (copy it from the file, with enough context ' +
    'lines to be unique). Hunks apply in order; if any fails, the file is left unchanged. ' +
    'To create a file or rewrite it whole, use save.',
  schema: z.strictObject({
    path: z.string().min(1).describe('File path, relative to the workspace'),
    patch: z.string().min(1).describe('One or more ORIGINAL/UPDATED hunks'),
  }),
  needsApproval: true,
  async execute(args, ctx) {
    const target = await resolveInWorkspace(ctx.workspace, args.path);
    const hunks = parsePatch(args.patch);
    const info = await statIfExists(target);
    if (!info) {
      throw new NamedError('NotFound', `${args.path} does not exist; use save to create a new file`, {
        path: args.path,
      });
    }
    if (info.isDirectory()) {
      throw new NamedError('IsADirectory', `${args.path} is a directory; patch a file inside it`, {
        path: args.path,
      });
    }
    const before = await readFile(target, 'utf8');
    const after = applyHunks(before, hunks);
    await writeFileAtomic(target, after, info.mode & 0o7777);
    return `Applied ${hunks.length} hunk${hunks.length === 1 ? '' : 's'} to ${args.path}`;
  },
});
