const MAX_LENGTH = 120;
// Windows opens a device, not a file, for these names whatever the extension.
const DEVICE_NAME = /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i;

/**
 * A name that stays one plain file inside the folder it is written to on every platform: no
 * separators, no leading dot (never `.`, `..` or hidden), nothing Windows refuses, bounded length.
 */
export function safeFileName(name: string, fallback = 'artifact'): string {
  let cleaned = name
    .normalize('NFC')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._-]+/, '')
    .replace(/\.+$/, '');
  if (!cleaned) return fallback;
  if (DEVICE_NAME.test(cleaned)) cleaned = `_${cleaned}`;
  // Stryker disable next-line EqualityOperator: a name of exactly MAX_LENGTH comes out of the cut below unchanged
  if (cleaned.length <= MAX_LENGTH) return cleaned;
  // Keep the extension: it tells the user (and their editor) what the file is.
  const dot = cleaned.lastIndexOf('.');
  // No leading dot survives the cleaning, and without a dot (-1) so long a name fails the length test.
  const ext = cleaned.length - dot <= 16 ? cleaned.slice(dot) : '';
  return cleaned.slice(0, MAX_LENGTH - ext.length) + ext;
}

/** `out.txt`, `out-1.txt`, `out-2.txt`, ...: the n-th name to try when the first is taken. */
export function numberedFileName(name: string, n: number): string {
  if (n === 0) return name;
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)}-${n}${name.slice(dot)}` : `${name}-${n}`;
}
