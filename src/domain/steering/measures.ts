/**
 * The measures ledger (maatregelen): who does what, when, what it should save, at what cost and risk — and
 * whether the savings target (taakstelling, e.g. € 200.000 for Alblasserdam in seed 003) is covered, and
 * whether a measure actually saves money once it runs (realised = baseline forecast − actual cost in scope).
 *
 * Pure: no I/O, no clock. Amounts in integer cents.
 */
import { at } from '../indexing.js';
import { GripError } from '../errors.js';
import { assertCents, roundCents, type Cents } from '../money.js';
import { isMonthKey, yearMonths, type MonthKey } from '../month.js';
import { allocate, type Weighted } from './allocation.js';

export const MEASURE_STATUSES = ['idee', 'gepland', 'in uitvoering', 'gerealiseerd', 'gestopt'] as const;
export type MeasureStatus = (typeof MEASURE_STATUSES)[number];

/** The trekker: a municipality, the SOJ, Stichting Jeugdteams, or another party by name. */
export type MeasureOwner =
  { kind: 'gemeente'; municipality: string } | { kind: 'SOJ' } | { kind: 'SJT' } | { kind: 'overig'; name: string };

/** What the measure acts on. Empty lists mean "all"; no municipalities means the whole region. */
export interface MeasureScope {
  municipalities: readonly string[];
  categories?: readonly string[];
  products?: readonly string[];
  provider?: string | null;
}

export interface MeasurePlan {
  /** What will be done. */
  what: string;
  /** First month the measure acts. */
  start: MonthKey;
  /** Last month (inclusive), if it ends. */
  end?: MonthKey | null;
}

export interface Measure {
  id: string;
  title: string;
  description: string;
  owner: MeasureOwner;
  plan: MeasurePlan;
  status: MeasureStatus;
  /** Savings potential per calendar year (what that year should deliver). */
  savingsPerYear: Readonly<Record<number, Cents>>;
  /** One-off costs, booked in `oneOffYear` (default: the start year). */
  oneOffCostsCents: Cents;
  oneOffYear?: number;
  /** Structural costs per year, from the start year on (to the end year if it ends). */
  structuralCostsPerYearCents: Cents;
  /** Risk margin in percent (0–100): the share of the potential that may not materialise. */
  riskPercent: number;
  scope: MeasureScope;
}

/** A savings target for a municipality, or for the region (`municipality: null`). */
export interface SavingsTarget {
  municipality: string | null;
  year: number;
  amountCents: Cents;
}

export function validateMeasure(m: Measure): void {
  const bad = (msg: string) => new GripError('MEASURE_INVALID', `measure ${m.id}: ${msg}`);
  if (!m.title.trim()) throw bad('title is empty');
  if (!(MEASURE_STATUSES as readonly string[]).includes(m.status))
    throw bad(`unknown status "${m.status}"; use one of ${MEASURE_STATUSES.join(', ')}`);
  if (!isMonthKey(m.plan.start)) throw bad(`plan start must be YYYY-MM, got "${m.plan.start}"`);
  if (m.plan.end != null && (!isMonthKey(m.plan.end) || m.plan.end < m.plan.start))
    throw bad(`plan end must be YYYY-MM on or after the start`);
  if (!(Number.isFinite(m.riskPercent) && m.riskPercent >= 0 && m.riskPercent <= 100))
    throw bad(`risk margin must lie between 0 and 100%, got ${m.riskPercent}`);
  for (const [y, c] of Object.entries(m.savingsPerYear)) {
    if (!/^\d{4}$/.test(y)) throw bad(`savings year "${y}" is not a year`);
    assertCents(c, `measure ${m.id} savings ${y}`);
  }
  assertCents(m.oneOffCostsCents, `measure ${m.id} one-off costs`);
  assertCents(m.structuralCostsPerYearCents, `measure ${m.id} structural costs`);
}

