/**
 * The forecast as the CLI, the web app and the reports use it: gathers the ledger's aggregates through the
 * warehouse interface and hands them to the pure domain (src/domain/forecast). Computed once, shown anywhere.
 */
import { forecastYearEnd, type YearEndForecast } from '../domain/forecast/yearEnd.js';
import { backtest, type BacktestReport } from '../domain/forecast/backtest.js';
import { cellsFromRows, largestRemainder } from '../domain/insight/decomposition.js';
import {
  TREND_YEARS,
  buildAssumptions,
  deriveTrend,
  halfWidths,
  interval,
  priceIndexFromProducts,
  projectYears,
  sumRows,
  type AssumptionOverrides,
  type BaseYear,
  type MultiYearAssumptions,
  type YearRow,
} from '../domain/forecast/multiYear.js';
import { monthOf, type IsoDate } from '../domain/month.js';
import type { Warehouse } from '../warehouse/warehouse.js';

export interface MunicipalityForecast extends YearEndForecast {
  municipality: string;
}

/** The figures of a year-end forecast: forecast = declared + ibnr + remaining, with the 80% interval. */
export type ForecastFigures = Pick<YearEndForecast, 'declaredCents' | 'ibnrCents' | 'remainingCents' | 'forecastCents' | 'lowCents' | 'highCents'>;

export interface RegionForecast {
  year: number;
  asOf: IsoDate;
  municipalities: MunicipalityForecast[];
  total: ForecastFigures;
}

/** The latest declaration date in the warehouse, or today when it is empty. */
export async function defaultAsOf(w: Warehouse, today = new Date()): Promise<IsoDate> {
  return (await w.status()).lastDeclarationDate ?? today.toISOString().slice(0, 10);
}

/**
 * The forecast's inputs: the run-off cells per municipality. forecastYearEnd and backtest read only the
 * cells (client counts and active allocations are optional inputs they do not use), so only the run-off
 * query runs (the active-allocations query alone took ~6 s of the ~7 s forecast + back-test on the region demo).
 */
async function inputs(w: Warehouse, asOf: IsoDate | undefined, municipalities?: string[]) {
  const cells = await w.runoff({ asOf, municipalities });
  const group = <T extends { municipality: string }>(rows: T[]) => {
    const m = new Map<string, T[]>();
    for (const r of rows) {
      const list = m.get(r.municipality);
      if (list) list.push(r);
      else m.set(r.municipality, [r]);
    }
    return m;
  };
  return { cells: group(cells) };
}

/** Year-end forecast per municipality (all with data, or the ones asked for) and the region total. */
export async function regionForecast(w: Warehouse, year: number, asOf?: IsoDate, municipalities?: string[]): Promise<RegionForecast> {
  const at = asOf ?? (await defaultAsOf(w));
  const d = await inputs(w, at, municipalities);
  const out: MunicipalityForecast[] = [];
  for (const [municipality, cells] of [...d.cells].sort(([a], [b]) => a.localeCompare(b))) {
    const f = forecastYearEnd({
      year,
      asOf: at,
      cells: cells.map(({ month, declarationMonth, amountCents }) => ({ month, declarationMonth, amountCents })),
    });
    out.push({ municipality, ...f });
  }
  const sum = (k: 'declaredCents' | 'ibnrCents' | 'remainingCents' | 'forecastCents') => out.reduce((s, m) => s + m[k], 0);
  // The region's interval: the municipalities' errors are correlated (common trend, common lag), so neither
  // adding their intervals nor treating them as independent is right. The region's own series is forecast
  // once more and its relative interval is applied to the sum of the municipalities' forecasts.
  const forecastCents = sum('forecastCents');
  const regionCells = [...d.cells.values()].flat();
  const region = regionCells.length
    ? forecastYearEnd({
        year,
        asOf: at,
        cells: regionCells.map(({ month, declarationMonth, amountCents }) => ({ month, declarationMonth, amountCents })),
      })
    : null;
  const rel = (k: 'lowCents' | 'highCents') => (region && region.forecastCents ? region[k] / region.forecastCents : 1);
  return {
    year,
    asOf: at,
    municipalities: out,
    total: {
      declaredCents: sum('declaredCents'),
      ibnrCents: sum('ibnrCents'),
      remainingCents: sum('remainingCents'),
      forecastCents,
      lowCents: Math.min(forecastCents, Math.round(forecastCents * rel('lowCents'))),
      highCents: Math.max(forecastCents, Math.round(forecastCents * rel('highCents'))),
    },
  };
}

/** Back-test of the year-end forecast for the region's municipalities over past years. */
export async function regionBacktest(w: Warehouse, years: number[], municipalities?: string[]): Promise<{ municipality: string; report: BacktestReport }[]> {
  const d = await inputs(w, undefined, municipalities);
  const out: { municipality: string; report: BacktestReport }[] = [];
  for (const [municipality, cells] of [...d.cells].sort(([a], [b]) => a.localeCompare(b))) {
    out.push({
      municipality,
      report: backtest({
        cells: cells.map(({ month, declarationMonth, amountCents }) => ({ month, declarationMonth, amountCents })),
        years,
      }),
    });
  }
  return out;
}

