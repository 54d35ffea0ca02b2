import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GripError } from '../domain/errors.js';
import { at } from '../domain/indexing.js';
import { monthRange } from '../domain/month.js';
import { ENGINES, freshWarehouse } from '../warehouse/testing/engines.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import {
  importMeasuresCsv,
  importTargetsCsv,
  measureRealised,
  measuresCoverage,
  parseMeasuresCsv,
} from './measures.js';
import { importDeclarations, type DeclarationSpec } from './testing/ledger.js';
import { multiYearForecast } from './forecast.js';

const who = { enteredBy: 'analist', enteredAt: '2025-01-15T10:00:00.000Z' };

const MEASURES = `id,title,owner,status,what,start,end,riskPercent,municipalities,categories,products,provider,oneOffCostsEuros,structuralCostsEuros,savings2025Euros,description
M1,Specifiek beschikken ambulant,GM0482,in uitvoering,Toewijzen op product,2025-01,,25,0482,45,45A03,11111111,10000,5000,240000,Seed 003: specifiek beschikken
M2,Afschaling,0482,gepland,Casusregie op afschaling,2025-01,,50,0482,,45A03|45A04,,,,40000,
M3,Contractmanagement,SOJ,in uitvoering,Naleving contractvoorwaarden,2025-01,,"0",,,,,,,100000,
`;

/**
 * The planted region. In scope of M1 (0482, category 45, product 45A03, provider 11111111): € 100.000 a month in
 * 2024 (two clients × € 50.000) except a summer dip in July 2024 (€ 60.000); from January 2025 the measure works
 * and the cost is 80% of that: € 80.000 a month, July 2025 € 48.000. Out of scope (must not move M1's figures):
 * provider 22222222 (€ 30.000 in 2024, € 40.000 in 2025), product 45A04 (€ 10.000), and Dordrecht (€ 50.000).
 * Every month is declared on the 10th of the next month; the last declaration is 10 October 2025 (September).
 */
function plantedRegion(): DeclarationSpec[] {
  const out: DeclarationSpec[] = [];
  for (const month of monthRange('2024-01', '2025-09')) {
    const y2025 = month >= '2025-01';
    const july = month.endsWith('-07');
    const inScope = (july ? 6_000_000 : 10_000_000) * (y2025 ? 0.8 : 1);
    out.push({
      municipality: '0482',
      month,
      provider: '11111111',
      product: '45A03',
      amountCents: inScope / 2,
      client: 1,
    });
    out.push({
      municipality: '0482',
      month,
      provider: '11111111',
      product: '45A03',
      amountCents: inScope / 2,
      client: 2,
    });
    out.push({
      municipality: '0482',
      month,
      provider: '22222222',
      product: '45A03',
      amountCents: y2025 ? 4_000_000 : 3_000_000,
      client: 3,
    });
    out.push({
      municipality: '0482',
      month,
      provider: '11111111',
      product: '45A04',
      amountCents: 1_000_000,
      client: 4,
    });
    out.push({
      municipality: '0505',
      month,
      provider: '11111111',
      product: '45A03',
      amountCents: 5_000_000,
      client: 5,
    });
  }
  return out;
}

describe('measures CSV: bad input', () => {
  const head = 'id,title,owner,status,what,start,riskPercent';
  const err = (text: string) => {
    try {
      parseMeasuresCsv(text, 'maatregelen.csv', who);
    } catch (e) {
      if (e instanceof GripError) return e;
      throw e;
    }
    throw new Error('expected an error');
  };
  it.each([
    [
      `${head}\nM1,T,0482,bezig,x,2025-01,10\n`,
      2,
      'column status: "bezig" is not one of: idee, gepland, in uitvoering, gerealiseerd, gestopt',
    ],
    [`${head}\nM1,T,0482,gepland,x,2025-01,110\n`, 2, 'column riskPercent: 110 is not between 0 and 100'],
    [`${head}\nM1,T,0482,gepland,x,2025-1,10\n`, 2, 'column start: "2025-1" is not a month (YYYY-MM)'],
    [`${head},end\nM1,T,0482,gepland,x,2025-03,10,2025-02\n`, 2, 'column end: 2025-02 is before the start 2025-03'],
    [
      `${head}\nM1,T,0482,gepland,x,2025-01,10\nM1,T,0482,gepland,x,2025-01,10\n`,
      3,
      'column id: measure "M1" appears twice',
    ],
    [
      `${head},savings2025Euros\nM1,T,0482,gepland,x,2025-01,10,"€ 12,3,4"\n`,
      2,
      'column savings2025Euros: "€ 12,3,4" is not an amount in euros',
    ],
    [
      `${head},municipalities\nM1,T,0482,gepland,x,2025-01,10,0482|9999\n`,
      2,
      'column municipalities: "9999" is not a CBS municipality code',
    ],
    [`${head}\nM1,,0482,gepland,x,2025-01,10\n`, 2, 'column title: is empty'],
  ])('%#', (text, line, message) => {
    const e = err(text);
    expect(e.where.file).toBe('maatregelen.csv');
    expect(e.where.line).toBe(line);
    expect(e.message).toContain(message);
  });

  it('refuses an unknown column such as savings25Euros', () => {
    const e = err(`${head},savings25Euros\n`);
    expect(e.code).toBe('CSV_HEADER');
    expect(e.message).toContain('column 8: unknown column "savings25Euros"');
  });
});

