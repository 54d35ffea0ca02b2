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
