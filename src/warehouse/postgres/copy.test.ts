import { inject } from 'vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { copyIn } from './copy.js';

describe('COPY FROM STDIN (pg-copy-streams)', () => {
  const client = new pg.Client({ connectionString: inject('pgUrl') });
  beforeAll(async () => {
    await client.connect();
    await client.query('CREATE TEMP TABLE t (a INT, b TEXT)');
  });
  afterAll(() => client.end());

  async function* chunks(parts: string[], failAfter = Infinity) {
    let n = 0;
    for (const p of parts) {
      if (n++ >= failAfter) throw new Error('source broke');
      yield p;
    }
  }

  it('copies every row across chunk boundaries, quoting and NULLs included', async () => {
    // A row split over two chunks, a quoted comma and newline, and an explicit NULL.
    const n = await copyIn(
      client,
      `COPY t (a, b) FROM STDIN WITH (FORMAT csv, NULL '\\N')`,
      chunks(['1,x\n2,"a,', 'b\nc"\n3,\\N\n']),
    );
    expect(n).toBe(3);
    const rows = (await client.query('SELECT a, b FROM t ORDER BY a')).rows;
    expect(rows).toEqual([
      { a: 1, b: 'x' },
      { a: 2, b: 'a,b\nc' },
      { a: 3, b: null },
    ]);
  });

  it('many chunks: 50,000 rows arrive whole', async () => {
    await client.query('TRUNCATE t');
    const parts = Array.from({ length: 50 }, (_, k) =>
      Array.from({ length: 1000 }, (_, i) => `${k * 1000 + i},r\n`).join(''),
    );
    expect(await copyIn(client, 'COPY t (a, b) FROM STDIN WITH (FORMAT csv)', chunks(parts))).toBe(50_000);
    const r = (await client.query('SELECT COUNT(*)::int AS n, SUM(a)::bigint AS s FROM t')).rows[0];
    expect(r).toEqual({ n: 50_000, s: String((49_999 * 50_000) / 2) });
  });

  it('a source that throws aborts the COPY with its own message; nothing is stored and the client goes on', async () => {
    await client.query('TRUNCATE t');
    await expect(
      copyIn(client, 'COPY t (a, b) FROM STDIN WITH (FORMAT csv)', chunks(['7,y\n', '8,z\n'], 1)),
    ).rejects.toThrow('source broke');
    expect((await client.query('SELECT COUNT(*)::int AS n FROM t')).rows[0]).toEqual({ n: 0 });
  });

  it('a row the server refuses rejects with the server error; the client goes on', async () => {
    await expect(
      copyIn(client, 'COPY t (a, b) FROM STDIN WITH (FORMAT csv)', chunks(['1,ok\nnot-a-number,x\n'])),
    ).rejects.toThrow(/integer/);
    expect((await client.query('SELECT 1 AS one')).rows[0]).toEqual({ one: 1 });
  });
});
