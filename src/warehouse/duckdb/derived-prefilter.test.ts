/**
 * DuckDB's whole rebuild of the derived tables (REFRESH_DERIVED_DUCKDB): the windows of TR314 and TR389 see
 * only the lines whose key occurs more than once, and the rebuild stores the same rows as the shared SQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFRESH_DERIVED } from '../sql/queries.js';
import { DuckDbWarehouse, REFRESH_DERIVED_DUCKDB } from './index.js';

type Sql = {
  all(sql: string): Promise<Record<string, unknown>[]>;
  exec(sql: string): Promise<void>;
};

/** Lines with a key of their own (own client, own reference number). */
const SINGLES = 20_000;

interface Plan {
  operator_type?: string;
  operator_cardinality?: number;
  children?: Plan[];
}

/** The rows that went through the window operators of a plan (EXPLAIN ANALYZE, JSON). */
function windowRows(p: Plan): number {
  const own = p.operator_type === 'WINDOW' ? (p.operator_cardinality ?? 0) : 0;
  return own + (p.children ?? []).reduce((t, c) => t + windowRows(c), 0);
}

describe('DuckDB: the derived tables rebuilt whole', () => {
  let w: DuckDbWarehouse;
  let sql: Sql;
  beforeAll(async () => {
    w = await DuckDbWarehouse.open(':memory:');
    sql = w as unknown as Sql;
    await sql.exec(`INSERT INTO source_files VALUES (1, 'a.xml', '/in/a.xml', 'abc', 'JW323', '11110001', '0482',
      'M1', '2025-04-10', 1, ${SINGLES + 6}, 0, false, '2025-04-11T00:00:00Z')`);
    const line = (seq: string, client: string, ref: string, prev: string, dc: string) =>
      `SELECT 1 AS file_id, ${seq} AS seq, ${seq} AS source_line, '0482' AS municipality, '11110001' AS provider,
              ${client} AS client, 'D1' AS declaration_number, '2025-04-10' AS declaration_date,
              '2025-04' AS declaration_month, NULL AS declaration_period_start, ${ref} AS reference_number,
              ${prev} AS previous_reference_number, 'A1' AS allocation_number, '45' AS category,
              '45A03' AS product_code, '2025-03-01' AS period_start, '2025-03-31' AS period_end, '2025-03' AS month,
              1 AS volume, '04' AS unit, NULL AS tariff_cents, ${dc === 'C' ? -1000 : 1000} AS amount_cents,
              '${dc}' AS debit_credit, NULL AS referrer, NULL AS family`;
    await sql.exec(`INSERT INTO declaration_lines BY NAME
      ${line('i + 1', `'c' || i`, `'R' || i`, 'NULL', 'D')} FROM range(${SINGLES}) t(i)`);
    // Client k: three debits of one key, the first credited: the third is a TR389 finding (the second, not
    // credited, comes before it), the second is not (the only debit before it is credited).
    // R5 repeats R4 (TR314, a line of client m; its own TR389 key is single).
    const extra: [string, string, string, string][] = [
      ["'k'", "'K1'", 'NULL', 'D'],
      ["'k'", "'K2'", 'NULL', 'D'],
      ["'k'", "'K3'", 'NULL', 'D'],
      ["'k'", "'KC'", "'K1'", 'C'],
      ["'m'", "'R4'", 'NULL', 'D'],
    ];
    for (const [i, [client, ref, prev, dc]] of extra.entries())
      await sql.exec(`INSERT INTO declaration_lines BY NAME ${line(String(SINGLES + 1 + i), client, ref, prev, dc)}`);
  });
  afterAll(async () => {
    await w.close();
  });

  it("TR314's and TR389's windows see only the lines whose key repeats", async () => {
    const rule = (name: string) => {
      const s = REFRESH_DERIVED_DUCKDB.find((x) => x.includes(`'${name}'`));
      if (!s) throw new Error(`no ${name} statement`);
      return s;
    };
    const windowed = async (stmt: string) => {
      await sql.exec('BEGIN');
      try {
        const r = await sql.all(`EXPLAIN (ANALYZE, FORMAT JSON) ${stmt}`);
        return windowRows(JSON.parse(String(r[0]?.explain_value)) as Plan);
      } finally {
        await sql.exec('ROLLBACK');
      }
    };
    // TR314: the two lines with R4 (the single R… of line 5 and client m's); TR389: client k's three debits.
    expect(await windowed(rule('TR314'))).toBe(2);
    expect(await windowed(rule('TR389'))).toBe(3);
    // The shared statements' windows see every line (TR314) and every debit (TR389).
    const shared = (name: string) => REFRESH_DERIVED.find((x) => x.includes(`'${name}'`)) ?? '';
    expect(await windowed(shared('TR314'))).toBe(SINGLES + 5);
    expect(await windowed(shared('TR389'))).toBe(SINGLES + 4);
  });

  it('stores the same rows as the shared SQL', async () => {
    const findings = async () =>
      (await sql.all(`SELECT rule, file_id, seq, detail FROM findings ORDER BY ALL`)).map((r) =>
        Object.values(r).join('|'),
      );
    await w.refreshDerived();
    const got = await findings();
    // Independently: R4 repeated by line SINGLES + 5; k's third debit; the credit has its debit (no TR323).
    expect(got).toEqual([
      `TR314|1|${SINGLES + 5}|ReferentieNummer R4 eerder aangeleverd`,
      `TR389|1|${SINGLES + 3}|tweede debet voor periode 2025-03-01, product 45A03, toewijzing A1`,
    ]);
    await sql.exec('BEGIN');
    for (const s of REFRESH_DERIVED) await sql.exec(s);
    expect(await findings()).toEqual(got);
    await sql.exec('ROLLBACK');
  });
});
