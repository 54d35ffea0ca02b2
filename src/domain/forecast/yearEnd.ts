/**
 * The year-end forecast for one municipality (or the region) from its run-off cells.
 *
 * 1. Declared: net amounts of production months in the year, declared by the as-of date.
 * 2. Not yet declared (IBNR) for months up to the as-of month: a monthly run-off triangle (production month ×
 *    lag in months) gives volume-weighted chain-ladder development factors from the last 24 production
 *    months. For months with a developed share ≥ 60%, chain ladder (ultimate = declared ÷ share); for the
 *    newest ones, Bornhuetter–Ferguson: IBNR = a-priori × (1 − share), a-priori = the recent level
 *    (mean ultimate of the 6 months before, seasonally adjusted).
 * 3. Remaining months: level × seasonal index (from previous full years) × damped trend (half of last
 *    year's growth rate).
 * 4. Range (p10–p90): a normal approximation combining the IBNR uncertainty (a coefficient of variation that
 *    grows as the developed share falls) and the remaining months' (the month-to-month spread of past
 *    levels around trend, growing with the horizon). The back-test (backtest.ts) reports how often the
 *    actual falls inside.
 */
import { addMonths, lastDayOfMonth, monthIndex, monthOf, monthsBetween, yearMonths, type MonthKey } from '../month.js';

export interface RunoffCell {
  month: MonthKey;
  declarationMonth: MonthKey;
  amountCents: number;
}

export interface YearEndInput {
  year: number;
  asOf: string;
  cells: RunoffCell[];
  clients?: { month: MonthKey; clients: number }[];
  activeAllocations?: { month: MonthKey; allocations: number; clients: number }[];
}

export interface MonthForecast {
  month: MonthKey;
  declaredCents: number;
  ibnrCents: number;
  remainingCents: number;
  expectedCents: number;
  status: 'complete' | 'developing' | 'future';
}

export interface YearEndForecast {
  year: number;
  asOf: string;
  declaredCents: number;
  ibnrCents: number;
  remainingCents: number;
  forecastCents: number;
  lowCents: number;
  highCents: number;
  months: MonthForecast[];
  method: string;
}

export const MAX_LAG = 12;
export const CL_MIN_SHARE = 0.6;
export const LEVEL_MONTHS = 6;
export const TREND_DAMPING = 0.5;
export const Z80 = 1.2816;
/** Widens the modelled spread to what the back-test on the demo region shows (model uncertainty). */
export const INTERVAL_SCALE = 2.7;

/** Cumulative share declared by lag l (0..MAX_LAG) from production months with full development. */
export function developmentShares(cells: RunoffCell[], asOfMonth: MonthKey): number[] {
  const byMonth = new Map<MonthKey, number[]>();
  for (const c of cells) {
    const lag = monthsBetween(c.month, c.declarationMonth);
    if (lag < 0 || c.declarationMonth > asOfMonth) continue;
    const row = byMonth.get(c.month) ?? Array(MAX_LAG + 1).fill(0);
    row[Math.min(lag, MAX_LAG)] += c.amountCents;
    byMonth.set(c.month, row);
  }
  const factors: number[] = [];
  for (let l = 0; l < MAX_LAG; l++) {
    let num = 0;
    let den = 0;
    for (const [m, row] of byMonth) {
      const age = monthsBetween(m, asOfMonth);
      if (age < l + 1 || age > 36) continue;
      const cumL = row.slice(0, l + 1).reduce((s, v) => s + v, 0);
      den += cumL;
      num += cumL + row[l + 1];
    }
    factors.push(den > 0 ? Math.max(num / den, 1) : 1);
  }
  // share(l) = 1 / Π_{k ≥ l} f_k
  const shares: number[] = Array(MAX_LAG + 1).fill(1);
  for (let l = MAX_LAG - 1; l >= 0; l--) shares[l] = shares[l + 1] / factors[l];
  return shares;
}

/** The last complete declaration month at an as-of date: its own month on the month's last day, else the one before. */
export function devMonthOf(asOf: string): MonthKey {
  const m = monthOf(asOf);
  return asOf >= lastDayOfMonth(m) ? m : addMonths(m, -1);
}

