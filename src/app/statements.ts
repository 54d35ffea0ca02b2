/**
 * Providers' year-end production statements (productieverantwoording, due before 15 April): import and the
 * comparison with what was declared — as `grip statements`, the web page /productieverantwoording and tests use it.
 *
 * File: CSV (UTF-8, comma or semicolon, one header line) or XLSX (first worksheet, header in row 1):
 *   provider,municipality,year,product,amountEuros
 *   41000000,GM0482,2025,45,125000,00
 * - provider: AGB code (8 digits); municipality: CBS code (`0482` or `GM0482`); year: the production year
 * - product: a product category (2 characters, e.g. 45) or a product code (5 characters, e.g. 45A03)
 * - the amount in exactly one of `amountCents` (whole eurocents) or `amountEuros` (euros with at most two decimals,
 *   "125.000,50" or 125000.50) — read as text into integer cents, never through a float
 * A file is imported whole or not at all: a bad value, or the same provider, municipality, year and product twice,
 * rejects it naming file, line (row) and column. A row with the key of a stored one replaces it (a corrected
 * statement); another file's rows stay.
 *
 * Comparison: per provider, per provider × municipality, and per provider × municipality × product, the statement
 * minus the net declared amount (debit − credit) of the production year, as declared by the as-of date. A product
 * row compares with the declared amount of that category (2 characters) or product code (5 characters).
 */
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { GripError } from '../domain/errors.js';
import type { Cents } from '../domain/money.js';
import type { IsoDate } from '../domain/month.js';
import type { StatementRow } from '../warehouse/types.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { readCsv, type CsvSpec } from './csv.js';
import { xlsxToCsv } from './providers.js';

export const STATEMENT_CSV: CsvSpec = {
  required: ['provider', 'municipality', 'year', 'product'],
  optional: ['description'],
  oneOf: [['amountCents', 'amountEuros']],
};

/** Parses a statement file's text (CSV, or an XLSX sheet as CSV) into rows; throws naming line and column. */
export function parseStatementCsv(text: string, file: string): StatementRow[] {
  const seen = new Set<string>();
  const source = basename(file);
  const rows = readCsv(text, file, STATEMENT_CSV).map((r) => {
    const provider = r.text('provider');
    if (!/^\d{8}$/.test(provider)) throw r.fail('provider', `"${provider}" is not an AGB code (8 digits)`);
    const product = r.text('product').toUpperCase();
    if (!/^[0-9A-Z]{2}$/.test(product) && !/^[0-9A-Z]{5}$/.test(product))
      throw r.fail('product', `"${product}" is not a product category (2 characters) or product code (5 characters)`);
    const row: StatementRow = {
      provider,
      municipality: r.municipality(),
      year: r.year('year'),
      product,
      amountCents: r.amount('amount'),
      source,
      sourceLine: r.line,
    };
    const key = `${row.provider}|${row.municipality}|${row.year}|${row.product}`;
    if (seen.has(key))
      throw r.fail(
        'product',
        `provider ${provider}, municipality ${row.municipality}, ${row.year}, product ${product} occurs twice in this file`,
      );
    seen.add(key);
    return row;
  });
  if (!rows.length) throw new GripError('CSV_EMPTY', 'the file has no statement lines', { file });
  return rows;
}

/** Reads a statement file (.csv or .xlsx). */
export async function readStatementFile(path: string, data: Buffer = readFileSync(path)): Promise<StatementRow[]> {
  const ext = extname(path).toLowerCase();
  if (ext === '.xlsx') return parseStatementCsv(await xlsxToCsv(data, path), path);
  if (ext === '.csv' || ext === '.txt') return parseStatementCsv(data.toString('utf8'), path);
  throw new GripError('STATEMENT_FILE_TYPE', 'expected a .csv or .xlsx file', { file: path });
}

/** Imports one statement file in one transaction (all rows or none); returns the number of rows. */
export async function importStatementFile(
  w: Warehouse,
  path: string,
  who: { enteredBy: string; enteredAt?: string },
  data?: Buffer,
): Promise<number> {
  const rows = await readStatementFile(path, data);
  await w.saveStatements(rows, { enteredBy: who.enteredBy, enteredAt: who.enteredAt ?? new Date().toISOString() });
  return rows.length;
}

export interface StatementDifference {
  level: 'provider' | 'municipality' | 'product';
  provider: string;
  /** null at provider level. */
  municipality: string | null;
  /** null above product level. */
  product: string | null;
  statementCents: Cents;
  declaredCents: Cents;
  /** statement − declared: + = the provider accounts for more than it declared. */
  differenceCents: Cents;
  /** difference ÷ declared (null when nothing was declared). */
  share: number | null;
  /** Where the statement row(s) came from: file and line of the first. */
  source: string;
}

