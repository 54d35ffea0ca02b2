/**
 * `grip import`: files and folders → warehouse. For every file: hash (idempotency), detect the message
 * type, validate against the XSD, stream-parse with the checks, and store. Files are all-or-none: a bad
 * file is rejected whole with a message naming file, line and element, and the other files still import.
 * Small files share a transaction (commit is the costly part); when one fails, the transaction is rolled
 * back and redone without it, so no file is ever half in the warehouse.
 */
import * as crypto from 'node:crypto';
import { createReadStream, existsSync, openSync, readFileSync, readSync, closeSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { GripError, describeError } from '../domain/errors.js';
import type { FileCounts, MessageType, Warehouse } from '../warehouse/warehouse.js';
import { isProviderRegisterHeader, isTariffListHeader, readCsvFile, tryBulkCsv } from './csv.js';
import { IJW_NAMESPACES, readIjwFile } from './ijw/messages.js';
import type { Pseudonymiser } from './pseudonymise.js';
import type { XsdValidator } from './xsd.js';
import { availableParallelism } from 'node:os';
import {
  ParsePool,
  appendRows,
  parseToRows,
  type ParseHandle,
  type ParseJob,
  type ParsedFile,
} from './parallel/pool.js';
import { FileRing, type RingSlice } from './parallel/file-ring.js';
import { pseudonymiserKey } from './pseudonymise.js';
import { countEntries, sortedEntries } from './listing.js';
import { readWholeFile } from './whole-file.js';
import { setFlagsFromString } from 'node:v8';

export interface Progress {
  start(total: number, label: string): void;
  update(done: number, label?: string): void;
  stop(): void;
}
export const silentProgress: Progress = { start() {}, update() {}, stop() {} };

/**
 * A parse worker pays for its start-up (≈ 0.7 s CPU, ≈ 0.3 s wall) only from this many XML files on. Measured on
 * an idle machine (6 December 2026, generated JW323 files, three or four pairs each, one thread against two):
 * 307 files 0.75-0.89 against 1.07-1.15 s wall; 1,000 files 0.96-1.00 against 1.26-1.30 s; 2,000 files
 * 1.60-2.31 against 1.74-2.52 s; 4,000 files 3.49-3.57 against 3.13-3.39 s. Into a warehouse that held no
 * file, the listing's count of XML files decides at once; otherwise this many new XML files examined do.
 * (Two-year JW323 into a new warehouse, 5 interleaved pairs, 6 December 2026: started at once 3.04-3.91 s,
 * median 3.65, against 3.18-3.95 s, median 3.91, after 3,000 files examined.)
 */
const PARALLEL_MIN_FILES = 3_000;
/** Larger files are streamed on the writer's thread (a worker would hold all of their rows at once). */
const PARALLEL_MAX_FILE = 4 << 20;
/**
 * Files parsed ahead of the writer, at most, and their bytes at most: this bounds the parsed rows that wait
 * for the writer (from a worker as one buffer per file, outside the JavaScript heap). The writer's thread
 * stalls for 0.1-0.3 s at times (a DuckDB appender flush that writes a row group, a group's duplicate check
 * and commit); the parse threads work on meanwhile as far as this window reaches. A warm worker parses about
 * six generated JW323 files per millisecond, so 512 files (until 7 December 2026) lasted ≈ 0.1 s and the
 * worker sat idle through every such stall (five-year JW323: five stalls, ≈ 0.6 s idle in all). Runs
 * interleaved, 7 December 2026, the machine in a slow phase: five-year JW323 (19,034 files) min 4.97 s,
 * median 5.28 s against 5.71 and 6.04 s (6 rounds), peak RSS 295 against 286 MB; two-year JW323 (one stall)
 * min 2.22, median 2.38 s against 2.23 and 2.44 s. A window of 4,096 files and 160 MB was slower than one of
 * 2,048 and 96 MB (4 rounds: 5.08 and 5.77 s against 4.84 and 5.22 s), and a 48 MB file ring instead of
 * 16 MB no faster (4.94 and 5.43 s against 4.76 and 5.18 s, peak RSS 326 MB).
 */
const PARALLEL_WINDOW = 2048;
const PARALLEL_WINDOW_BYTES = 64 << 20;

/** Whether a file is parsed whole before it is stored (on a parse thread or the writer's). */
const parsedWhole = (c: Pick<Candidate, 'kind' | 'size'>) => c.kind !== 'CSV' && c.size <= PARALLEL_MAX_FILE;

/**
 * Bytes of the FileRing, which keeps the files examined ahead of the parse threads (XML files parsed whole)
 * so that they are parsed from the bytes read to hash them instead of being read again. It holds files from
 * the one being stored to the last one examined (the parse window and what is examined beyond it), as many as
 * fit: ≈ 550 files of ≈ 29 KB (two-year region), a quarter of a full window; a file that finds no room is read
 * from disk (the page cache, as a rule) by its parse thread. A 48 MB ring was no faster (see PARALLEL_WINDOW).
 * Used when the warehouse held no file as the run began (files are then known to be new as soon as they are
 * examined); when every file is looked up, batches of LOOKUP_BATCH files wait for their look-up.
 */
const RING_BYTES = 16 << 20;

/** Gives a candidate's bytes back to the ring (once they are no longer read). */
function releaseBytes(ring: FileRing | null, c: Candidate): void {
  if (!c.bytes) return;
  ring?.release(c.bytes);
  c.bytes = undefined;
}

/**
 * Files handed to the parse threads ahead of the writer, in the order they are stored and across the
 * groups' transactions (so the parse threads keep working while a group commits), at most PARALLEL_WINDOW
 * beyond the file being stored. The importer enqueues files as soon as it knows they are new to the
 * warehouse, a little beyond the window (see EXAMINE_AHEAD), so what waits here is bounded too.
 */
class ParseAhead {
  /** Submitted and not taken yet, in store order. */
  private readonly handles = new Map<Candidate, ParseHandle>();
  private handleBytes = 0;
  private readonly waiting: Candidate[] = [];
  private head = 0;
  /** The file being stored: files before it are not submitted any more. */
  private storing = -1;
  constructor(
    readonly pool: ParsePool,
    private readonly validate: boolean,
    private readonly rejected: ReadonlyMap<string, string>,
    /** Where the files' bytes are kept for the parse threads, if anywhere (see RING_BYTES). */
    readonly ring: FileRing | null,
  ) {}

  enqueue(files: readonly Candidate[]): void {
    for (const f of files) if (parsedWhole(f)) this.waiting.push(f);
    this.fill();
  }

  /** Files enqueued and not submitted yet (beyond the window). */
  backlog(): number {
    return this.waiting.length - this.head;
  }

  /** `c` is stored now: take its handle if it was submitted, and submit the files after it. */
  take(c: Candidate): ParseHandle | undefined {
    this.storing = c.seq;
    // Handles of files before this one were left out (rejected meanwhile) or taken in a group now redone.
    for (const [f, h] of this.handles) {
      if (f.seq >= c.seq) break;
      this.drop(f);
      // Its bytes are given back once no thread reads them any more.
      const bytes = f.bytes;
      f.bytes = undefined;
      if (bytes) void h.result.catch(() => {}).then(() => this.ring?.release(bytes));
    }
    this.fill(); // c itself, if it was beyond the window: then this thread will most likely claim it
    const h = this.handles.get(c);
    if (h) this.drop(c);
    this.fill();
    return h;
  }

  private drop(f: Candidate): void {
    this.handles.delete(f);
    this.handleBytes -= f.size;
  }

  /** Submits waiting files while the window has room. */
  private fill(): void {
    while (this.head < this.waiting.length && this.handles.size < PARALLEL_WINDOW) {
      const f = this.waiting[this.head];
      if (!f || f.seq < this.storing || this.rejected.has(f.path)) {
        this.head++;
        continue;
      }
      if (this.handles.size > 0 && this.handleBytes + f.size > PARALLEL_WINDOW_BYTES) break;
      this.head++;
      this.handles.set(f, this.pool.submit(parseJob(f, this.validate)));
      this.handleBytes += f.size;
    }
    if (this.head > 4096) {
      this.waiting.splice(0, this.head);
      this.head = 0;
    }
  }
}

/**
 * Declaration lines per shared transaction, about (estimated from the files' sizes: GROUP_BYTES_PER_LINE).
 * From 122,880 rows on (a row group) DuckDB writes a transaction's appended rows to the database file as they
 * come, compressed, instead of holding them and writing them again into its log at the commit; fewer groups
 * also mean fewer duplicate checks and run-off updates. Measured on an idle machine, 6 December 2026, against
 * 50,000 (the value until then), runs interleaved: two-year JW323 4.3-5.4 s and 7.0-8.6 s CPU against
 * 5.1-6.1 s and 8.0-10.1 s (3 runs each); five-year JW323 9.7-11.6 s, 16.0-18.3 s CPU, peak RSS
 * 334-342 MB against 14.3-14.5 s, 22.5-23.0 s, 286-294 MB (3 pairs); the whole five-year folder 31.4
 * against 37.1 s; a national JW323 year (9,979,829 lines) 231 s, 311 s CPU, 364 MB against 4.1 min, 355 s,
 * 386 MB (5 December). A killed import loses at most its group; a group with a duplicate declaration is
 * stored again without the file.
 */
const GROUP_LINES = 250_000;
/**
 * A full group takes the rest of the input as well when that is at most this share of its files (see
 * importPaths, grower). Two-year JW323 files: one group of 7,982 files instead of one of 7,823 and one of 159,
 * whose duplicate check and commit took 0.11 s of the import's ≈ 3 s (7 December 2026).
 */
const LAST_GROUP_SHARE = 1 / 8;

/**
 * Bytes per declaration line, to estimate a file's lines from its size before it is read: JW323 files have
 * ≈ 1,050 (generated; 900 errs towards smaller groups), CSV ≈ 107.
 */
const GROUP_BYTES_PER_LINE = (c: Candidate) => (c.kind === 'CSV' ? 100 : 900);

/**
 * Files per shared transaction. A file that fails its parse or checks costs nothing (it is parsed whole
 * before any row is stored); a group is redone only for a duplicate declaration or a failing CSV or large
 * file, and each transaction costs a commit and the duplicate check, so groups are large. For declarations
 * GROUP_LINES is the bound, not this: at 5,000 files (until 6 December 2026) the two-year JW323 files made a
 * group of 5,000 files and one of 2,982 (≈ 80,000 lines, under a row group), whose rows DuckDB compressed at
 * the end, in the derived build's commit, with both parse threads done. At 20,000, interleaved runs with
 * storage without FSST (duckdb/index.ts STORAGE_SETTINGS): two-year JW323 3.17-3.23 s, 5.5-5.6 s CPU against
 * 3.76-3.92 s, 6.4-6.7 s (4 pairs); five-year JW323 7.1-7.2 s, peak RSS 266-268 MB against 7.6-7.7 s,
 * 353-354 MB (2 pairs); the whole five-year folder 20.0 s, 300 MB against 22.6 s, 279 MB (one pair).
 */
const MAX_GROUP_FILES = () => Number(process.env.GRIP_IMPORT_GROUP_FILES) || 20_000;

export interface ImportOptions {
  warehouse: Warehouse;
  pseudonymise: Pseudonymiser;
  /**
   * External XSD validation (xmllint), run besides the in-stream validator to cross-check real traffic
   * (`grip import --xsd xmllint`); pass one with `available: false` for none.
   */
  xsd: XsdValidator;
  /** Validate iJw messages against the XSDs inside the streaming parse (default: yes). */
  streamSchema?: boolean;
  /**
   * Threads that parse iJw files: this one (which also writes to the warehouse) and `workers − 1` worker
   * threads; this thread takes every `workers`-th file, the workers the others. Default:
   * GRIP_IMPORT_WORKERS, else one per core once the run has shown enough new XML files to pay for starting a
   * worker (PARALLEL_MIN_FILES); 1 parses everything on this thread. The rows stored are the same either way.
   */
  workers?: number;
  progress?: Progress;
  /** Lines per shared transaction. */
  groupLines?: number;
  /**
   * Let an engine that reads CSV itself (DuckDB) take plainly valid CSV files whole (default: yes, unless
   * GRIP_BULK_CSV=0). The rows stored are the same; only the speed differs.
   */
  bulkCsv?: boolean;
  /**
   * Called with every file's outcome, in the order of the input, as soon as it is known. When given, the
   * summary keeps only the outcomes its report names (see ImportSummary.outcomes), so an import of any
   * number of files holds a bounded amount of per-file state.
   */
  onOutcome?: (o: FileOutcome) => void;
}

export type FileStatus = 'imported' | 'skipped' | 'rejected';
export interface FileOutcome {
  file: string;
  status: FileStatus;
  messageType: MessageType | null;
  lines: number;
  totalCents: number;
  reason?: string;
  /** True when the engine read the file itself (ImportOptions.bulkCsv). */
  bulk?: boolean;
}
export interface ImportSummary {
  /**
   * Per-file outcomes, in the order of the input. With ImportOptions.onOutcome only those the report names
   * (rejected files, and files skipped for not being declarations); otherwise every file's.
   */
  outcomes: FileOutcome[];
  imported: number;
  skipped: number;
  rejected: number;
  lines: number;
  /** Sum of the imported files' declaration lines, in cents. */
  totalCents: number;
  /** Bytes of the files that were new to the warehouse (imported or rejected while storing). */
  bytes: number;
  xsdValidated: boolean;
  xsdNote: string;
}

interface Candidate {
  /** Position in the input (the order outcomes are reported in). */
  seq: number;
  path: string;
  display: string;
  size: number;
  sha256: string;
  kind: MessageType; // CSV or an iJw type
  firstLine: string;
  /** The file's bytes as examined, in the FileRing (given back once parsed, or once it is skipped). */
  bytes?: RingSlice;
}

/** What a parse thread is given for a candidate (its bytes in the ring, if they are there). */
const parseJob = (c: Candidate, validate: boolean): Omit<ParseJob, 'id'> => ({
  path: c.path,
  display: c.display,
  kind: c.kind,
  base: { sha256: c.sha256, sizeBytes: c.size },
  validate,
  bytes: c.bytes, // one shape of job, with or without ring bytes (as parseToRows' options)
});

const INPUT_NAME = /\.(xml|csv)$/i;
const XML_NAME = /\.xml$/i;

/**
 * The input's .xml and .csv files in order (folders recursively, sorted by name; explicit files as given),
 * one folder's names at a time; paths that do not exist are left out (importPaths reports them first).
 */
function* inputFiles(paths: readonly string[]): Generator<string> {
  function* walk(dir: string): Generator<string> {
    for (const e of sortedEntries(dir)) {
      const p = join(dir, e.name);
      if (e.folder) yield* walk(p);
      else if (INPUT_NAME.test(e.name)) yield p;
    }
  }
  for (const p of paths) {
    if (!existsSync(p)) continue;
    if (statSync(p).isDirectory()) yield* walk(p);
    else yield p;
  }
}

/**
 * How many files inputFiles yields (for progress), and how many of them by their name are XML, without
 * holding their names.
 */
function countInputFiles(paths: readonly string[]): { files: number; xml: number } {
  let xml = 0;
  /** 1 for an input file (counting the XML ones in `xml` too), else 0. */
  const one = (name: string): number => {
    if (XML_NAME.test(name)) xml++;
    return 1;
  };
  const count = (dir: string): number =>
    countEntries(dir, (name, folder) => (folder ? count(join(dir, name)) : INPUT_NAME.test(name) ? one(name) : 0));
  let files = 0;
  for (const p of paths) if (existsSync(p)) files += statSync(p).isDirectory() ? count(p) : one(p);
  return { files, xml };
}

/**
 * SHA-256 of bytes at hand, in hex: one call where Node has the one-shot `crypto.hash` (20.12 on), which
 * makes no Hash object per file (3 KB: 2.4 against 3.5 µs; ≈ 40 ms over two years' 36,828 JW301 files).
 */
const sha256Hex: (bytes: Buffer) => string =
  typeof crypto.hash === 'function'
    ? (bytes) => crypto.hash('sha256', bytes, 'hex')
    : (bytes) => crypto.createHash('sha256').update(bytes).digest('hex');

async function sha256Of(path: string, size: number): Promise<string> {
  if (size <= 4 << 20) return sha256Hex(readFileSync(path));
  const h = crypto.createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Files up to this size are read once, for both their head and their hash. */
const READ_WHOLE = 4 << 20;
const HEAD_BYTES = 4096;
/**
 * Bytes of an XML file's head decoded first to sniff its type: enough for the root element and its namespace.
 * When they do not tell an iJw type, the whole head (HEAD_BYTES) is decoded and sniffed instead, which finds
 * the same match whenever the shorter text has one (a match cut off at its end cannot hold the one found
 * before it), so the outcome is the same.
 */
const SNIFF_BYTES = 1024;

function headText(bytes: Buffer, n = HEAD_BYTES): string {
  return bytes
    .subarray(0, n)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
}

function head(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    return headText(buf.subarray(0, readSync(fd, buf, 0, HEAD_BYTES, 0)));
  } finally {
    closeSync(fd);
  }
}

/** Message type from the first bytes: the root element's namespace, or a CSV header. */
export function sniffType(text: string, display: string): MessageType {
  const t = text.trimStart();
  if (t === '') throw new GripError('FILE_EMPTY', 'the file is empty', { file: display });
  if (t.startsWith('<')) {
    const root = /<(?:([A-Za-z_][\w.-]*):)?Bericht[\s>]/.exec(t);
    if (!root)
      throw new GripError('MESSAGE_UNKNOWN', 'no iJw <Bericht> root element found in the first 4 KB', {
        file: display,
        line: 1,
      });
    const prefix = root[1];
    const nsRe = prefix ? new RegExp(`xmlns:${prefix}\\s*=\\s*["']([^"']+)["']`) : /xmlns\s*=\s*["']([^"']+)["']/;
    const ns = nsRe.exec(t.slice(root.index))?.[1];
    const type = ns ? IJW_NAMESPACES[ns] : undefined;
    if (!type) {
      throw new GripError(
        'NAMESPACE_UNKNOWN',
        `namespace "${ns ?? '(none)'}" is not an iJw 3.2 message Grip reads (expected http://www.istandaarden.nl/ijw/3_2/jwNNN/schema for JW301, JW305, JW307, JW315, JW323 or JW325)`,
        { file: display, line: 1, element: 'Bericht' },
      );
    }
    return type;
  }
  return 'CSV';
}

/** sniffType of a shorter head when it tells an iJw type; else null (the whole head decides then). */
function sniffXml(text: string, display: string): MessageType | null {
  if (!text.trimStart().startsWith('<')) return null;
  try {
    return sniffType(text, display);
  } catch {
    return null;
  }
}

/**
 * Files examined (read, sniffed, hashed) per warehouse look-up of the ones it already holds. With parse
 * threads, the examination keeps this many files new to the warehouse waiting beyond the parse window, at
 * least: it runs on the writer's thread a batch at a time between the files it stores, just ahead of what
 * the parse threads need, so they always have files (when whole groups were examined at once, the parse
 * worker sat idle while the writer hashed the next group's 5,000 files, 0.4 s per group).
 */
const EXAMINE_AHEAD = 128;
/**
 * New files examined before one look-up, when every file is looked up (the warehouse held files when the run
 * began): a look-up costs a scan of the stored hashes on DuckDB, whatever its size, so they are few and large.
 * Re-importing the two-year region folder (66,835 files, all stored already): 128 per look-up 7.1 s, 4,096
 * 3.0 s (6 December 2026). With 3.7 million files stored, a look-up of 128 took 187 ms, one of 4,096 60 ms
 * (duckdb/index.ts findFilesBySha).
 */
const LOOKUP_BATCH = 4_096;
/**
 * Hashes of the files stored in a run kept in memory (≈ 110 bytes each) when the warehouse held no file as the
 * run began: up to this many, a file is looked up in the warehouse only when it matches one of them (two-year
 * JW323 into a new warehouse: 63 look-ups of ≈ 7 ms each on the writer's thread saved; against the build
 * before, 5 pairs, wall -0.59 … +0.49 s, median -0.20 s).
 */
const RUN_HASHES_KEPT = 100_000;
/**
 * Input files examined beyond the first whose outcome is not reported yet, at most: bounds the outcomes that
 * wait for the files before them (a re-import examines many files per new one).
 */
const MAX_PULL_AHEAD = (xmllint: boolean) => (xmllint ? GROUPS_AHEAD_XMLLINT + 2 : 2) * MAX_GROUP_FILES();
/** Groups prepared whole beyond the one stored when xmllint checks them (a whole group ahead). */
const GROUPS_AHEAD_XMLLINT = 2;

/**
 * How far V8 lets a JavaScript heap grow past what its last full collection left alive while an import runs
 * (V8's --heap-growing-percent, read at every full collection of every thread's heap, so it applies to the
 * parse threads too; V8's own value is restored afterwards). V8's own factor here is up to 4: the writer's
 * heap (about 20 MB alive) reaches 80-100 MB before it is collected, and a commit that falls then peaks
 * higher. Default 100; GRIP_IMPORT_HEAP_GROWTH sets another percentage, 0 leaves V8's own. Measured with 100
 * on an idle machine (6 December 2026, runs interleaved): two-year region folder (66,835 files) peak RSS
 * 344-364 MB against 387-401 MB in four pairs, for 0.3-0.6 s more of 15-16 s CPU in three of them; its
 * JW323 files 313-316 MB against 314-323 MB, 0-0.2 s more of 7.3 s. Under load 10-13: 333-353 against
 * 352-379 MB.
 */
const HEAP_GROWTH = () => {
  const set = process.env.GRIP_IMPORT_HEAP_GROWTH;
  return set === undefined || set.trim() === '' ? 100 : Math.max(0, Math.floor(Number(set) || 0));
};

/**
 * Imports files and folders. The input is read as a stream: files are hashed, sniffed and looked up in
 * groups of at most MAX_GROUP_FILES prepared a few groups ahead, and each file's outcome is reported (and its
 * bookkeeping dropped) as soon as its group is done, so the memory an import needs does not grow with the
 * number of files (given ImportOptions.onOutcome).
 */
export async function importPaths(paths: string[], opts: ImportOptions): Promise<ImportSummary> {
  const progress = opts.progress ?? silentProgress;
  const groupLines = opts.groupLines ?? GROUP_LINES;
  const streamSchema = opts.streamSchema !== false;
  const summary: ImportSummary = {
    outcomes: [],
    imported: 0,
    skipped: 0,
    rejected: 0,
    lines: 0,
    totalCents: 0,
    bytes: 0,
    xsdValidated: streamSchema || opts.xsd.available,
    xsdNote:
      [streamSchema ? 'in-stream validation against the iJw 3.2 XSDs' : '', opts.xsd.available ? opts.xsd.why : '']
        .filter(Boolean)
        .join(' and ') || opts.xsd.why,
  };
  const report = (o: FileOutcome) => {
    summary[o.status]++;
    summary.lines += o.lines;
    summary.totalCents += o.totalCents;
    opts.onOutcome?.(o);
    if (!opts.onOutcome || o.status === 'rejected' || (o.status === 'skipped' && o.messageType === null))
      summary.outcomes.push(o);
  };
  const outcome = (file: string, status: FileStatus, messageType: MessageType | null, reason: string) => ({
    file,
    status,
    messageType,
    lines: 0,
    totalCents: 0,
    reason,
  });
  for (const m of paths) if (!existsSync(m)) report(outcome(m, 'rejected', null, `${m}: file or folder not found`));

  // Outcomes are reported in the order of the input: those known early wait for the files before them.
  const waiting = new Map<number, FileOutcome>();
  let nextReported = 0;
  let resolvedCount = 0;
  const settle = (seq: number, o: FileOutcome) => {
    waiting.set(seq, o);
    resolvedCount++;
    for (let r = waiting.get(nextReported); r; r = waiting.get(nextReported)) {
      waiting.delete(nextReported++);
      report(r);
    }
  };

  const cwd = process.cwd();
  const display = (p: string) => {
    const r = relative(cwd, p);
    return r && !r.startsWith('..') ? r : resolve(p);
  };

  /**
   * Hashes and sniffs one file: a candidate to store, or its outcome (skipped or rejected) at once. With a
   * ring, a file parsed whole keeps its bytes there.
   */
  const examine = async (path: string, seq: number, ring: FileRing | null): Promise<Candidate | FileOutcome> => {
    const d = display(path);
    try {
      // Most files are small: one read gives both the head (to sniff the type) and the hash. Its bytes are
      // used before anything else runs on this thread (no await until the hash is taken).
      const whole = readWholeFile(path, READ_WHOLE);
      const size = whole ? whole.length : statSync(path).size;
      const quick = whole && whole.length > SNIFF_BYTES ? sniffXml(headText(whole, SNIFF_BYTES), d) : null;
      const firstText = quick ? '' : whole ? headText(whole) : head(path);
      const kind = quick ?? sniffType(firstText, d);
      const firstLine = quick ? '' : (firstText.split(/\r?\n/, 1)[0] ?? '');
      const list =
        kind !== 'CSV'
          ? null
          : isTariffListHeader(firstLine)
            ? 'tariffs'
            : isProviderRegisterHeader(firstLine)
              ? 'providers'
              : null;
      if (list === 'tariffs')
        return outcome(
          d,
          'skipped',
          null,
          `a contracted tariff list, not declarations: load it with \`grip tariffs import ${d}\``,
        );
      if (list === 'providers')
        return outcome(
          d,
          'skipped',
          null,
          `a provider register, not declarations: load it with \`grip providers import ${d}\``,
        );
      const sha256 = whole ? sha256Hex(whole) : await sha256Of(path, size);
      // Only CSV needs its header later. A copy, not a slice: a slice would keep the whole 4 KB head alive.
      const header = kind === 'CSV' ? Buffer.from(firstLine, 'utf8').toString('utf8') : '';
      const bytes = ring && whole && parsedWhole({ kind, size }) ? ring.put(whole) : null;
      return { seq, path, display: d, size, sha256, kind, firstLine: header, ...(bytes ? { bytes } : {}) };
    } catch (e) {
      return outcome(d, 'rejected', null, describeError(e));
    }
  };

  // Parse threads: started once the run has shown enough XML to pay for them; each file is handed to them as
  // soon as it is known to be new (and parsed while the files before it are stored).
  const rejected = new Map<string, string>();
  /** Groups prepared whole ahead of the one stored (with xmllint only). */
  const prepared: { files: Candidate[]; validation: Promise<void> }[] = [];
  const key = pseudonymiserKey(opts.pseudonymise);
  /** New to the warehouse, not in a group yet, in input order. */
  const fresh: Candidate[] = [];
  const fixedWorkers =
    opts.workers ?? (process.env.GRIP_IMPORT_WORKERS ? Number(process.env.GRIP_IMPORT_WORKERS) : null);
  let xmlSeen = 0;
  let ahead: ParseAhead | null = null;
  const start = (workers: number) => {
    if (!key || workers <= 1) return null;
    // Not with xmllint, which checks whole groups far ahead of the parse (they would fill the ring).
    const ring = opts.xsd.available ? null : new FileRing(RING_BYTES);
    ahead = new ParseAhead(
      new ParsePool(workers - 1, key, opts.pseudonymise, ring?.buffer ?? null),
      streamSchema,
      rejected,
      ring,
    );
    // The files known to be new so far and not stored yet, in input order.
    for (const p of prepared) ahead.enqueue(p.files);
    ahead.enqueue(fresh);
    return ahead;
  };
  const startWorkers = (files: Candidate[]) => {
    if (ahead) return ahead.enqueue(files);
    xmlSeen += files.filter(parsedWhole).length;
    if (xmlSeen) start(fixedWorkers ?? (xmlSeen >= PARALLEL_MIN_FILES ? availableParallelism() : 1));
  };
  const aheadNow = (): ParseAhead | null => ahead;
  // A file streamed whole (large XML, CSV read line by line) pays for starting a worker by itself.
  const poolFor = () => (ahead ?? start(fixedWorkers ?? availableParallelism()))?.pool ?? null;

  // 1. The input, examined a batch at a time; what the warehouse holds already is skipped. `seen` holds the
  //    hashes of the files not stored yet (those stored are in the warehouse, where the look-up finds them).
  //    Into a warehouse that held no file when the run began, only this run's files can match: `storedHere`
  //    keeps the hashes of the first RUN_HASHES_KEPT files stored, and only a file matching one is looked up
  //    (for the name it was stored under); beyond that many, every file is looked up again.
  const input = inputFiles(paths);
  let seq = 0;
  let exhausted = false;
  const seen = new Set<string>();
  const storedHere = new Set<string>();
  let lookUp = await opts.warehouse.hasSourceFiles();
  const stored = (sha256: string) => {
    seen.delete(sha256);
    if (lookUp) return;
    if (storedHere.size < RUN_HASHES_KEPT) storedHere.add(sha256);
    else {
      lookUp = true;
      storedHere.clear();
    }
  };
  const inputDone = () => exhausted;
  const canPull = () => !exhausted && seq - nextReported < MAX_PULL_AHEAD(opts.xsd.available);
  const pull = async (): Promise<void> => {
    const batch: Candidate[] = [];
    let n = 0;
    const want = lookUp ? LOOKUP_BATCH : EXAMINE_AHEAD;
    /** Where examined files keep their bytes (the parse threads' ring; none before they start). */
    const ring = aheadNow()?.ring ?? null;
    while (batch.length < want && n < 4 * want) {
      const next = input.next();
      if (next.done) {
        exhausted = true;
        break;
      }
      n++;
      const s = seq++;
      const c = await examine(next.value, s, lookUp ? null : ring);
      if (!('sha256' in c)) settle(s, c);
      else if (seen.has(c.sha256)) {
        releaseBytes(ring, c);
        settle(s, outcome(c.display, 'skipped', c.kind, 'same content as another file in this run'));
      } else {
        seen.add(c.sha256);
        batch.push(c);
      }
    }
    // An import session may be open (the group being stored): the look-up runs in its transaction, between
    // two of its files (nothing else runs on the connection meanwhile). Its uncommitted files cannot match:
    // their hashes are in `seen` until their group is done, and the batch holds none of those.
    const ask = lookUp ? batch : batch.filter((c) => storedHere.has(c.sha256));
    const known = ask.length ? await opts.warehouse.findFilesBySha(ask.map((c) => c.sha256)) : null;
    const added: Candidate[] = [];
    for (const c of batch) {
      const existing = known?.get(c.sha256);
      if (existing === undefined) added.push(c);
      else {
        seen.delete(c.sha256);
        releaseBytes(ring, c);
        settle(c.seq, outcome(c.display, 'skipped', c.kind, `already imported (as ${existing})`));
      }
    }
    fresh.push(...added);
    startWorkers(added);
  };
  /** The next new file (not taken into a group yet), examining more input when needed. */
  const nextFresh = async (): Promise<Candidate | undefined> => {
    while (fresh.length === 0 && canPull()) await pull();
    return fresh[0];
  };
  /** With parse threads: examines more input when fewer than EXAMINE_AHEAD new files wait beyond the window. */
  const keepAhead = async (): Promise<void> => {
    // Until the run has shown whether parse threads pay, enough input to tell.
    while (!ahead && fixedWorkers === null && xmlSeen < PARALLEL_MIN_FILES && canPull()) await pull();
    for (;;) {
      const a = aheadNow();
      if (!a || a.backlog() >= EXAMINE_AHEAD || fresh.length >= 4 * PARALLEL_WINDOW || !canPull()) break;
      await pull();
    }
  };

  const listed = countInputFiles(paths);
  /**
   * Input files not in a group yet: the new ones examined, and those not examined (by the listing's count,
   * which files added or removed during the run make approximate).
   */
  const filesLeft = () => fresh.length + Math.max(0, listed.files - seq);

  // 2. Groups of new files; each group is one transaction of about `groupLines` lines (estimated from sizes). A
  //    group takes its files as it stores them (grow), or whole before (prepare, for xmllint).
  //    A group that is full takes the rest of the input too when that is at most an eighth of its files
  //    (LAST_GROUP_SHARE): a last group of a few files would cost a duplicate check and a commit of its own.
  const grower = (group: Candidate[]) => {
    let estimate = 0;
    return async (): Promise<Candidate | null> => {
      const c = await nextFresh();
      if (!c) return null;
      const lines = c.size / GROUP_BYTES_PER_LINE(c);
      const full = estimate + lines >= groupLines || group.length >= MAX_GROUP_FILES();
      if (group.length && full && filesLeft() > group.length * LAST_GROUP_SHARE) return null;
      fresh.shift();
      group.push(c);
      estimate += lines;
      return c;
    };
  };
  const prepare = async (): Promise<Candidate[]> => {
    const group: Candidate[] = [];
    const grow = grower(group);
    while (await grow());
    return group;
  };

  // The external XSD check (xmllint, its own process and core) of the groups ahead runs while the current
  // group is parsed and stored.
  const validate = async (group: Candidate[]) => {
    if (!opts.xsd.available) return;
    const byType = new Map<MessageType, Candidate[]>();
    for (const c of group) if (c.kind !== 'CSV') byType.set(c.kind, [...(byType.get(c.kind) ?? []), c]);
    for (const [type, list] of byType) {
      const res = await opts.xsd.validate(
        type,
        list.map((c) => c.path),
      );
      for (const c of list) {
        const r = res.get(c.path);
        if (!r || !r.ok) {
          const first = r?.errors[0];
          // xmllint said no without a line (it gave up on malformed XML): the in-stream parse, which reads
          // the file anyway, names the line instead.
          if (!first?.line && streamSchema) continue;
          const where = first?.line ? `${c.display}:${first.line}` : c.display;
          rejected.set(
            c.path,
            `${where}: does not validate against ${type}.xsd: ${first?.message ?? 'not well-formed XML'} [XSD_INVALID]`,
          );
        }
      }
    }
  };

  // Into a warehouse that held no file, every listed file is new: with enough XML among them, the parse
  // threads start at once, so that their start-up overlaps the examination of the first files (instead of
  // after PARALLEL_MIN_FILES of them were examined).
  if (fixedWorkers === null && !lookUp && listed.xml >= PARALLEL_MIN_FILES) start(availableParallelism());
  progress.start(listed.files, 'importeren');
  const heapGrowth = HEAP_GROWTH();
  if (heapGrowth) setFlagsFromString(`--heap-growing-percent=${heapGrowth}`);
  try {
    for (;;) {
      let files: Candidate[];
      let grow: (() => Promise<Candidate | null>) | null = null;
      if (opts.xsd.available) {
        while (prepared.length <= GROUPS_AHEAD_XMLLINT && (fresh.length > 0 || !inputDone())) {
          const group = await prepare();
          const validation = validate(group);
          validation.catch(() => {}); // awaited (and thrown) in its group's turn
          prepared.push({ files: group, validation });
        }
        const next = prepared.shift();
        if (!next) break;
        await next.validation;
        files = next.files;
      } else {
        // Nothing waits for a group here, so the input is read on until a new file turns up.
        while (fresh.length === 0 && !inputDone()) await pull();
        if (fresh.length === 0) break;
        files = [];
        grow = grower(files);
      }
      const counts = new Map<string, FileCounts>();
      const bulkFiles = new Set<string>();
      const before = resolvedCount;
      while ((grow && files.length === 0) || files.some((c) => !rejected.has(c.path))) {
        const result = await storeGroup(
          files,
          grow,
          keepAhead,
          opts,
          rejected,
          counts,
          bulkFiles,
          () => ahead,
          poolFor,
          (k) => progress.update(before + k),
        );
        if (result === 'ok') break;
      }
      for (const c of files) {
        summary.bytes += c.size;
        const why = rejected.get(c.path);
        rejected.delete(c.path);
        const r = counts.get(c.path);
        if (r && why === undefined) {
          stored(c.sha256);
          settle(c.seq, {
            file: c.display,
            status: 'imported',
            messageType: c.kind,
            lines: r.lines,
            totalCents: r.totalCents,
            ...(bulkFiles.has(c.path) ? { bulk: true } : {}),
          });
        } else {
          seen.delete(c.sha256);
          settle(c.seq, outcome(c.display, 'rejected', c.kind, why ?? 'not imported'));
        }
      }
      progress.update(resolvedCount);
    }
  } finally {
    await (ahead as ParseAhead | null)?.pool.close();
    if (heapGrowth) setFlagsFromString('--heap-growing-percent=0'); // V8's own again
  }
  progress.stop();
  if (waiting.size) throw new Error(`import: ${waiting.size} outcomes were never reported`);
  // Also when nothing was new: a run after a killed import (whose groups committed before their refresh) then
  // brings the derived tables up; with nothing to do it costs two look-ups.
  await opts.warehouse.refreshDerived();
  return summary;
}

/**
 * Stores a group of files in one transaction: those of `group` not rejected, then those `grow` adds to it
 * (null when it has no more). On the first bad file: roll back, record it, return 'retry'.
 */
async function storeGroup(
  group: Candidate[],
  grow: (() => Promise<Candidate | null>) | null,
  /** Called before each file is stored (examines the input ahead of the parse threads). */
  keepAhead: () => Promise<void>,
  opts: ImportOptions,
  rejected: Map<string, string>,
  counts: Map<string, FileCounts>,
  bulkFiles: Set<string>,
  /** The parse threads' window (they may start while the group is stored). */
  aheadOf: () => ParseAhead | null,
  /** The parse threads for a file streamed whole (started on first use), or null to stream it here. */
  poolFor: () => ParsePool | null,
  /** Files of the group done so far (progress within a group). */
  onProgress: (files: number) => void = () => {},
): Promise<'ok' | 'retry'> {
  const session = await opts.warehouse.beginImport();
  const ids = new Map<number, Candidate>();
  try {
    for (let index = 0; ; index++) {
      const c = group[index] ?? (grow ? await grow() : null);
      if (!c) break;
      if (rejected.has(c.path)) continue;
      const ahead = aheadOf();
      const ring = ahead?.ring ?? null;
      const queued = ahead?.take(c);
      await keepAhead();
      if (index % 50 === 0) onProgress(index);
      const base = { sha256: c.sha256, sizeBytes: c.size };
      if (parsedWhole(c)) {
        // Parsed whole (on a worker, or here) before anything is stored: a bad file is simply left out.
        let parsed: ParsedFile;
        try {
          parsed = await (queued && ahead
            ? ahead.pool.help(queued)
            : parseToRows(parseJob(c, opts.streamSchema !== false), opts.pseudonymise, ring?.buffer ?? null));
        } catch (e) {
          rejected.set(c.path, describeError(e));
          continue;
        } finally {
          // Parsed (its reply is in): a redone group parses it again from its file.
          releaseBytes(ring, c);
        }
        const { fileId } = session.beginFile();
        ids.set(fileId, c);
        appendRows(session, fileId, parsed.rows);
        session.endFile(
          fileId,
          { ...parsed.meta, name: basename(c.path), path: c.display },
          parsed.counts,
          opts.streamSchema !== false || opts.xsd.available,
        );
        counts.set(c.path, parsed.counts);
        await session.flush();
        continue;
      }
      // CSV and large XML files stream into the warehouse; a failure rolls the group back.
      const { fileId, sink } = session.beginFile();
      ids.set(fileId, c);
      try {
        const bulk =
          c.kind === 'CSV' && (opts.bulkCsv ?? process.env.GRIP_BULK_CSV !== '0')
            ? await tryBulkCsv(session, fileId, c.path, c.display, base, opts.pseudonymise, c.firstLine)
            : null;
        if (bulk) bulkFiles.add(c.path);
        else bulkFiles.delete(c.path);
        // On a parse thread when there is one: its rows come in batches and are appended here meanwhile.
        const streamer = bulk ? null : poolFor();
        const r =
          bulk ??
          (streamer
            ? await streamer.stream(
                { ...parseJob(c, opts.streamSchema !== false), stream: { firstLine: c.firstLine } },
                async (packed) => {
                  appendRows(session, fileId, packed);
                  await session.flush();
                },
              )
            : c.kind === 'CSV'
              ? await readCsvFile(c.path, c.display, base, opts.pseudonymise, sink, c.firstLine, () => session.flush())
              : await readIjwFile(c.path, c.display, base, opts.pseudonymise, sink, () => session.flush(), {
                  validate: opts.streamSchema !== false,
                  expect: c.kind,
                }));
        session.endFile(
          fileId,
          { ...r.meta, name: basename(c.path), path: c.display },
          r.counts,
          c.kind !== 'CSV' && (opts.streamSchema !== false || opts.xsd.available),
        );
        counts.set(c.path, r.counts);
      } catch (e) {
        rejected.set(c.path, describeError(e));
        await session.rollback();
        return 'retry';
      }
    }
    const dups = await session.duplicateDeclarations();
    if (dups.length) {
      for (const d of dups) {
        const c = ids.get(d.fileId);
        if (c && !rejected.has(c.path)) {
          rejected.set(
            c.path,
            `${c.display}: declaration ${d.declarationNumber} of provider ${d.provider} for municipality ${d.municipality} was already imported from ${d.otherFile}; a correction must come as a new declaration with credit lines [DECLARATION_DUPLICATE]`,
          );
        }
      }
      await session.rollback();
      return 'retry';
    }
    await session.commit();
    return 'ok';
  } catch (e) {
    try {
      await session.rollback();
    } catch {
      /* the original error matters */
    }
    throw e;
  }
}
