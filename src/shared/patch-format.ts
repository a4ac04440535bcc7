import { NamedError } from './errors';

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

/** A patch read: its hunks, or what is wrong with it (one sentence, naming the hunk and line). */
export type PatchReading = { readonly hunks: Hunk[] } | { readonly problem: string };

function malformed(detail: string): PatchReading {
  return { problem: detail };
}

/**
 * Parses gptme's conflict-marker hunks, for the patch tool and for the window that shows the patch
 * as a diff before it runs. Text between hunks (a code fence, a remark) is ignored, as gptme does;
 * a marker out of place is a problem, since guessing would edit the wrong lines.
 */
export function readPatch(patch: string): PatchReading {
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
        return malformed(`Found ${DIVIDER_MARKER} at ${where} before any ${ORIGINAL_MARKER}`);
      } else if (marker === 'updated') {
        return malformed(`Found ${UPDATED_MARKER} at ${where} before any ${ORIGINAL_MARKER}`);
      }
    } else if (state === 'original') {
      if (marker === 'divider') {
        if (original.length === 0) {
          return malformed(
            `Hunk ${hunkNumber} has an empty ORIGINAL; patch needs existing lines to find ` +
              '(use save to create or replace a whole file, append to add at its end)',
          );
        }
        state = 'updated';
      } else if (marker === 'original') {
        return malformed(
          `Hunk ${hunkNumber}: found a second ${ORIGINAL_MARKER} at ${where}; expected ${DIVIDER_MARKER}`,
        );
      } else if (marker === 'updated') {
        return malformed(
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
        return malformed(
          `Hunk ${hunkNumber}: found ${ORIGINAL_MARKER} at ${where}; expected ${UPDATED_MARKER}`,
        );
      } else if (marker === 'divider') {
        return malformed(
          `Hunk ${hunkNumber}: found a second ${DIVIDER_MARKER} at ${where}; expected ${UPDATED_MARKER}`,
        );
      } else {
        updated.push(line);
      }
    }
  }

  if (state === 'original') {
    return malformed(`Hunk ${hunks.length + 1} ends without ${DIVIDER_MARKER} and ${UPDATED_MARKER}`);
  }
  if (state === 'updated') {
    return malformed(`Hunk ${hunks.length + 1} ends without ${UPDATED_MARKER}`);
  }
  if (hunks.length === 0) {
    return malformed('No hunk found in the patch');
  }
  return { hunks };
}

/** The hunks of a patch, or a `PatchMalformed` error showing the shape a hunk must have. */
export function parsePatch(patch: string): Hunk[] {
  const reading = readPatch(patch);
  if ('problem' in reading) {
    throw new NamedError('PatchMalformed', `${reading.problem}. Each hunk must look like:\n${PATCH_SHAPE}`);
  }
  return reading.hunks;
}
