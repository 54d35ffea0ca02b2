import { at } from '../indexing.js';
import { describe, expect, it } from 'vitest';
import { coronaCheck, splitByWeights, type CoronaInputRow } from './corona.js';

const row = (
  provider: string,
  municipality: string,
  month: string,
  declarationDate: string,
  validatedCents: number,
  rejectedCents = 0,
): CoronaInputRow => ({
  provider,
  municipality,
  month,
  declarationDate,
  validatedCents,
  validatedLines: validatedCents ? 1 : 0,
  rejectedCents,
  rejectedLines: rejectedCents ? 1 : 0,
});

/**
 * Provider P1, hand-computed. 2019: Alblasserdam € 9.000 + Dordrecht € 3.000 = € 12.000 → baseline
 * € 1.000 a month (100000 cents). Peildatum 30-09-2020.
 *   month  on time   late (after peildatum)   provisional   final    netted
 *   03     40000     —                        60000         60000    0
 *   04     0         70000 (0482, 10-11)      100000        30000    70000
 *   05     120000    10000 (0505)             0             0        0
 *   06     90000     −5000 credit (0482)      10000         15000    −5000
 *   total                                     170000        105000   65000
 * June also has a rejected line of 50000 (not counted). July 2020: 130000 → 30000 above baseline.
 * Split 3:1 (0482:0505): provisional 127500/42500, final 78750/26250, netted 48750/16250.
 */
const P1: CoronaInputRow[] = [
  row('P1', '0482', '2019-01', '2019-02-05', 450000),
  row('P1', '0482', '2019-07', '2019-08-05', 450000),
  row('P1', '0505', '2019-03', '2019-04-05', 300000),
  row('P1', '0482', '2020-03', '2020-04-05', 30000),
  row('P1', '0505', '2020-03', '2020-04-06', 10000),
  row('P1', '0482', '2020-04', '2020-11-10', 70000),
  row('P1', '0482', '2020-05', '2020-06-05', 120000),
  row('P1', '0505', '2020-05', '2020-12-01', 10000),
  row('P1', '0482', '2020-06', '2020-07-05', 90000, 50000),
  row('P1', '0482', '2020-06', '2021-01-15', -5000),
  row('P1', '0482', '2020-07', '2020-08-05', 130000),
  row('P1', '0482', '2020-08', '2020-09-05', 100000),
];

describe('corona revenue-loss check', () => {
  const r = coronaCheck(P1, { year: 2020, peildatum: '2020-09-30' });
  const p = at(r.providers, 0);

  it('computes the baseline and the loss per month, never below 0', () => {
    expect(r.months).toEqual(['2020-03', '2020-04', '2020-05', '2020-06']);
    expect(p.baselineYearCents).toBe(1_200_000);
    expect(p.baselineCents).toBe(100_000);
    expect(
      p.months.map((m) => [
        m.month,
        m.revenueCents,
        m.lateCents,
        m.provisionalLossCents,
        m.finalLossCents,
        m.nettedCents,
      ]),
    ).toEqual([
      ['2020-03', 40000, 0, 60000, 60000, 0],
      ['2020-04', 0, 70000, 100000, 30000, 70000],
      ['2020-05', 120000, 10000, 0, 0, 0],
      ['2020-06', 90000, -5000, 10000, 15000, -5000],
    ]);
    expect(p.totals).toEqual({
      provisionalLossCents: 170000,
      finalLossCents: 105000,
      nettedCents: 65000,
      lateCents: 75000,
    });
  });

  it('detects catch-up care and nets it so nothing is paid twice', () => {
    expect(p.catchUpDetected).toBe(true);
    // compensation kept + all validated revenue of the months ≥ what was lost, and never paid for twice:
    for (const m of p.months)
      expect(m.finalLossCents + Math.max(0, m.revenueCents + m.lateCents)).toBe(
        Math.max(m.baselineCents, m.revenueCents + m.lateCents),
      );
    expect(p.laterExcessCents).toBe(30000);
  });

  it('splits per municipality by share of 2019 revenue, adding up to the cent', () => {
    expect(p.municipalities).toEqual([
      {
        municipality: '0482',
        baselineYearCents: 900000,
        provisionalLossCents: 127500,
        finalLossCents: 78750,
        nettedCents: 48750,
        lateCents: 65000,
      },
      {
        municipality: '0505',
        baselineYearCents: 300000,
        provisionalLossCents: 42500,
        finalLossCents: 26250,
        nettedCents: 16250,
        lateCents: 10000,
      },
    ]);
    expect(r.municipalities.map((m) => [m.municipality, m.finalLossCents, m.providers])).toEqual([
      ['0482', 78750, 1],
      ['0505', 26250, 1],
    ]);
    expect(r.totals.finalLossCents).toBe(105000);
  });

  it('moving the peildatum past all declarations leaves no catch-up to net', () => {
    const late = at(coronaCheck(P1, { year: 2020, peildatum: '2021-12-31' }).providers, 0);
    expect(late.totals).toMatchObject({
      provisionalLossCents: 105000,
      finalLossCents: 105000,
      nettedCents: 0,
      lateCents: 0,
    });
    expect(late.catchUpDetected).toBe(false);
  });

  it('rounds the baseline once; a provider without 2019 revenue has no loss', () => {
    const q = coronaCheck(
      [row('P2', '0482', '2019-05', '2019-06-01', 1_000_001), row('P3', '0482', '2020-04', '2020-05-01', 5000)],
      { year: 2020, peildatum: '2020-09-30' },
    );
    expect(q.providers.map((x) => [x.provider, x.baselineCents, x.totals.finalLossCents])).toEqual([
      ['P2', 83333, 333332],
      ['P3', 0, 0],
    ]);
  });

  it('splitByWeights: largest remainder, exact sum, signs kept', () => {
    const s = splitByWeights(100, [
      { key: 'a', weight: 1 },
      { key: 'b', weight: 2 },
    ]);
    expect([...s]).toEqual([
      ['a', 33],
      ['b', 67],
    ]);
    expect([
      ...splitByWeights(-100, [
        { key: 'a', weight: 1 },
        { key: 'b', weight: 2 },
      ]),
    ]).toEqual([
      ['a', -33],
      ['b', -67],
    ]);
    expect([
      ...splitByWeights(10, [
        { key: 'a', weight: 1 },
        { key: 'b', weight: 1 },
        { key: 'c', weight: 1 },
      ]),
    ]).toEqual([
      ['a', 4],
      ['b', 3],
      ['c', 3],
    ]);
  });
});
