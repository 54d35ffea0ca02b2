/**
 * The engine-neutral part of the warehouse: migrations, derived tables and every read query, written once
 * in the SQL that DuckDB and PostgreSQL share. Engines add connection handling and bulk loading.
 */
import { ZHZ_MUNICIPALITIES, cbsMunicipality, type RegionMunicipality } from '../../domain/codes/index.js';
import { MIGRATIONS, RULES, SCHEMA_VERSION } from '../migrations.js';
import { ADD_RUNOFF_CELLS, REBUILD_RUNOFF_CELLS, REFRESH_DERIVED, clientsByMonthSql, costsSql, runoffSql, whereLines, LEDGER_FROM, REFERRER_EXPR } from './queries.js';
import type {
  ForecastVintageRow,
  NewForecastVintage,
  ActiveAllocationRow,
  ClientMonthRow,
  CostQuery,
  CostRow,
  ImportSession,
  LineageRow,
  MessageType,
  RunoffCell,
  RunoffQuery,
  StatusReport,
  AuditEntry,
  AuditQuery,
  LedgerTable,
  RawValue,
  Role,
  SessionRecord,
  UserRecord,
  Warehouse,
} from '../warehouse.js';
import { LEDGER_TABLES, type TableSpec } from './rows.js';
import { dataQuality as dataQualitySql, decompositionInputs } from './insight.js';
import * as insight from './insight.js';
import type { ClientCostRow, FamilyCosts, FamilyQuery } from '../../domain/insight/families.js';
import type { FlowRow, JourneyEvent, JourneyQuery, ReEntryRow, WaitingRow } from '../../domain/insight/journeys.js';
import type { IsoDate } from '../../domain/month.js';
import { coronaInputs as coronaInputsSql, type CoronaInputQuery } from './corona.js';
import * as steering from './steering.js';
import * as decisions from './decisions.js';
import * as tariffs from './tariffs.js';
import * as vintages from './vintages.js';
import * as providerRegister from './providers.js';
import * as specialCaseStore from './special-cases.js';
import * as statementStore from './statements.js';
import type { Commitment, DecisionCase, Reaction, Vote } from '../../domain/decisions/types.js';
import type { KpiDefinition } from '../../domain/steering/kpi.js';
import type { DriverInputQuery, DriverInputs } from '../../domain/insight/decomposition.js';
import type { DataQualityQuery, DataQualityReport } from '../../domain/insight/quality.js';
import type { CoronaInputRow } from '../../domain/decisions/corona.js';

export type Param = string | number | boolean | null;
/** Runs one read query; given to the query modules in sql/ so their SQL stays inside warehouse/. */
export type SqlRunner = (sql: string, params?: Param[]) => Promise<Record<string, unknown>[]>;
export const num = (v: unknown): number => (v === null || v === undefined ? 0 : typeof v === 'bigint' ? Number(v) : Number(v));
export const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
export const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function toUser(r: Record<string, unknown>): UserRecord {
  return {
    username: str(r.username),
    passwordHash: str(r.password_hash),
    role: str(r.role) as Role,
    municipalities: str(r.municipalities).split(',').filter(Boolean),
    organisation: strOrNull(r.organisation),
    disabled: Boolean(r.disabled),
    createdAt: str(r.created_at),
    updatedAt: str(r.updated_at),
  };
}

export abstract class SqlWarehouse implements Warehouse {
  abstract readonly engine: string;
  abstract readonly location: string;
  protected abstract all(sql: string, params?: Param[]): Promise<Record<string, unknown>[]>;
  protected abstract exec(sql: string, params?: Param[]): Promise<void>;
  abstract beginImport(): Promise<ImportSession>;
  abstract close(): Promise<void>;

  protected async transaction<T>(fn: () => Promise<T>): Promise<T> {
    await this.exec('BEGIN');
    try {
      const r = await fn();
      await this.exec('COMMIT');
      return r;
    } catch (e) {
      await this.exec('ROLLBACK');
      throw e;
    }
  }

