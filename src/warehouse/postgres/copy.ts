/**
 * `COPY … FROM STDIN` through pg-copy-streams: the source's chunks are piped into the COPY stream. When the
 * source throws, the stream is destroyed, pg-copy-streams sends CopyFail so the server aborts the COPY, and
 * the caller sees the source's own error; the client stays usable.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** Runs `sql` (a `COPY … FROM STDIN`) with the bytes of `source`; resolves to the rows copied. */
export async function copyIn(client: pg.Client, sql: string, source: AsyncIterable<Buffer | string>): Promise<number> {
  const target = client.query(copyFrom(sql));
  await pipeline(Readable.from(source, { objectMode: false }), target);
  return target.rowCount;
}
