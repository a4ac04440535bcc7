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

// A line standing for unchanged code the model left out, as gptme reads it: optional indentation,
// a comment marker (`#`, `//`, or vim's `"`), one space and three dots ("# ...", "// ... rest").
const PLACEHOLDER = /^[ \t]*(?:#|\/\/|") \.\.\./;

export function isPlaceholderLine(line: string): boolean {
  return PLACEHOLDER.test(line);
}

/** The runs of lines between placeholder lines (as many runs as placeholders, plus one). */
function runsBetweenPlaceholders(lines: readonly string[]): string[][] {
  const runs: string[][] = [[]];
  for (const line of lines) {
    if (isPlaceholderLine(line)) runs.push([]);
    else runs.at(-1)?.push(line);
  }
  return runs;
}

function sameLines(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((line, index) => line === b[index]);
}

/**
 * A hunk with placeholder lines is several smaller changes, as in gptme: the runs of lines between
 * its placeholders pair up (ORIGINAL's first with UPDATED's first, and so on), a run that is the
 * same on both sides stands for itself and is skipped, and each other pair is a change of its own.
 * A hunk without placeholders is its only part. Call on hunks `readPatch` accepted (same number of
 * placeholders on both sides).
 */
export function hunkParts(hunk: Hunk): Hunk[] {
  const originals = runsBetweenPlaceholders(hunk.original);
  if (originals.length === 1) return [hunk];
  const updates = runsBetweenPlaceholders(hunk.updated);
  return originals.flatMap((original, index) => {
    const updated = updates[index] ?? [];
    return sameLines(original, updated) ? [] : [{ original, updated }];
  });
}

/** Why a hunk's placeholder lines cannot be read as "unchanged code here", if they cannot. */
function placeholderProblem(hunk: Hunk, hunkNumber: number): string | undefined {
  const inOriginal = hunk.original.filter(isPlaceholderLine).length;
  const inUpdated = hunk.updated.filter(isPlaceholderLine).length;
  if (inOriginal !== inUpdated) {
    return (
      `Hunk ${hunkNumber} has ${inOriginal} placeholder line(s) such as "# ..." in ORIGINAL and ` +
      `${inUpdated} in UPDATED. A placeholder stands for unchanged lines, so it must appear at the same ` +
      'place on both sides; or write the lines out in full'
    );
  }
  const originals = runsBetweenPlaceholders(hunk.original);
  const updates = runsBetweenPlaceholders(hunk.updated);
  const empty = originals.findIndex((run, index) => run.length === 0 && (updates[index]?.length ?? 0) > 0);
  if (inOriginal > 0 && empty !== -1) {
    return (
      `Hunk ${hunkNumber}: UPDATED adds lines ${empty === 0 ? 'before its first placeholder line' : `after placeholder line ${empty}`} ` +
      'where ORIGINAL has none to find the place by; copy the line next to them from the file into both ' +
      'ORIGINAL and UPDATED'
    );
  }
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
        const problem = placeholderProblem({ original, updated }, hunkNumber);
        if (problem !== undefined) return malformed(problem);
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
