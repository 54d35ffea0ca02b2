/**
 * Back-test of the year-end forecast, rolling origin: for every past year whose run-off is complete
 * (at least RUNOFF_MONTHS months after its end in the data), the forecast made at each as-of month with only
 * what was known then, against the year's final total. Beside it the two methods a controller would use:
 * the naive run-rate (declared × 12 ÷ months) and last year's ratio (last year's total × this year's
 * declared to date ÷ last year's declared at the same point).
 *
 * The 80% interval is calibrated on these errors (calibrate): per as-of month, the 10% and 90% quantiles of
 * the standardised error (actual − forecast) ÷ model spread, over the municipalities and years, with the
 * neighbouring as-of months pooled in. The back-test itself is judged out of sample: the interval of year Y
 * comes from the years before Y only; years without earlier years count for accuracy, not for coverage.
 */
import { at } from '../indexing.js';
import { addMonths, lastDayOfMonth, monthOf, type IsoDate, type MonthKey } from '../month.js';
import {
  asOfMonthNumber,
  forecastYearEnd,
  pointIn,
  type IntervalCalibration,
  type RunoffCell,
  type YearEndInput,
} from './yearEnd.js';

export const RUNOFF_MONTHS = 12;
/** Fewer standardised errors than this per as-of month: no calibration (the model spread is shown, untested). */
export const MIN_CALIBRATION_CASES = 8;

export interface BacktestCase {
  entity: string;
  year: number;
  asOfMonth: number;
  asOf: IsoDate;
  actualCents: number;
  gripCents: number;
  naiveCents: number;
  /** Last year's ratio; null when last year is not in the data. */
  lastYearCents: number | null;
  sdCents: number;
  /** The interval from the years before (null when there were none to calibrate on). */
  lowCents: number | null;
  highCents: number | null;
}

export interface BacktestRow {
  asOfMonth: number;
  cases: number;
  gripMape: number;
  gripBias: number;
  naiveMape: number;
  naiveBias: number;
  lastYearMape: number | null;
  lastYearBias: number | null;
  /** Share of out-of-sample cases whose actual lies in the 80% interval (null: none calibrated). */
  coverage: number | null;
  coverageCases: number;
  ratio: number;
  ratioLastYear: number | null;
}

export interface BacktestReport {
  cases: BacktestCase[];
  byAsOfMonth: BacktestRow[];
  coverage: number | null;
  /** Years back-tested (run-off complete), and years left out because their run-off is not. */
  years: number[];
  excluded: { year: number; reason: string }[];
}

const yearOf = (m: MonthKey) => Number(m.slice(0, 4));
const dateOf = (c: RunoffCell) => c.declarationDate ?? `${c.declarationMonth}-01`;

/** The last declaration date in the cells ('' when none). */
export function latestDate(cells: RunoffCell[]): IsoDate {
  let d = '';
  for (const c of cells) if (dateOf(c) > d) d = dateOf(c);
  return d;
}

/** Years with data whose run-off is complete at `latest` (≥ RUNOFF_MONTHS months after the year's end). */
export function completeYears(
  cells: RunoffCell[],
  latest: IsoDate,
): { complete: number[]; excluded: { year: number; reason: string }[] } {
  const years = [...new Set(cells.map((c) => yearOf(c.month)))].sort();
  const complete: number[] = [];
  const excluded: { year: number; reason: string }[] = [];
  const latestMonth = latest ? monthOf(latest) : '0000-01';
  for (const y of years) {
    const need = addMonths(`${y}-12`, RUNOFF_MONTHS);
    if (latestMonth >= need) complete.push(y);
    else
      excluded.push({
        year: y,
        reason: `run-off onvolledig: minder dan ${RUNOFF_MONTHS} maanden na het jaareinde in de gegevens`,
      });
  }
  return { complete, excluded };
}

function declaredBy(cells: RunoffCell[], year: number, by: IsoDate): number {
  let s = 0;
  for (const c of cells) if (yearOf(c.month) === year && dateOf(c) <= by) s += c.amountCents;
  return s;
}

function total(cells: RunoffCell[], year: number): number {
  let s = 0;
  for (const c of cells) if (yearOf(c.month) === year) s += c.amountCents;
  return s;
}

