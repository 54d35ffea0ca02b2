/**
 * The year-end forecast for one municipality (or the region) from its run-off cells, at any as-of date.
 *
 * 1. Declared: net amounts of the year's production months declared on or before the as-of date.
 * 2. Development at the same point in the past. For a production month m that is k months old at the as-of
 *    date D (k = months from m to D's month), the comparable point of an older month m' is the same day of
 *    month m' + k (the month's last day when D is a month's last day). The share of a month declared by
 *    "lag k at day d" is measured on the last WINDOW_MONTHS production months (volume-weighted chain
 *    ladder between consecutive points). A point at which history shows nothing declared has share 0 — the
 *    newest month then gets its full expected cost, never a share it does not have.
 * 3. Not yet declared (IBNR) for months up to the as-of month: months with a developed share ≥ CL_MIN_SHARE
 *    by chain ladder (ultimate = declared ÷ share); the newer ones by Bornhuetter–Ferguson: IBNR = a-priori ×
 *    (1 − share), where the a-priori is the level × season × trend below.
 * 4. Remaining months: level (deseasonalised mean of the newest well-developed months) × seasonal index
 *    (from previous full years) × trend (the growth of the last 12 months' ultimates over the 12 before,
 *    damped by TREND_DAMPING).
 * 5. Range: the model's own spread (sdCents: IBNR and remaining months) is a scale only. The 80% interval
 *    comes from the back-test's own errors at the same as-of month, standardised by that scale (see
 *    calibration.ts): without a calibration, the normal approximation of the model spread is shown and
 *    said to be untested.
 * The parameters were chosen on one generated region and judged on another (README, "Prognose").
 */
import { at } from '../indexing.js';
import {
  addMonths,
  lastDayOfMonth,
  monthOf,
  monthsBetween,
  yearMonths,
  type IsoDate,
  type MonthKey,
} from '../month.js';

export interface RunoffCell {
  month: MonthKey;
  declarationMonth: MonthKey;
  /** The declaration's date (DeclaratieDagtekening); without it, the first day of the declaration month. */
  declarationDate?: IsoDate;
  amountCents: number;
}

/** Quantiles of the standardised back-test error, (actual − forecast) ÷ model spread, per as-of month. */
export interface IntervalCalibration {
  /** asOfMonth (1..12, months of the year elapsed at the as-of date) → [q10, q90] */
  quantiles: Record<number, [number, number]>;
  /** The back-test cases the quantiles rest on, per as-of month. */
  cases: Record<number, number>;
  /** The standardised errors themselves, sorted, per as-of month: the predictive distribution. */
  z: Record<number, number[]>;
  years: number[];
}

export interface YearEndInput {
  year: number;
  asOf: IsoDate;
  cells: RunoffCell[];
  calibration?: IntervalCalibration | null;
  params?: Partial<ForecastParams>;
  /**
   * The region's season and growth (from the region's own forecast): a municipality's own are noisy, so its
   * season is the region's and its trend is shrunk towards the region's (ForecastParams.ownTrendWeight).
   */
  pooled?: { season: number[]; yearlyGrowth: number } | null;
  /** Parts held fixed (the explanation of a revision): the development shares and/or the a-priori per month. */
  override?: { shares?: number[]; prior?: Record<MonthKey, number> };
  clients?: { month: MonthKey; clients: number }[];
  activeAllocations?: { month: MonthKey; allocations: number; clients: number }[];
}

export interface MonthForecast {
  month: MonthKey;
  declaredCents: number;
  ibnrCents: number;
  remainingCents: number;
  expectedCents: number;
  /** The developed share at the as-of date (0..1): 1 for complete months, 0 for future ones. */
  share: number;
  status: 'complete' | 'developing' | 'future';
}

export interface YearEndForecast {
  year: number;
  asOf: IsoDate;
  declaredCents: number;
  ibnrCents: number;
  remainingCents: number;
  forecastCents: number;
  lowCents: number;
  highCents: number;
  /** The seasonal index used (12 values) and the yearly growth of the trend: the pooled inputs for municipalities. */
  season: number[];
  yearlyGrowth: number;
  /** The model's own spread (one standard deviation, in cents): the scale of the calibrated interval. */
  sdCents: number;
  /** How the interval was made: from the back-test's errors, or the untested model spread. */
  interval: 'backtest' | 'model';
  months: MonthForecast[];
  /** The a-priori per month of the year (level × season × trend), for the explanation of revisions. */
  priorCents: Record<MonthKey, number>;
  /** The same a-priori unrounded (fractions of a cent): held fixed in the explanation, so that nothing moves by rounding. */
  priorExact: Record<MonthKey, number>;
  /** The development shares by lag at the as-of day (index = months since the production month). */
  shares: number[];
  method: string;
}

