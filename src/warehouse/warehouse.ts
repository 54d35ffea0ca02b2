/**
 * The warehouse interface: the one narrow door between Grip and its storage engine, made of repositories —
 * the ledger (imports and the aggregates read from it), the region's municipalities, access (accounts,
 * sessions, audit), steering, decisions, insight, contracted tariffs, the provider register, special cases marked
 * by hand, providers' year-end statements and published forecasts. `Warehouse` is their sum, so callers keep one handle. SQL lives only in the implementations
 * (sql/ for the shared queries, duckdb/ and postgres/ for connections and bulk loading); the record types are
 * in types.ts (re-exported here). Everything here is plain data.
 */
import type { Cents } from '../domain/money.js';
import type { IsoDate, MonthKey } from '../domain/month.js';
import type { RegionMunicipality } from '../domain/codes/index.js';
import type { DriverInputQuery, DriverInputs } from '../domain/insight/decomposition.js';
import type { DataQualityQuery, DataQualityReport } from '../domain/insight/quality.js';
import type { ClientCostRow, FamilyCosts, FamilyQuery } from '../domain/insight/families.js';
import type { FlowRow, JourneyEvent, JourneyQuery, ReEntryRow, WaitingRow } from '../domain/insight/journeys.js';
import type { CoronaInputRow } from '../domain/decisions/corona.js';
import type { Commitment, DecisionCase, Reaction, Vote } from '../domain/decisions/types.js';
import type { KpiDefinition } from '../domain/steering/kpi.js';
import type {
  ActiveAllocationRow,
  AuditEntry,
  AuditQuery,
  BudgetEntry,
  BudgetEntryQuery,
  ClientMonthRow,
  ContractedTariff,
  CoronaInputQuery,
  CostQuery,
  CostRow,
  DecisionCaseSummary,
  ExportFileRow,
  ExportRecordRow,
  StoredMapping,
  ForecastVintageRow,
  ImportSession,
  LedgerTable,
  LineageRow,
  LocalProvisionLine,
  MarkedCaseCost,
  MarkedSpecialCase,
  NewForecastVintage,
  NewViewPoint,
  Provider,
  ProviderEntry,
  RawValue,
  Reservation,
  RunoffCell,
  RunoffQuery,
  SessionRecord,
  SpecialCaseInput,
  SpecialCaseQuery,
  StatementEntry,
  StatementRow,
  StatusReport,
  SteeringBatch,
  StoredCommitment,
  StoredKpiValue,
  StoredMeasure,
  StoredProvider,
  StoredSavingsTarget,
  StoredStatementRow,
  StoredTariff,
  TariffEntry,
  TariffQuery,
  UserRecord,
} from './types.js';

export * from './types.js';

/** The ledger: imports (append-only, one transaction per session), derived tables and the reads over them. */
export interface LedgerRepository {
  /** Files already imported with these contents (idempotency): SHA-256 → file name. */
  findFilesBySha(sha256s: string[]): Promise<Map<string, string>>;
  /** Whether any file has been imported (a first import then need not look its files' contents up). */
  hasSourceFiles(): Promise<boolean>;
  /** Opens an import transaction. Only one may be open at a time. */
  beginImport(): Promise<ImportSession>;
  /** Recomputes derived data (referrers, business-rule findings) after imports. */
  refreshDerived(): Promise<void>;

  costs(q: CostQuery): Promise<CostRow[]>;
  runoff(q: RunoffQuery): Promise<RunoffCell[]>;
  clientsByMonth(q: RunoffQuery): Promise<ClientMonthRow[]>;
  activeAllocations(q: {
    from: MonthKey;
    to: MonthKey;
    asOf?: IsoDate;
    municipalities?: string[];
  }): Promise<ActiveAllocationRow[]>;
  status(): Promise<StatusReport>;
  /** Changes whenever the ledger or a derived table changes (an import, a rebuild): a key for caches and vintages. */
  dataVersion(): Promise<string>;
  lineage(q: {
    municipality?: string;
    month?: MonthKey;
    category?: string;
    provider?: string;
    product?: string;
    limit?: number;
  }): Promise<LineageRow[]>;

  /** Raw rows of a ledger table for files with ids in [fromId, toId], in table column order (for `grip migrate`). */
  rawRows(table: LedgerTable, fromId: number, toId: number): Promise<RawValue[][]>;
  /** Loads raw rows into an empty warehouse in one transaction (for `grip migrate`). */
  loadRaw(batches: AsyncIterable<{ table: LedgerTable; rows: RawValue[][] }>): Promise<void>;
  /** Per source file: id, name, number of declaration lines and their net total. */
  fileTotals(): Promise<{ id: number; name: string; lines: number; amountCents: Cents }[]>;
}

