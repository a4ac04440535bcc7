// gptme reads a timestamp with dateutil's isoparse: a date, optionally a time (seconds and a
// fraction optional), optionally a zone. It writes naive local times (`datetime.now()`), so a
// timestamp without a zone is local time, as it was for the gptme that wrote it.
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?)?(?:(Z)|([+-])(\d{2})(?::?(\d{2}))?)?$/;

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * The instant a gptme timestamp names, as Deskmate keeps it (ISO 8601 in UTC), or `undefined` when
 * gptme could not read it either.
 */
export function parseGptmeTimestamp(value: string): string | undefined {
  const m = ISO.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  const offsetHours = Number(m[10] ?? 0);
  const offsetMinutes = Number(m[11] ?? 0);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return undefined;
  if (m[8] === undefined && m[9] === undefined) {
    return new Date(year, month - 1, day, hour, minute, second, ms).toISOString();
  }
  const sign = m[9] === '-' ? -1 : 1;
  const offset = sign * (offsetHours * 60 + offsetMinutes) * 60_000;
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms) - offset).toISOString();
}
