/**
 * Budgets as the CLI, the web app and the reports use them: the youth-care budget per municipality and year,
 * kept as an append-only history (a primitive budget, then amendments as signed deltas, each with its decision
 * date and reference), the budget at a date, and budget vs forecast.
 *
 * The budget of a municipality for a year at a date = Σ amounts of its entries dated on or before that date
 * (primitief + wijzigingen, over all category groups). Nothing is ever overwritten: a correction is an amendment.
 *
 * Budget CSV (`grip budget import`), one header line, comma or semicolon:
 *   municipality,year,kind,date,amountEuros,decisionReference,categoryGroup,description
 *   GM0482,2025,primitief,2024-11-12,5400000,Begroting 2025,,Primaire begroting
 * - municipality: CBS code, `0482` or `GM0482`; year: YYYY; kind: `primitief` or `wijziging`; date: YYYY-MM-DD
 *   (decision date: the entry counts from then on)
 * - the amount in exactly one of two columns: `amountCents` (whole eurocents, e.g. 540000000) or `amountEuros`
 *   (euros with at most two decimals: 5400000, 5400000.50 or "5.400.000,50"); signed: an amendment that lowers the
 *   budget is negative; a primitive budget is never negative
 * - optional: decisionReference, categoryGroup (one of the category groups below; empty = the whole budget),
 *   description, enteredBy (default: the user running the import), enteredAt (default: now; `grip budget export`
 *   writes both, so an export imports into another warehouse with its history intact)
 */
import { categoryGroup } from '../domain/codes/index.js';
import { isExample } from '../domain/example.js';
import { GripError } from '../domain/errors.js';
import type { Cents } from '../domain/money.js';
import type { IsoDate } from '../domain/month.js';
import { extname } from 'node:path';
import {
  BUDGET_KINDS,
  type BudgetEntry,
  type BudgetEntryInput,
  type BudgetKind,
  type ReservationInput,
} from '../warehouse/types.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { readCsv, writeCsv, type CsvSpec } from './csv.js';
import { defaultAsOf, regionForecast } from './forecast.js';
import { xlsxToCsv } from './providers.js';

export type { BudgetEntry, BudgetEntryInput, BudgetKind };
export { BUDGET_KINDS };

/** The category groups a budget line may be given for (as domain/codes categoryGroup names them). */
export const CATEGORY_GROUPS: readonly string[] = [...new Set(['43', '47', '51', '46', '45'].map(categoryGroup))];

/**
 * The current budget per municipality for a year: primitive + Σ amendments (all category groups), counting the
 * entries dated on or before `asOf` (default: all). Municipalities without any entry are absent from the map.
 */
