/**
 * The derived-table build after an import runs with the import's (low) memory limit and at most two threads (its
 * commit on one); a
 * build that does not fit there is rolled back and run again with the query limit, so a low limit never fails it.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../ingest/testing/fixtures.js';
import { DuckDbWarehouse, REFRESH_DERIVED_DUCKDB } from './index.js';

type Sql = {
  all(sql: string): Promise<Record<string, unknown>[]>;
  exec(sql: string, params?: unknown[]): Promise<void>;
};

const LINES = 196_000;

describe('DuckDB: the derived-table build and its memory limit', () => {
  const saved = process.env.GRIP_DUCKDB_IMPORT_MEMORY;
  afterEach(() => {
    if (saved === undefined) delete process.env.GRIP_DUCKDB_IMPORT_MEMORY;
    else process.env.GRIP_DUCKDB_IMPORT_MEMORY = saved;
  });

  it('a build that does not fit the import limit runs again with the query limit, and settings come back', async () => {
    const w = await DuckDbWarehouse.open(join(tempDir(), 'w.duckdb'));
    const sql = w as unknown as Sql;
    const setting = async (name: string) => String((await sql.all(`SELECT current_setting('${name}') AS v`))[0]?.v);
    try {
      // One file of LINES debits, each reference number twice for its provider (the second of each pair is a
      // TR314 finding), every line its own client (no TR389) and no credits (no TR323).
      await sql.exec(`INSERT INTO source_files VALUES (1, 'a.xml', '/in/a.xml', 'abc', 'JW323', '11110001', '0482',
        'M1', '2025-04-10', 1, ${LINES}, 0, false, '2025-04-11T00:00:00Z')`);
      await sql.exec(`INSERT INTO declaration_lines
        SELECT 1, i + 1, i + 1, '0482', 'P' || (i % 7), 'c' || i, 'D1', '2025-04-10', '2025-04', NULL,
               'R' || (i % ${LINES / 2}), NULL, NULL, '45', NULL, '2025-03-01', '2025-03-31', '2025-03', 1, '04',
               NULL, 1000, 'D', NULL, NULL
          FROM range(${LINES}) t(i)`);
      // (i and i + LINES/2 share their reference number and, LINES/2 being a multiple of 7, their provider.)
      const threads = await setting('threads');
      const limit = await setting('memory_limit');

      // At 4 MB and one thread the whole rebuild's TR314 statement does not fit …
      const tr314 = REFRESH_DERIVED_DUCKDB.find((s) => s.includes("'TR314'"));
      if (!tr314) throw new Error('no TR314 statement');
      await sql.exec(`SET memory_limit = '4MB'`);
      await sql.exec(`SET threads = 1`);
      await sql.exec('BEGIN');
      await expect(sql.exec(tr314)).rejects.toThrow(/out of memory/i);
      await sql.exec('ROLLBACK');
      await sql.exec(`SET memory_limit = '${limit}'`);
      await sql.exec(`SET threads = ${threads}`);

      // … yet the build with that import limit completes, with every finding.
      process.env.GRIP_DUCKDB_IMPORT_MEMORY = '4MB';
      await w.refreshDerived();
      const count = await sql.all(`SELECT rule, COUNT(*)::INTEGER AS n FROM findings GROUP BY rule`);
      expect(count).toEqual([{ rule: 'TR314', n: LINES / 2 }]);
      expect(Number((await sql.all(`SELECT upto FROM derived_state`))[0]?.upto)).toBe(1);
      expect(await setting('threads')).toBe(threads);
      expect(await setting('memory_limit')).toBe(limit);
    } finally {
      await w.close();
    }
  }, 60_000);

  it('the build runs on two threads at most (one when DuckDB has one), commits on one, and the setting comes back', async () => {
    const w = await DuckDbWarehouse.open(':memory:');
    const sql = w as unknown as Sql;
    const setting = async () => String((await sql.all(`SELECT current_setting('threads') AS v`))[0]?.v);
    try {
      await sql.exec(`INSERT INTO source_files VALUES (1, 'a.xml', '/in/a.xml', 'abc', 'JW323', '11110001', '0482',
        'M1', '2025-04-10', 1, 0, 0, false, '2025-04-11T00:00:00Z')`);
      // The threads in force while the build's TR389 statement runs, and at its commit (which checkpoints).
      let during = '';
      let commit = '';
      const exec = sql.exec.bind(w);
      sql.exec = async (s: string, params?: unknown[]) => {
        if (s.includes("'TR389'")) during = await setting();
        if (s === 'COMMIT') commit = await setting();
        return exec(s, params);
      };
      for (const [before, expected] of [
        ['4', '2'],
        ['1', '1'],
      ] as const) {
        await exec(`SET threads = ${before}`);
        await exec(`UPDATE derived_state SET upto = 0`);
        during = '';
        commit = '';
        await w.refreshDerived();
        expect(during).toBe(expected);
        expect(commit).toBe('1');
        expect(await setting()).toBe(before);
      }
    } finally {
      await w.close();
    }
  });
});
