/**
 * The engine-neutral part of the warehouse: migrations, the ledger (derived tables and its read queries, with a
 * read cache) and the assembly of the shared repositories (access, region, insight, decisions, steering,
 * tariffs, providers, special cases, statements, forecast vintages — one module each in sql/), all in the SQL that DuckDB and PostgreSQL
 * share. Engines add connection handling, transactions on their connection and bulk loading.
 */
import { MIGRATIONS, SCHEMA_VERSION } from '../migrations.js';
import { FINDING_RULES } from '../../domain/findings.js';
import { at } from '../../domain/indexing.js';
import {
  ADD_RUNOFF_CELLS,
  DERIVED_SINCE,
  REBUILD_ALLOCATION_REFERRERS,
  REBUILD_RUNOFF_CELLS,
  REFRESH_DERIVED,
  clientsByMonthSql,
  costsSql,
  runoffSql,
  whereLines,
  LEDGER_FROM,
  REFERRER_EXPR,
} from './queries.js';
import type {
  AccessRepository,
  ActiveAllocationRow,
  ClientMonthRow,
  CostQuery,
  CostRow,
  DecisionRepository,
  ExportRepository,
  ForecastVintageRepository,
  ImportSession,
  InsightRepository,
  LedgerRepository,
  LedgerTable,
  LineageRow,
  MessageType,
  ProviderRepository,
  RawValue,
  RegionRepository,
  RunoffCell,
  RunoffQuery,
  SpecialCaseRepository,
  StatementRepository,
  StatusReport,
  SteeringRepository,
  TariffRepository,
} from '../warehouse.js';
import { LEDGER_TABLES, type TableSpec } from './rows.js';
import { num, str, strOrNull, type Param, type SqlDb } from './run.js';
import { accessRepository } from './access.js';
import { regionRepository, seedMunicipalities } from './region.js';
import { insightRepository } from './insight.js';
import { decisionRepository } from './decisions.js';
import { steeringRepository } from './steering.js';
import { tariffRepository } from './tariffs.js';
import { providerRepository } from './providers.js';
import { forecastVintageRepository } from './vintages.js';
import { specialCaseRepository } from './special-cases.js';
import { statementRepository } from './statements.js';
import { exportRepository, recordExport } from './exports.js';
import type { ExportRecord, ReplacedLines } from '../types.js';

/** The repositories every engine shares as they are, built on its connection. */
export type SharedRepositories = RegionRepository &
  AccessRepository &
  InsightRepository &
  DecisionRepository &
  SteeringRepository &
  TariffRepository &
  ProviderRepository &
  SpecialCaseRepository &
  StatementRepository &
  ForecastVintageRepository &
  ExportRepository;

export abstract class SqlWarehouse implements LedgerRepository {
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

  /** The engine's connection as the shared repositories see it. */
  protected sqlDb(): SqlDb {
    return {
      all: (sql, p) => this.all(sql, p),
      exec: (sql, p) => this.exec(sql, p),
      transaction: (fn) => this.transaction(fn),
    };
  }

  /** This engine with the shared repositories added: a whole Warehouse (engines' `open` returns this). */
  protected withRepositories(): this & SharedRepositories {
    const db = this.sqlDb();
    const shared: SharedRepositories = {
      ...regionRepository(db),
      ...accessRepository(db),
      ...insightRepository(db),
      ...decisionRepository(db),
      ...steeringRepository(db),
      ...tariffRepository(db),
      ...providerRepository(db),
      ...specialCaseRepository(db),
      ...statementRepository(db),
      ...forecastVintageRepository(db),
      ...exportRepository(db),
    };
    return Object.assign(this, shared);
  }

  /** Import sessions call this inside their transaction, with the export's lines written. */
  protected recordExportIn(fileId: number, rec: ExportRecord): Promise<ReplacedLines> {
    return recordExport(
      (sql, p) => this.all(sql, p),
      (sql, p) => this.exec(sql, p),
      fileId,
      rec,
    );
  }

