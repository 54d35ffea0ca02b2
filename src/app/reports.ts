/**
 * Report data (the app service of the reports): everything the reports show, gathered through the warehouse interface and the app layer
 * (forecast, back-test, budgets) and returned as plain data (integer cents, ISO dates, Dutch sentences).
 * The renderers (HTML → PDF, DOCX, XLSX) and the web app's on-screen A4 share it; nothing here formats
 * amounts except inside the Dutch sentences.
 *
 * "As of a month" means: the data as known at the end of that month — only declarations dated on or before
 * its last day. Comparisons with last year are like for like: last year's figures as known at the same
 * point last year (the same declaration lag), unless stated otherwise — and never for aggregate roles, who
 * compare with last year as known now (domain/insight/drivers-disclosure.ts likeForLikeRefusal).
 */
import type { DeficitExplanation, ReservationExplanation } from '../domain/steering/deficit.js';
import { deficitView } from './deficit.js';
import { protectLine, type ProtectedCell } from '../domain/disclosure.js';
import { at } from '../domain/indexing.js';
import { MIN_CLIENTS, roundCount } from '../domain/suppression.js';
import { budgetsFor, exampleBudgets } from './budgets.js';
import { isExample } from '../domain/example.js';
import { REGION_SCOPE, cellKpiYears, kpiOverview, protectKpiPaths } from './kpis.js';
import { measuresOverview } from './measures.js';
import { likeForLikeRefusal } from '../domain/insight/drivers-disclosure.js';
import { likeForLikeCutoffs } from '../domain/insight/like-for-like.js';
import { protectedYear, type ProtectedYear } from './disclosure.js';
import {
  latestExplanation,
  overrunProbability,
  regionBacktest,
  regionForecast,
  reportAsOf,
  revisionLead,
  type ForecastFigures,
  type MunicipalityForecast,
} from './forecast.js';
import { reliabilityOf, type Reliability } from '../domain/forecast/reliability.js';
import { componentSentence, componentsForAggregate } from '../domain/forecast/explain.js';
import { asOfMonthNumber } from '../domain/forecast/yearEnd.js';
import type { CostDevelopmentPoint } from '../charts/echarts.js';
import { PRODUCT_CATEGORIES, cbsMunicipality, type RegionMunicipality } from '../domain/codes/index.js';
import {
  driverSentence,
  sliceLabel,
  sliceSubject,
  type DriverDim,
  type PeriodRange,
  type SliceDecomposition,
} from '../domain/insight/decomposition.js';
import { formatEuroRounded, type Cents } from '../domain/money.js';
import { addMonths, formatDateNl, formatMonthNl, type IsoDate, type MonthKey } from '../domain/month.js';
import { ALLOCATION_KEY_LABELS, type PureAllocationKey } from '../domain/steering/allocation.js';
import { formatKpiValue, trafficLight, type TrafficLight } from '../domain/steering/kpi.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { decomposeDrivers, type Decomposition } from './drivers.js';
import { NO_PROVIDER_NAMES, providerNameWithCode, type ProviderNames } from '../domain/providers.js';

export type Light = TrafficLight;

/** One KPI line on the A4 (already formatted by whoever supplies it). */
export interface A4Kpi {
  name: string;
  value: string;
  /** Streefwaarde, formatted, when there is one. */
  target?: string | null;
  light: Light | null;
  period?: string;
  /** The figure (or its target) is an example, not a real measurement: shown as "voorbeeld". */
  example?: boolean;
}

export interface CategoryLine {
  category: string;
  label: string;
  cents: Cents;
  /** Share of the costs to date (0..1). */
  share: number;
  /** The same months last year, as known at `previousAsOf` (A4Data); null when there is no comparison. */
  previousCents: Cents | null;
}

export type { Reliability };

export interface BudgetStatus {
  budgetCents: Cents | null;
  /** forecast − budget (positive: expected overrun). */
  differenceCents: Cents | null;
  light: Light | null;
  /** The budget is (or includes) an example amount, not a real budget: shown as "voorbeeld". */
  example?: boolean;
  /** Dutch: "Prognose € 120.000 boven de begroting; …" or "geen begroting ingevoerd". */
  text: string;
}

/** One municipality's A4 (or the region's, with municipality `regio`). */
export interface A4Data {
  municipality: string;
  name: string;
  /** The region's name (app/region.ts), e.g. "Zuid-Holland Zuid". */
  regionName: string;
  year: number;
  /** The as-of month; the period is January … this month. */
  month: MonthKey;
  asOf: IsoDate;
  /**
   * The stand of last year's figures: the same point last year when like for like, else `asOf` (last year as
   * known now).
   */
  previousAsOf: IsoDate;
  /** Whether last year's figures are "even ver gedeclareerd" (like for like); false for aggregate roles. */
  likeForLike: boolean;
  /** "januari t/m juni 2025". */
  periodLabel: string;
  previousPeriodLabel: string;
  generatedOn: IsoDate;
  /** Net declared cost of the production months January … month, declared by asOf. */
  costsToDateCents: Cents;
  /**
   * The same months last year (as known at previousAsOf). Null for aggregate roles when one of those months is
   * hidden in the protected table: they compare with the months as known now, whose sum minus the published
   * months would give it back — no comparison with last year then.
   */
  previousCostsToDateCents: Cents | null;
  clients: number;
  previousClients: number | null;
  costPerClientCents: Cents | null;
  previousCostPerClientCents: Cents | null;
  forecast: ForecastFigures & { method: string };
  /** Last year's total as known at asOf. */
  /** Last year's total (null for aggregate roles when it is hidden in the protected table). */
  previousYearCents: Cents | null;
  monthly: CostDevelopmentPoint[];
  /** Totals of earlier years, as known at asOf (oldest first). */
  yearly: { year: number; actualCents: Cents }[];
  budget: BudgetStatus;
  categories: CategoryLine[];
  reliability: Reliability | null;
  kpis: A4Kpi[];
  /** What changed and why, in Dutch: a headline and a few sentences from the cost-driver decomposition. */
  changes: { headline: string; sentences: string[] };
  /** Why the forecast changed (since the last published forecast, else a month ago): a lead and the largest components. */
  revision: { lead: string; sentences: string[] } | null;
  /** P(year-end > budget), from the back-test's errors; null without a budget. */
  overrunChance: number | null;
  /** The measures of this municipality (or the region) and the coverage of its savings target; null without either. */
  measures?: ReportMeasures | null;
  notes: string[];
}

/** One measure in a report: plan and realisation in the report's year (app/measures.ts measuresOverview). */
export interface ReportMeasureLine {
  id: string;
  title: string;
  status: string;
  plannedCents: Cents;
  riskAdjustedCents: Cents;
  expectedCents: Cents;
  /** Realised so far (difference-in-differences) with its 80% range; null when not measurable (see note). */
  realisedCents: Cents | null;
  lowCents: Cents | null;
  highCents: Cents | null;
  note: string;
  example: boolean;
}

/** Coverage of a savings target: a municipality against its own target, or the region row. */
export interface ReportCoverageRow {
  scope: string;
  name: string;
  targetCents: Cents | null;
  riskAdjustedCents: Cents;
  /** What is set against the target (the region row without a target of its own: only municipalities with one). */
  countedCents: Cents;
  coverage: number | null;
  gapCents: Cents | null;
  example: boolean;
}

export interface ReportMeasures {
  year: number;
  lines: ReportMeasureLine[];
  coverage: ReportCoverageRow[];
  /** The methods (realised; expected) in one Dutch sentence each. */
  method: string;
  planMethod: string;
  /** Whole years from the protected tables (aggregate roles) instead of mature months. */
  protectedBasis: boolean;
}

