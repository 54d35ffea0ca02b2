/**
 * The multi-year forecast's track record on a generated region whose truth is known: one case per year whose
 * following year is complete, the truth being the generator's manifest.
 */
import { describe, expect, it } from 'vitest';
import { generateRegion } from '../generate/index.js';
import { importInto, openTestWarehouse, tempDir } from '../ingest/testing/fixtures.js';
import { multiYearTrackRecord } from './forecast.js';

describe('multi-year forecast: track record', () => {
  it('forecasts made at the end of each year for the next, against the manifest truth', async () => {
    const dir = tempDir('grip-myt-');
    const m = await generateRegion({
      outDir: dir,
      years: [2019, 2024],
      seed: 23,
      scale: 'small',
      format: 'csv',
      cutoff: '2026-01-31',
    });
    const w = await openTestWarehouse();
    try {
      await importInto(w, [dir]);
      const cases = await multiYearTrackRecord(w);
      // Data 2019–2024, declarations to January 2026: base years 2021–2023 (two years of data before each),
      // target years 2022–2024 (each complete: 12 months of declarations after its end). 2024 → 2025: no truth.
      expect(cases.map((c) => [c.baseYear, c.year])).toEqual([
        [2021, 2022],
        [2022, 2023],
        [2023, 2024],
      ]);
      for (const c of cases) {
        const truth = Object.values(m.truth).reduce((s, t) => s + (t.years[String(c.year)] ?? 0), 0);
        expect(c.actualCents).toBe(truth);
        expect(c.lowCents).toBeLessThanOrEqual(c.forecastCents);
        expect(c.highCents).toBeGreaterThanOrEqual(c.forecastCents);
      }
      const line = cases
        .map(
          (c) =>
            `${c.baseYear}→${c.year}: ${(((c.forecastCents - c.actualCents) / c.actualCents) * 100).toFixed(1)}% (flat ${(((c.flatCents - c.actualCents) / c.actualCents) * 100).toFixed(1)}%)`,
        )
        .join('; ');
      process.stdout.write(`multi-year track record: ${line}\n`);
    } finally {
      await w.close();
    }
  }, 240_000);
});
