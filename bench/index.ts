/**
 * `npm run bench`: speed and memory, measured, with baselines from the same run.
 *   --scale region (default) | national     --years 2021-2025     --data DIR (reuse generated data)
 *   --skip a,b (steps to leave out: xmllint-schema, build, floors, one-worker, xmllint-import, monthly, whole,
 *   forecast, api, reports)
 * Prints a table of figures and ratios; nothing here asserts (machines are noisy), the closing note reports.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateRegion } from '../src/generate/index.js';
import { BUNDLED_XSD_DIR, findXsdDir } from '../src/ingest/xsd.js';
import { benchForecast } from './forecast.js';
import { benchReports } from './reports.js';
import { benchApi } from './api.js';
import { importInChild, nodeSettings } from './import-run.js';
import { benchNational } from './national.js';
import { benchFloors } from './floors.js';
import { xmlFilesUnder, xmllintBaseline } from './xmllint.js';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: 'region' },
    years: { type: 'string' },
    data: { type: 'string' },
    skip: { type: 'string', default: '' },
    // --scale national only (see bench/national.ts)
    format: { type: 'string', default: 'csv' },
    cutoff: { type: 'string' },
    'keep-data': { type: 'boolean', default: false },
    engines: { type: 'string', default: 'duckdb,postgres' },
    'api-seconds': { type: 'string', default: '5' },
    explain: { type: 'string' },
    messages: { type: 'string' },
  },
});
const scale = values.scale as 'region' | 'national';
if (scale === 'national') {
  // Both engines side by side on national-size data; a national year by default.
  const [n0 = 2025, n1] = (values.years ?? '2025').split('-').map(Number);
  await benchNational({
    years: [n0, n1 ?? n0],
    format: values.format as 'csv' | 'xml',
    cutoff: values.cutoff,
    data: values.data,
    keepData: values['keep-data'],
    engines: values.engines.split(','),
    apiSeconds: Number(values['api-seconds']),
    explain: values.explain,
    messages: values.messages?.split(','),
    skip: new Set(values.skip.split(',').filter(Boolean)),
  });
  process.exit(0);
}
const [y0 = 2021, y1] = (values.years ?? '2021-2025').split('-').map(Number);
const skip = new Set(values.skip.split(',').filter(Boolean));
const dataDir = values.data ?? join(tmpdir(), `grip-bench-${scale}-${y0}-${y1 ?? y0}`);
const rows: [string, string, string][] = [];
const row = (what: string, value: string, note = '') => {
  rows.push([what, value, note]);
  process.stderr.write(`  ${what}: ${value} ${note}\n`);
};

// 1. Data.
if (!existsSync(join(dataDir, 'manifest.json'))) {
  process.stderr.write(`Generating ${scale} ${y0}-${y1 ?? y0} into ${dataDir} …\n`);
  const t0 = Date.now();
  await generateRegion({ outDir: dataDir, years: [y0, y1 ?? y0], seed: 1, scale, format: 'xml' });
  row('generate', `${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
const jw323 = xmlFilesUnder(join(dataDir, 'jw323'));
const jw323Bytes = jw323.reduce((s, f) => s + statSync(f).size, 0);

// 2. Grip's import of the JW323 files (parse + XSD validation in the stream + checks + pseudonymise + store), in
//    its own process, against the baseline: xmllint --stream --noout over the same files (well-formedness, no
//    schema), two processes at a time (both cores), as Grip may use them. Three rounds, each xmllint then Grip,
//    so both meet the same phases of the machine (its speed swings by half within minutes: xmllint 0.6-1.5 s
//    for the same two-year files); the ratio is the fastest import against the fastest xmllint, and each
//    round's own ratio is printed beside it. Then xmllint with the XSD, and the import with xmllint as well
//    (`grip import --xsd xmllint`).
// The imports run the compiled build, as `grip` does (bench/child.ts falls back to the sources when it is stale).
if (!skip.has('build'))
  execFileSync(
    process.execPath,
    [
      new URL('../node_modules/typescript/bin/tsc', import.meta.url).pathname,
      '-p',
      new URL('../tsconfig.build.json', import.meta.url).pathname,
    ],
    { stdio: 'inherit' },
  );
const xsd = join(findXsdDir() ?? BUNDLED_XSD_DIR, 'JW323.xsd'); // the schemas the importer uses (schemas/ijw-3.2 unless GRIP_XSD_DIR)
const importJw323 = (mode: 'stream' | 'xmllint', workers?: number) => {
  const db = join(tmpdir(), `grip-bench-${process.pid}-${mode}-${workers ?? 'auto'}.duckdb`);
  rmSync(db, { force: true });
  return {
    db,
    r: importInChild(
      [`--xsd=${mode}`, db, join(dataDir, 'jw323')],
      workers ? { ...process.env, GRIP_IMPORT_WORKERS: String(workers) } : process.env,
    ),
  };
};
const rounds: { lint: { seconds: number; cpuSeconds: number }; grip: ReturnType<typeof importJw323>['r'] }[] = [];
let db = '';
for (let i = 0; i < 3; i++) {
  const lint = await xmllintBaseline(jw323);
  const imported = importJw323('stream');
  db = imported.db; // each round imports into the same path afresh; the last one stays for the rows below
  rounds.push({ lint, grip: imported.r });
}
const fastestOf = <T extends { seconds: number }>(xs: T[]): T => xs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
const fastest = fastestOf(rounds.map((x) => x.lint));
const lintSec = fastest.seconds;
const lintMBs = jw323Bytes / 1e6 / lintSec;
const lintNooutCpu = fastest.cpuSeconds;
const r = fastestOf(rounds.map((x) => x.grip));
const seconds = (xs: { seconds: number }[]) => xs.map((x) => x.seconds.toFixed(2)).join(', ');
row(
  'xmllint --stream --noout (JW323, 2 processes; fastest of 3)',
  `${lintMBs.toFixed(1)} MB/s`,
  `${(jw323Bytes / 1e6).toFixed(0)} MB in ${lintSec.toFixed(2)} s (${lintNooutCpu.toFixed(1)} s CPU); the 3 runs: ${seconds(rounds.map((x) => x.lint))} s`,
);
if (!skip.has('xmllint-schema')) {
  const x = await xmllintBaseline(jw323, ['--schema', xsd]);
  row(
    'xmllint --stream --schema (JW323, 2 processes)',
    `${(jw323Bytes / 1e6 / x.seconds).toFixed(1)} MB/s`,
    `${x.seconds.toFixed(1)} s (${x.cpuSeconds.toFixed(1)} s CPU)`,
  );
}
{
  const { env, flags } = nodeSettings('import');
  const given = [...Object.entries(env).map(([k, v]) => `${k}=${process.env[k] ?? v}`), ...flags];
  const own = Object.keys(env).filter((k) => process.env[k] !== undefined);
  row(
    'Node started with (bin/node-settings, as bin/grip starts it)',
    given.join(' ') || '(nothing)',
    own.length > 0 ? `(your own ${own.join(', ')} won)` : '',
  );
}
const gripMBs = r.bytes / 1e6 / r.seconds;
row(
  'grip import (JW323, parse threads: one per core; fastest of 3)',
  `${Math.round(r.lines / r.seconds).toLocaleString('en')} lines/s`,
  `${r.lines.toLocaleString('en')} lines in ${r.seconds.toFixed(1)} s (${r.cpuSeconds.toFixed(1)} s CPU, ${r.build} build), ${r.rejected} rejected; the 3 runs: ${seconds(rounds.map((x) => x.grip))} s; its end: last commit ${r.lastCommitSeconds.toFixed(2)} s, derived tables ${r.derivedSeconds.toFixed(2)} s`,
);
row(
  'grip import MB/s',
  `${gripMBs.toFixed(1)} MB/s`,
  `ratio to xmllint --stream --noout: ${(gripMBs / lintMBs).toFixed(2)} (target ≥ 0.33); each round's own: ${rounds.map((x) => (x.lint.seconds / x.grip.seconds).toFixed(2)).join(', ')}`,
);
if (lintNooutCpu > 0)
  row(
    'grip import CPU seconds / xmllint --noout CPU seconds',
    `${(r.cpuSeconds / lintNooutCpu).toFixed(1)}×`,
    `(≤ 3× would reach the 1/3 throughput on two otherwise idle cores)`,
  );
row(
  'grip import peak RSS',
  `${Math.max(...rounds.map((x) => x.grip.maxRssMb)).toFixed(0)} MB`,
  '(the highest of the 3 runs; target < 400 MB)',
);
row('warehouse size', `${(statSync(db).size / 1e6).toFixed(0)} MB`);
// 3a. The floors: the import's three unavoidable parts alone, one thread each, and the yardstick (bench/floors.ts).
if (!skip.has('floors')) for (const [k, v, n] of benchFloors(jw323, db, lintSec, r)) row(k, v, n);
if (!skip.has('one-worker')) {
  const x = importJw323('stream', 1);
  row(
    'grip import, one parse thread (JW323)',
    `${(x.r.bytes / 1e6 / x.r.seconds).toFixed(1)} MB/s`,
    `${x.r.seconds.toFixed(1)} s (${x.r.cpuSeconds.toFixed(1)} s CPU); peak RSS ${x.r.maxRssMb.toFixed(0)} MB`,
  );
  rmSync(x.db, { force: true });
}
if (!skip.has('xmllint-import')) {
  const x = importJw323('xmllint');
  row(
    'grip import --xsd xmllint (JW323)',
    `${(x.r.bytes / 1e6 / x.r.seconds).toFixed(1)} MB/s`,
    `${x.r.seconds.toFixed(1)} s; peak RSS ${x.r.maxRssMb.toFixed(0)} MB`,
  );
  rmSync(x.db, { force: true });
}

// 3b. A month into a warehouse that holds the months before it, as a region imports: the JW323 files of the last
//     declaration month (the generator names files …_YYYY-MM.xml) after all the files before them. Their cost
//     per line against the bulk import's above shows what an import pays besides its own lines (the derived
//     tables, brought up from where they stand since migration 15, were rebuilt from every line before).
if (!skip.has('monthly')) {
  const monthOf = (f: string) => /_(\d{4}-\d{2})\.xml$/.exec(f)?.[1] ?? '';
  const last = jw323.map(monthOf).reduce((a, b) => (b > a ? b : a), '');
  const dir = mkdtempSync(join(tmpdir(), 'grip-bench-monthly-'));
  try {
    for (const part of ['before', 'month']) mkdirSync(join(dir, part));
    for (const f of jw323) symlinkSync(f, join(dir, monthOf(f) === last ? 'month' : 'before', basename(f)));
    const mdb = join(dir, 'w.duckdb');
    const before = importInChild([mdb, join(dir, 'before')]);
    const m = importInChild([mdb, join(dir, 'month')]);
    const perK = (x: { seconds: number; lines: number }) => (x.seconds / x.lines) * 1e6;
    row(
      `grip import, one month (${last}) into the months before it (JW323)`,
      `${m.seconds.toFixed(2)} s`,
      `${m.imported.toLocaleString('en')} files, ${m.lines.toLocaleString('en')} lines into ${before.lines.toLocaleString('en')}, ${m.cpuSeconds.toFixed(2)} s CPU, peak RSS ${m.maxRssMb.toFixed(0)} MB; ${perK(m).toFixed(0)} ms per 1,000 lines against ${perK(r).toFixed(0)} ms in the import of all files above`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// 4. The rest of the data (allocations etc.), then forecast and API.
{
  const rest = importInChild([db, dataDir]);
  row(
    'grip import, the rest of the region (JW301, JW315, …)',
    `${rest.seconds.toFixed(1)} s`,
    `${rest.imported.toLocaleString('en')} files, ${rest.cpuSeconds.toFixed(1)} s CPU, peak RSS ${rest.maxRssMb.toFixed(0)} MB; whole region ${(r.seconds + rest.seconds).toFixed(1)} s`,
  );
}
// 5. The whole region folder in one import into a fresh warehouse (as `grip import <folder>` does): its peak
//    RSS is the figure the < 400 MB target is about.
if (!skip.has('whole')) {
  const whole = join(tmpdir(), `grip-bench-${process.pid}-whole.duckdb`);
  rmSync(whole, { force: true });
  const all = importInChild([whole, dataDir]);
  rmSync(whole, { force: true });
  row(
    'grip import, the whole region folder at once',
    `${all.seconds.toFixed(1)} s`,
    `${all.imported.toLocaleString('en')} files, ${all.lines.toLocaleString('en')} lines, ${all.cpuSeconds.toFixed(1)} s CPU, peak RSS ${all.maxRssMb.toFixed(0)} MB (target < 400 MB)`,
  );
}
if (!skip.has('forecast')) for (const [k, v, n] of await benchForecast(db)) row(k, v, n);
if (!skip.has('api')) for (const [k, v, n] of await benchApi(db)) row(k, v, n);
if (!skip.has('reports')) for (const [k, v, n] of await benchReports(db)) row(k, v, n);

rmSync(db, { force: true });

const w = [Math.max(...rows.map((x) => x[0].length)), Math.max(...rows.map((x) => x[1].length))] as const;
process.stdout.write(`\nGrip benchmark (${scale}, ${y0}-${y1 ?? y0}, data in ${dataDir})\n`);
for (const [a, b, c] of rows) process.stdout.write(`${a.padEnd(w[0])}  ${b.padStart(w[1])}  ${c}\n`);
