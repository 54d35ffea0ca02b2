/**
 * The engine-neutral part of the CSV fast path (ImportSession.bulkCsv): the rules every line must pass, in
 * SQL, and the INSERT that turns a loaded file into declaration lines — exactly what the streaming reader
 * (src/ingest/csv.ts) checks and stores. DuckDB reads the file with read_csv (duckdb/bulk-csv.ts),
 * PostgreSQL with COPY into a staging table (postgres/bulk-csv.ts); the few functions that differ come in
 * a dialect.
 *
 * The path is conservative: anything it cannot vouch for gives null (nothing stored) and the importer reads
 * the file line by line instead, which stores exactly the same rows or rejects the file naming line and
 * column. It bails out on: a CSV the engine cannot read strictly; a record count that differs from the
 * file's line count (blank lines, quoted line breaks — line numbers would no longer be physical lines); any
 * field starting or ending with something other than printable ASCII (whitespace the streaming reader
 * trims); any value a rule rejects; integers over 15 digits (beyond exact JavaScript numbers).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import {
  CBS_MUNICIPALITY_CODES,
  PRODUCT_CATEGORIES,
  REFERRERS,
  REFERRER_UNKNOWN,
  UNITS,
} from '../../domain/codes/index.js';
import { CSV_MAX_LENGTH, MAX_CSV_RECORD } from '../../domain/limits.js';
import type { BulkCsvFile, BulkCsvResult } from '../types.js';

export interface BulkDialect {
  /** The whole of `expr` matches the regular expression. */
  fullMatch(expr: string, pattern: string): string;
  /** Some part of `expr` matches. */
  anyMatch(expr: string, pattern: string): string;
  /** `expr` (already YYYY-MM-DD by pattern) is a real calendar date. May raise an error instead of false. */
  realDate(expr: string): string;
}

export const lit = (s: string): string => `'${s.replace(/'/g, "''")}'`;
export const ident = (s: string): string => `"${s.replace(/"/g, '""')}"`;
const list = (codes: string[]) => `(${codes.map(lit).join(', ')})`;
/** A column's value, empty string for an empty field. */
export const val = (c: string): string => `COALESCE(${ident(c)}, '')`;

const muni = `CASE WHEN left(upper(${val('municipality')}), 2) = 'GM' THEN substr(upper(${val('municipality')}), 3) ELSE upper(${val('municipality')}) END`;

/** A condition per rule; a line passes when all are true. */
export function csvRules(header: string[], d: BulkDialect): string[] {
  const isDate = (c: string) => `(${d.fullMatch(val(c), '[0-9]{4}-[0-9]{2}-[0-9]{2}')} AND ${d.realDate(val(c))})`;
  // 0..99999999 (MAX_LINE_CENTS, MAX_VOLUME) as at most eight digits; leading zeros go to the line reader.
  const isInt = (c: string) => d.fullMatch(val(c), '[1-9][0-9]{0,7}|0');
  const referrers = Object.keys(REFERRERS).filter((r) => r !== REFERRER_UNKNOWN);
  // One regular expression over all fields joined by a unit separator (0x1f).
  const edges = d.anyMatch(
    `concat_ws(chr(31), ${header.map(val).join(', ')})`,
    '(^|\\x1f)[^!-~\\x1f]|[^!-~\\x1f](\\x1f|$)',
  );
  return [
    `NOT ${edges}`,
    d.fullMatch(muni, '[0-9]{1,4}'),
    `lpad(${muni}, 4, '0') IN ${list([...CBS_MUNICIPALITY_CODES])}`,
    ...Object.entries(CSV_MAX_LENGTH)
      .filter(([c]) => header.includes(c))
      .map(([c, max]) => `length(${val(c)}) <= ${max}`),
    `${val('provider')} <> ''`,
    `${val('client')} <> ''`,
    `${val('declarationNumber')} <> ''`,
    isDate('declarationDate'),
    isDate('periodStart'),
    isDate('periodEnd'),
    `${val('periodEnd')} >= ${val('periodStart')}`,
    `${val('productCategory')} IN ${list(Object.keys(PRODUCT_CATEGORIES))}`,
    `${val('unit')} IN ${list(Object.keys(UNITS))}`,
    `upper(${val('debitCredit')}) IN ('D', 'C')`,
    `(${val('referrer')} = '' OR ${val('referrer')} IN ${list(referrers)})`,
    isInt('volume'),
    `(${val('tariffCents')} = '' OR ${isInt('tariffCents')})`,
    isInt('amountCents'),
  ];
}

/** SQL counting the lines of `source` that break a rule. */
export function badLinesCondition(header: string[], d: BulkDialect): string {
  return `NOT (${csvRules(header, d)
    .map((x) => `COALESCE(${x}, false)`)
    .join(' AND ')})`;
}

/**
 * INSERT of the lines of `source` (the file's columns plus `ord`, the record's number from 1 in file order)
 * as declaration lines of `fileId`, with pseudonyms (and family keys) from `keys` (kind, raw, key).
 */
