/**
 * "Jeugdhulp naar de voorkant": move a share of individual (indicated) care to general local provisions.
 *
 * For a yearly cost C of some care (a category or product, in one municipality):
 *   moved      = C · share                      the care that no longer goes through the care market
 *   remaining  = C − moved                      what stays in the care market (individual provisions)
 *   frontCost  = moved · ratio · (1 − discount) what the general provision costs instead: `ratio` is its cost per
 *                                               euro of care replaced (CJG: 0.9), `discount` what the front provider
 *                                               gives off (Stichting Jeugdteams: 10%)
 *   netSaving  = moved − frontCost              (negative when the front costs more)
 *
 * Seed 001 reads as share 0.5, ratio 1, discount 0.1 (half of the care moves, the saving is the SJT discount);
 * seed 004's CJG business case as share 1, ratio 0.9. See scenario.test.ts for both.
 *
 * All amounts are integer cents; each product is rounded half away from zero. Pure: no I/O, no clock.
 */
import type { RegionMunicipality } from '../codes/index.js';
import type { MonthKey } from '../month.js';
import { GripError } from '../errors.js';
import { assertCents, roundCents, type Cents } from '../money.js';

export interface VoorkantParams {
  /** Share of the care moved to the front, 0..1. */
  share: number;
  /** Cost of the general provision per euro of care it replaces (0.5 = half, 0.9 = 90%, 1 = the same). */
  ratio: number;
  /** Discount of the front provider on the moved work, 0..1 (SJT: 0.1). Default 0. */
  discount?: number;
}

export interface VoorkantEffect {
  baseCents: Cents;
  movedCents: Cents;
  remainingCents: Cents;
  frontCostCents: Cents;
  netSavingCents: Cents;
}

/** Cents × a decimal factor, rounded; snaps float noise (7.4999999 for 7.5) before rounding. */
function mulCents(cents: Cents, factor: number): Cents {
  return roundCents(Math.round(cents * factor * 10_000) / 10_000);
}

export function validateVoorkantParams(p: VoorkantParams): void {
  if (!(Number.isFinite(p.share) && p.share >= 0 && p.share <= 1))
    throw new GripError('SCENARIO_INVALID', `share must lie between 0 and 1, got ${p.share}`);
  if (!(Number.isFinite(p.ratio) && p.ratio >= 0))
    throw new GripError('SCENARIO_INVALID', `cost ratio must be a number ≥ 0, got ${p.ratio}`);
  const d = p.discount ?? 0;
  if (!(Number.isFinite(d) && d >= 0 && d < 1))
    throw new GripError('SCENARIO_INVALID', `discount must lie between 0 and 1 (exclusive), got ${d}`);
}

/** The effect on one yearly cost. */
export function voorkantEffect(baseCents: Cents, params: VoorkantParams): VoorkantEffect {
  assertCents(baseCents, 'cost');
  validateVoorkantParams(params);
  const movedCents = mulCents(baseCents, params.share);
  const frontCostCents = mulCents(movedCents, params.ratio * (1 - (params.discount ?? 0)));
  return {
    baseCents,
    movedCents,
    remainingCents: baseCents - movedCents,
    frontCostCents,
    netSavingCents: movedCents - frontCostCents,
  };
}

const ZERO: VoorkantEffect = { baseCents: 0, movedCents: 0, remainingCents: 0, frontCostCents: 0, netSavingCents: 0 };
function add(a: VoorkantEffect, b: VoorkantEffect): VoorkantEffect {
  return {
    baseCents: a.baseCents + b.baseCents,
    movedCents: a.movedCents + b.movedCents,
    remainingCents: a.remainingCents + b.remainingCents,
    frontCostCents: a.frontCostCents + b.frontCostCents,
    netSavingCents: a.netSavingCents + b.netSavingCents,
  };
}

/** One yearly cost of individual care in scope: a municipality and a category and/or product. */
export interface CareCostLine {
  municipality: string;
  category?: string;
  product?: string;
  /** Free text, e.g. "begeleiding". */
  label?: string;
  yearlyCostCents: Cents;
}

/** A year of the scenario; `share` overrides the parameters' share (a ramp such as 10% → 20% → 30%). */
export interface ScenarioYear {
  year: number;
  share?: number;
}

export type VoorkantLineResult = CareCostLine & VoorkantEffect & { year: number; share: number };
export type VoorkantMunicipalityResult = VoorkantEffect & { year: number; municipality: string };
export type VoorkantYearResult = VoorkantEffect & { year: number; share: number };

export interface VoorkantScenario {
  params: Required<VoorkantParams>;
  lines: VoorkantLineResult[];
  /** Per year per municipality, sorted by year then code. */
  perMunicipality: VoorkantMunicipalityResult[];
  /** The region per year. */
  perYear: VoorkantYearResult[];
  /** All years together. */
  total: VoorkantEffect;
}

/**
 * The scenario over several years and municipalities: each line's yearly cost is the base each year (a
 * constant cost base; the share may ramp up per year). Totals are sums of the rounded lines, so they add up.
 */
