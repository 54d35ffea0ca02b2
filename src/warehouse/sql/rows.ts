/**
 * How each row type maps onto its table's columns, in table order: one definition that both engines'
 * bulk loaders use (DuckDB's appender, PostgreSQL's COPY).
 */
import type {
  AllocationRow,
  CareEventRow,
  DeclarationAnswerRow,
  DeclarationLineRow,
  FileCounts,
  LedgerRows,
  RawValue,
  RequestRow,
  RowSink,
  RowTable,
  SourceFileMeta,
} from '../types.js';

export type ColType = 'int' | 'big' | 'str' | 'bool';
export type Value = string | number | boolean | null;
export interface Column<R> {
  name: string;
  type: ColType;
  get: (r: R, fileId: number) => Value;
}
export interface TableSpec<R> {
  table: string;
  columns: Column<R>[];
}

const c = <R>(name: string, type: ColType, get: (r: R, fileId: number) => Value): Column<R> => ({ name, type, get });
const lineage = <R extends { seq: number; sourceLine: number }>(): Column<R>[] => [
  c('file_id', 'big', (_r, f) => f),
  c('seq', 'int', (r) => r.seq),
  c('source_line', 'int', (r) => r.sourceLine),
];

export const DECLARATION_LINES: TableSpec<DeclarationLineRow> = {
  table: 'declaration_lines',
  columns: [
    ...lineage<DeclarationLineRow>(),
    c('municipality', 'str', (r) => r.municipality),
    c('provider', 'str', (r) => r.provider),
    c('client', 'str', (r) => r.client),
    c('declaration_number', 'str', (r) => r.declarationNumber),
    c('declaration_date', 'str', (r) => r.declarationDate),
    c('declaration_month', 'str', (r) => r.declarationDate.slice(0, 7)),
    c('declaration_period_start', 'str', (r) => r.declarationPeriodStart),
    c('reference_number', 'str', (r) => r.referenceNumber),
    c('previous_reference_number', 'str', (r) => r.previousReferenceNumber),
    c('allocation_number', 'str', (r) => r.allocationNumber),
    c('category', 'str', (r) => r.category),
    c('product_code', 'str', (r) => r.productCode),
    c('period_start', 'str', (r) => r.periodStart),
    c('period_end', 'str', (r) => r.periodEnd),
    c('month', 'str', (r) => r.periodStart.slice(0, 7)),
    c('volume', 'big', (r) => r.volume),
    c('unit', 'str', (r) => r.unit),
    c('tariff_cents', 'big', (r) => r.tariffCents),
    c('amount_cents', 'big', (r) => r.amountCents),
    c('debit_credit', 'str', (r) => r.debitCredit),
    c('referrer', 'str', (r) => r.referrer),
    c('family', 'str', (r) => r.family),
  ],
};

export const DECLARATION_ANSWERS: TableSpec<DeclarationAnswerRow> = {
  table: 'declaration_answers',
  columns: [
    ...lineage<DeclarationAnswerRow>(),
    c('municipality', 'str', (r) => r.municipality),
    c('provider', 'str', (r) => r.provider),
    c('client', 'str', (r) => r.client),
    c('declaration_number', 'str', (r) => r.declarationNumber),
    c('reference_number', 'str', (r) => r.referenceNumber),
    c('amount_cents', 'big', (r) => r.amountCents),
    c('return_codes', 'str', (r) => r.returnCodes.join(' ')),
    c('accepted', 'bool', (r) => r.accepted),
    c('answer_date', 'str', (r) => r.answerDate),
  ],
};

