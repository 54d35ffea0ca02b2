/**
 * Cost-driver insight as the web app (and anyone else) uses it: gathers the warehouse's aggregates through
 * the Warehouse interface and hands them to the pure domain (src/domain/insight): the volume × intensity ×
 * price split per slice with its waterfall and Dutch sentence, the bijzondere casussen with the forecast
 * "zonder bijzondere casussen", and client routes.
 */
import { cbsMunicipality } from '../domain/codes/index.js';
import type { YearEndForecast } from '../domain/forecast/yearEnd.js';
import { forecastOfCells, type ForecastFigures } from './forecast.js';
import { decomposeDrivers } from './drivers.js';
import {
  contributorLabel,
  driverSentence,
  periodMonths,
  rankContributors,
  sliceLabel,
  sliceSubject,
  waterfall,
  type Contributor,
  type DriverDim,
  type Period,
  type SliceDecomposition,
  type WaterfallStep,
} from '../domain/insight/decomposition.js';
import {
  costliestFamilies,
  specialCases,
  type ClientCostRow,
  type FamilyCostRow,
  type SpecialCaseSummary,
} from '../domain/insight/families.js';
import {
  reEntryRates,
  sankey,
  waitingStats,
  type FlowRow,
  type ReEntryRate,
  type SankeyLink,
  type SankeyNode,
  type WaitingStats,
} from '../domain/insight/journeys.js';
import type { Cents } from '../domain/money.js';
import { MIN_CLIENTS } from '../domain/suppression.js';
import {
  addMonths,
  formatDateNl,
  formatPeriodNl,
  lastDayOfMonth,
  monthOf,
  type IsoDate,
  type MonthKey,
} from '../domain/month.js';
import { likeForLikeCutoffs } from '../domain/insight/like-for-like.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import type { ProviderNames } from '../domain/providers.js';

// ---------------------------------------------------------------------------------------------------------
// Cost drivers

export type SliceDim = Exclude<DriverDim, 'total'>;

export interface DriversQuery {
  /** AGB code → name, for the labels and sentences of provider slices (default: the codes). */
  providerNames?: ProviderNames;
  before: Period;
  after: Period;
  by: SliceDim;
  municipalities?: string[];
  category?: string;
  product?: string;
  provider?: string;
  referrer?: string;
  basis?: 'ingediend' | 'toegekend';
  /**
   * Like for like ("even ver gedeclareerd"): the later period as known at this date, the earlier one as known
   * the same number of months after its own end, so both carry the same declaration lag.
   */
  likeForLikeAsOf?: IsoDate;
  /** Ranked contributors to return (default 10). */
  top?: number;
  /** The latest declaration date in the warehouse (to warn about months not yet fully declared). */
  lastDeclarationDate?: IsoDate | null;
  /**
   * Aggregate roles: each slice and the total from its own cells (amounts, client counts rounded to 5), split
   * as clients × cost per client (app/drivers.ts).
   */
  aggregate?: boolean;
}

export interface DriverSliceView extends SliceDecomposition {
  label: string;
  sentence: string;
  waterfall: WaterfallStep[];
  /** Hidden for councils: fewer than 10 clients in a period (or hidden to protect another hidden slice). */
  suppressed: boolean;
}

export interface DriversView {
  before: Period;
  after: Period;
  by: SliceDim;
  likeForLike: { beforeAsOf: IsoDate; afterAsOf: IsoDate } | null;
  total: DriverSliceView;
  slices: DriverSliceView[];
  contributors: (Contributor & { label: string })[];
  notes: string[];
  /**
   * Split as clients × cost per client (aggregate roles): `priceCents` is the cost per client's part (care per
   * client and tariff together), `intensityCents` 0.
   */
  perClient: boolean;
}

