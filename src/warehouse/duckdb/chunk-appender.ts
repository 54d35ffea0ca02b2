/**
 * Appends rows to one table a data chunk (2,048 rows) at a time instead of value by value.
 *
 * The appender's per-value calls (appendVarchar, appendBigInt, …; 5.4 M of them for two years of JW323)
 * cost the import's single writer about as much as DuckDB's own work. Here rows are laid out in columns
 * in plain buffers and copied into a reused data chunk with one call per column: integers as typed arrays,
 * strings of at most 12 ASCII bytes written in place in DuckDB's inlined string layout (`duckdb_string_t`
 * in the C API: a uint32 length and 12 bytes, zero-padded), validity as a bitmask; only longer or
 * non-ASCII strings take one call each. The data chunk API of @duckdb/node-api would assign every
 * string by a call of its own and, measured on the same rows, costs more than the per-value appender.
 *
 * Rows keep their order; the caller appends the pending chunk (`flush`) before anything must see them.
 */
import { DuckDBDataChunk, DuckDBTypeId, duckdb, type DuckDBAppender } from './api.js';
import { endianness } from 'node:os';
import type { RawValue } from '../warehouse.js';
import { PACKED_ASCII, PACKED_INT32, PACKED_UTF8, unpackValue, type ColType, type Value } from '../sql/rows.js';

/** Rows per data chunk (DuckDB's vector size). */
const ROWS: number = duckdb.vector_size();
/**
 * Chunks an appender holds before they go to the table. DuckDB's appender copies every chunk into a
 * collection of its own, which its flush appends to the table and frees. Flushed only when the table was
 * read (once per group of ≈ 50,000 lines), the collection took fresh pages for a whole group's rows; flushed
 * every few chunks, it reuses the same memory. Two-year region's JW323 files, runs interleaved under load
 * 10-14: 133-151 thousand minor page faults against 154-164 thousand, peak RSS 309-325 MB against
 * 322-336 MB (every 1, 4, 8 or 32 chunks alike, 8 chosen); CPU time within the load's spread.
 */
const FLUSH_CHUNKS = 8;
/** Longest string DuckDB stores inline in its 16-byte string entry. */
const INLINE = 12;
const TYPE_ID: Record<ColType, DuckDBTypeId> = {
  big: DuckDBTypeId.BIGINT,
  int: DuckDBTypeId.INTEGER,
  str: DuckDBTypeId.VARCHAR,
  bool: DuckDBTypeId.BOOLEAN,
};
const WIDTH: Record<ColType, number> = { big: 8, int: 4, str: 16, bool: 1 };
/** Bytes for a string column's longer strings of a chunk, to begin with; more when a chunk needs them. */
const LONG_BYTES = 1 << 16;
/** A string column's buffer for longer strings is given up after a chunk that made it grow past this. */
const LONG_BYTES_KEPT = 1 << 20;
// The layouts written below (string lengths, int64 halves, validity bits by byte) are little-endian's;
// DuckDB's Node bindings are built for little-endian platforms only.
const LITTLE_ENDIAN = endianness() === 'LE';

interface Col {
  type: ColType;
  name: string;
  data: ArrayBuffer;
  bytes: Uint8Array;
  words: Int32Array;
  /** Strings given as values and not written in place: row index, then the string. */
  longs: (number | string)[];
  /**
   * Packed rows' strings not written in place, copied: their UTF-8 bytes one after another in `longBytes`,
   * and per string its row and the end of its bytes in `longEnds`. (A view of the packed rows per string
   * lived until the chunk was appended, long enough to be promoted to the old generation: two-year region,
   * ≈ 15 MB of the writer's old-generation garbage.)
   */
  longBytes: Uint8Array;
  longEnds: Int32Array;
  longCount: number;
  validityData: ArrayBuffer;
  validity: Uint8Array;
  /** Nulls in the pending rows, or in the chunk's previous rows (its validity must be rewritten). */
  nulls: boolean;
  nullsBefore: boolean;
}

export class ChunkAppender {
  private readonly cols: Col[];
  private readonly chunk: DuckDBDataChunk;
  private n = 0;
  /** Chunks appended to the appender since its last flush. */
  private unflushed = 0;

  constructor(
    private appender: DuckDBAppender,
    readonly table: string,
    private readonly columns: readonly { name: string; type: ColType }[],
  ) {
    if (!LITTLE_ENDIAN) throw new Error('the DuckDB chunk appender needs a little-endian platform');
    this.chunk = DuckDBDataChunk.create(this.typesOf(appender));
    this.cols = columns.map(({ name, type }) => {
      const data = new ArrayBuffer(WIDTH[type] * ROWS);
      const validityData = new ArrayBuffer(ROWS / 8);
      return {
        type,
        name,
        data,
        bytes: new Uint8Array(data),
        words: new Int32Array(data, 0, type === 'bool' ? 0 : data.byteLength / 4),
        longs: [],
        longBytes: new Uint8Array(0), // allocated for the first long string
        longEnds: new Int32Array(type === 'str' ? 2 * ROWS : 0),
        longCount: 0,
        validityData,
        validity: new Uint8Array(validityData).fill(255),
        nulls: false,
        nullsBefore: false,
      };
    });
  }

