/**
 * `npm run bench -- --scale national`: national-size data (all municipalities, `grip generate --scale national`)
 * imported into BOTH engines — a DuckDB file and a throw-away PostgreSQL server (initdb + pg_ctl in a temp
 * folder on 127.0.0.1, as the tests start it) — and measured side by side: import lines/s and MB/s, peak RSS
 * of the import process, warehouse size on disk, the forecast for all municipalities, and the dashboard API
 * p50/p95 with 20 concurrent clients.
 *
 *   --years 2025          one national year (default: the last year of --years)
 *   --format csv|xml      csv (default); xml: ≈ 3.7 M files, ≈ 15 GB (a JW323 per provider × municipality ×
 *                         month, a JW301 per allocation, a JW315 per referred one), written on both cores;
 *                         also xmllint --stream --noout over the same files (2 processes) as the baseline
 *   --messages jw323,…    xml: the message folders to import (default jw301,jw315,jw323)
 *   --cutoff YYYY-MM-DD   write only messages dated up to this day (measure a fraction of a year)
 *   --data DIR            reuse generated data     --keep-data   do not delete generated data afterwards
 *   --engines duckdb,postgres     --skip forecast,api,xmllint   steps left out
 * Every import runs in its own process; wall and CPU seconds (user+sys of Grip's process, and of the
 * PostgreSQL server's processes) and the load average are printed beside each other.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { generateRegion, type Manifest } from '../src/generate/index.js';
import { regionForecast } from '../src/app/forecast.js';
import { openWarehouse } from '../src/warehouse/open.js';
import { startPostgres } from '../src/warehouse/testing/postgres-server.js';
import { costsSql, runoffSql } from '../src/warehouse/sql/queries.js';
import { appendFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { benchApi } from './api.js';
import { importInChild } from './import-run.js';
import { xmlFilesUnder, xmllintBaseline } from './xmllint.js';

export interface NationalOptions {
  years: [number, number];
  format: 'csv' | 'xml';
  cutoff?: string;
  data?: string;
  keepData: boolean;
  engines: string[];
  apiSeconds?: number;
  /** Write EXPLAIN ANALYZE of the dashboard's heaviest queries on each engine to this file. */
  explain?: string;
  /** xml: the message folders imported (default jw301, jw315, jw323). */
  messages?: string[];
  /** Steps left out: forecast, api, xmllint. */
  skip?: Set<string>;
}

type Cell = { value: string; note?: string };
type Figures = Map<string, Cell>;

function bytesUnder(dir: string, ext: RegExp): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name === 'invalid') continue;
      const s = bytesUnder(p, ext);
      files += s.files;
      bytes += s.bytes;
    } else if (ext.test(e.name)) {
      files++;
      bytes += statSync(p).size;
    }
  }
  return { files, bytes };
}

const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
const mb = (b: number) => `${(b / 1e6).toFixed(0)} MB`;
const log = (s: string) => process.stderr.write(`  ${s}\n`);

/**
 * CPU seconds (user+sys) of a PostgreSQL server so far: its postmaster's own and that of the backends it has
 * reaped (a connection's backend ends with the connection). Found by the port in the postmaster's command line.
 */
function postgresCpuSeconds(url: string): number | null {
  const port = new URL(url).port;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let cmd: string;
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
    } catch {
      continue;
    }
    if (!/\/postgres -D /.test(cmd) || !cmd.includes(`-p ${port} `)) continue;
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime, stime, cutime, cstime: fields 14–17 of proc(5), here 11–14 after pid, comm and state.
    const ticks = [11, 12, 13, 14].reduce((t, i) => t + Number(fields[i] ?? 0), 0);
    return ticks / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  }
  return null;
}

