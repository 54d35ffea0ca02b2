/**
 * Parse workers for `grip import`: iJw files are parsed, validated, checked and pseudonymised on worker
 * threads (one per core but the writer's), while the importer's single writer appends their rows to the warehouse in file
 * order — the same rows in the same order as a one-worker import, so the warehouse is byte for byte the same.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { GripError, type ErrorLocation } from '../../domain/errors.js';
import type { FileCounts, ImportSession, MessageType, RawValue, SourceFileMeta } from '../../warehouse/warehouse.js';
import { RowPacker, unpackRows } from '../../warehouse/sql/rows.js';
import { readIjwFile } from '../ijw/messages.js';
import type { Pseudonymiser } from '../pseudonymise.js';
import { sliceBytes, type RingSlice } from './file-ring.js';

export interface ParseJob {
  id: number;
  path: string;
  display: string;
  kind: string;
  base: Pick<SourceFileMeta, 'sha256' | 'sizeBytes'>;
  validate: boolean;
  /** The file's bytes in the importer's FileRing (read when it was examined), if it put them there. */
  bytes?: RingSlice;
  /**
   * Stream the file (ParsePool.stream): rows go to the writer in batches while the file is read, and the
   * reply carries only the last ones. `firstLine` is a CSV file's header line.
   */
  stream?: { firstLine: string };
}

/** What a worker is started with. */
export interface ParseWorkerData {
  key: Uint8Array;
  /** The claim slots (CLAIM_RING), shared with the writer's thread. */
  claims: Int32Array;
  /** The importer's FileRing, where jobs' `bytes` are. */
  ring: SharedArrayBuffer | null;
}

/** Writer → worker, besides jobs: a streamed batch was taken (`ack`), or the writer gave the file up. */
export type PoolControl = { ack: number } | { cancel: number };
/** Worker → writer, before a streamed file's reply: a batch of its rows, packed (sql/rows.ts RowPacker). */
export type StreamBatch = { id: number; batch: ArrayBuffer };

export type ParseReply =
  | { id: number; ok: true; meta: SourceFileMeta; counts: FileCounts; rows: ArrayBuffer }
  | { id: number; ok: false; code: string | null; message: string; where: ErrorLocation };
/** Worker → writer: the replies of files parsed whole (a streamed file's reply comes alone, after its batches). */
export type ParseReplies = { replies: ParseReply[] };

/** The reply for a job whose file failed: its GripError's code, message and place (the writer rethrows it). */
export function failedReply(id: number, e: unknown): ParseReply {
  const g = e instanceof GripError ? e : null;
  return { id, ok: false, code: g?.code ?? null, message: (e as Error).message, where: g?.where ?? {} };
}

export interface ParsedFile {
  meta: SourceFileMeta;
  counts: FileCounts;
  /**
   * Packed (warehouse/sql/rows.ts RowPacker), in a buffer of their own: a worker moves it (not copies it) to
   * the writer's thread, where it is appended with appendRows. The rows of the files parsed ahead thus wait
   * outside the JavaScript heap, instead of as many small values that outlive the young generation and fill
   * the old one with garbage once appended (five-year region, JW301/JW315 part: the writer's heap 107-126 MB
   * with them, 66-95 MB without).
   */
  rows: ArrayBuffer;
}

/** A parsed file's rows as encoded values (sql/rows.ts encodingSink). */
export const rowsOf = (p: Pick<ParsedFile, 'rows'>): RawValue[] => unpackRows(p.rows);

/** Appends packed rows under `fileId`: as bytes where the engine takes them (DuckDB), else as values. */
export function appendRows(session: ImportSession, fileId: number, packed: ArrayBuffer): void {
  if (session.appendPacked) session.appendPacked(fileId, packed);
  else session.appendEncoded(fileId, unpackRows(packed));
}