  /** The table's column types, checked against the row spec. */
  private typesOf(appender: DuckDBAppender) {
    const { table, columns } = this;
    if (appender.columnCount !== columns.length) {
      throw new Error(`${table}: the table has ${appender.columnCount} columns, the row spec ${columns.length}`);
    }
    return columns.map((c, i) => {
      const t = appender.columnType(i);
      if (t.typeId !== TYPE_ID[c.type]) throw new Error(`${table}.${c.name}: the table's type is ${t.toString()}`);
      return t;
    });
  }

  /**
   * Appends to another appender of the same table from now on (the next import session's), with this one's
   * buffers: rows still pending (a session rolled back) are dropped. Allocating the buffers per session cost
   * the writer's thread ≈ 0.2 s of the two-year JW323 import (their fresh pages).
   */
  rebind(appender: DuckDBAppender): void {
    this.typesOf(appender);
    const n = this.n;
    for (const c of this.cols) {
      if (c.nulls) c.validity.fill(255);
      c.nulls = false;
      if (c.type !== 'str') continue;
      c.bytes.fill(0, 0, 16 * n);
      c.longs.length = 0;
      c.longCount = 0;
    }
    this.n = 0;
    this.unflushed = 0;
    this.appender = appender;
  }

  /** Appends one row given encoded (sql/rows.ts): `fileId`, then the values after file_id at rows[at …]. */
  appendEncoded(fileId: number, rows: readonly RawValue[], at: number): void {
    const cols = this.cols;
    try {
      this.put(cols[0]!, fileId); // hot path: cols is never empty (file_id is checked to be the first)
      for (let i = 1; i < cols.length; i++) this.put(cols[i]!, rows[at + i - 1] ?? null); // hot path: i < cols.length
    } catch (e) {
      this.dropRow();
      throw e;
    }
    this.endRow();
  }

  /**
   * Appends one packed row (sql/rows.ts RowPacker) whose code byte was read: `fileId`, then its values from
   * b[at …]. Returns the position after the row. Strings are copied as bytes (in place up to 12 bytes, else
   * assigned from their UTF-8 bytes): no JavaScript string is made for them.
   */
  appendPacked(fileId: number, b: Buffer, dv: DataView, at: number): number {
    const cols = this.cols;
    const n = this.n;
    let p = at;
    try {
      this.put(cols[0]!, fileId); // hot path: cols is never empty (file_id is checked to be the first)
      for (let i = 1; i < cols.length; i++) {
        const c = cols[i]!; // hot path: i < cols.length
        const tag = b[p];
        if (c.type === 'str' && (tag === PACKED_ASCII || tag === PACKED_UTF8)) {
          const ascii = tag === PACKED_ASCII;
          const len = ascii ? (b[p + 1] ?? 0) : dv.getUint32(p + 1, true);
          const o = p + (ascii ? 2 : 5);
          if (len <= INLINE) {
            const bytes = c.bytes;
            const d = 16 * n + 4;
            for (let k = 0; k < len; k++) bytes[d + k] = b[o + k]!; // hot path: o + len <= b.length
            c.words[4 * n] = len;
          } else this.putLong(c, n, b, o, len);
          p = o + len;
        } else if (tag === PACKED_INT32 && c.type !== 'str' && c.type !== 'bool') {
          const v = dv.getInt32(p + 1, true);
          if (c.type === 'int') c.words[n] = v;
          else {
            c.words[2 * n] = v;
            c.words[2 * n + 1] = v >> 31;
          }
          p += 5;
        } else {
          const [v, next] = unpackValue(b, dv, p);
          this.put(c, v);
          p = next;
        }
      }
    } catch (e) {
      this.dropRow();
      throw e;
    }
    this.endRow();
    return p;
  }

  /** Appends one row given by a value per column. */
  appendRow<R>(columns: readonly { get: (r: R, fileId: number) => Value }[], row: R, fileId: number): void {
    try {
      columns.forEach((c, i) => this.put(this.cols[i]!, c.get(row, fileId))); // hot path: same length (constructor)
    } catch (e) {
      this.dropRow();
      throw e;
    }
    this.endRow();
  }

  /** Appends the pending rows and the appender's to the table (what reads the table then sees them). */
  flushAll(): void {
    this.flush();
    if (this.unflushed === 0) return;
    this.unflushed = 0;
    this.appender.flushSync();
  }

