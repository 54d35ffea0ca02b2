/**
 * `grip import`: files and folders → warehouse. For every file: hash (idempotency), detect the message
 * type, validate against the XSD, stream-parse with the checks, and store. Files are all-or-none: a bad
 * file is rejected whole with a message naming file, line and element, and the other files still import.
 * Small files share a transaction (commit is the costly part); when one fails, the transaction is rolled
 * back and redone without it, so no file is ever half in the warehouse.
 */
import { createHash } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  openSync,
  readFileSync,
  readSync,
  closeSync,
  readdirSync,
  statSync,
} from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { GripError, describeError } from '../domain/errors.js';
import { at } from '../domain/indexing.js';
import type { FileCounts, MessageType, Warehouse } from '../warehouse/warehouse.js';
import { isProviderRegisterHeader, isTariffListHeader, readCsvFile, tryBulkCsv } from './csv.js';
import { IJW_NAMESPACES, readIjwFile } from './ijw/messages.js';
import type { Pseudonymiser } from './pseudonymise.js';
import type { XsdValidator } from './xsd.js';
import { availableParallelism } from 'node:os';
import { ParsePool, parseToRows, type ParseHandle, type ParsedFile } from './parallel/pool.js';
import { pseudonymiserKey } from './pseudonymise.js';

export interface Progress {
  start(total: number, label: string): void;
  update(done: number, label?: string): void;
  stop(): void;
}
export const silentProgress: Progress = { start() {}, update() {}, stop() {} };

/** Workers pay for their start-up (a few hundred ms) only from this many XML files on. */
const PARALLEL_MIN_FILES = 200;
/** Larger files are streamed on the writer's thread (a worker would hold all of their rows at once). */
const PARALLEL_MAX_FILE = 4 << 20;
/**
 * Files parsed ahead of the writer: bounds the rows held in memory. Rows held longer reach V8's old
 * generation: with 32, the writer's heap grew to 92-110 MB on the two-year region; with 16 or 8, 61-66 MB.
 */
const PARALLEL_WINDOW = 16;

/** Whether a file is parsed whole before it is stored (on a parse thread or the writer's). */
const parsedWhole = (c: Candidate) => c.kind !== 'CSV' && c.size <= PARALLEL_MAX_FILE;

/**
 * Files handed to the parse threads ahead of the writer, in the order they are stored and across the
 * groups' transactions (so the parse threads keep working while a group commits), at most PARALLEL_WINDOW
 * beyond the file being stored.
 */
class ParseAhead {
  private readonly handles = new Map<Candidate, ParseHandle>();
  private readonly position = new Map<Candidate, number>();
  private next = 0;
  constructor(
    readonly pool: ParsePool,
    private readonly order: readonly Candidate[],
    private readonly validate: boolean,
    private readonly rejected: ReadonlyMap<string, string>,
  ) {
    order.forEach((c, i) => this.position.set(c, i));
  }

  /** `c` is stored now: queue the files after it, and take its handle if it was queued. */
  take(c: Candidate): ParseHandle | undefined {
    const at = this.position.get(c) ?? -1;
    for (; this.next < this.order.length && this.next <= at + PARALLEL_WINDOW; this.next++) {
      const f = this.order[this.next];
      if (!f || !parsedWhole(f) || this.rejected.has(f.path)) continue;
      this.handles.set(
        f,
        this.pool.submit({
          path: f.path,
          display: f.display,
          kind: f.kind,
          base: { sha256: f.sha256, sizeBytes: f.size },
          validate: this.validate,
        }),
      );
    }
    const h = this.handles.get(c);
    // Handles of files before this one were left out (rejected meanwhile) or taken in a group now redone.
    for (const [f] of this.handles) {
      if ((this.position.get(f) ?? -1) > at) break;
      this.handles.delete(f);
    }
    return h;
  }
}