export function forecastYearEnd(input: YearEndInput): YearEndForecast {
  // The development is read from complete declaration months only. When the as-of date falls inside a
  // month, that month's declarations so far count as declared, but not as development: its production
  // month is forecast like a future month, and earlier months are completed from the month before.
  const asOfMonth = devMonthOf(input.asOf);
  const known = input.cells.filter((c) => c.declarationMonth <= monthOf(input.asOf));
  const cells = known.filter((c) => c.declarationMonth <= asOfMonth);
  const shares = developmentShares(cells, asOfMonth);
  const declaredBy = new Map<MonthKey, number>();
  for (const c of cells) declaredBy.set(c.month, (declaredBy.get(c.month) ?? 0) + c.amountCents);
  const declaredAll = new Map<MonthKey, number>();
  for (const c of known) declaredAll.set(c.month, (declaredAll.get(c.month) ?? 0) + c.amountCents);
  const shareAt = (m: MonthKey) => {
    const age = monthsBetween(m, asOfMonth); // declarations dated in the as-of month are in (lag = age)
    return age < 0 ? 0 : shares[Math.min(age, MAX_LAG)];
  };
  // Ultimates of past months (chain ladder), used for level, season and trend.
  const ultimate = new Map<MonthKey, number>();
  for (const [m, d] of declaredBy) {
    const s = shareAt(m);
    if (s >= CL_MIN_SHARE) ultimate.set(m, d / s);
  }
  // Seasonal index per calendar month from previous full years (ratio to that year's monthly mean).
  const season = Array(12).fill(1);
  {
    const sums = Array(12).fill(0);
    const n = Array(12).fill(0);
    for (let y = input.year - 4; y < input.year; y++) {
      const ms = yearMonths(y);
      if (!ms.every((m) => ultimate.has(m))) continue;
      const mean = ms.reduce((s, m) => s + ultimate.get(m)!, 0) / 12;
      if (mean <= 0) continue;
      ms.forEach((m, i) => {
        sums[i] += ultimate.get(m)! / mean;
        n[i]++;
      });
    }
    for (let i = 0; i < 12; i++) if (n[i]) season[i] = sums[i] / n[i];
  }
  const si = (m: MonthKey) => season[Number(m.slice(5, 7)) - 1] || 1;
  // Level (deseasonalised) from the last LEVEL_MONTHS months with a chain-ladder ultimate.
  const recent = [...ultimate.keys()].sort().slice(-LEVEL_MONTHS);
  const level = recent.length ? recent.reduce((s, m) => s + ultimate.get(m)! / si(m), 0) / recent.length : 0;
  const levelMonth = recent.length ? recent[Math.floor(recent.length / 2)] : asOfMonth;
  // Trend: growth of the last 12 months' ultimates over the 12 before, damped.
  const sumRange = (from: MonthKey, to: MonthKey) => {
    let s = 0;
    for (let i = monthIndex(from); i <= monthIndex(to); i++) {
      const m = addMonths(from, i - monthIndex(from));
      if (!ultimate.has(m)) return null;
      s += ultimate.get(m)!;
    }
    return s;
  };
  const lastFull = recent.length ? recent[recent.length - 1] : asOfMonth;
  const a = sumRange(addMonths(lastFull, -11), lastFull);
  const b = sumRange(addMonths(lastFull, -23), addMonths(lastFull, -12));
  const yearly = a !== null && b !== null && b > 0 ? a / b - 1 : 0;
  const monthly = Math.pow(1 + yearly * TREND_DAMPING, 1 / 12) - 1;
  const expected = (m: MonthKey) => Math.max(0, level * si(m) * Math.pow(1 + monthly, monthsBetween(levelMonth, m)));
  // Spread of past months around the level (relative), for the range.
  const resid = recent.map((m) => ultimate.get(m)! / Math.max(1, expected(m)) - 1);
  const monthCv = Math.max(0.07, Math.sqrt(resid.reduce((s, r) => s + r * r, 0) / Math.max(1, resid.length)));

  const months: MonthForecast[] = [];
  let varSum = 0;
  for (const m of yearMonths(input.year)) {
    const declared = declaredBy.get(m) ?? 0;
    const declaredNow = declaredAll.get(m) ?? 0;
    if (m <= asOfMonth) {
      const s = shareAt(m);
      let ibnr: number;
      if (s >= CL_MIN_SHARE) ibnr = declared / s - declared;
      else ibnr = expected(m) * (1 - s); // Bornhuetter–Ferguson
      ibnr = Math.max(0, ibnr);
      const cv = 0.06 + 0.4 * (1 - s);
      varSum += (ibnr * cv) ** 2 + (s < CL_MIN_SHARE ? (expected(m) * (1 - s) * monthCv) ** 2 : 0);
      // Declarations of a partial as-of month reduce what is still to come, never the month's ultimate.
      const open = Math.max(0, declared + ibnr - declaredNow);
      months.push({ month: m, declaredCents: declaredNow, ibnrCents: Math.round(open), remainingCents: 0, expectedCents: Math.round(declaredNow + open), status: s >= 0.999 ? 'complete' : 'developing' });
    } else {
      const e = expected(m);
      const horizon = monthsBetween(asOfMonth, m);
      varSum += (e * monthCv * Math.sqrt(horizon)) ** 2;
      months.push({ month: m, declaredCents: declaredNow, ibnrCents: 0, remainingCents: Math.round(Math.max(0, e - declaredNow)), expectedCents: Math.round(Math.max(e, declaredNow)), status: 'future' });
    }
  }
  const declaredCents = months.reduce((s, m) => s + m.declaredCents, 0);
  const ibnrCents = months.reduce((s, m) => s + m.ibnrCents, 0);
  const remainingCents = months.reduce((s, m) => s + m.remainingCents, 0);
  const forecastCents = declaredCents + ibnrCents + remainingCents;
  const sd = INTERVAL_SCALE * Math.sqrt(varSum);
  return {
    year: input.year,
    asOf: input.asOf,
    declaredCents,
    ibnrCents,
    remainingCents,
    forecastCents,
    lowCents: Math.min(forecastCents, Math.max(declaredCents, Math.round(forecastCents - Z80 * sd))),
    highCents: Math.max(forecastCents, Math.round(forecastCents + Z80 * sd)),
    months,
    method: recent.length
      ? 'chain ladder (maandelijkse run-off) + Bornhuetter–Ferguson voor de nieuwste maanden; resterende maanden: niveau × seizoen × gedempte trend'
      : 'te weinig historie: alleen gedeclareerd',
  };
}