  protected async migrate(): Promise<void> {
    await this.exec(
      `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at VARCHAR NOT NULL)`,
    );
    const done = new Set((await this.all(`SELECT version FROM schema_migrations`)).map((r) => num(r.version)));
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      await this.transaction(async () => {
        for (const s of [...m.sql, ...(m.engine?.[this.engine] ?? [])]) await this.exec(s);
        if (m.version === 1) await seedMunicipalities((sql, p) => this.exec(sql, p));
        await this.exec(`INSERT INTO schema_migrations VALUES ($1, $2, $3)`, [
          m.version,
          m.name,
          new Date().toISOString(),
        ]);
      });
    }
  }

  async hasSourceFiles(): Promise<boolean> {
    return (await this.all('SELECT 1 AS one FROM source_files LIMIT 1')).length > 0;
  }

  async findFilesBySha(sha256s: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let i = 0; i < sha256s.length; i += 500) {
      const chunk = sha256s.slice(i, i + 500);
      const rows = await this.all(
        `SELECT sha256, name FROM source_files WHERE sha256 IN (${chunk.map((_, k) => `$${k + 1}`).join(', ')})`,
        chunk,
      );
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
        return str(v);
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

  protected async nextFileId(): Promise<number> {
    return num(at(await this.all(`SELECT COALESCE(MAX(id), 0) + 1 AS next FROM source_files`), 0).next);
  }

  /**
   * Brings the derived tables up to the newest file (nothing to do, and no new data version, when they reflect
   * it already: so an import can call this whatever it stored, and one run after a killed import catches up).
   */
  async refreshDerived(): Promise<void> {
    // A cheap look outside the transaction; advanceDerived reads the state again inside it, where another
    // process (PostgreSQL) cannot have moved it meanwhile.
    const { upto, newest } = await this.derivedState();
    if (upto !== 0 && upto === newest) return;
    await this.transaction(async () => {
      await this.advanceDerived();
      // Derived tables changed: readers (in any process) see a new data version.
      await this.exec(`UPDATE data_version SET version = version + 1`);
    });
    this.readCache.clear();
  }

  /** The newest file the derived tables reflect (0: none, rebuild whole) and the newest file there is. */
  private async derivedState(): Promise<{ upto: number; newest: number }> {
    const state = at(
      await this.all(
        `SELECT (SELECT upto FROM derived_state) AS upto, (SELECT COALESCE(MAX(id), 0) FROM source_files) AS newest`,
      ),
      0,
    );
    return { upto: num(state.upto), newest: num(state.newest) };
  }

  /** The whole rebuild of the derived tables (an engine may give its own, with the same rows: queries.ts). */
  protected readonly refreshDerivedSql: readonly string[] = REFRESH_DERIVED;

  /**
   * Brings the derived tables up to the newest file, inside the caller's transaction: from the files they
   * already reflect (derived_state.upto) when that is known, so the work follows the new lines; else whole
   * (a new or upgraded warehouse, or after a case-system export replaced lines), with the run-off cells.
   */
  protected async advanceDerived(): Promise<void> {
    const { upto, newest } = await this.derivedState();
    if (upto === 0) {
      for (const s of this.refreshDerivedSql) await this.exec(s);
      for (const s of REBUILD_RUNOFF_CELLS) await this.exec(s);
    } else if (newest > upto) {
      const has = at(await this.all(DERIVED_SINCE.what, [upto]), 0);
      if (num(has.allocations) || num(has.requests)) {
        for (const s of REBUILD_ALLOCATION_REFERRERS) await this.exec(s);
      }
      if (num(has.lines) || num(has.answers)) await this.exec(DERIVED_SINCE.rejected, [upto]);
      if (num(has.lines)) {
        const d = DERIVED_SINCE;
        for (const s of [d.tr314, d.tr323Resolved, d.tr323, d.tr389Drop, d.tr389]) await this.exec(s, [upto]);
      }
    }
    if (newest !== upto) await this.exec(`UPDATE derived_state SET upto = $1`, [newest]);
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
    const r = at(
      await this.all(`SELECT (SELECT MAX(id) FROM source_files) AS f, (SELECT MAX(version) FROM data_version) AS d`),
      0,
    );
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
      const out: CostRow = {
        amountCents: num(r.amount_cents),
        clients: num(r.clients),
        lines: num(r.lines),
        units: num(r.units),
      };
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
    return (await this.all(b.sql, b.params)).map((r) => ({
      municipality: str(r.municipality),
      month: str(r.month),
      clients: num(r.clients),
    }));
  }

  async activeAllocations(q: {
    from: string;
    to: string;
    asOf?: string;
    municipalities?: string[];
  }): Promise<ActiveAllocationRow[]> {
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
    return rows.map((r) => ({
      municipality: str(r.municipality),
      month: str(r.month),
      allocations: num(r.allocations),
      clients: num(r.clients),
    }));
  }

  async status(): Promise<StatusReport> {
    const st = await this.readCached('status', () => this.statusUncached());
    return { ...st, files: st.files.map((f) => ({ ...f })), findings: st.findings.map((f) => ({ ...f })) };
  }

  private async statusUncached(): Promise<StatusReport> {
    const files = await this.all(
      `SELECT message_type, COUNT(*) AS files, SUM(line_count) AS lines FROM source_files GROUP BY 1 ORDER BY 1`,
    );
    // Aggregates without GROUP BY: always one row.
    const agg = at(
      await this.all(`SELECT COUNT(*) AS n, COALESCE(SUM(amount_cents), 0) AS total, COUNT(DISTINCT client) AS clients,
              MIN(month) AS first_month, MAX(month) AS last_month, MAX(declaration_date) AS last_decl FROM declaration_lines`),
      0,
    );
    const last = at(await this.all(`SELECT MAX(imported_at) AS t FROM source_files`), 0);
    const findings = await this.all(
      `SELECT f.rule, COUNT(*) AS n, COALESCE(SUM(l.amount_cents), 0) AS cents
         FROM findings f JOIN declaration_lines l ON l.file_id = f.file_id AND l.seq = f.seq GROUP BY 1 ORDER BY 1`,
    );
    const unknown = at(
      await this.all(`SELECT COUNT(*) AS n FROM ${LEDGER_FROM} WHERE ${REFERRER_EXPR} = 'onbekend'`),
      0,
    );
    const rejected = at(
      await this.all(`SELECT COUNT(*) AS n, COALESCE(SUM(l.amount_cents), 0) AS cents FROM rejected_lines x
                        JOIN declaration_lines l ON l.file_id = x.file_id AND l.seq = x.seq`),
      0,
    );
    return {
      engine: this.engine,
      location: this.location,
      schemaVersion: SCHEMA_VERSION,
      files: files.map((r) => ({
        messageType: str(r.message_type) as MessageType,
        files: num(r.files),
        lines: num(r.lines),
      })),
      declarationLines: num(agg.n),
      totalCents: num(agg.total),
      clients: num(agg.clients),
      firstMonth: strOrNull(agg.first_month),
      lastMonth: strOrNull(agg.last_month),
      lastDeclarationDate: strOrNull(agg.last_decl),
      lastImport: strOrNull(last.t),
      findings: findings.map((r) => ({
        rule: str(r.rule),
        description: FINDING_RULES[str(r.rule)] ?? '',
        lines: num(r.n),
        amountCents: num(r.cents),
      })),
      unknownReferrerLines: num(unknown.n),
      rejectedLines: num(rejected.n),
      rejectedCents: num(rejected.cents),
    };
  }

  async lineage(q: {
    municipality?: string;
    month?: string;
    category?: string;
    provider?: string;
    product?: string;
    limit?: number;
  }): Promise<LineageRow[]> {
    const params: (string | number)[] = [];
    const where = whereLines(
      {
        municipalities: q.municipality ? [q.municipality] : undefined,
        month: q.month,
        category: q.category,
        provider: q.provider,
        product: q.product,
      },
      params,
    );
    params.push(q.limit ?? 100);
    const rows = await this.all(
      `SELECT l.file_id, f.name AS file_name, l.source_line, l.declaration_number, l.reference_number, l.client, l.month,
              l.declaration_date, l.category, l.product_code, l.provider, l.amount_cents,
              (SELECT STRING_AGG(x.rule, ' ') FROM findings x WHERE x.file_id = l.file_id AND x.seq = l.seq) AS rules,
              (SELECT MIN(s.sheet) FROM export_sheets s WHERE s.file_id = l.file_id AND l.seq BETWEEN s.first_seq AND s.last_seq) AS sheet
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
      sheet: strOrNull(r.sheet),
    }));
  }
}
