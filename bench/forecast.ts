/**
 * Forecast + explanation + back-test for every municipality, on a warehouse, timed (issue 16: 10
 * municipalities < 5 s; 342 < 30 s), with the back-test's figures: MAPE, bias and 80% coverage (out of sample:
 * each year's interval calibrated on the years before it) beside the naive run-rate and last year's ratio;
 * and the same on a region generated with another seed, which no tuning used. Nothing is tuned here.
 *
 * Standalone (without the import benchmark): npx tsx bench/forecast.ts [--scale region|small] [--years 2021-2025]
 *   generates (or reuses, in the temp folder) the seed-1 and seed-7 regions as CSV, imports them without the
 *   XSD step into temporary DuckDB files, and prints the table.
 */
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { explainForecast, regionForecast, regionTrackRecord } from '../src/app/forecast.js';
import type { BacktestReport } from '../src/domain/forecast/backtest.js';
import { addMonths, monthOf } from '../src/domain/month.js';
import { pointIn } from '../src/domain/forecast/yearEnd.js';
import { generateRegion } from '../src/generate/index.js';
import { importPaths } from '../src/ingest/importer.js';
import { makePseudonymiser } from '../src/ingest/pseudonymise.js';
import { makeXsdValidator } from '../src/ingest/xsd.js';
import { openWarehouse } from '../src/warehouse/open.js';

type Row = [string, string, string];
type Scale = 'region' | 'national' | 'small';

export interface OutOfSample {
  seed: number;
  scale: Scale;
}

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

async function measure(db: string) {
  const w = await openWarehouse(db);
  try {
    const st = await w.status();
    const lastYear = Number(st.lastMonth!.slice(0, 4));
    const t0 = process.hrtime.bigint();
    const f = await regionForecast(w, lastYear);
    const t1 = process.hrtime.bigint();
    await explainForecast(w, { year: lastYear, from: { asOf: pointIn(f.asOf, addMonths(monthOf(f.asOf), -1)) } });
    const t2 = process.hrtime.bigint();
    const tr = await regionTrackRecord(w);
    const t3 = process.hrtime.bigint();
    const row = (r: BacktestReport, k: number) => r.byAsOfMonth.find((x) => x.asOfMonth === k)!;
    return {
      generatedYears: [Number(st.firstMonth!.slice(0, 4)), Number((st.lastDeclarationDate ?? st.lastMonth!).slice(0, 4)) - 1] as [number, number],
      municipalities: f.municipalities.length,
      lastYear,
      years: tr.all.years,
      forecastMs: Number(t1 - t0) / 1e6,
      explainMs: Number(t2 - t1) / 1e6,
      totalMs: Number(t3 - t0) / 1e6,
      cases: tr.all.cases.length,
      at: (k: number) => row(tr.all, k),
      coverage: tr.all.coverage,
    };
  } finally {
    await w.close();
  }
}

function figures(label: string, m: Awaited<ReturnType<typeof measure>>): Row[] {
  const rows: Row[] = [];
  for (const k of [3, 6, 9]) {
    const r = m.at(k);
    if (!r) continue;
    rows.push([
      `${label} month ${k}: MAPE / bias`,
      `${pct(r.gripMape)} / ${pct(r.gripBias)}`,
      `last-year ratio ${pct(r.lastYearMape)} (Grip ÷ it ${r.ratioLastYear?.toFixed(2) ?? '—'}, target ≤ 0.7 at month 6), run-rate ${pct(r.naiveMape)} (÷ ${r.ratio.toFixed(2)}), coverage ${pct(r.coverage)}`,
    ]);
  }
  rows.push([`${label} 80% coverage, out of sample`, pct(m.coverage), `target 75–85%; years ${m.years.join(', ') || 'none complete'}`]);
  return rows;
}

export async function benchForecast(db: string, outOfSample: OutOfSample | null = { seed: 7, scale: 'region' }): Promise<Row[]> {
  const m = await measure(db);
  const rows: Row[] = [
    ['forecast, all municipalities', `${m.forecastMs.toFixed(0)} ms`, `${m.municipalities} municipalities, year ${m.lastYear} (incl. the back-test that calibrates the interval)`],
    ['forecast + explain + back-test', `${(m.totalMs / 1000).toFixed(2)} s`, `${m.municipalities} municipalities, explain ${m.explainMs.toFixed(0)} ms, ${m.cases} back-test cases (target < 5 s for 10)`],
    ...figures('back-test', m),
  ];
  if (outOfSample) {
    const t0 = Date.now();
    const oosDb = await prepareRegion(outOfSample.seed, outOfSample.scale, m.generatedYears);
    try {
      const o = await measure(oosDb);
      rows.push(...figures(`seed ${outOfSample.seed}`, o), [`  seed ${outOfSample.seed}: forecast + explain + back-test`, `${(o.totalMs / 1000).toFixed(2)} s`, `${o.municipalities} municipalities (prepare ${((Date.now() - t0) / 1000).toFixed(0)} s incl. generate/import)`]);
    } finally {
      rmSync(oosDb, { force: true });
    }
  }
  return rows;
}

/** Generates (or reuses) a region and imports it into a fresh DuckDB file (CSV, no XSD step: speed only). */
export async function prepareRegion(seed: number, scale: Scale, years: [number, number]): Promise<string> {
  const dir = join(tmpdir(), `grip-bench-forecast-${scale}-${seed}-${years[0]}-${years[1]}`);
  if (!existsSync(join(dir, 'manifest.json'))) await generateRegion({ outDir: dir, years, seed, scale, format: 'csv' });
  const db = join(tmpdir(), `grip-bench-forecast-${process.pid}-${seed}.duckdb`);
  rmSync(db, { force: true });
  const w = await openWarehouse(db);
  try {
    await importPaths([join(dir, 'csv')], { warehouse: w, pseudonymise: makePseudonymiser(Buffer.alloc(32, 1)), xsd: makeXsdValidator(null) });
  } finally {
    await w.close();
  }
  return db;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { scale: { type: 'string', default: 'region' }, years: { type: 'string', default: '2021-2025' }, seed: { type: 'string', default: '1' }, 'oos-seed': { type: 'string', default: '7' } } });
  const scale = values.scale as Scale;
  const [y0, y1] = values.years!.split('-').map(Number) as [number, number];
  const db = await prepareRegion(Number(values.seed), scale, [y0, y1]);
  try {
    const rows = await benchForecast(db, { seed: Number(values['oos-seed']), scale });
    const wd = [Math.max(...rows.map((x) => x[0].length)), Math.max(...rows.map((x) => x[1].length))];
    process.stdout.write(`\nGrip forecast benchmark (${scale}, ${y0}-${y1}, seed ${values.seed}; out-of-sample seed ${values['oos-seed']})\n`);
    for (const [a, b, c] of rows) process.stdout.write(`${a.padEnd(wd[0])}  ${b.padStart(wd[1])}  ${c}\n`);
  } finally {
    rmSync(db, { force: true });
  }
}