export interface StatementComparison {
  year: number;
  asOf: IsoDate | null;
  thresholdCents: Cents;
  /** Every provider with a statement for the year, at the three levels (all of them, not only above the threshold). */
  rows: StatementDifference[];
  /** The rows whose |difference| is at least the threshold, largest first. */
  above: StatementDifference[];
  /** Providers that declared in the year (in these municipalities) but gave no statement, with what they declared. */
  missing: { provider: string; declaredCents: Cents }[];
  totals: { statementCents: Cents; declaredCents: Cents; differenceCents: Cents };
}

/**
 * Statements against declarations for a production year. `municipalities` restricts both sides (a gemeente user);
 * `thresholdCents` (default € 1.000) selects the differences to list.
 */
export async function compareStatements(
  w: Warehouse,
  q: { year: number; thresholdCents?: Cents; municipalities?: string[]; asOf?: IsoDate },
): Promise<StatementComparison> {
  const thresholdCents = q.thresholdCents ?? 100_000;
  const [all, declared] = await Promise.all([
    w.statements({ year: q.year }),
    w.costs({
      by: ['provider', 'municipality', 'category', 'product'],
      year: q.year,
      municipalities: q.municipalities,
      asOf: q.asOf,
    }),
  ]);
  const statements = q.municipalities ? all.filter((s) => q.municipalities!.includes(s.municipality)) : all;
  const withStatement = new Set(statements.map((s) => s.provider));
  const dec = new Map<string, Cents>();
  const add = (k: string, c: Cents) => dec.set(k, (dec.get(k) ?? 0) + c);
  for (const r of declared) {
    const p = r.provider ?? '';
    const m = r.municipality ?? '';
    add(`P|${p}`, r.amountCents);
    add(`M|${p}|${m}`, r.amountCents);
    add(`D|${p}|${m}|${r.category ?? ''}`, r.amountCents);
    if (r.product) add(`D|${p}|${m}|${r.product.toUpperCase()}`, r.amountCents);
  }
  const st = new Map<string, { cents: Cents; source: string }>();
  const put = (k: string, c: Cents, source: string) => {
    const x = st.get(k);
    st.set(k, { cents: (x?.cents ?? 0) + c, source: x?.source ?? source });
  };
  for (const s of statements) {
    const src = `${s.source}:${s.sourceLine}`;
    put(`P|${s.provider}`, s.amountCents, src);
    put(`M|${s.provider}|${s.municipality}`, s.amountCents, src);
    put(`D|${s.provider}|${s.municipality}|${s.product}`, s.amountCents, src);
  }
  const rows: StatementDifference[] = [...st].map(([k, v]) => {
    const [lvl, provider = '', municipality, product] = k.split('|');
    const declaredCents = dec.get(k) ?? 0;
    return {
      level: lvl === 'P' ? 'provider' : lvl === 'M' ? 'municipality' : 'product',
      provider,
      municipality: municipality ?? null,
      product: product ?? null,
      statementCents: v.cents,
      declaredCents,
      differenceCents: v.cents - declaredCents,
      share: declaredCents !== 0 ? (v.cents - declaredCents) / declaredCents : null,
      source: v.source,
    };
  });
  const order = { provider: 0, municipality: 1, product: 2 } as const;
  rows.sort(
    (a, b) =>
      a.provider.localeCompare(b.provider) ||
      order[a.level] - order[b.level] ||
      (a.municipality ?? '').localeCompare(b.municipality ?? '') ||
      (a.product ?? '').localeCompare(b.product ?? ''),
  );
  const above = rows
    .filter((r) => Math.abs(r.differenceCents) >= thresholdCents)
    .sort((a, b) => Math.abs(b.differenceCents) - Math.abs(a.differenceCents) || order[a.level] - order[b.level]);
  const missing = [...dec]
    .filter(([k]) => k.startsWith('P|') && !withStatement.has(k.slice(2)))
    .map(([k, c]) => ({ provider: k.slice(2), declaredCents: c }))
    .sort((a, b) => b.declaredCents - a.declaredCents);
  const providerRows = rows.filter((r) => r.level === 'provider');
  const statementCents = providerRows.reduce((s, r) => s + r.statementCents, 0);
  const declaredCents = providerRows.reduce((s, r) => s + r.declaredCents, 0);
  return {
    year: q.year,
    asOf: q.asOf ?? null,
    thresholdCents,
    rows,
    above,
    missing,
    totals: { statementCents, declaredCents, differenceCents: statementCents - declaredCents },
  };
}
