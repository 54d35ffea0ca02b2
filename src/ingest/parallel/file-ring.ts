/**
 * The bytes of files examined ahead of the parse threads, in memory both the writer's thread and the workers
 * see. The importer reads every file once to hash and sniff it; with the ring it keeps those bytes, and the
 * thread that parses the file reads them from here instead of opening the file again. The parse then reads
 * exactly the bytes that were hashed, and the parse threads make no file system calls for such files.
 *
 * Space is taken in input order at the head and given back in any order; it is reused once everything before
 * it was given back (files are stored in input order, so what waits is the window of files parsed ahead).
 * When a file does not fit, `put` returns null and the file is read from disk as before: the ring bounds the
 * memory, never the import.
 */

/** A file's bytes in the ring: where they are, and how many. */
export interface RingSlice {
  readonly offset: number;
  readonly length: number;
}

interface Entry extends RingSlice {
  released: boolean;
}

export class FileRing {
  readonly buffer: SharedArrayBuffer;
  private readonly bytes: Uint8Array;
  /** Slices not given back yet, or given back behind one that is not: oldest first, from `first` on. */
  private readonly entries: Entry[] = [];
  private first = 0;
  /** Where the next slice starts (when one fits there). */
  private head = 0;

  constructor(size: number) {
    this.buffer = new SharedArrayBuffer(size);
    this.bytes = new Uint8Array(this.buffer);
  }

  /** Copies `bytes` into the ring: their slice, or null when there is no room for them now. */
  put(bytes: Uint8Array): RingSlice | null {
    const n = bytes.length;
    const size = this.bytes.length;
    if (n === 0) return null;
    let at: number;
    if (this.first === this.entries.length) at = n <= size ? 0 : -1;
    else {
      const tail = this.entries[this.first]!.offset;
      // Free while the slices in use do not wrap: [head, size) and [0, tail); else [head, tail). A slice never
      // ends exactly at the oldest one's start (head === tail would then mean both empty and full).
      if (this.head > tail) at = size - this.head >= n ? this.head : n < tail ? 0 : -1;
      else at = n < tail - this.head ? this.head : -1;
    }
    if (at < 0) return null;
    this.bytes.set(bytes, at);
    this.head = at + n;
    const e: Entry = { offset: at, length: n, released: false };
    this.entries.push(e);
    return e;
  }

  /** Gives a slice's space back (once; later calls do nothing). */
  release(slice: RingSlice): void {
    (slice as Entry).released = true;
    while (this.first < this.entries.length && this.entries[this.first]!.released) this.first++;
    if (this.first === this.entries.length) {
      this.entries.length = 0;
      this.first = 0;
      this.head = 0;
    } else if (this.first >= 1024) {
      this.entries.splice(0, this.first);
      this.first = 0;
    }
  }

  /** Bytes the ring cannot give now: the slices in use and the space between them, from the oldest on. */
  get used(): number {
    if (this.first === this.entries.length) return 0;
    const tail = this.entries[this.first]!.offset;
    return this.head > tail ? this.head - tail : this.bytes.length - tail + this.head;
  }
}

/** A file's bytes in a ring, as a Buffer (valid until the slice is given back). */
export const sliceBytes = (ring: SharedArrayBuffer, s: RingSlice): Buffer => Buffer.from(ring, s.offset, s.length);