const WORKER_URL = new URL(`./worker.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url);

export interface ParseHandle {
  id: number;
  result: Promise<ParsedFile>;
}

/**
 * Claim slots shared by the writer's thread and the workers: slot `id % CLAIM_RING` holds `id` while job
 * `id` is unclaimed, and whoever swaps it for 0 (Atomics.compareExchange) parses the file. Every worker is
 * sent every job at once, so no worker waits for the writer to hand out work. (When the writer handed out
 * jobs a few at a time, the workers sat idle whenever its thread was in a long synchronous call: a DuckDB
 * appender flush takes a quarter of a second.) A slot is reused CLAIM_RING jobs later, long after its
 * job was taken; a stale message finds another id there and leaves it alone.
 */
export const CLAIM_RING = 1 << 16;

type Queued = {
  job: ParseJob;
  settle: (r: ParseReply) => void;
  reject: (e: Error) => void;
  /** Resolves when the job's reply is in (or the pool failed). */
  done: Promise<void>;
};
type Streaming = { batches: ArrayBuffer[]; wake: (() => void) | null };
type Slot = { worker: Worker; streaming: number };

/**
 * A parse worker's garbage is short-lived (a file's strings and rows), so a small young generation costs it
 * no measurable CPU but keeps the process's peak RSS lower: two-year region, four runs each, 406 MB on
 * average with V8's default, 373 MB with 8 MB.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 8 };

/**
 * Worker threads plus the writer's own thread. Every job goes to every worker at once; the first to claim
 * it parses it. The writer, when the file it must store next is not parsed yet, claims and parses the first
 * file not claimed yet (that file itself if no worker has taken it), so both cores stay busy whatever the
 * writer's own share, and what it parses itself is stored soon after.
 */
export class ParsePool {
  private readonly workers: Slot[] = [];
  private readonly claims = new Int32Array(new SharedArrayBuffer(CLAIM_RING * Int32Array.BYTES_PER_ELEMENT));
  /** Submitted files whose reply is not in yet, in submission (id) order. */
  private readonly outstanding = new Map<number, Queued>();
  /** Streamed files (ParsePool.stream): batches received and not yet taken, and the final reply. */
  private readonly streams = new Map<number, Streaming>();
  private readonly streamReplies = new Map<
    number,
    { resolve: (r: ParseReply) => void; reject: (e: unknown) => void; slot: Slot }
  >();
  private nextId = 1;
  private failure: Error | null = null;
  private closing = false;

  constructor(
    readonly size: number,
    key: Buffer,
    private readonly pseudonymise: Pseudonymiser,
    /** Where jobs' `bytes` are (FileRing.buffer), if anywhere. */
    private readonly ring: SharedArrayBuffer | null = null,
  ) {
    // Source (.ts) runs need the TypeScript loader in the worker too (registered there before the worker
    // module loads; Node 20 does not pass --import hooks to workers); the compiled build does not.
    const source = WORKER_URL.pathname.endsWith('.ts');
    const tsxApi = source ? createRequire(import.meta.url).resolve('tsx/esm/api') : '';
    const boot = `require(${JSON.stringify(tsxApi)}).register(); import(${JSON.stringify(WORKER_URL.href)});`;
    for (let i = 0; i < size; i++) {
      const workerData: ParseWorkerData = { key: new Uint8Array(key), claims: this.claims, ring };
      const options = { workerData, resourceLimits: WORKER_LIMITS };
      const worker = source ? new Worker(boot, { eval: true, ...options }) : new Worker(WORKER_URL, options);
      const slot: Slot = { worker, streaming: 0 };
      worker.on('message', (reply: ParseReplies | ParseReply | StreamBatch) => {
        if ('replies' in reply) {
          for (const r of reply.replies) this.outstanding.get(r.id)?.settle(r);
          return;
        }
        if ('batch' in reply) {
          const st = this.streams.get(reply.id);
          st?.batches.push(reply.batch);
          st?.wake?.();
          return;
        }
        const s = this.streamReplies.get(reply.id);
        if (s) {
          this.streamReplies.delete(reply.id);
          slot.streaming--;
          s.resolve(reply);
        } else this.outstanding.get(reply.id)?.settle(reply);
      });
      const fail = (e: unknown) => {
        this.failure ??= e instanceof Error ? e : new Error(`parse worker stopped (${String(e)})`);
        // Any worker may have claimed any file: the pool is done.
        for (const q of [...this.outstanding.values()]) q.reject(this.failure);
        for (const s of this.streamReplies.values()) s.reject(this.failure);
        this.streamReplies.clear();
      };
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (!this.closing) fail(`exit code ${code}`);
      });
      this.workers.push(slot);
    }
  }

  /** Hands a file to the workers; `result` rejects with the file's GripError when it is bad. Pass the handle to `help`. */
  submit(job: Omit<ParseJob, 'id'>): ParseHandle {
    const id = this.nextId++;
    const full: ParseJob = { ...job, id };
    const result = (async () => {
      if (this.failure) throw this.failure;
      const reply = await new Promise<ParseReply>((resolve, reject) => {
        let arrived = () => {};
        const done = new Promise<void>((r) => (arrived = r));
        const end = () => {
          this.outstanding.delete(id);
          arrived();
        };
        const settle = (r: ParseReply) => {
          end();
          resolve(r);
        };
        const fail = (e: Error) => {
          end();
          reject(e);
        };
        this.outstanding.set(id, { job: full, settle, reject: fail, done });
        Atomics.store(this.claims, id % CLAIM_RING, id);
        for (const slot of this.workers) slot.worker.postMessage(full);
      });
      if (!reply.ok)
        throw reply.code ? new GripError(reply.code, reply.message, reply.where) : new Error(reply.message);
      return { meta: reply.meta, counts: reply.counts, rows: reply.rows };
    })();
    result.catch(() => {}); // awaited (and reported) by the caller in the file's turn
    return { id, result };
  }

  /**
   * Streams a large file (or CSV read line by line) on a worker: `onRows` gets its rows in order, batch by
   * batch, while the worker reads on (at most STREAM_BATCHES_AHEAD batches ahead of `onRows`, so memory stays
   * bounded whatever the file's size). Resolves with the file's record and counts; rejects with the file's
   * GripError when it turns out bad (after some of its rows went to `onRows`: the caller rolls back).
   */
  async stream(
    job: Omit<ParseJob, 'id' | 'stream'> & { stream: { firstLine: string } },
    onRows: (packed: ArrayBuffer) => Promise<void>,
  ): Promise<{ meta: SourceFileMeta; counts: FileCounts }> {
    if (this.failure) throw this.failure;
    const id = this.nextId++;
    const slot = this.workers.reduce((a, b) => (b.streaming < a.streaming ? b : a));
    const st: Streaming = { batches: [], wake: null };
    this.streams.set(id, st);
    const end: { reply: ParseReply | null; failure: unknown } = { reply: null, failure: null };
    new Promise<ParseReply>((resolve, reject) => this.streamReplies.set(id, { resolve, reject, slot })).then(
      (r) => {
        end.reply = r;
        st.wake?.();
      },
      (e: unknown) => {
        end.failure = e ?? 'failed';
        st.wake?.();
      },
    );
    slot.streaming++;
    slot.worker.postMessage({ ...job, id } satisfies ParseJob);
    try {
      // The reply comes after the file's last batch (one port, in order).
      for (;;) {
        const b = st.batches.shift();
        if (b) {
          slot.worker.postMessage({ ack: id } satisfies PoolControl);
          await onRows(b);
          continue;
        }
        if (end.reply || end.failure) break;
        await new Promise<void>((r) => (st.wake = r));
        st.wake = null;
      }
    } catch (e) {
      slot.worker.postMessage({ cancel: id } satisfies PoolControl);
      throw e;
    } finally {
      this.streams.delete(id);
    }
    const r = end.reply;
    if (!r)
      throw end.failure instanceof Error ? end.failure : new Error(`parse worker stopped (${String(end.failure)})`);
    if (!r.ok) throw r.code ? new GripError(r.code, r.message, r.where) : new Error(r.message);
    await onRows(r.rows);
    return { meta: r.meta, counts: r.counts };
  }

  /**
   * The writer needs this file next: until it is parsed, parse files nobody claimed yet on this thread — this
   * one if no worker has claimed it, else the first unclaimed one after it — then return its result.
   */
  async help(h: ParseHandle): Promise<ParsedFile> {
    const claim = (id: number) => Atomics.compareExchange(this.claims, id % CLAIM_RING, id, 0) === id;
    for (let q = this.outstanding.get(h.id); q; q = this.outstanding.get(h.id)) {
      let mine: Queued | null = claim(h.id) ? q : null;
      if (!mine) {
        // A worker has it, and its reply may be in already: let replies in before taking on another file.
        await new Promise((r) => setImmediate(r));
        if (!this.outstanding.has(h.id)) break;
        for (const [id, c] of this.outstanding) {
          if (id > h.id && claim(id)) {
            mine = c;
            break;
          }
        }
      }
      if (mine) {
        await this.runHere(mine);
        // Let the workers' replies in before deciding again (this one's may have come meanwhile).
        await new Promise((r) => setImmediate(r));
      } else await q.done; // a worker has this file and every later one: wait for its reply
    }
    return h.result;
  }

  private async runHere(q: Queued): Promise<void> {
    try {
      const r = await parseToRows(q.job, this.pseudonymise, this.ring);
      q.settle({ id: q.job.id, ok: true, meta: r.meta, counts: r.counts, rows: r.rows });
    } catch (e) {
      q.settle(failedReply(q.job.id, e));
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}

/**
 * Parses one iJw file into its rows, held in memory (files up to the importer's PARALLEL_MAX_FILE): what a
 * worker does, and what the writer's thread does for its own share — nothing reaches the warehouse before
 * the whole file has passed, so a bad file needs no rollback. A job with `bytes` is parsed from `ring`
 * (the bytes the importer hashed), any other from its file.
 */
export async function parseToRows(
  job: Omit<ParseJob, 'id'>,
  pseudonymise: Pseudonymiser,
  ring: SharedArrayBuffer | null = null,
): Promise<ParsedFile> {
  // A thread parses a few files at once (their reads overlap); each has a packer of its own while it lasts.
  const packer = idlePackers.pop() ?? new RowPacker();
  try {
    const r = await readIjwFile(job.path, job.display, job.base, pseudonymise, packer, undefined, {
      validate: job.validate,
      expect: job.kind as MessageType,
      // The same shape with or without ring bytes: two shapes deoptimised readIjwFile once on each thread.
      bytes: job.bytes && ring ? sliceBytes(ring, job.bytes) : undefined,
    });
    return { meta: r.meta, counts: r.counts, rows: packer.take() };
  } finally {
    packer.clear();
    if (packer.capacity <= 1 << 20) idlePackers.push(packer); // a large file's buffer is not kept
  }
}

/** Packers not in use on this thread (parseToRows): reused, so a file costs no new 64 KB buffer. */
const idlePackers: RowPacker[] = [];