export const METHOD_VERSION = 'grip-yearend-2';
export const MAX_LAG = 14;
export const WINDOW_MONTHS = 36;
export const CL_MIN_SHARE = 0.4;
export const LEVEL_MONTHS = 3;
export const TREND_DAMPING = 1;
export const OWN_TREND_WEIGHT = 0.25;

/** The method's tuning parameters (defaults above; the back-test on a tuning region chose them). */
export interface ForecastParams {
  clMinShare: number;
  levelMonths: number;
  trendDamping: number;
  /** Weight of the entity's own trend against the pooled (region's) one, when given. */
  ownTrendWeight: number;
}
export const DEFAULT_PARAMS: ForecastParams = {
  clMinShare: CL_MIN_SHARE,
  levelMonths: LEVEL_MONTHS,
  trendDamping: TREND_DAMPING,
  ownTrendWeight: OWN_TREND_WEIGHT,
};
const envParams = (): Partial<ForecastParams> =>
  typeof process !== 'undefined' && process.env.GRIP_FORECAST_PARAMS
    ? (JSON.parse(process.env.GRIP_FORECAST_PARAMS) as Partial<ForecastParams>)
    : {};
export const Z80 = 1.2816;

/** The date of D's point in month `m`: the same day of the month (clamped), or the last day when D is one. */
export function pointIn(asOf: IsoDate, m: MonthKey): IsoDate {
  const last = lastDayOfMonth(m);
  if (asOf === lastDayOfMonth(monthOf(asOf))) return last;
  const day = `${m}-${asOf.slice(8, 10)}`;
  return day < last ? day : last;
}

const dateOf = (c: RunoffCell) => c.declarationDate ?? `${c.declarationMonth}-01`;

/** Per production month: its cells' (date, amount), sorted by date. */
function byProductionMonth(cells: RunoffCell[]): Map<MonthKey, { date: IsoDate; cents: number }[]> {
  const out = new Map<MonthKey, { date: IsoDate; cents: number }[]>();
  for (const c of cells) {
    const list = out.get(c.month);
    const e = { date: dateOf(c), cents: c.amountCents };
    if (list) list.push(e);
    else out.set(c.month, [e]);
  }
  for (const list of out.values()) list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return out;
}

function cumulative(list: { date: IsoDate; cents: number }[], by: IsoDate): number {
  let s = 0;
  for (const e of list) {
    if (e.date > by) break;
    s += e.cents;
  }
  return s;
}

/**
 * Cumulative share declared by lag k (0..MAX_LAG) at the as-of date's day, measured on the production months
 * of the last WINDOW_MONTHS whose point at lag k + 1 has passed. share[MAX_LAG] = 1.
 */
export function developmentShares(cells: RunoffCell[], asOf: IsoDate, dayOf: IsoDate = asOf): number[] {
  // `dayOf` gives the day of the month the points are read at (default: the as-of date's own); only points
  // on or before `asOf` are read. The explanation of a revision reads an earlier date's data at a later day.
  const asOfMonth = monthOf(asOf);
  const rows = byProductionMonth(cells.filter((c) => dateOf(c) <= asOf));
  const cum = new Map<MonthKey, number[]>();
  for (const [m, list] of rows) {
    const age = monthsBetween(m, asOfMonth);
    if (age < 1 || age > WINDOW_MONTHS) continue;
    const row: number[] = [];
    for (let k = 0; k <= MAX_LAG; k++) {
      const point = pointIn(dayOf, addMonths(m, k));
      if (point > asOf) break;
      row.push(cumulative(list, point));
    }
    cum.set(m, row);
  }
  const shares = new Array<number>(MAX_LAG + 1).fill(1);
  for (let k = MAX_LAG - 1; k >= 0; k--) {
    let num = 0;
    let den = 0;
    for (const row of cum.values()) {
      if (row.length < k + 2) continue; // the point at lag k + 1 has not passed yet
      num += at(row, k);
      den += at(row, k + 1);
    }
    const ratio = den > 0 ? Math.min(1, Math.max(0, num / den)) : 0;
    shares[k] = at(shares, k + 1) * ratio;
  }
  return shares;
}

/** The last complete declaration month at an as-of date: its own month on the month's last day, else the one before. */
export function devMonthOf(asOf: string): MonthKey {
  const m = monthOf(asOf);
  return asOf >= lastDayOfMonth(m) ? m : addMonths(m, -1);
}

