import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RowPacker, type ColType, type Value } from '../sql/rows.js';
import { ChunkAppender } from './chunk-appender.js';

const COLUMNS: { name: string; type: ColType }[] = [
  { name: 'id', type: 'big' },
  { name: 'n', type: 'int' },
  { name: 's', type: 'str' },
  { name: 'b', type: 'big' },
  { name: 'ok', type: 'bool' },
];
const get = COLUMNS.map((_c, i) => ({ get: (r: Value[]) => r[i] ?? null }));

let instance: DuckDBInstance;
let conn: DuckDBConnection;
beforeEach(async () => {
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
  await conn.run(`CREATE TABLE t (id BIGINT NOT NULL, n INTEGER, s VARCHAR, b BIGINT, ok BOOLEAN)`);
});
afterEach(() => {
  conn.closeSync();
  instance.closeSync();
});

/** The table's rows as text, in insertion order, NULL as null. */
async function stored(): Promise<(string | null)[][]> {
  const r = await conn.runAndReadAll(
    `SELECT id::VARCHAR, n::VARCHAR, s, b::VARCHAR, ok::VARCHAR, octet_length(encode(s))::VARCHAR FROM t ORDER BY rowid`,
  );
  return r.getRows().map((row) => row.map((v) => (v === null ? null : String(v))));
}