/** The forecast cases of one entity (a municipality or the region), without intervals. */
export function backtestCases(input: {
  entity: string;
  cells: RunoffCell[];
  years: number[];
  asOfMonths?: number[];
  day?: IsoDate;
  pooled?: (asOf: IsoDate, year: number) => YearEndInput['pooled'];
}): BacktestCase[] {
  const asOfMonths = input.asOfMonths ?? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const out: BacktestCase[] = [];
  for (const year of input.years) {
    const actual = total(input.cells, year);
    if (actual <= 0) continue;
    const lastYear = total(input.cells, year - 1);
    for (const k of asOfMonths) {
      const m = `${year}-${String(k).padStart(2, '0')}`;
      // The as-of day: the same day of the month as `day` (the forecast's own as-of date), else the month's end.
      const asOf = input.day ? pointIn(input.day, m) : lastDayOfMonth(m);
      const f = forecastYearEnd({ year, asOf, cells: input.cells, pooled: input.pooled?.(asOf, year) });
      const declaredLast = declaredBy(input.cells, year - 1, pointIn(asOf, addMonths(m, -12)));
      out.push({
        entity: input.entity,
        year,
        asOfMonth: asOfMonthNumber(year, asOf),
        asOf,
        actualCents: actual,
        gripCents: f.forecastCents,
        naiveCents: Math.round((f.declaredCents * 12) / k),
        lastYearCents:
          lastYear > 0 && declaredLast > 0 ? Math.round((lastYear * f.declaredCents) / declaredLast) : null,
        sdCents: f.sdCents,
        lowCents: null,
        highCents: null,
      });
    }
  }
  return out;
}

/** Empirical quantile (type 7, linear between order statistics) of sorted values. */
export function quantile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return at(sorted, lo) + (h - lo) * (at(sorted, hi) - at(sorted, lo));
}

/** The interval's calibration from back-test cases: per as-of month (neighbours pooled), q10 and q90 of the standardised error. */
export function calibrate(cases: BacktestCase[]): IntervalCalibration | null {
  const usable = cases.filter((c) => c.sdCents > 0);
  const quantiles: Record<number, [number, number]> = {};
  const counts: Record<number, number> = {};
  const zs: Record<number, number[]> = {};
  for (let k = 1; k <= 12; k++) {
    const z = usable
      .filter((c) => Math.abs(c.asOfMonth - k) <= 1)
      .map((c) => (c.actualCents - c.gripCents) / c.sdCents)
      .sort((a, b) => a - b);
    if (z.length < MIN_CALIBRATION_CASES) continue;
    quantiles[k] = [quantile(z, 0.1), quantile(z, 0.9)];
    counts[k] = z.length;
    zs[k] = z;
  }
  if (!Object.keys(quantiles).length) return null;
  return { quantiles, cases: counts, z: zs, years: [...new Set(usable.map((c) => c.year))].sort() };
}

/** Share of the cases with an (out-of-sample) interval whose actual lies inside it; null when none has one. */
export function coverageOf(cases: readonly BacktestCase[]): number | null {
  const covered = cases.filter((c) => c.lowCents !== null && c.highCents !== null);
  return covered.length
    ? covered.filter((c) => c.actualCents >= c.lowCents! && c.actualCents <= c.highCents!).length / covered.length
    : null;
}

function withInterval(c: BacktestCase, cal: IntervalCalibration | null): BacktestCase {
  const q = cal?.quantiles[c.asOfMonth];
  if (!q) return c;
  return {
    ...c,
    lowCents: Math.round(c.gripCents + Math.min(0, q[0]) * c.sdCents),
    highCents: Math.round(c.gripCents + Math.max(0, q[1]) * c.sdCents),
  };
}

