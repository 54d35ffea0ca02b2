import { describe, expect, it } from 'vitest';
import { controlMunicipalities, differenceInDifferences, quantile, rangeFor } from './counterfactual.js';

describe('difference-in-differences savings', () => {
  // Hand-calculated (yearly periods, amounts in cents):
  //   target 2024 1000 → 2025 1000; controls A 1000 → 1100, B 2000 → 2200, C 1000 → 1200, D 1000 → 1000.
  //   pooled controls 5000 → 5500, so without the measure the target would have cost 1000 × 5500/5000 = 1100;
  //   realised = 1100 − 1000 = 100 (a flat baseline would say 0).
  //   placebos: A vs B+C+D 4000 → 4400: cf 1100, actual 1100, error 0; B vs A+C+D 3000 → 3300: cf 2200, error 0;
  //   C vs A+B+D 4000 → 4300: cf 1075, actual 1200, error −125/1075 = −0.1162791;
  //   D vs A+B+C 4000 → 4500: cf 1125, actual 1000, error 125/1125 = 0.1111111.
  //   sorted [−0.1162791, 0, 0, 0.1111111]: q10 = −0.1162791 × 0.7 = −0.0813953, q90 = 0.1111111 × 0.7 = 0.0777778
  //   low = 100 − round(0.0777778 × 1100 = 85.56) = 14; high = 100 − round(−0.0813953 × 1100 = −89.53) = 190.
  const input = {
    target: { '2024': 1000, '2025': 1000 },
    controls: {
      A: { '2024': 1000, '2025': 1100 },
      B: { '2024': 2000, '2025': 2200 },
      C: { '2024': 1000, '2025': 1200 },
      D: { '2024': 1000, '2025': 1000 },
    },
    pre: ['2024'],
    post: ['2025'],
  };

  it('moves the pre-start level by the controls’ change', () => {
    const r = differenceInDifferences(input)!;
    expect(r.periods).toEqual([
      { period: '2025', actualCents: 1000, controlCents: 5500, counterfactualCents: 1100, realisedCents: 100 },
    ]);
    expect(r.realisedCents).toBe(100);
    expect(r.relativeEffect).toBeCloseTo(100 / 1100, 10);
    expect(r.controls).toEqual(['A', 'B', 'C', 'D']);
  });

  it('takes its range from placebo measures in the control municipalities', () => {
    const r = differenceInDifferences(input)!;
    expect(r.placebos.map((p) => p.unit)).toEqual(['A', 'B', 'C', 'D']);
    expect(r.placebos[2]!.relativeError).toBeCloseTo(-125 / 1075, 10);
    expect(r.placebos[3]!.relativeError).toBeCloseTo(125 / 1125, 10);
    expect(r.errorQuantiles![0]).toBeCloseTo((-125 / 1075) * 0.7, 10);
    expect(r.errorQuantiles![1]).toBeCloseTo((125 / 1125) * 0.7, 10);
    expect([r.lowCents, r.highCents]).toEqual([14, 190]);
  });

  it('per month: the controls carry the season, the target keeps its pre-start proportion', () => {
    // Pre: Jan + Feb, target 300 + 100 = 400, controls 600 + 200 = 800 (ratio ½). Post: March controls 900 → cf 450.
    const r = differenceInDifferences({
      target: { '2025-01': 300, '2025-02': 100, '2025-03': 400 },
      controls: { X: { '2025-01': 600, '2025-02': 200, '2025-03': 900 } },
      pre: ['2025-01', '2025-02'],
      post: ['2025-03'],
    })!;
    expect(r.periods[0]).toEqual({
      period: '2025-03',
      actualCents: 400,
      controlCents: 900,
      counterfactualCents: 450,
      realisedCents: 50,
    });
    // One control: no placebo, no range.
    expect([r.lowCents, r.highCents, r.errorQuantiles]).toEqual([null, null, null]);
  });

  it('scales each placebo error to the target’s size (relative noise falls with √size)', () => {
    // target 100; controls A 100 → 110, B 100 → 100, C 400 → 400. Pooled 600 → 610: cf = 100 × 610/600 = 101,67 → 102.
    // A vs B+C (500 → 500): cf 100, actual 110, error −0,1, scale √(100/100) = 1.
    // B vs A+C (500 → 510): cf 102, actual 100, error 2/102, scale 1.
    // C vs A+B (200 → 210): cf 420, actual 400, error 20/420, scale √(400/100) = 2 → 40/420.
    const r = differenceInDifferences({
      target: { '2024': 100, '2025': 100 },
      controls: { A: { '2024': 100, '2025': 110 }, B: { '2024': 100, '2025': 100 }, C: { '2024': 400, '2025': 400 } },
      pre: ['2024'],
      post: ['2025'],
    })!;
    expect(r.counterfactualCents).toBe(102);
    expect(r.placebos.map((p) => p.rawError)).toEqual([-0.1, 2 / 102, 20 / 420]);
    expect(r.placebos[2]!.relativeError).toBeCloseTo((2 * 20) / 420, 12);
    expect(r.placebos[0]!.relativeError).toBeCloseTo(-0.1, 12);
  });

  it('the range of a part of the periods uses the same errors', () => {
    const r = differenceInDifferences(input)!;
    expect(rangeFor(r, r.periods)).toEqual({ realisedCents: 100, lowCents: 14, highCents: 190 });
  });

  it('no estimate without a pre-start cost, and controls without one are left out', () => {
    expect(differenceInDifferences({ ...input, target: { '2025': 1000 } })).toBeNull();
    const r = differenceInDifferences({
      ...input,
      controls: { ...input.controls, E: { '2025': 5000 }, F: { '2024': 5000 } },
    })!;
    expect(r.controls).not.toContain('E');
    expect(r.controls).not.toContain('F');
    expect(r.realisedCents).toBe(100);
    expect(() => differenceInDifferences({ ...input, post: ['2024'] })).toThrow(/both before and after/);
  });

  it('quantile interpolates linearly', () => {
    expect(quantile([0, 10], 0.25)).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5], 0.9)).toBeCloseTo(4.6, 10);
  });
});

