/**
 * Parse workers for `grip import`: iJw files are parsed, validated, checked and pseudonymised on worker
 * threads (one per core but the writer's), while the importer's single writer appends their rows to the warehouse in file
 * order — the same rows in the same order as a one-worker import, so the warehouse is byte for byte the same.
 */
import { createRequire } from 'node:module';
import { deserialize, serialize } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { GripError, type ErrorLocation } from '../../domain/errors.js';
import type { FileCounts, MessageType, RawValue, SourceFileMeta } from '../../warehouse/warehouse.js';
import { encodingSink } from '../../warehouse/sql/rows.js';
import { readIjwFile } from '../ijw/messages.js';
import type { Pseudonymiser } from '../pseudonymise.js';

export interface ParseJob {
  id: number;
  path: string;
  display: string;
  kind: string;
  base: Pick<SourceFileMeta, 'sha256' | 'sizeBytes'>;
  validate: boolean;
  /**
   * Stream the file (ParsePool.stream): rows go to the writer in batches while the file is read, and the
   * reply carries only the last ones. `firstLine` is a CSV file's header line.
   */
  stream?: { firstLine: string };
}

/** Writer → worker, besides jobs: a streamed batch was taken (`ack`), or the writer gave the file up. */
export type PoolControl = { ack: number } | { cancel: number };
/** Worker → writer, before a streamed file's reply: a batch of its rows (serializeRows). */
export type StreamBatch = { id: number; batch: ArrayBuffer };

export type ParseReply =
  | { id: number; ok: true; meta: SourceFileMeta; counts: FileCounts; rows: RawValue[] | ArrayBuffer }
  | { id: number; ok: false; code: string | null; message: string; where: ErrorLocation };

export interface ParsedFile {
  meta: SourceFileMeta;
  counts: FileCounts;
  /**
   * Encoded (warehouse/sql/rows.ts): the writer appends them with ImportSession.appendEncoded. From a worker
   * they come serialized (see rowsOf).
   */
  rows: RawValue[] | ArrayBuffer;
}

/**
 * A worker sends its rows as one serialized buffer, moved (not copied) to the writer's thread and decoded
 * only when the writer appends them: the rows of the files parsed ahead then wait outside the JavaScript
 * heap, instead of as many small values that outlive the young generation and fill the old one with garbage
 * once appended (five-year region, JW301/JW315 part: the writer's heap 107-126 MB with them, 66-95 MB without).
 */
export const rowsOf = (p: ParsedFile): RawValue[] =>
  p.rows instanceof ArrayBuffer ? (deserialize(Buffer.from(p.rows)) as RawValue[]) : p.rows;

/** Serializes rows for rowsOf, in a buffer of their own that can be moved to another thread. */
export function serializeRows(rows: RawValue[]): ArrayBuffer {
  const b = serialize(rows);
  if (b.buffer instanceof ArrayBuffer && b.byteOffset === 0 && b.byteLength === b.buffer.byteLength) return b.buffer;
  const copy = new ArrayBuffer(b.byteLength);
  new Uint8Array(copy).set(b);
  return copy;
}

