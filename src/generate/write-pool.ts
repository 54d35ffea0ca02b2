/**
 * Writing the generated messages: in the calling thread, or on worker threads (one per core) for a national
 * year's ≈ 2 M files. Every file is a pure function of its job (messages.ts), so which thread writes it, and
 * in which order, does not change a byte.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { jw301, jw315, jw323, type Allocation, type FamilyTag, type Line } from './messages.js';

export type WriteJob =
  | {
      kind: 'jw323';
      file: string;
      provider: string;
      municipality: string;
      declMonth: string;
      number: string;
      lines: Line[];
    }
  | { kind: 'jw301'; file: string; allocation: Allocation; date: string; family: FamilyTag | undefined }
  | { kind: 'jw315'; file: string; allocation: Allocation; date: string; referrer: string };

/** Build and write one message. */
export function writeJob(job: WriteJob): void {
  switch (job.kind) {
    case 'jw323':
      writeFileSync(job.file, jw323(job.provider, job.municipality, job.declMonth, job.number, job.lines));
      return;
    case 'jw301':
      writeFileSync(job.file, jw301(job.allocation, job.date, job.family));
      return;
    case 'jw315':
      writeFileSync(job.file, jw315(job.allocation, job.date, job.referrer));
      return;
  }
}

export interface WriteBatch {
  id: number;
  jobs: WriteJob[];
}
export type WriteReply = { id: number; error: string | null };

const WORKER_URL = new URL(`./write-worker.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url);
/** Files per message to a worker, and batches a worker holds at once (the rest waits in the caller). */
const BATCH = 256;
const IN_FLIGHT = 3;

interface Slot {
  worker: Worker;
  inFlight: number;
}

/** Writes jobs in the calling thread (size 0) or on `size` worker threads. */
export class WritePool {
  private readonly slots: Slot[] = [];
  private batch: WriteJob[] = [];
  private nextId = 0;
  private failure: Error | null = null;
  private waiting: (() => void) | null = null;

  constructor(readonly size: number) {
    // Source (.ts) runs need the TypeScript loader in the worker too, as in ingest/parallel/pool.ts.
    const source = WORKER_URL.pathname.endsWith('.ts');
    const tsxApi = source ? createRequire(import.meta.url).resolve('tsx/esm/api') : '';
    const boot = `require(${JSON.stringify(tsxApi)}).register(); import(${JSON.stringify(WORKER_URL.href)});`;
    for (let i = 0; i < size; i++) {
      const worker = source ? new Worker(boot, { eval: true }) : new Worker(WORKER_URL);
      const slot: Slot = { worker, inFlight: 0 };
      worker.on('message', (reply: WriteReply) => {
        slot.inFlight--;
        if (reply.error !== null) this.failure ??= new Error(reply.error);
        this.wake();
      });
      worker.on('error', (e) => {
        this.failure ??= e;
        this.wake();
      });
      this.slots.push(slot);
    }
  }

  private wake() {
    const w = this.waiting;
    this.waiting = null;
    w?.();
  }

  /** Write one message (now, or queued for a worker: waits while every worker is full). */
  async add(job: WriteJob): Promise<void> {
    if (this.size === 0) return writeJob(job);
    this.batch.push(job);
    if (this.batch.length >= BATCH) await this.flush();
  }

  private async flush(): Promise<void> {
    if (!this.batch.length) return;
    for (;;) {
      if (this.failure) throw this.failure;
      const slot = this.slots.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
      if (slot.inFlight < IN_FLIGHT) {
        slot.inFlight++;
        const message: WriteBatch = { id: this.nextId++, jobs: this.batch };
        slot.worker.postMessage(message);
        this.batch = [];
        return;
      }
      await new Promise<void>((resolve) => (this.waiting = resolve));
    }
  }

  /** Write what is queued, wait for every worker, and stop them; throws the first failure. */
  async close(): Promise<void> {
    try {
      await this.flush();
      while (!this.failure && this.slots.some((s) => s.inFlight > 0))
        await new Promise<void>((resolve) => (this.waiting = resolve));
      if (this.failure) throw this.failure;
    } finally {
      await Promise.all(this.slots.map((s) => s.worker.terminate()));
    }
  }
}
