/**
 * Published forecasts (vintages) and the explanation of revisions, on both engines: a vintage does not move
 * when later data arrive; the explanation from it to today adds up exactly, per municipality, to today's
 * forecast minus the published one; from a stand to the same stand it is all zeros.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateRegion } from '../generate/index.js';
import { importInto, tempDir } from '../ingest/testing/fixtures.js';
import { ENGINES, freshWarehouse } from '../warehouse/testing/engines.js';
import { explainForecast, forecastHistory, publishForecast, regionForecast } from './forecast.js';

describe.each(ENGINES)('forecast vintages and explanations (%s)', (engine) => {
  it('publish, later imports, history unchanged, explain adds up exactly', async () => {
    const dir = tempDir('grip-vintage-');
    await generateRegion({
      outDir: dir,
      years: [2022, 2025],
      seed: 31,
      scale: 'small',
      format: 'csv',
      cutoff: '2025-09-30',
    });
    const files = readdirSync(join(dir, 'csv'))
      .sort()
      .map((f) => join(dir, 'csv', f));
    const early = files.filter((f) => f.slice(-11, -4) <= '2025-06');
    const late = files.filter((f) => f.slice(-11, -4) > '2025-06');
    expect(early.length).toBeGreaterThan(10);
    expect(late.length).toBe(3);
    const w = await freshWarehouse(engine);
    try {
      await importInto(w, early);
      const before = await regionForecast(w, 2025);
      expect(before.asOf).toBe('2025-06-05');
      const { id } = await publishForecast(w, {
        year: 2025,
        label: 'Burap 1 2025',
        by: 'test',
        now: new Date('2025-06-10T12:00:00Z'),
      });
      expect(id).toBe(1);
      const h1 = await forecastHistory(w, 2025, ['regio', ...before.municipalities.map((m) => m.municipality)]);
      const region1 = h1.find((x) => x.scope === 'regio')!;
      expect(region1.vintages).toHaveLength(1);
      expect(region1.vintages[0]).toMatchObject({
        id: 1,
        label: 'Burap 1 2025',
        asOf: '2025-06-05',
        forecastCents: before.total.forecastCents,
        lowCents: before.total.lowCents,
        highCents: before.total.highCents,
      });
      expect(region1.actualCents).toBeNull(); // 2025's run-off is not complete

      await importInto(w, late);
      const after = await regionForecast(w, 2025);
      expect(after.asOf).toBe('2025-09-05');
      expect(after.total.forecastCents).not.toBe(before.total.forecastCents);
      // The vintage did not move.
      const h2 = await forecastHistory(w, 2025, ['regio', ...before.municipalities.map((m) => m.municipality)]);
      expect(h2).toEqual(h1);

      // Why did it change? From the vintage to today, per municipality: components add up exactly.
      const e = await explainForecast(w, { year: 2025, from: { vintage: 1 } });
      expect(e.fromAsOf).toBe('2025-06-05');
      expect(e.toAsOf).toBe('2025-09-05');
      expect(e.municipalities.length).toBe(before.municipalities.length);
      for (const m of e.municipalities) {
        const published = before.municipalities.find((x) => x.municipality === m.municipality)!;
        const now = after.municipalities.find((x) => x.municipality === m.municipality)!;
        expect(m.fromCents).toBe(published.forecastCents);
        expect(m.toCents).toBe(now.forecastCents);
        expect(m.components.reduce((s, c) => s + c.cents, 0)).toBe(now.forecastCents - published.forecastCents);
        // Same method and the same data up to the vintage's stand: nothing from the method or late data.
        expect(m.components.find((c) => c.kind === 'method')!.cents).toBe(0);
        for (const c of m.components) expect(c.text.length).toBeGreaterThan(10);
      }
      // New declarations did arrive: somewhere they differ from what was expected.
      expect(e.municipalities.some((m) => m.components.find((c) => c.kind === 'declarations')!.cents !== 0)).toBe(true);

      // No new data: the same stand twice explains nothing.
      const same = await explainForecast(w, { year: 2025, from: { asOf: '2025-09-05' }, to: '2025-09-05' });
      for (const m of same.municipalities) expect(m.components.every((c) => c.cents === 0)).toBe(true);

      // An unknown vintage is a clear error.
      await expect(explainForecast(w, { year: 2025, from: { vintage: 99 } })).rejects.toThrow(
        /geen gepubliceerde prognose 99/,
      );
    } finally {
      await w.close();
    }
  }, 240_000);
});