  /**
   * Appends the pending rows to the appender, which holds them until its own flush; every FLUSH_CHUNKS chunks
   * it is flushed to the table.
   */
  flush(): void {
    const n = this.n;
    if (n === 0) return;
    const chunk = this.chunk;
    chunk.reset();
    chunk.rowCount = n;
    this.cols.forEach((c, i) => {
      const vector = duckdb.data_chunk_get_vector(chunk.chunk, i);
      duckdb.copy_data_to_vector(vector, 0, c.data, 0, WIDTH[c.type] * n);
      if (c.type === 'str') {
        const longs = c.longs;
        for (let k = 0; k < longs.length; k += 2)
          duckdb.vector_assign_string_element(vector, longs[k] as number, longs[k + 1] as string);
        longs.length = 0;
        const ends = c.longEnds;
        for (let k = 0, start = 0; k < c.longCount; k++) {
          const end = ends[2 * k + 1]!; // hot path: k < longCount <= ROWS
          duckdb.vector_assign_string_element_len(vector, ends[2 * k]!, c.longBytes.subarray(start, end));
          start = end;
        }
        c.longCount = 0;
        if (c.longBytes.length > LONG_BYTES_KEPT) c.longBytes = new Uint8Array(LONG_BYTES);
        c.bytes.fill(0, 0, 16 * n);
      }
      if (c.nulls || c.nullsBefore) {
        duckdb.vector_ensure_validity_writable(vector);
        duckdb.copy_data_to_vector_validity(vector, 0, c.validityData, 0, 8 * Math.ceil(n / 64));
        c.validity.fill(255);
      }
      c.nullsBefore = c.nulls;
      c.nulls = false;
    });
    this.n = 0;
    this.appender.appendDataChunk(chunk);
    if (++this.unflushed >= FLUSH_CHUNKS) {
      this.unflushed = 0;
      this.appender.flushSync();
    }
  }

  private endRow(): void {
    if (++this.n === ROWS) this.flush();
  }

  /** Undoes the current row's values written so far (a value that cannot be stored failed it). */
  private dropRow(): void {
    const n = this.n;
    for (const c of this.cols) {
      c.validity[n >> 3] = (c.validity[n >> 3] ?? 0) | (1 << (n & 7));
      if (c.type !== 'str') continue;
      c.bytes.fill(0, 16 * n, 16 * n + 16);
      while (c.longs.length > 0 && c.longs.at(-2) === n) c.longs.length -= 2;
      while (c.longCount > 0 && c.longEnds[2 * c.longCount - 2] === n) c.longCount--;
    }
  }

  /** Copies a string's `len` UTF-8 bytes at b[o …] for row `n` (assigned to the vector at the flush). */
  private putLong(c: Col, n: number, b: Uint8Array, o: number, len: number): void {
    const k = c.longCount;
    const start = k ? c.longEnds[2 * k - 1]! : 0; // hot path: k - 1 < longCount
    let bytes = c.longBytes;
    if (start + len > bytes.length) {
      bytes = new Uint8Array(Math.max(LONG_BYTES, 2 * bytes.length, start + len));
      bytes.set(c.longBytes.subarray(0, start));
      c.longBytes = bytes;
    }
    for (let i = 0; i < len; i++) bytes[start + i] = b[o + i]!; // hot path: o + len <= b.length
    c.longEnds[2 * k] = n;
    c.longEnds[2 * k + 1] = start + len;
    c.longCount = k + 1;
  }

  private put(c: Col, v: Value): void {
    const n = this.n;
    if (v === null) {
      c.nulls = true;
      c.validity[n >> 3]! &= ~(1 << (n & 7)); // hot path: n < ROWS, the buffer holds ROWS bits
      return;
    }
    switch (c.type) {
      case 'str': {
        if (typeof v !== 'string') throw this.invalid(c, v);
        const len = v.length;
        if (len <= INLINE) {
          const bytes = c.bytes;
          const o = 16 * n + 4;
          let k = 0;
          // ASCII without NUL is its own UTF-8; anything else goes through DuckDB's own conversion.
          for (; k < len; k++) {
            const ch = v.charCodeAt(k);
            if (ch === 0 || ch > 127) break;
            bytes[o + k] = ch;
          }
          if (k === len) {
            c.words[4 * n] = len;
            return;
          }
          bytes.fill(0, o, o + k);
        }
        c.longs.push(n, v);
        return;
      }
      case 'int':
        if (typeof v !== 'number' || (v | 0) !== v) throw this.invalid(c, v);
        c.words[n] = v;
        return;
      case 'big':
        if (typeof v === 'number' && Number.isSafeInteger(v)) {
          const hi = Math.floor(v / 4294967296);
          c.words[2 * n] = v - hi * 4294967296;
          c.words[2 * n + 1] = hi;
          return;
        }
        if (typeof v === 'boolean') throw this.invalid(c, v);
        {
          const b = BigInt(v);
          if (BigInt.asIntN(64, b) !== b) throw this.invalid(c, v);
          new BigInt64Array(c.data, 8 * n, 1)[0] = b;
        }
        return;
      case 'bool':
        if (typeof v !== 'boolean') throw this.invalid(c, v);
        c.bytes[n] = v ? 1 : 0;
        return;
    }
  }

  private invalid(c: Col, v: Value): Error {
    return new Error(
      `${this.table}.${c.name}: cannot store ${typeof v} ${String(v)} as ${DuckDBTypeId[TYPE_ID[c.type]]}`,
    );
  }
}
