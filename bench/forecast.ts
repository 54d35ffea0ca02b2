/**
 * Forecast + back-test for every municipality × past years, on a warehouse, timed; and an out-of-sample
 * check of INTERVAL_SCALE (calibrated on the demo region, seed 1): the back-test's 80%-interval coverage on
 * a region generated with another seed, printed next to the in-sample figure. Nothing is tuned here.
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
import { regionBacktest, regionForecast } from '../src/app/forecast.js';
import { INTERVAL_SCALE } from '../src/domain/forecast/yearEnd.js';
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

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

async function measure(db: string) {
  const w = await openWarehouse(db);
  try {
    const st = await w.status();
    const lastYear = Number(st.lastMonth!.slice(0, 4));
    const firstYear = Number(st.firstMonth!.slice(0, 4));
    const t0 = process.hrtime.bigint();
    const f = await regionForecast(w, lastYear);
    const t1 = process.hrtime.bigint();
    const years = Array.from({ length: lastYear - firstYear }, (_, i) => firstYear + 1 + i).filter((y) => y < lastYear);
    const bt = await regionBacktest(w, years);
    const t2 = process.hrtime.bigint();
    const agg = (month: number, k: 'gripMape' | 'naiveMape' | 'coverage') => {
      const rows = bt.map((m) => m.report.byAsOfMonth.find((r) => r.asOfMonth === month)!).filter(Boolean);
      return rows.reduce((s, r) => s + r[k], 0) / Math.max(1, rows.length);
    };
    return {
      // The generator's last year: its default cut-off is 31 March of the year after.
      generatedYears: [firstYear, Number((st.lastDeclarationDate ?? st.lastMonth!).slice(0, 4)) - 1] as [number, number],
      municipalities: f.municipalities.length,
      lastYear,
      firstYear,
      years,
      forecastMs: Number(t1 - t0) / 1e6,
      totalMs: Number(t2 - t0) / 1e6,
      cases: bt.reduce((s, m) => s + m.report.cases.length, 0),
      agg,
      coverage: bt.reduce((s, m) => s + m.report.coverage, 0) / Math.max(1, bt.length),
    };
  } finally {
    await w.close();
  }
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

export async function benchForecast(db: string, outOfSample: OutOfSample | null = { seed: 7, scale: 'region' }): Promise<Row[]> {
  const m = await measure(db);
  const ratio = (k: number) => m.agg(k, 'gripMape') / m.agg(k, 'naiveMape');
  const rows: Row[] = [
    ['forecast, all municipalities', `${m.forecastMs.toFixed(0)} ms`, `${m.municipalities} municipalities, year ${m.lastYear}`],
    ['forecast + back-test', `${(m.totalMs / 1000).toFixed(2)} s`, `${m.municipalities} municipalities, ${m.cases} cases over ${m.years.join(', ')} (target < 5 s)`],
    ['back-test MAPE at month 3', pct(m.agg(3, 'gripMape')), `naive ${pct(m.agg(3, 'naiveMape'))}, ratio ${ratio(3).toFixed(2)} (target ≤ 0.5)`],
    ['back-test MAPE at month 6', pct(m.agg(6, 'gripMape')), `naive ${pct(m.agg(6, 'naiveMape'))}, ratio ${ratio(6).toFixed(2)} (target ≤ 0.33)`],
    ['80% interval coverage (in-sample)', pct(m.coverage), `INTERVAL_SCALE ${INTERVAL_SCALE} calibrated on this region (target 75–85%)`],
  ];
  if (outOfSample) {
    const t0 = Date.now();
    const oosDb = await prepareRegion(outOfSample.seed, outOfSample.scale, m.generatedYears);
    try {
      const o = await measure(oosDb);
      const oRatio = (k: number) => o.agg(k, 'gripMape') / o.agg(k, 'naiveMape');
      const verdict = o.coverage >= 0.75 && o.coverage <= 0.85 ? 'within 75–85%' : o.coverage < 0.75 ? 'BELOW 75–85%: interval too narrow out of sample' : 'ABOVE 75–85%: interval too wide out of sample';
      rows.push(
        [`80% interval coverage (out-of-sample, seed ${outOfSample.seed})`, pct(o.coverage), `in-sample ${pct(m.coverage)}; ${verdict}; not re-tuned`],
        [`  seed ${outOfSample.seed}: MAPE month 3 / 6`, `${pct(o.agg(3, 'gripMape'))} / ${pct(o.agg(6, 'gripMape'))}`, `naive ${pct(o.agg(3, 'naiveMape'))} / ${pct(o.agg(6, 'naiveMape'))}, ratio ${oRatio(3).toFixed(2)} / ${oRatio(6).toFixed(2)}`],
        [`  seed ${outOfSample.seed}: forecast + back-test`, `${(o.totalMs / 1000).toFixed(2)} s`, `${o.municipalities} municipalities, ${o.cases} cases (prepare ${((Date.now() - t0) / 1000).toFixed(0)} s incl. generate/import)`],
      );
    } finally {
      rmSync(oosDb, { force: true });
    }
  }
  return rows;
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
