import { at, field } from '../indexing.js';
import { describe, expect, it } from 'vitest';
import { monthRange } from '../month.js';
import {
  REALISATION_PROBABILITY,
  costInScope,
  expectedSavings,
  measuresForecastLine,
  inScope,
  measureCostsInYear,
  plannedPerMonth,
  realisedSavings,
  riskAdjusted,
  savingsCoverage,
  validateMeasure,
  type Measure,
  type ScopedCost,
} from './measures.js';

const euro = (e: number) => e * 100;

function measure(over: Partial<Measure> & Pick<Measure, 'id'>): Measure {
  return {
    title: `Maatregel ${over.id}`,
    description: '',
    owner: { kind: 'gemeente', municipality: '0482' },
    plan: { what: 'test', start: '2025-01' },
    status: 'in uitvoering',
    savingsPerYear: {},
    oneOffCostsCents: 0,
    structuralCostsPerYearCents: 0,
    riskPercent: 0,
    scope: { municipalities: ['0482'] },
    ...over,
  };
}

describe('risk-adjusted coverage of the savings target', () => {
  // Seed 003 (presentatie DG&J raad Alblasserdam, 3 april 2025): "Primaire begroting 2025 (forecast januari 2024 -
  // 200.000 taakstelling)" → a target of € 200.000 for Alblasserdam in 2025.
  const target = { municipality: '0482', year: 2025, amountCents: euro(200_000) };

  it('Σ potential × (1 − risk) vs the € 200.000 target of Alblasserdam', () => {
    const ms = [
      // 120.000 × 0,75 = 90.000; costs: one-off 10.000 + structural 5.000 in 2025
      measure({
        id: 'specifiek-beschikken',
        savingsPerYear: { 2025: euro(120_000), 2026: euro(150_000) },
        riskPercent: 25,
        oneOffCostsCents: euro(10_000),
        structuralCostsPerYearCents: euro(5_000),
      }),
      // 100.000 × 0,5 = 50.000
      measure({ id: 'afschaling', savingsPerYear: { 2025: euro(100_000) }, riskPercent: 50 }),
      // stopped: does not count
      measure({ id: 'gestopt', status: 'gestopt', savingsPerYear: { 2025: euro(500_000) } }),
    ];
    const rows = savingsCoverage(ms, [target], { years: [2025] });
    // 0482: potential 220.000, risk-adjusted 140.000, coverage 140.000 / 200.000 = 70%, gap 60.000; net 140.000 − 15.000 = 125.000
    expect(rows).toEqual([
      {
        year: 2025,
        scope: '0482',
        targetCents: euro(200_000),
        potentialCents: euro(220_000),
        riskAdjustedCents: euro(140_000),
        costsCents: euro(15_000),
        netRiskAdjustedCents: euro(125_000),
        targetBasis: 'own',
        targetScopes: [],
        countedRiskAdjustedCents: euro(140_000),
        coverage: 0.7,
        gapCents: euro(60_000),
        measures: ['specifiek-beschikken', 'afschaling'],
      },
      {
        year: 2025,
        scope: 'regio',
        targetCents: euro(200_000),
        potentialCents: euro(220_000),
        riskAdjustedCents: euro(140_000),
        costsCents: euro(15_000),
        netRiskAdjustedCents: euro(125_000),
        // No region target: the sum of the targets that exist (0482 only), covered by what counts in 0482.
        targetBasis: 'municipalities',
        targetScopes: ['0482'],
        countedRiskAdjustedCents: euro(140_000),
        coverage: 0.7,
        gapCents: euro(60_000),
        measures: ['specifiek-beschikken', 'afschaling'],
      },
    ]);
  });

  it('splits a regional measure over municipalities by weights, exactly; counts it once for the region', () => {
    const ms = [
      measure({ id: 'lokaal', savingsPerYear: { 2025: euro(100_000) }, riskPercent: 20 }), // 80.000 for 0482
      // regional (SOJ): 300.000 at 10% = 270.000, split 1:2 over 0482 and 0505 → 90.000 / 180.000
      measure({
        id: 'contractmanagement',
        owner: { kind: 'SOJ' },
        scope: { municipalities: [] },
        savingsPerYear: { 2025: euro(300_000) },
        riskPercent: 10,
      }),
    ];
    const targets = [
      target,
      { municipality: '0505', year: 2025, amountCents: euro(150_000) },
      { municipality: null, year: 2025, amountCents: euro(500_000) },
    ];
    const rows = savingsCoverage(ms, targets, {
      splitWeights: [
        { code: '0482', weight: 1 },
        { code: '0505', weight: 2 },
      ],
    });
    const by = Object.fromEntries(rows.map((r) => [r.scope, r]));
    // 0482: 80.000 + 90.000 = 170.000 of 200.000 → 85%, gap 30.000
    expect(by['0482']).toMatchObject({
      potentialCents: euro(200_000),
      riskAdjustedCents: euro(170_000),
      coverage: 0.85,
      gapCents: euro(30_000),
    });
    // 0505: 180.000 of 150.000 → 120%, gap −30.000 (over-covered)
    expect(by['0505']).toMatchObject({
      potentialCents: euro(200_000),
      riskAdjustedCents: euro(180_000),
      coverage: 1.2,
      gapCents: -euro(30_000),
    });
    // region: its own target 500.000; 80.000 + 270.000 = 350.000 → 70%
    expect(by.regio).toMatchObject({
      targetCents: euro(500_000),
      potentialCents: euro(400_000),
      riskAdjustedCents: euro(350_000),
      coverage: 0.7,
    });
    expect(field(by, '0482').riskAdjustedCents + field(by, '0505').riskAdjustedCents).toBe(
      field(by, 'regio').riskAdjustedCents,
    );

    // Without weights the regional measure counts for the region only; the region target defaults to the sum.
    const plain = savingsCoverage(ms, targets.slice(0, 2));
    const p = Object.fromEntries(plain.map((r) => [r.scope, r]));
    expect(field(p, '0482').riskAdjustedCents).toBe(euro(80_000));
    expect(p['0505']).toMatchObject({ riskAdjustedCents: 0, coverage: 0, measures: [] });
    // ... covered only by what counts in those municipalities: 80.000 (0482) + 0 (0505) of 350.000; the
    // unsplit regional measure's 270.000 covers no municipality's target.
    expect(p.regio).toMatchObject({
      targetCents: euro(350_000),
      targetBasis: 'municipalities',
      targetScopes: ['0482', '0505'],
      riskAdjustedCents: euro(350_000),
      countedRiskAdjustedCents: euro(80_000),
      coverage: 80_000 / 350_000,
      gapCents: euro(270_000),
    });
  });

  it('region without a target of its own: only the targets that exist count (one small target, many measures elsewhere)', () => {
    // Only 0482 has a target (200.000). Its own measure: 100.000 at 20% = 80.000 → 40%. A measure in 0505
    // (no target) saves 500.000 at 0% and a regional one 300.000 at 10% = 270.000, split 1:2 → 90.000 / 180.000.
    const ms = [
      measure({ id: 'lokaal', savingsPerYear: { 2025: euro(100_000) }, riskPercent: 20 }),
      measure({
        id: 'elders',
        scope: { municipalities: ['0505'] },
        savingsPerYear: { 2025: euro(500_000) },
        riskPercent: 0,
      }),
      measure({
        id: 'regionaal',
        owner: { kind: 'SOJ' },
        scope: { municipalities: [] },
        savingsPerYear: { 2025: euro(300_000) },
        riskPercent: 10,
      }),
    ];
    const rows = savingsCoverage(ms, [target], {
      splitWeights: [
        { code: '0482', weight: 1 },
        { code: '0505', weight: 2 },
      ],
    });
    const by = Object.fromEntries(rows.map((r) => [r.scope, r]));
    // 0482 against its own target: 80.000 + 90.000 = 170.000 of 200.000 → 85%.
    expect(by['0482']).toMatchObject({
      targetBasis: 'own',
      countedRiskAdjustedCents: euro(170_000),
      coverage: 0.85,
      gapCents: euro(30_000),
    });
    // 0505 has no target: no coverage, nothing to find.
    expect(by['0505']).toMatchObject({
      targetCents: null,
      targetBasis: null,
      countedRiskAdjustedCents: 0,
      coverage: null,
      gapCents: null,
      riskAdjustedCents: euro(680_000),
    });
    // Region: all of it is saved (80.000 + 500.000 + 270.000 = 850.000), but only 0482's 170.000 covers a target:
    // 85%, not 850.000 / 200.000 = 425%.
    expect(by.regio).toMatchObject({
      targetCents: euro(200_000),
      targetBasis: 'municipalities',
      targetScopes: ['0482'],
      riskAdjustedCents: euro(850_000),
      countedRiskAdjustedCents: euro(170_000),
      coverage: 0.85,
      gapCents: euro(30_000),
    });
    // With a region target of its own, everything counts against it.
    const own = savingsCoverage(ms, [target, { municipality: null, year: 2025, amountCents: euro(1_000_000) }], {
      splitWeights: [
        { code: '0482', weight: 1 },
        { code: '0505', weight: 2 },
      ],
    });
    expect(own.find((r) => r.scope === 'regio')).toMatchObject({
      targetBasis: 'own',
      targetScopes: [],
      countedRiskAdjustedCents: euro(850_000),
      coverage: 0.85,
    });
  });

  it('reports every year with a target or potential, with null coverage where there is no target', () => {
    const rows = savingsCoverage([measure({ id: 'a', savingsPerYear: { 2026: euro(10_000) } })], [target]);
    expect(rows.map((r) => [r.year, r.scope, r.targetCents, r.coverage])).toEqual([
      [2025, '0482', euro(200_000), 0],
      [2025, 'regio', euro(200_000), 0],
      [2026, '0482', null, null],
      [2026, 'regio', null, null],
    ]);
  });

  it('rounds the risk adjustment to the cent and costs by year', () => {
    expect(riskAdjusted(333, 33.3)).toBe(222); // 333 × 0,667 = 222,111
    expect(riskAdjusted(15, 50)).toBe(8); // 7,5 → 8
    expect(riskAdjusted(euro(1), 100)).toBe(0);
    const m = measure({
      id: 'k',
      plan: { what: '', start: '2025-07', end: '2026-06' },
      oneOffCostsCents: 500,
      structuralCostsPerYearCents: 100,
    });
    expect([2024, 2025, 2026, 2027].map((y) => measureCostsInYear(m, y))).toEqual([0, 600, 100, 0]);
  });

  it('validates measures', () => {
    expect(() => validateMeasure(measure({ id: 'x', riskPercent: 120 }))).toThrow(/between 0 and 100/);
    expect(() => validateMeasure(measure({ id: 'x', status: 'klaar' as 'gepland' }))).toThrow(/unknown status/);
    expect(() => validateMeasure(measure({ id: 'x', plan: { what: '', start: '2025-13' } }))).toThrow(/YYYY-MM/);
    expect(() => validateMeasure(measure({ id: 'x', plan: { what: '', start: '2025-06', end: '2025-01' } }))).toThrow(
      /on or after/,
    );
    expect(() => validateMeasure(measure({ id: 'x', savingsPerYear: { 2025: 1.5 } }))).toThrow(/integer/);
    expect(() => validateMeasure(measure({ id: 'x', title: ' ' }))).toThrow(/title/);
  });
});