async function measureEngine(
  engine: string,
  db: string,
  dataPaths: string[],
  sizeOf: () => Promise<number>,
  opts: NationalOptions,
): Promise<Figures> {
  const f: Figures = new Map();
  const before = load();
  log(`${engine}: importing (load ${before}) …`);
  const server0 = engine === 'postgres' ? postgresCpuSeconds(db) : null;
  const r = importInChild([db, ...dataPaths]);
  const server1 = engine === 'postgres' ? postgresCpuSeconds(db) : null;
  f.set('import: lines', { value: r.lines.toLocaleString('en'), note: `${r.imported} files, ${r.rejected} rejected` });
  f.set('import: time', {
    value: `${r.seconds.toFixed(0)} s`,
    note: `load ${before} at the start, ${load()} at the end`,
  });
  f.set('import: CPU seconds (Grip)', { value: r.cpuSeconds.toFixed(1), note: 'user+sys, all threads' });
  if (server0 !== null && server1 !== null)
    f.set('import: CPU seconds (PostgreSQL server)', { value: (server1 - server0).toFixed(1) });
  f.set('import: lines/s', { value: Math.round(r.lines / r.seconds).toLocaleString('en') });
  f.set('import: MB/s', { value: (r.bytes / 1e6 / r.seconds).toFixed(1), note: `${mb(r.bytes)} read` });
  f.set('import: peak RSS', { value: `${r.maxRssMb.toFixed(0)} MB`, note: 'target < 400 MB' });
  f.set('time for 10M lines (extrapolated)', {
    value: `${(((10e6 / r.lines) * r.seconds) / 60).toFixed(1)} min`,
    note: 'linear',
  });
  f.set('warehouse size on disk', {
    value: mb(await sizeOf()),
    note: engine === 'duckdb' ? 'file + WAL' : 'pg_database_size',
  });
  log(`${engine}: imported ${r.lines} lines in ${r.seconds.toFixed(1)} s (${r.cpuSeconds.toFixed(0)} s CPU)`);
  if (opts.skip?.has('forecast')) return f;

  const w = await openWarehouse(db);
  try {
    const st = await w.status();
    const year = Number(st.lastMonth!.slice(0, 4));
    const forecastYear = Math.min(year, opts.years[1]);
    const t0 = process.hrtime.bigint();
    const fc = await regionForecast(w, forecastYear);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    f.set('forecast, all municipalities', {
      value: `${(ms / 1000).toFixed(1)} s`,
      note: `${fc.municipalities.length} municipalities, year ${forecastYear}`,
    });
    const t1 = process.hrtime.bigint();
    await w.status();
    f.set('status() (every page re-reads it ≤ every 3 s)', {
      value: `${(Number(process.hrtime.bigint() - t1) / 1e6).toFixed(0)} ms`,
    });
  } finally {
    await w.close();
  }
  if (opts.explain) await explainQueries(engine, db, opts.explain, opts.years[1]);
  const report = () => {
    // Progressively, so a long run that is stopped still leaves its figures.
    for (const [k, c] of f) log(`${engine} | ${k}: ${c.value}${c.note ? `  (${c.note})` : ''}`);
  };
  if (opts.skip?.has('api')) {
    report();
    return f;
  }
  log(`${engine}: API (20 clients) …`);
  for (const [label, value, note] of await benchApi(db, { seconds: opts.apiSeconds ?? 5 })) {
    const m = /^(\d+) \/ (\d+) \/ (\d+) ms$/.exec(value);
    const k = label.replace(/ p50\/p95\/p99$/, ' p50 / p95');
    if (m)
      f.set(k, {
        value: `${m[1]} / ${m[2]} ms`,
        note: /non-2xx/.test(note) ? note : note.replace(/, p95 ratio.*$/, ''),
      });
    else f.set(label, { value, note });
  }
  report();
  return f;
}