  protected async migrate(): Promise<void> {
    await this.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at VARCHAR NOT NULL)`);
    const done = new Set((await this.all(`SELECT version FROM schema_migrations`)).map((r) => num(r.version)));
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      await this.transaction(async () => {
        for (const s of [...m.sql, ...(m.engine?.[this.engine] ?? [])]) await this.exec(s);
        if (m.version === 1) await this.seedMunicipalities();
        await this.exec(`INSERT INTO schema_migrations VALUES ($1, $2, $3)`, [m.version, m.name, new Date().toISOString()]);
      });
    }
  }

  protected async seedMunicipalities(): Promise<void> {
    for (const m of ZHZ_MUNICIPALITIES) {
      await this.exec(`INSERT INTO municipalities VALUES ($1, $2, $3, $4, $5, TRUE)`, [m.code, m.name, m.inhabitants, m.youths, m.approximate]);
    }
  }

  async findFilesBySha(sha256s: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let i = 0; i < sha256s.length; i += 500) {
      const chunk = sha256s.slice(i, i + 500);
      const rows = await this.all(`SELECT sha256, name FROM source_files WHERE sha256 IN (${chunk.map((_, k) => `$${k + 1}`).join(', ')})`, chunk);
      for (const r of rows) out.set(str(r.sha256), str(r.name));
    }
    return out;
  }


  /** Declarations in files with id ≥ firstId that repeat a declaration of an earlier file. */
  protected async findDuplicateDeclarations(firstId: number) {
    // Per declaration of the new files, a probe for an earlier file with the same declaration (index
    // (municipality, provider, declaration_number) on PostgreSQL), not a DISTINCT over the whole line table:
    // that took minutes per import session at national size on PostgreSQL.
    const rows = await this.all(
      `SELECT x.file_id, x.declaration_number, x.provider, x.municipality, x.other
         FROM (SELECT n.file_id, n.declaration_number, n.provider, n.municipality,
                      (SELECT MIN(f.name) FROM declaration_lines o JOIN source_files f ON f.id = o.file_id
                        WHERE o.municipality = n.municipality AND o.provider = n.provider
                          AND o.declaration_number = n.declaration_number AND o.file_id < n.file_id) AS other
                 FROM (SELECT DISTINCT file_id, municipality, provider, declaration_number FROM declaration_lines WHERE file_id >= $1) n) x
        WHERE x.other IS NOT NULL`,
      [firstId],
    );
    return rows.map((r) => ({
      fileId: num(r.file_id),
      declarationNumber: str(r.declaration_number),
      provider: str(r.provider),
      municipality: str(r.municipality),
      otherFile: str(r.other),
    }));
  }

  abstract loadRaw(batches: AsyncIterable<{ table: LedgerTable; rows: RawValue[][] }>): Promise<void>;

  async rawRows(table: LedgerTable, fromId: number, toId: number): Promise<RawValue[][]> {
    const spec = LEDGER_TABLES[table] as TableSpec<unknown>;
    const key = table === 'source_files' ? 'id' : 'file_id';
    const order = table === 'source_files' ? 'id' : 'file_id, seq';
    const rows = await this.all(
      `SELECT ${spec.columns.map((c) => c.name).join(', ')} FROM ${table} WHERE ${key} BETWEEN $1 AND $2 ORDER BY ${order}`,
      [fromId, toId],
    );
    return rows.map((r) =>
      spec.columns.map((c) => {
        const v = r[c.name];
        if (v === null || v === undefined) return null;
        if (c.type === 'big' || c.type === 'int') return num(v);
        if (c.type === 'bool') return Boolean(v);
        return String(v);
      }),
    );
  }

  async fileTotals(): Promise<{ id: number; name: string; lines: number; amountCents: number }[]> {
    const rows = await this.all(
      `SELECT f.id, f.name, COUNT(l.seq) AS lines, COALESCE(SUM(l.amount_cents), 0) AS cents
         FROM source_files f LEFT JOIN declaration_lines l ON l.file_id = f.id GROUP BY f.id, f.name ORDER BY f.id`,
    );
    return rows.map((r) => ({ id: num(r.id), name: str(r.name), lines: num(r.lines), amountCents: num(r.cents) }));
  }

  async getUser(username: string): Promise<UserRecord | null> {
    const rows = await this.all(`SELECT * FROM users WHERE username = $1`, [username]);
    return rows.length ? toUser(rows[0]) : null;
  }

  async listUsers(): Promise<UserRecord[]> {
    return (await this.all(`SELECT * FROM users ORDER BY username`)).map(toUser);
  }

  async saveUser(u: UserRecord): Promise<void> {
    await this.transaction(async () => {
      await this.exec(`DELETE FROM users WHERE username = $1`, [u.username]);
      await this.exec(`INSERT INTO users VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [
        u.username,
        u.passwordHash,
        u.role,
        u.municipalities.join(','),
        u.organisation,
        u.disabled,
        u.createdAt,
        u.updatedAt,
      ]);
    });
  }

  async saveSession(s: SessionRecord): Promise<void> {
    await this.exec(`INSERT INTO sessions VALUES ($1, $2, $3, $4, $5)`, [s.idHash, s.username, s.csrfToken, s.createdAt, s.expiresAt]);
  }

  async getSession(idHash: string): Promise<SessionRecord | null> {
    const r = (await this.all(`SELECT * FROM sessions WHERE id_hash = $1`, [idHash]))[0];
    return r ? { idHash: str(r.id_hash), username: str(r.username), csrfToken: str(r.csrf_token), createdAt: str(r.created_at), expiresAt: str(r.expires_at) } : null;
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.exec(`DELETE FROM sessions WHERE id_hash = $1`, [idHash]);
  }

  async deleteExpiredSessions(now: string): Promise<void> {
    await this.exec(`DELETE FROM sessions WHERE expires_at <= $1`, [now]);
  }

  async appendAudit(e: AuditEntry): Promise<void> {
    await this.exec(`INSERT INTO audit_log VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [
      e.at,
      e.username,
      e.role,
      e.action,
      e.clients.join(' '),
      e.purpose,
      e.municipality,
      e.detail,
    ]);
  }

  async audit(q: AuditQuery): Promise<AuditEntry[]> {
    const w: string[] = [];
    const params: Param[] = [];
    const p = (v: Param) => (params.push(v), `$${params.length}`);
    if (q.username) w.push(`username = ${p(q.username)}`);
    if (q.client) w.push(`(' ' || clients || ' ') LIKE ${p(`% ${q.client} %`)}`);
    if (q.from) w.push(`logged_at >= ${p(q.from)}`);
    if (q.to) w.push(`logged_at <= ${p(q.to)}`);
    const rows = await this.all(`SELECT * FROM audit_log ${w.length ? `WHERE ${w.join(' AND ')}` : ''} ORDER BY logged_at DESC LIMIT ${p(q.limit ?? 1000)}`, params);
    return rows.map((r) => ({
      at: str(r.logged_at),
      username: str(r.username),
      role: str(r.role),
      action: str(r.action),
      clients: str(r.clients).split(' ').filter(Boolean),
      purpose: strOrNull(r.purpose),
      municipality: strOrNull(r.municipality),
      detail: strOrNull(r.detail),
    }));
  }

  driverInputs(q: DriverInputQuery): Promise<DriverInputs> {
    return decompositionInputs((sql, p) => this.all(sql, p), q);
  }

  dataQuality(q: DataQualityQuery): Promise<DataQualityReport> {
    return dataQualitySql((sql, p) => this.all(sql, p), q);
  }

  familyCosts(q: FamilyQuery): Promise<FamilyCosts> {
    return insight.familyCosts((sql, p) => this.all(sql, p), q);
  }

  topClients(q: Omit<FamilyQuery, 'minChildren'>): Promise<ClientCostRow[]> {
    return insight.topClients((sql, p) => this.all(sql, p), q);
  }

  specialCaseRunoff(q: FamilyQuery & { asOf?: IsoDate }): Promise<RunoffCell[]> {
    return insight.specialCaseRunoff((sql, p) => this.all(sql, p), q);
  }

  journeyFlows(q: JourneyQuery): Promise<FlowRow[]> {
    return insight.journeyFlows((sql, p) => this.all(sql, p), q);
  }

  requestToStart(q: JourneyQuery): Promise<WaitingRow[]> {
    return insight.requestToStart((sql, p) => this.all(sql, p), q);
  }

  reEntries(q: JourneyQuery): Promise<ReEntryRow[]> {
    return insight.reEntries((sql, p) => this.all(sql, p), q);
  }

  clientJourney(q: { client: string; municipalities?: string[] }): Promise<JourneyEvent[]> {
    return insight.clientJourney((sql, p) => this.all(sql, p), q);
  }

  coronaInputs(q: CoronaInputQuery): Promise<CoronaInputRow[]> {
    return coronaInputsSql((sql, p) => this.all(sql, p), q);
  }

  saveDecisionCase(c: DecisionCase, by: string): Promise<void> {
    return this.transaction(() => decisions.saveDecisionCase((sql, p) => this.exec(sql, p), c, by, new Date().toISOString()));
  }

  decisionCases(): Promise<decisions.DecisionCaseSummary[]> {
    return decisions.decisionCaseSummaries((sql, p) => this.all(sql, p));
  }

  decisionCase(id: string): Promise<DecisionCase | null> {
    return decisions.decisionCase((sql, p) => this.all(sql, p), id);
  }

  addDecisionPoint(p: decisions.NewViewPoint): Promise<string> {
    return this.transaction(() => decisions.addViewPoint((sql, q) => this.all(sql, q), (sql, q) => this.exec(sql, q), p));
  }

  saveDecisionReaction(proposalId: string, r: Reaction): Promise<void> {
    return this.transaction(() => decisions.saveReaction((sql, q) => this.all(sql, q), (sql, q) => this.exec(sql, q), proposalId, r));
  }

  saveDecisionCommitment(proposalId: string, c: Commitment): Promise<void> {
    return this.transaction(() => decisions.saveCommitment((sql, q) => this.all(sql, q), (sql, q) => this.exec(sql, q), proposalId, c));
  }

  createDecisionCase(c: DecisionCase, by: string): Promise<void> {
    return this.transaction(() => decisions.createDecisionCase((sql, q) => this.all(sql, q), (sql, q) => this.exec(sql, q), c, by, new Date().toISOString()));
  }

  saveDecisionVote(proposalId: string, v: Vote, date?: IsoDate): Promise<void> {
    return this.transaction(() => decisions.saveVote((sql, q) => this.all(sql, q), (sql, q) => this.exec(sql, q), proposalId, v, date));
  }

  decisionCommitments(q?: { proposalIds?: string[] }): Promise<decisions.StoredCommitment[]> {
    return decisions.commitments((sql, p) => this.all(sql, p), q);
  }

  saveSteering(b: steering.SteeringBatch): Promise<void> {
    return this.transaction(() => steering.saveSteering((sql, p) => this.all(sql, p), (sql, p) => this.exec(sql, p), b));
  }

  budgetEntries(q?: steering.BudgetEntryQuery): Promise<steering.BudgetEntry[]> {
    return steering.budgetEntries((sql, p) => this.all(sql, p), q);
  }

  localProvisions(q?: steering.BudgetEntryQuery): Promise<steering.LocalProvisionLine[]> {
    return steering.localProvisions((sql, p) => this.all(sql, p), q);
  }

  measures(q?: { ids?: string[] }): Promise<steering.StoredMeasure[]> {
    return steering.measures((sql, p) => this.all(sql, p), q);
  }

  savingsTargets(q?: { year?: number }): Promise<steering.StoredSavingsTarget[]> {
    return steering.savingsTargets((sql, p) => this.all(sql, p), q);
  }

  kpiDefinitions(): Promise<KpiDefinition[]> {
    return steering.kpiDefinitions((sql, p) => this.all(sql, p));
  }

  kpiValues(q?: { kpiId?: string; scopes?: string[]; latestOnly?: boolean }): Promise<steering.StoredKpiValue[]> {
    return steering.kpiValues((sql, p) => this.all(sql, p), q);
  }

  saveTariffs(rows: readonly (tariffs.ContractedTariff & Partial<tariffs.TariffEntry>)[], by: tariffs.TariffEntry): Promise<void> {
    return this.transaction(() => tariffs.saveTariffs((sql, p) => this.exec(sql, p), rows, by));
  }

  tariffs(q?: tariffs.TariffQuery): Promise<tariffs.StoredTariff[]> {
    return tariffs.tariffs((sql, p) => this.all(sql, p), q);
  }

  addForecastVintage(v: NewForecastVintage): Promise<number> {
    return this.transaction(() => vintages.addForecastVintage((sql, p) => this.all(sql, p), (sql, p) => this.exec(sql, p), v));
  }

  forecastVintages(q: { year: number; scopes?: string[]; id?: number }): Promise<ForecastVintageRow[]> {
    return vintages.forecastVintages((sql, p) => this.all(sql, p), q);
  }

  saveProviders(rows: readonly (providerRegister.Provider & Partial<providerRegister.ProviderEntry>)[], by: providerRegister.ProviderEntry): Promise<void> {
    return this.transaction(() => providerRegister.saveProviders((sql, p) => this.exec(sql, p), rows, by));
  }

  providers(): Promise<providerRegister.StoredProvider[]> {
    return providerRegister.providers((sql, p) => this.all(sql, p));
  }

  reservations(q?: steering.BudgetEntryQuery): Promise<steering.Reservation[]> {
    return steering.reservations((sql, p) => this.all(sql, p), q);
  }

  /** Special cases change what the forecast shows apart: readers see a new data version. */
  addSpecialCase(c: specialCaseStore.SpecialCaseInput): Promise<number> {
    return this.transaction(async () => {
      const id = await specialCaseStore.addSpecialCase((sql, p) => this.all(sql, p), (sql, p) => this.exec(sql, p), c);
      await this.exec(`UPDATE data_version SET version = version + 1`);
      return id;
    });
  }

  removeSpecialCase(id: number, by: string, at: string, municipalities?: string[]): Promise<boolean> {
    return this.transaction(async () => {
      const ok = await specialCaseStore.removeSpecialCase((sql, p) => this.all(sql, p), (sql, p) => this.exec(sql, p), id, by, at, municipalities);
      if (ok) await this.exec(`UPDATE data_version SET version = version + 1`);
      return ok;
    });
  }

  markedSpecialCases(q?: specialCaseStore.SpecialCaseQuery): Promise<specialCaseStore.MarkedSpecialCase[]> {
    return specialCaseStore.specialCases((sql, p) => this.all(sql, p), q);
  }

  markedCaseCosts(q?: { municipalities?: string[]; asOf?: IsoDate; after?: IsoDate }): Promise<specialCaseStore.MarkedCaseCost[]> {
    return specialCaseStore.markedCaseCosts((sql, p) => this.all(sql, p), q);
  }

  saveStatements(rows: readonly (statementStore.StatementRow & Partial<statementStore.StatementEntry>)[], by: statementStore.StatementEntry): Promise<void> {
    return this.transaction(() => statementStore.saveStatements((sql, p) => this.exec(sql, p), rows, by));
  }

  statements(q?: { year?: number; providers?: string[] }): Promise<statementStore.StoredStatementRow[]> {
    return statementStore.statements((sql, p) => this.all(sql, p), q);
  }

  protected async nextFileId(): Promise<number> {
    return num((await this.all(`SELECT COALESCE(MAX(id), 0) + 1 AS next FROM source_files`))[0].next);
  }

  async refreshDerived(): Promise<void> {
    await this.transaction(async () => {
      for (const s of REFRESH_DERIVED) await this.exec(s);
      for (const s of REBUILD_RUNOFF_CELLS) await this.exec(s);
      // Derived tables changed: readers (in any process) see a new data version.
      await this.exec(`UPDATE data_version SET version = version + 1`);
    });
    this.readCache.clear();
  }

  /** Import sessions call this inside their transaction, before COMMIT, with their first file id. */
  protected async addRunoffCells(firstFileId: number): Promise<void> {
    await this.exec(ADD_RUNOFF_CELLS, [firstFileId]);
  }

  /** loadRaw calls this inside its transaction, after the rows are in. */
  protected async rebuildRunoffCells(): Promise<void> {
    for (const s of REBUILD_RUNOFF_CELLS) await this.exec(s);
  }

  /*
   * Read cache for the heavy ledger aggregates (costs, run-off, status): the ledger changes only through
   * imports (new source_files rows, ids always growing) and refreshDerived (data_version), so a result is
   * reused while `MAX(source_files.id)` and `data_version` are unchanged — two index/one-row reads, also
   * correct when another process imports (PostgreSQL). Off while this warehouse has an import open (its
   * own uncommitted rows are visible on the import's connection).
   */
  private readCache = new Map<string, { version: string; result: Promise<unknown> }>();
  private readCacheSuspended = false;
  private static readonly READ_CACHE_MAX = 2_000;

  protected suspendReadCache(): void {
    this.readCacheSuspended = true;
    this.readCache.clear();
  }

  protected resumeReadCache(): void {
    this.readCacheSuspended = false;
    this.readCache.clear();
  }

  async dataVersion(): Promise<string> {
    const r = (await this.all(`SELECT (SELECT MAX(id) FROM source_files) AS f, (SELECT MAX(version) FROM data_version) AS d`))[0];
    return `${str(r.f)}|${str(r.d)}`;
  }

  protected async readCached<T>(key: string, fn: () => Promise<T>): Promise<T> {
    if (this.readCacheSuspended) return fn();
    const version = await this.dataVersion();
    const hit = this.readCache.get(key);
    if (hit && hit.version === version) return hit.result as Promise<T>;
    if (this.readCache.size >= SqlWarehouse.READ_CACHE_MAX) this.readCache.clear();
    const result = fn();
    this.readCache.set(key, { version, result });
    result.catch(() => this.readCache.delete(key));
    return result;
  }

  async costs(q: CostQuery): Promise<CostRow[]> {
    // Callers may change the rows they get: each gets its own copies of the cached result.
    const rows = await this.readCached(`costs:${JSON.stringify(q)}`, async () => {
      const b = costsSql(q);
      return this.all(b.sql, b.params);
    });
    return rows.map((r) => {
      const out: CostRow = { amountCents: num(r.amount_cents), clients: num(r.clients), lines: num(r.lines), units: num(r.units) };
      for (const d of q.by) out[d] = str(r[d]);
      return out;
    });
  }

  async runoff(q: RunoffQuery): Promise<RunoffCell[]> {
    const rows = await this.readCached(`runoff:${JSON.stringify(q)}`, async () => {
      const b = runoffSql(q);
      return this.all(b.sql, b.params);
    });
    return rows.map((r) => ({
      municipality: str(r.municipality),
      month: str(r.month),
      declarationMonth: str(r.declaration_month),
      declarationDate: str(r.declaration_date),
      amountCents: num(r.amount_cents),
    }));
  }

  async clientsByMonth(q: RunoffQuery): Promise<ClientMonthRow[]> {
    const b = clientsByMonthSql(q);
    return (await this.all(b.sql, b.params)).map((r) => ({ municipality: str(r.municipality), month: str(r.month), clients: num(r.clients) }));
  }

  async activeAllocations(q: { from: string; to: string; asOf?: string; municipalities?: string[] }): Promise<ActiveAllocationRow[]> {
    const params: Param[] = [q.from, q.to];
    let extra = '';
    if (q.asOf) {
      params.push(q.asOf);
      extra += ` AND a.allocation_date <= $${params.length}`;
    }
    if (q.municipalities) {
      extra += ` AND a.municipality IN (${q.municipalities.map((m) => (params.push(m), `$${params.length}`)).join(', ') || "''"})`;
    }
    const asOfStop = q.asOf ? `AND s.file_id IN (SELECT id FROM source_files WHERE message_date <= $3)` : '';
    const rows = await this.all(
      `WITH months AS (
         SELECT DISTINCT month FROM declaration_lines WHERE month BETWEEN $1 AND $2
       ), alloc AS (
         SELECT a.municipality, a.provider, a.allocation_number, a.client, a.start_date,
                LEAST(COALESCE(a.end_date, '9999-12-31'),
                      COALESCE((SELECT MIN(s.event_date) FROM care_events s
                                 WHERE s.kind = 'stop' AND s.municipality = a.municipality AND s.provider = a.provider
                                   AND s.allocation_number = a.allocation_number ${asOfStop}), '9999-12-31')) AS end_date
           FROM allocations a WHERE 1 = 1 ${extra}
       )
       SELECT al.municipality, m.month, COUNT(DISTINCT al.provider || '/' || al.allocation_number) AS allocations,
              COUNT(DISTINCT al.client) AS clients
         FROM months m JOIN alloc al ON SUBSTR(al.start_date, 1, 7) <= m.month AND SUBSTR(al.end_date, 1, 7) >= m.month
        GROUP BY 1, 2 ORDER BY 1, 2`,
      params,
    );
    return rows.map((r) => ({ municipality: str(r.municipality), month: str(r.month), allocations: num(r.allocations), clients: num(r.clients) }));
  }

  async status(): Promise<StatusReport> {
    const st = await this.readCached('status', () => this.statusUncached());
    return { ...st, files: st.files.map((f) => ({ ...f })), findings: st.findings.map((f) => ({ ...f })) };
  }

  private async statusUncached(): Promise<StatusReport> {
    const files = await this.all(`SELECT message_type, COUNT(*) AS files, SUM(line_count) AS lines FROM source_files GROUP BY 1 ORDER BY 1`);
    const agg = (
      await this.all(`SELECT COUNT(*) AS n, COALESCE(SUM(amount_cents), 0) AS total, COUNT(DISTINCT client) AS clients,
              MIN(month) AS first_month, MAX(month) AS last_month, MAX(declaration_date) AS last_decl FROM declaration_lines`)
    )[0];
    const last = (await this.all(`SELECT MAX(imported_at) AS t FROM source_files`))[0];
    const findings = await this.all(
      `SELECT f.rule, COUNT(*) AS n, COALESCE(SUM(l.amount_cents), 0) AS cents
         FROM findings f JOIN declaration_lines l ON l.file_id = f.file_id AND l.seq = f.seq GROUP BY 1 ORDER BY 1`,
    );
    const unknown = (
      await this.all(`SELECT COUNT(*) AS n FROM ${LEDGER_FROM} WHERE ${REFERRER_EXPR} = 'onbekend'`)
    )[0];
    const rejected = (
      await this.all(`SELECT COUNT(*) AS n, COALESCE(SUM(l.amount_cents), 0) AS cents FROM rejected_lines x
                        JOIN declaration_lines l ON l.file_id = x.file_id AND l.seq = x.seq`)
    )[0];
    return {
      engine: this.engine,
      location: this.location,
      schemaVersion: SCHEMA_VERSION,
      files: files.map((r) => ({ messageType: str(r.message_type) as MessageType, files: num(r.files), lines: num(r.lines) })),
      declarationLines: num(agg.n),
      totalCents: num(agg.total),
      clients: num(agg.clients),
      firstMonth: strOrNull(agg.first_month),
      lastMonth: strOrNull(agg.last_month),
      lastDeclarationDate: strOrNull(agg.last_decl),
      lastImport: strOrNull(last.t),
      findings: findings.map((r) => ({ rule: str(r.rule), description: RULES[str(r.rule)] ?? '', lines: num(r.n), amountCents: num(r.cents) })),
      unknownReferrerLines: num(unknown.n),
      rejectedLines: num(rejected.n),
      rejectedCents: num(rejected.cents),
    };
  }

  async lineage(q: { municipality?: string; month?: string; category?: string; provider?: string; product?: string; limit?: number }): Promise<LineageRow[]> {
    const params: (string | number)[] = [];
    const where = whereLines({ municipalities: q.municipality ? [q.municipality] : undefined, month: q.month, category: q.category, provider: q.provider, product: q.product }, params);
    params.push(q.limit ?? 100);
    const rows = await this.all(
      `SELECT l.file_id, f.name AS file_name, l.source_line, l.declaration_number, l.reference_number, l.client, l.month,
              l.declaration_date, l.category, l.product_code, l.provider, l.amount_cents,
              (SELECT STRING_AGG(x.rule, ' ') FROM findings x WHERE x.file_id = l.file_id AND x.seq = l.seq) AS rules
         FROM declaration_lines l JOIN source_files f ON f.id = l.file_id ${where}
        ORDER BY l.month, l.file_id, l.seq LIMIT $${params.length}`,
      params,
    );
    return rows.map((r) => ({
      fileId: num(r.file_id),
      fileName: str(r.file_name),
      sourceLine: num(r.source_line),
      declarationNumber: str(r.declaration_number),
      referenceNumber: str(r.reference_number),
      client: str(r.client),
      month: str(r.month),
      declarationDate: str(r.declaration_date),
      category: str(r.category),
      productCode: strOrNull(r.product_code),
      provider: str(r.provider),
      amountCents: num(r.amount_cents),
      findings: r.rules ? str(r.rules).split(' ') : [],
    }));
  }

  async municipalities(): Promise<RegionMunicipality[]> {
    const rows = await this.all(`SELECT code, name, inhabitants, youths, approximate FROM municipalities WHERE in_region ORDER BY name`);
    return rows.map((r) => ({ code: str(r.code), name: str(r.name), inhabitants: num(r.inhabitants), youths: num(r.youths), approximate: Boolean(r.approximate) }));
  }

  async upsertMunicipalities(rows: RegionMunicipality[]): Promise<void> {
    await this.transaction(async () => {
      for (const m of rows) {
        await this.exec(`DELETE FROM municipalities WHERE code = $1`, [m.code]);
        await this.exec(`INSERT INTO municipalities VALUES ($1, $2, $3, $4, $5, TRUE)`, [
          m.code,
          m.name || cbsMunicipality(m.code)?.name || m.code,
          m.inhabitants,
          m.youths,
          m.approximate,
        ]);
      }
    });
  }

}
