/**
 * The measures ledger (maatregelen) as the CLI, the web app and the reports use it: import, coverage of the
 * savings targets (risk-adjusted, domain/steering/measures.ts) and realised savings from the actuals.
 *
 * Realised savings — the method, kept simple on purpose:
 *   1. Actual cost in scope per production month (the warehouse's net declared cost for the measure's
 *      municipalities, categories, products and provider), counting only declarations made on or before `asOf`.
 *   2. Baseline from the data before the measure started: the average monthly cost in scope over the
 *      `baselineMonths` (default 12) months before the start month — a full year, so seasons average out.
 *      With `baseline: 'same-month'` each month's baseline is instead the cost in scope of the same calendar
 *      month in the year before the start (seasonal, but noisier). No trend adjustment: in a region whose
 *      costs rise, the realised savings are therefore conservative.
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
import { addMonths, monthOf, monthRange, type IsoDate, type MonthKey } from '../domain/month.js';
import {
  MEASURE_STATUSES,
  costInScope,
  plannedPerMonth,
  realisedSavings,
  savingsCoverage,
  validateMeasure,
  type CoverageRow,
  type MeasureOwner,
  type RealisedRow,
} from '../domain/steering/measures.js';
import type { StoredMeasure, StoredSavingsTarget } from '../warehouse/types.js';
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
export async function measuresCoverage(w: Warehouse, year: number, opts: { municipality?: string } = {}): Promise<CoverageReport> {
  const [measures, targets, usage] = await Promise.all([w.measures(), w.savingsTargets({ year }), w.costs({ by: ['municipality'], year: year - 1 })]);
  const inRegion = new Set((await w.municipalities()).map((m) => m.code));
  const weights = usage.filter((u) => u.municipality && inRegion.has(u.municipality) && u.amountCents > 0).map((u) => ({ code: u.municipality!, weight: u.amountCents }));
  const rows = savingsCoverage(measures, targets, { years: [year], splitWeights: weights.length ? weights : undefined });
  return {
    year,
    rows: opts.municipality ? rows.filter((r) => r.scope === opts.municipality) : rows,
    splitBasis: weights.length ? `eigen gebruik ${year - 1}` : 'geen (geen kosten in het jaar ervoor): regionale maatregelen tellen alleen voor de regio',
  };
}

// ---------------------------------------------------------------------------------------------------------
// Realised savings

export interface RealisedOptions {
  /** Declarations made on or before this date count (default: the latest declaration date). */
  asOf?: IsoDate;
  /** Months before the start that make the baseline (default 12). */
  baselineMonths?: number;
  /** `mean` (default): the pre-start monthly average; `same-month`: the same calendar month a year before the start. */
  baseline?: 'mean' | 'same-month';
  /** Production months younger than this many months before the asOf month are left out (default 3). */
  matureMonths?: number;
}

export interface RealisedYear {
  year: number;
  /** The year's full savings potential. */
  plannedYearCents: Cents;
  /** Planned and realised over the months counted so far in that year. */
  plannedToDateCents: Cents;
  realisedCents: Cents;
  months: number;
}

export interface RealisedReport {
  measure: StoredMeasure;
  asOf: IsoDate;
  baselineMethod: 'mean' | 'same-month';
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
export async function scopeCostByMonth(w: Warehouse, m: StoredMeasure, from: MonthKey, to: MonthKey, asOf: IsoDate): Promise<Record<MonthKey, Cents>> {
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
    category: r.category ?? (q.category as string | undefined) ?? null,
    product: r.product ?? (q.product as string | undefined) ?? null,
    provider: q.provider ?? null,
    amountCents: r.amountCents,
  }));
  const out = costInScope(s, scoped);
  // Months without any declaration in scope cost nothing.
  for (const month of monthRange(from, to)) out[month] ??= 0;
  return out;
}

