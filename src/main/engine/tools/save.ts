import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { NamedError } from '../../../shared/errors';
import { defineTool } from './tool';
import { resolveInWorkspace } from './workspace-path';

/** The file's stat, or undefined when nothing is there. */
export async function statIfExists(target: string) {
  try {
    return await stat(target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** Creates the folders above `target`; a file in the way is reported, not a raw EEXIST. */
export async function makeParents(target: string, requested: string): Promise<void> {
  try {
    await mkdir(path.dirname(target), { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST' && code !== 'ENOTDIR') throw error;
    throw new NamedError('NotADirectory', `Cannot create ${requested}: a part of its folder path is a file`, {
      path: requested,
    });
  }
}

/**
 * Writes through a temp file in the same folder and a rename, so a crash or a full disk leaves
 * either the old file or the new one, never half of each. Keeps an existing file's mode (an
 * executable script stays executable).
 */
export async function writeFileAtomic(target: string, content: string, mode?: number): Promise<void> {
  const temp = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`,
  );
  try {
    await writeFile(temp, content, { flag: 'wx' });
    if (mode !== undefined) await chmod(temp, mode);
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

export const saveTool = defineTool({
  name: 'save',
  description:
    'Write a whole file in the workspace, replacing it if it exists. Parent folders are created. ' +
    'To change part of an existing file use patch; to add to its end use append.',
  schema: z.strictObject({
    path: z.string().min(1).describe('File path, relative to the workspace'),
    content: z.string().describe('The complete new content of the file'),
  }),
  needsApproval: true,
  async execute(args, ctx) {
    const target = await resolveInWorkspace(ctx.workspace, args.path);
    const existing = await statIfExists(target);
    if (existing?.isDirectory()) {
      throw new NamedError('IsADirectory', `${args.path} is a directory; give a file path to save to`, {
        path: args.path,
      });
    }
    await makeParents(target, args.path);
    await writeFileAtomic(target, args.content, existing ? existing.mode & 0o7777 : undefined);
    const bytes = Buffer.byteLength(args.content, 'utf8');
    return `Saved ${bytes} bytes to ${args.path} (${existing ? 'overwrote' : 'new file'})`;
  },
});