/** EXPLAIN ANALYZE of the queries behind the dashboard's heaviest pages, timed cold (no read cache). */
async function explainQueries(engine: string, db: string, file: string, year: number): Promise<void> {
  const queries = [
    ['costs by municipality, month (year)', costsSql({ by: ['municipality', 'month'], year })],
    ['costs by provider (all years; overview)', costsSql({ by: ['provider'] })],
    ['costs by referrer (one municipality, year)', costsSql({ by: ['referrer'], year, municipalities: ['0482'] })],
    ['runoff (forecast)', runoffSql({ asOf: `${year + 1}-03-31` })],
    [
      'status aggregate',
      {
        sql: `SELECT COUNT(*) AS n, COALESCE(SUM(amount_cents), 0) AS total, COUNT(DISTINCT client) AS clients, MIN(month), MAX(month), MAX(declaration_date) FROM declaration_lines`,
        params: [],
      },
    ],
  ] as const;
  appendFileSync(file, `\n==================== ${engine} ====================\n`);
  if (engine === 'postgres') {
    const c = new pg.Client({ connectionString: db });
    await c.connect();
    try {
      for (const [label, q] of queries) {
        const t0 = Date.now();
        const r = await c.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${q.sql}`, [...q.params]);
        appendFileSync(
          file,
          `\n--- ${label} (${Date.now() - t0} ms)\n${r.rows.map((x) => x['QUERY PLAN']).join('\n')}\n`,
        );
      }
    } finally {
      await c.end();
    }
  } else {
    const inst = await DuckDBInstance.create(db);
    const conn = await inst.connect();
    try {
      await conn.run(`SET memory_limit = '1GB'`);
      for (const [label, q] of queries) {
        const t0 = Date.now();
        const r = q.params.length
          ? await conn.runAndReadAll(`EXPLAIN ANALYZE ${q.sql}`, [...q.params] as never)
          : await conn.runAndReadAll(`EXPLAIN ANALYZE ${q.sql}`);
        appendFileSync(
          file,
          `\n--- ${label} (${Date.now() - t0} ms)\n${r
            .getRowObjects()
            .map((x) => String(x.explain_value))
            .join('\n')}\n`,
        );
      }
    } finally {
      conn.closeSync();
      inst.closeSync();
    }
  }
}

export async function benchNational(opts: NationalOptions): Promise<void> {
  const t00 = Date.now();
  const [y0, y1] = opts.years;
  const dataDir =
    opts.data ??
    join(tmpdir(), `grip-bench-national-${y0}-${y1}-${opts.format}${opts.cutoff ? `-${opts.cutoff}` : ''}`);
  const head: [string, string][] = [];
  let generated = false;
  if (!existsSync(join(dataDir, 'manifest.json'))) {
    log(
      `generating national ${y0}-${y1} (${opts.format}${opts.cutoff ? `, cut-off ${opts.cutoff}` : ''}) into ${dataDir} (load ${load()}) …`,
    );
    const t0 = Date.now();
    const c0 = process.cpuUsage();
    await generateRegion({
      outDir: dataDir,
      years: [y0, y1],
      seed: 1,
      scale: 'national',
      format: opts.format,
      cutoff: opts.cutoff,
    });
    const cpu = process.cpuUsage(c0);
    head.push([
      'generate',
      `${((Date.now() - t0) / 1000).toFixed(0)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(0)} s CPU (all threads; load ${load()} at the end)`,
    ]);
    generated = true;
  }
  const manifest = JSON.parse(readFileSync(join(dataDir, 'manifest.json'), 'utf8')) as Manifest;
  const paths =
    opts.format === 'csv'
      ? [join(dataDir, 'csv')]
      : (opts.messages ?? ['jw301', 'jw315', 'jw323']).map((d) => join(dataDir, d));
  const input = bytesUnder(dataDir, opts.format === 'csv' ? /\.csv$/ : /\.xml$/);
  if (opts.format === 'xml' && !opts.skip?.has('xmllint')) {
    const files = paths.flatMap(xmlFilesUnder);
    const bytes = paths.reduce((s, p) => s + bytesUnder(p, /\.xml$/).bytes, 0);
    log(`xmllint --stream --noout over ${files.length} files (2 processes; load ${load()}) …`);
    const x = await xmllintBaseline(files);
    head.push([
      'xmllint --stream --noout, 2 processes (the files imported)',
      `${x.seconds.toFixed(0)} s wall, ${x.cpuSeconds.toFixed(0)} s CPU, ${(bytes / 1e6 / x.seconds).toFixed(1)} MB/s over ${files.length} files, ${mb(bytes)} (load ${load()} at the end)`,
    ]);
  }
  // Share of the year(s)' true cost that was written (care declared after the cut-off is missing).
  let truth = 0;
  let written = 0;
  for (const [, t] of Object.entries(manifest.truth)) for (let y = y0; y <= y1; y++) truth += t.years[String(y)] ?? 0;
  for (const [, d] of Object.entries(manifest.declaredByCutoff))
    for (let y = y0; y <= y1; y++) written += d[String(y)] ?? 0;
  head.push(
    [
      'data',
      `${manifest.counts.declarationLines.toLocaleString('en')} declaration lines, ${Object.keys(manifest.truth).length} municipalities, ${manifest.counts.allocations.toLocaleString('en')} allocations, ${input.files} files, ${mb(input.bytes)} (${opts.format})`,
    ],
    [
      'share of the years’ cost declared by the cut-off',
      `${((written / Math.max(1, truth)) * 100).toFixed(1)}% (cut-off ${manifest.options.cutoff})`,
    ],
  );

  const results = new Map<string, Figures>();
  if (opts.engines.includes('duckdb')) {
    const dir = mkdtempSync(join(tmpdir(), 'grip-bench-nat-duck-'));
    const db = join(dir, 'national.duckdb');
    try {
      const size = async () => statSync(db).size + (existsSync(`${db}.wal`) ? statSync(`${db}.wal`).size : 0);
      results.set('duckdb', await measureEngine('duckdb', db, paths, size, opts));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (opts.engines.includes('postgres')) {
    const server = await startPostgres();
    try {
      const admin = new pg.Client({ connectionString: server.url });
      await admin.connect();
      await admin.query('CREATE DATABASE grip_national');
      const settings = (
        await admin.query<{ name: string; setting: string; unit: string | null }>(
          `SELECT name, setting, unit FROM pg_settings WHERE name IN ('shared_buffers', 'work_mem', 'max_parallel_workers_per_gather')`,
        )
      ).rows
        .map((r) => `${r.name}=${r.setting}${r.unit ?? ''}`)
        .join(', ');
      head.push([
        'PostgreSQL',
        `${(await admin.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version}, temp server on 127.0.0.1, fsync off, ${settings}`,
      ]);
      const url = server.url.replace(/\/[^/]*$/, '/grip_national');
      const size = async () =>
        Number((await admin.query<{ s: string }>(`SELECT pg_database_size('grip_national') AS s`)).rows[0]?.s);
      try {
        results.set('postgres', await measureEngine('postgres', url, paths, size, opts));
      } finally {
        await admin.end();
      }
    } finally {
      server.stop();
    }
  }
  if (generated && !opts.keepData && !opts.data) rmSync(dataDir, { recursive: true, force: true });

  const engines = [...results.keys()];
  const keys = [...new Set(engines.flatMap((e) => [...results.get(e)!.keys()]))];
  const cols = engines.map((e) => Math.max(e.length, ...keys.map((k) => results.get(e)!.get(k)?.value.length ?? 0)));
  const kw = Math.max(...keys.map((k) => k.length));
  const out: string[] = [];
  out.push(
    `\nGrip national benchmark (${y0}-${y1}, ${opts.format}; ${Math.round((Date.now() - t00) / 1000)} s in all; load average ${load()} on ${readFileSync('/proc/cpuinfo', 'utf8').match(/^processor/gm)?.length ?? '?'} cores at the end)`,
  );
  for (const [k, v] of head) out.push(`${k}: ${v}`);
  out.push('');
  out.push(`${''.padEnd(kw)}  ${engines.map((e, i) => e.padStart(cols[i] ?? 0)).join('  ')}  notes`);
  for (const k of keys) {
    const cells = engines.map((e) => results.get(e)!.get(k));
    const notes = [
      ...new Set(
        cells
          .map((c, i) =>
            c?.note
              ? engines.length > 1 && cells.some((o) => o?.note !== c.note)
                ? `${engines[i]}: ${c.note}`
                : c.note
              : '',
          )
          .filter(Boolean),
      ),
    ].join('; ');
    out.push(`${k.padEnd(kw)}  ${cells.map((c, i) => (c?.value ?? '–').padStart(cols[i] ?? 0)).join('  ')}  ${notes}`);
  }
  process.stdout.write(out.join('\n') + '\n');
}
