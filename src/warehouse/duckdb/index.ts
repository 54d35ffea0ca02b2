/** The embedded warehouse: DuckDB in one local file (default `./grip.duckdb`). */
import { DuckDBAppender, DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { ZHZ_MUNICIPALITIES, cbsMunicipality, type RegionMunicipality } from '../../domain/codes/index.js';
import { GripError } from '../../domain/errors.js';
import { MIGRATIONS, RULES, SCHEMA_VERSION } from '../migrations.js';
import { REFRESH_DERIVED, clientsByMonthSql, costsSql, runoffSql, whereLines, LEDGER_FROM, REFERRER_EXPR } from '../sql/queries.js';
import type {
  ActiveAllocationRow,
  ClientMonthRow,
  CostQuery,
  CostRow,
  ImportSession,
  LineageRow,
  MessageType,
  RowSink,
  RunoffCell,
  RunoffQuery,
  StatusReport,
  Warehouse,
} from '../warehouse.js';

type Param = string | number | boolean | null;
const num = (v: unknown): number => (v === null || v === undefined ? 0 : typeof v === 'bigint' ? Number(v) : Number(v));
const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export class DuckDbWarehouse implements Warehouse {
  readonly engine = 'duckdb';
  private importing = false;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    readonly location: string,
  ) {}

  static async open(path: string): Promise<DuckDbWarehouse> {
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path);
    } catch (e) {
      const msg = (e as Error).message;
      if (/lock/i.test(msg)) {
        throw new GripError('DB_LOCKED', `the warehouse ${path} is in use by another Grip process (DuckDB allows one process per file); stop it or use PostgreSQL for shared use`);
      }
      throw new GripError('DB_OPEN', `cannot open the warehouse ${path}: ${msg}`);
    }
    const conn = await instance.connect();
    const w = new DuckDbWarehouse(instance, conn, path);
    await w.migrate();
    return w;
  }

  private async all(sql: string, params: Param[] = []): Promise<Record<string, unknown>[]> {
    const r = params.length ? await this.conn.runAndReadAll(sql, params as never) : await this.conn.runAndReadAll(sql);
    return r.getRowObjects() as Record<string, unknown>[];
  }

  private async exec(sql: string, params: Param[] = []): Promise<void> {
    if (params.length) await this.conn.run(sql, params as never);
    else await this.conn.run(sql);
  }

  private async migrate(): Promise<void> {
    await this.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at VARCHAR NOT NULL)`);
    const done = new Set((await this.all(`SELECT version FROM schema_migrations`)).map((r) => num(r.version)));
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      await this.exec('BEGIN TRANSACTION');
      try {
        for (const s of m.sql) await this.exec(s);
        if (m.version === 1) await this.seedMunicipalities();
        await this.exec(`INSERT INTO schema_migrations VALUES ($1, $2, $3)`, [m.version, m.name, new Date().toISOString()]);
        await this.exec('COMMIT');
      } catch (e) {
        await this.exec('ROLLBACK');
        throw e;
      }
    }
  }

  private async seedMunicipalities(): Promise<void> {
    for (const m of ZHZ_MUNICIPALITIES) {
      await this.exec(`INSERT INTO municipalities VALUES ($1, $2, $3, $4, $5, TRUE)`, [m.code, m.name, m.inhabitants, m.youths, m.approximate]);
    }
  }

  async findFileBySha(sha256: string): Promise<{ id: number; name: string } | null> {
    const rows = await this.all(`SELECT id, name FROM source_files WHERE sha256 = $1`, [sha256]);
    return rows.length ? { id: num(rows[0].id), name: str(rows[0].name) } : null;
  }

  async beginImport(): Promise<ImportSession> {
    if (this.importing) throw new Error('an import session is already open');
    this.importing = true;
    await this.exec('BEGIN TRANSACTION');
    const firstId = num((await this.all(`SELECT COALESCE(MAX(id), 0) + 1 AS next FROM source_files`))[0].next);
    const ap = {
      lines: await this.conn.createAppender('declaration_lines'),
      answers: await this.conn.createAppender('declaration_answers'),
      allocations: await this.conn.createAppender('allocations'),
      events: await this.conn.createAppender('care_events'),
      requests: await this.conn.createAppender('requests'),
      files: await this.conn.createAppender('source_files'),
    };
    const fileIds: number[] = [];
    let nextId = firstId;
    const self = this;
    const closeAll = () => {
      for (const a of Object.values(ap)) {
        try {
          a.closeSync();
        } catch {
          /* already closed */
        }
      }
    };
    const end = () => {
      self.importing = false;
    };
    return {
      beginFile() {
        const fileId = nextId++;
        fileIds.push(fileId);
        const sink: RowSink = {
          declarationLine(r) {
            const a = ap.lines;
            a.appendBigInt(BigInt(fileId));
            a.appendInteger(r.seq);
            a.appendInteger(r.sourceLine);
            a.appendVarchar(r.municipality);
            a.appendVarchar(r.provider);
            a.appendVarchar(r.client);
            a.appendVarchar(r.declarationNumber);
            a.appendVarchar(r.declarationDate);
            a.appendVarchar(r.declarationDate.slice(0, 7));
            vOrNull(a, r.declarationPeriodStart);
            a.appendVarchar(r.referenceNumber);
            vOrNull(a, r.previousReferenceNumber);
            vOrNull(a, r.allocationNumber);
            a.appendVarchar(r.category);
            vOrNull(a, r.productCode);
            a.appendVarchar(r.periodStart);
            a.appendVarchar(r.periodEnd);
            a.appendVarchar(r.periodStart.slice(0, 7));
            a.appendBigInt(BigInt(r.volume));
            a.appendVarchar(r.unit);
            bOrNull(a, r.tariffCents);
            a.appendBigInt(BigInt(r.amountCents));
            a.appendVarchar(r.debitCredit);
            vOrNull(a, r.referrer);
            vOrNull(a, r.family);
            a.endRow();
          },
          answer(r) {
            const a = ap.answers;
            a.appendBigInt(BigInt(fileId));
            a.appendInteger(r.seq);
            a.appendInteger(r.sourceLine);
            a.appendVarchar(r.municipality);
            a.appendVarchar(r.provider);
            a.appendVarchar(r.client);
            a.appendVarchar(r.declarationNumber);
            a.appendVarchar(r.referenceNumber);
            a.appendBigInt(BigInt(r.amountCents));
            a.appendVarchar(r.returnCodes.join(' '));
            a.appendBoolean(r.accepted);
            vOrNull(a, r.answerDate);
            a.endRow();
          },
          allocation(r) {
            const a = ap.allocations;
            a.appendBigInt(BigInt(fileId));
            a.appendInteger(r.seq);
            a.appendInteger(r.sourceLine);
            a.appendVarchar(r.municipality);
            a.appendVarchar(r.provider);
            a.appendVarchar(r.client);
            if (r.birthYear === null) a.appendNull();
            else a.appendInteger(r.birthYear);
            a.appendVarchar(r.allocationNumber);
            vOrNull(a, r.providerReference);
            a.appendVarchar(r.category);
            vOrNull(a, r.productCode);
            a.appendVarchar(r.allocationDate);
            a.appendVarchar(r.startDate);
            vOrNull(a, r.endDate);
            bOrNull(a, r.volume);
            vOrNull(a, r.unit);
            vOrNull(a, r.frequency);
            bOrNull(a, r.budgetCents);
            vOrNull(a, r.family);
            a.endRow();
          },
          careEvent(r) {
            const a = ap.events;
            a.appendBigInt(BigInt(fileId));
            a.appendInteger(r.seq);
            a.appendInteger(r.sourceLine);
            a.appendVarchar(r.kind);
            a.appendVarchar(r.municipality);
            a.appendVarchar(r.provider);
            a.appendVarchar(r.client);
            a.appendVarchar(r.allocationNumber);
            vOrNull(a, r.category);
            vOrNull(a, r.productCode);
            a.appendVarchar(r.date);
            vOrNull(a, r.reason);
            vOrNull(a, r.status);
            a.endRow();
          },
          request(r) {
            const a = ap.requests;
            a.appendBigInt(BigInt(fileId));
            a.appendInteger(r.seq);
            a.appendInteger(r.sourceLine);
            a.appendVarchar(r.municipality);
            a.appendVarchar(r.provider);
            a.appendVarchar(r.client);
            a.appendVarchar(r.providerReference);
            vOrNull(a, r.category);
            vOrNull(a, r.productCode);
            a.appendVarchar(r.referrerType);
            vOrNull(a, r.startDate);
            vOrNull(a, r.endDate);
            a.endRow();
          },
        };
        return { fileId, sink };
      },
      endFile(fileId, meta, counts, xsdValidated) {
        const a = ap.files;
        a.appendBigInt(BigInt(fileId));
        a.appendVarchar(meta.name);
        a.appendVarchar(meta.path);
        a.appendVarchar(meta.sha256);
        a.appendVarchar(meta.messageType);
        a.appendVarchar(meta.sender);
        a.appendVarchar(meta.receiver);
        a.appendVarchar(meta.messageId);
        vOrNull(a, meta.messageDate);
        a.appendBigInt(BigInt(meta.sizeBytes));
        a.appendBigInt(BigInt(counts.lines));
        a.appendBigInt(BigInt(counts.totalCents));
        a.appendBoolean(xsdValidated);
        a.appendVarchar(new Date().toISOString());
        a.endRow();
      },
      async duplicateDeclarations() {
        for (const a of Object.values(ap)) a.flushSync();
        if (!fileIds.length) return [];
        const rows = await self.all(
          `SELECT n.file_id, n.declaration_number, n.provider, n.municipality, MIN(f.name) AS other
             FROM (SELECT DISTINCT file_id, municipality, provider, declaration_number FROM declaration_lines WHERE file_id >= $1) n
             JOIN (SELECT DISTINCT file_id, municipality, provider, declaration_number FROM declaration_lines) o
               ON o.municipality = n.municipality AND o.provider = n.provider AND o.declaration_number = n.declaration_number
              AND o.file_id < n.file_id
             JOIN source_files f ON f.id = o.file_id
            GROUP BY 1, 2, 3, 4`,
          [firstId],
        );
        return rows.map((r) => ({
          fileId: num(r.file_id),
          declarationNumber: str(r.declaration_number),
          provider: str(r.provider),
          municipality: str(r.municipality),
          otherFile: str(r.other),
        }));
      },
      async commit() {
        try {
          closeAll();
          await self.exec('COMMIT');
        } finally {
          end();
        }
      },
      async rollback() {
        try {
          closeAll();
          await self.exec('ROLLBACK');
        } finally {
          end();
        }
      },
    };
  }

  async refreshDerived(): Promise<void> {
    await this.exec('BEGIN TRANSACTION');
    try {
      for (const s of REFRESH_DERIVED) await this.exec(s);
      await this.exec('COMMIT');
    } catch (e) {
      await this.exec('ROLLBACK');
      throw e;
    }
  }

  async costs(q: CostQuery): Promise<CostRow[]> {
    const b = costsSql(q);
    const rows = await this.all(b.sql, b.params);
    return rows.map((r) => {
      const out: CostRow = { amountCents: num(r.amount_cents), clients: num(r.clients), lines: num(r.lines) };
      for (const d of q.by) out[d] = str(r[d]);
      return out;
    });
  }

  async runoff(q: RunoffQuery): Promise<RunoffCell[]> {
    const b = runoffSql(q);
    return (await this.all(b.sql, b.params)).map((r) => ({
      municipality: str(r.municipality),
      month: str(r.month),
      declarationMonth: str(r.declaration_month),
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
    await this.exec('BEGIN TRANSACTION');
    try {
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
      await this.exec('COMMIT');
    } catch (e) {
      await this.exec('ROLLBACK');
      throw e;
    }
  }

  async close(): Promise<void> {
    try {
      this.conn.closeSync();
    } finally {
      this.instance.closeSync();
    }
  }
}

function vOrNull(a: DuckDBAppender, v: string | null): void {
  if (v === null) a.appendNull();
  else a.appendVarchar(v);
}
function bOrNull(a: DuckDBAppender, v: number | null): void {
  if (v === null) a.appendNull();
  else a.appendBigInt(BigInt(v));
}