/** The municipalities of the region, with their inhabitants and youths. */
export interface RegionRepository {
  municipalities(): Promise<RegionMunicipality[]>;
  upsertMunicipalities(rows: RegionMunicipality[]): Promise<void>;
  /** The region's name (e.g. "Zuid-Holland Zuid"). */
  regionName(): Promise<string>;
  setRegionName(name: string): Promise<void>;
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
export type AccessRepository = AccessStore;

/** Read-only analyses of the ledger: cost drivers, families, journeys, data quality, corona revenue. */
export interface InsightRepository {
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
}

/** The decision cycle: proposals, councils' views, the nota van reactie, AB votes, commitments. */
export interface DecisionRepository {
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
}

/** Budgets, local provisions, measures, savings targets and KPIs. */
export interface SteeringRepository {
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
}

/** The contracted tariff list. */
export interface TariffRepository {
  /**
   * The contracted tariff list, written in one transaction (all or nothing): a row replaces a stored one with
   * the same provider, category, product and valid_from. `by` says who entered them, when and from which
   * source; a row may carry its own (migration).
   */
  saveTariffs(rows: readonly (ContractedTariff & Partial<TariffEntry>)[], by: TariffEntry): Promise<void>;
  /** Stored contracted tariffs, by category, product, provider and valid_from. */
  tariffs(q?: TariffQuery): Promise<StoredTariff[]>;
}

/** The provider register (AGB code → name, KvK, type of care). */
export interface ProviderRepository {
  /**
   * The provider register, written in one transaction (all or nothing): a row replaces a stored one with the
   * same AGB code; a row may carry its own source and entry (migration).
   */
  saveProviders(rows: readonly (Provider & Partial<ProviderEntry>)[], by: ProviderEntry): Promise<void>;
  /** The stored provider register, by name. */
  providers(): Promise<StoredProvider[]>;
}

/** Special cases (bijzondere casussen) marked by hand; nothing is deleted, removal stamps the case. */
export interface SpecialCaseRepository {
  /** Marks a special case by hand (client pseudonym, family key or allocation); returns its id. */
  addSpecialCase(c: SpecialCaseInput): Promise<number>;
  /** Stamps an active case as removed (only in `municipalities` when given); false when there is none. */
  removeSpecialCase(id: number, by: string, at: string, municipalities?: string[]): Promise<boolean>;
  /** Hand-marked special cases (active ones unless `includeRemoved`). */
  markedSpecialCases(q?: SpecialCaseQuery): Promise<MarkedSpecialCase[]>;
  /** Per active hand-marked case: its net declared amount (on or before asOf) and what was declared after `after`. */
  markedCaseCosts(q?: { municipalities?: string[]; asOf?: IsoDate; after?: IsoDate }): Promise<MarkedCaseCost[]>;
}

/** Providers' year-end production statements. */
export interface StatementRepository {
  /** Providers' year-end statements, one transaction (all or nothing); a row replaces one with the same key. */
  saveStatements(rows: readonly (StatementRow & Partial<StatementEntry>)[], by: StatementEntry): Promise<void>;
  statements(q?: { year?: number; providers?: string[] }): Promise<StoredStatementRow[]>;
}

/** Published forecasts (vintages), append-only. */
export interface ForecastVintageRepository {
  /** Stores a published forecast (all its rows, one transaction); returns its id. Append-only. */
  addForecastVintage(v: NewForecastVintage): Promise<number>;
  /** Published forecasts of a year, oldest first (rows for the scopes asked for, or all). */
  forecastVintages(q: { year: number; scopes?: string[]; id?: number }): Promise<ForecastVintageRow[]>;
}

/** Column mappings for case-system exports, and the record of imported exports. */
export interface ExportRepository {
  /** Saves a column mapping, replacing one with the same name. */
  saveMapping(m: StoredMapping): Promise<void>;
  /** Saved column mappings, by name. */
  mappings(): Promise<StoredMapping[]>;
  /** Imported case-system exports, oldest first. */
  exportFiles(): Promise<ExportFileRow[]>;
  /** The export records as stored, by file id (for `grip migrate`). */
  exportRecords(): Promise<ExportRecordRow[]>;
  /** Writes export records of files already loaded (`grip migrate`), in one transaction. */
  loadExportRecords(rows: readonly ExportRecordRow[]): Promise<void>;
}

/** Every repository behind one handle, on one engine. */
export interface Warehouse
  extends
    LedgerRepository,
    RegionRepository,
    AccessRepository,
    InsightRepository,
    DecisionRepository,
    SteeringRepository,
    TariffRepository,
    ProviderRepository,
    SpecialCaseRepository,
    StatementRepository,
    ForecastVintageRepository,
    ExportRepository {
  readonly engine: string;
  close(): Promise<void>;
}
