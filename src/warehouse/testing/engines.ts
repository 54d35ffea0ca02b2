/** Test helper: a fresh, empty warehouse on either engine, so one suite runs against both. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DuckDbWarehouse } from '../duckdb/index.js';
import { PostgresWarehouse } from '../postgres/index.js';
import type { Warehouse } from '../warehouse.js';

export const ENGINES = ['duckdb', 'postgres'] as const;
export type Engine = (typeof ENGINES)[number];

/** A new warehouse: DuckDB in memory (or in `duckdbPath`), or a new database on the test PostgreSQL server. */
export async function freshWarehouse(engine: Engine, duckdbPath = ':memory:'): Promise<Warehouse> {
  if (engine === 'duckdb') return DuckDbWarehouse.open(duckdbPath);
  const { inject } = await import('vitest');
  const admin = inject('pgUrl');
  const name = `grip_${randomBytes(6).toString('hex')}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE ${name}`);
  } finally {
    await c.end();
  }
  return PostgresWarehouse.open(admin.replace(/\/[^/]*$/, `/${name}`));
}