describe('ChunkAppender', () => {
  it('stores every kind of value exactly as given', async () => {
    const a = await conn.createAppender('t');
    const w = new ChunkAppender(a, 't', COLUMNS);
    const rows: Value[][] = [
      [1, 0, '', 0, false],
      [2, -2147483648, 'abcdefghijkl', 9007199254740991, true], // 12 bytes: the longest inline string
      [3, 2147483647, 'abcdefghijklm', -9007199254740991, null], // 13 bytes: assigned by DuckDB
      [4, null, 'Café', '9007199254740993', true], // not ASCII; a BIGINT beyond 2^53 given as text
      [5, 7, null, null, null],
      [6, 42, 'a\u0000b', -4294967296, false], // a NUL byte stays in the string
      [7, 1, '€ 1.234,56 — gemeente Zaanstad', 4294967295, true],
    ];
    rows.forEach((r, i) => w.appendRow(get, r, i));
    w.flush();
    a.closeSync();
    expect(await stored()).toEqual([
      ['1', '0', '', '0', 'false', '0'],
      ['2', '-2147483648', 'abcdefghijkl', '9007199254740991', 'true', '12'],
      ['3', '2147483647', 'abcdefghijklm', '-9007199254740991', null, '13'],
      ['4', null, 'Café', '9007199254740993', 'true', '5'],
      ['5', '7', null, null, null, null],
      ['6', '42', 'a\u0000b', '-4294967296', 'false', '3'],
      // "€" is 3 bytes and "—" 3 bytes in UTF-8: 30 characters, 34 bytes.
      ['7', '1', '€ 1.234,56 — gemeente Zaanstad', '4294967295', 'true', '34'],
    ]);
  });

  it('stores packed rows exactly as the same rows given as values', async () => {
    const rows: Value[][] = [
      [1, 0, '', 0, false],
      [2, -2147483648, 'abcdefghijkl', 9007199254740991, true], // 12 bytes: the longest inline string
      [3, 2147483647, 'abcdefghijklm', -9007199254740991, null], // 13 bytes: assigned by DuckDB
      [4, null, 'Café', '9007199254740993', true], // not ASCII (5 bytes, in place); a BIGINT beyond 2^53 as text
      [5, 7, null, null, null],
      [6, 42, 'a\u0000b', -4294967296, false], // a NUL byte stays in the string
      [7, 1, '€ 1.234,56 — gemeente Zaanstad', 4294967295, true],
      [8, -1, 'x'.repeat(300), -1, true], // a string longer than 255 characters, and int32 -1 as BIGINT
      [9, 5, 'ÿ', -2147483648, false], // one character, two UTF-8 bytes; the int32 minimum as BIGINT
    ];
    const a = await conn.createAppender('t');
    const w = new ChunkAppender(a, 't', COLUMNS);
    rows.forEach((r, i) => w.appendRow(get, r, i));
    w.flush();
    a.closeSync();
    const byValue = await stored();
    await conn.run('DELETE FROM t');
    const b = await conn.createAppender('t');
    const packedWriter = new ChunkAppender(b, 't', COLUMNS);
    for (const r of rows) {
      const packer = new RowPacker();
      packer.packValues(r.slice(1));
      const bytes = Buffer.from(packer.take());
      const end = packedWriter.appendPacked(Number(r[0]), bytes, new DataView(bytes.buffer), 0);
      expect(end).toBe(bytes.length);
    }
    packedWriter.flush();
    b.closeSync();
    expect(await stored()).toEqual(byValue);
    expect(byValue.map((r) => r[5])).toEqual(['0', '12', '13', '5', null, '3', '34', '300', '2']);
  });

  it('keeps order and nulls across many chunks, the reused chunk forgetting earlier nulls', async () => {
    const a = await conn.createAppender('t');
    const w = new ChunkAppender(a, 't', COLUMNS);
    // 20,000 rows: nine full chunks of 2,048 (the appender flushed to the table after the eighth) and a part;
    // nulls only among the first 2,048 rows.
    const total = 20000;
    for (let i = 0; i < total; i++) {
      const s = i % 3 === 0 ? `client-${String(i).padStart(20, '0')}` : `k${i}`;
      w.appendEncoded(i, [i % 7 === 0 && i < 2048 ? null : i, s, i * 1000003, i % 2 === 0], 0);
    }
    w.flush();
    a.closeSync();
    const r = await conn.runAndReadAll(
      `SELECT count(*)::INTEGER AS rows, count(n)::INTEGER AS n, sum(b)::VARCHAR AS b, count(*) FILTER (ok)::INTEGER AS ok,
              bool_and(id = rowid) AS ordered, count(*) FILTER (s LIKE 'client-%')::INTEGER AS long
         FROM t`,
    );
    // Hand-counted: nulls at multiples of 7 below 2,048 (0, 7, …, 2,044: 293 of them); sum of i·1,000,003
    // over 0…19,999 = 1,000,003 · 19,999 · 20,000 / 2; even i: 10,000; multiples of 3: 6,667.
    expect(r.getRowObjects()[0]).toEqual({
      rows: 20000,
      n: 20000 - 293,
      b: String(1000003n * 19999n * 10000n),
      ok: 10000,
      ordered: true,
      long: 6667,
    });
    const last = await conn.runAndReadAll(
      `SELECT n, s FROM t WHERE id IN (2051, 4095, 4999, 16383, 16384, 19999) ORDER BY id`,
    );
    expect(last.getRows()).toEqual([
      [2051, 'k2051'],
      [4095, 'client-00000000000000004095'],
      [4999, 'k4999'],
      [16383, 'client-00000000000000016383'],
      [16384, 'k16384'],
      [19999, 'k19999'],
    ]);
  });

  it('stores packed rows with many long strings across chunks, a failing row leaving none of its strings', async () => {
    // Long strings (13 to 1,212 bytes, some not ASCII) in most rows: a chunk holds up to 1.2 MB of them. The
    // row after a failing one has a short string (in place), which a string the failing row left would replace.
    const text = (i: number) =>
      i % 97 === 0 ? `S${i}` : `${i % 5 === 0 ? 'é' : 'L'}${i}-${'x'.repeat(13 + ((i * 37) % 1200))}`;
    const a = await conn.createAppender('t');
    const w = new ChunkAppender(a, 't', COLUMNS);
    const pack = (values: Value[]) => {
      const packer = new RowPacker();
      packer.packValues(values);
      return Buffer.from(packer.take());
    };
    const total = 5000;
    for (let i = 0; i < total; i++) {
      if (i % 97 === 0) {
        // Its long string is copied before its BIGINT (1.5) fails it.
        const bad = pack([i, `bad-${'y'.repeat(40)}`, 1.5, true]);
        expect(() => w.appendPacked(-1, bad, new DataView(bad.buffer), 0)).toThrow(RangeError);
      }
      const bytes = pack([i, text(i), i, i % 2 === 0]);
      w.appendPacked(i, bytes, new DataView(bytes.buffer), 0);
    }
    w.flush();
    a.closeSync();
    const r = await conn.runAndReadAll(`SELECT id, s FROM t ORDER BY rowid`);
    const rows = r.getRows();
    expect(rows.length).toBe(total);
    rows.forEach(([id, s], i) => {
      expect(id).toBe(BigInt(i));
      expect(s).toBe(text(i));
    });
  });

  it('appends to the next appender it is given with none of the rows left pending before', async () => {
    const packed = (values: Value[]) => {
      const packer = new RowPacker();
      packer.packValues(values);
      const bytes = Buffer.from(packer.take());
      return [bytes, new DataView(bytes.buffer)] as const;
    };
    const first = await conn.createAppender('t');
    const w = new ChunkAppender(first, 't', COLUMNS);
    // Pending when the appender is given up (a session rolled back): nulls, a 12-byte string in place, long
    // strings given as a value and packed.
    w.appendRow(get, [1, null, 'abcdefghijkl', null, null], 0);
    w.appendPacked(2, ...packed([2, `packed-${'z'.repeat(30)}`, 2, true]), 0);
    w.appendRow(get, [3, 3, `value-${'z'.repeat(30)}`, 3, true], 0);
    first.closeSync();
    const second = await conn.createAppender('t');
    w.rebind(second);
    w.appendRow(get, [4, 5, 'xy', 7, false], 0);
    w.appendPacked(5, ...packed([6, 'short', 8, true]), 0);
    w.appendRow(get, [6, null, 'z', null, null], 0); // a null in the new rows: the validity goes to DuckDB
    w.flushAll();
    second.closeSync();
    expect(await stored()).toEqual([
      ['4', '5', 'xy', '7', 'false', '2'],
      ['5', '6', 'short', '8', 'true', '5'],
      ['6', null, 'z', null, null, '1'],
    ]);
  });

  it('rejects a value its column cannot hold and drops that row whole', async () => {
    const a = await conn.createAppender('t');
    const w = new ChunkAppender(a, 't', COLUMNS);
    w.appendRow(get, [1, 1, 'one', 1, true], 0);
    expect(() => w.appendRow(get, [2, 2, 'a string longer than twelve', 1.5, true], 0)).toThrow(RangeError);
    expect(() => w.appendRow(get, [2, 2.5, 'x', 2, true], 0)).toThrow(/t\.n: cannot store number 2\.5 as INTEGER/);
    expect(() => w.appendRow(get, [2, 2, 'y', '18446744073709551616', true], 0)).toThrow(/t\.b/);
    expect(() => w.appendRow(get, [2, null, 3, 2, true], 0)).toThrow(/t\.s: cannot store number 3 as VARCHAR/);
    w.appendRow(get, [2, 2, 'two', 2, false], 0);
    w.flush();
    a.closeSync();
    expect(await stored()).toEqual([
      ['1', '1', 'one', '1', 'true', '3'],
      ['2', '2', 'two', '2', 'false', '3'],
    ]);
  });

  it('refuses a row spec that does not match the table', async () => {
    const a = await conn.createAppender('t');
    expect(() => new ChunkAppender(a, 't', COLUMNS.slice(1))).toThrow(/5 columns, the row spec 4/);
    const swapped = COLUMNS.map((c) => (c.name === 's' ? { ...c, type: 'int' as const } : c));
    expect(() => new ChunkAppender(a, 't', swapped)).toThrow(/t\.s: the table's type is VARCHAR/);
    a.closeSync();
  });
});