export const ALLOCATIONS: TableSpec<AllocationRow> = {
  table: 'allocations',
  columns: [
    ...lineage<AllocationRow>(),
    c('municipality', 'str', (r) => r.municipality),
    c('provider', 'str', (r) => r.provider),
    c('client', 'str', (r) => r.client),
    c('birth_year', 'int', (r) => r.birthYear),
    c('allocation_number', 'str', (r) => r.allocationNumber),
    c('provider_reference', 'str', (r) => r.providerReference),
    c('category', 'str', (r) => r.category),
    c('product_code', 'str', (r) => r.productCode),
    c('allocation_date', 'str', (r) => r.allocationDate),
    c('start_date', 'str', (r) => r.startDate),
    c('end_date', 'str', (r) => r.endDate),
    c('volume', 'big', (r) => r.volume),
    c('unit', 'str', (r) => r.unit),
    c('frequency', 'str', (r) => r.frequency),
    c('budget_cents', 'big', (r) => r.budgetCents),
    c('family', 'str', (r) => r.family),
  ],
};

export const CARE_EVENTS: TableSpec<CareEventRow> = {
  table: 'care_events',
  columns: [
    ...lineage<CareEventRow>(),
    c('kind', 'str', (r) => r.kind),
    c('municipality', 'str', (r) => r.municipality),
    c('provider', 'str', (r) => r.provider),
    c('client', 'str', (r) => r.client),
    c('allocation_number', 'str', (r) => r.allocationNumber),
    c('category', 'str', (r) => r.category),
    c('product_code', 'str', (r) => r.productCode),
    c('event_date', 'str', (r) => r.date),
    c('reason', 'str', (r) => r.reason),
    c('status', 'str', (r) => r.status),
  ],
};

export const REQUESTS: TableSpec<RequestRow> = {
  table: 'requests',
  columns: [
    ...lineage<RequestRow>(),
    c('municipality', 'str', (r) => r.municipality),
    c('provider', 'str', (r) => r.provider),
    c('client', 'str', (r) => r.client),
    c('provider_reference', 'str', (r) => r.providerReference),
    c('category', 'str', (r) => r.category),
    c('product_code', 'str', (r) => r.productCode),
    c('referrer_type', 'str', (r) => r.referrerType),
    c('start_date', 'str', (r) => r.startDate),
    c('end_date', 'str', (r) => r.endDate),
  ],
};

export interface SourceFileRow {
  meta: SourceFileMeta;
  counts: FileCounts;
  xsdValidated: boolean;
  importedAt: string;
}

export const SOURCE_FILES: TableSpec<SourceFileRow> = {
  table: 'source_files',
  columns: [
    c('id', 'big', (_r, f) => f),
    c('name', 'str', (r) => r.meta.name),
    c('path', 'str', (r) => r.meta.path),
    c('sha256', 'str', (r) => r.meta.sha256),
    c('message_type', 'str', (r) => r.meta.messageType),
    c('sender', 'str', (r) => r.meta.sender),
    c('receiver', 'str', (r) => r.meta.receiver),
    c('message_id', 'str', (r) => r.meta.messageId),
    c('message_date', 'str', (r) => r.meta.messageDate),
    c('size_bytes', 'big', (r) => r.meta.sizeBytes),
    c('line_count', 'big', (r) => r.counts.lines),
    c('total_cents', 'big', (r) => r.counts.totalCents),
    c('xsd_validated', 'bool', (r) => r.xsdValidated),
    c('imported_at', 'str', (r) => r.importedAt),
  ],
};

export const LEDGER_TABLES = {
  source_files: SOURCE_FILES,
  declaration_lines: DECLARATION_LINES,
  declaration_answers: DECLARATION_ANSWERS,
  allocations: ALLOCATIONS,
  care_events: CARE_EVENTS,
  requests: REQUESTS,
} as const;

/**
 * Rows as one flat array of plain values, for passing between threads: per row its type's code (index in
 * ENCODED) and then its column values after file_id (the writer adds that). Structured cloning such an
 * array costs a fraction of cloning row objects (two-year region: the writer's thread spent 2.5 s of its
 * time receiving objects).
 */
const ENCODED = [DECLARATION_LINES, DECLARATION_ANSWERS, ALLOCATIONS, CARE_EVENTS, REQUESTS] as TableSpec<unknown>[];
for (const spec of ENCODED)
  if (spec.columns[0]?.name !== 'file_id') throw new Error(`${spec.table}: file_id must be the first column`);
