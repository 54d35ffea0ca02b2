import { describe, expect, it } from 'vitest';
import { generateRegion } from '../generate/index.js';
import { importInto, openTestWarehouse, tempDir } from '../ingest/testing/fixtures.js';
import { regionBacktest, regionForecast } from './forecast.js';
import { backtest } from '../domain/forecast/backtest.js';

describe('forecast on a generated region whose true totals are known', () => {
  it('beats the naive run-rate at as-of months 3 and 6, and forecast = declared + ibnr + remaining ≥ declared', async () => {
    const dir = tempDir('grip-fc-');
    const m = await generateRegion({ outDir: dir, years: [2021, 2025], seed: 11, scale: 'small', format: 'xml', cutoff: '2025-12-31' });
    const w = await openTestWarehouse();
    try {
      await importInto(w, [dir]);
      // The region as a whole (a small test region: per municipality the numbers are tiny and one costly
      // family dominates; the benchmark reports the per-municipality figures on the full-size region).
      const cells = (await w.runoff({})).map(({ month, declarationMonth, amountCents }) => ({ month, declarationMonth, amountCents }));
      const bt = [{ report: backtest({ cells, years: [2023, 2024] }) }];
      expect((await regionBacktest(w, [2024])).length).toBe(10);
      const at = (k: number, key: 'gripMape' | 'naiveMape') => bt.reduce((s, b) => s + b.report.byAsOfMonth.find((r) => r.asOfMonth === k)![key], 0) / bt.length;
      expect(at(3, 'gripMape')).toBeLessThanOrEqual(at(3, 'naiveMape') / 2);
      expect(at(6, 'gripMape')).toBeLessThanOrEqual(at(6, 'naiveMape') / 3);
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
      process.stdout.write(`backtest m3 grip ${at(3, 'gripMape').toFixed(3)} naive ${at(3, 'naiveMape').toFixed(3)}; m6 grip ${at(6, 'gripMape').toFixed(3)} naive ${at(6, 'naiveMape').toFixed(3)}; coverage ${(bt.reduce((s, b) => s + b.report.coverage, 0) / bt.length).toFixed(2)}; 2025 forecast ${f.total.forecastCents} truth ${truth}\n`);
    } finally {
      await w.close();
    }
  }, 180_000);
});