/** The subject of the sentence for the whole selection: "De kosten ambulante jeugdhulp in Dordrecht". */
export function selectionSubject(
  q: Pick<DriversQuery, 'municipalities' | 'category' | 'product' | 'provider' | 'referrer' | 'providerNames'>,
): string {
  let s = q.category
    ? sliceSubject('category', q.category)
    : q.product
      ? sliceSubject('product', q.product)
      : q.referrer
        ? sliceSubject('referrer', q.referrer)
        : 'De kosten';
  if (q.provider)
    s += q.providerNames?.has(q.provider) ? ` bij ${q.providerNames.get(q.provider)}` : ` bij aanbieder ${q.provider}`;
  const [only, ...more] = q.municipalities ?? [];
  if (only !== undefined && !more.length) s += ` in ${cbsMunicipality(only)?.name ?? only}`;
  return s;
}

/** The decomposition of the selection per slice, with waterfalls, Dutch sentences and ranked contributors. */
export async function driversView(w: Warehouse, q: DriversQuery): Promise<DriversView> {
  const likeForLike = q.likeForLikeAsOf ? likeForLikeCutoffs(q.before.to, q.after.to, q.likeForLikeAsOf) : null;
  const { slices, total, perClient } = await decomposeDrivers(w, {
    by: q.by,
    before: q.before,
    after: q.after,
    municipalities: q.municipalities,
    category: q.category,
    product: q.product,
    provider: q.provider,
    referrer: q.referrer,
    basis: q.basis,
    likeForLike: likeForLike ?? undefined,
    aggregate: q.aggregate,
  });
  // What people read: `januari t/m september 2025`, not the period's identifier `2025-01..2025-09`.
  const [bl, al] = [formatPeriodNl(q.before.from, q.before.to), formatPeriodNl(q.after.from, q.after.to)];
  const view = (s: SliceDecomposition, label: string, subject: string): DriverSliceView => ({
    ...s,
    label,
    sentence: driverSentence(subject, s, s.unit, perClient),
    waterfall: waterfall(s, bl, al, perClient),
    suppressed: false,
  });
  const notes: string[] = [];
  if (periodMonths(q.before) !== periodMonths(q.after))
    notes.push(`De perioden zijn niet even lang (${periodMonths(q.before)} en ${periodMonths(q.after)} maanden).`);
  if (q.before.from <= q.after.to && q.after.from <= q.before.to) notes.push('De perioden overlappen.');
  const lastDecl = q.lastDeclarationDate;
  if (!likeForLike && lastDecl && q.after.to > addMonths(monthOf(lastDecl), -4)) {
    // Aggregate roles (rounded counts) have no "even ver gedeclareerd": it rests on an earlier stand.
    const choose = q.aggregate
      ? 'kies een afgesloten periode'
      : 'kies “even ver gedeclareerd” of een afgesloten periode';
    notes.push(
      `De laatste maanden van ${al} zijn nog niet volledig gedeclareerd (declaraties komen maanden later binnen): ${choose}, anders lijkt de stijging kleiner of de daling groter dan hij is.`,
    );
  }
  if (likeForLike)
    notes.push(
      `Even ver gedeclareerd: ${al} gedeclareerd t/m ${formatDateNl(likeForLike.afterAsOf)}, ${bl} gedeclareerd t/m ${formatDateNl(likeForLike.beforeAsOf)}.`,
    );
  return {
    before: q.before,
    after: q.after,
    by: q.by,
    likeForLike,
    total: view(total, 'totaal', selectionSubject(q)),
    slices: slices.map((s) =>
      view(s, sliceLabel(q.by, s.slice, q.providerNames), sliceSubject(q.by, s.slice, q.providerNames)),
    ),
    contributors: rankContributors(slices, q.top ?? 10).map((c) => ({
      ...c,
      label: contributorLabel(
        q.by,
        c,
        slices.find((s) => s.slice === c.slice)?.unit ?? null,
        q.providerNames,
        perClient,
      ),
    })),
    notes,
    perClient,
  };
}

/**
 * Disclosure control for councils: a slice resting on fewer than 10 clients in either period is hidden
 * (the split of a cost over so few clients tells about persons); when exactly one slice is hidden, the
 * smallest other one is hidden too, so the total does not give it away. The total is hidden when it rests on
 * fewer than 10 clients, or (`totalHidden`) when it is hidden in the protected table it is a cell of. Contributors come only from slices that are shown; products are left out.
 */