export function voorkantScenario(
  lines: readonly CareCostLine[],
  params: VoorkantParams,
  years: readonly ScenarioYear[],
): VoorkantScenario {
  validateVoorkantParams(params);
  if (!years.length) throw new GripError('SCENARIO_INVALID', 'give at least one year');
  const seen = new Set<number>();
  for (const y of years) {
    if (!Number.isInteger(y.year)) throw new GripError('SCENARIO_INVALID', `not a year: ${y.year}`);
    if (seen.has(y.year)) throw new GripError('SCENARIO_INVALID', `year ${y.year} given twice`);
    seen.add(y.year);
  }
  const full: Required<VoorkantParams> = { share: params.share, ratio: params.ratio, discount: params.discount ?? 0 };
  const out: VoorkantLineResult[] = [];
  const byMun = new Map<string, VoorkantMunicipalityResult>();
  const perYear: VoorkantYearResult[] = [];
  let total = ZERO;
  for (const y of [...years].sort((a, b) => a.year - b.year)) {
    const p = { ...full, share: y.share ?? full.share };
    let yearTotal = ZERO;
    for (const line of lines) {
      const e = voorkantEffect(line.yearlyCostCents, p);
      out.push({ ...line, ...e, year: y.year, share: p.share });
      const key = `${y.year}|${line.municipality}`;
      const prev = byMun.get(key) ?? { ...ZERO, year: y.year, municipality: line.municipality };
      byMun.set(key, { ...add(prev, e), year: y.year, municipality: line.municipality });
      yearTotal = add(yearTotal, e);
    }
    perYear.push({ ...yearTotal, year: y.year, share: p.share });
    total = add(total, yearTotal);
  }
  const perMunicipality = [...byMun.values()].sort(
    (a, b) => a.year - b.year || (a.municipality < b.municipality ? -1 : a.municipality > b.municipality ? 1 : 0),
  );
  return { params: full, lines: out, perMunicipality, perYear, total };
}

/**
 * The share of the budget "at the front" before and after a scenario (seed 001: the goal is 25%, "Dat is nu
 * 12 %"). After: (front + frontCost) / (total − netSaving), since the moved care leaves the care market and
 * its replacement enters the front. Fractions 0..1.
 */
export function frontShare(
  current: { frontCents: Cents; totalCents: Cents },
  effect?: Pick<VoorkantEffect, 'frontCostCents' | 'netSavingCents'>,
): { before: number; after: number } {
  if (current.totalCents <= 0) throw new GripError('SCENARIO_INVALID', 'the total budget must be positive');
  const before = current.frontCents / current.totalCents;
  if (!effect) return { before, after: before };
  const total = current.totalCents - effect.netSavingCents;
  return { before, after: total > 0 ? (current.frontCents + effect.frontCostCents) / total : NaN };
}

/** The base year when none is given: the last complete production year, given the last month with data. */
export function defaultScenarioYear(lastMonth: MonthKey | null): number | null {
  if (!lastMonth) return null;
  const y = Number(lastMonth.slice(0, 4));
  return lastMonth.endsWith('-12') ? y : y - 1;
}

export interface VoorkantInput {
  baseYear: number;
  category?: string;
  product?: string;
  municipalities: readonly RegionMunicipality[];
  /** Cost per municipality in the base year for the category/product (a warehouse CostRow by municipality). */
  costs: readonly { municipality?: string; amountCents: Cents }[];
  params: VoorkantParams;
  /** Years with their share; default: the base year with params.share. */
  ramp?: readonly ScenarioYear[];
}

type Effect = VoorkantEffect;
export interface VoorkantReport {
  baseYear: number;
  category: string | null;
  product: string | null;
  params: Required<VoorkantParams>;
  perMunicipality: (Effect & { year: number; municipality: string; name: string })[];
  perYear: (Effect & { year: number; share: number })[];
  total: Effect;
}

/** The scenario as plain data (the JSON output): one cost line per region municipality (0 where it has none). */
export function buildVoorkantReport(input: VoorkantInput): VoorkantReport {
  const byCode = new Map<string, Cents>();
  for (const c of input.costs)
    if (c.municipality) byCode.set(c.municipality, (byCode.get(c.municipality) ?? 0) + c.amountCents);
  const lines = input.municipalities.map((m) => ({
    municipality: m.code,
    category: input.category,
    product: input.product,
    yearlyCostCents: byCode.get(m.code) ?? 0,
  }));
  const s = voorkantScenario(lines, input.params, input.ramp ?? [{ year: input.baseYear }]);
  const names = new Map(input.municipalities.map((m) => [m.code, m.name]));
  return {
    baseYear: input.baseYear,
    category: input.category ?? null,
    product: input.product ?? null,
    params: s.params,
    perMunicipality: s.perMunicipality.map((r) => ({ ...r, name: names.get(r.municipality) ?? '' })),
    perYear: s.perYear,
    total: s.total,
  };
}
