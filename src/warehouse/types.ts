/**
 * The warehouse's own record types: what goes in and what comes out of every repository (warehouse.ts),
 * plain data only. The SQL modules (sql/) and the engines import their types from here, never the reverse,
 * and so may the app services and the front ends.
 */
import type { Cents } from '../domain/money.js';
import type { IsoDate, MonthKey } from '../domain/month.js';
import type { Measure, SavingsTarget } from '../domain/steering/measures.js';
import type { KpiDefinition, KpiScopeKey } from '../domain/steering/kpi.js';
import type { Commitment, DecisionItemKind, ProposalDocument, Theme } from '../domain/decisions/types.js';

/** `EXPORT`: a case system's export read through a column mapping (`grip import --mapping`). */
export type MessageType = 'JW301' | 'JW305' | 'JW307' | 'JW315' | 'JW323' | 'JW325' | 'CSV' | 'EXPORT';

export interface SourceFileMeta {
  name: string;
  path: string;
  sha256: string;
  messageType: MessageType;
  sender: string;
  receiver: string;
  messageId: string;
  messageDate: IsoDate | null;
  sizeBytes: number;
}

/** One JW323 line (prestatie) or CSV declaration line. Amounts signed: credit lines are negative. */
export interface DeclarationLineRow {
  seq: number;
  sourceLine: number;
  municipality: string;
  provider: string;
  client: string; // pseudonym
  declarationNumber: string;
  declarationDate: IsoDate;
  declarationPeriodStart: IsoDate | null;
  referenceNumber: string;
  previousReferenceNumber: string | null;
  allocationNumber: string | null;
  category: string;
  productCode: string | null;
  periodStart: IsoDate;
  periodEnd: IsoDate;
  volume: number;
  unit: string;
  tariffCents: Cents | null;
  amountCents: Cents;
  debitCredit: 'D' | 'C';
  /** Referrer given directly in the input (CSV); XML resolves it through allocation and request. */
  referrer: string | null;
  /** Family key when the input carries one (CSV). */
  family: string | null;
}

/** One prestatie in a JW325 declaration answer. */
export interface DeclarationAnswerRow {
  seq: number;
  sourceLine: number;
  municipality: string;
  provider: string;
  client: string;
  declarationNumber: string;
  referenceNumber: string;
  amountCents: Cents;
  returnCodes: string[];
  accepted: boolean;
  answerDate: IsoDate | null;
}

/** One ToegewezenProduct in a JW301. */
export interface AllocationRow {
  seq: number;
  sourceLine: number;
  municipality: string;
  provider: string;
  client: string;
  birthYear: number | null;
  allocationNumber: string;
  providerReference: string | null;
  category: string;
  productCode: string | null;
  allocationDate: IsoDate;
  startDate: IsoDate;
  endDate: IsoDate | null;
  volume: number | null;
  unit: string | null;
  frequency: string | null;
  budgetCents: Cents | null;
  /** Pseudonyms of related clients (e.g. siblings) when the input shows them; used for families. */
  family: string | null;
}

/** One StartProduct (JW305) or StopProduct (JW307). */
export interface CareEventRow {
  seq: number;
  sourceLine: number;
  kind: 'start' | 'stop';
  municipality: string;
  provider: string;
  client: string;
  allocationNumber: string;
  category: string | null;
  productCode: string | null;
  date: IsoDate;
  reason: string | null;
  status: string | null;
}

/** One AangevraagdProduct in a JW315 request. */
export interface RequestRow {
  seq: number;
  sourceLine: number;
  municipality: string;
  provider: string;
  client: string;
  providerReference: string;
  category: string | null;
  productCode: string | null;
  referrerType: string;
  startDate: IsoDate | null;
  endDate: IsoDate | null;
}

/** Receives the rows of one file as they are read (streaming, bounded memory). */
/** The ledger's row tables (all but source_files) and the row each one takes. */
export interface LedgerRows {
  declaration_lines: DeclarationLineRow;
  declaration_answers: DeclarationAnswerRow;
  allocations: AllocationRow;
  care_events: CareEventRow;
  requests: RequestRow;
}
export type RowTable = keyof LedgerRows;

/** Where a reader's rows go: one generic method naming the table, so a new row table needs no new method. */
export interface RowSink {
  row<T extends RowTable>(table: T, r: LedgerRows[T]): void;
}

