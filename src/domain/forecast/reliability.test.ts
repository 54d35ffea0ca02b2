import { describe, expect, it } from 'vitest';
import type { BacktestCase } from './backtest.js';
import { chanceText, reliabilityOf, reliabilityText } from './reliability.js';
import { chanceAbove, type IntervalCalibration } from './yearEnd.js';

const base = { entity: '0482', asOf: '2024-06-30', sdCents: 100, lowCents: null, highCents: null, lastYearCents: null };

describe('reliability and the chance of an overrun', () => {
  it('reliability from cases, by hand: MAPE, bias, baselines and coverage of out-of-sample intervals only', () => {
    const cases: BacktestCase[] = [
      // actual 1,000: Grip 1,100 (+10%), run-rate 800 (−20%), last year 1,050 (+5%), inside [900, 1,200]
      {
        ...base,
        year: 2023,
        asOfMonth: 6,
        actualCents: 1_000,
        gripCents: 1_100,
        naiveCents: 800,
        lastYearCents: 1_050,
        lowCents: 900,
        highCents: 1_200,
      },
      // actual 2,000: Grip 1,900 (−5%), run-rate 1,500 (−25%), no last year, no interval (no earlier year)
      { ...base, year: 2022, asOfMonth: 6, actualCents: 2_000, gripCents: 1_900, naiveCents: 1_500 },
      { ...base, year: 2023, asOfMonth: 7, actualCents: 1_000, gripCents: 5_000, naiveCents: 5_000 },
    ];
    const r = reliabilityOf(cases, 6);
    expect(r.years).toEqual([2022, 2023]);
    expect(r.mape).toBeCloseTo((0.1 + 0.05) / 2, 12);
    expect(r.bias).toBeCloseTo((0.1 - 0.05) / 2, 12);
    expect(r.naiveMape).toBeCloseTo((0.2 + 0.25) / 2, 12);
    expect(r.lastYearMape).toBeCloseTo(0.05, 12);
    expect([r.inside, r.cases]).toEqual([1, 1]);
    expect(reliabilityText(r)).toBe(
      'Terugtoets 2022–2023: met de stand in juni week de prognose gemiddeld 7,5% af van de uiteindelijke kosten (gemiddeld 2,5% te hoog); vorig jaar als maatstaf: 5,0%, simpel doortrekken: 22,5%. De uitkomst lag in 1 van de 1 gevallen binnen de 80%-bandbreedte.',
    );
    expect(reliabilityText(null)).toMatch(/^Nog te weinig afgesloten jaren/);
  });

  it('P(year-end > budget) counts the back-test errors that would put the year above it, (k + ½) ÷ (n + 1)', () => {
    // Standardised errors at as-of month 6: −2, −1, 0, 1, 2 (n = 5). Forecast 10,000, sd 1,000.
    const cal: IntervalCalibration = {
      quantiles: { 6: [-1.6, 1.6] },
      cases: { 6: 5 },
      z: { 6: [-2, -1, 0, 1, 2] },
      years: [2023],
    };
    const f = { year: 2025, asOf: '2025-06-30', forecastCents: 10_000, sdCents: 1_000 };
    // Budget 9,500: t = −0.5; errors above it: 0, 1, 2 → (3 + ½) ÷ 6.
    expect(chanceAbove(f, 9_500, cal)).toBeCloseTo(3.5 / 6, 12);
    // Budget 13,000: none above → ½ ÷ 6, never 0.
    expect(chanceAbove(f, 13_000, cal)).toBeCloseTo(0.5 / 6, 12);
    // Without a calibration: the normal approximation, 50% at the forecast itself.
    expect(chanceAbove(f, 10_000, null)).toBeCloseTo(0.5, 6);
    expect(chanceAbove(f, 11_282, null)).toBeCloseTo(0.1, 3); // z = 1.282
    // Nothing left to estimate: certain.
    expect(chanceAbove({ ...f, sdCents: 0 }, 9_999, cal)).toBe(1);
    expect(chanceText(0.995)).toBe('meer dan 99%');
    expect(chanceText(0.004)).toBe('minder dan 1%');
    expect(chanceText(3.5 / 6)).toBe('58%');
  });
});