/** Summary per as-of month: MAPE and bias (mean signed relative error) of Grip and both baselines, and coverage. */
export function summarise(cases: BacktestCase[], asOfMonths = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]): BacktestRow[] {
  return asOfMonths.map((k) => {
    const cs = cases.filter((c) => c.asOfMonth === k);
    const err = (get: (c: BacktestCase) => number | null) => {
      const e = cs
        .map((c) => ({ v: get(c), a: c.actualCents }))
        .filter((x): x is { v: number; a: number } => x.v !== null)
        .map((x) => (x.v - x.a) / x.a);
      return e.length
        ? { mape: e.reduce((s, x) => s + Math.abs(x), 0) / e.length, bias: e.reduce((s, x) => s + x, 0) / e.length }
        : null;
    };
    const g = err((c) => c.gripCents) ?? { mape: 0, bias: 0 };
    const n = err((c) => c.naiveCents) ?? { mape: 0, bias: 0 };
    const ly = err((c) => c.lastYearCents);
    return {
      asOfMonth: k,
      cases: cs.length,
      gripMape: g.mape,
      gripBias: g.bias,
      naiveMape: n.mape,
      naiveBias: n.bias,
      lastYearMape: ly?.mape ?? null,
      lastYearBias: ly?.bias ?? null,
      coverage: coverageOf(cs),
      coverageCases: cs.filter((c) => c.lowCents !== null && c.highCents !== null).length,
      ratio: n.mape > 0 ? g.mape / n.mape : 0,
      ratioLastYear: ly && ly.mape > 0 ? g.mape / ly.mape : null,
    };
  });
}

/**
 * The back-test of several entities (the municipalities of a region) over the years whose run-off is complete:
 * each year's interval calibrated on the years before it (rolling origin), pooled over the entities.
 */
export function backtestEntities(input: {
  entities: { entity: string; cells: RunoffCell[] }[];
  years?: number[];
  asOfMonths?: number[];
  day?: IsoDate;
  pool?: boolean;
}): BacktestReport {
  const all = input.entities.flatMap((e) => e.cells);
  const { complete, excluded } = completeYears(all, latestDate(all));
  // A year is back-tested when its run-off is complete and the data begin at least two years before it
  // (a forecast needs a year of history for its season and trend, and last year's ratio needs last year).
  const first = all.reduce((m, c) => (c.month < m ? c.month : m), '9999-12');
  const withHistory = complete.filter((y) => `${y - 2}-01` >= first);
  for (const y of complete)
    if (!withHistory.includes(y))
      excluded.push({ year: y, reason: 'te weinig historie: de gegevens beginnen minder dan twee jaar ervoor' });
  const years = input.years ? input.years.filter((y) => withHistory.includes(y)) : withHistory;
  for (const y of input.years ?? [])
    if (!complete.includes(y) && !excluded.some((e) => e.year === y))
      excluded.push({ year: y, reason: 'geen gegevens' });
  // Municipalities share the region's season and (partly) its trend, as in the forecast itself.
  const pooledAt = new Map<string, YearEndInput['pooled']>();
  const pooled =
    input.pool === false || input.entities.length < 2
      ? undefined
      : (asOf: IsoDate, year: number) => {
          const key = `${year}|${asOf}`;
          if (!pooledAt.has(key)) {
            const f = forecastYearEnd({ year, asOf, cells: all });
            pooledAt.set(key, { season: f.season, yearlyGrowth: f.yearlyGrowth });
          }
          return pooledAt.get(key);
        };
  // Only years with history are forecast at all: a year without it would teach the interval errors that no
  // forecast with history makes.
  const raw = input.entities.flatMap((e) =>
    backtestCases({
      entity: e.entity,
      cells: e.cells,
      years: withHistory,
      asOfMonths: input.asOfMonths,
      day: input.day,
      pooled,
    }),
  );
  const cases: BacktestCase[] = [];
  for (const y of years) {
    const cal = calibrate(raw.filter((c) => c.year < y));
    for (const c of raw.filter((c) => c.year === y)) cases.push(withInterval(c, cal));
  }
  const byAsOfMonth = summarise(cases, input.asOfMonths);
  return {
    cases,
    byAsOfMonth,
    coverage: coverageOf(cases),
    years,
    excluded: excluded.filter((e) => !input.years || input.years.includes(e.year)),
  };
}

/** One entity's back-test (kept for callers with a single series). */
export function backtest(input: { cells: RunoffCell[]; years: number[]; asOfMonths?: number[] }): BacktestReport {
  return backtestEntities({
    entities: [{ entity: 'region', cells: input.cells }],
    years: input.years,
    asOfMonths: input.asOfMonths,
  });
}