export interface FileCounts {
  lines: number;
  totalCents: Cents;
}

/**
 * One import transaction. Rows stream into it; nothing is visible to readers until commit, and rollback
 * removes everything appended since begin. Several files may share one session: each file is all-or-none
 * because a file that fails is never committed (the importer rolls back and redoes the other files).
 */
export interface ImportSession {
  /** Starts a file and returns its id and a sink for its rows. */
  beginFile(): { fileId: number; sink: RowSink };
  /** Appends a parsed file's rows, encoded on a parse thread (sql/rows.ts encodingSink), under `fileId`. */
  appendEncoded(fileId: number, rows: readonly RawValue[]): void;
  /**
   * The same rows packed (sql/rows.ts RowPacker), for an engine that takes them as bytes (DuckDB); the
   * importer unpacks them for appendEncoded where this is missing.
   */
  appendPacked?(fileId: number, packed: ArrayBuffer): void;
  /** Records the file once all its rows are in. */
  endFile(fileId: number, meta: SourceFileMeta, counts: FileCounts, xsdValidated: boolean): void;
  /** Writes buffered rows out (called between chunks of a file, so memory stays bounded). */
  flush(): Promise<void>;
  /** Files of this session that repeat a declaration (municipality, provider, number) already stored or seen in an earlier file. */
  duplicateDeclarations(): Promise<
    { fileId: number; declarationNumber: string; provider: string; municipality: string; otherFile: string }[]
  >;
  /**
   * Optional fast path (DuckDB): the engine reads a CSV declarations file itself, checks every line with the
   * same rules as the streaming reader and stores it under `fileId` (from beginFile; its sink stays unused).
   * Returns null, having stored nothing, whenever the file is not plainly valid (a bad value, a blank line, a
   * quoted line break, odd whitespace): the importer then reads it line by line, which stores the same rows
   * or names the line and column that is wrong.
   */
  bulkCsv?(fileId: number, file: BulkCsvFile): Promise<BulkCsvResult | null>;
  /**
   * Records a case-system export (after its lines are in) and replaces, for its source, the lines of earlier
   * exports in the production months and municipalities it covers. Returns what was replaced.
   */
  recordExport(fileId: number, rec: ExportRecord): Promise<ReplacedLines>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

/** A CSV declarations file handed whole to the engine (ImportSession.bulkCsv). */
export interface BulkCsvFile {
  path: string;
  delimiter: ',' | ';';
  /** Column names in file order, already checked against Grip's CSV format. */
  header: string[];
  /** BSN → pseudonym; throws on an invalid BSN. */
  pseudonymise: (bsn: string) => string;
  /** A (non-empty) family column value → the family key stored. */
  familyKey: (value: string) => string | null;
}
export interface BulkCsvResult {
  counts: FileCounts;
  /** Distinct providers and municipalities of the file (the first, when there is one), latest declaration date. */
  providers: number;
  firstProvider: string | null;
  municipalities: number;
  firstMunicipality: string | null;
  lastDeclarationDate: IsoDate | null;
}

export type CostDim =
  'municipality' | 'month' | 'declarationMonth' | 'category' | 'product' | 'provider' | 'referrer' | 'year';
export const COST_DIMS: readonly CostDim[] = [
  'municipality',
  'month',
  'declarationMonth',
  'category',
  'product',
  'provider',
  'referrer',
  'year',
];

export interface CostQuery {
  by: CostDim[];
  /** Production year. */
  year?: number;
  /** Production months, inclusive. */
  from?: MonthKey;
  to?: MonthKey;
  municipalities?: string[];
  category?: string;
  provider?: string;
  product?: string;
  referrer?: string;
  /** Only lines declared on or before this date. */
  asOf?: IsoDate;
  /** `ingediend` (default): as submitted; `toegekend`: without lines rejected in a JW325. */
  basis?: 'ingediend' | 'toegekend';
}

/** amountCents net (debit − credit); units = delivered volume net of credits (only meaningful within one unit). */
export type CostRow = Partial<Record<CostDim, string>> & {
  amountCents: Cents;
  clients: number;
  lines: number;
  units: number;
};

export interface RunoffQuery {
  asOf?: IsoDate;
  municipalities?: string[];
}
/** A published forecast: what was said, when, on which data and with which method. */
export interface ForecastVintageHeader {
  year: number;
  asOf: IsoDate;
  label: string | null;
  publishedAt: string;
  publishedBy: string;
  dataVersion: string;
  methodVersion: string;
}
export interface ForecastVintageFigures {
  /** Municipality code, or 'regio' for the region total. */
  scope: string;
  declaredCents: Cents;
  ibnrCents: Cents;
  remainingCents: Cents;
  forecastCents: Cents;
  lowCents: Cents;
  highCents: Cents;
  months: { month: MonthKey; declaredCents: Cents; ibnrCents: Cents; remainingCents: Cents }[];
}
export type NewForecastVintage = ForecastVintageHeader & { rows: ForecastVintageFigures[] };
export type ForecastVintageRow = ForecastVintageHeader & ForecastVintageFigures & { id: number };

/** Net declared amount per municipality × production month × declaration date (and its month). */
export interface RunoffCell {
  municipality: string;
  month: MonthKey;
  declarationMonth: MonthKey;
  declarationDate: IsoDate;
  amountCents: Cents;
}

export interface ClientMonthRow {
  municipality: string;
  month: MonthKey;
  clients: number;
}

/** Allocations active in a month (start ≤ month end, end ≥ month start, not stopped before), per municipality. */
export interface ActiveAllocationRow {
  municipality: string;
  month: MonthKey;
  allocations: number;
  clients: number;
}

export interface FindingCount {
  rule: string;
  description: string;
  lines: number;
  amountCents: Cents;
}

export interface StatusReport {
  engine: string;
  location: string;
  schemaVersion: number;
  files: { messageType: MessageType; files: number; lines: number }[];
  declarationLines: number;
  totalCents: Cents;
  clients: number;
  firstMonth: MonthKey | null;
  lastMonth: MonthKey | null;
  lastDeclarationDate: IsoDate | null;
  lastImport: string | null;
  findings: FindingCount[];
  unknownReferrerLines: number;
  rejectedLines: number;
  rejectedCents: Cents;
}

export type Role = 'beheerder' | 'regio' | 'gemeente' | 'raad' | 'partner';
export const ROLES: readonly Role[] = ['beheerder', 'regio', 'gemeente', 'raad', 'partner'];

export interface UserRecord {
  username: string;
  passwordHash: string;
  role: Role;
  /** Municipality codes a `gemeente` user may see (empty for other roles). */
  municipalities: string[];
  /** The organisation a `partner` reports for. */
  organisation: string | null;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface SessionRecord {
  idHash: string;
  username: string;
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
}

export interface AuditEntry {
  at: string;
  username: string;
  role: string;
  action: string;
  clients: string[];
  purpose: string | null;
  municipality: string | null;
  detail: string | null;
}

export interface AuditQuery {
  username?: string;
  client?: string;
  from?: string;
  to?: string;
  limit?: number;
}

export type LedgerTable =
  'source_files' | 'declaration_lines' | 'declaration_answers' | 'allocations' | 'care_events' | 'requests';
export type RawValue = string | number | boolean | null;

export interface LineageRow {
  fileId: number;
  fileName: string;
  sourceLine: number;
  declarationNumber: string;
  referenceNumber: string;
  client: string;
  month: MonthKey;
  declarationDate: IsoDate;
  category: string;
  productCode: string | null;
  provider: string;
  amountCents: Cents;
  findings: string[];
  /** The worksheet the line came from (XLSX exports), when there is one. */
  sheet?: string | null;
}

// ---------------------------------------------------------------------------------------------------------
// Steering: budgets, local provisions, measures, savings targets, KPIs (sql/steering.ts)

export const BUDGET_KINDS = ['primitief', 'wijziging'] as const;
export type BudgetKind = (typeof BUDGET_KINDS)[number];

/** One entry in a municipality's youth-care budget history for a year. */
export interface BudgetEntryInput {
  municipality: string;
  year: number;
  /** A category group (domain/codes categoryGroup) or null for the whole youth-care budget. */
  categoryGroup: string | null;
  kind: BudgetKind;
  /** The decision date: the entry counts from this date on. */
  date: IsoDate;
  decisionReference: string | null;
  /** Signed: the primitive budget, or the change an amendment makes. */
  amountCents: Cents;
  description: string | null;
  enteredBy: string;
  /** ISO timestamp. */
  enteredAt: string;
}
export interface BudgetEntry extends BudgetEntryInput {
  id: number;
}
export interface BudgetEntryQuery {
  year?: number;
  municipalities?: string[];
  /** Only entries dated on or before this date. */
  upTo?: IsoDate;
}

/**
 * What a municipality reserved for its share of the region's overrun of a year (e.g. at its own Burap). Entries are
 * appended; the reservation at a date is the latest entry dated on or before it (a new figure, not a delta).
 */
export interface ReservationInput {
  municipality: string;
  year: number;
  /** The decision date: the figure counts from this date on. */
  date: IsoDate;
  amountCents: Cents;
  reference: string | null;
  description: string | null;
  enteredBy: string;
  enteredAt: string;
}
export interface Reservation extends ReservationInput {
  id: number;
}

/** One budget line of a general local provision (SJT, CJG, youth work) — the "front" of youth care. */
export interface LocalProvisionInput {
  municipality: string;
  year: number;
  provision: string;
  date: IsoDate;
  amountCents: Cents;
  description: string | null;
  enteredBy: string;
  enteredAt: string;
}
export interface LocalProvisionLine extends LocalProvisionInput {
  id: number;
}

export interface StoredMeasure extends Measure {
  enteredBy: string;
  updatedAt: string;
}

export interface StoredSavingsTarget extends SavingsTarget {
  description: string | null;
  enteredBy: string;
  enteredAt: string;
}

export interface KpiValueInput {
  kpiId: string;
  scope: KpiScopeKey;
  /** YYYY-MM-DD, YYYY-MM or YYYY. */
  period: string;
  value: number | null;
  enteredBy: string;
  enteredAt: string;
}
export interface StoredKpiValue extends KpiValueInput {
  id: number;
}

/** What one `saveSteering` call writes, all in one transaction. */
export interface SteeringBatch {
  budgetEntries?: BudgetEntryInput[];
  reservations?: ReservationInput[];
  localProvisions?: LocalProvisionInput[];
  measures?: StoredMeasure[];
  savingsTargets?: StoredSavingsTarget[];
  kpiDefinitions?: KpiDefinition[];
  kpiValues?: KpiValueInput[];
}

// ---------------------------------------------------------------------------------------------------------
// Contracted tariffs (sql/tariffs.ts)

/** '*': the tariff applies to every provider without a tariff of its own. */
export const ANY_PROVIDER = '*';

export interface ContractedTariff {
  /** AGB code of the provider, or '*' for every provider. */
  provider: string;
  /** JZ020 product category. */
  category: string;
  /** Product code; null: the whole category. */
  productCode: string | null;
  /** WJ756 unit the tariff is per. */
  unit: string;
  tariffCents: Cents;
  validFrom: IsoDate;
  /** Last day the tariff applies; null: open-ended. */
  validTo: IsoDate | null;
}

/** Who entered a tariff, when, and from which file (or form). */
export interface TariffEntry {
  source: string;
  enteredBy: string;
  enteredAt: string;
}

export type StoredTariff = ContractedTariff & TariffEntry;

export interface TariffQuery {
  provider?: string;
  category?: string;
  /** Only tariffs valid on this date. */
  on?: IsoDate;
}

// ---------------------------------------------------------------------------------------------------------
// Provider register (sql/providers.ts)

export interface Provider {
  /** AGB code (8 digits). */
  agb: string;
  name: string;
  /** KvK number (8 digits), when known. */
  kvk: string | null;
  /** Type of care (free text, e.g. "Jeugd-GGZ"), when known. */
  careType: string | null;
}

/** Who entered a provider, when, and from which file. */
export interface ProviderEntry {
  source: string;
  enteredBy: string;
  enteredAt: string;
}

export type StoredProvider = Provider & ProviderEntry;

// ---------------------------------------------------------------------------------------------------------
// Corona revenue-loss inputs (sql/corona.ts)

export interface CoronaInputQuery {
  year: number;
  /** CBS codes; undefined = all, [] = none. */
  municipalities?: string[];
}

// ---------------------------------------------------------------------------------------------------------
// Decision cycle (sql/decisions.ts)

/** A document of a proposal, with a link when there is one. */
export type StoredDocument = ProposalDocument & { url?: string };

export interface DecisionCaseSummary {
  id: string;
  title: string;
  kind: DecisionItemKind;
  budgetYear: number;
  amountCents: number;
  sentForViewOn: IsoDate;
  decidedByAbOn: IsoDate | null;
  views: number;
  points: number;
  openCommitments: number;
  updatedAt: string;
}

/** A commitment with the proposal it came from (for the list of all open items). */
export interface StoredCommitment extends Commitment {
  proposalId: string;
}

export interface NewViewPoint {
  proposalId: string;
  municipality: string;
  number: string;
  theme: Theme;
  text: string;
  /** Date the view came in; set on the view when it has none yet (or when `replaceReceived`). */
  received?: IsoDate | null;
}

// ---------------------------------------------------------------------------------------------------------
// Special cases marked by hand (sql/special-cases.ts)

export const SPECIAL_CASE_KINDS = ['client', 'family', 'allocation'] as const;
export type SpecialCaseKind = (typeof SPECIAL_CASE_KINDS)[number];

export interface SpecialCaseInput {
  municipality: string;
  kind: SpecialCaseKind;
  /** Client pseudonym (`p_…`), family key, or allocation number. Never a BSN. */
  subject: string;
  /** For an allocation: the provider (AGB code), when given; null = any provider. */
  provider: string | null;
  reason: string;
  /** First production month the case covers. */
  from: MonthKey;
  /** Last production month (null: open-ended). */
  to: MonthKey | null;
  enteredBy: string;
  enteredAt: string;
}
export interface MarkedSpecialCase extends SpecialCaseInput {
  id: number;
  removedBy: string | null;
  removedAt: string | null;
}
export interface SpecialCaseQuery {
  municipalities?: string[];
  /** Also the removed ones (default: only the active). */
  includeRemoved?: boolean;
}

/** Per active case: the net amount of its lines declared on or before `asOf`, and of those declared after `after`. */
export interface MarkedCaseCost {
  id: number;
  amountCents: number;
  /** Declared in (after, asOf]; equal to amountCents without `after`. */
  newCents: number;
  clients: number;
}

// ---------------------------------------------------------------------------------------------------------
// Providers' year-end statements (sql/statements.ts)

export interface StatementRow {
  provider: string;
  municipality: string;
  year: number;
  /** A product category (2 characters, JZ020) or a product code (5 characters). */
  product: string;
  amountCents: Cents;
  /** The file and its line (CSV) or row (XLSX). */
  source: string;
  sourceLine: number;
}
export interface StatementEntry {
  enteredBy: string;
  enteredAt: string;
}
export type StoredStatementRow = StatementRow & StatementEntry;

// ---------------------------------------------------------------------------------------------------------
// Case-system exports (sql/exports.ts)

/** A saved column mapping. */
export interface StoredMapping {
  name: string;
  source: string;
  /** The mapping as JSON (validated by domain/mapping/schema.ts when read). */
  definition: string;
  savedBy: string;
  savedAt: string;
}

/** What an import records about an export (ImportSession.recordExport). */
export interface ExportRecord {
  source: string;
  mapping: string;
  /** Production months of its lines, inclusive. */
  periodFrom: string;
  periodTo: string;
  municipalities: string[];
  /** Which lines (seq range) came from which sheet (null for CSV). */
  sheets: { sheet: string | null; firstSeq: number; lastSeq: number }[];
}

/** Lines of earlier exports of the same source that an export replaced. */
export interface ReplacedLines {
  lines: number;
  amountCents: number;
  files: { id: number; name: string; lines: number; amountCents: number }[];
  /**
   * Lines of this export that look like lines already in the ledger from another source or route (same
   * municipality, provider, client, period start, product and amount): probably the same care counted twice.
   * Not replaced — only reported.
   */
  otherSources: { lines: number; amountCents: number };
}

/** An imported export, with what it replaced. */
export interface ExportFileRow {
  fileId: number;
  name: string;
  importedAt: string;
  source: string;
  mapping: string;
  periodFrom: string;
  periodTo: string;
  municipalities: string[];
  lines: number;
  amountCents: number;
  replacedLines: number;
  replacedCents: number;
  replacedFiles: string;
  sheets: (string | null)[];
}

/** An export's record as stored (for `grip migrate`): what ImportSession.recordExport wrote. */
export interface ExportRecordRow {
  fileId: number;
  source: string;
  mapping: string;
  periodFrom: string;
  periodTo: string;
  municipalities: string[];
  replacedLines: number;
  replacedCents: number;
  replacedFiles: string;
  sheets: { sheet: string | null; firstSeq: number; lastSeq: number }[];
}