/** Months of the year elapsed at the as-of date, counting a month as elapsed when its first day has passed (1..12). */
export function asOfMonthNumber(year: number, asOf: IsoDate): number {
  const k = monthsBetween(`${year}-01`, monthOf(asOf)) + 1;
  return Math.max(1, Math.min(12, k));
}

export function forecastYearEnd(input: YearEndInput): YearEndForecast {
  const P: ForecastParams = { ...DEFAULT_PARAMS, ...envParams(), ...input.params };
  const asOf = input.asOf;
  const asOfMonth = monthOf(asOf);
  const known = input.cells.filter((c) => dateOf(c) <= asOf);
  const shares = input.override?.shares ?? developmentShares(known, asOf);
  const shareAt = (m: MonthKey) => {
    const age = monthsBetween(m, asOfMonth);
    return age < 0 ? 0 : at(shares, Math.min(age, MAX_LAG));
  };
  const declared = new Map<MonthKey, number>();
  for (const c of known) declared.set(c.month, (declared.get(c.month) ?? 0) + c.amountCents);

  // Ultimates of past months (chain ladder where well developed), used for level, season and trend.
  const ultimate = new Map<MonthKey, number>();
  for (const [m, d] of declared) {
    const s = shareAt(m);
    if (s >= P.clMinShare && m <= asOfMonth) ultimate.set(m, d / s);
  }
  // Seasonal index per calendar month from previous full years: each month's ratio to its year's monthly
  // mean, with the year's own growth taken out (else a growing series reads as a rising season and the trend
  // is counted twice: December too high, January too low).
  const season = new Array<number>(12).fill(1);
  {
    const sums = new Array<number>(12).fill(0);
    const n = new Array<number>(12).fill(0);
    const yearTotal = (y: number) => {
      const ms = yearMonths(y);
      return ms.every((m) => ultimate.has(m)) ? ms.reduce((s, m) => s + ultimate.get(m)!, 0) : null;
    };
    for (let y = input.year - 4; y < input.year; y++) {
      const t = yearTotal(y);
      if (t === null || t <= 0) continue;
      const before = yearTotal(y - 1);
      const after = yearTotal(y + 1);
      // The year's growth: against the year before, else the year after (else none).
      const g = before && before > 0 ? t / before : after && after > 0 ? after / t : 1;
      const mean = t / 12;
      yearMonths(y).forEach((m, i) => {
        sums[i] = at(sums, i) + ultimate.get(m)! / (mean * Math.pow(g, (i - 5.5) / 12));
        n[i] = at(n, i) + 1;
      });
    }
    for (let i = 0; i < 12; i++) {
      const count = at(n, i);
      if (count) season[i] = at(sums, i) / count;
    }
    if (input.pooled) input.pooled.season.forEach((v, i) => (season[i] = v));
  }
  const si = (m: MonthKey) => season[Number(m.slice(5, 7)) - 1] || 1;
  // Level (deseasonalised) from the newest LEVEL_MONTHS months with a chain-ladder ultimate.
  const recent = [...ultimate.keys()].sort().slice(-P.levelMonths);
  const level = recent.length ? recent.reduce((s, m) => s + ultimate.get(m)! / si(m), 0) / recent.length : 0;
  // The level is the mean of the recent months: it stands for their middle (a fractional month index).
  const levelBase = recent[0] ?? asOfMonth;
  const levelAt = recent.length ? recent.reduce((s, m) => s + monthsBetween(levelBase, m), 0) / recent.length : 0;
  // Trend: growth of the last 12 months' ultimates over the 12 before.
  const sumRange = (to: MonthKey, n: number) => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const u = ultimate.get(addMonths(to, -i));
      if (u === undefined) return null;
      s += u;
    }
    return s;
  };
  const lastFull = recent[recent.length - 1] ?? asOfMonth;
  const a = sumRange(lastFull, 12);
  const b = sumRange(addMonths(lastFull, -12), 12);
  const ownYearly = a !== null && b !== null && b > 0 && a > 0 ? a / b - 1 : 0;
  const yearly = input.pooled
    ? P.ownTrendWeight * ownYearly + (1 - P.ownTrendWeight) * input.pooled.yearlyGrowth
    : ownYearly;
  const monthly = Math.pow(1 + yearly * P.trendDamping, 1 / 12) - 1;
  const modelled = (m: MonthKey) =>
    Math.max(0, level * si(m) * Math.pow(1 + monthly, monthsBetween(levelBase, m) - levelAt));
  const fixedPrior = input.override?.prior;
  const expected = (m: MonthKey) => (fixedPrior && fixedPrior[m] !== undefined ? fixedPrior[m] : modelled(m));
  // Spread of past months around the level (relative): the scale of the range.
  const resid = recent.map((m) => ultimate.get(m)! / Math.max(1, expected(m)) - 1);
  const monthCv = Math.max(0.03, Math.sqrt(resid.reduce((s, r) => s + r * r, 0) / Math.max(1, resid.length)));

  const months: MonthForecast[] = [];
  const priorCents: Record<MonthKey, number> = {};
  const priorExact: Record<MonthKey, number> = {};
  let varSum = 0;
  for (const m of yearMonths(input.year)) {
    const d = declared.get(m) ?? 0;
    const e = expected(m);
    priorCents[m] = Math.round(e);
    priorExact[m] = e;
    if (m <= asOfMonth) {
      const s = shareAt(m);
      let ibnr = s >= P.clMinShare ? d / s - d : e * (1 - s); // chain ladder, else Bornhuetter–Ferguson
      ibnr = Math.max(0, ibnr);
      const cv = 0.04 + 0.3 * (1 - s);
      varSum += (ibnr * cv) ** 2 + (s < P.clMinShare ? (e * (1 - s) * monthCv) ** 2 : 0);
      months.push({
        month: m,
        declaredCents: d,
        ibnrCents: Math.round(ibnr),
        remainingCents: 0,
        expectedCents: d + Math.round(ibnr),
        share: s,
        status: s >= 0.999 ? 'complete' : 'developing',
      });
    } else {
      const horizon = monthsBetween(asOfMonth, m);
      varSum += (e * monthCv * Math.sqrt(horizon)) ** 2;
      const remaining = Math.round(Math.max(0, e - d));
      months.push({
        month: m,
        declaredCents: d,
        ibnrCents: 0,
        remainingCents: remaining,
        expectedCents: d + remaining,
        share: 0,
        status: 'future',
      });
    }
  }
  const declaredCents = months.reduce((s, m) => s + m.declaredCents, 0);
  const ibnrCents = months.reduce((s, m) => s + m.ibnrCents, 0);
  const remainingCents = months.reduce((s, m) => s + m.remainingCents, 0);
  const forecastCents = declaredCents + ibnrCents + remainingCents;
  const sd = Math.sqrt(varSum);
  const q = input.calibration?.quantiles[asOfMonthNumber(input.year, asOf)];
  const [qLow, qHigh] = q ?? [-Z80, Z80];
  const low = Math.round(forecastCents + Math.min(0, qLow) * sd);
  const high = Math.round(forecastCents + Math.max(0, qHigh) * sd);
  return {
    year: input.year,
    asOf,
    declaredCents,
    ibnrCents,
    remainingCents,
    forecastCents,
    lowCents: Math.min(forecastCents, Math.max(declaredCents, low)),
    highCents: Math.max(forecastCents, high),
    sdCents: Math.round(sd),
    season,
    yearlyGrowth: ownYearly,
    interval: q ? 'backtest' : 'model',
    months,
    priorCents,
    priorExact,
    shares,
    method: recent.length
      ? 'chain ladder op de run-off (ontwikkeling gemeten op hetzelfde punt in eerdere maanden) + Bornhuetter–Ferguson voor de nieuwste maanden; resterende maanden: niveau × seizoen × trend'
      : 'te weinig historie: alleen gedeclareerd',
  };
}

/** The standard normal distribution function (Abramowitz–Stegun 7.1.26, |error| < 1.5e-7). */
function normalCdf(x: number): number {
  const t = 1 / (1 + 0.3275911 * (Math.abs(x) / Math.SQRT2));
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + y) / 2 : (1 - y) / 2;
}

/**
 * P(final total > threshold): from the back-test's standardised errors at this as-of month (the share of past
 * cases whose error would put the total above it, (k + ½) ÷ (n + 1): never a certain 0 or 1), else the
 * normal approximation of the model spread. Once everything is declared (no spread), 0 or 1.
 */
export function chanceAbove(
  f: Pick<YearEndForecast, 'forecastCents' | 'sdCents' | 'year' | 'asOf'>,
  thresholdCents: number,
  calibration: IntervalCalibration | null | undefined,
): number {
  if (f.sdCents <= 0) return f.forecastCents > thresholdCents ? 1 : 0;
  const t = (thresholdCents - f.forecastCents) / f.sdCents;
  const z = calibration?.z[asOfMonthNumber(f.year, f.asOf)];
  if (z && z.length) {
    const above = z.filter((x) => x > t).length;
    return (above + 0.5) / (z.length + 1);
  }
  return 1 - normalCdf(t);
}