export interface A4Options {
  /** As-of month (YYYY-MM). */
  month: MonthKey;
  /** Municipality codes (default: every municipality of the region). */
  municipalities?: string[];
  /** Budgets per municipality; default: `budgetsFor` (src/app/budgets.ts) as of the as-of date. */
  budgets?: ReadonlyMap<string, Cents>;
  /** KPIs per municipality (and `regio`) with their traffic lights; default: reportKpis (src/app/kpis.ts). */
  kpis?: ReadonlyMap<string, A4Kpi[]>;
  /** Years to back-test (default: every year whose run-off is complete). */
  backtestYears?: number[];
  /** The stand (default: reportAsOf — the dashboard's, the latest declaration date, for the newest month). */
  asOf?: IsoDate;
  /** Date printed as "gemaakt op" (default: today). */
  generatedOn?: IsoDate;
  /** How many category lines before "overig" (default 7). */
  maxCategories?: number;
  /**
   * For aggregate roles (raad): counts rounded to 5 (hidden below 10, with the amounts resting on them),
   * cost per client from the rounded count, category lines protected (a category is shown on its own only
   * when it rests on at least 10 clients in both periods, with secondary suppression; the rest is "overig"),
   * no per-category change sentences, and last year compared as known now, never like for like (none at all
   * when one of last year's months up to the same month is hidden); the driver split on rounded counts.
   */
  protect?: boolean;
}

/** "januari t/m juni 2025" (or "januari 2025"). */
export function periodLabel(month: MonthKey): string {
  const y = month.slice(0, 4);
  const first = `${y}-01`;
  return month === first ? formatMonthNl(month) : `januari t/m ${formatMonthNl(month)}`;
}

export function municipalityName(code: string, refs?: readonly RegionMunicipality[]): string {
  return refs?.find((m) => m.code === code)?.name ?? cbsMunicipality(code)?.name ?? code;
}

const today = (): IsoDate => new Date().toISOString().slice(0, 10);

/** The region's municipalities (reference data), or the ones asked for. */
async function regionCodes(w: Warehouse, asked?: string[]): Promise<{ codes: string[]; refs: RegionMunicipality[] }> {
  const refs = await w.municipalities();
  let codes = asked?.length ? [...asked] : refs.map((m) => m.code);
  if (!codes.length) codes = (await w.costs({ by: ['municipality'] })).map((r) => r.municipality!);
  return { codes: [...new Set(codes)].sort(), refs };
}

