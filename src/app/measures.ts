/**
 * The measures ledger (maatregelen) as the CLI, the web app and the reports use it: import, coverage of the
 * savings targets (risk-adjusted, domain/steering/measures.ts) and realised savings from the actuals.
 *
 * Realised savings — the method:
 *   1. Actual cost in scope per production month (the warehouse's net declared cost for the measure's
 *      municipalities, categories, products and provider), counting only declarations made on or before `asOf`.
 *   2. Counterfactual (default, `baseline: 'did'`): difference-in-differences (domain/steering/counterfactual.ts).
 *      The target group's cost over the `baselineMonths` (default 12) months before the start, as a proportion of
 *      the same care in the control municipalities over those months, applied to the controls' cost in each month
 *      after the start; the range from placebo measures in each control. Controls: the region's municipalities
 *      outside the measure's scope that no other running measure (not `idee` or `gestopt`) names for the same
 *      categories in the window (controlMunicipalities). A measure for the whole region has no controls and falls
 *      back to the flat baseline, said in the notes.
 *      Flat baselines (the old method, kept for comparison): `mean`, the average monthly cost in scope over the
 *      `baselineMonths` months before the start; `same-month`, the same calendar month in the year before the
 *      start. No trend adjustment: in a region whose costs rise they understate a measure's saving.
 *   3. Only mature months count: production months at least `matureMonths` (default 3) before the asOf month,
 *      because providers declare late and a young month looks cheaper than it is (it would show savings that
 *      are only undeclared care).
 *   4. realised = baseline − actual per month (positive = saved), next to the plan (the year's savings potential
 *      spread evenly over the months the measure acts in that year), per month and per year.
 *
 * Measures CSV (`grip measures import`), one header line, comma or semicolon:
 *   id,title,owner,status,what,start,end,riskPercent,municipalities,categories,products,provider,
 *   oneOffCostsEuros,oneOffYear,structuralCostsEuros,savings2025Euros,savings2026Euros,description
 * - owner: a municipality code (0482 / GM0482), SOJ, SJT, or another party by name
 * - status: idee, gepland, in uitvoering, gerealiseerd, gestopt; start/end: YYYY-MM (end may be empty)
 * - municipalities, categories, products: lists separated by spaces or `|`; empty = all (no municipalities = region)
 * - amounts in euros (`…Euros`: 120000, 120000.50, "120.000,50") or eurocents (`…Cents`), per column;
 *   one `savingsYYYYEuros` (or `…Cents`) column per year of savings potential
 * - riskPercent: 0–100 (decimal point or comma); optional: description, end, categories, products, provider,
 *   oneOffYear, the cost columns (default 0)
 * A measure imported again with the same id replaces the stored one.
 *
 * Savings targets CSV (`grip measures targets`): municipality,year,amountEuros|amountCents,description —
 * municipality empty or `regio` for the region's own target.
 */
import { cbsMunicipality, normaliseMunicipalityCode } from '../domain/codes/index.js';
import { GripError } from '../domain/errors.js';
import type { Cents } from '../domain/money.js';
import { addMonths, formatPeriodNl, monthOf, monthRange, type IsoDate, type MonthKey } from '../domain/month.js';
import {
  MEASURE_STATUSES,
  REALISATION_PROBABILITY,
  costInScope,
  expectedSavings,
  inScope,
  measuresForecastLine,
  riskAdjusted,
  plannedPerMonth,
  realisedSavings,
  savingsCoverage,
  validateMeasure,
  type CoverageRow,
  type MeasureOwner,
  type RealisedRow,
} from '../domain/steering/measures.js';
import {
  DID_METHOD_NL,
  controlMunicipalities,
  differenceInDifferences,
  rangeFor,
  type DidResult,
} from '../domain/steering/counterfactual.js';
import type { StoredMeasure, StoredSavingsTarget } from '../warehouse/types.js';
import type { ProtectedYear } from './disclosure.js';
import type { CostDim, CostQuery, Warehouse } from '../warehouse/warehouse.js';
import { readCsv, type CsvRecord, type CsvSpec } from './csv.js';
import { defaultAsOf } from './forecast.js';

export type { StoredMeasure, StoredSavingsTarget };

// ---------------------------------------------------------------------------------------------------------
// Coverage

export interface CoverageReport {
  year: number;
  rows: CoverageRow[];
  /** How measures for several municipalities (or the region) were split: own usage in the year before. */
  splitBasis: string;
}

