/**
 * The shared-server warehouse: PostgreSQL (15+). Same migrations and queries as DuckDB (sql/base.ts);
 * bulk load with COPY … FROM STDIN in CSV form; one transaction per import session.
 */
import pg from 'pg';
import { stringify } from 'csv-stringify/sync';
import { GripError } from '../../domain/errors.js';
import { SqlWarehouse, type SharedRepositories } from '../sql/base.js';
import type { Param } from '../sql/run.js';
import { bulkCsvInto } from './bulk-csv.js';
import { copyIn } from './copy.js';
import {
  ALLOCATIONS,
  CARE_EVENTS,
  DECLARATION_ANSWERS,
  DECLARATION_LINES,
  REQUESTS,
  SOURCE_FILES,
  LEDGER_TABLES,
  ENCODED_DECLARATION_LINES,
  decodeRows,
  type TableSpec,
  type Value,
} from '../sql/rows.js';
import type { ImportSession, LedgerTable, RawValue, RowSink } from '../warehouse.js';

// BIGINT (int8) and NUMERIC arrive as strings; Grip's amounts fit in a double's 2^53 exactly.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

const FLUSH_ROWS = 20_000;
/** Rows per CopyData message batch. */
const COPY_CHUNK_ROWS = 2_000;

export class PostgresWarehouse extends SqlWarehouse {
  readonly engine = 'postgres';
  private importing = false;

  private constructor(
    private readonly client: pg.Client,
    readonly location: string,
  ) {
    super();
  }

  static async open(url: string): Promise<PostgresWarehouse & SharedRepositories> {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
    } catch (e) {
      throw new GripError('DB_OPEN', `cannot connect to PostgreSQL at ${redact(url)}: ${(e as Error).message}`);
    }
    const w = new PostgresWarehouse(client, redact(url));
    await w.exec('SET client_min_messages = warning');
    // Grip's aggregates count distinct clients over millions of lines: with the server default (4 MB) those
    // sorts spill to disk (first overview at national size: 11 s). One connection per Grip process.
    await w.exec(`SET work_mem = '${(process.env.GRIP_PG_WORK_MEM ?? '64MB').replace(/[^0-9A-Za-z]/g, '')}'`);
    // One migrator at a time when several Grip processes start together.
    await w.exec('SELECT pg_advisory_lock(4747)');
    try {
      await w.migrate();
    } finally {
      await w.exec('SELECT pg_advisory_unlock(4747)');
    }
    return w.withRepositories();
  }

  protected async all(sql: string, params: Param[] = []): Promise<Record<string, unknown>[]> {
    return (await this.client.query<Record<string, unknown>>(sql, params)).rows;
  }

  protected async exec(sql: string, params: Param[] = []): Promise<void> {
    await this.client.query(sql, params);
  }

  private async copy<R>(spec: TableSpec<R>, rows: Value[][]): Promise<void> {
    if (!rows.length) return;
    const cast = { boolean: (b: boolean) => (b ? 't' : 'f') };
    async function* csv() {
      for (let i = 0; i < rows.length; i += COPY_CHUNK_ROWS)
        yield stringify(
          rows.slice(i, i + COPY_CHUNK_ROWS).map((r) => r.map((v) => (v === null ? '\\N' : v))),
          { cast },
        );
    }
    await copyIn(
      this.client,
      `COPY ${spec.table} (${spec.columns.map((c) => c.name).join(', ')}) FROM STDIN WITH (FORMAT csv, NULL '\\N')`,
      csv(),
    );
  }

  async beginImport(): Promise<ImportSession> {
    if (this.importing) throw new Error('an import session is already open');
    this.importing = true;
    this.suspendReadCache();
    await this.exec('BEGIN');
    // Serialise importers: file ids and the duplicate check need one writer at a time.
    await this.exec('LOCK TABLE source_files IN EXCLUSIVE MODE');
    const firstId = await this.nextFileId();
    let nextId = firstId;
    // Sessions without declaration lines (JW301, JW315, … only) skip the duplicate check and the run-off.
    let withLines = false;
    const buffers = new Map<TableSpec<never>, Value[][]>();
    let buffered = 0;
    const push = <R>(spec: TableSpec<R>, row: R, fileId: number) => {
      const key = spec as unknown as TableSpec<never>;
      let b = buffers.get(key);
      if (!b) buffers.set(key, (b = []));
      b.push(spec.columns.map((c) => c.get(row, fileId)));
      buffered++;
    };
    const flushAll = async () => {
      // Files before lines is not needed (no foreign keys); order is fixed for determinism.
      for (const spec of [
        SOURCE_FILES,
        DECLARATION_LINES,
        DECLARATION_ANSWERS,
        ALLOCATIONS,
        CARE_EVENTS,
        REQUESTS,
      ] as TableSpec<never>[]) {
        const b = buffers.get(spec);
        if (b?.length) {
          buffers.set(spec, []);
          await this.copy(spec, b);
        }
      }
      buffered = 0;
    };
    // The session's methods below are those of an object literal; they reach the warehouse through `self`.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    const finish = async (sql: 'COMMIT' | 'ROLLBACK') => {
      try {
        await self.exec(sql);
      } finally {
        self.importing = false;
        self.resumeReadCache();
      }
    };
    return {
      beginFile() {
        const fileId = nextId++;
        const sink: RowSink = {
          row(table, r) {
            if (table === 'declaration_lines') withLines = true;
            push(LEDGER_TABLES[table] as TableSpec<unknown>, r, fileId);
          },
        };
        return { fileId, sink };
      },
      appendEncoded(fileId, rows) {
        decodeRows(rows, (code, spec, at) => {
          if (code === ENCODED_DECLARATION_LINES) withLines = true;
          const key = spec as unknown as TableSpec<never>;
          let b = buffers.get(key);
          if (!b) buffers.set(key, (b = []));
          b.push([fileId, ...rows.slice(at, at + spec.columns.length - 1)]);
          buffered++;
        });
      },
      endFile(fileId, meta, counts, xsdValidated) {
        push(SOURCE_FILES, { meta, counts, xsdValidated, importedAt: new Date().toISOString() }, fileId);
      },
      async flush() {
        if (buffered >= FLUSH_ROWS) await flushAll();
      },
      async bulkCsv(fileId, file) {
        await flushAll();
        withLines = true;
        return bulkCsvInto(self.client, fileId, file);
      },
      async recordExport(fileId, rec) {
        await flushAll();
        return self.recordExportIn(fileId, rec);
      },
      async duplicateDeclarations() {
        await flushAll();
        return withLines ? self.findDuplicateDeclarations(firstId) : [];
      },
      async commit() {
        await flushAll();
        if (withLines) await self.addRunoffCells(firstId);
        await finish('COMMIT');
      },
      rollback: () => finish('ROLLBACK'),
    };
  }

  async loadRaw(batches: AsyncIterable<{ table: LedgerTable; rows: RawValue[][] }>): Promise<void> {
    await this.transaction(async () => {
      for await (const b of batches) await this.copy(LEDGER_TABLES[b.table] as TableSpec<unknown>, b.rows);
      await this.rebuildRunoffCells();
    });
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
