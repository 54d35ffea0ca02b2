/**
 * Storage of published forecasts (vintages), append-only: portable SQL for DuckDB and PostgreSQL. A vintage
 * is written in one transaction (the caller's); its id is the next after the largest stored.
 */
import type { ForecastVintageFigures, ForecastVintageRow, NewForecastVintage } from '../types.js';
import { at } from '../../domain/indexing.js';
import { num, str, strOrNull, type Param, type SqlDb, type SqlExec, type SqlRunner } from './run.js';
import type { ForecastVintageRepository } from '../warehouse.js';

export async function addForecastVintage(run: SqlRunner, exec: SqlExec, v: NewForecastVintage): Promise<number> {
  const id = num(at(await run(`SELECT COALESCE(MAX(vintage_id), 0) + 1 AS id FROM forecast_vintages`), 0).id);
  for (const r of v.rows) {
    await exec(
      `INSERT INTO forecast_vintages VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
      [
        id,
        v.year,
        v.asOf,
        v.label,
        v.publishedAt,
        v.publishedBy,
        v.dataVersion,
        v.methodVersion,
        r.scope,
        r.declaredCents,
        r.ibnrCents,
        r.remainingCents,
        r.forecastCents,
        r.lowCents,
        r.highCents,
        JSON.stringify(r.months),
      ],
    );
  }
  return id;
}

export async function forecastVintages(
  run: SqlRunner,
  q: { year: number; scopes?: string[]; id?: number },
): Promise<ForecastVintageRow[]> {
  const params: Param[] = [q.year];
  let where = 'year = $1';
  if (q.id !== undefined) {
    params.push(q.id);
    where += ` AND vintage_id = $${params.length}`;
  }
  if (q.scopes?.length) {
    where += ` AND scope IN (${q.scopes.map((s) => (params.push(s), `$${params.length}`)).join(', ')})`;
  }
  const rows = await run(`SELECT * FROM forecast_vintages WHERE ${where} ORDER BY vintage_id, scope`, params);
  return rows.map((r) => ({
    id: num(r.vintage_id),
    year: num(r.year),
    asOf: str(r.as_of),
    label: strOrNull(r.label),
    publishedAt: str(r.published_at),
    publishedBy: str(r.published_by),
    dataVersion: str(r.data_version),
    methodVersion: str(r.method_version),
    scope: str(r.scope),
    declaredCents: num(r.declared_cents),
    ibnrCents: num(r.ibnr_cents),
    remainingCents: num(r.remaining_cents),
    forecastCents: num(r.forecast_cents),
    lowCents: num(r.low_cents),
    highCents: num(r.high_cents),
    months: JSON.parse(str(r.months)) as ForecastVintageFigures['months'],
  }));
}

/** Published forecasts on an engine's connection. */
export function forecastVintageRepository(db: SqlDb): ForecastVintageRepository {
  return {
    addForecastVintage: (v) => db.transaction(() => addForecastVintage(db.all, db.exec, v)),
    forecastVintages: (q) => forecastVintages(db.all, q),
  };
}