/**
 * Files per shared transaction. A file that fails its parse or checks costs nothing (it is parsed whole
 * before any row is stored); a group is redone only for a duplicate declaration or a failing CSV or large
 * file, and each transaction costs a commit and the duplicate check, so groups are large.
 */
const MAX_GROUP_FILES = () => Number(process.env.GRIP_IMPORT_GROUP_FILES) || 5_000;

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
   * GRIP_IMPORT_WORKERS, else one per core when the run holds enough XML to pay for starting a worker
   * (PARALLEL_MIN_FILES files); 1 parses everything on this thread. The rows stored are the same either way.
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
  outcomes: FileOutcome[];
  imported: number;
  skipped: number;
  rejected: number;
  lines: number;
  bytes: number;
  xsdValidated: boolean;
  xsdNote: string;
}

interface Candidate {
  path: string;
  display: string;
  size: number;
  sha256: string;
  kind: MessageType; // CSV or an iJw type
  firstLine: string;
}

/** Expands folders (recursively, sorted) into .xml and .csv files; explicit files are taken as given. */
export function listInputFiles(paths: string[]): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(xml|csv)$/i.test(e.name)) files.push(p);
    }
  };
  for (const p of paths) {
    if (!existsSync(p)) missing.push(p);
    else if (statSync(p).isDirectory()) walk(p);
    else files.push(p);
  }
  return { files, missing };
}

