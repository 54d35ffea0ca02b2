/**
 * DuckDB warehouses write without FSST (STORAGE_SETTINGS: it cost a third of the CPU of writing declaration
 * lines), and read what an earlier build wrote with it.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../ingest/testing/fixtures.js';
import { DuckDbWarehouse } from './index.js';

type Sql = { all(sql: string): Promise<Record<string, unknown>[]>; exec(sql: string): Promise<void> };

/** Reference-number-like strings: many distinct values with much in common, what FSST is chosen for. */
const REFERENCES = `SELECT i AS n, 'REF-' || lpad((i * 7919 % 1000003)::VARCHAR, 7, '0') || '-2025' AS ref FROM range(200000) t(i)`;

const compressions = async (all: (sql: string) => Promise<unknown[]>, table: string) =>
  (await all(`SELECT DISTINCT compression FROM pragma_storage_info('${table}') WHERE segment_type = 'VARCHAR'`))
    .map(String)
    .sort();

describe('DuckDB storage settings', () => {
  it('strings are written without FSST, which DuckDB picks for them otherwise', async () => {
    const dir = tempDir();
    // Control: plain DuckDB compresses these strings with FSST (without this the test below proves nothing).
    const plain = await DuckDBInstance.create(join(dir, 'plain.duckdb'));
    const conn = await plain.connect();
    await conn.run(`CREATE TABLE refs AS ${REFERENCES}`);
    await conn.run('CHECKPOINT');
    const rows = async (sql: string) => (await conn.runAndReadAll(sql)).getRows().map((r) => r[0]);
    expect(await compressions(rows, 'refs')).toContain('FSST');
    conn.closeSync();
    plain.closeSync();

    const w = await DuckDbWarehouse.open(join(dir, 'w.duckdb'));
    const sql = w as unknown as Sql;
    try {
      await sql.exec(`CREATE TABLE refs AS ${REFERENCES}`);
      await sql.exec('CHECKPOINT');
      const all = async (q: string) => (await sql.all(q)).map((r) => Object.values(r)[0]);
      const used = await compressions(all, 'refs');
      expect(used.length).toBeGreaterThan(0);
      expect(used).not.toContain('FSST');
    } finally {
      await w.close();
    }

    // The file plain DuckDB wrote with FSST, opened as a warehouse (as a file from before this setting): read
    // back whole.
    const old = await DuckDbWarehouse.open(join(dir, 'plain.duckdb'));
    try {
      // Every value as the formula makes it again.
      const got = await (old as unknown as Sql).all(
        `SELECT count(*)::INTEGER AS n FROM refs r JOIN (${REFERENCES}) x ON x.n = r.n AND x.ref = r.ref`,
      );
      expect(got).toEqual([{ n: 200000 }]);
    } finally {
      await old.close();
    }
  }, 60_000);
});