export function insertLinesSql(header: string[], fileId: number, source: string, keys: string): string {
  const v = val;
  const hasFamily = header.includes('family');
  const amount = `CASE WHEN upper(${v('debitCredit')}) = 'C' THEN -CAST(${v('amountCents')} AS BIGINT) ELSE CAST(${v('amountCents')} AS BIGINT) END`;
  return `
    INSERT INTO declaration_lines (file_id, seq, source_line, municipality, provider, client, declaration_number, declaration_date,
      declaration_month, declaration_period_start, reference_number, previous_reference_number, allocation_number, category,
      product_code, period_start, period_end, month, volume, unit, tariff_cents, amount_cents, debit_credit, referrer, family)
    SELECT ${fileId}, ord, ord + 1, g_muni, g_provider, ck.key, g_decl, ${v('declarationDate')}, left(${v('declarationDate')}, 7), NULL,
      'csv:' || g_decl || ':' || CAST(row_number() OVER (PARTITION BY g_muni, g_provider, g_decl ORDER BY ord) AS VARCHAR), NULL,
      NULLIF(${v('allocationNumber')}, ''), ${v('productCategory')}, NULLIF(${v('productCode')}, ''), ${v('periodStart')},
      ${v('periodEnd')}, left(${v('periodStart')}, 7), CAST(${v('volume')} AS BIGINT), ${v('unit')},
      CAST(NULLIF(${v('tariffCents')}, '') AS BIGINT), ${amount}, upper(${v('debitCredit')}), NULLIF(${v('referrer')}, ''),
      ${hasFamily ? 'fk.key' : 'NULL'}
    FROM (SELECT *, lpad(${muni}, 4, '0') AS g_muni, ${v('provider')} AS g_provider, ${v('declarationNumber')} AS g_decl FROM ${source}) s
    JOIN ${keys} ck ON ck.kind = 'client' AND ck.raw = ${v('client')}
    ${hasFamily ? `LEFT JOIN ${keys} fk ON fk.kind = 'family' AND fk.raw = ${v('family')}` : ''}`;
}

/** Totals of the lines stored for a file, for its source_files record. */
export const fileTotalsSql = (fileId: number): string => `
  SELECT COUNT(*) AS lines, COALESCE(SUM(amount_cents), 0) AS cents, COUNT(DISTINCT provider) AS providers, MIN(provider) AS provider,
         COUNT(DISTINCT municipality) AS munis, MIN(municipality) AS muni, MAX(declaration_date) AS last
    FROM declaration_lines WHERE file_id = ${fileId}`;

export function bulkResult(records: number, totals: Record<string, unknown>): BulkCsvResult {
  if (Number(totals.lines) !== records)
    throw new Error(`bulk CSV load stored ${String(totals.lines)} of ${records} lines`);
  return {
    counts: { lines: records, totalCents: Number(totals.cents) },
    providers: Number(totals.providers),
    firstProvider: (totals.provider as string | null) ?? null,
    municipalities: Number(totals.munis),
    firstMunicipality: (totals.muni as string | null) ?? null,
    lastDeclarationDate: (totals.last as string | null) ?? null,
  };
}

/**
 * Pseudonyms (and family keys) of the distinct values, computed in Grip so the key never reaches the
 * database. Null when a value is not a valid BSN: the streaming reader then names the line (without the BSN).
 */
export function keyRows(
  f: BulkCsvFile,
  distinct: { client: string[]; family: string[] },
): [string, string, string | null][] | null {
  const rows: [string, string, string | null][] = [];
  try {
    for (const raw of distinct.client) rows.push(['client', raw, f.pseudonymise(raw)]);
    for (const raw of distinct.family) rows.push(['family', raw, f.familyKey(raw)]);
  } catch {
    return null;
  }
  return rows;
}

/** Number of physical lines: line feeds, plus one when the last line has none. */
export function physicalLines(path: string): number {
  return scanLines(path).lines;
}

/** Physical lines and the longest of them in bytes (without its line feed), in one pass. */
export function scanLines(path: string): { lines: number; longest: number } {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    let lines = 0;
    let last = -1;
    let longest = 0;
    let current = 0; // bytes of the line so far
    let n: number;
    while ((n = readSync(fd, buf, 0, buf.length, null)) > 0) {
      let start = 0;
      let i: number;
      while ((i = buf.indexOf(10, start)) !== -1 && i < n) {
        lines++;
        longest = Math.max(longest, current + i - start);
        current = 0;
        start = i + 1;
      }
      current += n - start;
      last = buf[n - 1]!; // n > 0: the loop's condition
    }
    longest = Math.max(longest, current);
    return { lines: last === -1 ? 0 : lines + (last === 10 ? 0 : 1), longest };
  } finally {
    closeSync(fd);
  }
}

/**
 * Whether the fast path may hand the file to the engine at all: no line longer than a CSV record may be
 * (a 250 MB field must not reach the engine's reader, which would try to hold it); the line reader then
 * rejects the file alone, naming the line. Returns the physical line count when it may.
 */
export function bulkPrecheck(path: string): number | null {
  const { lines, longest } = scanLines(path);
  return longest > MAX_CSV_RECORD ? null : lines;
}
