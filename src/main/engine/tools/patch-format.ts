import { NamedError } from '../../../shared/errors';

/** One change: ORIGINAL lines to find, UPDATED lines to put in their place (LF-split, no terminators). */
export interface Hunk {
  readonly original: readonly string[];
  readonly updated: readonly string[];
}

const ORIGINAL_MARKER = '<<<<<<< ORIGINAL';
const DIVIDER_MARKER = '=======';
const UPDATED_MARKER = '>>>>>>> UPDATED';

export const PATCH_SHAPE = `${ORIGINAL_MARKER}\n(lines to find)\n${DIVIDER_MARKER}\n(lines to put instead)\n${UPDATED_MARKER}`;

type Marker = 'original' | 'divider' | 'updated';

function markerOf(line: string): Marker | undefined {
  const trimmed = line.trimEnd();
  if (trimmed === ORIGINAL_MARKER) return 'original';
  if (trimmed === DIVIDER_MARKER) return 'divider';
  if (trimmed === UPDATED_MARKER) return 'updated';
  return undefined;
}

function malformed(detail: string): NamedError {
  return new NamedError('PatchMalformed', `${detail}. Each hunk must look like:\n${PATCH_SHAPE}`);
}

/**
 * Parses gptme's conflict-marker hunks. Text between hunks (a code fence, a remark) is ignored, as
 * gptme does; a marker out of place is an error, since guessing would edit the wrong lines.
 */
export function parsePatch(patch: string): Hunk[] {
  const lines = patch.split(/\r?\n/);
  const hunks: Hunk[] = [];
  let state: 'outside' | 'original' | 'updated' = 'outside';
  let original: string[] = [];
  let updated: string[] = [];

  for (const [index, line] of lines.entries()) {
    const marker = markerOf(line);
    const hunkNumber = hunks.length + 1;
    const where = `line ${index + 1} of the patch`;
    if (state === 'outside') {
      if (marker === 'original') {
        state = 'original';
      } else if (marker === 'divider') {
        throw malformed(`Found ${DIVIDER_MARKER} at ${where} before any ${ORIGINAL_MARKER}`);
      } else if (marker === 'updated') {
        throw malformed(`Found ${UPDATED_MARKER} at ${where} before any ${ORIGINAL_MARKER}`);
      }
    } else if (state === 'original') {
      if (marker === 'divider') {
        if (original.length === 0) {
          throw malformed(
            `Hunk ${hunkNumber} has an empty ORIGINAL; patch needs existing lines to find ` +
              '(use save to create or replace a whole file, append to add at its end)',
          );
        }
        state = 'updated';
      } else if (marker === 'original') {
        throw malformed(
          `Hunk ${hunkNumber}: found a second ${ORIGINAL_MARKER} at ${where}; expected ${DIVIDER_MARKER}`,
        );
      } else if (marker === 'updated') {
        throw malformed(
          `Hunk ${hunkNumber}: found ${UPDATED_MARKER} at ${where}; expected ${DIVIDER_MARKER} first`,
        );
      } else {
        original.push(line);
      }
    } else {
      if (marker === 'updated') {
        hunks.push({ original, updated });
        // Fresh lists for the next hunk: the pushed ones belong to the hunk now.
        original = [];
        updated = [];
        state = 'outside';
      } else if (marker === 'original') {
        throw malformed(
          `Hunk ${hunkNumber}: found ${ORIGINAL_MARKER} at ${where}; expected ${UPDATED_MARKER}`,
        );
      } else if (marker === 'divider') {
        throw malformed(
          `Hunk ${hunkNumber}: found a second ${DIVIDER_MARKER} at ${where}; expected ${UPDATED_MARKER}`,
        );
      } else {
        updated.push(line);
      }
    }
  }

  if (state === 'original') {
    throw malformed(`Hunk ${hunks.length + 1} ends without ${DIVIDER_MARKER} and ${UPDATED_MARKER}`);
  }
  if (state === 'updated') {
    throw malformed(`Hunk ${hunks.length + 1} ends without ${UPDATED_MARKER}`);
  }
  if (hunks.length === 0) {
    throw malformed('No hunk found in the patch');
  }
  return hunks;
}
