/**
 * DuckDB's fast path for CSV declarations (ImportSession.bulkCsv): DuckDB's own multi-threaded CSV reader
 * loads the file into a temporary table, one SQL pass checks every line with the rules of the streaming
 * reader (src/ingest/csv.ts), the distinct BSNs (and family keys) are pseudonymised in JavaScript — the key
 * never reaches the database — and one INSERT … SELECT stores the lines. A national year goes in at a
 * fraction of the cost of parsing it line by line in JavaScript and handing every value to the appender.
 *
 * The path is conservative: anything it cannot vouch for gives null (nothing stored) and the importer reads
 * the file line by line instead, which stores exactly the same rows or rejects the file naming line and
 * column. So it bails out on: a CSV DuckDB cannot read strictly; a record count that differs from the file's
 * line count (blank lines, quoted line breaks — line numbers would no longer be physical lines); any field
 * starting or ending with something other than printable ASCII (whitespace the streaming reader trims);
 * any value a rule rejects; integers over 15 digits (beyond exact JavaScript numbers).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { PRODUCT_CATEGORIES, REFERRERS, REFERRER_UNKNOWN, UNITS } from '../../domain/codes/index.js';
import type { BulkCsvFile, BulkCsvResult } from '../warehouse.js';

const KEYS = 'grip_csv_keys';

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;
const list = (codes: string[]) => `(${codes.map(lit).join(', ')})`;

/** Number of physical lines: line feeds, plus one when the last line has none. */
export function physicalLines(path: string): number {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    let lines = 0;
    let last = -1;
    let n: number;
    while ((n = readSync(fd, buf, 0, buf.length, null)) > 0) {
      let i = -1;
      while ((i = buf.indexOf(10, i + 1)) !== -1 && i < n) lines++;
      last = buf[n - 1];
    }
    return last === -1 ? 0 : lines + (last === 10 ? 0 : 1);
  } finally {
    closeSync(fd);
  }
}

/**
 * `check` is a connection outside the import transaction: reading a file that is not strictly valid CSV
 * raises an error, which would abort the transaction; there it is harmless. `conn` holds the transaction.
 */
export async function bulkCsvInto(conn: DuckDBConnection, check: DuckDBConnection, fileId: number, f: BulkCsvFile): Promise<BulkCsvResult | null> {
  try {
    return await load(conn, check, fileId, f);
  } finally {
    await conn.run(`DROP TABLE IF EXISTS ${KEYS}`);
  }
}