/**
 * Risk-adjusted coverage of the savings targets for a year, per municipality and for the region. Measures that
 * act on several municipalities (or the whole region) are split over them by each one's own usage (net cost) in
 * the year before; with `municipality` only that municipality's row is returned.
 */
export async function measuresCoverage(
  w: Warehouse,
  year: number,
  opts: { municipality?: string; protectedYear?: (year: number) => Promise<ProtectedYear> } = {},
): Promise<CoverageReport> {
  const [measures, targets, weights] = await Promise.all([
    w.measures(),
    w.savingsTargets({ year }),
    opts.protectedYear ? protectedSplitWeights(opts.protectedYear, year) : measureSplitWeights(w, year),
  ]);
  const rows = savingsCoverage(measures, targets, {
    years: [year],
    splitWeights: weights.length ? weights : undefined,
  });
  return {
    year,
    rows: opts.municipality ? rows.filter((r) => r.scope === opts.municipality) : rows,
    splitBasis: weights.length
      ? `eigen gebruik ${year - 1}`
      : 'geen (geen kosten in het jaar ervoor): regionale maatregelen tellen alleen voor de regio',
  };
}

/**
 * Weights to split a measure for several municipalities (or the region) over them: each one's own usage (net
 * cost) in the year before `year`, for the region's municipalities with a positive cost. The same split for the
 * coverage of the targets and the measures line of the multi-year forecast.
 */
export async function measureSplitWeights(w: Warehouse, year: number): Promise<{ code: string; weight: number }[]> {
  const [usage, munis] = await Promise.all([w.costs({ by: ['municipality'], year: year - 1 }), w.municipalities()]);
  const inRegion = new Set(munis.map((m) => m.code));
  return usage
    .filter((u) => u.municipality && inRegion.has(u.municipality) && u.amountCents > 0)
    .map((u) => ({ code: u.municipality!, weight: u.amountCents }));
}

/** The same weights for aggregate roles: the published municipality totals of the year before (hidden ones left out). */
async function protectedSplitWeights(
  pyFor: (year: number) => Promise<ProtectedYear>,
  year: number,
): Promise<{ code: string; weight: number }[]> {
  const py = await pyFor(year - 1);
  return py.municipalities.flatMap((code) => {
    const c = py.municipality(code);
    return c.hidden === null && (c.amountCents ?? 0) > 0 ? [{ code, weight: c.amountCents ?? 0 }] : [];
  });
}

/** How the plan weighs a measure, in Dutch (printed beside the measures line). */
export const PLAN_METHOD_NL = `verandering t.o.v. het basisjaar van besparing × (1 − risicomarge) × kans op uitvoering naar status (${MEASURE_STATUSES.map((s) => `${s} ${Math.round(REALISATION_PROBABILITY[s] * 100)}%`).join(', ')})`;

/**
 * The measures line of the multi-year forecast from the ledger (domain measuresForecastLine): per municipality and
 * year after `baseYear`, −(expected saving − the base year's), measures for several municipalities split by
 * own usage in the year before the base year.
 */
