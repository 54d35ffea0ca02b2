/**
 * Dutch (nl-NL) formatting of figures, the one place for it: the web pages, the reports and the domain's
 * sentences all show amounts, percentages, counts, dates and months through these functions. Pure.
 *
 * Amounts: `€ 1.234` (whole euros) or `€ 1.234,56` (to the cent); a negative amount has a hyphen-minus
 * before the euro sign, `-€ 1.234` — the form the dashboards, the exports' number format (`-€ #,##0.00`)
 * and the spreadsheets a region copies figures into all read back as a number. Percentages `4,2%`; a signed
 * figure is `+4,2%` / `-3,1%`. Dates `22-11-2026`, months `november 2026`, periods
 * `januari t/m september 2025`. "Not defined" is `—`.
 */
import { formatDateNl, formatDateTimeNl, formatMonthNl, formatPeriodNl } from '../month.js';

export { formatDateNl as date, formatDateTimeNl as dateTime, formatMonthNl as month, formatPeriodNl as period };

/** The minus sign of every negative figure shown (hyphen-minus; see the top of this file). */
export const MINUS = '-';
/** Shown for a figure that is not defined (no budget, division by zero, …). */
export const NOT_DEFINED = '—';

const WHOLE = new Intl.NumberFormat('nl-NL', { maximumFractionDigits: 0 });
const CENTS = new Intl.NumberFormat('nl-NL', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const FIXED = new Map<number, Intl.NumberFormat>();

/** A number with exactly `digits` decimals, nl-NL grouping: `1.234,5`. */
export function decimal(x: number, digits: number): string {
  let f = FIXED.get(digits);
  if (!f) {
    f = new Intl.NumberFormat('nl-NL', { minimumFractionDigits: digits, maximumFractionDigits: digits });
    FIXED.set(digits, f);
  }
  return f.format(x);
}

/** `€ 1.235` / `-€ 1.235`: cents rounded to whole euros (half away from zero). */
export function euroRounded(cents: number): string {
  return `${cents < 0 ? MINUS : ''}€ ${WHOLE.format(Math.round(Math.abs(cents) / 100))}`;
}

/** `€ 1.234,56` / `-€ 1.234,56`: to the cent. */
export function euroCents(cents: number): string {
  return `${cents < 0 ? MINUS : ''}€ ${CENTS.format(Math.abs(cents) / 100)}`;
}

/** Whole euros, `—` when there is no amount. */
export function euro(cents: number | null | undefined): string {
  return cents === null || cents === undefined ? NOT_DEFINED : euroRounded(cents);
}

/** `+€ 12.345` / `-€ 12.345` / `€ 0` (zero when it rounds to zero euros). */
export function signedEuro(cents: number): string {
  if (Math.round(cents / 100) === 0) return '€ 0';
  return `${cents > 0 ? '+' : ''}${euroRounded(cents)}`;
}

/**
 * `€ 9,7 mln`, `-€ 1,25 mld` — compact where space is tight; amounts below a million as whole euros.
 * `extra` adds decimals (to tell two close amounts apart).
 */
export function compactEuro(cents: number, extra = 0): string {
  const euros = Math.abs(cents) / 100;
  const sign = cents < 0 ? MINUS : '';
  if (euros >= 1e9) return `${sign}€ ${decimal(euros / 1e9, 2 + extra)} mld`;
  if (euros >= 1e6) return `${sign}€ ${decimal(euros / 1e6, (euros >= 1e8 ? 0 : 1) + extra)} mln`;
  return euroRounded(cents);
}

/** `4,2%` from a fraction (0.042); `—` when not defined. */
export function pct(fraction: number | null | undefined, digits = 1): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return NOT_DEFINED;
  return `${decimal(fraction * 100, digits)}%`;
}

/** `+4,2%` / `-3,1%` / `0,0%` from a fraction; `—` when not defined. */
export function signedPct(fraction: number | null | undefined, digits = 1): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return NOT_DEFINED;
  return `${fraction > 0 ? '+' : ''}${pct(fraction, digits)}`;
}

/** `1.234` (a whole number, nl-NL grouping; rounds). */
export function int(n: number): string {
  return WHOLE.format(n);
}
