/**
 * Storage of the contracted tariff list (issue 10): what the region agreed to pay per provider (or every
 * provider, '*'), product category, product (or the whole category) and unit, from a date. Portable SQL for
 * DuckDB and PostgreSQL with `$n` parameters; the engine-neutral SqlWarehouse calls these with its runner.
 *
 * Reference data: a row saved again with the same provider, category, product and valid_from replaces the
 * stored one. The data-quality check "tariff" (sql/insight.ts) compares declaration lines with it.
 */
import { bind, num, str, strOrNull, type Param, type SqlDb, type SqlExec, type SqlRunner } from './run.js';
import type { TariffRepository } from '../warehouse.js';
import {
  ANY_PROVIDER,
  type ContractedTariff,
  type StoredTariff,
  type TariffEntry,
  type TariffQuery,
} from '../types.js';

/**
 * Writes tariff rows, replacing stored ones with the same provider, category, product and valid_from (a row
 * may carry its own source and entry, e.g. when a warehouse is migrated). Must run inside a transaction (the
 * caller's): all or nothing.
 */
export async function saveTariffs(
  exec: SqlExec,
  rows: readonly (ContractedTariff & Partial<TariffEntry>)[],
  by: TariffEntry,
): Promise<void> {
  for (const t of rows) {
    await exec(
      `DELETE FROM contracted_tariffs WHERE provider = $1 AND category = $2 AND COALESCE(product_code, '') = $3 AND valid_from = $4`,
      [t.provider, t.category, t.productCode ?? '', t.validFrom],
    );
    await exec(`INSERT INTO contracted_tariffs VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, [
      t.provider,
      t.category,
      t.productCode,
      t.unit,
      t.tariffCents,
      t.validFrom,
      t.validTo,
      t.source ?? by.source,
      t.enteredBy ?? by.enteredBy,
      t.enteredAt ?? by.enteredAt,
    ]);
  }
}

/** The stored tariffs in list order: category, product (category-wide first), provider ('*' first), valid_from. */
export async function tariffs(run: SqlRunner, q: TariffQuery = {}): Promise<StoredTariff[]> {
  const params: Param[] = [];
  let where = 'WHERE 1 = 1';
  if (q.provider !== undefined) where += ` AND provider = ${bind(params, q.provider)}`;
  if (q.category !== undefined) where += ` AND category = ${bind(params, q.category)}`;
  if (q.on !== undefined) {
    const on = bind(params, q.on);
    where += ` AND valid_from <= ${on} AND (valid_to IS NULL OR valid_to >= ${on})`;
  }
  const rows = await run(
    `SELECT * FROM contracted_tariffs ${where}
      ORDER BY category, COALESCE(product_code, ''), CASE WHEN provider = '${ANY_PROVIDER}' THEN 0 ELSE 1 END, provider, valid_from, unit`,
    params,
  );
  return rows.map((r) => ({
    provider: str(r.provider),
    category: str(r.category),
    productCode: strOrNull(r.product_code),
    unit: str(r.unit),
    tariffCents: num(r.tariff_cents),
    validFrom: str(r.valid_from),
    validTo: strOrNull(r.valid_to),
    source: str(r.source),
    enteredBy: str(r.entered_by),
    enteredAt: str(r.entered_at),
  }));
}

/** The tariff repository on an engine's connection. */
export function tariffRepository(db: SqlDb): TariffRepository {
  return {
    saveTariffs: (rows, by) => db.transaction(() => saveTariffs(db.exec, rows, by)),
    tariffs: (q) => tariffs(db.all, q),
  };
}
