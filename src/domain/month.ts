/** Months are `YYYY-MM` keys. Dates are `YYYY-MM-DD` strings (calendar dates, no time zone). */
import { at } from './indexing.js';
export type MonthKey = string;
export type IsoDate = string;

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isMonthKey(s: string): boolean {
  return MONTH_RE.test(s);
}

export function parseMonth(s: string): MonthKey {
  if (!MONTH_RE.test(s)) throw new RangeError(`not a month (YYYY-MM): "${s}"`);
  return s;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

export function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    // As Date.UTC counts: years 0-99 are 1900-1999 there.
    const y = year >= 0 && year <= 99 ? 1900 + year : year;
    return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  }
  const days = MONTH_DAYS[month - 1];
  return days ?? new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The value of the ASCII digit at `i` of `s`, or -1 when it is not one. */
function digitAt(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

/** True when `s` is a real calendar date in YYYY-MM-DD form (rejects 2027-06-31). */
export function isIsoDate(s: string): boolean {
  // Read digit by digit (the import checks every date of every line; a RegExp and a Date cost 4× as much).
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  let y = 0;
  for (let i = 0; i < 4; i++) {
    const d = digitAt(s, i);
    if (d < 0) return false;
    y = y * 10 + d;
  }
  const m1 = digitAt(s, 5);
  const m2 = digitAt(s, 6);
  const d1 = digitAt(s, 8);
  const d2 = digitAt(s, 9);
  if (m1 < 0 || m2 < 0 || d1 < 0 || d2 < 0) return false;
  const mo = m1 * 10 + m2;
  const d = d1 * 10 + d2;
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

export function parseIsoDate(s: string, what = 'date'): IsoDate {
  if (!isIsoDate(s)) throw new RangeError(`${what} is not a valid date (YYYY-MM-DD): "${s}"`);
  return s;
}

export function monthOf(date: IsoDate): MonthKey {
  return date.slice(0, 7);
}

export function monthIndex(m: MonthKey): number {
  return Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
}

export function monthFromIndex(i: number): MonthKey {
  const y = Math.floor(i / 12);
  const mo = i - y * 12 + 1;
  return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}`;
}

export function addMonths(m: MonthKey, n: number): MonthKey {
  return monthFromIndex(monthIndex(m) + n);
}

/** Whole months from `a` to `b` (b − a). */
export function monthsBetween(a: MonthKey, b: MonthKey): number {
  return monthIndex(b) - monthIndex(a);
}

export function monthRange(from: MonthKey, to: MonthKey): MonthKey[] {
  const out: MonthKey[] = [];
  for (let i = monthIndex(from); i <= monthIndex(to); i++) out.push(monthFromIndex(i));
  return out;
}

export function yearMonths(year: number): MonthKey[] {
  return monthRange(`${year}-01`, `${year}-12`);
}

export function lastDayOfMonth(m: MonthKey): IsoDate {
  const y = Number(m.slice(0, 4));
  const mo = Number(m.slice(5, 7));
  return `${m}-${String(daysInMonth(y, mo)).padStart(2, '0')}`;
}

/** `22-11-2026` (nl-NL). */
export function formatDateNl(date: IsoDate): string {
  return `${date.slice(8, 10)}-${date.slice(5, 7)}-${date.slice(0, 4)}`;
}

const NL_TIME = new Map<string, Intl.DateTimeFormat>();

/**
 * A moment (ISO timestamp, e.g. `2026-07-01T12:03:09Z`) as Dutch local time: `01-07-2026 14:03` (Europe/Amsterdam,
 * summer time included); with `seconds`, `01-07-2026 14:03:09`.
 */
export function formatDateTimeNl(iso: string, seconds = false, timeZone = 'Europe/Amsterdam'): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const key = `${timeZone}|${seconds}`;
  let f = NL_TIME.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('nl-NL', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      ...(seconds ? { second: '2-digit' } : {}),
      hourCycle: 'h23',
    });
    NL_TIME.set(key, f);
  }
  const p = Object.fromEntries(f.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.day}-${p.month}-${p.year} ${p.hour}:${p.minute}${seconds ? `:${p.second}` : ''}`;
}

/** The calendar day `n` days after `date` (YYYY-MM-DD). */
export function addDays(date: IsoDate, n: number): IsoDate {
  const t =
    Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) + n * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** The UTC instant (ISO) at which a local calendar day begins (Europe/Amsterdam by default): `2026-07-01` → `2026-06-30T22:00:00.000Z`. */
export function localDayStartUtc(date: IsoDate, timeZone = 'Europe/Amsterdam'): string {
  const guess = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  const local = formatDateTimeNl(new Date(guess).toISOString(), true, timeZone); // dd-mm-jjjj uu:mm:ss
  const parts = local.split(' ');
  const d = at(parts, 0);
  const t = at(parts, 1);
  const asUtc = Date.UTC(
    Number(d.slice(6, 10)),
    Number(d.slice(3, 5)) - 1,
    Number(d.slice(0, 2)),
    Number(t.slice(0, 2)),
    Number(t.slice(3, 5)),
    Number(t.slice(6, 8)),
  );
  return new Date(guess - (asUtc - guess)).toISOString();
}

/** Dutch month names, January first. */
export const NL_MONTHS: readonly string[] = [
  'januari',
  'februari',
  'maart',
  'april',
  'mei',
  'juni',
  'juli',
  'augustus',
  'september',
  'oktober',
  'november',
  'december',
];
const NL_MONTHS_SHORT = ['jan', 'feb', 'mrt', 'apr', 'mei', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'];

/** `maart 2026`. */
export function formatMonthNl(m: MonthKey, short = false): string {
  const names = short ? NL_MONTHS_SHORT : NL_MONTHS;
  return `${names[Number(m.slice(5, 7)) - 1]} ${m.slice(0, 4)}`;
}

/**
 * A period of months as people read it: `september 2025` (one month), `2025` (a whole calendar year),
 * `januari t/m september 2025` (within a year), `december 2024 t/m februari 2025` (across years).
 */
export function formatPeriodNl(from: MonthKey, to: MonthKey): string {
  if (from === to) return formatMonthNl(from);
  const [fy, ty] = [from.slice(0, 4), to.slice(0, 4)];
  if (fy === ty && from.slice(5) === '01' && to.slice(5) === '12') return fy;
  if (fy === ty) return `${NL_MONTHS[Number(from.slice(5, 7)) - 1]} t/m ${formatMonthNl(to)}`;
  return `${formatMonthNl(from)} t/m ${formatMonthNl(to)}`;
}