async function sha256Of(path: string, size: number): Promise<string> {
  const h = createHash('sha256');
  if (size <= 4 << 20) return h.update(readFileSync(path)).digest('hex');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Files up to this size are read once, for both their head and their hash. */
const READ_WHOLE = 4 << 20;
const HEAD_BYTES = 4096;

function headText(bytes: Buffer): string {
  return bytes
    .subarray(0, HEAD_BYTES)
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

export async function importPaths(paths: string[], opts: ImportOptions): Promise<ImportSummary> {
  const progress = opts.progress ?? silentProgress;
  const groupLines = opts.groupLines ?? 150_000;
  const { files, missing } = listInputFiles(paths);
  const outcomes: FileOutcome[] = missing.map((m) => ({
    file: m,
    status: 'rejected',
    messageType: null,
    lines: 0,
    totalCents: 0,
    reason: `${m}: file or folder not found`,
  }));
  const cwd = process.cwd();
  const display = (p: string) => {
    const r = relative(cwd, p);
    return r && !r.startsWith('..') ? r : resolve(p);
  };

  // 1. Hash, sniff, and drop what is already in the warehouse.
  const sizes = files.map((f) => statSync(f).size);
  const totalBytes = sizes.reduce((s, n) => s + n, 0);
  progress.start(totalBytes, 'controleren');
  const seen = new Set<string>();
  const hashedFiles: Candidate[] = [];
  let hashed = 0;
  for (const [i, path] of files.entries()) {
    const d = display(path);
    const size = sizes[i] ?? statSync(path).size;
    try {
      // Most files are small: one read gives both the head (to sniff the type) and the hash.
      const whole = size <= READ_WHOLE ? readFileSync(path) : null;
      const firstText = whole ? headText(whole) : head(path);
      const kind = sniffType(firstText, d);
      const firstLine = firstText.split(/\r?\n/, 1)[0] ?? '';
      const list =
        kind !== 'CSV'
          ? null
          : isTariffListHeader(firstLine)
            ? 'tariffs'
            : isProviderRegisterHeader(firstLine)
              ? 'providers'
              : null;
      if (list) {
        const reason =
          list === 'tariffs'
            ? `a contracted tariff list, not declarations: load it with \`grip tariffs import ${d}\``
            : `a provider register, not declarations: load it with \`grip providers import ${d}\``;
        outcomes.push({ file: d, status: 'skipped', messageType: null, lines: 0, totalCents: 0, reason });
        hashed += size;
        progress.update(hashed);
        continue;
      }
      const sha256 = whole ? createHash('sha256').update(whole).digest('hex') : await sha256Of(path, size);
      if (seen.has(sha256)) {
        outcomes.push({
          file: d,
          status: 'skipped',
          messageType: kind,
          lines: 0,
          totalCents: 0,
          reason: 'same content as another file in this run',
        });
      } else {
        seen.add(sha256);
        // Only CSV needs its header later. A copy, not a slice: a slice would keep the whole 4 KB head alive,
        // per file, for the whole run (143 MB for the 66,835 files of a two-year region).
        hashedFiles.push({
          path,
          display: d,
          size,
          sha256,
          kind,
          firstLine: kind === 'CSV' ? Buffer.from(firstLine, 'utf8').toString('utf8') : '',
        });
      }
    } catch (e) {
      outcomes.push({
        file: d,
        status: 'rejected',
        messageType: null,
        lines: 0,
        totalCents: 0,
        reason: describeError(e),
      });
    }
    hashed += size;
    progress.update(hashed);
  }
  progress.stop();
  const known = await opts.warehouse.findFilesBySha(hashedFiles.map((c) => c.sha256));
  const candidates: Candidate[] = [];
  for (const c of hashedFiles) {
    const existing = known.get(c.sha256);
    if (existing)
      outcomes.push({
        file: c.display,
        status: 'skipped',
        messageType: c.kind,
        lines: 0,
        totalCents: 0,
        reason: `already imported (as ${existing})`,
      });
    else candidates.push(c);
  }

  // 2. Group the files; each group is one transaction. The XSD check of the next group (xmllint, its own
  //    process and core) runs while the current group is parsed and stored.
  const rejected = new Map<string, string>();
  const groups: Candidate[][] = [];
  for (let i = 0; i < candidates.length;) {
    let j = i;
    let estimate = 0; // lines, estimated from size: ~1 declaration line per 900 bytes of JW323
    while (
      j < candidates.length &&
      (j === i || (estimate + candidates[j]!.size / 900 < groupLines && j - i < MAX_GROUP_FILES()))
    ) {
      estimate += candidates[j]!.size / 900; // j < candidates.length: the loop's condition
      j++;
    }
    groups.push(candidates.slice(i, j));
    i = j;
  }
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
          if (!first?.line && opts.streamSchema !== false) continue;
          const where = first?.line ? `${c.display}:${first.line}` : c.display;
          rejected.set(
            c.path,
            `${where}: does not validate against ${type}.xsd: ${first?.message ?? 'not well-formed XML'} [XSD_INVALID]`,
          );
        }
      }
    }
  };

  // 3. Parse (on workers when it pays) and store.
  const xmlCount = candidates.filter((c) => c.kind !== 'CSV' && c.size <= PARALLEL_MAX_FILE).length;
  const workers =
    opts.workers ??
    (process.env.GRIP_IMPORT_WORKERS
      ? Number(process.env.GRIP_IMPORT_WORKERS)
      : xmlCount >= PARALLEL_MIN_FILES
        ? availableParallelism()
        : 1);
  const key = pseudonymiserKey(opts.pseudonymise);
  const pool = workers > 1 && key && xmlCount > 0 ? new ParsePool(workers - 1, key, opts.pseudonymise) : null;
  try {
    return await parseAndStore();
  } finally {
    await pool?.close();
  }

  async function parseAndStore(): Promise<ImportSummary> {
    const imported = new Map<string, FileCounts>();
    const counts = new Map<string, FileCounts>();
    const bulkFiles = new Set<string>();
    const totalGroupBytes = candidates.reduce((s, c) => s + c.size, 0);
    progress.start(totalGroupBytes, 'importeren');
    let doneBytes = 0;
    // Validation runs up to two groups ahead of storing.
    const validations = new Map<number, Promise<void>>();
    const validated = (g: number) => {
      const files = groups[g];
      if (files && !validations.has(g)) validations.set(g, validate(files));
      return validations.get(g) ?? Promise.resolve();
    };
    const ahead = pool && new ParseAhead(pool, candidates, opts.streamSchema !== false, rejected);
    for (let g = 0; g < groups.length; g++) {
      await validated(g);
      validated(g + 1).catch(() => {}); // awaited (and thrown) in its own turn
      validated(g + 2).catch(() => {});
      let group = at(groups, g).filter((c) => !rejected.has(c.path));
      while (group.length) {
        const result = await storeGroup(group, opts, rejected, counts, bulkFiles, ahead, (inGroup) =>
          progress.update(doneBytes + inGroup),
        );
        if (result === 'ok') break;
        group = group.filter((c) => !rejected.has(c.path));
      }
      for (const c of group) {
        const r = counts.get(c.path);
        if (r && !rejected.has(c.path)) imported.set(c.path, r);
      }
      doneBytes += at(groups, g).reduce((s, c) => s + c.size, 0);
      progress.update(doneBytes);
    }
    await Promise.all(validations.values());
    progress.stop();
    if (imported.size) await opts.warehouse.refreshDerived();

    for (const c of candidates) {
      const r = imported.get(c.path);
      if (r)
        outcomes.push({
          file: c.display,
          status: 'imported',
          messageType: c.kind,
          lines: r.lines,
          totalCents: r.totalCents,
          ...(bulkFiles.has(c.path) ? { bulk: true } : {}),
        });
      else
        outcomes.push({
          file: c.display,
          status: 'rejected',
          messageType: c.kind,
          lines: 0,
          totalCents: 0,
          reason: rejected.get(c.path) ?? 'not imported',
        });
    }
    const order = new Map(files.map((f, k) => [display(f), k]));
    outcomes.sort((a, b) => (order.get(a.file) ?? -1) - (order.get(b.file) ?? -1));
    return {
      outcomes,
      imported: outcomes.filter((o) => o.status === 'imported').length,
      skipped: outcomes.filter((o) => o.status === 'skipped').length,
      rejected: outcomes.filter((o) => o.status === 'rejected').length,
      lines: outcomes.reduce((s, o) => s + o.lines, 0),
      bytes: totalGroupBytes,
      xsdValidated: opts.streamSchema !== false || opts.xsd.available,
      xsdNote:
        [
          opts.streamSchema !== false ? 'in-stream validation against the iJw 3.2 XSDs' : '',
          opts.xsd.available ? opts.xsd.why : '',
        ]
          .filter(Boolean)
          .join(' and ') || opts.xsd.why,
    };
  }
}