export async function measuresPlanLine(
  w: Warehouse,
  baseYear: number,
  years: readonly number[],
): Promise<{
  perMunicipality: Map<string, Record<number, Cents>>;
  unsplit: string[];
  measures: string[];
  method: string;
}> {
  const [measures, weights] = await Promise.all([w.measures(), measureSplitWeights(w, baseYear)]);
  const line = measuresForecastLine(measures, baseYear, years, weights);
  const counted = measures
    .filter(
      (m) => years.some((y) => expectedSavings(m, y) !== expectedSavings(m, baseYear)) && !line.unsplit.includes(m.id),
    )
    .map((m) => m.id);
  return {
    ...line,
    measures: counted,
    method: `${PLAN_METHOD_NL}; maatregelen voor meer gemeenten verdeeld naar eigen gebruik ${baseYear - 1}`,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Realised savings

export interface RealisedOptions {
  /** Declarations made on or before this date count (default: the latest declaration date). */
  asOf?: IsoDate;
  /** Months before the start that make the baseline (default 12). */
  baselineMonths?: number;
  /**
   * `did` (default): the counterfactual from comparable municipalities (difference-in-differences; falls back to
   * `mean` without controls); `mean`: the pre-start monthly average; `same-month`: the same calendar month a year
   * before the start.
   */
  baseline?: RealisedMethod;
  /** Production months younger than this many months before the asOf month are left out (default 3). */
  matureMonths?: number;
}

export type RealisedMethod = 'did' | 'mean' | 'same-month';

export interface RealisedYear {
  year: number;
  /** The year's full savings potential. */
  plannedYearCents: Cents;
  /** Planned and realised over the months counted so far in that year. */
  plannedToDateCents: Cents;
  realisedCents: Cents;
  /** The 80% range of realisedCents (difference-in-differences with a range only); else null. */
  lowCents: Cents | null;
  highCents: Cents | null;
  months: number;
}

export interface RealisedReport {
  measure: StoredMeasure;
  asOf: IsoDate;
  /** The method used (a `did` request without controls falls back to `mean`). */
  baselineMethod: RealisedMethod;
  /** With `did`: the estimate, its controls, placebos and range (per month in `months`, as the baseline). */
  did: DidResult | null;
  /** Σ over the months counted: planned, realised and its 80% range (null without one). */
  total: { plannedCents: Cents; realisedCents: Cents; lowCents: Cents | null; highCents: Cents | null };
  baselineFrom: MonthKey;
  baselineTo: MonthKey;
  /** Average monthly cost in scope before the start. */
  baselineLevelCents: Cents;
  /** The last production month counted (mature). */
  matureUntil: MonthKey;
  months: RealisedRow[];
  years: RealisedYear[];
  /** In Dutch, for people: why a figure may be missing. */
  notes: string[];
}

/** Cost in scope per production month between `from` and `to`, declared on or before `asOf`. */
export async function scopeCostByMonth(
  w: Warehouse,
  m: StoredMeasure,
  from: MonthKey,
  to: MonthKey,
  asOf: IsoDate,
): Promise<Record<MonthKey, Cents>> {
  const s = m.scope;
  const q: CostQuery = { by: ['month'], from, to, asOf };
  const by: CostDim[] = ['month', 'municipality'];
  if (s.municipalities.length) q.municipalities = [...s.municipalities];
  // A single value filters in SQL; several are selected from the rows (domain inScope).
  if (s.categories?.length === 1) q.category = s.categories[0];
  else if (s.categories?.length) by.push('category');
  if (s.products?.length === 1) q.product = s.products[0];
  else if (s.products?.length) by.push('product');
  if (s.provider) q.provider = s.provider;
  const rows = await w.costs({ ...q, by });
  const scoped = rows.map((r) => ({
    month: r.month!,
    municipality: r.municipality!,
    category: r.category ?? q.category ?? null,
    product: r.product ?? q.product ?? null,
    provider: q.provider ?? null,
    amountCents: r.amountCents,
  }));
  const out = costInScope(s, scoped);
  // Months without any declaration in scope cost nothing.
  for (const month of monthRange(from, to)) out[month] ??= 0;
  return out;
}

/**
 * Cost of the measure's care (its categories, products, provider) per municipality and production month, for
 * every municipality (the target group's and the controls'), declared on or before `asOf`.
 */
export async function scopeCostByMunicipalityMonth(
  w: Warehouse,
  m: StoredMeasure,
  from: MonthKey,
  to: MonthKey,
  asOf: IsoDate,
): Promise<Map<string, Record<MonthKey, Cents>>> {
  const s = m.scope;
  const q: CostQuery = { by: ['month', 'municipality'], from, to, asOf };
  const by: CostDim[] = ['month', 'municipality'];
  if (s.categories?.length === 1) q.category = s.categories[0];
  else if (s.categories?.length) by.push('category');
  if (s.products?.length === 1) q.product = s.products[0];
  else if (s.products?.length) by.push('product');
  if (s.provider) q.provider = s.provider;
  const rows = await w.costs({ ...q, by });
  const anywhere = { ...s, municipalities: [] };
  const out = new Map<string, Record<MonthKey, Cents>>();
  for (const r of rows) {
    if (!r.month || !r.municipality) continue;
    const c = {
      municipality: r.municipality,
      category: r.category ?? q.category ?? null,
      product: r.product ?? q.product ?? null,
      provider: q.provider ?? null,
    };
    if (!inScope(anywhere, c)) continue;
    const series = out.get(r.municipality) ?? {};
    series[r.month] = (series[r.month] ?? 0) + r.amountCents;
    out.set(r.municipality, series);
  }
  return out;
}

/** Realised vs planned savings of one measure, per month and per year (method in the header of this file). */
export async function measureRealised(w: Warehouse, id: string, opts: RealisedOptions = {}): Promise<RealisedReport> {
  const [m] = await w.measures({ ids: [id] });
  if (!m) throw new GripError('NOT_FOUND', `no measure with id "${id}"; see \`grip measures list\``);
  const asOf = opts.asOf ?? (await defaultAsOf(w));
  const n = opts.baselineMonths ?? 12;
  if (!Number.isInteger(n) || n < 1)
    throw new GripError('USAGE', `het aantal basismaanden moet een geheel getal ≥ 1 zijn, niet ${n}`);
  let method: RealisedMethod = opts.baseline ?? 'did';
  if (method === 'same-month' && n < 12) throw new GripError('USAGE', 'de basis same-month vraagt 12 basismaanden');
  const lag = opts.matureMonths ?? 3;
  const baselineFrom = addMonths(m.plan.start, -n);
  const baselineTo = addMonths(m.plan.start, -1);
  const matureUntil = addMonths(monthOf(asOf), -lag);
  const last = m.plan.end && m.plan.end < matureUntil ? m.plan.end : matureUntil;
  const notes: string[] = [];
  const to = last < baselineTo ? baselineTo : last;
  const costs = await scopeCostByMonth(w, m, baselineFrom, to, asOf);
  const pre = monthRange(baselineFrom, baselineTo).map((mo) => costs[mo] ?? 0);
  const level = Math.round(pre.reduce((a, b) => a + b, 0) / pre.length);
  if (pre.every((c) => c === 0))
    notes.push(
      `Geen kosten in het bereik van de maatregel in ${formatPeriodNl(baselineFrom, baselineTo)}: er is geen basislijn.`,
    );
  const postMonths = last >= m.plan.start ? monthRange(m.plan.start, last) : [];
  let did: DidResult | null = null;
  if (method === 'did') {
    const [region, all] = await Promise.all([w.municipalities(), w.measures()]);
    const controls = controlMunicipalities(
      m,
      all,
      region.map((x) => x.code),
      { from: baselineFrom, to },
    );
    if (controls.length) {
      const byMuni = await scopeCostByMunicipalityMonth(w, m, baselineFrom, to, asOf);
      did = differenceInDifferences({
        target: costs,
        controls: Object.fromEntries(controls.map((c) => [c, byMuni.get(c) ?? {}])),
        pre: monthRange(baselineFrom, baselineTo),
        post: postMonths,
      });
    }
    if (!did) {
      method = 'mean';
      notes.push(
        controls.length
          ? 'Geen verschil-in-verschillen mogelijk (geen kosten vóór de start in de doelgroep of de vergelijkingsgemeenten): de basislijn is het vlakke gemiddelde van vóór de start.'
          : `Geen vergelijkingsgemeenten (de maatregel werkt op ${m.scope.municipalities.length ? 'alle gemeenten zonder eigen soortgelijke maatregel' : 'de hele regio'}): de basislijn is het vlakke gemiddelde van vóór de start, zonder trendcorrectie.`,
      );
    }
  }
  const baseline: Record<MonthKey, Cents> = {};
  const actual: Record<MonthKey, Cents> = {};
  if (postMonths.length) {
    const cf = new Map(did?.periods.map((p) => [p.period, p.counterfactualCents]) ?? []);
    for (const mo of postMonths) {
      baseline[mo] = did
        ? (cf.get(mo) ?? 0)
        : method === 'mean'
          ? level
          : (costs[addMonths(m.plan.start, -12 + (monthIndexInYearFrom(m.plan.start, mo) % 12))] ?? 0);
      actual[mo] = costs[mo] ?? 0;
    }
  } else
    notes.push(`Nog geen volgroeide maand sinds de start (${m.plan.start}); maanden tot en met ${matureUntil} tellen.`);
  const months = realisedSavings(baseline, actual, {
    from: m.plan.start,
    end: m.plan.end ?? null,
    plannedPerYear: m.savingsPerYear,
  });
  const counted = new Set(months.map((r) => r.month));
  const periodsOf = (pred: (mo: MonthKey) => boolean) =>
    did?.periods.filter((p) => counted.has(p.period) && pred(p.period)) ?? [];
  const years: RealisedYear[] = [];
  for (const r of months) {
    const y = Number(r.month.slice(0, 4));
    let acc = years.find((x) => x.year === y);
    if (!acc)
      years.push(
        (acc = {
          year: y,
          plannedYearCents: m.savingsPerYear[y] ?? 0,
          plannedToDateCents: 0,
          realisedCents: 0,
          lowCents: null,
          highCents: null,
          months: 0,
        }),
      );
    acc.plannedToDateCents += r.plannedCents;
    acc.realisedCents += r.realisedCents;
    acc.months++;
  }
  if (did)
    for (const y of years)
      Object.assign(
        y,
        (({ lowCents, highCents }) => ({ lowCents, highCents }))(
          rangeFor(
            did,
            periodsOf((mo) => mo.startsWith(`${y.year}-`)),
          ),
        ),
      );
  const realisedCents = months.reduce((a, r) => a + r.realisedCents, 0);
  const range = did
    ? rangeFor(
        did,
        periodsOf(() => true),
      )
    : null;
  const total = {
    plannedCents: months.reduce((a, r) => a + r.plannedCents, 0),
    realisedCents,
    lowCents: range?.lowCents ?? null,
    highCents: range?.highCents ?? null,
  };
  return {
    measure: m,
    asOf,
    baselineMethod: method,
    did,
    total,
    baselineFrom,
    baselineTo,
    baselineLevelCents: level,
    matureUntil,
    months,
    years,
    notes,
  };
}

// ---------------------------------------------------------------------------------------------------------
// The overview: plan, realisation and coverage together (the Maatregelen page, the Burap, the A4, the CLI)

export interface MeasureLine {
  measure: StoredMeasure;
  /** The year's savings potential, risk-adjusted (× (1 − risk)), and expected (× the chance of its status). */
  plannedCents: Cents;
  riskAdjustedCents: Cents;
  expectedCents: Cents;
  /** Realised in the year so far (difference-in-differences), with its 80% range; null when not measurable (see note). */
  realised: { cents: Cents; lowCents: Cents | null; highCents: Cents | null; months: number | null } | null;
  /** In Dutch: how the realisation was measured, or why it was not. */
  realisedNote: string | null;
}

export interface MeasuresOverview {
  year: number;
  asOf: IsoDate;
  coverage: CoverageReport;
  lines: MeasureLine[];
  /** The methods in one Dutch sentence each. */
  didMethod: string;
  planMethod: string;
  /** `protected`: realisations from the protected tables (whole years), for aggregate roles. */
  basis: 'ledger' | 'protected';
}

export interface OverviewOptions {
  asOf?: IsoDate;
  /** Only measures acting on (or owned by) this municipality, and its coverage row. */
  municipality?: string;
  /** Aggregate roles: realisations from these protected tables only (measureRealisedProtected). */
  protectedYear?: (year: number) => Promise<ProtectedYear>;
}

/**
 * Every measure that counts in `year` (not stopped; with a potential in the year or running in it) with its plan
 * and realisation, and the coverage of the savings targets (per municipality against its own target). Measures
 * whose scopes overlap (e.g. one for all of a municipality's care and one for a category of it) each measure the
 * whole change of their scope, so their realisations must not be added up.
 */
export async function measuresOverview(
  w: Warehouse,
  year: number,
  opts: OverviewOptions = {},
): Promise<MeasuresOverview> {
  const asOf = opts.asOf ?? (await defaultAsOf(w));
  const [all, coverage, region] = await Promise.all([
    w.measures(),
    measuresCoverage(w, year, { municipality: opts.municipality, protectedYear: opts.protectedYear }),
    w.municipalities(),
  ]);
  const runs = (m: StoredMeasure) => m.plan.start <= `${year}-12` && (m.plan.end == null || m.plan.end >= `${year}-01`);
  const concerns = (m: StoredMeasure) =>
    !opts.municipality ||
    !m.scope.municipalities.length ||
    m.scope.municipalities.includes(opts.municipality) ||
    (m.owner.kind === 'gemeente' && m.owner.municipality === opts.municipality);
  const shown = all.filter(
    (m) => m.status !== 'gestopt' && ((m.savingsPerYear[year] ?? 0) !== 0 || runs(m)) && concerns(m),
  );
  const lastYear = Number(asOf.slice(0, 4));
  const lines: MeasureLine[] = [];
  for (const m of shown) {
    const potential = m.savingsPerYear[year] ?? 0;
    const line: MeasureLine = {
      measure: m,
      plannedCents: potential,
      riskAdjustedCents: riskAdjusted(potential, m.riskPercent),
      expectedCents: expectedSavings(m, year),
      realised: null,
      realisedNote: null,
    };
    if (m.plan.start > `${year}-12` || year > lastYear) line.realisedNote = 'nog niet gestart';
    else if (opts.protectedYear) {
      const r = await measureRealisedProtected(
        m,
        all,
        region.map((x) => x.code),
        lastYear,
        opts.protectedYear,
      );
      const y = r.years.find((x) => x.year === year);
      if (y && y.realisedCents !== null) {
        line.realised = { cents: y.realisedCents, lowCents: y.lowCents, highCents: y.highCents, months: null };
        line.realisedNote = `heel jaar ${year} tegen ${r.preYear}${year === lastYear ? ', gedeclareerd tot nu' : ''}`;
      } else line.realisedNote = r.reason ?? `geen heel jaar ${year} in het bereik van de maatregel`;
    } else {
      const r = await measureRealised(w, m.id, { asOf });
      const y = r.years.find((x) => x.year === year);
      if (r.baselineMethod !== 'did')
        line.realisedNote = 'niet te meten: geen vergelijkingsgemeenten met kosten vóór en na de start';
      else if (!y) line.realisedNote = 'nog geen volgroeide maand';
      else {
        line.realised = { cents: y.realisedCents, lowCents: y.lowCents, highCents: y.highCents, months: y.months };
        line.realisedNote = `${y.months} volgroeide maanden, ${r.did?.controls.length ?? 0} vergelijkingsgemeenten`;
      }
    }
    lines.push(line);
  }
  return {
    year,
    asOf,
    coverage,
    lines,
    didMethod: DID_METHOD_NL,
    planMethod: PLAN_METHOD_NL,
    basis: opts.protectedYear ? 'protected' : 'ledger',
  };
}

// ---------------------------------------------------------------------------------------------------------
// Realised savings for aggregate roles: whole years of the protected tables

export interface ProtectedRealisedYear {
  year: number;
  /** The year's full savings potential. */
  plannedYearCents: Cents;
  /** counterfactual − actual over the year as published (declared so far); null when hidden or not measurable. */
  realisedCents: Cents | null;
  lowCents: Cents | null;
  highCents: Cents | null;
}

export interface ProtectedRealised {
  /** The year before the first whole year the measure acts in (the proportion is taken over it). */
  preYear: number | null;
  years: ProtectedRealisedYear[];
  controls: string[];
  /** In Dutch: why there is no figure (null when there is one). */
  reason: string | null;
}

/**
 * Realised savings of a measure from the protected tables only (for raad and partner): the difference-in-
 * differences of domain/steering/counterfactual.ts over whole production years — the year before the first
 * whole year the measure acts in, and every year from it up to `lastYear` (the current year as declared so
 * far: the controls are declared as far, so the proportion holds) — on the published cells of municipality ×
 * category (or the municipality's total when the measure acts on every category). A measure on products or one
 * provider, or whose target cells are hidden, shows nothing; a control with a hidden cell is left out.
 */
export async function measureRealisedProtected(
  m: StoredMeasure,
  all: readonly StoredMeasure[],
  region: readonly string[],
  lastYear: number,
  pyFor: (year: number) => Promise<ProtectedYear>,
): Promise<ProtectedRealised> {
  const start = Number(m.plan.start.slice(0, 4));
  const first = m.plan.start.endsWith('-01') ? start : start + 1;
  const end = m.plan.end
    ? Math.min(lastYear, Number(m.plan.end.slice(0, 4)) - (m.plan.end.endsWith('-12') ? 0 : 1))
    : lastYear;
  const none = (reason: string): ProtectedRealised => ({ preYear: null, years: [], controls: [], reason });
  if (m.scope.products?.length || m.scope.provider)
    return none(
      'De gerealiseerde besparing wordt voor deze rol niet getoond: de maatregel werkt op een product of een aanbieder, en die staan niet in de beschermde tabellen.',
    );
  if (first > end)
    return none(
      `Nog geen heel jaar sinds de start (${m.plan.start}): voor deze rol telt de besparing per heel productiejaar.`,
    );
  const pre = first - 1;
  const years = Array.from({ length: end - first + 1 }, (_, i) => first + i);
  const controls = controlMunicipalities(m, all, region, { from: `${pre}-01`, to: `${end}-12` });
  if (!controls.length)
    return none(
      'Geen vergelijkingsgemeenten (de maatregel werkt op de hele regio): de besparing is niet tegen een tegenfeitelijke ontwikkeling te meten.',
    );
  const cats = m.scope.categories?.length ? m.scope.categories : null;
  const value = (py: ProtectedYear, code: string): Cents | null => {
    if (!cats) return py.municipality(code).hidden === null ? (py.municipality(code).amountCents ?? 0) : null;
    const t = py.cross('category');
    let sum = 0;
    for (const c of cats) {
      if (!t.cols.includes(c)) continue;
      const cell = t.cell(code, c);
      if (cell.hidden !== null || cell.amountCents === null) return null;
      sum += cell.amountCents;
    }
    return sum;
  };
  const target: Record<string, Cents> = {};
  const series = new Map<string, Record<string, Cents>>(controls.map((c) => [c, {}]));
  for (const y of [pre, ...years]) {
    const py = await pyFor(y);
    let t = 0;
    for (const code of m.scope.municipalities) {
      const v = value(py, code);
      if (v === null)
        return none(
          'De gerealiseerde besparing wordt voor deze rol niet getoond: het bereik van de maatregel rust op te weinig cliënten.',
        );
      t += v;
    }
    target[String(y)] = t;
    for (const c of controls) {
      const v = value(py, c);
      const s = series.get(c);
      if (v === null) series.delete(c);
      else if (s) s[String(y)] = v;
    }
  }
  const did = differenceInDifferences({
    target,
    controls: Object.fromEntries(series),
    pre: [String(pre)],
    post: years.map(String),
  });
  if (!did)
    return none(`Geen kosten in het bereik van de maatregel in ${pre}: er is geen basis om mee te vergelijken.`);
  return {
    preYear: pre,
    controls: did.controls,
    reason: null,
    years: did.periods.map((p) => ({
      year: Number(p.period),
      plannedYearCents: m.savingsPerYear[Number(p.period)] ?? 0,
      ...rangeFor(did, [p]),
    })),
  };
}

/** Months from `start` to `m` (0 for the start month itself). */
function monthIndexInYearFrom(start: MonthKey, m: MonthKey): number {
  return monthRange(start, m).length - 1;
}

// ---------------------------------------------------------------------------------------------------------
// CSV

const AMOUNT = (base: string) => [`${base}Cents`, `${base}Euros`];
export const MEASURES_CSV: CsvSpec = {
  required: ['id', 'title', 'owner', 'status', 'what', 'start', 'riskPercent'],
  optional: [
    'description',
    'end',
    'municipalities',
    'categories',
    'products',
    'provider',
    'oneOffYear',
    ...AMOUNT('oneOffCosts'),
    ...AMOUNT('structuralCosts'),
    'enteredBy',
  ],
  patterns: [/^savings\d{4}(Cents|Euros)$/],
};

const splitList = (v: string) => v.split(/[\s|]+/).filter(Boolean);

function owner(r: CsvRecord): MeasureOwner {
  const v = r.text('owner');
  if (v === 'SOJ' || v === 'SJT') return { kind: v };
  const code = normaliseMunicipalityCode(v);
  if (code) {
    if (!cbsMunicipality(code)) throw r.fail('owner', `"${v}" looks like a municipality code but is not a CBS code`);
    return { kind: 'gemeente', municipality: code };
  }
  return { kind: 'overig', name: v };
}

function amountCol(r: CsvRecord, base: string): Cents {
  if (r.has(`${base}Cents`) && r.has(`${base}Euros`))
    throw r.fail(`${base}Euros`, `give ${base}Cents or ${base}Euros, not both`);
  return r.optAmount(base) ?? 0;
}

/** Parses a measures CSV; every measure is checked by the domain (validateMeasure). */
export function parseMeasuresCsv(
  text: string,
  file: string,
  who: { enteredBy: string; enteredAt: string },
): StoredMeasure[] {
  const recs = readCsv(text, file, MEASURES_CSV);
  const seen = new Set<string>();
  return recs.map((r) => {
    const id = r.text('id');
    if (seen.has(id)) throw r.fail('id', `measure "${id}" appears twice in the file`);
    seen.add(id);
    const savingsPerYear: Record<number, Cents> = {};
    for (const col of r.columns) {
      const mm = /^savings(\d{4})(Cents|Euros)$/.exec(col);
      if (!mm || !r.raw(col)) continue;
      const y = Number(mm[1]);
      if (y in savingsPerYear) throw r.fail(col, `savings for ${y} are given twice (Cents and Euros)`);
      savingsPerYear[y] = r.amount(`savings${y}`);
    }
    const municipalities = splitList(r.raw('municipalities')).map((v) => {
      const c = normaliseMunicipalityCode(v);
      if (!c || !cbsMunicipality(c)) throw r.fail('municipalities', `"${v}" is not a CBS municipality code`);
      return c;
    });
    const status = r.oneOfValues('status', MEASURE_STATUSES);
    const risk = r.number('riskPercent');
    if (risk < 0 || risk > 100) throw r.fail('riskPercent', `${risk} is not between 0 and 100`);
    const start = r.month('start');
    const end = r.optMonth('end');
    if (end !== null && end < start) throw r.fail('end', `${end} is before the start ${start}`);
    const m: StoredMeasure = {
      id,
      title: r.text('title'),
      description: r.raw('description'),
      owner: owner(r),
      plan: { what: r.text('what'), start, end },
      status,
      savingsPerYear,
      oneOffCostsCents: amountCol(r, 'oneOffCosts'),
      structuralCostsPerYearCents: amountCol(r, 'structuralCosts'),
      riskPercent: risk,
      scope: {
        municipalities,
        categories: splitList(r.raw('categories')),
        products: splitList(r.raw('products')),
        provider: r.optText('provider'),
      },
      enteredBy: r.optText('enteredBy') ?? who.enteredBy,
      updatedAt: who.enteredAt,
    };
    const oneOffYear = r.optYear('oneOffYear');
    if (oneOffYear !== null) m.oneOffYear = oneOffYear;
    try {
      validateMeasure(m);
    } catch (e) {
      throw new GripError('CSV_VALUE', (e as Error).message, { file, line: r.line });
    }
    return m;
  });
}

export const TARGETS_CSV: CsvSpec = {
  required: ['municipality', 'year'],
  optional: ['description', 'enteredBy'],
  oneOf: [AMOUNT('amount')],
};

export function parseTargetsCsv(
  text: string,
  file: string,
  who: { enteredBy: string; enteredAt: string },
): StoredSavingsTarget[] {
  const seen = new Set<string>();
  return readCsv(text, file, TARGETS_CSV).map((r) => {
    const raw = r.raw('municipality');
    const municipality = raw === '' || raw.toLowerCase() === 'regio' ? null : r.municipality();
    const year = r.year('year');
    const key = `${municipality ?? 'regio'}|${year}`;
    if (seen.has(key))
      throw r.fail('municipality', `a target for ${municipality ?? 'regio'} ${year} appears twice in the file`);
    seen.add(key);
    const amountCents = r.amount('amount');
    if (amountCents < 0)
      throw r.fail(r.has('amountCents') ? 'amountCents' : 'amountEuros', 'a savings target cannot be negative');
    return {
      municipality,
      year,
      amountCents,
      description: r.optText('description'),
      enteredBy: r.optText('enteredBy') ?? who.enteredBy,
      enteredAt: who.enteredAt,
    };
  });
}

/** Imports a measures CSV in one transaction; measures with a known id are replaced. */
export async function importMeasuresCsv(
  w: Warehouse,
  text: string,
  file: string,
  who: { enteredBy: string; enteredAt?: string },
): Promise<number> {
  const ms = parseMeasuresCsv(text, file, {
    enteredBy: who.enteredBy,
    enteredAt: who.enteredAt ?? new Date().toISOString(),
  });
  if (!ms.length) throw new GripError('CSV_EMPTY', 'the file has no measures', { file });
  await w.saveSteering({ measures: ms });
  return ms.length;
}

export async function importTargetsCsv(
  w: Warehouse,
  text: string,
  file: string,
  who: { enteredBy: string; enteredAt?: string },
): Promise<number> {
  const ts = parseTargetsCsv(text, file, {
    enteredBy: who.enteredBy,
    enteredAt: who.enteredAt ?? new Date().toISOString(),
  });
  if (!ts.length) throw new GripError('CSV_EMPTY', 'the file has no targets', { file });
  await w.saveSteering({ savingsTargets: ts });
  return ts.length;
}

/** The plan per month (for charts): each year's potential spread over the months the measure acts. */
export function measurePlanByMonth(m: StoredMeasure): Record<MonthKey, Cents> {
  return plannedPerMonth(m.savingsPerYear, m.plan.start, m.plan.end);
}