/** Realised vs planned savings of one measure, per month and per year (method in the header of this file). */
export async function measureRealised(w: Warehouse, id: string, opts: RealisedOptions = {}): Promise<RealisedReport> {
  const [m] = await w.measures({ ids: [id] });
  if (!m) throw new GripError('NOT_FOUND', `no measure with id "${id}"; see \`grip measures list\``);
  const asOf = opts.asOf ?? (await defaultAsOf(w));
  const n = opts.baselineMonths ?? 12;
  if (!Number.isInteger(n) || n < 1) throw new GripError('USAGE', `het aantal basismaanden moet een geheel getal ≥ 1 zijn, niet ${n}`);
  const method = opts.baseline ?? 'mean';
  if (method === 'same-month' && n < 12) throw new GripError('USAGE', 'de basis same-month vraagt 12 basismaanden');
  const lag = opts.matureMonths ?? 3;
  const baselineFrom = addMonths(m.plan.start, -n);
  const baselineTo = addMonths(m.plan.start, -1);
  const matureUntil = addMonths(monthOf(asOf), -lag);
  const last = m.plan.end && m.plan.end < matureUntil ? m.plan.end : matureUntil;
  const notes: string[] = [];
  const costs = await scopeCostByMonth(w, m, baselineFrom, last < baselineTo ? baselineTo : last, asOf);
  const pre = monthRange(baselineFrom, baselineTo).map((mo) => costs[mo] ?? 0);
  const level = Math.round(pre.reduce((a, b) => a + b, 0) / pre.length);
  if (pre.every((c) => c === 0)) notes.push(`Geen kosten in het bereik van de maatregel in ${baselineFrom} t/m ${baselineTo}: er is geen basislijn.`);
  const baseline: Record<MonthKey, Cents> = {};
  const actual: Record<MonthKey, Cents> = {};
  if (last >= m.plan.start) {
    for (const mo of monthRange(m.plan.start, last)) {
      baseline[mo] = method === 'mean' ? level : (costs[addMonths(m.plan.start, -12 + (monthIndexInYearFrom(m.plan.start, mo) % 12))] ?? 0);
      actual[mo] = costs[mo] ?? 0;
    }
  } else notes.push(`Nog geen volgroeide maand sinds de start (${m.plan.start}); maanden tot en met ${matureUntil} tellen.`);
  const months = realisedSavings(baseline, actual, { from: m.plan.start, end: m.plan.end ?? null, plannedPerYear: m.savingsPerYear });
  const years: RealisedYear[] = [];
  for (const r of months) {
    const y = Number(r.month.slice(0, 4));
    let acc = years.find((x) => x.year === y);
    if (!acc) years.push((acc = { year: y, plannedYearCents: m.savingsPerYear[y] ?? 0, plannedToDateCents: 0, realisedCents: 0, months: 0 }));
    acc.plannedToDateCents += r.plannedCents;
    acc.realisedCents += r.realisedCents;
    acc.months++;
  }
  return { measure: m, asOf, baselineMethod: method, baselineFrom, baselineTo, baselineLevelCents: level, matureUntil, months, years, notes };
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
  optional: ['description', 'end', 'municipalities', 'categories', 'products', 'provider', 'oneOffYear', ...AMOUNT('oneOffCosts'), ...AMOUNT('structuralCosts'), 'enteredBy'],
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
  if (r.has(`${base}Cents`) && r.has(`${base}Euros`)) throw r.fail(`${base}Euros`, `give ${base}Cents or ${base}Euros, not both`);
  return r.optAmount(base) ?? 0;
}

/** Parses a measures CSV; every measure is checked by the domain (validateMeasure). */
export function parseMeasuresCsv(text: string, file: string, who: { enteredBy: string; enteredAt: string }): StoredMeasure[] {
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
      scope: { municipalities, categories: splitList(r.raw('categories')), products: splitList(r.raw('products')), provider: r.optText('provider') },
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

export const TARGETS_CSV: CsvSpec = { required: ['municipality', 'year'], optional: ['description', 'enteredBy'], oneOf: [AMOUNT('amount')] };

export function parseTargetsCsv(text: string, file: string, who: { enteredBy: string; enteredAt: string }): StoredSavingsTarget[] {
  const seen = new Set<string>();
  return readCsv(text, file, TARGETS_CSV).map((r) => {
    const raw = r.raw('municipality');
    const municipality = raw === '' || raw.toLowerCase() === 'regio' ? null : r.municipality();
    const year = r.year('year');
    const key = `${municipality ?? 'regio'}|${year}`;
    if (seen.has(key)) throw r.fail('municipality', `a target for ${municipality ?? 'regio'} ${year} appears twice in the file`);
    seen.add(key);
    const amountCents = r.amount('amount');
    if (amountCents < 0) throw r.fail(r.has('amountCents') ? 'amountCents' : 'amountEuros', 'a savings target cannot be negative');
    return { municipality, year, amountCents, description: r.optText('description'), enteredBy: r.optText('enteredBy') ?? who.enteredBy, enteredAt: who.enteredAt };
  });
}

/** Imports a measures CSV in one transaction; measures with a known id are replaced. */
export async function importMeasuresCsv(w: Warehouse, text: string, file: string, who: { enteredBy: string; enteredAt?: string }): Promise<number> {
  const ms = parseMeasuresCsv(text, file, { enteredBy: who.enteredBy, enteredAt: who.enteredAt ?? new Date().toISOString() });
  if (!ms.length) throw new GripError('CSV_EMPTY', 'the file has no measures', { file });
  await w.saveSteering({ measures: ms });
  return ms.length;
}

export async function importTargetsCsv(w: Warehouse, text: string, file: string, who: { enteredBy: string; enteredAt?: string }): Promise<number> {
  const ts = parseTargetsCsv(text, file, { enteredBy: who.enteredBy, enteredAt: who.enteredAt ?? new Date().toISOString() });
  if (!ts.length) throw new GripError('CSV_EMPTY', 'the file has no targets', { file });
  await w.saveSteering({ savingsTargets: ts });
  return ts.length;
}

/** The plan per month (for charts): each year's potential spread over the months the measure acts. */
export function measurePlanByMonth(m: StoredMeasure): Record<MonthKey, Cents> {
  return plannedPerMonth(m.savingsPerYear, m.plan.start, m.plan.end);
}
