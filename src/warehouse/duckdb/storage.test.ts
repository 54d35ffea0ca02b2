/**
 * DuckDB warehouses write without FSST (STORAGE_SETTINGS: it cost a third of the CPU of writing declaration
 * lines), and read what an earlier build wrote with it; hashes are looked up many to a query (findFilesBySha).
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

describe('DuckDB hash look-ups', () => {
  it('finds the stored files among more hashes than one query takes, with their names', async () => {
    const w = await DuckDbWarehouse.open(':memory:');
    const sql = w as unknown as Sql;
    try {
      // 40,000 stored files; 20,000 hashes asked: 16,000 unknown ones, then 4,000 stored ones (in the second query).
      await sql.exec(`INSERT INTO source_files SELECT i, 'f' || i || '.xml', '/in/f' || i || '.xml', sha256(i::VARCHAR),
        'JW301', '0505', '12345678', 'M' || i, '2025-01-01', 1000, 1, 0, true, '2025-01-02T00:00:00Z'
        FROM range(40000) t(i)`);
      const stored = (await sql.all(`SELECT sha256((i * 5)::VARCHAR) AS h FROM range(4000) t(i)`)).map((r) =>
        String(r.h),
      );
      const asked = Array.from({ length: 16000 }, (_, i) => `${i}`.padStart(64, 'x')).concat(stored);
      const found = await w.findFilesBySha(asked);
      expect(found.size).toBe(4000);
      const want = (
        await sql.all(`SELECT sha256((i * 5)::VARCHAR) AS h, 'f' || (i * 5) || '.xml' AS name FROM range(4000) t(i)`)
      ).map((r) => [String(r.h), String(r.name)]);
      expect([...found].sort()).toEqual(want.sort());
    } finally {
      await w.close();
    }
  }, 60_000);
});
