/**
 * `COPY … FROM STDIN` with `pg` alone. `client.query` accepts any object with a `submit` method (the
 * Submittable interface pg-cursor and pg-query-stream are built on); pg hands it the server's replies, and
 * on CopyInResponse this one sends the source's chunks as CopyData (waiting for the socket to drain), then
 * CopyDone — or CopyFail when the source throws, so the server aborts the COPY and the caller sees the error.
 */
import { once } from 'node:events';
import type pg from 'pg';

/** The part of pg's connection a Submittable is handed (pg/lib/connection.js). */
interface PgConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
  stream: NodeJS.WritableStream & { writableNeedDrain?: boolean };
}

class CopyIn {
  private done: ((e: Error | null, rows: number) => void) | null;
  private failed: Error | null = null;
  private rows = 0;

  constructor(
    private readonly text: string,
    private readonly source: AsyncIterable<Buffer | string>,
    done: (e: Error | null, rows: number) => void,
  ) {
    this.done = done;
  }

  submit(connection: PgConnection): void {
    connection.query(this.text);
  }

  handleCopyInResponse(connection: PgConnection): void {
    void this.send(connection);
  }

  private async send(connection: PgConnection): Promise<void> {
    try {
      for await (const chunk of this.source) {
        if (this.failed) return;
        connection.sendCopyFromChunk(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
        if (connection.stream.writableNeedDrain) await once(connection.stream, 'drain');
      }
      connection.endCopyFrom();
    } catch (e) {
      this.failed = e instanceof Error ? e : new Error(String(e));
      connection.sendCopyFail(this.failed.message);
    }
  }

  handleCommandComplete(msg: { text?: string }): void {
    const n = /^COPY (\d+)/.exec(msg.text ?? '')?.[1];
    if (n) this.rows = Number(n);
  }

  handleReadyForQuery(): void {
    this.finish(this.failed, this.rows);
  }

  handleError(e: Error): void {
    // The source's own error explains a CopyFail better than the server's echo of it.
    this.finish(this.failed ?? e, 0);
  }

  // Not part of a COPY FROM exchange; pg may call them on a misbehaving server.
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}

  private finish(e: Error | null, rows: number): void {
    const d = this.done;
    this.done = null;
    d?.(e, rows);
  }
}

/** Runs `sql` (a `COPY … FROM STDIN`) with the bytes of `source`; resolves to the rows copied. */
export function copyIn(client: pg.Client, sql: string, source: AsyncIterable<Buffer | string>): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const q = new CopyIn(sql, source, (e, rows) => (e ? reject(e) : resolve(rows)));
    client.query(q as unknown as pg.Submittable);
  });
}