describe.each(ENGINES)('measures on %s', (engine) => {
  let w: Warehouse;
  beforeEach(async () => {
    w = await freshWarehouse(engine);
    await importDeclarations(w, plantedRegion());
    expect(await importMeasuresCsv(w, MEASURES, 'maatregelen.csv', who)).toBe(3);
  });
  afterEach(async () => {
    await w.close();
  });

  it('stores the measures from the CSV', async () => {
    const ms = await w.measures();
    const [m1, m2, m3] = [at(ms, 0), at(ms, 1), at(ms, 2)];
    expect(m1).toMatchObject({
      id: 'M1',
      owner: { kind: 'gemeente', municipality: '0482' },
      status: 'in uitvoering',
      savingsPerYear: { 2025: 24_000_000 },
      oneOffCostsCents: 1_000_000,
      structuralCostsPerYearCents: 500_000,
      riskPercent: 25,
      scope: { municipalities: ['0482'], categories: ['45'], products: ['45A03'], provider: '11111111' },
      description: 'Seed 003: specifiek beschikken',
    });
    expect(m2.scope).toEqual({
      municipalities: ['0482'],
      categories: [],
      products: ['45A03', '45A04'],
      provider: null,
    });
    expect(m3.owner).toEqual({ kind: 'SOJ' });
  });

  it('finds the planted saving of M1: baseline = pre-start average, only mature months', async () => {
    const r = await measureRealised(w, 'M1', { baseline: 'mean' });
    expect(r.asOf).toBe('2025-10-10');
    expect([r.baselineFrom, r.baselineTo, r.matureUntil]).toEqual(['2024-01', '2024-12', '2025-07']);
    // (11 × € 100.000 + € 60.000) / 12 = € 96.666,67
    expect(r.baselineLevelCents).toBe(9_666_667);
    expect(r.months.map((m) => m.month)).toEqual(monthRange('2025-01', '2025-07'));
    expect(r.months.map((m) => m.actualCents)).toEqual([
      8_000_000, 8_000_000, 8_000_000, 8_000_000, 8_000_000, 8_000_000, 4_800_000,
    ]);
    // January–June: 96.666,67 − 80.000 = 16.666,67; July: 96.666,67 − 48.000 = 48.666,67
    expect(r.months.map((m) => m.realisedCents)).toEqual([
      1_666_667, 1_666_667, 1_666_667, 1_666_667, 1_666_667, 1_666_667, 4_866_667,
    ]);
    // Planned: € 240.000 over 12 months = € 20.000 a month
    expect(r.months.map((m) => m.plannedCents)).toEqual(Array(7).fill(2_000_000));
    expect(r.years).toEqual([
      {
        year: 2025,
        plannedYearCents: 24_000_000,
        plannedToDateCents: 14_000_000,
        realisedCents: 14_866_669,
        lowCents: null,
        highCents: null,
        months: 7,
      },
    ]);
    expect(r.months.at(-1)!.cumulativeRealisedCents).toBe(14_866_669);
  });

  it('default: difference-in-differences against Dordrecht; a flat control gives the flat baseline', async () => {
    const r = await measureRealised(w, 'M1');
    expect(r.baselineMethod).toBe('did');
    // The only municipality with cost in M1's care (45A03 at provider 11111111) outside 0482 is Dordrecht: € 50.000 a
    // month throughout. Counterfactual = 0482's 2024 cost (€ 1.160.000) × Dordrecht's month (€ 50.000) ÷ its 2024
    // cost (€ 600.000) = € 96.666,67: the same as the pre-start average, since the control did not move.
    expect(r.did!.controls).toEqual(['0505']);
    expect(r.months.map((m) => m.baselineCents)).toEqual(Array(7).fill(9_666_667));
    expect(r.total.realisedCents).toBe(14_866_669);
    // One control: no placebo, so no range.
    expect([r.total.lowCents, r.total.highCents]).toEqual([null, null]);
  });

  it('difference-in-differences: a control that grows 10% in 2025 lifts the counterfactual by 10%', async () => {
    await importDeclarations(
      w,
      monthRange('2025-01', '2025-09').map((month) => ({
        municipality: '0505',
        month,
        provider: '11111111',
        product: '45A03',
        amountCents: 500_000,
        client: 6,
      })),
      'groei-dordrecht.csv',
    );
    const r = await measureRealised(w, 'M1');
    // 116.000.000 × 5.500.000 ÷ 60.000.000 = 10.633.333,33 → € 106.333,33 a month (July too: the control has no dip).
    expect(r.months.map((m) => m.baselineCents)).toEqual(Array(7).fill(10_633_333));
    // January–June 106.333,33 − 80.000 = 26.333,33; July 106.333,33 − 48.000 = 58.333,33
    expect(r.months.map((m) => m.realisedCents)).toEqual([...Array(6).fill(2_633_333), 5_833_333]);
    expect(r.total.realisedCents).toBe(6 * 2_633_333 + 5_833_333);
    // The flat baseline stays at the pre-start average.
    expect((await measureRealised(w, 'M1', { baseline: 'mean' })).total.realisedCents).toBe(14_866_669);
  });

  it('no cost in the baseline months: the note names the period in Dutch', async () => {
    const csv =
      MEASURES.split('\n')[0] + '\nM4,Vroeg,0482,gepland,Begint bij de eerste declaraties,2024-01,,0,0482,,,,,,,\n';
    expect(await importMeasuresCsv(w, csv, 'vroeg.csv', who)).toBe(1);
    // Start 2024-01: the baseline months lie before the first declared month (2024-01). Three of them: 2023-10 up
    // to 2023-12; twelve: the whole year 2023, which the Dutch period names as just the year.
    const three = await measureRealised(w, 'M4', { baseline: 'mean', baselineMonths: 3 });
    expect(three.notes).toContain(
      'Geen kosten in het bereik van de maatregel in oktober t/m december 2023: er is geen basislijn.',
    );
    const twelve = await measureRealised(w, 'M4', { baseline: 'mean' });
    expect(twelve.notes).toContain('Geen kosten in het bereik van de maatregel in 2023: er is geen basislijn.');
  });

  it('a measure for the whole region has no controls: the flat baseline, said in the notes', async () => {
    const r = await measureRealised(w, 'M3');
    expect(r.baselineMethod).toBe('mean');
    expect(r.did).toBeNull();
    expect(r.notes.join(' ')).toContain('Geen vergelijkingsgemeenten');
  });

  it('same-month baseline: each month against the same month of 2024', async () => {
    const r = await measureRealised(w, 'M1', { baseline: 'same-month' });
    // 100.000 − 80.000 = 20.000 a month; July 60.000 − 48.000 = 12.000
    expect(r.months.map((m) => m.realisedCents)).toEqual([
      2_000_000, 2_000_000, 2_000_000, 2_000_000, 2_000_000, 2_000_000, 1_200_000,
    ]);
    expect(at(r.years, 0).realisedCents).toBe(13_200_000);
  });

  it('respects asOf and maturity: declarations after asOf do not count, young months are left out', async () => {
    const r = await measureRealised(w, 'M1', { asOf: '2025-05-15', baseline: 'same-month' });
    expect(r.matureUntil).toBe('2025-02');
    expect(r.months.map((m) => [m.month, m.realisedCents])).toEqual([
      ['2025-01', 2_000_000],
      ['2025-02', 2_000_000],
    ]);
    // Without the maturity rule, May (declared 10 June) would show as a full saving of € 100.000.
    const young = await measureRealised(w, 'M1', { asOf: '2025-05-15', baseline: 'same-month', matureMonths: 0 });
    expect(young.months.at(-1)).toMatchObject({ month: '2025-05', actualCents: 0, realisedCents: 10_000_000 });
  });

  it('M2 selects several products without a provider filter', async () => {
    const r = await measureRealised(w, 'M2', { baseline: 'same-month' });
    // 2024: 100.000 + 30.000 + 10.000 = 140.000 (July 100.000); 2025: 80.000 + 40.000 + 10.000 = 130.000 (July 98.000)
    expect(r.months.map((m) => m.realisedCents)).toEqual([
      1_000_000, 1_000_000, 1_000_000, 1_000_000, 1_000_000, 1_000_000, 200_000,
    ]);
  });

  it('the multi-year forecast takes its measures line from the ledger (risk and status weighted)', async () => {
    const f = await multiYearForecast(w, { year: 2024, asOf: '2025-10-10' });
    // Base year 2024 (no savings listed), years 2025–2027 (2025 listed, carried on after it):
    // M1 € 240.000 × (1 − 25%) × 80% (in uitvoering) = € 144.000; M2 € 40.000 × (1 − 50%) × 50% (gepland) = € 10.000;
    // both in 0482: −€ 154.000 a year. M3 (the region) would be split by usage in 2023, which has no data: left out.
    expect(f.measuresLine).toEqual({
      source: 'ledger',
      perYear: { 2025: -15_400_000, 2026: -15_400_000, 2027: -15_400_000 },
      measures: ['M1', 'M2'],
      unsplit: ['M3'],
    });
    expect(f.assumptions.measuresCents.source).toBe('maatregelenregister');
    expect(f.municipalities.find((m) => m.municipality === '0482')!.years.map((y) => y.measuresCents)).toEqual([
      -15_400_000, -15_400_000, -15_400_000,
    ]);
    // Given by hand, the amount wins.
    expect(
      (await multiYearForecast(w, { year: 2024, asOf: '2025-10-10', assumptions: { measuresCents: -100 } }))
        .measuresLine.source,
    ).toBe('assumption');
  });

  it('unknown measure', async () => {
    await expect(measureRealised(w, 'M9')).rejects.toThrow(/no measure with id "M9"/);
  });

  it('coverage of the € 200.000 target of Alblasserdam (seed 003), regional measure split by 2024 usage', async () => {
    await importTargetsCsv(
      w,
      'municipality,year,amountEuros,description\nGM0482,2025,200000,Taakstelling primaire begroting 2025 (seed 003)\n',
      'taakstelling.csv',
      who,
    );
    const c = await measuresCoverage(w, 2025);
    // 2024 usage: 0482 = 1.160.000 + 360.000 + 120.000 = € 1.640.000; 0505 = € 600.000. M3's € 100.000 (no risk) splits
    // 100.000 × 1.640.000 / 2.240.000 = 73.214,2857 and 26.785,7143 → largest remainder: 73.214,29 and 26.785,71.
    // 0482: potential 240.000 + 40.000 + 73.214,29; risk-adjusted 180.000 + 20.000 + 73.214,29 = 273.214,29.
    // Costs 2025: M1 one-off 10.000 + structural 5.000.
    const a = c.rows.find((r) => r.scope === '0482')!;
    expect(a).toMatchObject({
      targetCents: 20_000_000,
      potentialCents: 35_321_429,
      riskAdjustedCents: 27_321_429,
      costsCents: 1_500_000,
      gapCents: -7_321_429,
    });
    expect(a.coverage).toBeCloseTo(27_321_429 / 20_000_000, 12);
    expect(c.rows.find((r) => r.scope === '0505')).toMatchObject({
      targetCents: null,
      potentialCents: 2_678_571,
      riskAdjustedCents: 2_678_571,
    });
    expect(c.rows.find((r) => r.scope === 'regio')).toMatchObject({
      targetCents: 20_000_000,
      potentialCents: 38_000_000,
      riskAdjustedCents: 30_000_000,
    });
    expect((await measuresCoverage(w, 2025, { municipality: '0482' })).rows.map((r) => r.scope)).toEqual(['0482']);
  });
});
