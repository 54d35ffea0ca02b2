/**
 * Storage of providers' year-end production statements (productieverantwoording): per provider, municipality,
 * year and product (a category code or a product code) the amount the provider accounts for. A row saved again
 * with the same key replaces the stored one. Portable SQL for DuckDB and PostgreSQL.
 */
import { num, str, type Param, type SqlDb, type SqlExec, type SqlRunner } from './run.js';
import type { StatementRepository } from '../warehouse.js';
import type { StatementEntry, StatementRow, StoredStatementRow } from '../types.js';

/** Writes statement rows, replacing stored ones with the same key. Must run inside the caller's transaction. */
export async function saveStatements(
  exec: SqlExec,
  rows: readonly (StatementRow & Partial<StatementEntry>)[],
  by: StatementEntry,
): Promise<void> {
  for (const r of rows) {
    await exec(
      `DELETE FROM year_end_statements WHERE provider = $1 AND municipality = $2 AND statement_year = $3 AND product = $4`,
      [r.provider, r.municipality, r.year, r.product],
    );
    await exec(`INSERT INTO year_end_statements VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, [
      r.provider,
      r.municipality,
      r.year,
      r.product,
      r.amountCents,
      r.source,
      r.sourceLine,
      r.enteredBy ?? by.enteredBy,
      r.enteredAt ?? by.enteredAt,
    ]);
  }
}

export async function statements(
  run: SqlRunner,
  q: { year?: number; providers?: string[] } = {},
): Promise<StoredStatementRow[]> {
  const params: Param[] = [];
  let where = 'WHERE 1 = 1';
  if (q.year !== undefined) where += ` AND statement_year = ${(params.push(q.year), `$${params.length}`)}`;
  if (q.providers)
    where += q.providers.length
      ? ` AND provider IN (${q.providers.map((p) => (params.push(p), `$${params.length}`)).join(', ')})`
      : ' AND 1 = 0';
  const rows = await run(
    `SELECT * FROM year_end_statements ${where} ORDER BY statement_year, provider, municipality, product`,
    params,
  );
  return rows.map((r) => ({
    provider: str(r.provider),
    municipality: str(r.municipality),
    year: num(r.statement_year),
    product: str(r.product),
    amountCents: num(r.amount_cents),
    source: str(r.source),
    sourceLine: num(r.source_line),
    enteredBy: str(r.entered_by),
    enteredAt: str(r.entered_at),
  }));
}

/** Year-end statements on an engine's connection. */
export function statementRepository(db: SqlDb): StatementRepository {
  return {
    saveStatements: (rows, by) => db.transaction(() => saveStatements(db.exec, rows, by)),
    statements: (q) => statements(db.all, q),
  };
}