/** potential × (1 − risk%), in cents, rounded half away from zero. */
export function riskAdjusted(potentialCents: Cents, riskPercent: number): Cents {
  return roundCents(Math.round(potentialCents * (100 - riskPercent) * 100) / 10_000);
}

/**
 * The chance that a measure in a status delivers at all, for the plan (the multi-year forecast's measures line).
 * The risk margin says how much of the potential may not materialise once a measure is carried out; the status
 * says how likely it is to be carried out: an idea is far from a decision, a planned measure is decided but not
 * started, one under way mostly continues, a realised one has been carried out, a stopped one delivers nothing.
 * These are assumptions (no track record of the region's measures exists yet), printed wherever they are used.
 */
export const REALISATION_PROBABILITY: Readonly<Record<MeasureStatus, number>> = {
  idee: 0.25,
  gepland: 0.5,
  'in uitvoering': 0.8,
  gerealiseerd: 1,
  gestopt: 0,
};

/**
 * The potential of a measure in a year for the plan: the ledger's figure; after the last year the ledger lists, the
 * last listed figure carries on (a structural saving does not stop because nobody filled in a later column),
 * unless the measure ends before that year.
 */
export function planPotential(m: Measure, year: number): Cents {
  const listed = m.savingsPerYear[year];
  if (listed !== undefined) return listed;
  const years = Object.keys(m.savingsPerYear).map(Number);
  const last = years.length ? Math.max(...years) : null;
  if (last === null || year < last || (m.plan.end != null && m.plan.end < `${year}-01`)) return 0;
  return m.savingsPerYear[last] ?? 0;
}

/** The plan's expected saving of a measure in a year: potential (planPotential) × (1 − risk) × the chance of its status, in cents. */
export function expectedSavings(m: Measure, year: number): Cents {
  return roundCents(riskAdjusted(planPotential(m, year), m.riskPercent) * REALISATION_PROBABILITY[m.status]);
}

/**
 * The measures line of a multi-year forecast, per municipality and year (negative = lower cost). The base year's
 * forecast already holds what measures running in it save (it rests on the actual declarations), so a year
 * after it gets only the change: −(expected saving in that year − expected saving in the base year). A measure
 * for one municipality counts there; one for several (or the region) is split over them by `splitWeights`
 * (exact to the cent); without weights, or when none of its municipalities has a weight, it is left out and
 * listed in `unsplit`.
 */
export function measuresForecastLine(
  measures: readonly Measure[],
  baseYear: number,
  years: readonly number[],
  splitWeights: readonly Weighted[],
): { perMunicipality: Map<string, Record<number, Cents>>; unsplit: string[] } {
  const perMunicipality = new Map<string, Record<number, Cents>>();
  const unsplit: string[] = [];
  const add = (code: string, year: number, c: Cents) => {
    const row = perMunicipality.get(code) ?? {};
    row[year] = (row[year] ?? 0) + c;
    perMunicipality.set(code, row);
  };
  for (const m of measures) {
    const base = expectedSavings(m, baseYear);
    const change = years.map((y) => -(expectedSavings(m, y) - base));
    if (change.every((c) => c === 0)) continue;
    const muns = m.scope.municipalities;
    const only = muns.length === 1 ? muns[0] : undefined;
    if (only !== undefined) {
      years.forEach((y, i) => add(only, y, change[i] ?? 0));
      continue;
    }
    const ws = (muns.length ? splitWeights.filter((w) => muns.includes(w.code)) : [...splitWeights]).filter(
      (w) => w.weight > 0,
    );
    if (!ws.length) {
      unsplit.push(m.id);
      continue;
    }
    years.forEach((y, i) => {
      for (const s of allocate(change[i] ?? 0, ws, `measures line of ${m.id}`)) add(s.code, y, s.shareCents);
    });
  }
  return { perMunicipality, unsplit };
}

