/** The embedded warehouse: DuckDB in one local file (default `./grip.duckdb`). */
import { DuckDBInstance, listValue, type DuckDBAppender, type DuckDBConnection } from './api.js';
import { GripError } from '../../domain/errors.js';
import { at } from '../../domain/indexing.js';
import { SqlWarehouse, type SharedRepositories } from '../sql/base.js';
import { refreshDerivedSql } from '../sql/queries.js';
import { num, str, type Param } from '../sql/run.js';
import { bulkCsvInto } from './bulk-csv.js';
import { ChunkAppender } from './chunk-appender.js';
import type { ImportSession, LedgerRows, LedgerTable, RawValue, RowSink, RowTable } from '../warehouse.js';
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
  encodedSpec,
  type ColType,
  type TableSpec,
} from '../sql/rows.js';

/**
 * Bounded memory: DuckDB spills to disk beyond its limit (its default, 80% of RAM, would let an import grow).
 * Imports run with a lower limit than queries: a national year (10 M lines) peaked at 1.5 GB RSS with 1 GB,
 * 1.15 GB with 400 MB and 0.94 GB with 200 MB, at the same speed. An import's checkpoints fill DuckDB's
 * buffers up to the limit, whatever it is (five-year JW323: 132 MB before the last checkpoint, 190 MB in
 * it, at 200 MB), and that was the import's peak. Peak RSS at 100 MB (with the checkpoint threshold below)
 * and at 200 MB: five-year JW323 340-364 MB and 435-452 MB (3 interleaved pairs), two-year JW323 313-326 MB
 * and 325-339 MB (5 pairs, same CPU); single runs: the whole five-year folder 358 and 415 MB, a national
 * JW323 year 455 and 556 MB. GRIP_DUCKDB_MEMORY and GRIP_DUCKDB_IMPORT_MEMORY set others.
 */
const MEMORY_LIMIT = () => (process.env.GRIP_DUCKDB_MEMORY ?? '400MB').replace(/[^0-9A-Za-z]/g, '');
const IMPORT_MEMORY_LIMIT = () => (process.env.GRIP_DUCKDB_IMPORT_MEMORY ?? '100MB').replace(/[^0-9A-Za-z]/g, '');

/**
 * DuckDB writes its log (WAL) into the database file (a checkpoint) at the first commit after the log passed
 * a threshold, 16 MB by default; until then committed rows wait in memory. Import sessions use 32 MB: the
 * rows waiting then stay under the import's memory limit. Five-year JW323 at 100 MB, single runs: 350 and
 * 358 MB at 32 MB, 388 MB at 64 MB, 350 MB at 16 MB. (At a 200 MB limit, whole five-year region folder:
 * 463-472 MB at 64 MB, 494-514 MB at 16 MB, 503-511 MB at 32 MB.)
 */
const IMPORT_CHECKPOINT_THRESHOLD = '32MB';
const CHECKPOINT_THRESHOLD = '16MB';

/**
 * DuckDB threads while an import session is open (its appends, duplicate checks and checkpoints); the
 * setting in force before is restored after.
 */
const IMPORT_THREADS = 1;

/**
 * How DuckDB stores rows, for every write (imports, derived tables, checkpoints); what is already stored is
 * read as it was written. Without FSST (a string compression DuckDB otherwise tries on every string column
 * segment, and keeps for columns of many distinct values such as reference numbers and pseudonyms), writing
 * the two-year JW323 lines (215,592, already in DuckDB's vectors, one thread) took 0.58-0.80 s of CPU against
 * 1.00-1.18 s, for a file of 9.2 MB instead of 7.1-7.3 MB; a query grouping every line by municipality and
 * month, with distinct clients, took the same time (6 December 2026, 2 runs each).
 */
export const STORAGE_SETTINGS: Readonly<Record<string, string>> = { disabled_compression_methods: 'fsst' };