export const ENCODED_DECLARATION_LINES = 0;

/** A sink that appends every row, encoded, to `out`. */
export function encodingSink(out: RawValue[]): RowSink {
  const enc = (code: number) => {
    const cols = ENCODED[code]!.columns;
    return (r: unknown) => {
      out.push(code);
      for (let i = 1; i < cols.length; i++) out.push(cols[i]!.get(r, 0));
    };
  };
  const byTable = Object.fromEntries(ENCODED.map((spec, code) => [spec.table, enc(code)])) as Record<
    RowTable,
    (r: unknown) => void
  >;
  return { row: (table, r) => byTable[table](r) };
}

/** Walks encoded rows: `each(code, spec, at)` per row, its values after file_id at rows[at …]. */
export function decodeRows(
  rows: readonly RawValue[],
  each: (code: number, spec: TableSpec<unknown>, at: number) => void,
): void {
  for (let i = 0; i < rows.length;) {
    const code = rows[i] as number;
    const spec = ENCODED[code];
    if (!spec) throw new Error(`encoded rows: no row type ${String(code)} at ${i}`);
    each(code, spec, i + 1);
    i += spec.columns.length;
  }
}

/** The row type of an encoded or packed row's code (index in ENCODED), or undefined. */
export const encodedSpec = (code: number): TableSpec<unknown> | undefined => ENCODED[code];

/*
 * Packed rows: the encoded rows (above) as bytes, which is how parse threads hand them to the writer. Per
 * row its type's code (one byte), then per column after file_id a tag byte and the value: an int32 (4 bytes),
 * another number (float64, 8 bytes), a string of up to 255 ASCII characters (1..127) as a length byte and
 * its bytes, any other string as a uint32 length and its UTF-8 bytes, or nothing for null, false and true;
 * little-endian. Unlike a structured clone, DuckDB's writer copies such strings into its data chunks without
 * making JavaScript strings of them (two-year region: v8.deserialize and the values it creates were the
 * writer thread's largest cost after the appends themselves).
 */
export const PACKED_NULL = 0;
export const PACKED_INT32 = 1;
export const PACKED_FLOAT64 = 2;
export const PACKED_ASCII = 3;
export const PACKED_UTF8 = 4;
export const PACKED_FALSE = 5;
export const PACKED_TRUE = 6;

/** A sink that packs every row into a growing byte buffer; `take` hands the bytes over in a buffer of their own. */
export class RowPacker implements RowSink {
  private buf = Buffer.allocUnsafeSlow(1 << 16);
  private dv = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  private p = 0;
  private readonly byTable: Record<RowTable, (r: unknown) => void>;

  constructor() {
    const pack = (code: number) => {
      const cols = ENCODED[code]!.columns; // hot path: code is an index of ENCODED
      return (r: unknown) => {
        this.code(code);
        for (let i = 1; i < cols.length; i++) this.value(cols[i]!.get(r, 0)); // hot path: i < cols.length
      };
    };
    this.byTable = Object.fromEntries(ENCODED.map((spec, code) => [spec.table, pack(code)])) as Record<
      RowTable,
      (r: unknown) => void
    >;
  }

  row<T extends RowTable>(table: T, r: LedgerRows[T]): void {
    this.byTable[table](r);
  }

  /** Packs values without a row code (one row's values after its code, for a caller that reads them so). */
  packValues(values: readonly RawValue[]): void {
    for (const v of values) this.value(v);
  }

  /** Packs rows given encoded (encodingSink). */
  packEncoded(rows: readonly RawValue[]): void {
    decodeRows(rows, (code, spec, at) => {
      this.code(code);
      for (let i = at; i < at + spec.columns.length - 1; i++) this.value(rows[i] ?? null);
    });
  }

  /** Bytes the buffer holds. */
  get capacity(): number {
    return this.buf.length;
  }

  /** Bytes packed so far. */
  get byteLength(): number {
    return this.p;
  }