/** Stores a group of files in one transaction. On the first bad file: roll back, record it, return 'retry'. */
async function storeGroup(
  group: Candidate[],
  opts: ImportOptions,
  rejected: Map<string, string>,
  counts: Map<string, FileCounts>,
  bulkFiles: Set<string>,
  ahead: ParseAhead | null,
  /** Bytes of the group's files done so far (progress within a group). */
  onProgress: (bytes: number) => void = () => {},
): Promise<'ok' | 'retry'> {
  const session = await opts.warehouse.beginImport();
  const ids = new Map<number, Candidate>();
  let bytes = 0;
  try {
    for (const [index, c] of group.entries()) {
      const queued = ahead?.take(c);
      if (index % 50 === 0) onProgress(bytes);
      bytes += c.size;
      const base = { sha256: c.sha256, sizeBytes: c.size };
      if (parsedWhole(c)) {
        // Parsed whole (on a worker, or here) before anything is stored: a bad file is simply left out.
        let parsed: ParsedFile;
        try {
          parsed = await (queued && ahead
            ? ahead.pool.help(queued)
            : parseToRows(
                { path: c.path, display: c.display, kind: c.kind, base, validate: opts.streamSchema !== false },
                opts.pseudonymise,
              ));
        } catch (e) {
          rejected.set(c.path, describeError(e));
          continue;
        }
        const { fileId } = session.beginFile();
        ids.set(fileId, c);
        session.appendEncoded(fileId, parsed.rows);
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
        const r =
          bulk ??
          (c.kind === 'CSV'
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
