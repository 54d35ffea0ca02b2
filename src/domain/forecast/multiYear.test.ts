import { at } from '../indexing.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildAssumptions,
  deriveTrend,
  priceIndexFromProducts,
  projectYears,
  sumRows,
  type MultiYearAssumptions,
} from './multiYear.js';

/** Assumptions as given values (source "test"), growth spread 2% from n = 2 growth rates. */
function given(
  volumeTrendPct: number,
  priceIndexPct: number,
  youthGrowthPct: number,
  measuresCents: number,
  growthSdPct = 2,
  n = 2,
): MultiYearAssumptions {
  const a = (
    key: MultiYearAssumptions['volumeTrendPct']['key'],
    value: number,
    unit: '% per jaar' | 'cent per jaar' = '% per jaar',
  ) => ({ key, label: key, value, unit, source: 'test' });
  return {
    volumeTrendPct: a('volumeTrendPct', volumeTrendPct),
    priceIndexPct: a('priceIndexPct', priceIndexPct),
    youthGrowthPct: a('youthGrowthPct', youthGrowthPct),
    measuresCents: a('measuresCents', measuresCents, 'cent per jaar'),
    growthSdPct: a('growthSdPct', growthSdPct),
    growthObservations: n,
  };
}

describe('multi-year forecast: projectYears', () => {
  it('hand example: volume +10%, price +10%, measures −500 euro on a base of 10,000 euro', () => {
    // T_h = 1,000,000 × 1.21^h: 1,210,000 / 1,464,100 / 1,771,561. Equal factors → LMDI splits the change
    // equally; in year 3 the odd cent goes to the earlier part (volume).
    // Interval: w_h = √(w0² + (1.2816 × 0.02)² × (h + h²/2)), w0 = 0.10 below, 0.15 above (bc -l):
    //   h=1: 1,210,000 × (1 − 0.104812) = 1,083,177.80 → 1,083,178; × (1 + 0.153254) = 1,395,432.25
    //   h=2: 1,299,572.69 / 1,696,186.39;  h=3: 1,555,114.99 / 2,064,953.62; then + measures (−50,000).
    const rows = projectYears(
      { year: 2025, forecastCents: 1_000_000, lowCents: 900_000, highCents: 1_150_000 },
      given(10, 10, 0, -50_000),
    );
    expect(rows).toEqual([
      {
        year: 2026,
        baseCents: 1_000_000,
        volumeCents: 105_000,
        priceCents: 105_000,
        youthCents: 0,
        measuresCents: -50_000,
        totalCents: 1_160_000,
        lowCents: 1_033_178,
        highCents: 1_345_432,
      },
      {
        year: 2027,
        baseCents: 1_000_000,
        volumeCents: 232_050,
        priceCents: 232_050,
        youthCents: 0,
        measuresCents: -50_000,
        totalCents: 1_414_100,
        lowCents: 1_249_573,
        highCents: 1_646_186,
      },
      {
        year: 2028,
        baseCents: 1_000_000,
        volumeCents: 385_781,
        priceCents: 385_780,
        youthCents: 0,
        measuresCents: -50_000,
        totalCents: 1_721_561,
        lowCents: 1_505_115,
        highCents: 2_014_954,
      },
    ]);
  });

  it('hand example: only fewer youths (−1% per year) lowers the cost by that share, compounded', () => {
    // 200,000 × 0.99 = 198,000; × 0.99² = 196,020; × 0.99³ = 194,059.8 → 194,060.
    const rows = projectYears(
      { year: 2025, forecastCents: 200_000, lowCents: 200_000, highCents: 200_000 },
      given(0, 0, -1, 0),
    );
    expect(rows.map((r) => [r.youthCents, r.volumeCents, r.priceCents, r.totalCents])).toEqual([
      [-2_000, 0, 0, 198_000],
      [-3_980, 0, 0, 196_020],
      [-5_940, 0, 0, 194_060],
    ]);
  });

  it('no growth and no measures: every year equals the base, with an interval that widens each year', () => {
    const rows = projectYears(
      { year: 2025, forecastCents: 500_000, lowCents: 450_000, highCents: 550_000 },
      given(0, 0, 0, 0),
    );
    expect(rows.map((r) => r.totalCents)).toEqual([500_000, 500_000, 500_000]);
    for (let i = 1; i < rows.length; i++) {
      expect(at(rows, i).lowCents).toBeLessThan(at(rows, i - 1).lowCents);
      expect(at(rows, i).highCents).toBeGreaterThan(at(rows, i - 1).highCents);
    }
    expect(at(rows, 0).lowCents).toBeLessThan(450_000);
  });

  it('rejects a growth of −100% or less and measures that are not whole cents', () => {
    expect(() =>
      projectYears({ year: 2025, forecastCents: 1, lowCents: 1, highCents: 1 }, given(-100, 0, 0, 0)),
    ).toThrow(RangeError);
    expect(() =>
      projectYears({ year: 2025, forecastCents: 1, lowCents: 1, highCents: 1 }, given(0, 0, 0, 0.5)),
    ).toThrow(RangeError);
  });

  it('property: components add up to the total exactly, low ≤ total ≤ high, region = sum of rows', () => {
    const pct = fc.double({ min: -20, max: 30, noNaN: true });
    const base = fc.integer({ min: 0, max: 5_000_000_000 });
    fc.assert(
      fc.property(
        fc.array(base, { minLength: 1, maxLength: 5 }),
        pct,
        pct,
        pct,
        fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
        (bases, v, p, y, m) => {
          const a = given(v, p, y, m);
          const all = bases.map((F) =>
            projectYears(
              { year: 2025, forecastCents: F, lowCents: Math.round(F * 0.9), highCents: Math.round(F * 1.1) },
              a,
            ),
          );
          for (const rows of all)
            for (const r of rows) {
              expect(
                Number.isSafeInteger(r.volumeCents) &&
                  Number.isSafeInteger(r.priceCents) &&
                  Number.isSafeInteger(r.youthCents),
              ).toBe(true);
              expect(r.baseCents + r.volumeCents + r.priceCents + r.youthCents + r.measuresCents).toBe(r.totalCents);
              expect(r.lowCents).toBeLessThanOrEqual(r.totalCents);
              expect(r.highCents).toBeGreaterThanOrEqual(r.totalCents);
            }
          for (const r of sumRows(all))
            expect(r.baseCents + r.volumeCents + r.priceCents + r.youthCents + r.measuresCents).toBe(r.totalCents);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('multi-year forecast: the derived trend and the assumptions', () => {
  it('hand example: 100,000 → 110,000 → 121,000 with prices +10.25% over the span', () => {
    // nominal √1.21 − 1 = 10%; price √1.1025 − 1 = 5%; volume 1.10 / 1.05 − 1 = 4.7619%; rates 10%, 10% → sd 0.
    const t = deriveTrend(
      [
        { year: 2025, cents: 121_000 },
        { year: 2023, cents: 100_000 },
        { year: 2024, cents: 110_000 },
      ],
      0.1025,
    );
    expect(t.years).toEqual([2023, 2024, 2025]);
    expect(t.nominalGrowth).toBeCloseTo(0.1, 12);
    expect(t.priceIndex).toBeCloseTo(0.05, 12);
    expect(t.volumeTrend).toBeCloseTo(0.047619047619, 10);
    expect(t.growthSd).toBeCloseTo(0, 12);
    expect(t.growthObservations).toBe(2);
    const a = buildAssumptions(t);
    expect(a.volumeTrendPct).toMatchObject({ value: 4.76, source: 'afgeleid uit 2023–2025' });
    expect(a.priceIndexPct).toMatchObject({ value: 5, source: 'afgeleid uit 2023–2025' });
    expect(a.youthGrowthPct).toMatchObject({ value: 0, source: 'aanname' });
    expect(a.measuresCents).toMatchObject({ value: 0, source: 'aanname' });
    // sd 0 is below the floor of 2%: the floor is used, and says so.
    expect(a.growthSdPct.value).toBe(2);
    expect(a.growthSdPct.source).toMatch(/^aanname/);
  });

  it('hand example: uneven growth 10% then 20% gives sd 7.07% and nominal 14.89%', () => {
    // √1.32 − 1 = 0.148912529; sd of (0.1, 0.2) with n − 1 = 1: √(0.05² + 0.05²) = 0.0707107.
    const t = deriveTrend(
      [
        { year: 2022, cents: 100 },
        { year: 2023, cents: 110 },
        { year: 2024, cents: 132 },
      ],
      null,
    );
    expect(t.nominalGrowth).toBeCloseTo(0.148912529, 8);
    expect(t.growthSd).toBeCloseTo(0.0707107, 6);
    expect(t.priceIndex).toBeNull();
    const a = buildAssumptions(t, { priceIndexPct: 4, youthGrowthPct: -0.5, measuresCents: -1_000_000 });
    // Without a measured price index the volume trend is the nominal growth (14.89%); user settings are "opgegeven".
    expect(a.volumeTrendPct).toMatchObject({ value: 14.89, source: 'afgeleid uit 2022–2024' });
    expect(a.priceIndexPct).toMatchObject({ value: 4, source: 'opgegeven' });
    expect(a.youthGrowthPct).toMatchObject({ value: -0.5, source: 'opgegeven' });
    expect(a.measuresCents).toMatchObject({ value: -1_000_000, source: 'opgegeven' });
    expect(a.growthSdPct).toMatchObject({ value: 7.07, source: 'afgeleid uit 2022–2024' });
  });

  it('one year only: nothing to derive, defaults are assumptions of zero', () => {
    const a = buildAssumptions(deriveTrend([{ year: 2024, cents: 100 }], 0.03));
    expect(a.volumeTrendPct.value).toBe(0);
    expect(a.volumeTrendPct.source).toMatch(/^aanname/);
    expect(a.priceIndexPct.value).toBe(0);
  });

  it('price index (Sato–Vartia): equal price rises give that rise; +10% and 0% with equal shares give √1.1 − 1', () => {
    expect(
      priceIndexFromProducts([
        { product: 'A', unit: '04', before: { amountCents: 1000, units: 10 }, after: { amountCents: 2200, units: 20 } },
        { product: 'B', unit: '14', before: { amountCents: 500, units: 5 }, after: { amountCents: 550, units: 5 } },
      ]),
    ).toBeCloseTo(0.1, 12);
    // Shares 0.5/0.5 in both periods; ln P = 0.5 ln 1.1 → P − 1 = 0.0488088. Product C (new) does not count.
    expect(
      priceIndexFromProducts([
        { product: 'A', unit: '04', before: { amountCents: 1000, units: 10 }, after: { amountCents: 1100, units: 10 } },
        { product: 'B', unit: '04', before: { amountCents: 1000, units: 10 }, after: { amountCents: 1100, units: 11 } },
        { product: 'C', unit: '04', before: { amountCents: 0, units: 0 }, after: { amountCents: 99_999, units: 1 } },
      ]),
    ).toBeCloseTo(0.0488088, 6);
    expect(
      priceIndexFromProducts([
        { product: 'C', unit: '04', before: { amountCents: 0, units: 0 }, after: { amountCents: 5, units: 1 } },
      ]),
    ).toBeNull();
  });
});
