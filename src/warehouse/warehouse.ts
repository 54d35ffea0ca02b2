/**
 * The warehouse interface: the one narrow door between Grip and its storage engine.
 * SQL lives only in the implementations (duckdb/, later postgres/). Everything here is plain data.
 */
import type { Cents } from '../domain/money.js';
import type { IsoDate, MonthKey } from '../domain/month.js';
import type { RegionMunicipality } from '../domain/codes/index.js';
import type { DriverInputQuery, DriverInputs } from '../domain/insight/decomposition.js';
import type { DataQualityQuery, DataQualityReport } from '../domain/insight/quality.js';
import type { ClientCostRow, FamilyCosts, FamilyQuery } from '../domain/insight/families.js';
import type { FlowRow, JourneyEvent, JourneyQuery, ReEntryRow, WaitingRow } from '../domain/insight/journeys.js';
import type { CoronaInputQuery } from './sql/corona.js';
import type { CoronaInputRow } from '../domain/decisions/corona.js';
import type { Commitment, DecisionCase, Reaction, Vote } from '../domain/decisions/types.js';
import type { DecisionCaseSummary, NewViewPoint, StoredCommitment } from './sql/decisions.js';
import type {
  BudgetEntry,
  BudgetEntryQuery,
  LocalProvisionLine,
  Reservation,
  SteeringBatch,
  StoredKpiValue,
  StoredMeasure,
  StoredSavingsTarget,
} from './sql/steering.js';
import type { KpiDefinition } from '../domain/steering/kpi.js';
import type { ContractedTariff, StoredTariff, TariffEntry, TariffQuery } from './sql/tariffs.js';
import type { Provider, ProviderEntry, StoredProvider } from './sql/providers.js';
import type { MarkedCaseCost, MarkedSpecialCase, SpecialCaseInput, SpecialCaseQuery } from './sql/special-cases.js';
import type { StatementEntry, StatementRow, StoredStatementRow } from './sql/statements.js';

export type MessageType = 'JW301' | 'JW305' | 'JW307' | 'JW315' | 'JW323' | 'JW325' | 'CSV';

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
export interface RowSink {
  declarationLine(r: DeclarationLineRow): void;
  answer(r: DeclarationAnswerRow): void;
  allocation(r: AllocationRow): void;
  careEvent(r: CareEventRow): void;
  request(r: RequestRow): void;
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
  /** Records the file once all its rows are in. */
  endFile(fileId: number, meta: SourceFileMeta, counts: FileCounts, xsdValidated: boolean): void;
  /** Writes buffered rows out (called between chunks of a file, so memory stays bounded). */
  flush(): Promise<void>;
  /** Files of this session that repeat a declaration (municipality, provider, number) already stored or seen in an earlier file. */
  duplicateDeclarations(): Promise<{ fileId: number; declarationNumber: string; provider: string; municipality: string; otherFile: string }[]>;
  /**
   * Optional fast path (DuckDB): the engine reads a CSV declarations file itself, checks every line with the
   * same rules as the streaming reader and stores it under `fileId` (from beginFile; its sink stays unused).
   * Returns null, having stored nothing, whenever the file is not plainly valid (a bad value, a blank line, a
   * quoted line break, odd whitespace): the importer then reads it line by line, which stores the same rows
   * or names the line and column that is wrong.
   */
  bulkCsv?(fileId: number, file: BulkCsvFile): Promise<BulkCsvResult | null>;
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

export type CostDim = 'municipality' | 'month' | 'declarationMonth' | 'category' | 'product' | 'provider' | 'referrer' | 'year';
export const COST_DIMS: readonly CostDim[] = ['municipality', 'month', 'declarationMonth', 'category', 'product', 'provider', 'referrer', 'year'];

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
export type CostRow = Partial<Record<CostDim, string>> & { amountCents: Cents; clients: number; lines: number; units: number };

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

/** Accounts, sessions and the append-only audit log. */
export interface AccessStore {
  getUser(username: string): Promise<UserRecord | null>;
  listUsers(): Promise<UserRecord[]>;
  /** Inserts or replaces a user. */
  saveUser(u: UserRecord): Promise<void>;
  saveSession(s: SessionRecord): Promise<void>;
  getSession(idHash: string): Promise<SessionRecord | null>;
  deleteSession(idHash: string): Promise<void>;
  deleteExpiredSessions(now: string): Promise<void>;
  /** Appends to the audit log; there is no way to change or remove an entry. */
  appendAudit(e: AuditEntry): Promise<void>;
  audit(q: AuditQuery): Promise<AuditEntry[]>;
}

export interface Warehouse extends AccessStore {
  /** Inputs of the cost-driver decomposition (volume × intensity × price). */
  driverInputs(q: DriverInputQuery): Promise<DriverInputs>;
  /** Data-quality checks: double registrations, over-indication, declarations without allocation, … */
  dataQuality(q: DataQualityQuery): Promise<DataQualityReport>;
  /** The costliest families (or single clients) per municipality, every bijzondere casus, and the totals. */
  familyCosts(q: FamilyQuery): Promise<FamilyCosts>;
  /** The costliest clients (pseudonyms) per municipality. */
  topClients(q: Omit<FamilyQuery, 'minChildren'>): Promise<ClientCostRow[]>;
  /** Run-off cells of the bijzondere casussen's members, for the forecast "zonder bijzondere casussen". */
  specialCaseRunoff(q: FamilyQuery & { asOf?: IsoDate }): Promise<RunoffCell[]>;
  /** Client flows referrer → first category → next category → end (counts of clients). */
  journeyFlows(q: JourneyQuery): Promise<FlowRow[]>;
  /** Days from request (JW315) to start of care, as a histogram. */
  requestToStart(q: JourneyQuery): Promise<WaitingRow[]>;
  /** Exits and re-entries within 12 months. */
  reEntries(q: JourneyQuery): Promise<ReEntryRow[]>;
  /** Every event of one client (pseudonym): requests, allocations, starts, declarations, stops. */
  clientJourney(q: { client: string; municipalities?: string[] }): Promise<JourneyEvent[]>;
  /** Validated revenue per provider × municipality × month, for the corona revenue-loss check. */
  coronaInputs(q: CoronaInputQuery): Promise<CoronaInputRow[]>;

