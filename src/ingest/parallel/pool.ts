/**
 * Parse workers for `grip import`: iJw files are parsed, validated, checked and pseudonymised on worker
 * threads (one per core but the writer's), while the importer's single writer appends their rows to the warehouse in file
 * order — the same rows in the same order as a one-worker import, so the warehouse is byte for byte the same.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { GripError, type ErrorLocation } from '../../domain/errors.js';
import type { FileCounts, MessageType, RowSink, SourceFileMeta } from '../../warehouse/warehouse.js';
import { readIjwFile } from '../ijw/messages.js';
import type { Pseudonymiser } from '../pseudonymise.js';

export type SinkCall = [keyof RowSink, unknown];

export interface ParseJob {
  id: number;
  path: string;
  display: string;
  kind: string;
  base: Pick<SourceFileMeta, 'sha256' | 'sizeBytes'>;
  validate: boolean;
}

export type ParseReply =
  | { id: number; ok: true; meta: SourceFileMeta; counts: FileCounts; rows: SinkCall[] }
  | { id: number; ok: false; code: string | null; message: string; where: ErrorLocation };

export interface ParsedFile {
  meta: SourceFileMeta;
  counts: FileCounts;
  rows: SinkCall[];
}

const WORKER_URL = new URL(`./worker.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url);

export class ParsePool {
  private readonly workers: { worker: Worker; busy: boolean }[] = [];
  private readonly queue: { job: ParseJob; resolve: (r: ParseReply) => void; reject: (e: unknown) => void }[] = [];
  private readonly pending = new Map<number, { resolve: (r: ParseReply) => void; reject: (e: unknown) => void; slot: { worker: Worker; busy: boolean } }>();
  private nextId = 1;
  private failure: Error | null = null;
  private closing = false;

  constructor(
    readonly size: number,
    key: Buffer,
  ) {
    // Source (.ts) runs need the TypeScript loader in the worker too (registered there before the worker
    // module loads; Node 20 does not pass --import hooks to workers); the compiled build does not.
    const source = WORKER_URL.pathname.endsWith('.ts');
    const tsxApi = source ? createRequire(import.meta.url).resolve('tsx/esm/api') : '';
    const boot = `require(${JSON.stringify(tsxApi)}).register(); import(${JSON.stringify(WORKER_URL.href)});`;
    for (let i = 0; i < size; i++) {
      const workerData = { key: new Uint8Array(key) };
      const worker = source ? new Worker(boot, { eval: true, workerData }) : new Worker(WORKER_URL, { workerData });
      const slot = { worker, busy: false };
      worker.on('message', (reply: ParseReply) => {
        const p = this.pending.get(reply.id);
        this.pending.delete(reply.id);
        slot.busy = false;
        p?.resolve(reply);
        this.pump();
      });
      const fail = (e: unknown) => {
        this.failure ??= e instanceof Error ? e : new Error(`parse worker stopped (${String(e)})`);
        for (const [id, p] of this.pending) if (p.slot === slot) (this.pending.delete(id), p.reject(this.failure));
        for (const q of this.queue.splice(0)) q.reject(this.failure);
      };
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (!this.closing) fail(`exit code ${code}`);
      });
      this.workers.push(slot);
    }
  }

  /** Parses a file on a worker; rejects with the file's GripError when it is bad. */
  async parse(job: Omit<ParseJob, 'id'>): Promise<ParsedFile> {
    if (this.failure) throw this.failure;
    const reply = await new Promise<ParseReply>((resolve, reject) => {
      this.queue.push({ job: { ...job, id: this.nextId++ }, resolve, reject });
      this.pump();
    });
    if (!reply.ok) throw reply.code ? new GripError(reply.code, reply.message, reply.where) : new Error(reply.message);
    return { meta: reply.meta, counts: reply.counts, rows: reply.rows };
  }

  private pump(): void {
    for (const slot of this.workers) {
      if (slot.busy || !this.queue.length) continue;
      const { job, resolve, reject } = this.queue.shift()!;
      slot.busy = true;
      this.pending.set(job.id, { resolve, reject, slot });
      slot.worker.postMessage(job);
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
  const rows: SinkCall[] = [];
  const sink: RowSink = {
    declarationLine: (r) => void rows.push(['declarationLine', r]),
    answer: (r) => void rows.push(['answer', r]),
    allocation: (r) => void rows.push(['allocation', r]),
    careEvent: (r) => void rows.push(['careEvent', r]),
    request: (r) => void rows.push(['request', r]),
  };
  const r = await readIjwFile(job.path, job.display, job.base, pseudonymise, sink, undefined, { validate: job.validate, expect: job.kind as MessageType });
  return { meta: r.meta, counts: r.counts, rows };
}

/** Replays a worker's rows into the writer's sink, in the order the worker read them. */
export function replay(rows: SinkCall[], sink: RowSink): void {
  for (const [method, row] of rows) (sink[method] as (r: unknown) => void)(row);
}