/** Complete years before `year` with data (first data year excluded: it has no run-off history), at most three. */
function group<T>(rows: readonly T[], key: (r: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}

const sum = <T>(xs: readonly T[], f: (x: T) => number) => xs.reduce((s, x) => s + f(x), 0);

/**
 * The cost-driver decomposition of `after` against the same months a year earlier, like for like: the later
 * period as known at `asOf`, the earlier as known at `previousAsOf` (the same declaration lag; both as known
 * now when `previousAsOf` is `asOf`). `aggregate` for aggregate roles (as on Kostendrijvers: from the cells only).
 */
export function likeForLikeDrivers(
  w: Warehouse,
  q: {
    by: Exclude<DriverDim, 'total'>;
    after: PeriodRange;
    asOf: IsoDate;
    previousAsOf: IsoDate;
    municipalities?: string[];
    aggregate?: boolean;
  },
): Promise<Decomposition> {
  const before = { from: addMonths(q.after.from, -12), to: addMonths(q.after.to, -12) };
  return decomposeDrivers(w, {
    by: q.by,
    before,
    after: q.after,
    municipalities: q.municipalities,
    likeForLike: { beforeAsOf: q.previousAsOf, afterAsOf: q.asOf },
    aggregate: q.aggregate,
  });
}

function budgetStatus(budget: Cents | null | undefined, f: ForecastFigures): BudgetStatus {
  if (budget === null || budget === undefined)
    return { budgetCents: null, differenceCents: null, light: null, text: 'geen begroting ingevoerd' };
  const diff = f.forecastCents - budget;
  let light: Light;
  let text: string;
  if (diff <= 0) {
    light = 'groen';
    text = `Prognose ${formatEuroRounded(-diff)} onder de begroting.`;
  } else if (f.lowCents <= budget) {
    light = 'oranje';
    text = `Prognose ${formatEuroRounded(diff)} boven de begroting; de begroting ligt nog binnen de bandbreedte.`;
  } else {
    light = 'rood';
    text = `Prognose ${formatEuroRounded(diff)} boven de begroting; overschrijding vrijwel zeker (ook de ondergrens ligt erboven).`;
  }
  return { budgetCents: budget, differenceCents: diff, light, text };
}

function headline(year: number, f: ForecastFigures, previousYearCents: Cents | null): string {
  const base = `De prognose voor ${year} is ${formatEuroRounded(f.forecastCents)} (80%-bandbreedte ${formatEuroRounded(f.lowCents)} – ${formatEuroRounded(f.highCents)})`;
  if (previousYearCents === null || previousYearCents <= 0) return `${base}.`;
  const rel = f.forecastCents / previousYearCents - 1;
  const p = new Intl.NumberFormat('nl-NL', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(
    Math.abs(rel) * 100,
  );
  const dir = Math.abs(rel) < 0.0005 ? 'gelijk aan' : `${p}% ${rel > 0 ? 'hoger' : 'lager'} dan`;
  return `${base}, ${dir} de kosten over ${year - 1} (${formatEuroRounded(previousYearCents)}).`;
}

/** How last year's figures are compared, in Dutch: "even ver gedeclareerd" or "zoals nu bekend". */
export const comparisonWords = (likeForLike: boolean) => (likeForLike ? 'even ver gedeclareerd' : 'zoals nu bekend');

function changeSentences(d: Decomposition, previousPeriodLabel: string, top: number, likeForLike: boolean): string[] {
  if (!d.slices.length) return ['Geen declaraties in deze periode.'];
  const out = [
    `Vergeleken met ${previousPeriodLabel} (${comparisonWords(likeForLike)}): ${lowerFirst(driverSentence('De kosten', d.total, d.total.unit, d.perClient))}`,
  ];
  for (const s of d.slices.slice(0, top))
    if (Math.round(s.changeCents / 100) !== 0)
      out.push(driverSentence(sliceSubject('category', s.slice), s, s.unit, d.perClient));
  return out;
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/**
 * The published cells of earlier years an A4's charts draw for aggregate roles: a municipality's month of
 * last year and its totals of earlier years, from the protected tables (null when hidden there).
 */
interface PastCells {
  month(code: string, month: MonthKey): Cents | null;
  total(code: string, year: number): Cents | null;
  /** Whether the year's cell of municipality × category is published (a category without costs: yes). */
  categoryShown(code: string, year: number, category: string): boolean;
}

async function pastCells(w: Warehouse, years: number[]): Promise<PastCells> {
  const pys = new Map(
    await Promise.all(years.map(async (y) => [y, await protectedYear((q) => w.costs(q), y)] as const)),
  );
  const shown = (c: ProtectedCell | undefined): Cents | null => (c?.hidden === null ? c.amountCents : null);
  // The region ('regio', the maand report's first page): the margins of the same tables.
  return {
    month: (code, month) => {
      const t = pys.get(Number(month.slice(0, 4)))?.cross('month');
      return shown(code === 'regio' ? t?.colTotal(month) : t?.cell(code, month));
    },
    total: (code, year) => {
      const py = pys.get(year);
      return shown(code === 'regio' ? py?.region : py?.municipality(code));
    },
    categoryShown: (code, year, category) => {
      const t = pys.get(year)?.cross('category');
      if (!t) return false;
      if (!t.cols.includes(category)) return true;
      return (code === 'regio' ? t.colTotal(category) : t.cell(code, category)).hidden === null;
    },
  };
}

/** Why an aggregate role's A4 has no comparison with last year (see A4Data.previousCostsToDateCents). */
export const NO_COMPARISON = 'een maand daarvan rust op te weinig cliënten om te tonen';

/** The protected form of an A4 (see A4Options.protect). */
function protectA4(
  d: A4Data,
  p: {
    cats: { category?: string; amountCents: Cents; clients?: number }[];
    prevCats: { category?: string; amountCents: Cents; clients?: number }[];
  },
  max: number,
  past: PastCells,
): A4Data {
  const line = (rows: typeof p.cats, total: Cents, clients: number) =>
    protectLine(new Map(rows.map((r) => [r.category ?? '', { clients: r.clients ?? 0, amountCents: r.amountCents }])), {
      clients,
      amountCents: total,
    }).cells;
  const prevTotal = d.previousCostsToDateCents ?? 0;
  const prevClientsRaw = d.previousClients ?? 0;
  const now = line(p.cats, d.costsToDateCents, d.clients);
  const prev = line(p.prevCats, prevTotal, prevClientsRaw);
  // A category gets a line of its own only when the year tables the rest of the view uses publish its cells
  // of this year and the year before, and its own line (the cut up to the month) does not hide it. Its part
  // of this year up to the latest month is that year cell as far as declared: a line for a cell the year
  // table hides would show it, and "Overige" minus the published cells of its categories would give back
  // the hidden ones (the line's own suppression need not agree with the year table's).
  const open = (k: string) =>
    now.get(k)?.hidden === null &&
    (!prev.has(k) || prev.get(k)!.hidden === null) &&
    past.categoryShown(d.municipality, d.year, k) &&
    past.categoryShown(d.municipality, d.year - 1, k);
  const shownNow = p.cats.filter((r) => open(r.category ?? ''));
  const shownPrev = p.prevCats.filter((r) => open(r.category ?? ''));
  const lines = categoryLines(shownNow, shownPrev, Number.MAX_SAFE_INTEGER).map((l) => ({
    ...l,
    share: d.costsToDateCents > 0 ? l.cents / d.costsToDateCents : 0,
  }));
  const keep = lines.slice(0, Math.max(0, max - 1));
  const restNow = d.costsToDateCents - sum(keep, (l) => l.cents);
  const restPrev = prevTotal - sum(keep, (l) => l.previousCents ?? 0);
  const restCount = new Set([...p.cats, ...p.prevCats].map((r) => r.category ?? '')).size - keep.length;
  const categories =
    restCount > 0
      ? [
          ...keep,
          {
            category: 'overig',
            label: `Overige categorieën (${restCount})`,
            cents: restNow,
            share: d.costsToDateCents > 0 ? restNow / d.costsToDateCents : 0,
            previousCents: restPrev,
          },
        ]
      : keep;
  const clients = d.clients < MIN_CLIENTS ? 0 : roundCount(d.clients);
  const previousClients = prevClientsRaw < MIN_CLIENTS ? 0 : roundCount(prevClientsRaw);
  // Last year's months up to the same month as known now: a sum of published month cells, or no comparison
  // (minus the published months it would give a hidden one back).
  const compared =
    d.likeForLike ||
    Array.from({ length: Number(d.month.slice(5, 7)) }, (_, i) => addMonths(`${d.year - 1}-01`, i)).every(
      (m) => past.month(d.municipality, m) !== null,
    );
  // Last year's months and the earlier years' totals are published cells (as known now): hidden ones not drawn.
  const previousYearCents = past.total(d.municipality, d.year - 1);
  const yearly = d.yearly.flatMap((y) => {
    const c = past.total(d.municipality, y.year);
    return c === null ? [] : [{ year: y.year, actualCents: c }];
  });
  return {
    ...d,
    previousYearCents,
    monthly: d.monthly.map((m) => ({ ...m, previousCents: past.month(d.municipality, addMonths(m.month, -12)) })),
    yearly,
    clients,
    costPerClientCents: clients > 0 ? Math.round(d.costsToDateCents / clients) : null,
    ...(compared
      ? {
          previousClients,
          previousCostPerClientCents: previousClients > 0 ? Math.round(prevTotal / previousClients) : null,
          categories,
        }
      : {
          previousCostsToDateCents: null,
          previousClients: null,
          previousCostPerClientCents: null,
          categories: categories.map((c) => ({ ...c, previousCents: null })),
        }),
    changes: {
      headline: headline(d.year, d.forecast, previousYearCents),
      sentences: compared
        ? d.changes.sentences.slice(0, 1)
        : [`Geen vergelijking met ${d.previousPeriodLabel}: ${NO_COMPARISON}.`],
    },
    notes: [
      ...d.notes,
      'Aantallen cliënten afgerond op 5; categorieën met minder dan 10 cliënten vallen onder “overige”.',
    ],
  };
}

function categoryLines(
  now: { category?: string; amountCents: Cents }[],
  prev: { category?: string; amountCents: Cents }[],
  max: number,
): CategoryLine[] {
  const prevBy = new Map(prev.map((r) => [r.category ?? '', r.amountCents]));
  const total = sum(now, (r) => r.amountCents);
  const cats = [...new Set([...now.map((r) => r.category ?? ''), ...prevBy.keys()])];
  const nowBy = new Map(now.map((r) => [r.category ?? '', r.amountCents]));
  const lines = cats
    .map((c) => ({
      category: c,
      label: `${c} ${PRODUCT_CATEGORIES[c] ?? ''}`.trim(),
      cents: nowBy.get(c) ?? 0,
      share: 0,
      previousCents: prevBy.get(c) ?? 0,
    }))
    .sort((a, b) => b.cents - a.cents || b.previousCents - a.previousCents || a.category.localeCompare(b.category));
  let shown = lines;
  if (lines.length > max) {
    const rest = lines.slice(max - 1);
    shown = [
      ...lines.slice(0, max - 1),
      {
        category: 'overig',
        label: `Overige categorieën (${rest.length})`,
        cents: sum(rest, (r) => r.cents),
        share: 0,
        previousCents: sum(rest, (r) => r.previousCents),
      },
    ];
  }
  return shown.map((l) => ({ ...l, share: total > 0 ? l.cents / total : 0 }));
}

const ZERO_FORECAST: ForecastFigures & { method: string; months: MunicipalityForecast['months'] } = {
  declaredCents: 0,
  ibnrCents: 0,
  remainingCents: 0,
  forecastCents: 0,
  lowCents: 0,
  highCents: 0,
  method: 'geen gegevens',
  months: [],
};

/** As on the KPI page, but euros without cents (the A4 is short on room). */
function kpiValue(value: number, unit: string): string {
  if (unit === '€') return `€ ${new Intl.NumberFormat('nl-NL', { maximumFractionDigits: 0 }).format(value)}`;
  return formatKpiValue(value, unit);
}

/**
 * KPIs with a traffic light per scope (municipality code or `regio`), as known at the report date: entered
 * values dated on or before `asOf`; yearly figures only for complete years before `year`.
 */
/** KPIs on one A4: the most urgent (red first); more do not fit beside the story of what changed. */
export const A4_MAX_KPIS = 2;

export async function reportKpis(
  w: Warehouse,
  year: number,
  asOf: IsoDate,
  max = 5,
  protect = false,
): Promise<Map<string, A4Kpi[]>> {
  const overview = await kpiOverview(w, {});
  const out = new Map<string, A4Kpi[]>();
  const eligible = (period: string) => (/^\d{4}$/.test(period) ? Number(period) < year : period <= asOf);
  // Aggregate roles: the computed KPIs (and their lights) from the protected tables of their years only.
  let paths = overview.paths;
  if (protect) {
    const refs = await w.municipalities();
    const years = cellKpiYears(paths).filter((y) => y < year);
    const pys = new Map(
      await Promise.all(years.map(async (y) => [String(y), await protectedYear((q) => w.costs(q), y)] as const)),
    );
    const youthsOf = (scope: string) =>
      scope === REGION_SCOPE ? sum(refs, (m) => m.youths) : (refs.find((m) => m.code === scope)?.youths ?? 0);
    paths = protectKpiPaths(paths, pys, youthsOf);
  }
  for (const p of paths) {
    const d = p.definition;
    const latest = [...p.points].reverse().find((x) => eligible(x.period) && x.value !== null);
    if (!latest || latest.value === null) continue;
    const light = trafficLight(d, latest.value);
    if (!light) continue;
    const scope = d.scope.kind === 'region' ? 'regio' : d.scope.municipality;
    const list = out.get(scope) ?? [];
    list.push({
      name: d.name,
      value: kpiValue(latest.value, d.unit),
      target: d.target != null ? kpiValue(d.target, d.unit) : null,
      light,
      period: latest.period.length === 10 ? formatDateNl(latest.period) : latest.period,
      example: isExample(d.source),
    });
    out.set(scope, list);
  }
  const order: Record<Light, number> = { rood: 0, oranje: 1, groen: 2 };
  for (const [k, list] of out) out.set(k, list.sort((a, b) => order[a.light!] - order[b.light!]).slice(0, max));
  return out;
}

export interface RegionOverview {
  /** The region as a whole, in the same shape as a municipality's A4 (municipality `regio`). */
  region: A4Data;
  municipalities: A4Data[];
}

/**
 * The A4 data of every municipality asked for (default: the whole region) and of the region as a whole,
 * gathered with one forecast, one back-test and a few grouped queries for all of them.
 */
export async function gatherRegion(w: Warehouse, opts: A4Options): Promise<RegionOverview> {
  return (await gather(w, opts, true)) as RegionOverview;
}

async function gather(
  w: Warehouse,
  opts: A4Options,
  withRegion: boolean,
): Promise<{ region: A4Data | null; municipalities: A4Data[] }> {
  const month = opts.month;
  const year = Number(month.slice(0, 4));
  const first = `${year}-01`;
  // One stand everywhere: the report's as-of date is the one the dashboard shows (see reportAsOf).
  const asOf = await reportAsOf(w, month, opts.asOf);
  const prevMonth = addMonths(month, -12);
  // Last year's months as known at the same point last year (like for like), or — aggregate roles — as known
  // now: last year's stand is no published table, its difference with the months as known now a cut by
  // declaration date (domain/insight/drivers-disclosure.ts).
  const likeForLike = likeForLikeRefusal(opts.protect === true) === null;
  // Analysts: up to the same day a year earlier (domain/insight/like-for-like.ts), the same declaration lag.
  const previousAsOf = likeForLike ? likeForLikeCutoffs(prevMonth, month, asOf).beforeAsOf : asOf;
  const asOfMonth = asOfMonthNumber(year, asOf);
  const { codes, refs } = await regionCodes(w, opts.municipalities);
  const regionName = await w.regionName();
  const generatedOn = opts.generatedOn ?? today();
  const maxCats = opts.maxCategories ?? 7;
  const btYears = opts.backtestYears;

  const [forecast, budgets, ytd, ytdPrev, ytdTotal, ytdPrevTotal, catNow, catPrev, prevMonthly, yearly, bt, kpis] =
    await Promise.all([
      regionForecast(w, year, asOf, codes),
      opts.budgets ? Promise.resolve(opts.budgets) : budgetsFor(w, year, codes, asOf),
      w.costs({ by: ['municipality'], year, to: month, asOf, municipalities: codes }),
      w.costs({ by: ['municipality'], year: year - 1, to: prevMonth, asOf: previousAsOf, municipalities: codes }),
      w.costs({ by: [], year, to: month, asOf, municipalities: codes }),
      w.costs({ by: [], year: year - 1, to: prevMonth, asOf: previousAsOf, municipalities: codes }),
      w.costs({ by: ['municipality', 'category'], year, to: month, asOf, municipalities: codes }),
      w.costs({
        by: ['municipality', 'category'],
        year: year - 1,
        to: prevMonth,
        asOf: previousAsOf,
        municipalities: codes,
      }),
      w.costs({ by: ['municipality', 'month'], year: year - 1, asOf, municipalities: codes }),
      w.costs({
        by: ['municipality', 'year'],
        from: `${year - 4}-01`,
        to: `${year - 1}-12`,
        asOf,
        municipalities: codes,
      }),
      regionBacktest(w, btYears, codes),
      opts.kpis ? Promise.resolve(opts.kpis) : reportKpis(w, year, asOf, A4_MAX_KPIS, opts.protect === true),
    ]);
  const examples = opts.budgets ? new Set<string>() : await exampleBudgets(w, year, codes, asOf);
  const past = opts.protect ? await pastCells(w, [year - 4, year - 3, year - 2, year - 1, year]) : null;
  const after = { from: first, to: month };
  const drivers = new Map<string, Awaited<ReturnType<typeof likeForLikeDrivers>>>();
  const driverScopes = withRegion ? ['regio', ...codes] : codes;
  // Two at a time: the engine parallelises within a query as well.
  for (let i = 0; i < driverScopes.length; i += 2) {
    const part = driverScopes.slice(i, i + 2);
    const res = await Promise.all(
      part.map((code) =>
        likeForLikeDrivers(w, {
          by: 'category',
          after,
          asOf,
          previousAsOf,
          municipalities: code === 'regio' ? codes : [code],
          // Aggregate roles: clients × cost per client from the cells and rounded counts, never per product
          // (as on Kostendrijvers: domain/insight/drivers-disclosure.ts decomposeForAggregate).
          aggregate: opts.protect === true,
        }),
      ),
    );
    part.forEach((code, k) => drivers.set(code, at(res, k)));
  }

  const fBy = new Map(forecast.municipalities.map((m) => [m.municipality, m]));
  const byMuni = <T extends { municipality?: string }>(rows: T[]) => group(rows, (r) => r.municipality ?? '');
  const ytdBy = new Map(ytd.map((r) => [r.municipality!, r]));
  const ytdPrevBy = new Map(ytdPrev.map((r) => [r.municipality!, r]));
  const catNowBy = byMuni(catNow);
  const catPrevBy = byMuni(catPrev);
  const prevMonthlyBy = byMuni(prevMonthly);
  const yearlyBy = byMuni(yearly);
  const btBy = new Map(bt.map((b) => [b.municipality, b.report]));
  const explanation = await latestExplanation(w, year, asOf);
  // The region's revision: the municipalities' components added up, kind by kind (still exact).
  const regionRevision = () => {
    const rs = explanation.municipalities.filter((m) => codes.includes(m.municipality));
    const [one] = rs;
    if (!one) return null;
    const kinds = one.components.map((c) => c.kind);
    const total = { fromCents: sum(rs, (r) => r.fromCents), toCents: sum(rs, (r) => r.toCents) };
    const comps = kinds.map((k, i) => ({ kind: k, cents: sum(rs, (r) => at(r.components, i).cents) }));
    const top = comps
      .filter((c) => c.cents !== 0)
      .sort((a, b) => Math.abs(b.cents) - Math.abs(a.cents))
      .slice(0, 1);
    return {
      lead: revisionLead(explanation, { ...total, components: [] }, opts.protect === true),
      sentences: opts.protect
        ? componentsForAggregate(comps)
            .slice(0, 1)
            .map((c) => c.text)
        : top.map((c) => componentSentence(c.kind, c.cents)),
    };
  };
  const revisionOf = (code: string) => {
    const r = explanation.municipalities.find((m) => m.municipality === code);
    if (!r) return null;
    // One page: the lead and the largest component (the gemeente page and the API give all of them).
    const top = r.components
      .filter((c) => c.cents !== 0)
      .sort((a, b) => Math.abs(b.cents) - Math.abs(a.cents))
      .slice(0, 1);
    // Aggregate roles: its direction and cause without the amount (componentsForAggregate).
    const sentences = opts.protect
      ? componentsForAggregate(r.components)
          .slice(0, 1)
          .map((c) => c.text)
      : top.map((c) => c.text);
    return { lead: revisionLead(explanation, r, opts.protect === true), sentences };
  };

  const build = (
    code: string,
    name: string,
    p: {
      f: ForecastFigures & { method: string; months: MunicipalityForecast['months'] };
      now: { amountCents: Cents; clients: number } | undefined;
      prev: { amountCents: Cents; clients: number } | undefined;
      cats: { category?: string; amountCents: Cents; clients?: number }[];
      prevCats: { category?: string; amountCents: Cents; clients?: number }[];
      prevMonths: { month?: string; amountCents: Cents }[];
      years: { year?: string; amountCents: Cents }[];
      budget: Cents | null;
      reliability: Reliability | null;
      kpis: A4Kpi[];
      revision: A4Data['revision'];
      overrunChance: number | null;
    },
  ): A4Data => {
    const prevByMonth = new Map(p.prevMonths.map((r) => [r.month!, r.amountCents]));
    const yearTotals = new Map<number, Cents>();
    for (const r of p.years) yearTotals.set(Number(r.year), (yearTotals.get(Number(r.year)) ?? 0) + r.amountCents);
    const costsToDate = p.now?.amountCents ?? 0;
    const clients = p.now?.clients ?? 0;
    const prevCosts = p.prev?.amountCents ?? 0;
    const prevClients = p.prev?.clients ?? 0;
    const previousYearCents = yearTotals.get(year - 1) ?? 0;
    const months = p.f.months.length
      ? p.f.months
      : Array.from({ length: 12 }, (_, i) => ({
          month: addMonths(first, i),
          declaredCents: 0,
          ibnrCents: 0,
          remainingCents: 0,
        }));
    const prevLabel = periodLabel(prevMonth);
    const notes: string[] = [];
    if (!p.reliability || p.reliability.mape === null)
      notes.push('Nog te weinig historie om de prognose terug te toetsen.');
    const d = drivers.get(code)!;
    if (past) return protectA4(built(), p, maxCats, past);
    return built();
    function built(): A4Data {
      return {
        municipality: code,
        name,
        regionName,
        year,
        month,
        asOf,
        previousAsOf,
        likeForLike,
        periodLabel: periodLabel(month),
        previousPeriodLabel: prevLabel,
        generatedOn,
        costsToDateCents: costsToDate,
        previousCostsToDateCents: prevCosts,
        clients,
        previousClients: prevClients,
        costPerClientCents: clients > 0 ? Math.round(costsToDate / clients) : null,
        previousCostPerClientCents: prevClients > 0 ? Math.round(prevCosts / prevClients) : null,
        forecast: {
          declaredCents: p.f.declaredCents,
          ibnrCents: p.f.ibnrCents,
          remainingCents: p.f.remainingCents,
          forecastCents: p.f.forecastCents,
          lowCents: p.f.lowCents,
          highCents: p.f.highCents,
          method: p.f.method,
        },
        previousYearCents,
        monthly: months.map((m) => ({
          month: m.month,
          declaredCents: m.declaredCents,
          openCents: m.ibnrCents,
          forecastCents: m.remainingCents,
          previousCents: prevByMonth.get(addMonths(m.month, -12)) ?? null,
        })),
        yearly: [...yearTotals].sort(([a], [b]) => a - b).map(([y, c]) => ({ year: y, actualCents: c })),
        budget: {
          ...budgetStatus(p.budget, p.f),
          ...(p.budget !== null && examples.has(code) ? { example: true } : {}),
        },
        categories: categoryLines(p.cats, p.prevCats, maxCats),
        reliability: p.reliability,
        kpis: p.kpis,
        changes: {
          headline: headline(year, p.f, previousYearCents),
          sentences: changeSentences(d, prevLabel, p.revision ? 1 : 2, likeForLike),
        },
        revision: p.revision,
        overrunChance: p.overrunChance,
        notes,
      };
    }
  };

  const municipalities = codes.map((code) =>
    build(code, municipalityName(code, refs), {
      f: fBy.get(code) ?? ZERO_FORECAST,
      now: ytdBy.get(code),
      prev: ytdPrevBy.get(code),
      cats: catNowBy.get(code) ?? [],
      prevCats: catPrevBy.get(code) ?? [],
      prevMonths: prevMonthlyBy.get(code) ?? [],
      years: yearlyBy.get(code) ?? [],
      budget: budgets.get(code) ?? null,
      reliability: btBy.get(code) ? reliabilityOf(btBy.get(code)!.cases, asOfMonth) : null,
      kpis: kpis.get(code) ?? [],
      revision: revisionOf(code),
      overrunChance:
        fBy.get(code) && budgets.has(code)
          ? overrunProbability(fBy.get(code)!, budgets.get(code)!, forecast.calibration.municipalities)
          : null,
    }),
  );

  // Measures: one overview for all, each A4 its own part.
  const [allMeasures, storedMeasures] = await Promise.all([
    reportMeasures(w, year, asOf, opts.protect === true),
    w.measures(),
  ]);
  for (const m of municipalities) m.measures = measuresFor(allMeasures, m.municipality, storedMeasures);
  if (!withRegion) return { region: null, municipalities };
  // The region: sums of the municipalities; its forecast interval is the region's own (app/forecast.ts).
  const regionMonths = (municipalities[0]?.monthly ?? []).map((m, i) => ({
    month: m.month,
    declaredCents: sum(municipalities, (x) => at(x.monthly, i).declaredCents),
    ibnrCents: sum(municipalities, (x) => at(x.monthly, i).openCents),
    remainingCents: sum(municipalities, (x) => at(x.monthly, i).forecastCents),
    expectedCents: 0,
    share: 0,
    status: 'developing' as const,
  }));
  const allBudgets = codes.every((c) => budgets.has(c));
  const catSum = (rows: { category?: string; amountCents: Cents }[]) =>
    [...group(rows, (r) => r.category ?? '')].map(([category, rs]) => ({
      category,
      amountCents: sum(rs, (r) => r.amountCents),
    }));
  const region = build('regio', regionName, {
    f: { ...forecast.total, method: fBy.values().next().value?.method ?? ZERO_FORECAST.method, months: regionMonths },
    now: ytdTotal[0],
    prev: ytdPrevTotal[0],
    cats: catSum(catNow),
    prevCats: catSum(catPrev),
    prevMonths: [...group(prevMonthly, (r) => r.month ?? '')].map(([m, rs]) => ({
      month: m,
      amountCents: sum(rs, (r) => r.amountCents),
    })),
    years: yearly,
    budget: allBudgets && codes.length ? sum(codes, (c) => budgets.get(c)!) : null,
    reliability: null,
    kpis: kpis.get('regio') ?? [],
    revision: regionRevision(),
    overrunChance:
      allBudgets && codes.length
        ? overrunProbability(
            { ...forecast.total, year, asOf },
            sum(codes, (c) => budgets.get(c)!),
            forecast.calibration.region,
          )
        : null,
  });
  if (region.budget.budgetCents !== null) region.budget.example = municipalities.some((m) => m.budget.example);
  if (!allBudgets && budgets.size)
    region.budget.text = `begroting niet voor alle gemeenten ingevoerd (${budgets.size} van ${codes.length})`;
  region.notes = region.notes.filter((n) => !n.startsWith('Nog te weinig historie'));
  region.measures = measuresFor(allMeasures, 'regio', storedMeasures);
  return { region, municipalities };
}

/**
 * The measures section of the reports from the one measures service (app/measures.ts measuresOverview): every
 * measure that counts in the year with plan and realisation, and the coverage rows. With `protect`, the
 * realisations come from the protected tables only (whole production years).
 */
export async function reportMeasures(
  w: Warehouse,
  year: number,
  asOf: IsoDate,
  protect = false,
): Promise<ReportMeasures> {
  const pys = new Map<number, Promise<ProtectedYear>>();
  const pyFor = (y: number) => {
    let p = pys.get(y);
    if (!p) pys.set(y, (p = protectedYear((q) => w.costs(q), y)));
    return p;
  };
  const [o, targets, refs, regionName] = await Promise.all([
    measuresOverview(w, year, { asOf, protectedYear: protect ? pyFor : undefined }),
    w.savingsTargets({ year }),
    w.municipalities(),
    w.regionName(),
  ]);
  const exampleTarget = new Set(targets.filter((t) => isExample(t.description)).map((t) => t.municipality ?? 'regio'));
  return {
    year,
    lines: o.lines.map((l) => ({
      id: l.measure.id,
      title: l.measure.title,
      status: l.measure.status,
      plannedCents: l.plannedCents,
      riskAdjustedCents: l.riskAdjustedCents,
      expectedCents: l.expectedCents,
      realisedCents: l.realised?.cents ?? null,
      lowCents: l.realised?.lowCents ?? null,
      highCents: l.realised?.highCents ?? null,
      note: l.realisedNote ?? '',
      example: isExample(l.measure.description),
    })),
    coverage: o.coverage.rows.map((r) => ({
      scope: r.scope,
      name: r.scope === 'regio' ? `Regio ${regionName}` : municipalityName(r.scope, refs),
      targetCents: r.targetCents,
      riskAdjustedCents: r.riskAdjustedCents,
      countedCents: r.countedRiskAdjustedCents,
      coverage: r.coverage,
      gapCents: r.gapCents,
      example: exampleTarget.has(r.scope),
    })),
    method: o.didMethod,
    planMethod: `Verwacht = ${o.planMethod.replace('verandering t.o.v. het basisjaar van ', '')}.`,
    protectedBasis: o.basis === 'protected',
  };
}

/** The rows of the measures table (shared by the Burap's PDF and DOCX and the A4). */
export function measureRows(m: ReportMeasures, money: (c: number) => string): string[][] {
  return m.lines.map((l) => [
    `${l.id} ${l.title}${l.example ? ' (voorbeeld)' : ''}`,
    l.status,
    money(l.plannedCents),
    money(l.riskAdjustedCents),
    money(l.expectedCents),
    l.realisedCents === null ? '—' : money(l.realisedCents),
    l.lowCents !== null && l.highCents !== null ? `${money(l.lowCents)} – ${money(l.highCents)}` : '—',
    l.note,
  ]);
}
export const MEASURE_HEADERS = (year: number) => [
  'Maatregel',
  'Status',
  `Gepland ${year}`,
  'Risicogewogen',
  'Verwacht',
  'Gerealiseerd tot nu',
  '80%-bandbreedte',
  'Toelichting',
];

/** The rows of the coverage table: only rows with a target (a municipality against its own; the region row). */
export function coverageRows(m: ReportMeasures, money: (c: number) => string, pct: (x: number) => string): string[][] {
  return m.coverage
    .filter((r) => r.targetCents !== null)
    .map((r) => [
      `${r.name}${r.example ? ' (voorbeeld)' : ''}`,
      money(r.targetCents ?? 0),
      money(r.countedCents),
      r.coverage === null ? '—' : pct(r.coverage),
      r.gapCents === null ? '—' : r.gapCents > 0 ? money(r.gapCents) : 'gedekt',
    ]);
}
export const COVERAGE_HEADERS = ['Gemeente', 'Taakstelling', 'Risicogewogen besparing', 'Dekking', 'Nog te vinden'];

/** One municipality's part of the measures section (for its A4): its own measures and its own coverage row. */
export function measuresFor(
  all: ReportMeasures,
  code: string,
  measures: readonly { id: string; scope: { municipalities: readonly string[] } }[],
): ReportMeasures | null {
  const own = new Set(
    measures
      .filter((m) =>
        code === 'regio' ? true : m.scope.municipalities.length === 1 && m.scope.municipalities[0] === code,
      )
      .map((m) => m.id),
  );
  const lines = all.lines.filter((l) => own.has(l.id));
  const coverage = all.coverage.filter((r) => r.scope === code && r.targetCents !== null);
  return lines.length || coverage.length ? { ...all, lines, coverage } : null;
}

/**
 * What an A4 of `year` reads besides the ledger: data entered between imports (KPI definitions and values,
 * budget and local-provision lines, measures and savings targets, the municipality register, the region's name,
 * published forecasts, marked special cases). A cache of A4s per data version must be keyed on these as well
 * (web/pages/downloads.ts), or a KPI, norm or budget entered after an import shows only after the next one.
 * Small tables, read whole; whoever makes the A4 read another entered table adds it here (src/app/a4-inputs.test.ts
 * watches the A4's warehouse reads and fails on one that is neither of the ledger nor made here).
 */
export async function a4Inputs(w: Warehouse, year: number): Promise<unknown[]> {
  return Promise.all([
    w.kpiDefinitions(),
    w.kpiValues({ latestOnly: true }),
    w.budgetEntries(),
    w.localProvisions(),
    w.measures(),
    w.savingsTargets(),
    w.municipalities(),
    w.regionName(),
    w.forecastVintages({ year }).then((vs) => vs.map((v) => v.id)),
    w.markedSpecialCases(),
  ]);
}

/** The A4 data of one or more municipalities (see gatherRegion). */
export async function a4Data(w: Warehouse, opts: A4Options): Promise<A4Data[]> {
  return (await gather(w, opts, false)).municipalities;
}

// ---------------------------------------------------------------------------------------------------------
// Burap (bestuursrapportage)

export interface BurapRow {
  municipality: string;
  name: string;
  budgetCents: Cents | null;
  declaredCents: Cents;
  forecastCents: Cents;
  lowCents: Cents;
  highCents: Cents;
  /** forecast − budget; null without a budget. */
  differenceCents: Cents | null;
  /** difference / budget. */
  differenceShare: number | null;
  /** The key value (e.g. forecast cents for own usage, clients, inhabitants). */
  keyBasis: number;
  keyFraction: number;
  /** This municipality's share of the region's difference by the key; null without budgets. */
  shareCents: Cents | null;
  /** Reserved by the municipality (optional input) and share − reservation (positive: setback, tegenvaller). */
  reservationCents: Cents | null;
  balanceCents: Cents | null;
  /** The own result (difference) beside the share, and why they differ; null without budgets. */
  ownVsShare: DeficitExplanation | null;
  /** The reservation against the share (the setback or windfall still to come); null without a reservation. */
  reservation: ReservationExplanation | null;
}

export interface CauseLine {
  label: string;
  beforeCents: Cents;
  afterCents: Cents;
  changeCents: Cents;
  volumeCents: Cents;
  intensityCents: Cents;
  priceCents: Cents;
  sentence: string;
}

export interface BurapData {
  /** The region's name (app/region.ts), e.g. "Zuid-Holland Zuid". */
  regionName: string;
  year: number;
  half: 1 | 2;
  /** "eerste" / "tweede". */
  ordinal: string;
  asOf: IsoDate;
  previousAsOf: IsoDate;
  month: MonthKey;
  periodLabel: string;
  previousPeriodLabel: string;
  generatedOn: IsoDate;
  key: PureAllocationKey;
  keyLabel: string;
  rows: BurapRow[];
  total: Omit<BurapRow, 'municipality' | 'name' | 'keyBasis' | 'keyFraction' | 'ownVsShare' | 'reservation'> & {
    name: string;
  };
  /** True when every municipality has a budget (the region's difference is defined). */
  budgetsComplete: boolean;
  missingBudgets: string[];
  causes: { totalSentence: string; categories: CauseLine[]; providers: CauseLine[] };
  summary: string[];
  /** The proposed decision, numbered points. */
  decision: string[];
  /** Section 5: the measures — planned, realised (difference-in-differences), coverage of the savings targets. */
  measures: ReportMeasures;
  notes: string[];
}

export interface BurapOptions {
  year: number;
  half: 1 | 2;
  /** Allocation key for the share per municipality (default `usage`: own usage, since solidarity was abolished). */
  key?: PureAllocationKey;
  municipalities?: string[];
  budgets?: ReadonlyMap<string, Cents>;
  /** Amounts the municipalities reserved (e.g. at their own first Burap); default: the stored reservations. */
  reservations?: ReadonlyMap<string, Cents>;
  generatedOn?: IsoDate;
  /** Lines per cause table (default 5). */
  top?: number;
  /** The stand (default: reportAsOf — the dashboard's when it falls before the half-year's end, else its last day). */
  asOf?: IsoDate;
}

function causeLines(
  slices: SliceDecomposition[],
  by: 'category' | 'provider',
  top: number,
  names: ProviderNames = NO_PROVIDER_NAMES,
): CauseLine[] {
  return slices.slice(0, top).map((s) => ({
    label: by === 'provider' ? providerNameWithCode(s.slice, names) : sliceLabel('category', s.slice),
    beforeCents: s.beforeCents,
    afterCents: s.afterCents,
    changeCents: s.changeCents,
    volumeCents: s.volumeCents,
    intensityCents: s.intensityCents,
    priceCents: s.priceCents,
    sentence: driverSentence(sliceSubject(by, s.slice, names), s, s.unit),
  }));
}

/** Above the per-municipality sentences of section 4: the two deficits, and that they are both right. */
export function ownVsShareIntro(d: BurapData): string {
  return d.rows.some((r) => r.ownVsShare)
    ? 'Twee tekorten per gemeente: het eigen verschil (de eigen prognose min de eigen begroting, paragraaf 2) en het aandeel in het verschil van de regio naar de verdeelsleutel. Ze verschillen doordat de eigen begroting en prognose een ander deel van die van de regio zijn dan de sleutel; het aandeel is wat de gemeente bijdraagt.'
    : '';
}
/** Everything the Burap draft shows: forecast per municipality, difference from budget, causes, shares, decision. */
export async function burapData(w: Warehouse, opts: BurapOptions): Promise<BurapData> {
  const { year, half } = opts;
  const month = `${year}-${half === 1 ? '06' : '12'}`;
  const asOf = await reportAsOf(w, month, opts.asOf);
  const { beforeAsOf: previousAsOf } = likeForLikeCutoffs(addMonths(month, -12), month, asOf);
  const key = opts.key ?? 'usage';
  const top = opts.top ?? 5;
  const { codes, refs } = await regionCodes(w, opts.municipalities);
  const regionName = await w.regionName();
  const after = { from: `${year}-01`, to: month };
  const [deficit, byCat, byProvider, names] = await Promise.all([
    // The same figures as the gemeente page (app/deficit.ts): own result, share under the key, reservation.
    deficitView(w, { year, asOf, key, municipalities: codes, budgets: opts.budgets, reservations: opts.reservations }),
    likeForLikeDrivers(w, { by: 'category', after, asOf, previousAsOf, municipalities: codes }),
    likeForLikeDrivers(w, { by: 'provider', after, asOf, previousAsOf, municipalities: codes }),
    w.providers().then((ps) => new Map(ps.map((p) => [p.agb, p.name]))),
  ]);
  const forecast = deficit.forecast;
  const fBy = new Map(forecast.municipalities.map((m) => [m.municipality, m]));
  const budgetExamples = opts.budgets ? new Set<string>() : await exampleBudgets(w, year, codes, asOf);
  const missingBudgets = deficit.missingBudgets;
  const budgetsComplete = codes.length > 0 && missingBudgets.length === 0;
  const budgetTotal = deficit.region.budgetCents;
  const differenceTotal = deficit.region.resultCents;
  const notes: string[] = deficit.splitError ? [deficit.splitError] : [];
  const dBy = new Map(deficit.rows.map((r) => [r.municipality, r]));
  const rows: BurapRow[] = codes.map((c) => {
    const f = fBy.get(c) ?? ZERO_FORECAST;
    const d = dBy.get(c);
    const b = d?.budgetCents ?? null;
    return {
      municipality: c,
      name: municipalityName(c, refs),
      budgetCents: b,
      declaredCents: f.declaredCents,
      forecastCents: f.forecastCents,
      lowCents: f.lowCents,
      highCents: f.highCents,
      differenceCents: b === null ? null : f.forecastCents - b,
      differenceShare: b ? (f.forecastCents - b) / b : null,
      keyBasis: d?.keyBasis ?? 0,
      keyFraction: d?.keyFraction ?? 0,
      shareCents: d?.shareCents ?? null,
      reservationCents: d?.reservationCents ?? null,
      balanceCents: d?.balanceCents ?? null,
      ownVsShare: d?.ownVsShare ?? null,
      reservation: d?.reservation ?? null,
    };
  });
  const total = {
    name: `Regio ${regionName}`,
    budgetCents: budgetTotal,
    declaredCents: forecast.total.declaredCents,
    forecastCents: forecast.total.forecastCents,
    lowCents: forecast.total.lowCents,
    highCents: forecast.total.highCents,
    differenceCents: differenceTotal,
    differenceShare: budgetTotal ? (differenceTotal ?? 0) / budgetTotal : null,
    shareCents: differenceTotal,
    reservationCents: deficit.region.reservationCents,
    balanceCents: deficit.region.balanceCents,
  };

  const ordinal = half === 1 ? 'eerste' : 'tweede';
  const pl = periodLabel(month);
  const ppl = periodLabel(addMonths(month, -12));
  const e = formatEuroRounded;
  const summary: string[] = [];
  summary.push(
    `Op basis van de declaraties tot en met ${formatDateNl(asOf)} verwachten wij dat de kosten van jeugdhulp in ${year} voor de regio ${regionName} uitkomen op ${e(total.forecastCents)} (80%-bandbreedte ${e(total.lowCents)} – ${e(total.highCents)}). Tot nu toe is ${e(total.declaredCents)} gedeclareerd.`,
  );
  if (differenceTotal !== null && budgetTotal !== null) {
    summary.push(
      differenceTotal > 0
        ? `De begroting ${year} (${e(budgetTotal)}) wordt naar verwachting met ${e(differenceTotal)} overschreden.`
        : `De kosten blijven naar verwachting ${e(-differenceTotal)} binnen de begroting ${year} (${e(budgetTotal)}).`,
    );
    const over = rows.filter((r) => (r.differenceCents ?? 0) > 0).length;
    summary.push(`Bij ${over} van de ${rows.length} gemeenten ligt de prognose boven de eigen begroting.`);
  } else {
    summary.push(
      `Niet voor alle gemeenten is een begroting ${year} ingevoerd (geen begroting ingevoerd voor: ${missingBudgets.map((c) => municipalityName(c, refs)).join(', ')}); het verschil met de begroting kan daarom voor de regio niet worden bepaald.`,
    );
  }
  summary.push(
    `${driverSentence(`De kosten over ${pl}`, byCat.total, byCat.total.unit)} (vergeleken met ${ppl}, even ver gedeclareerd).`,
  );

  const decision: string[] = [
    `Kennis te nemen van de ${ordinal} bestuursrapportage jeugdhulp ${year} en de prognose van ${e(total.forecastCents)} (80%-bandbreedte ${e(total.lowCents)} – ${e(total.highCents)}).`,
  ];
  if (differenceTotal !== null && differenceTotal > 0) {
    decision.push(
      `In te stemmen met een begrotingswijziging ${year} van ${e(differenceTotal)} voor de kosten van jeugdhulp, waarmee de begroting wordt verhoogd van ${e(budgetTotal!)} naar ${e(total.forecastCents)}.`,
    );
    decision.push(
      `Het tekort te verdelen over de gemeenten naar ${ALLOCATION_KEY_LABELS[key]}, zoals in paragraaf 4 per gemeente is weergegeven.`,
    );
    decision.push(
      `De begrotingswijziging voor een zienswijze aan de raden van de ${codes.length} gemeenten voor te leggen.`,
    );
  } else if (differenceTotal !== null) {
    decision.push(
      `De verwachte onderschrijding van ${e(-differenceTotal)} te betrekken bij de tweede bestuursrapportage en de jaarrekening ${year}; een begrotingswijziging is niet nodig.`,
    );
  } else {
    decision.push(
      `De gemeenten zonder ingevoerde begroting te vragen hun begroting ${year} aan te leveren, zodat het verschil tussen prognose en begroting en de verdeling daarvan kunnen worden vastgesteld.`,
    );
  }
  decision.push(
    `De maatregelen uit het ombuigingsplan te blijven volgen op uitvoering en besparing, met de belangrijkste kostenontwikkelingen uit paragraaf 3 als aandachtspunten.`,
  );

  const measures = await reportMeasures(w, year, asOf);
  return {
    regionName,
    year,
    half,
    ordinal,
    asOf,
    previousAsOf,
    month,
    periodLabel: pl,
    previousPeriodLabel: ppl,
    generatedOn: opts.generatedOn ?? today(),
    key,
    keyLabel: ALLOCATION_KEY_LABELS[key],
    rows,
    total,
    budgetsComplete,
    missingBudgets,
    causes: {
      totalSentence: driverSentence('De kosten', byCat.total, byCat.total.unit),
      categories: causeLines(byCat.slices, 'category', top),
      providers: causeLines(byProvider.slices, 'provider', top, names),
    },
    summary,
    decision,
    measures,
    notes: [
      ...(budgetExamples.size
        ? [
            `Begroting: VOORBEELD — de begrotingsbedragen van ${budgetExamples.size === codes.length ? 'alle gemeenten' : `${budgetExamples.size} gemeenten`} zijn voorbeelden, geen vastgestelde begroting.`,
          ]
        : []),
      ...notes,
      `Bedragen: netto gedeclareerd (debet − credit) per productiemaand, zoals bekend op ${formatDateNl(asOf)}; vergelijkingen met ${year - 1} zoals bekend op ${formatDateNl(previousAsOf)} (even ver gedeclareerd).`,
      'Prognose: gedeclareerd + nog te declareren (chain ladder / Bornhuetter–Ferguson) + resterende maanden (niveau × seizoen × gedempte trend), met een 80%-bandbreedte.',
      `Verdeling: het regionale verschil tussen prognose en begroting, verdeeld naar ${ALLOCATION_KEY_LABELS[key]}${key === 'usage' ? ' (de prognose per gemeente)' : ''}, exact op de cent (grootste restmethode).`,
    ],
  };
}

// ---------------------------------------------------------------------------------------------------------
// Export (XLSX)

export interface ExportData {
  year: number;
  asOf: IsoDate | null;
  names: Map<string, string>;
  costs: {
    municipality: string;
    month: MonthKey;
    category: string;
    amountCents: Cents;
    clients: number;
    lines: number;
  }[];
  forecast: (ForecastFigures & { municipality: string })[];
  forecastTotal: ForecastFigures;
  forecastAsOf: IsoDate;
  budgets: Map<string, Cents>;
  /** Municipalities whose budget is (or includes) an example amount. */
  budgetExamples?: Set<string>;
  backtest: {
    municipality: string;
    year: number;
    asOfMonth: number;
    actualCents: Cents;
    gripCents: Cents;
    naiveCents: Cents;
    lastYearCents: Cents | null;
    lowCents: Cents | null;
    highCents: Cents | null;
  }[];
}

/** The data of the XLSX export: costs per municipality × month × category, forecast, budgets, back-test. */
export async function exportData(
  w: Warehouse,
  opts: { year: number; asOf?: IsoDate; budgets?: ReadonlyMap<string, Cents>; backtestYears?: number[] },
): Promise<ExportData> {
  const { codes, refs } = await regionCodes(w);
  const btYears = opts.backtestYears;
  const [costs, forecast, budgets, bt] = await Promise.all([
    w.costs({ by: ['municipality', 'month', 'category'], year: opts.year, asOf: opts.asOf }),
    regionForecast(w, opts.year, opts.asOf),
    opts.budgets ? Promise.resolve(opts.budgets) : budgetsFor(w, opts.year, undefined, opts.asOf),
    regionBacktest(w, btYears),
  ]);
  const names = new Map<string, string>();
  for (const c of [...codes, ...costs.map((r) => r.municipality!)]) names.set(c, municipalityName(c, refs));
  return {
    year: opts.year,
    asOf: opts.asOf ?? null,
    names,
    costs: costs.map((r) => ({
      municipality: r.municipality!,
      month: r.month!,
      category: r.category!,
      amountCents: r.amountCents,
      clients: r.clients,
      lines: r.lines,
    })),
    forecast: forecast.municipalities.map((m) => ({
      municipality: m.municipality,
      declaredCents: m.declaredCents,
      ibnrCents: m.ibnrCents,
      remainingCents: m.remainingCents,
      forecastCents: m.forecastCents,
      lowCents: m.lowCents,
      highCents: m.highCents,
    })),
    forecastTotal: forecast.total,
    forecastAsOf: forecast.asOf,
    budgets: new Map(budgets),
    budgetExamples: opts.budgets ? new Set() : await exampleBudgets(w, opts.year, undefined, opts.asOf),
    backtest: bt.flatMap((b) =>
      b.report.cases.map((c) => ({
        municipality: b.municipality,
        year: c.year,
        asOfMonth: c.asOfMonth,
        actualCents: c.actualCents,
        gripCents: c.gripCents,
        naiveCents: c.naiveCents,
        lastYearCents: c.lastYearCents,
        lowCents: c.lowCents,
        highCents: c.highCents,
      })),
    ),
  };
}
