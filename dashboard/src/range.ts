/**
 * The time range every view shares: 24 h, 7 d, 30 d or custom dates (UTC). Ranges are aligned
 * to whole hours because the analytics are hourly rollups; the previous period is the same
 * length just before it, for the trend figures. Long ranges are charted by day, short by hour.
 */

export type Preset = '24h' | '7d' | '30d' | 'custom';

export interface RangeChoice {
  preset: Preset;
  /** YYYY-MM-DD, inclusive, for `custom`. */
  fromDay?: string;
  toDay?: string;
}

export interface Range {
  from: number;
  to: number;
  prevFrom: number;
  bucket: 'hour' | 'day';
  label: string;
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const HOURS: Record<Exclude<Preset, 'custom'>, number> = { '24h': 24, '7d': 7 * 24, '30d': 30 * 24 };

export function resolveRange(choice: RangeChoice, now = Date.now()): Range {
  let from: number;
  let to: number;
  if (choice.preset === 'custom' && choice.fromDay && choice.toDay) {
    from = Date.parse(`${choice.fromDay}T00:00:00Z`);
    to = Date.parse(`${choice.toDay}T00:00:00Z`) + DAY;
    if (!(to > from)) to = from + DAY;
  } else {
    const hours = HOURS[choice.preset === 'custom' ? '24h' : choice.preset];
    to = now;
    from = Math.floor(now / HOUR) * HOUR - (hours - 1) * HOUR;
  }
  const span = to - from;
  const label = choice.preset === 'custom' ? `${choice.fromDay ?? ''} – ${choice.toDay ?? ''}` : `last ${choice.preset}`;
  return { from, to, prevFrom: from - span, bucket: span > 2 * DAY ? 'day' : 'hour', label };
}

/** Every bucket start in the range, so charts show empty hours as zero instead of skipping them. */
export function bucketStarts(range: Range): number[] {
  const step = range.bucket === 'day' ? DAY : HOUR;
  const out: number[] = [];
  for (let t = Math.floor(range.from / step) * step; t < range.to && out.length < 800; t += step) out.push(t);
  return out;
}

export function bucketOf(range: Range, time: number): number {
  const step = range.bucket === 'day' ? DAY : HOUR;
  return Math.floor(time / step) * step;
}

export function bucketLabel(range: Range, t: number): string {
  const iso = new Date(t).toISOString();
  return range.bucket === 'day' ? iso.slice(5, 10) : `${iso.slice(5, 10)} ${iso.slice(11, 13)}h`;
}

/** The bucket start of an analytics row (its `hour` or `day` key). */
export function rowTime(row: { hour?: string; day?: string }): number {
  if (row.hour) return Date.parse(row.hour);
  if (row.day) return Date.parse(`${row.day}T00:00:00Z`);
  return NaN;
}