/** What an import session sets, by DuckDB setting (beginImport; the bench's store floor uses the same). */
export const IMPORT_SESSION_SETTINGS = (): Record<string, string> => ({
  memory_limit: IMPORT_MEMORY_LIMIT(),
  checkpoint_threshold: IMPORT_CHECKPOINT_THRESHOLD,
  threads: String(IMPORT_THREADS),
});

/** Hashes per look-up query (findFilesBySha): each query scans every stored hash once. */
const SHA_LOOKUP_CHUNK = 16_384;

/** DuckDB threads of the derived-table build after an import, at most (see refreshDerived). */
const DERIVED_THREADS = 2;

/** DuckDB's whole rebuild of the derived tables: keys prefiltered by their hash (sql/queries.ts refreshDerivedSql). */
export const REFRESH_DERIVED_DUCKDB = refreshDerivedSql((cols) => `hash(${cols})`);

export class DuckDbWarehouse extends SqlWarehouse {
  readonly engine = 'duckdb';
  /** The whole rebuild with TR314's and TR389's windows over the lines whose key repeats (queries.ts). */
  protected override readonly refreshDerivedSql = REFRESH_DERIVED_DUCKDB;
  private importing = false;
  /** The import sessions' chunk appenders by table, reused from session to session (ChunkAppender.rebind). */
  private readonly chunkAppenders = new Map<string, ChunkAppender>();
  /** A second connection, outside import transactions (see bulk-csv.ts). */
  private checkConn: DuckDBConnection | null = null;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    readonly location: string,
  ) {
    super();
  }

  static async open(path: string): Promise<DuckDbWarehouse & SharedRepositories> {
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path);
    } catch (e) {
      const msg = (e as Error).message;
      if (/lock/i.test(msg)) {
        throw new GripError(
          'DB_LOCKED',
          `the warehouse ${path} is in use by another Grip process (DuckDB allows one process per file); stop it or use PostgreSQL for shared use`,
        );
      }
      throw new GripError('DB_OPEN', `cannot open the warehouse ${path}: ${msg}`);
    }
    const conn = await instance.connect();
    await conn.run(`SET memory_limit = '${MEMORY_LIMIT()}'`);
    for (const [name, value] of Object.entries(STORAGE_SETTINGS)) await conn.run(`SET ${name} = '${value}'`);
    const w = new DuckDbWarehouse(instance, conn, path);
    await w.migrate();
    return w.withRepositories();
  }

  protected async all(sql: string, params: Param[] = []): Promise<Record<string, unknown>[]> {
    const r = params.length ? await this.conn.runAndReadAll(sql, params) : await this.conn.runAndReadAll(sql);
    return r.getRowObjects();
  }

  protected async exec(sql: string, params: Param[] = []): Promise<void> {
    if (params.length) await this.conn.run(sql, params);
    else await this.conn.run(sql);
  }

  async beginImport(): Promise<ImportSession> {
    if (this.importing) throw new Error('an import session is already open');
    this.importing = true;
    this.suspendReadCache();
    const threads = await this.threads();
    for (const [name, value] of Object.entries(IMPORT_SESSION_SETTINGS())) await this.exec(`SET ${name} = '${value}'`);
    await this.exec('BEGIN TRANSACTION');
    const firstId = await this.nextFileId();
    const appenders: DuckDBAppender[] = [];
    const byTable = new Map<string, ChunkAppender>();
    const chunks: ChunkAppender[] = [];
    const writer = async <R>(spec: TableSpec<R>) => {
      const a = await this.conn.createAppender(spec.table);
      appenders.push(a);
      let c = this.chunkAppenders.get(spec.table);
      if (c) c.rebind(a);
      else this.chunkAppenders.set(spec.table, (c = new ChunkAppender(a, spec.table, spec.columns)));
      chunks.push(c);
      byTable.set(spec.table, c);
      return (row: R, fileId: number) => c.appendRow(spec.columns, row, fileId);
    };
    // Rows wait in the chunk appenders (≤ 2,048 per table), then in DuckDB's appenders (flushed every 8 chunks);
    // whatever reads the tables first writes them all out.
    const flushAll = () => {
      for (const c of chunks) c.flushAll();
    };
    const w = {
      lines: await writer(DECLARATION_LINES),
      answers: await writer(DECLARATION_ANSWERS),
      allocations: await writer(ALLOCATIONS),
      events: await writer(CARE_EVENTS),
      requests: await writer(REQUESTS),
      files: await writer(SOURCE_FILES),
    };
    const byRowTable: { [T in RowTable]: (row: LedgerRows[T], fileId: number) => void } = {
      declaration_lines: w.lines,
      declaration_answers: w.answers,
      allocations: w.allocations,
      care_events: w.events,
      requests: w.requests,
    };
    // The chunk appender of each packed row code (sql/rows.ts ENCODED order).
    const byCode: ChunkAppender[] = [];
    for (let code = 0; encodedSpec(code); code++) {
      const c = byTable.get(encodedSpec(code)?.table ?? '');
      if (!c) throw new Error(`no appender for row type ${code}`);
      byCode.push(c);
    }
    let nextId = firstId;
    // Sessions without declaration lines (JW301, JW315, … only) skip the duplicate check and the run-off.
    let withLines = false;
    // The session's methods below are those of an object literal; they reach the warehouse through `self`.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    const finish = async (sql: 'COMMIT' | 'ROLLBACK') => {
      try {
        for (const a of appenders) {
          try {
            a.closeSync();
          } catch {
            /* already closed */
          }
        }
        await self.exec(sql);
      } finally {
        self.importing = false;
        self.resumeReadCache();
        await self.exec(`SET memory_limit = '${MEMORY_LIMIT()}'`);
        await self.exec(`SET checkpoint_threshold = '${CHECKPOINT_THRESHOLD}'`);
        await self.exec(`SET threads = ${threads}`);
      }
    };
    return {
      beginFile() {
        const fileId = nextId++;
        const sink: RowSink = {
          row(table, r) {
            if (table === 'declaration_lines') withLines = true;
            byRowTable[table](r as never, fileId);
          },
        };
        return { fileId, sink };
      },
      appendEncoded(fileId, rows) {
        decodeRows(rows, (code, spec, at) => {
          if (code === ENCODED_DECLARATION_LINES) withLines = true;
          byTable.get(spec.table)!.appendEncoded(fileId, rows, at); // hot path: one writer per ENCODED table
        });
      },
      appendPacked(fileId, packed) {
        const b = Buffer.from(packed);
        const dv = new DataView(packed);
        for (let p = 0; p < b.length;) {
          const code = b[p] ?? -1;
          const c = byCode[code];
          if (!c) throw new Error(`packed rows: no row type ${code} at ${p}`);
          if (code === ENCODED_DECLARATION_LINES) withLines = true;
          p = c.appendPacked(fileId, b, dv, p + 1);
        }
      },
      endFile(fileId, meta, counts, xsdValidated) {
        w.files({ meta, counts, xsdValidated, importedAt: new Date().toISOString() }, fileId);
      },
      async flush() {},
      async bulkCsv(fileId, file) {
        // Rows appended so far go first, so the table keeps file order.
        flushAll();
        self.checkConn ??= await self.instance.connect();
        withLines = true;
        return bulkCsvInto(self.conn, self.checkConn, fileId, file);
      },
      async recordExport(fileId, rec) {
        flushAll();
        return self.recordExportIn(fileId, rec);
      },
      async duplicateDeclarations() {
        flushAll();
        return withLines ? self.findDuplicateDeclarations(firstId) : [];
      },
      async commit() {
        flushAll();
        if (withLines) await self.addRunoffCells(firstId);
        await finish('COMMIT');
      },
      rollback: () => finish('ROLLBACK'),
    };
  }

  /**
   * Which of these hashes the warehouse holds (SHA-256 → the name stored). `source_files` has no index here
   * (migration 14), so every query scans its hashes: one query per SHA_LOOKUP_CHUNK hashes, passed as one list
   * (not 500 parameters). With 3.7 million stored files (a national year) and random new hashes: 187 ms wall,
   * 364 ms CPU for 128 hashes as parameters (as before), 60 ms and 100 ms for 4,096 as one list — per file
   * ≈ 100× less (6 December 2026).
   */
  override async findFilesBySha(sha256s: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let i = 0; i < sha256s.length; i += SHA_LOOKUP_CHUNK) {
      const hashes = listValue(sha256s.slice(i, i + SHA_LOOKUP_CHUNK));
      const r = await this.conn.runAndReadAll(
        `SELECT sha256, name FROM source_files WHERE sha256 IN (SELECT unnest($1::VARCHAR[]))`,
        [hashes],
      );
      for (const row of r.getRowObjects()) out.set(str(row.sha256), str(row.name));
    }
    return out;
  }

  /**
   * The duplicate check of an import transaction (same rows as the shared query in sql/base.ts), in DuckDB's
   * terms. The shared query's correlated subquery becomes a delim join over the whole line table; here the
   * join's hash table holds the transaction's own distinct declarations (a few thousand rows) and every
   * earlier line streams past it, so the check's memory follows the transaction, not the table. The file
   * names are looked up for the matching earlier files only (not a hash table of every source file), and
   * the earliest name (MIN, by code point as DuckDB compares VARCHAR) is picked here.
   */
  protected override async findDuplicateDeclarations(firstId: number) {
    const hits = await this.all(
      `WITH n AS (SELECT DISTINCT file_id, municipality, provider, declaration_number
                    FROM declaration_lines WHERE file_id >= $1)
       SELECT DISTINCT n.file_id, n.declaration_number, n.provider, n.municipality, o.file_id AS other_id
         FROM declaration_lines o JOIN n
           ON o.municipality = n.municipality AND o.provider = n.provider
          AND o.declaration_number = n.declaration_number AND o.file_id < n.file_id
        ORDER BY 1, 2, 3, 4`,
      [firstId],
    );
    if (!hits.length) return [];
    const ids = [...new Set(hits.map((r) => num(r.other_id)))];
    const names = new Map<number, string>();
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = await this.all(
        `SELECT id, name FROM source_files WHERE id IN (${chunk.map((_, k) => `$${k + 1}`).join(', ')})`,
        chunk,
      );
      for (const r of rows) names.set(num(r.id), str(r.name));
    }
    const out: {
      fileId: number;
      declarationNumber: string;
      provider: string;
      municipality: string;
      otherFile: string;
    }[] = [];
    let last: (typeof out)[number] | undefined;
    for (const r of hits) {
      const name = names.get(num(r.other_id));
      if (name === undefined) continue; // a line without its file: the shared query's join drops it too
      const d = {
        fileId: num(r.file_id),
        declarationNumber: str(r.declaration_number),
        provider: str(r.provider),
        municipality: str(r.municipality),
        otherFile: name,
      };
      if (
        last?.fileId === d.fileId &&
        last.declarationNumber === d.declarationNumber &&
        last.provider === d.provider &&
        last.municipality === d.municipality
      ) {
        if (byCodePoint(name, last.otherFile) < 0) last.otherFile = name;
      } else out.push((last = d));
    }
    return out;
  }

  /**
   * Derived tables are rebuilt after imports with the import's memory limit; their statements run on at most
   * two threads, their commit on one. With windows over every line (before REFRESH_DERIVED_DUCKDB) more
   * threads cost memory (each thread holds its own part of a window's or a join's data, and glibc keeps what
   * each thread freed): five-year JW323, fresh warehouse, the build took the process from 213 to 346 MB with
   * 200 MB and DuckDB's threads, to 289 MB with 100 MB and one thread. Now the windows see only repeated keys
   * and the largest part is one aggregate of hashes: the build alone on the five-year JW323 warehouse (595,180
   * lines, 100 MB) took 1.50-1.60 s and 239-242 MB peak RSS before, 0.49-0.54 s and 173 MB on one thread,
   * 0.31-0.40 s (0.54-0.73 s CPU) and 158-167 MB on two. The commit usually checkpoints (it is the first after
   * the import's last rows), and a checkpoint on two threads left the second spinning (`sched_yield`: 0.38 s
   * of CPU in a `perf` profile of the two-year JW323 import) for no gain in wall time: with the whole build on
   * one thread the import took 0.2-0.9 s less CPU in 4 interleaved pairs, wall the same (6 December 2026); the
   * statements keep their two threads. Should a statement not fit (DuckDB: "Out of Memory"), the whole build
   * (one transaction, rolled back) runs again with the query limit.
   */
  override async refreshDerived(): Promise<void> {
    const threads = await this.threads();
    this.derivedThreads = Math.min(DERIVED_THREADS, threads);
    await this.exec(`SET threads = 1`);
    try {
      await this.exec(`SET memory_limit = '${IMPORT_MEMORY_LIMIT()}'`);
      try {
        await super.refreshDerived();
      } catch (e) {
        if (!/out of memory/i.test((e as Error).message)) throw e;
        await this.exec(`SET memory_limit = '${MEMORY_LIMIT()}'`);
        await super.refreshDerived();
      }
    } finally {
      await this.exec(`SET memory_limit = '${MEMORY_LIMIT()}'`);
      await this.exec(`SET threads = ${threads}`);
    }
  }

  /** DuckDB's threads setting on this connection now. */
  private async threads(): Promise<number> {
    return Number(str(at(await this.all(`SELECT current_setting('threads') AS t`), 0).t));
  }

  /** Threads for the derived build's statements (refreshDerived; 1 outside it). */
  private derivedThreads = 1;

  /** The derived build's statements on derivedThreads; the threads before (refreshDerived: one) for the commit. */
  protected override async advanceDerived(): Promise<void> {
    const before = await this.threads();
    await this.exec(`SET threads = ${this.derivedThreads}`);
    // Not in a `finally`: after a failed statement the transaction takes nothing but its ROLLBACK, and
    // refreshDerived sets the threads again after it.
    await super.advanceDerived();
    await this.exec(`SET threads = ${before}`);
  }

  async loadRaw(batches: AsyncIterable<{ table: LedgerTable; rows: RawValue[][] }>): Promise<void> {
    await this.transaction(async () => {
      for await (const b of batches) {
        const spec = LEDGER_TABLES[b.table] as TableSpec<unknown>;
        const a = await this.conn.createAppender(b.table);
        try {
          for (const row of b.rows) {
            // rawRows gives one value per column of the table, in its column order.
            spec.columns.forEach((col, i) => appendValue(a, col.type, row[i]!));
            a.endRow();
          }
        } finally {
          a.closeSync();
        }
      }
      await this.rebuildRunoffCells();
    });
  }

  async close(): Promise<void> {
    try {
      this.checkConn?.closeSync();
      this.conn.closeSync();
    } finally {
      this.instance.closeSync();
    }
  }
}

function appendValue(a: DuckDBAppender, type: ColType, v: RawValue): void {
  if (v === null) a.appendNull();
  else if (type === 'str') a.appendVarchar(v as string);
  else if (type === 'big') a.appendBigInt(BigInt(v));
  else if (type === 'int') a.appendInteger(v as number);
  else a.appendBoolean(v as boolean);
}

/** Compares strings by code point, as DuckDB orders VARCHAR (its bytes, UTF-8); JS's < compares UTF-16 units. */
function byCodePoint(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
