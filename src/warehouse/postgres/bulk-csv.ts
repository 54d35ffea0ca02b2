/**
 * PostgreSQL's CSV fast path (ImportSession.bulkCsv; the rules and the INSERT are in sql/bulk-csv.ts): the
 * file's bytes go unparsed through COPY … FROM STDIN (FORMAT csv) into a staging table whose serial column
 * numbers the records in file order, one SQL pass checks every line, Grip pseudonymises the distinct BSNs,
 * and one INSERT … SELECT stores the lines. All of it runs inside a savepoint of the import transaction:
 * when PostgreSQL cannot read the file or a value makes a check raise an error, the savepoint is rolled
 * back and the streaming reader takes over.
 */
import { createReadStream } from 'node:fs';
import type pg from 'pg';
import { copyIn } from './copy.js';
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

const STAGE = 'grip_csv_stage';
const KEYS = 'grip_csv_keys';

const POSTGRES: BulkDialect = {
  fullMatch: (e, p) => `(${e} ~ ${lit(`^(${p})$`)})`,
  anyMatch: (e, p) => `(${e} ~ ${lit(p)})`,
  // Raises on an impossible date (e.g. 2025-02-30): the savepoint is rolled back, the streaming reader names it.
  realDate: (e) => `(to_char(CAST(${e} AS DATE), 'YYYY-MM-DD') = ${e})`,
};

export async function bulkCsvInto(client: pg.Client, fileId: number, f: BulkCsvFile): Promise<BulkCsvResult | null> {
  await client.query('SAVEPOINT grip_bulk_csv');
  let result: BulkCsvResult | null = null;
  try {
    result = await load(client, fileId, f);
  } catch {
    result = null; // PostgreSQL could not read the file, or a check raised an error
  }
  if (!result) await client.query('ROLLBACK TO SAVEPOINT grip_bulk_csv');
  else await client.query(`DROP TABLE ${STAGE}; DROP TABLE ${KEYS}`);
  await client.query('RELEASE SAVEPOINT grip_bulk_csv');
  return result;
}

async function load(client: pg.Client, fileId: number, f: BulkCsvFile): Promise<BulkCsvResult | null> {
  const physical = bulkPrecheck(f.path);
  if (physical === null) return null;
  const cols = f.header.map(ident).join(', ');
  await client.query(
    `CREATE TEMP TABLE ${STAGE} (ord BIGSERIAL, ${f.header.map((h) => `${ident(h)} TEXT`).join(', ')})`,
  );
  await copyIn(
    client,
    `COPY ${STAGE} (${cols}) FROM STDIN WITH (FORMAT csv, HEADER true, DELIMITER ${lit(f.delimiter)}, QUOTE '"', ESCAPE '"')`,
    createReadStream(f.path),
  );
  const r = (
    await client.query<{ n: string; bad: string }>(
      `SELECT COUNT(*) AS n, COUNT(*) FILTER (WHERE ${badLinesCondition(f.header, POSTGRES)}) AS bad FROM ${STAGE}`,
    )
  ).rows[0];
  if (!r || Number(r.bad) > 0) return null;
  const records = Number(r.n);
  if (records + 1 !== physical) return null;
  const distinct = { client: [] as string[], family: [] as string[] };
  for (const k of f.header.includes('family') ? (['client', 'family'] as const) : (['client'] as const)) {
    distinct[k] = (
      await client.query<{ v: string }>(`SELECT DISTINCT ${val(k)} AS v FROM ${STAGE} WHERE ${val(k)} <> ''`)
    ).rows.map((x) => x.v);
  }
  const rows = keyRows(f, distinct);
  if (!rows) return null;
  await client.query(`CREATE TEMP TABLE ${KEYS} (kind TEXT, raw TEXT, key TEXT)`);
  await client.query(`INSERT INTO ${KEYS} SELECT * FROM unnest($1::text[], $2::text[], $3::text[])`, [
    rows.map((x) => x[0]),
    rows.map((x) => x[1]),
    rows.map((x) => x[2]),
  ]);
  await client.query(`ANALYZE ${KEYS}`);
  await client.query(insertLinesSql(f.header, fileId, STAGE, KEYS));
  return bulkResult(records, (await client.query<Record<string, unknown>>(fileTotalsSql(fileId))).rows[0] ?? {});
}
