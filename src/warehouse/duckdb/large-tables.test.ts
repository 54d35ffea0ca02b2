import { DuckDBInstance } from '@duckdb/node-api';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../ingest/testing/fixtures.js';
import { MIGRATIONS } from '../migrations.js';
import { DuckDbWarehouse } from './index.js';

/** Runs `fn` on a raw connection to the DuckDB file at `path`, then closes it. */
async function raw<T>(path: string, fn: (run: (sql: string) => Promise<unknown[][]>) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(path);
  const conn = await instance.connect();
  try {
    return await fn(async (sql) => (await conn.runAndReadAll(sql)).getRows());
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

const KEY_CONSTRAINTS = `SELECT table_name, constraint_type FROM duckdb_constraints()
  WHERE table_name IN ('source_files', 'allocation_referrers') AND constraint_type IN ('PRIMARY KEY', 'UNIQUE')
  ORDER BY 1, 2`;

describe('DuckDB: the large ledger tables have no in-memory key indexes (migration 14)', () => {
  it('millions of source files and allocation referrers commit and checkpoint within a 381 MB memory limit', async () => {
    // At national size (≈ 3.7 M files) the PRIMARY KEY and UNIQUE indexes of migration 1 made the commit fail
    // with "failed to allocate data" at this limit (the query limit of an import's last steps).
    const path = join(tempDir(), 'w.duckdb');
    await (await DuckDbWarehouse.open(path)).close();
    await raw(path, async (run) => {
      expect(await run(KEY_CONSTRAINTS)).toEqual([]);
      await run(`SET memory_limit = '381MB'`);
      await run('BEGIN');
      await run(`INSERT INTO source_files SELECT i, 'f' || i || '.xml', '/data/f' || i || '.xml', sha256(i::VARCHAR),
        'JW301', '0505', '12345678', 'M' || i, '2025-01-01', 1000, 1, 0, true, '2025-01-02T00:00:00Z'
        FROM range(3000000) t(i)`);
      await run(`INSERT INTO allocation_referrers SELECT lpad((i % 342)::VARCHAR, 4, '0'), (10000000 + i % 5000)::VARCHAR,
        'T' || i, '01' FROM range(2000000) t(i)`);
      await run('COMMIT');
      await run('CHECKPOINT');
      expect(await run(`SELECT count(*)::INTEGER, count(DISTINCT sha256)::INTEGER FROM source_files`)).toEqual([
        [3_000_000, 3_000_000],
      ]);
    });
  }, 120_000);

  it('a warehouse made before migration 14 keeps its rows and columns, and loses only the key indexes', async () => {
    const path = join(tempDir(), 'old.duckdb');
    // The schema as it stood at version 13 (DuckDB's statements of migrations 1-13), with one file and one referrer.
    await raw(path, async (run) => {
      await run(
        `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at VARCHAR NOT NULL)`,
      );
      for (const m of MIGRATIONS.filter((x) => x.version <= 13)) {
        for (const s of [...m.sql, ...(m.engine?.duckdb ?? [])]) await run(s);
        await run(`INSERT INTO schema_migrations VALUES (${m.version}, '${m.name}', '2026-01-01')`);
      }
      await run(`INSERT INTO source_files VALUES (7, 'a.xml', '/in/a.xml', 'abc', 'JW323', '12345678', '0505', 'M1',
        '2026-01-05', 1234, 3, 5678, true, '2026-01-06T10:00:00Z')`);
      await run(`INSERT INTO allocation_referrers VALUES ('0505', '12345678', 'T1', '02')`);
      expect((await run(KEY_CONSTRAINTS)).length).toBe(3);
    });
    await (await DuckDbWarehouse.open(path)).close();
    await raw(path, async (run) => {
      expect(await run(KEY_CONSTRAINTS)).toEqual([]);
      expect(await run(`SELECT * FROM source_files`)).toEqual([
        [
          7n,
          'a.xml',
          '/in/a.xml',
          'abc',
          'JW323',
          '12345678',
          '0505',
          'M1',
          '2026-01-05',
          1234n,
          3n,
          5678n,
          true,
          '2026-01-06T10:00:00Z',
        ],
      ]);
      expect(await run(`SELECT * FROM allocation_referrers`)).toEqual([['0505', '12345678', 'T1', '02']]);
      // NOT NULL stays.
      await expect(run(`INSERT INTO source_files (id) VALUES (8)`)).rejects.toThrow(/NOT NULL/);
    });
  });
});
