/**
 * Reading a small file whole, as the importer's examination (hash, sniff) and the stream reader do for most
 * files: one open, reads up to the end, one close — no stat for the size, and no fresh memory per file (a
 * fresh buffer per file cost its pages' faults in every read, and garbage).
 */
import { closeSync, openSync, readSync } from 'node:fs';

/**
 * The buffer files are read into, reused file after file on this thread; grown as a file needs, up to one
 * byte beyond the largest limit asked for (4 MB + 1 in practice), and kept.
 */
let readBuffer = Buffer.allocUnsafeSlow(64 << 10);

/**
 * The whole file when it is at most `limit` bytes, else null. The bytes are in the thread's read buffer and
 * valid only until the next call: the caller uses them before it awaits anything.
 */
export function readWholeFile(path: string, limit: number): Buffer | null {
  const fd = openSync(path, 'r');
  try {
    let got = 0;
    for (;;) {
      if (got === readBuffer.length) {
        if (got > limit) return null;
        const bigger = Buffer.allocUnsafeSlow(Math.min(2 * readBuffer.length, limit + 1));
        readBuffer.copy(bigger, 0, 0, got);
        readBuffer = bigger;
      }
      const n = readSync(fd, readBuffer, got, readBuffer.length - got, null);
      if (n === 0) break;
      got += n;
    }
    return got > limit ? null : readBuffer.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}
