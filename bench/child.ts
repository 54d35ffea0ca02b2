/**
 * A bench measurement in its own process (so its peak RSS and CPU are its own), printed as one line of JSON.
 * import-run.ts starts it as plain JavaScript (its types stripped) when it runs the compiled build, as `grip`
 * runs, else under tsx; GRIP_BENCH_BUILD (dist or source) and GRIP_BENCH_ROOT (the repository) then tell it
 * what to load. Run by hand (under tsx) it looks itself: the compiled build (dist/) when current, else the
 * TypeScript sources; the JSON says which.
 *   import [--xsd=stream|xmllint] DB PATH…  one `grip import` (the bench's import rows);
 *   floor hash LIST | floor parse LIST | floor store DB  one floor of the import's CPU alone, on one thread
 *     (bench/floors.ts):
 *     hash  — read every file named in LIST (one path per line) and take its SHA-256 (what the writer does to
 *             examine a file);
 *     parse — parse every file named in LIST as a parse worker does (scan, XSD check in the stream, message
 *             rules, pseudonymise, pack the rows) from its bytes in memory, as the import parses the bytes
 *             it read to hash the file, and drop the rows; twice: the first pass is the floor (a fresh
 *             thread, V8 compiling the parse code meanwhile), the second (`warm`) the parse once compiled;
 *     store — DuckDB alone: copy DB's declaration_lines, held in memory as DuckDB's own vectors, into a fresh
 *             database file with the warehouse's storage and import session settings, commit and
 *             checkpoint (compressing and writing the rows, no JavaScript per value).
 *   Each floor is a lower bound: the import does this work and more (handing rows between threads, appending
 *   them from JavaScript, the duplicate and run-off checks, the derived tables).
 *   floor tokenise LIST  not a floor but a yardstick for the parse: walk every file's bytes (in memory, as the
 *     parse floor reads them) as the barest JavaScript reader would — find each tag, take its name by a hash,
 *     make each text that is not white space a string — with no check, no rule, no pseudonym and no row.
 * It imports nothing of the bench's own (it runs from a temporary folder).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const given = process.env.GRIP_BENCH_ROOT;
const root = given ? pathToFileURL(given.endsWith('/') ? given : `${given}/`) : new URL('../', import.meta.url);
const useDist = process.env.GRIP_BENCH_BUILD
  ? process.env.GRIP_BENCH_BUILD === 'dist'
  : (await import('./build-state.js')).distIsCurrent(root);
const from = (m: string) => new URL(useDist ? `dist/${m}.js` : `src/${m}.ts`, root).href;
const build = useDist ? 'dist' : 'source';

/** fromMemory's buffer: files are read into it a chunk at a time. */
const MEMORY_CHUNK_BYTES = 64 << 20;

const [what, ...args] = process.argv.slice(2);
if (what === 'import') await runImport(args);
else if (what === 'floor') await runFloor(args);
else
  throw new Error(
    'usage: child import [--xsd=stream|xmllint] DB PATH… | child floor hash|parse|tokenise LIST | store DB',
  );