async function load(conn: DuckDBConnection, check: DuckDBConnection, fileId: number, f: BulkCsvFile): Promise<BulkCsvResult | null> {
  const columns = `{${f.header.map((h) => `${lit(h)}: 'VARCHAR'`).join(', ')}}`;
  const csv = `read_csv(${lit(f.path)}, delim = ${lit(f.delimiter)}, quote = '"', escape = '"', header = true, auto_detect = false,
    columns = ${columns}, strict_mode = true, null_padding = false, ignore_errors = false)`;
  const v = (c: string) => `COALESCE(${ident(c)}, '')`;
  const has = (c: string) => f.header.includes(c);
  // One regular expression over all fields joined by a unit separator: a field starting or ending with
  // anything but printable ASCII (the streaming reader trims whitespace; this path does not).
  const edges = `regexp_matches(concat_ws(chr(31), ${f.header.map(v).join(', ')}), '(^|\\x1f)[^!-~\\x1f]|[^!-~\\x1f](\\x1f|$)')`;
  const isDate = (c: string) => `(regexp_full_match(${v(c)}, '[0-9]{4}-[0-9]{2}-[0-9]{2}') AND TRY_CAST(${v(c)} AS DATE) IS NOT NULL)`;
  const isInt = (c: string) => `regexp_full_match(${v(c)}, '-?[0-9]{1,15}')`;
  const muni = `CASE WHEN starts_with(upper(${v('municipality')}), 'GM') THEN upper(${v('municipality')})[3:] ELSE upper(${v('municipality')}) END`;
  const referrers = Object.keys(REFERRERS).filter((r) => r !== REFERRER_UNKNOWN);
  const rules = [
    `NOT ${edges}`,
    `regexp_full_match(${muni}, '[0-9]{1,4}')`,
    `${v('provider')} <> ''`,
    `${v('client')} <> ''`,
    `${v('declarationNumber')} <> ''`,
    isDate('declarationDate'),
    isDate('periodStart'),
    isDate('periodEnd'),
    `${v('periodEnd')} >= ${v('periodStart')}`,
    `${v('productCategory')} IN ${list(Object.keys(PRODUCT_CATEGORIES))}`,
    `${v('unit')} IN ${list(Object.keys(UNITS))}`,
    `upper(${v('debitCredit')}) IN ('D', 'C')`,
    `(${v('referrer')} = '' OR ${v('referrer')} IN ${list(referrers)})`,
    isInt('volume'),
    `(${v('tariffCents')} = '' OR ${isInt('tariffCents')})`,
    `(${isInt('amountCents')} AND NOT starts_with(${v('amountCents')}, '-'))`,
  ];
  let records: number;
  const distinct: { client: string[]; family: string[] } = { client: [], family: [] };
  try {
    // One scan: the count, the lines breaking a rule, and the distinct values to pseudonymise.
    const lists = (has('family') ? ['client', 'family'] : ['client']).map((k) => `LIST(DISTINCT ${ident(k)}) FILTER (WHERE ${v(k)} <> '') AS ${k}`);
    const r = (
      await check.runAndReadAll(
        `SELECT COUNT(*) AS n, COUNT(*) FILTER (WHERE NOT (${rules.map((x) => `COALESCE(${x}, false)`).join(' AND ')})) AS bad, ${lists.join(', ')} FROM ${csv}`,
      )
    ).getRowObjects()[0];
    if (Number(r.bad) > 0) return null;
    records = Number(r.n);
    if (records + 1 !== physicalLines(f.path)) return null;
    for (const kind of ['client', 'family'] as const) distinct[kind] = (r[kind] as { items: string[] } | null | undefined)?.items ?? [];
  } catch {
    return null; // not strictly readable: the streaming reader names the problem
  }

  // Pseudonyms (and family keys) for the distinct values, computed here: the key stays out of the database.
  await conn.run(`CREATE TEMP TABLE ${KEYS} (kind VARCHAR, raw VARCHAR, key VARCHAR)`);
  const appender = await conn.createAppender(KEYS, 'main', 'temp');
  try {
    try {
      for (const [kind, map] of [['client', f.pseudonymise], ['family', f.familyKey]] as const) {
        for (const raw of distinct[kind]) {
          const key = map(raw);
          appender.appendVarchar(kind);
          appender.appendVarchar(raw);
          if (key === null) appender.appendNull();
          else appender.appendVarchar(key);
          appender.endRow();
        }
      }
    } catch {
      return null; // an invalid BSN: the streaming reader names the line (without the BSN in clear)
    }
  } finally {
    appender.closeSync();
  }

  const family = has('family') ? `fk.key` : 'NULL';
  const familyJoin = has('family') ? `LEFT JOIN ${KEYS} fk ON fk.kind = 'family' AND fk.raw = ${v('family')}` : '';
  const amount = `CASE WHEN upper(${v('debitCredit')}) = 'C' THEN -CAST(${v('amountCents')} AS BIGINT) ELSE CAST(${v('amountCents')} AS BIGINT) END`;
  // row_number() OVER () numbers the records in file order (DuckDB keeps the scan's order for it).
  await conn.run(`
    INSERT INTO declaration_lines (file_id, seq, source_line, municipality, provider, client, declaration_number, declaration_date,
      declaration_month, declaration_period_start, reference_number, previous_reference_number, allocation_number, category,
      product_code, period_start, period_end, month, volume, unit, tariff_cents, amount_cents, debit_credit, referrer, family)
    SELECT ${fileId}, ord, ord + 1, muni, provider, ck.key, decl, ${v('declarationDate')}, ${v('declarationDate')}[1:7], NULL,
      'csv:' || decl || ':' || row_number() OVER (PARTITION BY muni, provider, decl ORDER BY ord), NULL,
      NULLIF(${v('allocationNumber')}, ''), ${v('productCategory')}, NULLIF(${v('productCode')}, ''), ${v('periodStart')},
      ${v('periodEnd')}, ${v('periodStart')}[1:7], CAST(${v('volume')} AS BIGINT), ${v('unit')},
      CAST(NULLIF(${v('tariffCents')}, '') AS BIGINT), ${amount}, upper(${v('debitCredit')}), NULLIF(${v('referrer')}, ''), ${family}
    FROM (SELECT *, CAST(row_number() OVER () AS INTEGER) AS ord, lpad(${muni}, 4, '0') AS muni, ${v('provider')} AS provider,
                 ${v('declarationNumber')} AS decl FROM ${csv}) s
    JOIN ${KEYS} ck ON ck.kind = 'client' AND ck.raw = ${v('client')}
    ${familyJoin}`);

  const totals = (
    await conn.runAndReadAll(`
      SELECT COUNT(*) AS lines, COALESCE(SUM(amount_cents), 0) AS cents, COUNT(DISTINCT provider) AS providers, MIN(provider) AS provider,
             COUNT(DISTINCT municipality) AS munis, MIN(municipality) AS muni, MAX(declaration_date) AS last
        FROM declaration_lines WHERE file_id = ${fileId}`)
  ).getRowObjects()[0];
  if (Number(totals.lines) !== records) throw new Error(`bulk CSV load stored ${String(totals.lines)} of ${records} lines`);
  return {
    counts: { lines: records, totalCents: Number(totals.cents) },
    providers: Number(totals.providers),
    firstProvider: (totals.provider as string | null) ?? null,
    municipalities: Number(totals.munis),
    firstMunicipality: (totals.muni as string | null) ?? null,
    lastDeclarationDate: (totals.last as string | null) ?? null,
  };
}