describe('realised savings from actuals', () => {
  it('baseline − actual per month, cumulative, next to the plan (hand-computed)', () => {
    const baseline = { '2025-01': 1000, '2025-02': 1100, '2025-03': 1200, '2025-04': 1300 };
    const actual = { '2025-01': 1000, '2025-02': 1000, '2025-03': 1250, '2025-04': 900 };
    // from Feb: realised 100, −50, 400 → cumulative 100, 50, 450; plan 1.100 cents for 2025 over Feb–Dec (11 months) = 100 each
    const rows = realisedSavings(baseline, actual, { from: '2025-02', plannedPerYear: { 2025: 1100 } });
    expect(
      rows.map((r) => [r.month, r.realisedCents, r.cumulativeRealisedCents, r.plannedCents, r.cumulativePlannedCents]),
    ).toEqual([
      ['2025-02', 100, 100, 100, 100],
      ['2025-03', -50, 50, 100, 200],
      ['2025-04', 400, 450, 100, 300],
    ]);
    // the actuals stop at the last month with data; the measure's end caps
    expect(realisedSavings(baseline, { '2025-01': 0, '2025-02': 0 }, { from: '2025-01' }).map((r) => r.month)).toEqual([
      '2025-01',
      '2025-02',
    ]);
    expect(realisedSavings(baseline, actual, { from: '2025-01', end: '2025-02' })).toHaveLength(2);
    expect(realisedSavings(baseline, actual, { from: '2026-01' })).toEqual([]);
    expect(() => realisedSavings(baseline, actual, { from: '2025' })).toThrow(/YYYY-MM/);
  });

  it("spreads a year's plan over its months exactly (largest remainder, earlier months first)", () => {
    // start Oct 2025: 1.000 over Oct–Dec = 333,33 each → 334, 333, 333 (the leftover cent to the earliest month)
    const open = plannedPerMonth({ 2025: 1000, 2026: 1200 }, '2025-10');
    expect([open['2025-09'], open['2025-10'], open['2025-11'], open['2025-12']]).toEqual([undefined, 334, 333, 333]);
    // no end: 1.200 over the twelve months of 2026, 100 each
    expect(monthRange('2026-01', '2026-12').map((m) => open[m])).toEqual(Array(12).fill(100));
    // ending Feb 2026: 1.200 over Jan–Feb = 600 each
    const ended = plannedPerMonth({ 2025: 1000, 2026: 1200 }, '2025-10', '2026-02');
    expect(ended).toEqual({ '2025-10': 334, '2025-11': 333, '2025-12': 333, '2026-01': 600, '2026-02': 600 });
  });

  it('finds a planted effect in a generated region', () => {
    // A small generated region: 3 municipalities × 3 categories × 2 providers, 2024-01..2025-12, a deterministic
    // trend + seasonal pattern (the counterfactual, which serves as the baseline forecast) and zero-sum noise.
    // Planted: from 2025-04, measure M cuts category 45 of provider P1 in 0482 by € 5.000 a month (planned € 45.000 in 2025).
    const months = monthRange('2024-01', '2025-12');
    const muns = ['0482', '0505', '0512'];
    const cats = ['43', '45', '54'];
    const provs = ['P1', 'P2'];
    const counterfactual: ScopedCost[] = [];
    const actual: ScopedCost[] = [];
    months.forEach((month, t) => {
      for (const [mi, municipality] of muns.entries())
        for (const [ci, category] of cats.entries())
          for (const [pi, provider] of provs.entries()) {
            const base =
              euro(20_000) * (mi + 1) +
              euro(3_000) * ci +
              euro(1_000) * pi +
              euro(150) * t +
              euro(500) * (t % 12 === 6 ? -1 : 1);
            const noise = ((t + mi + ci + pi) % 2 === 0 ? 1 : -1) * euro(700); // alternates by month: sums to 0 or ±700 over a run of months
            const planted =
              municipality === '0482' && category === '45' && provider === 'P1' && month >= '2025-04' ? euro(5_000) : 0;
            counterfactual.push({ month, municipality, category, provider, amountCents: base });
            actual.push({ month, municipality, category, provider, amountCents: base + noise - planted });
          }
    });
    const scope = { municipalities: ['0482'], categories: ['45'], provider: 'P1' };
    expect(inScope(scope, { municipality: '0482', category: '45', provider: 'P1' })).toBe(true);
    expect(inScope(scope, { municipality: '0482', category: '45', provider: 'P2' })).toBe(false);
    expect(inScope({ municipalities: [] }, { municipality: '0505' })).toBe(true);
    const rows = realisedSavings(costInScope(scope, counterfactual), costInScope(scope, actual), {
      from: '2025-04',
      plannedPerYear: { 2025: euro(45_000) },
    });
    expect(rows).toHaveLength(9);
    // Each month realised = 5.000 − noise, i.e. 4.300 or 5.700 alternating; over 9 months 45.000 ± 700.
    for (const r of rows) expect([euro(4_300), euro(5_700)]).toContain(r.realisedCents);
    expect(at(rows, 8).cumulativePlannedCents).toBe(euro(45_000));
    expect(Math.abs(at(rows, 8).cumulativeRealisedCents - euro(45_000))).toBe(euro(700));
    // Outside the scope nothing was planted: realised there is only noise.
    const other = realisedSavings(
      costInScope({ municipalities: ['0505'] }, counterfactual),
      costInScope({ municipalities: ['0505'] }, actual),
      { from: '2025-04' },
    );
    // (0505 has 3 × 2 = 6 cells whose noise cancels in pairs each month)
    for (const r of other) expect(r.realisedCents).toBe(0);
  });
});

