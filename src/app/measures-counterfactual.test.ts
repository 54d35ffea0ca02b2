/**
 * Realised savings against a counterfactual, judged on generator truth: the planted region (insight
 * 'planted') has a measure that worked — from January of the year before the last, Alblasserdam's ambulant care
 * (category 45) delivers 85% of the volume it would have — and the manifest holds the exact saving per month
 * (manifest.insight.measureEffect). The region grows (more clients every year, tariffs +3% a year), so a flat
 * pre-start baseline understates the saving; the difference-in-differences estimate should find it.
 */
import { describe, expect, it } from 'vitest';
import { generateRegion } from '../generate/index.js';
import { importInto, openTestWarehouse, tempDir } from '../ingest/testing/fixtures.js';
import { monthRange } from '../domain/month.js';
import { importMeasuresCsv, measureRealised } from './measures.js';

describe('realised savings of a planted measure (generator truth)', () => {
  it('difference-in-differences finds the planted saving within its range; the flat baseline does not', async () => {
    const dir = tempDir('grip-did-');
    // Declarations up to a year after the last production month: the generator declares at most 12 months late,
    // so every month counted is complete and the manifest's truth is what the warehouse holds.
    const m = await generateRegion({
      outDir: dir,
      years: [2022, 2025],
      seed: 61,
      scale: 'region',
      format: 'csv',
      insight: 'planted',
      cutoff: '2026-12-31',
    });
    const effect = m.insight!.measureEffect!;
    expect(effect).toMatchObject({ municipality: '0482', category: '45', start: '2024-01', factor: 0.85 });
    const truth = monthRange('2024-01', '2025-12').reduce((s, mo) => s + (effect.savedCents[mo] ?? 0), 0);
    const w = await openTestWarehouse();
    try {
      await importInto(w, [`${dir}/csv`]);
      await importMeasuresCsv(
        w,
        'id,title,owner,status,what,start,end,riskPercent,municipalities,categories,savings2024Euros,savings2025Euros\nP1,Afschalen ambulant,GM0482,in uitvoering,minder uren,2024-01,2025-12,0,0482,45,100000,100000\n',
        'p.csv',
        { enteredBy: 'test' },
      );
      const did = await measureRealised(w, 'P1');
      const flat = await measureRealised(w, 'P1', { baseline: 'mean' });
      expect(did.baselineMethod).toBe('did');
      expect(did.months.map((x) => x.month)).toEqual(monthRange('2024-01', '2025-12'));
      // Every other municipality is a control (no other measure in this warehouse).
      expect(did.did!.controls.length).toBe(9);
      const err = (x: number) => (x - truth) / truth;
      process.stdout.write(
        `planted saving ${(truth / 100).toFixed(0)} euro; DiD ${(did.total.realisedCents / 100).toFixed(0)} (${(err(did.total.realisedCents) * 100).toFixed(1)}%), 80% range ${(did.total.lowCents! / 100).toFixed(0)} … ${(did.total.highCents! / 100).toFixed(0)}; flat baseline ${(flat.total.realisedCents / 100).toFixed(0)} (${(err(flat.total.realisedCents) * 100).toFixed(1)}%)\n` +
          `per year: ${did.years.map((y) => `${y.year} DiD ${(y.realisedCents / 100).toFixed(0)} [${(y.lowCents! / 100).toFixed(0)} … ${(y.highCents! / 100).toFixed(0)}] truth ${(monthRange(`${y.year}-01`, `${y.year}-12`).reduce((s, mo) => s + (effect.savedCents[mo] ?? 0), 0) / 100).toFixed(0)}`).join('; ')}\n`,
      );
      // The planted saving lies in the 80% range (a statement that holds 4 times in 5; on seeds 61–68 it held for
      // 7 of 8, see README), and the estimate is closer to it than the flat baseline, which misses the region's growth.
      expect(did.total.lowCents!).toBeLessThanOrEqual(truth);
      expect(did.total.highCents!).toBeGreaterThanOrEqual(truth);
      expect(Math.abs(err(flat.total.realisedCents))).toBeGreaterThan(Math.abs(err(did.total.realisedCents)));
      expect(did.total.realisedCents).toBeGreaterThan(0);
    } finally {
      await w.close();
    }
  }, 600_000);
});
