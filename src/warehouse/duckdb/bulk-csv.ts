/**
 * DuckDB's CSV fast path (ImportSession.bulkCsv; the rules and the INSERT are in sql/bulk-csv.ts): DuckDB's
 * own multi-threaded CSV reader scans the file, one SQL pass checks every line and collects the distinct
 * BSNs, Grip pseudonymises those, and one INSERT … SELECT stores the lines. A national year goes in at a
 * fraction of the cost of parsing it line by line in JavaScript and handing every value to the appender.
 */
import type { DuckDBConnection } from './api.js';
import { at } from '../../domain/indexing.js';
import type { BulkCsvFile, BulkCsvResult } from '../warehouse.js';
import {
  badLinesCondition,
  bulkPrecheck,
  bulkResult,
  fileTotalsSql,
  ident,
  insertLinesSql,
  keyRows,
  lit,
  val,
  type BulkDialect,
} from '../sql/bulk-csv.js';

const KEYS = 'grip_csv_keys';
/** Not a CSV column Grip knows (the header check refuses unknown columns), so never in a header. */
const EXTRA = 'grip_extra_field';

const DUCKDB: BulkDialect = {
  fullMatch: (e, p) => `regexp_full_match(${e}, ${lit(p)})`,
  anyMatch: (e, p) => `regexp_matches(${e}, ${lit(p)})`,
  realDate: (e) => `TRY_CAST(${e} AS DATE) IS NOT NULL`,
};

/**
 * `check` is a connection outside the import transaction: reading a file that is not strictly valid CSV
 * raises an error, which would abort the transaction; there it is harmless. `conn` holds the transaction.
 */
export async function bulkCsvInto(
  conn: DuckDBConnection,
  check: DuckDBConnection,
  fileId: number,
  f: BulkCsvFile,
): Promise<BulkCsvResult | null> {
  try {
    return await load(conn, check, fileId, f);
  } finally {
    await conn.run(`DROP TABLE IF EXISTS ${KEYS}`);
  }
}

async function load(
  conn: DuckDBConnection,
  check: DuckDBConnection,
  fileId: number,
  f: BulkCsvFile,
): Promise<BulkCsvResult | null> {
  const physical = bulkPrecheck(f.path);
  if (physical === null) return null;
  // One more column than the header, padded with NULL: DuckDB drops empty fields after the last column
  // even in strict mode, so a line with extra fields shows as a non-NULL EXTRA; a line short of fields as a
  // NULL last column (an empty field is '' here, not NULL: nullstr is a character no CSV field holds).
  const columns = `{${[...f.header, EXTRA].map((h) => `${lit(h)}: 'VARCHAR'`).join(', ')}}`;
  const csv = `read_csv(${lit(f.path)}, delim = ${lit(f.delimiter)}, quote = '"', escape = '"', header = true, auto_detect = false,
    columns = ${columns}, strict_mode = true, null_padding = true, nullstr = chr(1), ignore_errors = false)`;
  const shape = `${ident(EXTRA)} IS NOT NULL OR ${ident(at(f.header, f.header.length - 1))} IS NULL`;
  let records: number;
  const distinct: { client: string[]; family: string[] } = { client: [], family: [] };
  try {
    // One scan: the count, the lines breaking a rule, and the distinct values to pseudonymise.
    const kinds = f.header.includes('family') ? (['client', 'family'] as const) : (['client'] as const);
    const lists = kinds.map((k) => `LIST(DISTINCT ${ident(k)}) FILTER (WHERE ${val(k)} <> '') AS ${k}`);
    const r = at(
      (
        await check.runAndReadAll(
          `SELECT COUNT(*) AS n, COUNT(*) FILTER (WHERE ${shape} OR ${badLinesCondition(f.header, DUCKDB)}) AS bad, ${lists.join(', ')} FROM ${csv}`,
        )
      ).getRowObjects(),
      0,
    );
    if (Number(r.bad) > 0) return null;
    records = Number(r.n);
    if (records + 1 !== physical) return null;
    for (const k of kinds) distinct[k] = (r[k] as { items: string[] } | null | undefined)?.items ?? [];
  } catch {
    return null; // not strictly readable: the streaming reader names the problem
  }
  const rows = keyRows(f, distinct);
  if (!rows) return null;

  await conn.run(`CREATE TEMP TABLE ${KEYS} (kind VARCHAR, raw VARCHAR, key VARCHAR)`);
  const appender = await conn.createAppender(KEYS, 'main', 'temp');
  try {
    for (const [kind, raw, key] of rows) {
      appender.appendVarchar(kind);
      appender.appendVarchar(raw);
      if (key === null) appender.appendNull();
      else appender.appendVarchar(key);
      appender.endRow();
    }
  } finally {
    appender.closeSync();
  }
  // row_number() OVER () numbers the records in file order (DuckDB keeps the scan's order for it).
  await conn.run(
    insertLinesSql(f.header, fileId, `(SELECT *, CAST(row_number() OVER () AS INTEGER) AS ord FROM ${csv})`, KEYS),
  );
  return bulkResult(records, at((await conn.runAndReadAll(fileTotalsSql(fileId))).getRowObjects(), 0));
}