const WORKER_URL = new URL(`./worker.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url);

export interface ParseHandle {
  id: number;
  result: Promise<ParsedFile>;
}

type Queued = { job: ParseJob; resolve: (r: ParseReply) => void; reject: (e: unknown) => void };
type Streaming = { batches: ArrayBuffer[]; wake: (() => void) | null };
type Slot = { worker: Worker; inFlight: number };

/**
 * Jobs handed to each worker before it replies to the first: the writer's thread hands out the next job
 * only when it gets to its event loop, which it does not while it parses or appends a file itself, so a
 * worker with one job at a time sat idle for most of the run (two-year region: 9.6 of 14.7 s).
 */
const JOBS_PER_WORKER = 4;

/**
 * A parse worker's garbage is short-lived (a file's strings and rows), so a small young generation costs it
 * no measurable CPU but keeps the process's peak RSS lower: two-year region, four runs each, 406 MB on
 * average with V8's default, 373 MB with 8 MB.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 8 };

/**
 * Worker threads plus the writer's own thread. Jobs wait in a queue until a worker has fewer than
 * JOBS_PER_WORKER; the writer, when the file it must store next is not parsed yet, parses queued files
 * itself (work stealing: that file if it is still queued, else the farthest one), so both cores stay busy
 * whatever the writer's own share.
 */
export class ParsePool {
  private readonly workers: Slot[] = [];
  private readonly queue: Queued[] = [];
  private readonly pending = new Map<
    number,
    { resolve: (r: ParseReply) => void; reject: (e: unknown) => void; slot: Slot }
  >();
  /** Streamed files (ParsePool.stream): batches received and not yet taken. */
  private readonly streams = new Map<number, Streaming>();
  /** Jobs whose reply is in (from a worker or this thread). */
  private readonly arrived = new Set<number>();
  private nextId = 1;
  private failure: Error | null = null;
  private closing = false;

  constructor(
    readonly size: number,
    key: Buffer,
    private readonly pseudonymise: Pseudonymiser,
  ) {
    // Source (.ts) runs need the TypeScript loader in the worker too (registered there before the worker
    // module loads; Node 20 does not pass --import hooks to workers); the compiled build does not.
    const source = WORKER_URL.pathname.endsWith('.ts');
    const tsxApi = source ? createRequire(import.meta.url).resolve('tsx/esm/api') : '';
    const boot = `require(${JSON.stringify(tsxApi)}).register(); import(${JSON.stringify(WORKER_URL.href)});`;
    for (let i = 0; i < size; i++) {
      const workerData = { key: new Uint8Array(key) };
      const options = { workerData, resourceLimits: WORKER_LIMITS };
      const worker = source ? new Worker(boot, { eval: true, ...options }) : new Worker(WORKER_URL, options);
      const slot: Slot = { worker, inFlight: 0 };
      worker.on('message', (reply: ParseReply | StreamBatch) => {
        if ('batch' in reply) {
          const st = this.streams.get(reply.id);
          st?.batches.push(reply.batch);
          st?.wake?.();
          return;
        }
        const p = this.pending.get(reply.id);
        this.pending.delete(reply.id);
        slot.inFlight--;
        p?.resolve(reply);
        this.pump();
      });
      const fail = (e: unknown) => {
        this.failure ??= e instanceof Error ? e : new Error(`parse worker stopped (${String(e)})`);
        for (const [id, p] of this.pending) {
          if (p.slot !== slot) continue;
          this.pending.delete(id);
          p.reject(this.failure);
        }
        for (const q of this.queue.splice(0)) q.reject(this.failure);
      };
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (!this.closing) fail(`exit code ${code}`);
      });
      this.workers.push(slot);
    }
  }

  /** Queues a file; `result` rejects with the file's GripError when it is bad. Pass the handle to `help`. */
  submit(job: Omit<ParseJob, 'id'>): ParseHandle {
    const id = this.nextId++;
    const result = (async () => {
      if (this.failure) throw this.failure;
      const reply = await new Promise<ParseReply>((resolve, reject) => {
        const arrived = (r: ParseReply) => {
          this.arrived.add(id);
          resolve(r);
        };
        this.queue.push({ job: { ...job, id }, resolve: arrived, reject });
        this.pump();
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
    onRows: (rows: RawValue[]) => Promise<void>,
  ): Promise<{ meta: SourceFileMeta; counts: FileCounts }> {
    if (this.failure) throw this.failure;
    const id = this.nextId++;
    const slot = this.workers.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
    const st: Streaming = { batches: [], wake: null };
    this.streams.set(id, st);
    const end: { reply: ParseReply | null; failure: unknown } = { reply: null, failure: null };
    new Promise<ParseReply>((resolve, reject) => this.pending.set(id, { resolve, reject, slot })).then(
      (r) => {
        end.reply = r;
        st.wake?.();
      },
      (e: unknown) => {
        end.failure = e ?? 'failed';
        st.wake?.();
      },
    );
    slot.inFlight++;
    slot.worker.postMessage({ ...job, id } satisfies ParseJob);
    try {
      // The reply comes after the file's last batch (one port, in order).
      for (;;) {
        const b = st.batches.shift();
        if (b) {
          slot.worker.postMessage({ ack: id } satisfies PoolControl);
          await onRows(deserialize(Buffer.from(b)) as RawValue[]);
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
    await onRows(rowsOf({ meta: r.meta, counts: r.counts, rows: r.rows }));
    return { meta: r.meta, counts: r.counts };
  }

  /**
   * The writer needs this file next: until it is parsed, parse queued files on this thread — this one if
   * no worker has taken it yet, else the last one queued — then return its result.
   */
  async help(h: ParseHandle): Promise<ParsedFile> {
    while (!this.arrived.has(h.id)) {
      const at = this.queue.findIndex((q) => q.job.id === h.id);
      const q = at >= 0 ? this.queue.splice(at, 1)[0] : this.queue.pop();
      if (!q) break; // on a worker now; nothing left to take over
      await this.runHere(q);
      // Let the workers' replies in (and hand them their next job) before deciding again.
      await new Promise((r) => setImmediate(r));
    }
    this.arrived.delete(h.id);
    return h.result;
  }

  private async runHere(q: Queued): Promise<void> {
    try {
      const r = await parseToRows(q.job, this.pseudonymise);
      q.resolve({ id: q.job.id, ok: true, meta: r.meta, counts: r.counts, rows: r.rows });
    } catch (e) {
      const g = e instanceof GripError ? e : null;
      q.resolve({
        id: q.job.id,
        ok: false,
        code: g?.code ?? null,
        message: (e as Error).message,
        where: g?.where ?? {},
      });
    }
  }

  private pump(): void {
    for (const slot of this.workers) {
      while (slot.inFlight < JOBS_PER_WORKER) {
        const q = this.queue.shift();
        if (!q) return;
        slot.inFlight++;
        this.pending.set(q.job.id, { resolve: q.resolve, reject: q.reject, slot });
        slot.worker.postMessage(q.job);
      }
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
 * the whole file has passed, so a bad file needs no rollback.
 */
export async function parseToRows(job: Omit<ParseJob, 'id'>, pseudonymise: Pseudonymiser): Promise<ParsedFile> {
  const rows: RawValue[] = [];
  const sink = encodingSink(rows);
  const r = await readIjwFile(job.path, job.display, job.base, pseudonymise, sink, undefined, {
    validate: job.validate,
    expect: job.kind as MessageType,
  });
  return { meta: r.meta, counts: r.counts, rows };
}
