/**
 * "Even ver gedeclareerd" (like for like): an earlier period compared with a later one as each was known the
 * same time after its own end, so the later one does not look smaller only because its declarations are still
 * coming in. The one place the declaration cut-offs of both sides are computed: Kostendrijvers (page, API,
 * CLI), the A4, the monthly report and the Burap all take them from here.
 */
import {
  addMonths,
  daysInMonth,
  lastDayOfMonth,
  monthOf,
  monthsBetween,
  type IsoDate,
  type MonthKey,
} from '../month.js';

/** The declaration cut-off of each side: lines declared after it do not count. */
export interface LikeForLikeCutoffs {
  /** The earlier period as known at the end of this day. */
  beforeAsOf: IsoDate;
  /** The later period as known at the end of this day. */
  afterAsOf: IsoDate;
}

/**
 * The same moment `months` months earlier (negative) or later. The rule:
 * - a month's last day is that month's last day: 31-10-2026 → 31-10-2025, 30-09-2026 → 30-09-2025,
 *   28-02-2029 → 29-02-2028 (a whole month declared is a whole month declared);
 * - any other day is the same day of the month: 17-10-2026 → 17-10-2025, 28-02-2028 → 28-02-2027
 *   (29-02-2028 is a month's last day: → 28-02-2027).
 * Both periods of a comparison end on a month's last day, so either way both sides carry the same number of
 * days (and the same calendar day) of declarations after their end.
 */
export function sameMomentShifted(date: IsoDate, months: number): IsoDate {
  const m = addMonths(monthOf(date), months);
  if (date === lastDayOfMonth(monthOf(date))) return lastDayOfMonth(m);
  const day = Math.min(Number(date.slice(8, 10)), daysInMonth(Number(m.slice(0, 4)), Number(m.slice(5, 7))));
  return `${m}-${String(day).padStart(2, '0')}`;
}

/**
 * The cut-offs of a like-for-like comparison of the period ending `beforeTo` with the one ending `afterTo`, the
 * later known up to `asOf`: the earlier is known up to the same moment as many months before as its end lies
 * before the later's end (for last year's same months: the same day a year earlier, see sameMomentShifted).
 * Example: January–September 2026 declared up to 17-10-2026 against January–September 2025 declared up to
 * 17-10-2025.
 */
export function likeForLikeCutoffs(beforeTo: MonthKey, afterTo: MonthKey, asOf: IsoDate): LikeForLikeCutoffs {
  return { beforeAsOf: sameMomentShifted(asOf, -monthsBetween(beforeTo, afterTo)), afterAsOf: asOf };
}
