/**
 * The forecast as the CLI, the web app and the reports use it: gathers the ledger's aggregates through the
 * warehouse interface and hands them to the pure domain (src/domain/forecast). Computed once, shown anywhere.
 */
import {
  METHOD_VERSION,
  chanceAbove,
  forecastYearEnd,
  pointIn,
  type IntervalCalibration,
  type YearEndForecast,
  type YearEndInput,
} from '../domain/forecast/yearEnd.js';
import {
  backtestEntities,
  calibrate,
  coverageOf,
  summarise,
  type BacktestReport,
} from '../domain/forecast/backtest.js';
import { explainRevision, type Revision } from '../domain/forecast/explain.js';
import { PRODUCT_CATEGORIES } from '../domain/codes/index.js';
import { formatEuroRounded, type Cents } from '../domain/money.js';
import { GripError } from '../domain/errors.js';
import { cellsFromRows, largestRemainder } from '../domain/insight/decomposition.js';
import { measuresPlanLine } from './measures.js';
import {
  MULTI_YEAR_HORIZON,
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
import { addMonths, formatDateNl, lastDayOfMonth, monthOf, type IsoDate, type MonthKey } from '../domain/month.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { specialCaseLabel } from './special-cases.js';

export interface MunicipalityForecast extends YearEndForecast {
  municipality: string;
}

/** The figures of a year-end forecast: forecast = declared + ibnr + remaining, with the 80% interval. */
export type ForecastFigures = Pick<
  YearEndForecast,
  'declaredCents' | 'ibnrCents' | 'remainingCents' | 'forecastCents' | 'lowCents' | 'highCents'
>;

export interface RegionForecast {
  year: number;
  asOf: IsoDate;
  municipalities: MunicipalityForecast[];
  total: ForecastFigures & { sdCents: number; interval: 'backtest' | 'model' };
  /** What the 80% intervals rest on: the back-test years and cases, or null (too little history: untested). */
  calibration: { municipalities: IntervalCalibration | null; region: IntervalCalibration | null };
  methodVersion: string;
  dataVersion: string;
}

/** The latest declaration date in the warehouse, or today when it is empty. */
export async function defaultAsOf(w: Warehouse, today = new Date()): Promise<IsoDate> {
  return (await w.status()).lastDeclarationDate ?? today.toISOString().slice(0, 10);
}

/**
 * The stand of a report on `month`: the as-of date asked for, else the dashboard's (the latest declaration
 * date) when that falls in the month after `month` — the newest report shows the same forecast as the
 * overview — else the month's last day (a report on an earlier month shows what was known then).
 */
export async function reportAsOf(w: Warehouse, month: MonthKey, asOf?: IsoDate): Promise<IsoDate> {
  if (asOf) return asOf;
  const latest = (await w.status()).lastDeclarationDate;
  const end = lastDayOfMonth(month);
  if (latest && latest >= end && latest <= lastDayOfMonth(addMonths(month, 1))) return latest;
  return latest && latest < end ? latest : end;
}

type Cells = YearEndInput['cells'];

/** The run-off cells of every municipality, as known at `asOf` (declaration dates kept). */
async function cellsByMunicipality(w: Warehouse, asOf: IsoDate | undefined): Promise<Map<string, Cells>> {
  const m = new Map<string, Cells>();
  for (const r of await w.runoff({ asOf })) {
    const c = {
      month: r.month,
      declarationMonth: r.declarationMonth,
      declarationDate: r.declarationDate,
      amountCents: r.amountCents,
    };
    const list = m.get(r.municipality);
    if (list) list.push(c);
    else m.set(r.municipality, [c]);
  }
  return new Map([...m].sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Everything a forecast at `asOf` rests on, computed once per data version and as-of date: the cells, the
 * region's pooled season and trend per year, and the interval calibration from the back-test of every
 * complete year known at `asOf` (municipalities pooled; the region on its own).
 */
interface ForecastContext {
  asOf: IsoDate;
  dataVersion: string;
  cells: Map<string, Cells>;
  regionCells: Cells;
  pooled: (year: number) => YearEndInput['pooled'];
  calibration: { municipalities: IntervalCalibration | null; region: IntervalCalibration | null };
}

const contexts = new WeakMap<Warehouse, Map<string, Promise<ForecastContext>>>();

async function forecastContext(w: Warehouse, asOf: IsoDate): Promise<ForecastContext> {
  const dataVersion = await w.dataVersion();
  let perW = contexts.get(w);
  if (!perW) contexts.set(w, (perW = new Map<string, Promise<ForecastContext>>()));
  const key = `${dataVersion}|${asOf}`;
  let hit = perW.get(key);
  if (!hit) {
    if (perW.size > 16) perW.clear();
    hit = (async () => {
      const cells = await cellsByMunicipality(w, asOf);
      const regionCells = [...cells.values()].flat();
      const pooledByYear = new Map<number, YearEndInput['pooled']>();
      const pooled = (year: number) => {
        if (!pooledByYear.has(year)) {
          const f = forecastYearEnd({ year, asOf, cells: regionCells });
          pooledByYear.set(year, cells.size > 1 ? { season: f.season, yearlyGrowth: f.yearlyGrowth } : null);
        }
        return pooledByYear.get(year);
      };
      const entities = [...cells].map(([entity, c]) => ({ entity, cells: c }));
      const muniCases = backtestEntities({ entities, day: asOf }).cases;
      const regionCases = backtestEntities({ entities: [{ entity: 'regio', cells: regionCells }], day: asOf }).cases;
      return {
        asOf,
        dataVersion,
        cells,
        regionCells,
        pooled,
        calibration: { municipalities: calibrate(muniCases), region: calibrate(regionCases) },
      };
    })();
    hit.catch(() => perW.delete(key));
    perW.set(key, hit);
  }
  return hit;
}

/** One municipality's forecast in a context (also for what-if cells, such as the forecast without special cases). */
function municipalityForecast(ctx: ForecastContext, year: number, cells: Cells): YearEndForecast {
  return forecastYearEnd({
    year,
    asOf: ctx.asOf,
    cells,
    pooled: ctx.pooled(year),
    calibration: ctx.calibration.municipalities,
  });
}

/** A municipality's forecast on other cells than its own (what-if), with the same method, pooling and calibration. */
export async function forecastOfCells(
  w: Warehouse,
  year: number,
  asOf: IsoDate,
  cells: Cells,
): Promise<YearEndForecast> {
  return municipalityForecast(await forecastContext(w, asOf), year, cells);
}

/** Year-end forecast per municipality (all with data, or the ones asked for) and the region total. */
export async function regionForecast(
  w: Warehouse,
  year: number,
  asOf?: IsoDate,
  municipalities?: string[],
): Promise<RegionForecast> {
  const at = asOf ?? (await defaultAsOf(w));
  const ctx = await forecastContext(w, at);
  const out: MunicipalityForecast[] = [];
  for (const [municipality, cells] of ctx.cells) {
    if (municipalities && !municipalities.includes(municipality)) continue;
    out.push({ municipality, ...municipalityForecast(ctx, year, cells) });
  }
  const sum = (k: 'declaredCents' | 'ibnrCents' | 'remainingCents' | 'forecastCents') =>
    out.reduce((s, m) => s + m[k], 0);
  // The total's interval: the municipalities' errors are correlated (common trend, common lag), so neither
  // adding their intervals nor treating them as independent is right. For the whole region, the region's own
  // series is forecast and its interval calibrated on the region's own back-test; for a selection, the
  // region's relative interval is applied to the selection's sum.
  const forecastCents = sum('forecastCents');
  const region = ctx.regionCells.length
    ? forecastYearEnd({ year, asOf: at, cells: ctx.regionCells, calibration: ctx.calibration.region })
    : null;
  const rel = (k: 'lowCents' | 'highCents') => (region && region.forecastCents ? region[k] / region.forecastCents : 1);
  const declaredCents = sum('declaredCents');
  return {
    year,
    asOf: at,
    municipalities: out,
    total: {
      declaredCents,
      ibnrCents: sum('ibnrCents'),
      remainingCents: sum('remainingCents'),
      forecastCents,
      lowCents: Math.max(declaredCents, Math.min(forecastCents, Math.round(forecastCents * rel('lowCents')))),
      highCents: Math.max(forecastCents, Math.round(forecastCents * rel('highCents'))),
      sdCents: region && region.forecastCents ? Math.round((region.sdCents * forecastCents) / region.forecastCents) : 0,
      interval: region?.interval ?? 'model',
    },
    calibration: ctx.calibration,
    methodVersion: METHOD_VERSION,
    dataVersion: ctx.dataVersion,
  };
}

/**
 * Back-test of the year-end forecast (rolling origin) over past years whose run-off is complete: per
 * municipality, and for the region's municipalities pooled (`all`). The forecasts use the region's pooled
 * season and trend, as the forecast itself does; each year's interval is calibrated on the years before it.
 */
export async function regionTrackRecord(
  w: Warehouse,
  years?: number[],
  municipalities?: string[],
): Promise<{
  all: BacktestReport;
  region: BacktestReport;
  municipalities: { municipality: string; report: BacktestReport }[];
}> {
  const cells = await cellsByMunicipality(w, undefined);
  const entities = [...cells].map(([entity, c]) => ({ entity, cells: c }));
  const all = backtestEntities({ entities, years });
  const region = backtestEntities({ entities: [{ entity: 'regio', cells: entities.flatMap((e) => e.cells) }], years });
  const per = entities
    .filter((e) => !municipalities || municipalities.includes(e.entity))
    .map((e) => {
      const cases = all.cases.filter((c) => c.entity === e.entity);
      return {
        municipality: e.entity,
        report: { ...all, cases, byAsOfMonth: summarise(cases), coverage: coverageOf(cases) },
      };
    });
  if (municipalities) {
    const cases = all.cases.filter((c) => municipalities.includes(c.entity));
    return {
      all: { ...all, cases, byAsOfMonth: summarise(cases), coverage: coverageOf(cases) },
      region,
      municipalities: per,
    };
  }
  return { all, region, municipalities: per };
}

/** Back-test per municipality (see regionTrackRecord). */
export async function regionBacktest(
  w: Warehouse,
  years?: number[],
  municipalities?: string[],
): Promise<{ municipality: string; report: BacktestReport }[]> {
  return (await regionTrackRecord(w, years, municipalities)).municipalities;
}

/** Options of the multi-year forecast (percentages per year; measures in cents per year for the whole selection). */
export interface MultiYearOptions {
  year: number;
  asOf?: IsoDate;
  municipalities?: string[];
  assumptions?: AssumptionOverrides;
  /**
   * The measures line from the measures ledger (default true) when `assumptions.measuresCents` is not given;
   * false: none (the back-test, whose past forecasts cannot have known today's ledger).
   */
  measuresFromLedger?: boolean;
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
  /**
   * Where the measures line comes from: the ledger (per year and municipality, see app/measures.ts
   * measuresPlanLine), or one amount per year for the selection (`assumption`: given, or 0).
   */
  measuresLine: {
    source: 'ledger' | 'assumption';
    perYear: Record<number, Cents>;
    measures: string[];
    unsplit: string[];
  };
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
  const cells = (await w.runoff({ asOf: at, municipalities: opts.municipalities })).map(
    ({ month, declarationMonth, declarationDate, amountCents }) => ({
      month,
      declarationMonth,
      declarationDate,
      amountCents,
    }),
  );
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
  const horizonYears = Array.from({ length: MULTI_YEAR_HORIZON }, (_, i) => opts.year + 1 + i);
  const ledger =
    opts.assumptions?.measuresCents === undefined && opts.measuresFromLedger !== false
      ? await measuresPlanLine(w, opts.year, horizonYears)
      : null;
  const fromLedger = ledger !== null && ledger.measures.length > 0;
  let assumptions = buildAssumptions(trend, opts.assumptions);
  if (fromLedger) {
    const perYear = Object.fromEntries(
      horizonYears.map((y) => [
        y,
        base.municipalities.reduce((a, m) => a + (ledger.perMunicipality.get(m.municipality)?.[y] ?? 0), 0),
      ]),
    );
    assumptions = {
      ...assumptions,
      measuresCents: {
        key: 'measuresCents',
        label: 'effect maatregelen',
        value: perYear[opts.year + 1] ?? 0,
        unit: 'cent per jaar',
        source: 'maatregelenregister',
        note: `${ledger.method}; per jaar: ${horizonYears.map((y) => `${y} ${formatEuroRounded(perYear[y] ?? 0)}`).join(', ')}`,
      },
    };
  }
  const measures = assumptions.measuresCents.value;
  const shares = base.municipalities.length
    ? largestRemainder(
        base.municipalities.map((m) =>
          base.total.forecastCents > 0
            ? (measures * m.forecastCents) / base.total.forecastCents
            : measures / base.municipalities.length,
        ),
        measures,
      )
    : [];
  const municipalities = base.municipalities.map((m, i) => {
    const b: BaseYear = {
      year: opts.year,
      forecastCents: m.forecastCents,
      lowCents: m.lowCents,
      highCents: m.highCents,
    };
    const own: MultiYearAssumptions = {
      ...assumptions,
      measuresCents: { ...assumptions.measuresCents, value: shares[i] ?? 0 },
    };
    return {
      municipality: m.municipality,
      base: b,
      years: projectYears(
        b,
        own,
        MULTI_YEAR_HORIZON,
        fromLedger ? (ledger.perMunicipality.get(m.municipality) ?? {}) : undefined,
      ),
    };
  });
  // The region: rows are the sums of the municipalities' rows (so they add up exactly); the interval is the
  // region's own base interval (see regionForecast) widened the same way.
  const totalBase: BaseYear = {
    year: opts.year,
    forecastCents: base.total.forecastCents,
    lowCents: base.total.lowCents,
    highCents: base.total.highCents,
  };
  const totalYears = sumRows(municipalities.map((m) => m.years)).map((r, i) => ({
    ...r,
    ...interval(r.totalCents - r.measuresCents, r.measuresCents, halfWidths(totalBase, assumptions, i + 1)),
  }));
  return {
    year: opts.year,
    asOf: at,
    trendYears: trend.years,
    nominalGrowth: trend.nominalGrowth,
    assumptions,
    intervalMethod: `80%-interval van ${opts.year} verbreed per jaar h met de spreiding van de jaargroei s: w_h = √(w₀² + (1,28·s)²·(h + h²/n)), n = ${assumptions.growthObservations} groeicijfers; maatregelen zonder onzekerheid; niet terug-getoetst`,
    municipalities,
    total: { base: totalBase, years: totalYears },
    measuresLine: {
      source: fromLedger ? 'ledger' : 'assumption',
      perYear: Object.fromEntries(totalYears.map((r) => [r.year, r.measuresCents])),
      measures: fromLedger ? ledger.measures : [],
      unsplit: fromLedger ? ledger.unsplit : [],
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Published forecasts (vintages) and the explanation of revisions

export interface PublishOptions {
  year: number;
  asOf?: IsoDate;
  label?: string | null;
  by: string;
  now?: Date;
}

/** Publishes the year-end forecast (every municipality and the region) as a vintage; returns its id and figures. */
export async function publishForecast(
  w: Warehouse,
  opts: PublishOptions,
): Promise<{ id: number; forecast: RegionForecast }> {
  const f = await regionForecast(w, opts.year, opts.asOf);
  if (!f.municipalities.length)
    throw new GripError('NO_DATA', 'nog geen declaraties in het warehouse: er is geen prognose om te publiceren');
  const months = (x: YearEndForecast) =>
    x.months.map((m) => ({
      month: m.month,
      declaredCents: m.declaredCents,
      ibnrCents: m.ibnrCents,
      remainingCents: m.remainingCents,
    }));
  const id = await w.addForecastVintage({
    year: f.year,
    asOf: f.asOf,
    label: opts.label ?? null,
    publishedAt: (opts.now ?? new Date()).toISOString(),
    publishedBy: opts.by,
    dataVersion: f.dataVersion,
    methodVersion: f.methodVersion,
    rows: [
      ...f.municipalities.map((m) => ({
        scope: m.municipality,
        declaredCents: m.declaredCents,
        ibnrCents: m.ibnrCents,
        remainingCents: m.remainingCents,
        forecastCents: m.forecastCents,
        lowCents: m.lowCents,
        highCents: m.highCents,
        months: months(m),
      })),
      { scope: 'regio', ...f.total, months: [] },
    ].map(({ scope, declaredCents, ibnrCents, remainingCents, forecastCents, lowCents, highCents, months: ms }) => ({
      scope,
      declaredCents,
      ibnrCents,
      remainingCents,
      forecastCents,
      lowCents,
      highCents,
      months: ms,
    })),
  });
  return { id, forecast: f };
}

export interface VintageTrackPoint {
  id: number;
  label: string | null;
  asOf: IsoDate;
  publishedAt: string;
  methodVersion: string;
  forecastCents: Cents;
  lowCents: Cents;
  highCents: Cents;
}

export interface ForecastHistory {
  year: number;
  scope: string;
  vintages: VintageTrackPoint[];
  /** The year's final total once its run-off is complete (else null: not yet known). */
  actualCents: Cents | null;
}

/** The track of published forecasts for a year, per scope (a municipality or 'regio'), with the truth once known. */
export async function forecastHistory(w: Warehouse, year: number, scopes?: string[]): Promise<ForecastHistory[]> {
  const rows = await w.forecastVintages({ year, scopes });
  const cells = await w.runoff({});
  const latest = cells.reduce((m, c) => (c.declarationDate > m ? c.declarationDate : m), '');
  const known = latest >= lastDayOfMonth(addMonths(`${year}-12`, 12));
  // The year's totals per municipality and for the region, in one pass over the run-off (not one per scope).
  const totals = new Map<string, number>();
  if (known) {
    for (const c of cells) {
      if (!c.month.startsWith(`${year}-`)) continue;
      totals.set(c.municipality, (totals.get(c.municipality) ?? 0) + c.amountCents);
      totals.set('regio', (totals.get('regio') ?? 0) + c.amountCents);
    }
  }
  const actual = (scope: string) => (known ? (totals.get(scope) ?? 0) : null);
  const by = new Map<string, VintageTrackPoint[]>();
  for (const r of rows) {
    const list = by.get(r.scope) ?? [];
    list.push({
      id: r.id,
      label: r.label,
      asOf: r.asOf,
      publishedAt: r.publishedAt,
      methodVersion: r.methodVersion,
      forecastCents: r.forecastCents,
      lowCents: r.lowCents,
      highCents: r.highCents,
    });
    by.set(r.scope, list);
  }
  // In the order of their stand (a vintage may be published later for an earlier date), then of publication.
  const order = (a: VintageTrackPoint, b: VintageTrackPoint) =>
    a.asOf < b.asOf ? -1 : a.asOf > b.asOf ? 1 : a.id - b.id;
  return [...by].map(([scope, vintages]) => ({
    year,
    scope,
    vintages: vintages.sort(order),
    actualCents: actual(scope),
  }));
}

export interface ExplainOptions {
  year: number;
  /** The earlier stand: a date, or a published vintage's id. */
  from: { asOf: IsoDate } | { vintage: number };
  /** The later stand (default: the latest declaration date). */
  to?: IsoDate;
  municipalities?: string[];
}

export interface MunicipalityRevision extends Revision {
  municipality: string;
}

export interface ForecastExplanation {
  year: number;
  fromAsOf: IsoDate;
  toAsOf: IsoDate;
  fromVintage: number | null;
  municipalities: MunicipalityRevision[];
}

/**
 * Why the forecast changed from an earlier stand (a date, or a published vintage) to a later one, per
 * municipality, in components that add up exactly to the change (domain/forecast/explain.ts). The
 * declarations' sentence names the category that grew most in the window.
 */
export async function explainForecast(w: Warehouse, opts: ExplainOptions): Promise<ForecastExplanation> {
  const to = opts.to ?? (await defaultAsOf(w));
  let fromAsOf: IsoDate;
  let stored: Map<string, { cents: number; sameMethod: boolean }> | null = null;
  let vintageId: number | null = null;
  if ('vintage' in opts.from) {
    const rows = await w.forecastVintages({ year: opts.year, id: opts.from.vintage });
    const [first] = rows;
    if (!first)
      throw new GripError(
        'NOT_FOUND',
        `geen gepubliceerde prognose ${opts.from.vintage} voor ${opts.year} (zie grip forecast history --year ${opts.year})`,
      );
    fromAsOf = first.asOf;
    vintageId = opts.from.vintage;
    stored = new Map(
      rows.map((r) => [r.scope, { cents: r.forecastCents, sameMethod: r.methodVersion === METHOD_VERSION }]),
    );
  } else fromAsOf = opts.from.asOf;
  if (fromAsOf > to) throw new GripError('BAD_INPUT', `de eerdere stand (${fromAsOf}) ligt na de latere (${to})`);
  const [ctx0, ctx1] = [await forecastContext(w, fromAsOf), await forecastContext(w, to)];
  // What drove the window's declarations: net declared per category in (from, to], year's production.
  const [c0, c1] = await Promise.all([
    w.costs({ by: ['municipality', 'category'], year: opts.year, asOf: fromAsOf, municipalities: opts.municipalities }),
    w.costs({ by: ['municipality', 'category'], year: opts.year, asOf: to, municipalities: opts.municipalities }),
  ]);
  const before = new Map(c0.map((r) => [`${r.municipality}|${r.category}`, r.amountCents]));
  const drivers = new Map<string, { label: string; cents: number }[]>();
  for (const r of c1) {
    const d = r.amountCents - (before.get(`${r.municipality}|${r.category}`) ?? 0);
    if (!d) continue;
    const list = drivers.get(r.municipality!) ?? [];
    // The category's name only, no amount: the sentence is shown to aggregate roles too.
    list.push({
      label: `in ${(PRODUCT_CATEGORIES[r.category ?? ''] ?? `categorie ${r.category}`).toLowerCase()}`,
      cents: d,
    });
    drivers.set(r.municipality!, list);
  }
  for (const list of drivers.values()) list.sort((a, b) => Math.abs(b.cents) - Math.abs(a.cents));
  const special = await w.specialCaseRunoff({
    from: `${opts.year}-01`,
    to: `${opts.year}-12`,
    asOf: to,
    municipalities: opts.municipalities,
  });
  // The cases marked by hand with new declarations between the two stands: named in the explanation.
  const [marked, markedCosts] = await Promise.all([
    w.markedSpecialCases({ municipalities: opts.municipalities }),
    w.markedCaseCosts({ municipalities: opts.municipalities, asOf: to, after: fromAsOf }),
  ]);
  const newBy = new Map(markedCosts.map((c) => [c.id, c.newCents]));
  const markedBy = new Map<string, string[]>();
  for (const c of marked) {
    if (!newBy.get(c.id)) continue;
    markedBy.set(c.municipality, [...(markedBy.get(c.municipality) ?? []), specialCaseLabel(c)]);
  }
  const out: MunicipalityRevision[] = [];
  for (const [municipality, cells] of ctx1.cells) {
    if (opts.municipalities && !opts.municipalities.includes(municipality)) continue;
    const s = stored?.get(municipality);
    if (stored && !s) continue; // not in the vintage
    const r = explainRevision({
      year: opts.year,
      from: { asOf: fromAsOf, pooled: ctx0.pooled(opts.year), stored: s },
      to: { asOf: to, pooled: ctx1.pooled(opts.year) },
      cells,
      specialCells: special.filter((c) => c.municipality === municipality),
      markedCases: markedBy.get(municipality),
      drivers: drivers.get(municipality),
    });
    out.push({ municipality, fromCents: r.fromCents, toCents: r.toCents, components: r.components });
  }
  return { year: opts.year, fromAsOf, toAsOf: to, fromVintage: vintageId, municipalities: out };
}

/** P(year-end > budget) from the back-test's errors at this as-of month (the predictive distribution). */
export function overrunProbability(
  f: Pick<YearEndForecast, 'forecastCents' | 'sdCents' | 'year' | 'asOf'>,
  budgetCents: Cents,
  calibration: IntervalCalibration | null,
): number {
  return chanceAbove(f, budgetCents, calibration);
}

/**
 * Why the forecast of `year` changed up to `asOf`: since the latest vintage published before it (the figure
 * the council last saw), else since the same day a month earlier. Shared by the gemeente page and the reports.
 */
export async function latestExplanation(
  w: Warehouse,
  year: number,
  asOf: IsoDate,
): Promise<ForecastExplanation & { since: 'vintage' | 'month' }> {
  const region = (await forecastHistory(w, year, ['regio'])).find((h) => h.scope === 'regio');
  const last = region?.vintages.filter((v) => v.asOf < asOf).at(-1);
  if (last) return { ...(await explainForecast(w, { year, from: { vintage: last.id }, to: asOf })), since: 'vintage' };
  return {
    ...(await explainForecast(w, { year, from: { asOf: pointIn(asOf, addMonths(monthOf(asOf), -1)) }, to: asOf })),
    since: 'month',
  };
}

/**
 * The one Dutch lead sentence of a revision ("Sinds … steeg de prognose met …"). For aggregate roles
 * (`aggregate`) an earlier stand that is no published vintage gets no amount: its forecast was never published
 * to them, and the change from it is what was declared in between minus what was expected — a cut by
 * declaration date that may rest on a few clients (as componentsForAggregate drops the components' amounts).
 * Only the direction is said. A published vintage keeps its amounts: the caller shows it only where the
 * vintage is published to the role (publishedVintages).
 */
export function revisionLead(
  e: ForecastExplanation & { since: 'vintage' | 'month' },
  r: Revision,
  aggregate = false,
): string {
  const since =
    e.since === 'vintage'
      ? `de gepubliceerde prognose van ${formatDateNl(e.fromAsOf)}`
      : `de stand van ${formatDateNl(e.fromAsOf)}`;
  const d = r.toCents - r.fromCents;
  if (aggregate && e.since === 'month') {
    const moved = d === 0 ? 'niet veranderd' : d > 0 ? 'gestegen' : 'gedaald';
    return `Sinds ${since} is de prognose ${moved}. De prognose van die stand is niet gepubliceerd; daarom staan hier geen bedragen.`;
  }
  if (d === 0) return `De prognose is gelijk gebleven sinds ${since} (${formatEuroRounded(r.toCents)}).`;
  return `Sinds ${since} ${d > 0 ? 'steeg' : 'daalde'} de prognose met ${formatEuroRounded(Math.abs(d))}: van ${formatEuroRounded(r.fromCents)} naar ${formatEuroRounded(r.toCents)}.`;
}

export interface MultiYearCase {
  /** The base year Y: the forecast is made at its end (31 December) for Y + 1. */
  baseYear: number;
  year: number;
  forecastCents: Cents;
  lowCents: Cents;
  highCents: Cents;
  /** Carrying Y's year-end forecast over flat (the baseline). */
  flatCents: Cents;
  actualCents: Cents;
}

/**
 * The multi-year forecast's track record: for every year Y + 1 whose run-off is complete (and with two years
 * of data before Y), the forecast made at the end of Y (31 December, only declarations dated by then) for the
 * region, against the truth, beside carrying Y's forecast over flat.
 */
export async function multiYearTrackRecord(w: Warehouse): Promise<MultiYearCase[]> {
  const all = await w.runoff({});
  if (!all.length) return [];
  const latest = all.reduce((m, c) => (c.declarationDate > m ? c.declarationDate : m), '');
  const first = all.reduce((m, c) => (c.month < m ? c.month : m), '9999-12');
  const total = (y: number) => all.filter((c) => c.month.startsWith(`${y}-`)).reduce((s, c) => s + c.amountCents, 0);
  const out: MultiYearCase[] = [];
  for (let y = Number(first.slice(0, 4)) + 2; addMonths(`${y + 1}-12`, 12) <= monthOf(latest); y++) {
    const f = await multiYearForecast(w, { year: y, asOf: `${y}-12-31`, measuresFromLedger: false });
    const [next] = f.total.years;
    if (!next) throw new RangeError(`the multi-year forecast from ${y} has no year ${y + 1}`);
    out.push({
      baseYear: y,
      year: y + 1,
      forecastCents: next.totalCents,
      lowCents: next.lowCents,
      highCents: next.highCents,
      flatCents: f.total.base.forecastCents,
      actualCents: total(y + 1),
    });
  }
  return out;
}
