export type DateGroupLabel = 'Today' | 'Yesterday' | 'Last 7 days' | 'Older';

export interface DateGroup<T> {
  label: DateGroupLabel;
  items: T[];
}

const ORDER: readonly DateGroupLabel[] = ['Today', 'Yesterday', 'Last 7 days', 'Older'];

/**
 * Which group a time falls in, by the calendar days of the local clock (not 24-hour spans: at
 * 00:10, something from 23:50 was yesterday). A time in the future (another machine's clock)
 * counts as today; an unreadable one as older.
 */
export function dateGroupOf(iso: string, now: Date): DateGroupLabel {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return 'Older';
  // Built from the date's fields, so a day that is 23 or 25 hours long (DST) still starts at midnight.
  const day = (offset: number) =>
    new Date(now.getFullYear(), now.getMonth(), now.getDate() - offset).getTime();
  if (time >= day(0)) return 'Today';
  if (time >= day(1)) return 'Yesterday';
  if (time >= day(7)) return 'Last 7 days';
  return 'Older';
}

/** Groups items (kept in their given order) under Today, Yesterday, Last 7 days and Older; empty groups are left out. */
export function groupByDate<T extends { updatedAt: string }>(
  items: readonly T[],
  now: Date,
): Array<DateGroup<T>> {
  const groups = new Map<DateGroupLabel, T[]>();
  for (const item of items) {
    const label = dateGroupOf(item.updatedAt, now);
    groups.set(label, [...(groups.get(label) ?? []), item]);
  }
  return ORDER.filter((label) => groups.has(label)).map((label) => ({ label, items: groups.get(label)! }));
}