export function suppressDrivers(
  v: DriversView,
  alsoHidden: (slice: string) => boolean = () => false,
  totalHidden = false,
): DriversView {
  const small = (s: SliceDecomposition) => Math.min(s.beforeClients ?? 0, s.afterClients ?? 0) < MIN_CLIENTS;
  // `alsoHidden`: slices hidden in the protected tables the same figures come from (linked tables agree).
  const slices = v.slices.map((s) => ({ ...s, products: [], suppressed: small(s) || alsoHidden(s.slice) }));
  const hidden = () => slices.filter((s) => s.suppressed).length;
  if (hidden() === 1) {
    const next = slices
      .filter((s) => !s.suppressed)
      .sort(
        (a, b) =>
          Math.min(a.beforeClients ?? 0, a.afterClients ?? 0) - Math.min(b.beforeClients ?? 0, b.afterClients ?? 0) ||
          Math.abs(a.changeCents) - Math.abs(b.changeCents),
      )[0];
    if (next) next.suppressed = true;
  }
  const shown = new Set(slices.filter((s) => !s.suppressed).map((s) => s.slice));
  return {
    ...v,
    total: { ...v.total, products: [], suppressed: small(v.total) || totalHidden },
    slices,
    contributors: v.contributors.filter((c) => shown.has(c.slice)),
  };
}

/** The default comparison: the latest complete production year with data against the year before. */
export function defaultDriverYears(lastMonth: MonthKey | null, today = new Date()): { before: string; after: string } {
  const m = lastMonth ?? today.toISOString().slice(0, 7);
  const y = Number(m.slice(0, 4)) - (m.endsWith('-12') ? 0 : 1);
  return { before: String(y - 1), after: String(y) };
}

// ---------------------------------------------------------------------------------------------------------
// Bijzondere casussen and costly families

export interface SpecialCasesView {
  municipality: string;
  year: number;
  from: MonthKey;
  to: MonthKey;
  asOf: IsoDate;
  minChildren: number;
  /** The municipality's cost in the period and its cost without the bijzondere casussen. */
  summary: SpecialCaseSummary;
  /** The costliest families (a client without a family key counts as a household of one). */
  families: (FamilyCostRow & { special: boolean; share: number })[];
  clients: (ClientCostRow & { share: number })[];
  /** Year-end forecast with and without the bijzondere casussen (null when there is no data). */
  forecast: { with: ForecastFigures; without: ForecastFigures; effectCents: Cents } | null;
}

const figures = (f: YearEndForecast): ForecastFigures => ({
  declaredCents: f.declaredCents,
  ibnrCents: f.ibnrCents,
  remainingCents: f.remainingCents,
  forecastCents: f.forecastCents,
  lowCents: f.lowCents,
  highCents: f.highCents,
});

/**
 * Costliest families and clients of one municipality in a year (up to the as-of month), its bijzondere
 * casussen (a family with at least `minChildren` children placed out of home) with their share of the cost,
 * and the year-end forecast with and without them: the forecast is run once more on the municipality's
 * run-off minus the run-off of the casussen's members (all their months), so their effect shows separately.
 */