  /** Saves a decision case whole (proposal, views, reactions, votes, commitments), replacing one with the same id. */
  saveDecisionCase(c: DecisionCase, by: string): Promise<void>;
  /** Stored proposals, newest first. */
  decisionCases(): Promise<DecisionCaseSummary[]>;
  /** One stored case, or null. */
  decisionCase(id: string): Promise<DecisionCase | null>;
  /** Adds a point to a council's view (creating the view when needed); returns the point id. */
  addDecisionPoint(p: NewViewPoint): Promise<string>;
  /** Sets the DB's reaction to a point (nota van reactie), replacing an earlier one. */
  saveDecisionReaction(proposalId: string, r: Reaction): Promise<void>;
  /** Adds a commitment to a proposal, or replaces the one with the same id. */
  saveDecisionCommitment(proposalId: string, c: Commitment): Promise<void>;
  /** Saves a new decision case; refuses when a proposal with its id exists. */
  createDecisionCase(c: DecisionCase, by: string): Promise<void>;
  /** Records a member's AB vote (replacing its earlier one); `date` sets the vote date (and the AB decision date when unset). */
  saveDecisionVote(proposalId: string, v: Vote, date?: IsoDate): Promise<void>;
  /** Commitments of all (or some) proposals. */
  decisionCommitments(q?: { proposalIds?: string[] }): Promise<StoredCommitment[]>;

  /**
   * Steering data (budgets, local provisions, measures, savings targets, KPIs), written in one transaction:
   * all or nothing. Budget entries, local provisions and KPI values are appended (never overwritten);
   * measures, savings targets and KPI definitions replace those with the same key.
   */
  saveSteering(b: SteeringBatch): Promise<void>;
  /** Budget history in date order. */
  budgetEntries(q?: BudgetEntryQuery): Promise<BudgetEntry[]>;
  /** Reservations for the share of the region's overrun, in history order (the latest dated entry counts). */
  reservations(q?: BudgetEntryQuery): Promise<Reservation[]>;
  /** Budget lines of general local provisions ("voorkant"). */
  localProvisions(q?: BudgetEntryQuery): Promise<LocalProvisionLine[]>;
  measures(q?: { ids?: string[] }): Promise<StoredMeasure[]>;
  savingsTargets(q?: { year?: number }): Promise<StoredSavingsTarget[]>;
  kpiDefinitions(): Promise<KpiDefinition[]>;
  /** KPI values in entry order; `latestOnly`: the latest entry per KPI, scope and period. */
  kpiValues(q?: { kpiId?: string; scopes?: string[]; latestOnly?: boolean }): Promise<StoredKpiValue[]>;