/** One import of PATH… into DB (a fresh warehouse, or one to import into again). */
async function runImport(args: string[]): Promise<void> {
  const { importPaths } = (await import(from('ingest/importer'))) as typeof import('../src/ingest/importer.js');
  const { makePseudonymiser } = (await import(
    from('ingest/pseudonymise')
  )) as typeof import('../src/ingest/pseudonymise.js');
  const { makeXsdValidator } = (await import(from('ingest/xsd'))) as typeof import('../src/ingest/xsd.js');
  const { openWarehouse } = (await import(from('warehouse/open'))) as typeof import('../src/warehouse/open.js');

  // --xsd=stream (default: validation inside the parse) or --xsd=xmllint (also run xmllint, as `grip import --xsd xmllint`)
  const mode = args[0]?.startsWith('--xsd=') ? args.shift()!.slice(6) : 'stream';
  const [db, ...paths] = args;
  if (!db) throw new Error('usage: child import [--xsd=stream|xmllint] DB PATH…');
  const w = await openWarehouse(db);
  // The import's end, timed apart (both on the writer's thread, after the parse threads are done when the
  // files form one group): the last transaction's commit and the derived tables' build.
  const end = { lastCommitSeconds: 0, derivedSeconds: 0 };
  const since = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e9;
  const beginImport = w.beginImport.bind(w);
  w.beginImport = async () => {
    const session = await beginImport();
    const commit = session.commit.bind(session);
    session.commit = async () => {
      const t = process.hrtime.bigint();
      await commit();
      end.lastCommitSeconds = since(t);
    };
    return session;
  };
  const refreshDerived = w.refreshDerived.bind(w);
  w.refreshDerived = async () => {
    const t = process.hrtime.bigint();
    await refreshDerived();
    end.derivedSeconds = since(t);
  };
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const s = await importPaths(paths, {
    warehouse: w,
    pseudonymise: makePseudonymiser(Buffer.alloc(32, 1)),
    xsd:
      mode === 'xmllint'
        ? makeXsdValidator()
        : { available: false, why: 'not asked for', validate: async () => new Map() },
    onOutcome: () => {}, // as `grip import` without --json: no per-file outcomes kept
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(c0);
  await w.close();
  process.stdout.write(
    JSON.stringify({
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      build,
      lines: s.lines,
      bytes: s.bytes,
      imported: s.imported,
      rejected: s.rejected,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      ...end,
    }) + '\n',
  );
}

/** One floor (see above). */
async function runFloor(args: string[]): Promise<void> {
  const [mode, target] = args;
  if (!target || !['hash', 'parse', 'tokenise', 'store'].includes(mode ?? ''))
    throw new Error('usage: child floor hash|parse|tokenise LIST | store DB');
  const listed = () => readFileSync(target, 'utf8').split('\n').filter(Boolean);

  let units = 0;
  let measure: () => Promise<void>;
  // A measurement that times itself (leaving out what it does not count), with any figures of its own.
  const own: { figures: ({ seconds: number; cpuSeconds: number } & Record<string, unknown>) | null } = {
    figures: null,
  };
  let after = async () => {};
  if (mode === 'hash') {
    const files = listed();
    measure = async () => {
      for (const f of files) createHash('sha256').update(readFileSync(f)).digest('hex');
      units = files.length;
    };
  } else if (mode === 'tokenise') {
    const files = listed();
    const names = new Map<number, string>();
    // Not shared memory: Buffer's indexOf and toString take their fast paths on a plain ArrayBuffer only.
    const memory = new ArrayBuffer(MEMORY_CHUNK_BYTES);
    measure = async () => {
      const r = await fromMemory(files, memory, async (path, at) =>
        tokenise(at ? Buffer.from(memory, at.offset, at.length) : readFileSync(path), names),
      );
      units = r.units;
      own.figures = r;
    };
  } else if (mode === 'parse') {
    const files = listed();
    const { parseToRows } = (await import(
      from('ingest/parallel/pool')
    )) as typeof import('../src/ingest/parallel/pool.js');
    const { makePseudonymiser } = (await import(
      from('ingest/pseudonymise')
    )) as typeof import('../src/ingest/pseudonymise.js');
    // The import parses the bytes it read to hash a file (ingest/parallel/file-ring.ts), so this floor parses
    // each file from its bytes in memory too (fromMemory), as a parse thread parses a ring slice.
    const memory = new SharedArrayBuffer(MEMORY_CHUNK_BYTES);
    const pass = () => {
      // A pseudonymiser of its own, as each parse thread has: a pass that found every pseudonym cached would
      // leave out the keyed hashes (five-year JW323, 58,116 BSNs: ≈ 0.35 s of a 3.1 s pass).
      const pseudonymise = makePseudonymiser(Buffer.alloc(32, 1));
      return fromMemory(files, memory, async (path, bytes) => {
        const r = await parseToRows(
          {
            path,
            display: path,
            kind: 'JW323',
            base: { sha256: '', sizeBytes: 0 },
            validate: true,
            ...(bytes ? { bytes } : {}),
          },
          pseudonymise,
          memory,
        );
        return r.counts.lines;
      });
    };
    // Two passes on one thread: the first as a fresh parse thread meets the files (V8 still compiling the
    // parse code: the floor), the second warm (the parse's cost once compiled; the difference is what V8's
    // warming up costs each thread that parses).
    measure = async () => {
      const cold = await pass();
      const warm = await pass();
      units = cold.units;
      own.figures = { seconds: cold.seconds, cpuSeconds: cold.cpuSeconds, warm };
    };
  } else {
    const { DuckDBInstance } = (await import(
      from('warehouse/duckdb/api')
    )) as typeof import('../src/warehouse/duckdb/api.js');
    const { IMPORT_SESSION_SETTINGS, STORAGE_SETTINGS } = (await import(
      from('warehouse/duckdb/index')
    )) as typeof import('../src/warehouse/duckdb/index.js');
    const dir = mkdtempSync(join(tmpdir(), 'grip-bench-store-'));
    after = async () => rmSync(dir, { recursive: true, force: true });
    const instance = await DuckDBInstance.create(':memory:');
    const c = await instance.connect();
    const literal = (s: string) => `'${s.replaceAll("'", "''")}'`;
    await c.run(`ATTACH ${literal(target)} AS src (READ_ONLY)`);
    await c.run(`CREATE TEMP TABLE rows AS SELECT * FROM src.declaration_lines ORDER BY file_id, seq`);
    await c.run(`DETACH src`);
    await c.run(`ATTACH ${literal(join(dir, 'store.duckdb'))} AS dst`);
    await c.run(`CREATE TABLE dst.declaration_lines AS SELECT * FROM rows LIMIT 0`);
    for (const [name, value] of Object.entries({ ...STORAGE_SETTINGS, ...IMPORT_SESSION_SETTINGS() }))
      await c.run(`SET ${name} = ${literal(value)}`);
    measure = async () => {
      await c.run('BEGIN');
      await c.run(`INSERT INTO dst.declaration_lines SELECT * FROM rows`);
      await c.run('COMMIT');
      await c.run('CHECKPOINT dst');
      const n = (await c.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM dst.declaration_lines`)).getRowObjects();
      units = Number(n[0]?.n ?? 0);
    };
    const close = after;
    after = async () => {
      c.closeSync();
      instance.closeSync();
      await close();
    };
  }

  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  await measure();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(c0);
  await after();
  process.stdout.write(
    JSON.stringify({
      mode,
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      ...own.figures,
      units,
      build,
    }) + '\n',
  );
}

/**
 * Times `each` over `files`, each file's bytes already in `memory`: the files are read into it a chunk at a
 * time, which is not timed, and `each` gets a file's place there (none for a file larger than `memory`, which
 * it reads itself). Returns the time and CPU of the calls and the sum of what they returned.
 */
async function fromMemory(
  files: readonly string[],
  memory: ArrayBufferLike,
  each: (path: string, at: { offset: number; length: number } | null) => Promise<number>,
): Promise<{ seconds: number; cpuSeconds: number; units: number }> {
  const view = new Uint8Array(memory);
  let seconds = 0;
  let cpuSeconds = 0;
  let units = 0;
  for (let i = 0; i < files.length;) {
    const chunk: { path: string; at: { offset: number; length: number } | null }[] = [];
    for (let offset = 0; i < files.length; i++) {
      const path = files[i]!;
      const size = statSync(path).size;
      if (size > view.length) chunk.push({ path, at: null });
      else if (offset + size > view.length) break;
      else {
        const bytes = readFileSync(path);
        view.set(bytes, offset);
        chunk.push({ path, at: { offset, length: bytes.length } });
        offset += bytes.length;
      }
    }
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    for (const { path, at } of chunk) units += await each(path, at);
    const c = process.cpuUsage(c0);
    seconds += Number(process.hrtime.bigint() - t0) / 1e9;
    cpuSeconds += (c.user + c.system) / 1e6;
  }
  return { seconds, cpuSeconds, units };
}

/**
 * The bare reader of `floor tokenise`: walks the bytes of one XML file, takes every tag's name (looked up by a
 * hash of its bytes, as an interned name) and makes every text between tags that is not only white space a
 * string. No well-formedness, no entities, no checks: a yardstick, not a parser. Returns the texts made.
 * `names`: the names seen so far, by hash (kept across files).
 */
function tokenise(bytes: Buffer, names: Map<number, string>): number {
  const n = bytes.length;
  let texts = 0;
  let i = 0;
  while (i < n) {
    const lt = bytes.indexOf(60 /* < */, i);
    if (lt < 0) break;
    let a = i;
    for (let c = bytes[a]; a < lt && (c === 32 || c === 10 || c === 13 || c === 9); c = bytes[++a]);
    if (a < lt && bytes.toString('latin1', a, lt).length > 0) texts++;
    let k = lt + 1;
    const first = bytes[k];
    if (first !== 47 /* / */ && first !== 63 /* ? */ && first !== 33 /* ! */) {
      let hash = 0;
      for (let c = bytes[k] ?? 62; c !== 32 && c !== 62 && c !== 47 && c !== 10 && k < n; c = bytes[++k] ?? 62)
        hash = (hash * 31 + c) | 0;
      if (!names.has(hash)) names.set(hash, bytes.toString('latin1', lt + 1, k));
    }
    const gt = bytes.indexOf(62 /* > */, k);
    if (gt < 0) break;
    i = gt + 1;
  }
  return texts;
}
