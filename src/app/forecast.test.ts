import { describe, expect, it } from 'vitest';
import { generateRegion } from '../generate/index.js';
import { importInto, openTestWarehouse, tempDir } from '../ingest/testing/fixtures.js';
import { multiYearForecast, regionBacktest, regionForecast } from './forecast.js';
import { backtest } from '../domain/forecast/backtest.js';
import { at } from '../domain/indexing.js';
import { lastDayOfMonth } from '../domain/month.js';

describe('forecast on a generated region whose true totals are known', () => {
  it('beats the naive run-rate at as-of months 3 and 6, and forecast = declared + ibnr + remaining ≥ declared', async () => {
    const dir = tempDir('grip-fc-');
    const m = await generateRegion({
      outDir: dir,
      years: [2021, 2025],
      seed: 11,
      scale: 'small',
      format: 'xml',
      cutoff: '2025-12-31',
    });
    const w = await openTestWarehouse();
    try {
      await importInto(w, [dir]);
      // The region as a whole (a small test region: per municipality the numbers are tiny and one costly
      // family dominates; the benchmark reports the per-municipality figures on the full-size region).
      const cells = (await w.runoff({})).map(({ month, declarationMonth, amountCents }) => ({
        month,
        declarationMonth,
        amountCents,
      }));
      const bt = [{ report: backtest({ cells, years: [2023, 2024] }) }];
      expect((await regionBacktest(w, [2024])).length).toBe(10);
      const mapeAt = (k: number, key: 'gripMape' | 'naiveMape') =>
        bt.reduce((s, b) => s + b.report.byAsOfMonth.find((r) => r.asOfMonth === k)![key], 0) / bt.length;
      expect(mapeAt(3, 'gripMape')).toBeLessThanOrEqual(mapeAt(3, 'naiveMape') / 2);
      expect(mapeAt(6, 'gripMape')).toBeLessThanOrEqual(mapeAt(6, 'naiveMape') / 3);
      const f = await regionForecast(w, 2025, '2025-06-30');
      for (const x of [...f.municipalities, f.total]) {
        expect(x.forecastCents).toBe(x.declaredCents + x.ibnrCents + x.remainingCents);
        expect(x.forecastCents).toBeGreaterThanOrEqual(x.declaredCents);
        expect(x.lowCents).toBeLessThanOrEqual(x.forecastCents);
        expect(x.highCents).toBeGreaterThanOrEqual(x.forecastCents);
      }
      // Against the manifest's truth for 2025: the region forecast at mid-year is within 15%.
      const truth = Object.values(m.truth).reduce((s, t) => s + (t.years['2025'] ?? 0), 0);
      expect(Math.abs(f.total.forecastCents - truth) / truth).toBeLessThan(0.15);

      // Against the manifest's truth at as-of months 3 and 6 of 2023 and 2024: the region forecast is closer
      // to the true total than the naive run-rate (declared to date × 12 / months elapsed), every time.
      const trueTotal = (year: number, muni?: string) =>
        Object.entries(m.truth)
          .filter(([c]) => !muni || c === muni)
          .reduce((s, [, t]) => s + (t.years[String(year)] ?? 0), 0);
      const cases: { label: string; gripErr: number; naiveErr: number; gripMuni: number; naiveMuni: number }[] = [];
      for (const year of [2023, 2024])
        for (const k of [3, 6]) {
          const g = await regionForecast(w, year, lastDayOfMonth(`${year}-${String(k).padStart(2, '0')}`));
          const t = trueTotal(year);
          const perMuni = (est: (x: (typeof g.municipalities)[number]) => number) =>
            g.municipalities.reduce(
              (s, x) => s + Math.abs(est(x) - trueTotal(year, x.municipality)) / trueTotal(year, x.municipality),
              0,
            ) / g.municipalities.length;
          cases.push({
            label: `${year} m${k}`,
            gripErr: Math.abs(g.total.forecastCents - t) / t,
            naiveErr: Math.abs((g.total.declaredCents * 12) / k - t) / t,
            gripMuni: perMuni((x) => x.forecastCents),
            naiveMuni: perMuni((x) => (x.declaredCents * 12) / k),
          });
        }
      const lines = cases.map(
        (c) =>
          `${c.label}: region grip ${(c.gripErr * 100).toFixed(1)}% naive ${(c.naiveErr * 100).toFixed(1)}%, per municipality grip ${(c.gripMuni * 100).toFixed(1)}% naive ${(c.naiveMuni * 100).toFixed(1)}%`,
      );
      process.stdout.write(`vs manifest truth: ${lines.join('; ')}\n`);
      // Asserted for the region. Per municipality the figures are printed, not asserted: in this small region
      // (≈ 30 new clients per municipality a year) one long, costly placement moves a municipality's year by
      // tens of percent, and there Grip is not reliably better than the run-rate (see the benchmark for the
      // full-size region).
      for (const c of cases) expect(c.gripErr).toBeLessThan(c.naiveErr);

      // Multi-year: base 2024 as of mid-2024, trend derived from 2021–2023; the forecast of 2025 against the truth.
      const my = await multiYearForecast(w, { year: 2024, asOf: '2024-06-30' });
      expect(my.trendYears).toEqual([2021, 2022, 2023]);
      expect(my.assumptions.volumeTrendPct.source).toBe('afgeleid uit 2021–2023');
      expect(my.assumptions.youthGrowthPct).toMatchObject({ value: 0, source: 'aanname' });
      // The derived nominal growth reproduces the true growth 2021 → 2023 (manifest) within 2 points.
      const trueGrowth = Math.sqrt(trueTotal(2023) / trueTotal(2021)) - 1;
      expect(Math.abs(my.nominalGrowth - trueGrowth)).toBeLessThan(0.02);
      // The generator raises tariffs 3% a year (by allocation start year), except the products billed at 1 cent
      // per unit, which stay at 1 cent: the measured price index lies between 0 and a little over 3%, nearer 3%.
      expect(my.assumptions.priceIndexPct.value).toBeGreaterThan(1.5);
      expect(my.assumptions.priceIndexPct.value).toBeLessThan(3.2);
      const y2025 = at(my.total.years, 0);
      expect(y2025.year).toBe(2025);
      const truth2025 = trueTotal(2025);
      // Better than carrying the 2024 forecast over flat, within 12%, and the truth inside the interval. (A
      // small region of ≈ 300 new clients a year, where one costly family moves a year by several percent: the
      // base year's forecast at mid-2024 is itself 6% off here. The full-size region is judged in
      // forecast-calibration.test.ts and the benchmark.)
      expect(Math.abs(y2025.totalCents - truth2025)).toBeLessThan(Math.abs(y2025.baseCents - truth2025));
      expect(Math.abs(y2025.totalCents - truth2025) / truth2025).toBeLessThan(0.12);
      expect(truth2025).toBeGreaterThanOrEqual(y2025.lowCents);
      expect(truth2025).toBeLessThanOrEqual(y2025.highCents);
      process.stdout.write(
        `multi-year 2025: ${y2025.totalCents} [${y2025.lowCents}, ${y2025.highCents}] truth ${truth2025}; growth ${my.nominalGrowth.toFixed(4)} true ${trueGrowth.toFixed(4)}; price ${my.assumptions.priceIndexPct.value}% volume ${my.assumptions.volumeTrendPct.value}%\n`,
      );
      // Rows add up; the region is the sum of the municipalities; the measures amount is shared exactly.
      const withMeasures = await multiYearForecast(w, {
        year: 2024,
        asOf: '2024-06-30',
        assumptions: { measuresCents: -1_000_001, youthGrowthPct: -1 },
      });
      expect(withMeasures.assumptions.measuresCents).toMatchObject({ value: -1_000_001, source: 'opgegeven' });
      for (const e of [...withMeasures.municipalities, withMeasures.total])
        for (const r of e.years) {
          expect(r.baseCents + r.volumeCents + r.priceCents + r.youthCents + r.measuresCents).toBe(r.totalCents);
          expect(r.youthCents).toBeLessThanOrEqual(0);
          expect(r.lowCents).toBeLessThanOrEqual(r.totalCents);
          expect(r.highCents).toBeGreaterThanOrEqual(r.totalCents);
        }
      withMeasures.total.years.forEach((r, i) => {
        expect(r.measuresCents).toBe(-1_000_001);
        expect(withMeasures.municipalities.reduce((s, x) => s + at(x.years, i).totalCents, 0)).toBe(r.totalCents);
        // 1% fewer youths a year: below the default forecast shifted by the measures.
        expect(r.totalCents).toBeLessThan(at(my.total.years, i).totalCents - 1_000_001);
      });
      // Intervals widen with the horizon.
      const width = (r: { lowCents: number; highCents: number; totalCents: number }) =>
        (r.highCents - r.lowCents) / r.totalCents;
      expect(width(at(my.total.years, 2))).toBeGreaterThan(width(at(my.total.years, 1)));
      expect(width(at(my.total.years, 1))).toBeGreaterThan(width(at(my.total.years, 0)));

      process.stdout.write(
        `backtest m3 grip ${mapeAt(3, 'gripMape').toFixed(3)} naive ${mapeAt(3, 'naiveMape').toFixed(3)}; m6 grip ${mapeAt(6, 'gripMape').toFixed(3)} naive ${mapeAt(6, 'naiveMape').toFixed(3)}; coverage ${(bt.reduce((s, b) => s + (b.report.coverage ?? 0), 0) / bt.length).toFixed(2)}; 2025 forecast ${f.total.forecastCents} truth ${truth}\n`,
      );
    } finally {
      await w.close();
    }
  }, 240_000);
});