  /** The rows packed so far, in a buffer of their own (to be moved to another thread); starts afresh. */
  take(): ArrayBuffer {
    const out = new ArrayBuffer(this.p);
    new Uint8Array(out).set(this.buf.subarray(0, this.p));
    this.p = 0;
    return out;
  }

  /** Drops what was packed (a file given up); the buffer stays for the next rows. */
  clear(): void {
    this.p = 0;
  }

  private room(n: number): void {
    if (this.p + n <= this.buf.length) return;
    const next = Buffer.allocUnsafeSlow(Math.max(2 * this.buf.length, this.p + n));
    this.buf.copy(next, 0, 0, this.p);
    this.buf = next;
    this.dv = new DataView(next.buffer, next.byteOffset, next.byteLength);
  }

  private code(code: number): void {
    this.room(1);
    this.buf[this.p++] = code;
  }

  private value(v: RawValue): void {
    if (typeof v === 'string') {
      const len = v.length;
      if (len <= 255) {
        this.room(2 + len);
        const b = this.buf;
        const o = this.p + 2;
        let k = 0;
        for (; k < len; k++) {
          const ch = v.charCodeAt(k);
          if (ch === 0 || ch > 127) break;
          b[o + k] = ch;
        }
        if (k === len) {
          b[this.p] = PACKED_ASCII;
          b[this.p + 1] = len;
          this.p = o + len;
          return;
        }
      }
      this.room(5 + 3 * len);
      const n = this.buf.write(v, this.p + 5, 'utf8');
      this.buf[this.p] = PACKED_UTF8;
      this.dv.setUint32(this.p + 1, n, true);
      this.p += 5 + n;
    } else if (typeof v === 'number') {
      if ((v | 0) === v && (v !== 0 || 1 / v > 0)) {
        this.room(5);
        this.buf[this.p] = PACKED_INT32;
        this.dv.setInt32(this.p + 1, v, true);
        this.p += 5;
      } else {
        this.room(9);
        this.buf[this.p] = PACKED_FLOAT64;
        this.dv.setFloat64(this.p + 1, v, true);
        this.p += 9;
      }
    } else {
      this.room(1);
      this.buf[this.p++] = v === null ? PACKED_NULL : v ? PACKED_TRUE : PACKED_FALSE;
    }
  }
}

/** One packed value at `p`: the value and the position after it. */
export function unpackValue(b: Buffer, dv: DataView, p: number): [RawValue, number] {
  const tag = b[p];
  switch (tag) {
    case PACKED_NULL:
      return [null, p + 1];
    case PACKED_INT32:
      return [dv.getInt32(p + 1, true), p + 5];
    case PACKED_FLOAT64:
      return [dv.getFloat64(p + 1, true), p + 9];
    case PACKED_ASCII: {
      const len = b[p + 1] ?? 0;
      return [b.toString('latin1', p + 2, p + 2 + len), p + 2 + len];
    }
    case PACKED_UTF8: {
      const len = dv.getUint32(p + 1, true);
      return [b.toString('utf8', p + 5, p + 5 + len), p + 5 + len];
    }
    case PACKED_FALSE:
      return [false, p + 1];
    case PACKED_TRUE:
      return [true, p + 1];
    default:
      throw new Error(`packed rows: no value tag ${String(tag)} at ${p}`);
  }
}

/** Packed rows back to encoded rows (engines that append values, such as PostgreSQL's COPY). */
export function unpackRows(packed: ArrayBuffer): RawValue[] {
  const b = Buffer.from(packed);
  const dv = new DataView(packed);
  const out: RawValue[] = [];
  for (let p = 0; p < b.length;) {
    const code = b[p] ?? -1;
    const spec = ENCODED[code];
    if (!spec) throw new Error(`packed rows: no row type ${code} at ${p}`);
    out.push(code);
    p++;
    for (let i = 1; i < spec.columns.length; i++) {
      const [v, next] = unpackValue(b, dv, p);
      out.push(v);
      p = next;
    }
  }
  return out;
}
