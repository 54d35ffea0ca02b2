/** Chooses the warehouse engine from `--db` / `GRIP_DB`: a file path → DuckDB; `postgres://…` → PostgreSQL. */
import { GripError } from '../domain/errors.js';
import type { Warehouse } from './warehouse.js';

export const DEFAULT_DB = './grip.duckdb';

export function resolveDbSpec(option?: string, env: NodeJS.ProcessEnv = process.env): string {
  return option || env.GRIP_DB || DEFAULT_DB;
}

export async function openWarehouse(spec: string): Promise<Warehouse> {
  if (/^postgres(ql)?:\/\//i.test(spec)) {
    const mod = await import('./postgres/index.js').catch(() => null);
    if (!mod)
      throw new GripError('ENGINE_UNAVAILABLE', 'PostgreSQL support is not available in this build; use a DuckDB file');
    return mod.PostgresWarehouse.open(spec);
  }
  const { DuckDbWarehouse } = await import('./duckdb/index.js');
  return DuckDbWarehouse.open(spec);
}