/** One-off plus structural costs of a measure in a year. */
export function measureCostsInYear(m: Measure, year: number): Cents {
  const startYear = Number(m.plan.start.slice(0, 4));
  const endYear = m.plan.end ? Number(m.plan.end.slice(0, 4)) : Infinity;
  const structural = year >= startYear && year <= endYear ? m.structuralCostsPerYearCents : 0;
  const oneOff = year === (m.oneOffYear ?? startYear) ? m.oneOffCostsCents : 0;
  return structural + oneOff;
}

export interface CoverageRow {
  year: number;
  /** A municipality code, or `regio`. */
  scope: string;
  /** The target, or null when none was set for this scope and year. */
  targetCents: Cents | null;
  potentialCents: Cents;
  riskAdjustedCents: Cents;
  /** One-off and structural costs of the measures in the year. */
  costsCents: Cents;
  /** riskAdjusted − costs. */
  netRiskAdjustedCents: Cents;
  /**
   * What the target is: the scope's own target (`own`), or — for the region without a target of its own — the sum
   * of the municipalities' targets that exist (`municipalities`, those in `targetScopes`); null without a target.
   */
  targetBasis: 'own' | 'municipalities' | null;
  /** With targetBasis `municipalities`: the municipalities whose targets make the region's (sorted). */
  targetScopes: string[];
  /**
   * The risk-adjusted savings set against the target: riskAdjusted, except for a region row made of the
   * municipalities' targets, where only the savings counted in those municipalities count (a municipality
   * without a target, or a regional measure not split, covers no target). 0 without a target.
   */
  countedRiskAdjustedCents: Cents;
  /** countedRiskAdjusted / target (1 = fully covered); null without a positive target. */
  coverage: number | null;
  /** target − countedRiskAdjusted (positive = still to find); null without a target. */
  gapCents: Cents | null;
  /** Measures counted (with a share) in this row. */
  measures: string[];
}

export interface CoverageOptions {
  /** Years to report (default: every year with a target or a potential). */
  years?: readonly number[];
  /**
   * Weights to split a measure acting on several municipalities (or the whole region) over them, e.g. own
   * usage per municipality. Without them such measures count for the region only.
   */
  splitWeights?: readonly Weighted[];
  /** Statuses that do not count (default: `gestopt`). */
  excludeStatuses?: readonly MeasureStatus[];
}

interface Amounts {
  potential: Cents;
  risk: Cents;
  costs: Cents;
}

/**
 * Risk-adjusted coverage of the savings targets: Σ potential × (1 − risk) vs target, per year, per municipality
 * and for the region. A measure for one municipality counts there in full; one for several municipalities (or
 * the region) is split over them by `splitWeights` (exact to the cent) when given. The region row counts every
 * measure once in its potential and risk-adjusted savings. Its coverage only counts targets that exist: against
 * the region's own target when there is one (all measures count); else against the sum of the municipalities'
 * targets, covered only by the savings counted in those municipalities — savings in a municipality without a
 * target cover nothing (otherwise one municipality's small target looks over-covered by the whole region).
 */