export async function specialCasesView(
  w: Warehouse,
  q: { municipality: string; year: number; asOf: IsoDate; top?: number; minChildren?: number },
): Promise<SpecialCasesView> {
  const from = `${q.year}-01`;
  const yearEnd = `${q.year}-12`;
  const asOfMonth = monthOf(q.asOf);
  const to = asOfMonth < yearEnd ? asOfMonth : yearEnd;
  const fq = {
    from,
    to: to < from ? from : to,
    municipalities: [q.municipality],
    top: q.top ?? 10,
    minChildren: q.minChildren,
  };
  const [fc, clients, cells, special] = await Promise.all([
    w.familyCosts(fq),
    w.topClients(fq),
    w.runoff({ asOf: q.asOf, municipalities: [q.municipality] }),
    w.specialCaseRunoff({ ...fq, asOf: q.asOf }),
  ]);
  const summary = specialCases(fc).find((s) => s.municipality === q.municipality) ?? {
    municipality: q.municipality,
    totalCents: 0,
    specialCents: 0,
    withoutSpecialCents: 0,
    share: 0,
    cases: [],
  };
  const specialKeys = new Set(summary.cases.map((c) => c.family));
  const total = summary.totalCents;
  let forecast: SpecialCasesView['forecast'] = null;
  if (cells.length) {
    const key = (c: { month: string; declarationDate: string }) => `${c.month}|${c.declarationDate}`;
    const minus = new Map(special.map((c) => [key(c), c.amountCents]));
    const base = cells.map(({ month, declarationMonth, declarationDate, amountCents }) => ({
      month,
      declarationMonth,
      declarationDate,
      amountCents,
    }));
    // The same forecast as everywhere else (pooled season and trend, calibrated interval), with and without.
    const withF = await forecastOfCells(w, q.year, q.asOf, base);
    const withoutF = await forecastOfCells(
      w,
      q.year,
      q.asOf,
      base.map((c) => ({ ...c, amountCents: c.amountCents - (minus.get(key(c)) ?? 0) })),
    );
    forecast = {
      with: figures(withF),
      without: figures(withoutF),
      effectCents: withF.forecastCents - withoutF.forecastCents,
    };
  }
  return {
    municipality: q.municipality,
    year: q.year,
    from: fq.from,
    to: fq.to,
    asOf: q.asOf,
    minChildren: fc.minChildren,
    summary,
    families: costliestFamilies(fc, q.municipality, q.top ?? 10).map((f) => ({
      ...f,
      special: specialKeys.has(f.family) && f.keyed,
      share: total > 0 ? f.amountCents / total : 0,
    })),
    clients: clients
      .filter((c) => c.municipality === q.municipality)
      .map((c) => ({ ...c, share: total > 0 ? c.amountCents / total : 0 })),
    forecast,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Client routes

export interface RoutesView {
  municipality: string;
  from: MonthKey;
  to: MonthKey;
  flows: FlowRow[];
  sankey: { nodes: SankeyNode[]; links: SankeyLink[] };
  /** Request (JW315) → start of care, for requests dated in the period. */
  waiting: WaitingStats | null;
  /** Exits in the period and in the 12 months before it, with re-entries within 12 months. */
  reEntry: { period: ReEntryRate | null; previous: ReEntryRate | null; previousFrom: MonthKey; previousTo: MonthKey };
  firstClients: number;
}

export async function routesView(
  w: Warehouse,
  q: { municipality: string; from: MonthKey; to: MonthKey; asOf?: IsoDate },
): Promise<RoutesView> {
  const jq = { from: q.from, to: q.to, municipalities: [q.municipality], asOf: q.asOf };
  const previousFrom = addMonths(q.from, -12);
  const previousTo = addMonths(q.to, -12);
  const [flows, waits, re, rePrev] = await Promise.all([
    w.journeyFlows(jq),
    w.requestToStart(jq),
    w.reEntries(jq),
    w.reEntries({ ...jq, from: previousFrom, to: previousTo }),
  ]);
  const mine = <T extends { municipality: string | null }>(xs: T[]) =>
    xs.find((x) => x.municipality === q.municipality) ?? null;
  return {
    municipality: q.municipality,
    from: q.from,
    to: q.to,
    flows,
    sankey: sankey(flows),
    waiting: mine(waitingStats(waits)),
    reEntry: { period: mine(reEntryRates(re)), previous: mine(reEntryRates(rePrev)), previousFrom, previousTo },
    firstClients: flows.reduce((s, f) => s + f.clients, 0),
  };
}

/** The last day of a period given as months (for links and labels). */
export const periodEnd = (to: MonthKey): IsoDate => lastDayOfMonth(to);