describe('the plan: expected savings and the multi-year measures line', () => {
  it('potential × (1 − risk) × the chance of the status', () => {
    // € 100.000, risk 20%: risk-adjusted € 80.000; in uitvoering 80% → € 64.000; gepland 50% → € 40.000; idee 25% → € 20.000
    const m = (status: Measure['status']) =>
      measure({ id: status, status, riskPercent: 20, savingsPerYear: { 2026: euro(100_000) } });
    expect(REALISATION_PROBABILITY).toEqual({
      idee: 0.25,
      gepland: 0.5,
      'in uitvoering': 0.8,
      gerealiseerd: 1,
      gestopt: 0,
    });
    expect(
      ['in uitvoering', 'gepland', 'idee', 'gerealiseerd', 'gestopt'].map((s) =>
        expectedSavings(m(s as Measure['status']), 2026),
      ),
    ).toEqual([euro(64_000), euro(40_000), euro(20_000), euro(80_000), 0]);
  });

  it('per municipality and year: the change against the base year, regional measures split by weight', () => {
    const ms = [
      // 0482 only, in uitvoering (80%), no risk: 2025 € 50.000 (in the base), 2026 € 100.000, 2027 € 100.000
      measure({ id: 'A', savingsPerYear: { 2025: euro(50_000), 2026: euro(100_000), 2027: euro(100_000) } }),
      // the region, gepland (50%), risk 50%: 2026 € 40.000 → 10.000 expected, split 3 : 1 over 0482 and 0505
      measure({
        id: 'R',
        status: 'gepland',
        riskPercent: 50,
        scope: { municipalities: [] },
        savingsPerYear: { 2026: euro(40_000) },
      }),
      // several municipalities without a weight: not split
      measure({ id: 'X', scope: { municipalities: ['0512', '0523'] }, savingsPerYear: { 2026: euro(1_000) } }),
    ];
    const line = measuresForecastLine(
      ms,
      2025,
      [2026, 2027, 2028],
      [
        { code: '0482', weight: 3 },
        { code: '0505', weight: 1 },
      ],
    );
    // A: −(80.000 − 40.000) = −40.000 in 2026 and 2027; 2028 is not listed: 2027's € 100.000 carries on, −40.000 again.
    // R: only 2026 listed, so 2026 carries on too: −10.000 every year → 0482 −7.500, 0505 −2.500.
    expect(Object.fromEntries(line.perMunicipality)).toEqual({
      '0482': { 2026: -euro(47_500), 2027: -euro(47_500), 2028: -euro(47_500) },
      '0505': { 2026: -euro(2_500), 2027: -euro(2_500), 2028: -euro(2_500) },
    });
    expect(line.unsplit).toEqual(['X']);
    // A measure that ends stops saving: B ends in 2026, so from 2027 its saving is gone (+ the base year's back).
    const ended = measuresForecastLine(
      [
        measure({
          id: 'B',
          plan: { what: 'x', start: '2025-01', end: '2026-12' },
          savingsPerYear: { 2025: euro(10_000), 2026: euro(10_000) },
        }),
      ],
      2025,
      [2026, 2027],
      [],
    );
    // expected 2025 = 2026 = 8.000 (80%); 2027: 0 → +8.000
    expect(Object.fromEntries(ended.perMunicipality)).toEqual({ '0482': { 2026: 0, 2027: euro(8_000) } });
  });
});