/** Options of the multi-year forecast (percentages per year; measures in cents per year for the whole selection). */
export interface MultiYearOptions {
  year: number;
  asOf?: IsoDate;
  municipalities?: string[];
  assumptions?: AssumptionOverrides;
}

export interface MultiYearEntity {
  municipality: string;
  base: BaseYear;
  years: YearRow[];
}

export interface MultiYearForecast {
  year: number;
  asOf: IsoDate;
  /** The years the trend was derived from (complete years before the forecast year, at most TREND_YEARS). */
  trendYears: number[];
  /** Nominal growth per year of those years, as a fraction (shown for reference). */
  nominalGrowth: number;
  assumptions: MultiYearAssumptions;
  intervalMethod: string;
  municipalities: MultiYearEntity[];
  total: { base: BaseYear; years: YearRow[] };
}

/**
 * Multi-year forecast (jaarschijven) for the years after `year`: the year-end forecast of `year` per
 * municipality, continued with the trend and the assumptions (see domain/forecast/multiYear.ts).
 * The trend is derived from the selection as a whole (the region, or the municipalities asked for): the
 * annual ultimates (declared + chain-ladder IBNR as known at the as-of date) of the last complete years
 * before `year`, and the price index of the same years from cost per unit per product. The measures amount
 * is for the whole selection and is shared over the municipalities in proportion to their base forecast.
 */
export async function multiYearForecast(w: Warehouse, opts: MultiYearOptions): Promise<MultiYearForecast> {
  const at = opts.asOf ?? (await defaultAsOf(w));
  const base = await regionForecast(w, opts.year, at, opts.municipalities);
  const cells = (await w.runoff({ asOf: at, municipalities: opts.municipalities })).map(({ month, declarationMonth, amountCents }) => ({ month, declarationMonth, amountCents }));
  // Complete years before the forecast year, with data from January on, at most TREND_YEARS.
  const first = cells.reduce((m, c) => (c.month < m ? c.month : m), '9999-12');
  const lastComplete = Math.min(opts.year, Number(monthOf(at).slice(0, 4))) - 1;
  const years: number[] = [];
  for (let y = lastComplete; y > lastComplete - TREND_YEARS; y--) if (`${y}-01` >= first) years.unshift(y);
  const annual = years.map((y) => ({ year: y, cents: forecastYearEnd({ year: y, asOf: at, cells }).forecastCents }));
  let priceOverSpan: number | null = null;
  if (years.length >= 2) {
    const inputs = await w.driverInputs({
      before: { from: `${years[0]}-01`, to: `${years[0]}-12` },
      after: { from: `${years[years.length - 1]}-01`, to: `${years[years.length - 1]}-12` },
      by: 'total',
      municipalities: opts.municipalities,
      asOf: at,
    });
    priceOverSpan = priceIndexFromProducts(cellsFromRows(inputs.rows));
  }
  const trend = deriveTrend(annual, priceOverSpan);
  const assumptions = buildAssumptions(trend, opts.assumptions);
  const measures = assumptions.measuresCents.value;
  const shares = base.municipalities.length ? largestRemainder(base.municipalities.map((m) => (base.total.forecastCents > 0 ? (measures * m.forecastCents) / base.total.forecastCents : measures / base.municipalities.length)), measures) : [];
  const municipalities = base.municipalities.map((m, i) => {
    const b: BaseYear = { year: opts.year, forecastCents: m.forecastCents, lowCents: m.lowCents, highCents: m.highCents };
    const own: MultiYearAssumptions = { ...assumptions, measuresCents: { ...assumptions.measuresCents, value: shares[i] } };
    return { municipality: m.municipality, base: b, years: projectYears(b, own) };
  });
  // The region: rows are the sums of the municipalities' rows (so they add up exactly); the interval is the
  // region's own base interval (see regionForecast) widened the same way.
  const totalBase: BaseYear = { year: opts.year, forecastCents: base.total.forecastCents, lowCents: base.total.lowCents, highCents: base.total.highCents };
  const totalYears = sumRows(municipalities.map((m) => m.years)).map((r, i) => ({ ...r, ...interval(r.totalCents - r.measuresCents, r.measuresCents, halfWidths(totalBase, assumptions, i + 1)) }));
  return {
    year: opts.year,
    asOf: at,
    trendYears: trend.years,
    nominalGrowth: trend.nominalGrowth,
    assumptions,
    intervalMethod: `80%-interval van ${opts.year} verbreed per jaar h met de spreiding van de jaargroei s: w_h = √(w₀² + (1,28·s)²·(h + h²/n)), n = ${assumptions.growthObservations} groeicijfers; maatregelen zonder onzekerheid; niet terug-getoetst`,
    municipalities,
    total: { base: totalBase, years: totalYears },
  };
}
