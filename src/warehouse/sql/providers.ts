/**
 * Storage of the provider register: per AGB code the provider's name and, optionally, its KvK number and
 * type of care. Portable SQL for DuckDB and PostgreSQL with `$n` parameters; the engine-neutral
 * SqlWarehouse calls these with its runner. A row saved again with the same AGB code replaces the stored one.
 */
import { str, strOrNull, type SqlDb, type SqlExec, type SqlRunner } from './run.js';
import type { ProviderRepository } from '../warehouse.js';
import type { Provider, ProviderEntry, StoredProvider } from '../types.js';

/** Writes provider rows, replacing stored ones with the same AGB code. Must run inside the caller's transaction. */
export async function saveProviders(
  exec: SqlExec,
  rows: readonly (Provider & Partial<ProviderEntry>)[],
  by: ProviderEntry,
): Promise<void> {
  for (const p of rows) {
    await exec(`DELETE FROM providers WHERE agb = $1`, [p.agb]);
    await exec(`INSERT INTO providers VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
      p.agb,
      p.name,
      p.kvk,
      p.careType,
      p.source ?? by.source,
      p.enteredBy ?? by.enteredBy,
      p.enteredAt ?? by.enteredAt,
    ]);
  }
}

/** The stored register, by name and AGB code. */
export async function providers(run: SqlRunner): Promise<StoredProvider[]> {
  const rows = await run(`SELECT * FROM providers ORDER BY name, agb`, []);
  return rows.map((r) => ({
    agb: str(r.agb),
    name: str(r.name),
    kvk: strOrNull(r.kvk),
    careType: strOrNull(r.care_type),
    source: str(r.source),
    enteredBy: str(r.entered_by),
    enteredAt: str(r.entered_at),
  }));
}

/** The provider register on an engine's connection. */
export function providerRepository(db: SqlDb): ProviderRepository {
  return {
    saveProviders: (rows, by) => db.transaction(() => saveProviders(db.exec, rows, by)),
    providers: () => providers(db.all),
  };
}