export async function budgetsFor(
  w: Warehouse,
  year: number,
  municipalities?: string[],
  asOf?: IsoDate,
): Promise<Map<string, Cents>> {
  const entries = await w.budgetEntries({ year, municipalities, upTo: asOf });
  const out = new Map<string, Cents>();
  for (const e of entries) out.set(e.municipality, (out.get(e.municipality) ?? 0) + e.amountCents);
  return new Map([...out].sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * The municipalities whose budget for the year (entries dated on or before `asOf`) includes an example entry
 * (reference or description says "voorbeeld"): where their budget shows, it is marked as an example.
 */
export async function exampleBudgets(
  w: Warehouse,
  year: number,
  municipalities?: string[],
  asOf?: IsoDate,
): Promise<Set<string>> {
  const entries = await w.budgetEntries({ year, municipalities, upTo: asOf });
  return new Set(entries.filter((e) => isExample(e.decisionReference, e.description)).map((e) => e.municipality));
}

export interface BudgetHistoryRow extends BudgetEntry {
  /** The municipality's budget for the year after this entry (running total in date order). */
  budgetAfterCents: Cents;
}

/** Every entry for the year, in date order per municipality, with the running budget after each entry. */
export async function budgetHistory(
  w: Warehouse,
  q: { year: number; municipality?: string },
): Promise<BudgetHistoryRow[]> {
  const entries = await w.budgetEntries({
    year: q.year,
    municipalities: q.municipality ? [q.municipality] : undefined,
  });
  const running = new Map<string, Cents>();
  return entries.map((e) => {
    const after = (running.get(e.municipality) ?? 0) + e.amountCents;
    running.set(e.municipality, after);
    return { ...e, budgetAfterCents: after };
  });
}

export interface BudgetVsForecastRow {
  /** A municipality code, or `regio`. */
  municipality: string;
  name: string;
  /** The budget at `asOf`; null when none was entered. */
  budgetCents: Cents | null;
  /** Declared (net) for production months of the year, as of `asOf`. */
  realisedCents: Cents;
  forecastCents: Cents;
  /** The forecast's 80% interval. */
  lowCents: Cents;
  highCents: Cents;
  /** forecast − budget: positive = expected overrun (overschrijding), negative = underrun; null without a budget. */
  overrunCents: Cents | null;
  /** The overrun at the low and the high end of the forecast interval. */
  overrunLowCents: Cents | null;
  overrunHighCents: Cents | null;
  /** realised / budget (share of the budget used so far); null without a positive budget. */
  usedShare: number | null;
}

export interface BudgetVsForecast {
  year: number;
  asOf: IsoDate;
  municipalities: BudgetVsForecastRow[];
  /**
   * The region: Σ budgets, the region forecast (its own interval, see app/forecast.ts). The overrun is null
   * while a municipality with costs or a budget lacks either a budget (see `missingBudgets`).
   */
  region: BudgetVsForecastRow;
  /** Municipalities with a forecast but no budget for the year. */
  missingBudgets: string[];
  /**
   * Aggregate roles: municipalities whose total is hidden in the protected table of the year; they are not in
   * `municipalities` (their realisation and forecast would give the hidden cell back), only their budget is.
   */
  hidden: { municipality: string; name: string; budgetCents: Cents | null }[];
}

function row(
  municipality: string,
  name: string,
  budget: Cents | null,
  f: { declaredCents: Cents; forecastCents: Cents; lowCents: Cents; highCents: Cents },
): BudgetVsForecastRow {
  return {
    municipality,
    name,
    budgetCents: budget,
    realisedCents: f.declaredCents,
    forecastCents: f.forecastCents,
    lowCents: f.lowCents,
    highCents: f.highCents,
    overrunCents: budget === null ? null : f.forecastCents - budget,
    overrunLowCents: budget === null ? null : f.lowCents - budget,
    overrunHighCents: budget === null ? null : f.highCents - budget,
    usedShare: budget !== null && budget > 0 ? f.declaredCents / budget : null,
  };
}

/**
 * Budget vs year-end forecast per municipality and for the region, as of a date (default: the latest
 * declaration date). The budget counts entries dated on or before `asOf`. Municipalities with a budget but no
 * costs get a zero forecast.
 */
export async function budgetVsForecast(
  w: Warehouse,
  year: number,
  asOf?: IsoDate,
  municipalities?: string[],
  opts: { hidden?: (code: string) => boolean } = {},
): Promise<BudgetVsForecast> {
  const at = asOf ?? (await defaultAsOf(w));
  const [budgets, forecast, refs] = await Promise.all([
    budgetsFor(w, year, municipalities, at),
    regionForecast(w, year, at, municipalities),
    w.municipalities(),
  ]);
  const names = new Map(refs.map((m) => [m.code, m.name]));
  const byCode = new Map(forecast.municipalities.map((m) => [m.municipality, m]));
  const codes = [...new Set([...budgets.keys(), ...byCode.keys()])].sort();
  const zero = { declaredCents: 0, forecastCents: 0, lowCents: 0, highCents: 0 };
  const isHidden = opts.hidden ?? (() => false);
  const rows = codes
    .filter((c) => !isHidden(c))
    .map((c) => row(c, names.get(c) ?? c, budgets.get(c) ?? null, byCode.get(c) ?? zero));
  const hidden = codes
    .filter(isHidden)
    .map((c) => ({ municipality: c, name: names.get(c) ?? c, budgetCents: budgets.get(c) ?? null }));
  const missingBudgets = codes.filter((c) => !budgets.has(c));
  const budgetTotal = budgets.size ? [...budgets.values()].reduce((s, b) => s + b, 0) : null;
  const region = row('regio', 'Regio', budgetTotal, forecast.total);
  if (missingBudgets.length) {
    region.overrunCents = region.overrunLowCents = region.overrunHighCents = null;
  }
  return { year, asOf: at, municipalities: rows, region, missingBudgets, hidden };
}

// ---------------------------------------------------------------------------------------------------------
// CSV

export const BUDGET_CSV: CsvSpec = {
  required: ['municipality', 'year', 'kind', 'date'],
  optional: ['decisionReference', 'categoryGroup', 'description', 'enteredBy', 'enteredAt'],
  oneOf: [['amountCents', 'amountEuros']],
};

/**
 * Parses a budget CSV and checks it against the history already stored: at most one primitive budget per
 * municipality, year and category group; an amendment needs a primitive budget for its municipality and year
 * (stored or in the file); an entry identical to one already stored (same municipality, year, group, kind, date,
 * reference and amount) is refused, so importing a file twice does not count amendments twice.
 */
export function parseBudgetCsv(
  text: string,
  file: string,
  who: { enteredBy: string; enteredAt: string },
  stored: readonly BudgetEntry[] = [],
): BudgetEntryInput[] {
  const recs = readCsv(text, file, BUDGET_CSV);
  const key = (e: Pick<BudgetEntryInput, 'municipality' | 'year' | 'categoryGroup'>) =>
    `${e.municipality}|${e.year}|${e.categoryGroup ?? ''}`;
  const full = (e: BudgetEntryInput | BudgetEntry) =>
    `${key(e)}|${e.kind}|${e.date}|${e.decisionReference ?? ''}|${e.amountCents}`;
  const primitives = new Set(stored.filter((e) => e.kind === 'primitief').map(key));
  const withPrimitive = new Set(stored.filter((e) => e.kind === 'primitief').map((e) => `${e.municipality}|${e.year}`));
  const storedFull = new Set(stored.map(full));
  const out: BudgetEntryInput[] = [];
  for (const r of recs) {
    const kind = r.oneOfValues('kind', BUDGET_KINDS);
    const group = r.optText('categoryGroup');
    if (group !== null && !CATEGORY_GROUPS.includes(group))
      throw r.fail(
        'categoryGroup',
        `"${group}" is not a category group; use one of: ${CATEGORY_GROUPS.join(', ')} (or leave empty)`,
      );
    const e: BudgetEntryInput = {
      municipality: r.municipality(),
      year: r.year('year'),
      categoryGroup: group,
      kind,
      date: r.date('date'),
      decisionReference: r.optText('decisionReference'),
      amountCents: r.amount('amount'),
      description: r.optText('description'),
      enteredBy: r.optText('enteredBy') ?? who.enteredBy,
      enteredAt: r.optText('enteredAt') ?? who.enteredAt,
    };
    const amountCol = r.has('amountCents') ? 'amountCents' : 'amountEuros';
    if (kind === 'primitief') {
      if (e.amountCents < 0) throw r.fail(amountCol, 'a primitive budget cannot be negative');
      if (primitives.has(key(e)))
        throw r.fail(
          'kind',
          `${e.municipality} ${e.year}${group ? ` (${group})` : ''} already has a primitive budget; enter a change as kind "wijziging"`,
        );
      primitives.add(key(e));
      withPrimitive.add(`${e.municipality}|${e.year}`);
    } else if (!withPrimitive.has(`${e.municipality}|${e.year}`)) {
      throw r.fail(
        'kind',
        `an amendment for ${e.municipality} ${e.year} needs a primitive budget first (in this file or already imported)`,
      );
    }
    if (storedFull.has(full(e)))
      throw r.fail(
        'kind',
        `this entry was already imported (same municipality, year, kind, date, reference and amount)`,
      );
    out.push(e);
  }
  return out;
}

/** Imports a budget CSV in one transaction (all lines or none). Returns the number of entries. */
export async function importBudgetCsv(
  w: Warehouse,
  text: string,
  file: string,
  who: { enteredBy: string; enteredAt?: string },
): Promise<number> {
  const stored = await w.budgetEntries();
  const entries = parseBudgetCsv(
    text,
    file,
    { enteredBy: who.enteredBy, enteredAt: who.enteredAt ?? new Date().toISOString() },
    stored,
  );
  if (!entries.length) throw new GripError('CSV_EMPTY', 'the file has no budget lines', { file });
  await w.saveSteering({ budgetEntries: entries });
  return entries.length;
}

const EXPORT_HEADER = [
  'municipality',
  'year',
  'kind',
  'date',
  'amountCents',
  'decisionReference',
  'categoryGroup',
  'description',
  'enteredBy',
  'enteredAt',
];

/** The budget history as CSV (amounts in eurocents); `grip budget import` reads it back (enteredAt is ignored there). */
export async function budgetCsv(w: Warehouse, q: { year?: number } = {}): Promise<string> {
  const entries = await w.budgetEntries({ year: q.year });
  return writeCsv(
    EXPORT_HEADER,
    entries.map((e) => [
      e.municipality,
      e.year,
      e.kind,
      e.date,
      e.amountCents,
      e.decisionReference,
      e.categoryGroup,
      e.description,
      e.enteredBy,
      e.enteredAt,
    ]),
  );
}

/**
 * Local-provision ("voorkant") budget lines CSV (`grip budget import-voorkant`):
 *   municipality,year,provision,date,amountEuros|amountCents,description
 *   GM0482,2025,Stichting Jeugdteams,2024-11-12,650000,Bijdrage SJT
 * Appended like budget entries; they feed the KPI "aandeel budget aan de voorkant".
 */
export const LOCAL_PROVISIONS_CSV: CsvSpec = {
  required: ['municipality', 'year', 'provision', 'date'],
  optional: ['description', 'enteredBy'],
  oneOf: [['amountCents', 'amountEuros']],
};

export async function importLocalProvisionsCsv(
  w: Warehouse,
  text: string,
  file: string,
  who: { enteredBy: string; enteredAt?: string },
): Promise<number> {
  const at = who.enteredAt ?? new Date().toISOString();
  const lines = readCsv(text, file, LOCAL_PROVISIONS_CSV).map((r) => ({
    municipality: r.municipality(),
    year: r.year('year'),
    provision: r.text('provision'),
    date: r.date('date'),
    amountCents: r.amount('amount'),
    description: r.optText('description'),
    enteredBy: r.optText('enteredBy') ?? who.enteredBy,
    enteredAt: at,
  }));
  if (!lines.length) throw new GripError('CSV_EMPTY', 'the file has no budget lines', { file });
  await w.saveSteering({ localProvisions: lines });
  return lines.length;
}

/**
 * Reservations CSV or XLSX (`grip budget import-reservations`): what a municipality reserved for its share of the
 * region's overrun of a year (e.g. at its own first Burap). One header line (XLSX: the first worksheet, header in
 * row 1):
 *   municipality,year,date,amountEuros|amountCents,reference,description
 *   GM0482,2021,2021-07-08,600000,1e Burap 2021 Alblasserdam,Reservering aandeel tekort DG&J
 * A later entry is a new figure (not a delta): the reservation at a date is the latest entry dated on or before
 * it. The whole file is imported or nothing; the same municipality, year and date twice in a file is refused.
 */
export const RESERVATIONS_CSV: CsvSpec = {
  required: ['municipality', 'year', 'date'],
  optional: ['reference', 'description', 'enteredBy', 'enteredAt'],
  oneOf: [['amountCents', 'amountEuros']],
};

export function parseReservationsCsv(
  text: string,
  file: string,
  who: { enteredBy: string; enteredAt: string },
): ReservationInput[] {
  const seen = new Set<string>();
  return readCsv(text, file, RESERVATIONS_CSV).map((r) => {
    const e: ReservationInput = {
      municipality: r.municipality(),
      year: r.year('year'),
      date: r.date('date'),
      amountCents: r.amount('amount'),
      reference: r.optText('reference'),
      description: r.optText('description'),
      enteredBy: r.optText('enteredBy') ?? who.enteredBy,
      enteredAt: r.optText('enteredAt') ?? who.enteredAt,
    };
    if (e.amountCents < 0)
      throw r.fail(r.has('amountCents') ? 'amountCents' : 'amountEuros', 'a reservation cannot be negative');
    const key = `${e.municipality}|${e.year}|${e.date}`;
    if (seen.has(key))
      throw r.fail('date', `${e.municipality} ${e.year} already has a reservation dated ${e.date} in this file`);
    seen.add(key);
    return e;
  });
}

/** Imports a reservations file (.csv or .xlsx) in one transaction (all lines or none). Returns the number of entries. */
export async function importReservations(
  w: Warehouse,
  data: Buffer,
  file: string,
  who: { enteredBy: string; enteredAt?: string },
): Promise<number> {
  const text = extname(file).toLowerCase() === '.xlsx' ? await xlsxToCsv(data, file) : data.toString('utf8');
  const entries = parseReservationsCsv(text, file, {
    enteredBy: who.enteredBy,
    enteredAt: who.enteredAt ?? new Date().toISOString(),
  });
  if (!entries.length) throw new GripError('CSV_EMPTY', 'the file has no reservations', { file });
  await w.saveSteering({ reservations: entries });
  return entries.length;
}