export function savingsCoverage(
  measures: readonly Measure[],
  targets: readonly SavingsTarget[],
  opts: CoverageOptions = {},
): CoverageRow[] {
  measures.forEach(validateMeasure);
  for (const t of targets) assertCents(t.amountCents, `target ${t.municipality ?? 'regio'} ${t.year}`);
  const excluded = new Set<string>(opts.excludeStatuses ?? ['gestopt']);
  const counted = measures.filter((m) => !excluded.has(m.status));
  const years =
    opts.years ??
    [
      ...new Set([...targets.map((t) => t.year), ...counted.flatMap((m) => Object.keys(m.savingsPerYear).map(Number))]),
    ].sort((a, b) => a - b);

  const rows: CoverageRow[] = [];
  for (const year of years) {
    const perMun = new Map<string, Amounts & { ids: string[] }>();
    const region: Amounts & { ids: string[] } = { potential: 0, risk: 0, costs: 0, ids: [] };
    const bump = (code: string, a: Amounts, id: string) => {
      const cur = perMun.get(code) ?? { potential: 0, risk: 0, costs: 0, ids: [] };
      perMun.set(code, {
        potential: cur.potential + a.potential,
        risk: cur.risk + a.risk,
        costs: cur.costs + a.costs,
        ids: [...cur.ids, id],
      });
    };
    for (const m of counted) {
      const potential = m.savingsPerYear[year] ?? 0;
      const costs = measureCostsInYear(m, year);
      if (potential === 0 && costs === 0) continue;
      const a: Amounts = { potential, risk: riskAdjusted(potential, m.riskPercent), costs };
      region.potential += a.potential;
      region.risk += a.risk;
      region.costs += a.costs;
      region.ids.push(m.id);
      const muns = m.scope.municipalities;
      if (muns.length === 1) bump(at(muns, 0), a, m.id);
      else if (opts.splitWeights) {
        const ws = muns.length ? opts.splitWeights.filter((w) => muns.includes(w.code)) : [...opts.splitWeights];
        const split = (c: Cents) => allocate(c, ws, `split of measure ${m.id}`).map((s) => s.shareCents);
        const [p, r, c] = [split(a.potential), split(a.risk), split(a.costs)];
        ws.forEach((w, i) => {
          const share = { potential: at(p, i), risk: at(r, i), costs: at(c, i) };
          if (share.potential || share.risk || share.costs) bump(w.code, share, m.id);
        });
      }
    }
    const targetFor = (mun: string | null): Cents | null => {
      const ts = targets.filter((t) => t.year === year && t.municipality === mun);
      return ts.length ? ts.reduce((s, t) => s + t.amountCents, 0) : null;
    };
    const munCodes = new Set([
      ...perMun.keys(),
      ...targets.filter((t) => t.year === year && t.municipality !== null).map((t) => t.municipality!),
    ]);
    const row = (
      scope: string,
      target: Cents | null,
      a: Amounts & { ids: string[] },
      basis?: { scopes: string[]; counted: Cents },
    ): CoverageRow => {
      const counted = target === null ? 0 : basis ? basis.counted : a.risk;
      return {
        year,
        scope,
        targetCents: target,
        potentialCents: a.potential,
        riskAdjustedCents: a.risk,
        costsCents: a.costs,
        netRiskAdjustedCents: a.risk - a.costs,
        targetBasis: target === null ? null : basis ? 'municipalities' : 'own',
        targetScopes: basis ? basis.scopes : [],
        countedRiskAdjustedCents: counted,
        coverage: target !== null && target > 0 ? counted / target : null,
        gapCents: target !== null ? target - counted : null,
        measures: a.ids,
      };
    };
    for (const code of [...munCodes].sort())
      rows.push(row(code, targetFor(code), perMun.get(code) ?? { potential: 0, risk: 0, costs: 0, ids: [] }));
    const own = targetFor(null);
    const withTarget = [...munCodes].filter((c) => targetFor(c) !== null).sort();
    if (own !== null || !withTarget.length) rows.push(row('regio', own, region));
    else {
      const sum = withTarget.reduce((s, c) => s + targetFor(c)!, 0);
      const counted = withTarget.reduce((s, c) => s + (perMun.get(c)?.risk ?? 0), 0);
      rows.push(row('regio', sum, region, { scopes: withTarget, counted }));
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------------------
// realised savings from actuals

/** A cost line with the dimensions a scope can select on (e.g. a warehouse CostRow by municipality, month, category, product, provider). */
export interface ScopedCost {
  month: MonthKey;
  municipality: string;
  category?: string | null;
  product?: string | null;
  provider?: string | null;
  amountCents: Cents;
}

/** Does a cost line fall in the measure's scope? Empty lists mean "all". */
export function inScope(scope: MeasureScope, c: Omit<ScopedCost, 'month' | 'amountCents'>): boolean {
  if (scope.municipalities.length && !scope.municipalities.includes(c.municipality)) return false;
  if (scope.categories?.length && !scope.categories.includes(c.category ?? '')) return false;
  if (scope.products?.length && !scope.products.includes(c.product ?? '')) return false;
  if (scope.provider && scope.provider !== c.provider) return false;
  return true;
}

/** The cost in scope per month. */
export function costInScope(scope: MeasureScope, costs: readonly ScopedCost[]): Record<MonthKey, Cents> {
  const out: Record<MonthKey, Cents> = {};
  for (const c of costs) if (inScope(scope, c)) out[c.month] = (out[c.month] ?? 0) + c.amountCents;
  return out;
}

/**
 * The planned savings per month: each year's figure spread evenly (largest remainder, exact to the cent, earlier
 * months first) over the months of that year in which the measure acts: from `start` to `end` (inclusive; no
 * end = open). Covers every year in `savingsPerYear`.
 */
export function plannedPerMonth(
  savingsPerYear: Readonly<Record<number, Cents>>,
  start: MonthKey,
  end?: MonthKey | null,
): Record<MonthKey, Cents> {
  const out: Record<MonthKey, Cents> = {};
  for (const [y, amount] of Object.entries(savingsPerYear)) {
    const months = yearMonths(Number(y)).filter((m) => m >= start && (end == null || m <= end));
    for (const m of months) out[m] = 0;
    if (!months.length || amount === 0) continue;
    const shares = allocate(
      amount,
      months.map((m) => ({ code: m, weight: 1 })),
      `planned savings ${y}`,
    );
    for (const s of shares) out[s.code] = s.shareCents;
  }
  return out;
}

export interface RealisedRow {
  month: MonthKey;
  baselineCents: Cents;
  actualCents: Cents;
  /** baseline − actual: positive when the measure saved money. */
  realisedCents: Cents;
  cumulativeRealisedCents: Cents;
  plannedCents: Cents;
  cumulativePlannedCents: Cents;
}

/**
 * Realised savings of a measure: per month from its start, the baseline forecast of the cost in scope (made
 * before the measure started) minus the actual cost in scope, next to the plan (`plannedPerYear` spread by
 * `plannedPerMonth` over the months from `from` to `end`). Only months present in both series count (the
 * actuals stop at the last month with data); `end` (the measure's last month) caps the range.
 */
export function realisedSavings(
  baseline: Readonly<Record<MonthKey, Cents>>,
  actual: Readonly<Record<MonthKey, Cents>>,
  opts: { from: MonthKey; end?: MonthKey | null; plannedPerYear?: Readonly<Record<number, Cents>> },
): RealisedRow[] {
  if (!isMonthKey(opts.from)) throw new GripError('USAGE', `start month must be YYYY-MM, got "${opts.from}"`);
  const end = opts.end ?? null;
  if (end !== null && (!isMonthKey(end) || end < opts.from))
    throw new GripError('USAGE', `end month must be YYYY-MM on or after ${opts.from}`);
  const months = Object.keys(baseline)
    .filter((m) => m >= opts.from && (end === null || m <= end) && m in actual)
    .sort();
  if (!months.length) return [];
  const planned = opts.plannedPerYear ? plannedPerMonth(opts.plannedPerYear, opts.from, end) : {};
  let cumR = 0;
  let cumP = 0;
  return months.map((month) => {
    const baselineCents = assertCents(baseline[month], `baseline ${month}`);
    const actualCents = assertCents(actual[month], `actual ${month}`);
    const realisedCents = baselineCents - actualCents;
    const plannedCents = planned[month] ?? 0;
    cumR += realisedCents;
    cumP += plannedCents;
    return {
      month,
      baselineCents,
      actualCents,
      realisedCents,
      cumulativeRealisedCents: cumR,
      plannedCents,
      cumulativePlannedCents: cumP,
    };
  });
}
