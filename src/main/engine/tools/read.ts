import { z } from 'zod';
import { NamedError } from '../../../shared/errors';
import { listFolder } from './list-folder';
import { readWorkspaceFile } from './target-file';
import { defineTool } from './tool';

const MAX_FILE_BYTES = 2 * 1024 * 1024;
const BINARY_SNIFF_BYTES = 8 * 1024;
const MAX_LINES = 2000;
// One minified line could otherwise fill the model's context on its own.
const MAX_LINE_CHARS = 2000;

function splitLines(text: string): string[] {
  // An empty file splits into one empty line, which the pop below takes back.
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

function numbered(lines: readonly string[], firstNumber: number): string {
  const width = String(firstNumber + lines.length - 1).length;
  return lines
    .map((line, index) => {
      const shown =
        line.length > MAX_LINE_CHARS
          ? `${line.slice(0, MAX_LINE_CHARS)}... [line cut, ${line.length} characters]`
          : line;
      return `${String(firstNumber + index).padStart(width)}\t${shown}`;
    })
    .join('\n');
}

/** Says what to do instead, for a refusal a model can work around. */
function withHint(error: unknown): unknown {
  // Stryker disable next-line ConditionalExpression: an unnamed error is not the one below, and passes on as it is either way
  if (!(error instanceof NamedError)) return error;
  if (error.name === 'FileTooLarge')
    return new NamedError(
      'FileTooLarge',
      `${error.message} for read; use shell with head, tail, sed -n or grep -n to look at parts of it`,
      error.data,
    );
  return error;
}

export const readTool = defineTool({
  name: 'read',
  description:
    "Read a text file in the workspace, or list a folder. Returns a file's lines numbered like `cat -n`, " +
    "or a folder's entries one a line (folders end in /, symbolic links in @). " +
    `Give start_line/end_line (1-based, inclusive) to read part of a long file; at most ${MAX_LINES} lines are shown at once.`,
  schema: z.strictObject({
    path: z.string().min(1).describe('File or folder path, relative to the workspace'),
    start_line: z.number().int().min(1).optional().describe('First line to show, 1-based'),
    end_line: z.number().int().min(1).optional().describe('Last line to show, inclusive'),
  }),
  needsApproval: false,
  async execute(args, ctx) {
    let buffer: Buffer;
    try {
      buffer = await readWorkspaceFile(ctx.workspace, args.path, {
        maxBytes: MAX_FILE_BYTES,
        signal: ctx.signal,
        offLimits: ctx.offLimits,
      });
    } catch (error) {
      // A folder is listed, as gptme's read does: read needs no approval where shell's ls does.
      if (error instanceof NamedError && error.name === 'IsADirectory') {
        return listFolder(ctx.workspace, args.path, { offLimits: ctx.offLimits, signal: ctx.signal });
      }
      throw withHint(error);
    }
    if (buffer.subarray(0, BINARY_SNIFF_BYTES).includes(0)) {
      throw new NamedError('BinaryFile', `${args.path} looks like a binary file (it contains NUL bytes)`, {
        path: args.path,
      });
    }

    const lines = splitLines(buffer.toString('utf8'));
    const total = lines.length;
    const start = args.start_line ?? 1;
    const end = Math.min(args.end_line ?? total, total);
    if (args.end_line !== undefined && start > args.end_line) {
      throw new NamedError('InvalidRange', `start_line ${start} is after end_line ${args.end_line}`, {
        path: args.path,
      });
    }
    if (start > total) {
      if (total === 0 && args.start_line === undefined) return `(${args.path} is empty)`;
      throw new NamedError(
        'InvalidRange',
        `start_line ${start} is past the end of ${args.path}, which has ${total} line${total === 1 ? '' : 's'}`,
        { path: args.path, lines: total },
      );
    }

    const last = Math.min(end, start + MAX_LINES - 1);
    const text = numbered(lines.slice(start - 1, last), start);
    if (last < end) {
      return (
        `${text}\n[Shown lines ${start}-${last} of ${total}. ` +
        `Call read again with start_line=${last + 1} (and an end_line) to see more.]`
      );
    }
    return text;
  },
});