  /**
   * The contracted tariff list, written in one transaction (all or nothing): a row replaces a stored one with
   * the same provider, category, product and valid_from. `by` says who entered them, when and from which
   * source; a row may carry its own (migration).
   */
  saveTariffs(rows: readonly (ContractedTariff & Partial<TariffEntry>)[], by: TariffEntry): Promise<void>;
  /** Stored contracted tariffs, by category, product, provider and valid_from. */
  tariffs(q?: TariffQuery): Promise<StoredTariff[]>;

  /** Stores a published forecast (all its rows, one transaction); returns its id. Append-only. */
  addForecastVintage(v: NewForecastVintage): Promise<number>;
  /** Published forecasts of a year, oldest first (rows for the scopes asked for, or all). */
  forecastVintages(q: { year: number; scopes?: string[]; id?: number }): Promise<ForecastVintageRow[]>;
  /**
   * The provider register (AGB code → name, KvK, type of care), written in one transaction (all or nothing):
   * a row replaces a stored one with the same AGB code; a row may carry its own source and entry (migration).
   */
  saveProviders(rows: readonly (Provider & Partial<ProviderEntry>)[], by: ProviderEntry): Promise<void>;
  /** The stored provider register, by name. */
  providers(): Promise<StoredProvider[]>;

  /** Marks a special case by hand (client pseudonym, family key or allocation); returns its id. */
  addSpecialCase(c: SpecialCaseInput): Promise<number>;
  /** Stamps an active case as removed (only in `municipalities` when given); false when there is none. */
  removeSpecialCase(id: number, by: string, at: string, municipalities?: string[]): Promise<boolean>;
  /** Hand-marked special cases (active ones unless `includeRemoved`). */
  markedSpecialCases(q?: SpecialCaseQuery): Promise<MarkedSpecialCase[]>;
  /** Per active hand-marked case: its net declared amount (on or before asOf) and what was declared after `after`. */
  markedCaseCosts(q?: { municipalities?: string[]; asOf?: IsoDate; after?: IsoDate }): Promise<MarkedCaseCost[]>;
  /** Providers' year-end statements, one transaction (all or nothing); a row replaces one with the same key. */
  saveStatements(rows: readonly (StatementRow & Partial<StatementEntry>)[], by: StatementEntry): Promise<void>;
  statements(q?: { year?: number; providers?: string[] }): Promise<StoredStatementRow[]>;

  readonly engine: string;
  /** Files already imported with these contents (idempotency): SHA-256 → file name. */
  findFilesBySha(sha256s: string[]): Promise<Map<string, string>>;
  /** Opens an import transaction. Only one may be open at a time. */
  beginImport(): Promise<ImportSession>;
  /** Recomputes derived data (referrers, business-rule findings) after imports. */
  refreshDerived(): Promise<void>;

  costs(q: CostQuery): Promise<CostRow[]>;
  runoff(q: RunoffQuery): Promise<RunoffCell[]>;
  clientsByMonth(q: RunoffQuery): Promise<ClientMonthRow[]>;
  activeAllocations(q: { from: MonthKey; to: MonthKey; asOf?: IsoDate; municipalities?: string[] }): Promise<ActiveAllocationRow[]>;
  status(): Promise<StatusReport>;
  /** Changes whenever the ledger or a derived table changes (an import, a rebuild): a key for caches and vintages. */
  dataVersion(): Promise<string>;
  lineage(q: { municipality?: string; month?: MonthKey; category?: string; provider?: string; product?: string; limit?: number }): Promise<LineageRow[]>;

  /** Raw rows of a ledger table for files with ids in [fromId, toId], in table column order (for `grip migrate`). */
  rawRows(table: LedgerTable, fromId: number, toId: number): Promise<RawValue[][]>;
  /** Loads raw rows into an empty warehouse in one transaction (for `grip migrate`). */
  loadRaw(batches: AsyncIterable<{ table: LedgerTable; rows: RawValue[][] }>): Promise<void>;
  /** Per source file: id, name, number of declaration lines and their net total. */
  fileTotals(): Promise<{ id: number; name: string; lines: number; amountCents: Cents }[]>;

  municipalities(): Promise<RegionMunicipality[]>;
  upsertMunicipalities(rows: RegionMunicipality[]): Promise<void>;

  close(): Promise<void>;
}

export type LedgerTable = 'source_files' | 'declaration_lines' | 'declaration_answers' | 'allocations' | 'care_events' | 'requests';
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
}
