/**
 * Storage of the region: its name and its municipalities (code, name, inhabitants, youths). Portable SQL for DuckDB and
 * PostgreSQL; a municipality saved again replaces the stored one. The first migration seeds the built-in
 * region.
 */
import { ZHZ_MUNICIPALITIES, cbsMunicipality, type RegionMunicipality } from '../../domain/codes/index.js';
import type { RegionRepository } from '../warehouse.js';
import { num, str, type SqlExec, type SqlDb } from './run.js';

async function insertMunicipality(exec: SqlExec, m: RegionMunicipality, name: string): Promise<void> {
  await exec(`INSERT INTO municipalities VALUES ($1, $2, $3, $4, $5, TRUE)`, [
    m.code,
    name,
    m.inhabitants,
    m.youths,
    m.approximate,
  ]);
}

/** Seeds the built-in region (inside the first migration's transaction). */
export async function seedMunicipalities(exec: SqlExec): Promise<void> {
  for (const m of ZHZ_MUNICIPALITIES) await insertMunicipality(exec, m, m.name);
}

/** The region repository on an engine's connection. */
export function regionRepository(db: SqlDb): RegionRepository {
  return {
    async municipalities() {
      const rows = await db.all(
        `SELECT code, name, inhabitants, youths, approximate FROM municipalities WHERE in_region ORDER BY name`,
      );
      return rows.map((r) => ({
        code: str(r.code),
        name: str(r.name),
        inhabitants: num(r.inhabitants),
        youths: num(r.youths),
        approximate: Boolean(r.approximate),
      }));
    },

    async upsertMunicipalities(rows) {
      await db.transaction(async () => {
        for (const m of rows) {
          await db.exec(`DELETE FROM municipalities WHERE code = $1`, [m.code]);
          await insertMunicipality(db.exec, m, m.name || cbsMunicipality(m.code)?.name || m.code);
        }
      });
    },

    async regionName() {
      const rows = await db.all(`SELECT name FROM region`);
      return rows.length ? str(rows[0]?.name) : '';
    },

    async setRegionName(name) {
      await db.transaction(async () => {
        await db.exec(`DELETE FROM region`);
        await db.exec(`INSERT INTO region VALUES ($1)`, [name]);
      });
    },
  };
}