describe('control municipalities', () => {
  const base = {
    title: 't',
    description: '',
    owner: { kind: 'SOJ' as const },
    savingsPerYear: {},
    oneOffCostsCents: 0,
    structuralCostsPerYearCents: 0,
    riskPercent: 0,
  };
  const m = (
    id: string,
    municipalities: string[],
    categories: string[],
    status: 'idee' | 'gepland' | 'in uitvoering' | 'gestopt' = 'in uitvoering',
    start = '2025-01',
  ) => ({
    ...base,
    id,
    status,
    plan: { what: 'x', start },
    scope: { municipalities, categories },
  });
  const region = ['0482', '0505', '0512', '0523', '0531'];
  const window = { from: '2024-01', to: '2025-12' };

  it('leaves out the measure’s own municipalities and those with a similar measure under way in the window', () => {
    const target = m('A', ['0482'], ['45']);
    const all = [
      target,
      m('B', ['0505'], ['45', '43']), // overlapping category: 0505 took a similar measure
      m('C', ['0512'], ['43']), // another category: 0512 stays a control
      m('D', ['0523'], []), // every category: overlaps
      m('E', ['0531'], ['45'], 'idee'), // only an idea: stays a control
      m('F', ['0531'], ['45'], 'gestopt'),
      m('G', [], ['45']), // the whole region: acts on everyone alike, removes nobody
    ];
    expect(controlMunicipalities(target, all, region, window)).toEqual(['0512', '0531']);
    // A similar measure that starts after the window does not disturb it.
    expect(
      controlMunicipalities(target, [target, m('H', ['0505'], ['45'], 'gepland', '2026-03')], region, window),
    ).toEqual(['0505', '0512', '0523', '0531']);
  });

  it('a measure for the whole region has none', () => {
    expect(controlMunicipalities(m('R', [], ['45']), [], region, window)).toEqual([]);
  });
});
