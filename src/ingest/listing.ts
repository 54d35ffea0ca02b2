/**
 * A folder's entries in name order, in bounded memory.
 *
 * A national year puts 2.2 million JW301 messages in one folder: `readdirSync` with its sort held 220 MB of
 * directory entries on the importer's heap for the whole walk. Here the folder is read one entry at a time;
 * up to `chunk` names are sorted in memory, and a larger folder is sorted in runs of `chunk` names written
 * to temporary files and merged, so memory stays at one run plus one buffer per run, whatever the count.
 */
import { closeSync, mkdtempSync, openSync, opendirSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const collator = new Intl.Collator().compare;
/**
 * The order of names: the importer's (and the user's) order of files within a folder. Names the collator
 * finds equal (a composed and a decomposed "é") go by their bytes, as readdirSync (which lists by strcmp)
 * with a stable sort had them: a total order, whatever order the file system lists a folder in.
 */
const byName = (a: string, b: string): number =>
  collator(a, b) || (a === b ? 0 : Buffer.compare(Buffer.from(a), Buffer.from(b)));

export interface FolderEntry {
  name: string;
  /** A folder (not followed when it is a symbolic link, as readdir reports it). */
  folder: boolean;
}

/** Names sorted in memory at most; a folder with more is sorted in runs on disk. */
const LISTING_CHUNK = 100_000;

/**
 * The entries of `dir` sorted by name (byName), one at a time. Runs on disk are unlinked as soon as they are
 * open, so nothing is left behind when the caller stops early or the process dies.
 */
export function* sortedEntries(dir: string, chunk = LISTING_CHUNK): Generator<FolderEntry> {
  const d = opendirSync(dir);
  const runs: Run[] = [];
  let spool: string | null = null;
  let names: string[] = [];
  let folders = new Set<string>();
  try {
    for (let e = d.readSync(); e !== null; e = d.readSync()) {
      names.push(e.name);
      if (e.isDirectory()) folders.add(e.name);
      if (names.length >= chunk) {
        spool ??= mkdtempSync(join(tmpdir(), 'grip-listing-'));
        runs.push(writeRun(spool, runs.length, names.sort(byName), folders));
        names = [];
        folders = new Set();
      }
    }
  } finally {
    d.closeSync();
    if (spool) rmSync(spool, { recursive: true, force: true });
  }
  names.sort(byName);
  if (!runs.length) {
    for (const name of names) yield { name, folder: folders.has(name) };
    return;
  }
  try {
    yield* merge([...runs, memoryRun(names, folders)]);
  } finally {
    for (const r of runs) r.close();
  }
}

/** Entries of `dir` for which `count` says so, read one at a time (no listing held). */
export function countEntries(dir: string, count: (name: string, folder: boolean) => number): number {
  const d = opendirSync(dir);
  let n = 0;
  try {
    for (let e = d.readSync(); e !== null; e = d.readSync()) n += count(e.name, e.isDirectory());
  } finally {
    d.closeSync();
  }
  return n;
}

/** A sorted run: its next entry, or null at its end. */
interface Run {
  head: FolderEntry | null;
  advance(): void;
  close(): void;
}

function memoryRun(names: readonly string[], folders: ReadonlySet<string>): Run {
  let i = 0;
  const at = (k: number): FolderEntry | null => {
    const name = names[k];
    return name === undefined ? null : { name, folder: folders.has(name) };
  };
  const run: Run = {
    head: at(0),
    advance() {
      run.head = at(++i);
    },
    close() {},
  };
  return run;
}

/**
 * Writes one sorted run: per entry a type byte (`d` folder, `f` other) and the name's UTF-8, each ended by
 * a NUL (which no file name holds). The file is reopened for reading and unlinked at once.
 */
function writeRun(spool: string, n: number, names: readonly string[], folders: ReadonlySet<string>): Run {
  const path = join(spool, `run-${n}`);
  const out = openSync(path, 'w', 0o600);
  try {
    const BATCH = 4096;
    for (let i = 0; i < names.length; i += BATCH) {
      const text = names
        .slice(i, i + BATCH)
        .map((name) => `${folders.has(name) ? 'd' : 'f'}${name}\u0000`)
        .join('');
      writeSync(out, text);
    }
  } finally {
    closeSync(out);
  }
  const fd = openSync(path, 'r');
  unlinkSync(path);
  return fileRun(fd);
}

function fileRun(fd: number): Run {
  const BUFFER = 1 << 16;
  let buffer = Buffer.alloc(0);
  let at = 0;
  let closed = false;
  const next = (): FolderEntry | null => {
    for (;;) {
      const end = buffer.indexOf(0, at);
      if (end >= 0) {
        const record = buffer.toString('utf8', at, end);
        at = end + 1;
        return { name: record.slice(1), folder: record.startsWith('d') };
      }
      if (closed) return null;
      // Keep the unfinished record and read more after it.
      const rest = buffer.subarray(at);
      const fresh = Buffer.allocUnsafe(Math.max(BUFFER, 2 * rest.length));
      rest.copy(fresh);
      const read = readSync(fd, fresh, rest.length, fresh.length - rest.length, null);
      buffer = fresh.subarray(0, rest.length + read);
      at = 0;
      if (read === 0) {
        closed = true;
        closeSync(fd);
      }
    }
  };
  const run: Run = {
    head: next(),
    advance() {
      run.head = next();
    },
    close() {
      if (!closed) closeSync(fd);
      closed = true;
    },
  };
  return run;
}

/** k-way merge of sorted runs through a binary heap on their heads; ties go to the earlier run. */
function* merge(runs: Run[]): Generator<FolderEntry> {
  const heap = runs.map((run, order) => ({ run, order })).filter((h) => h.run.head !== null);
  const less = (a: (typeof heap)[number], b: (typeof heap)[number]) => {
    // Heads are non-null while a run is in the heap.
    const c = byName(a.run.head!.name, b.run.head!.name);
    return c < 0 || (c === 0 && a.order < b.order);
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && less(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && less(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
  while (heap.length) {
    const top = heap[0]!;
    yield top.run.head!;
    top.run.advance();
    if (top.run.head === null) {
      const last = heap.pop()!;
      if (heap.length) heap[0] = last;
    }
    down(0);
  }
}
