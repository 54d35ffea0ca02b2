import { at } from '../indexing.js';
import { describe, expect, it } from 'vitest';
import {
  costliestFamilies,
  isSpecialCase,
  shortKey,
  specialCases,
  withoutSpecialCases,
  type FamilyCostRow,
  type FamilyCosts,
} from './families.js';

const fam = (
  municipality: string,
  family: string,
  amountCents: number,
  outOfHomeClients: number,
  rank: number,
  keyed = true,
): FamilyCostRow => ({
  municipality,
  family,
  keyed,
  clients: Math.max(outOfHomeClients, 1),
  outOfHomeClients,
  amountCents,
  outOfHomeCents: 0,
  rank,
});

const input: FamilyCosts = {
  from: '2025-01',
  to: '2025-12',
  minChildren: 3,
  families: [
    fam('0482', 'F6', 6_000_000, 6, 1),
    fam('0482', 'F2', 1_000_000, 2, 2),
    fam('0482', 'client-x', 900_000, 3, 3, false), // no family key: never a bijzondere casus
    fam('0505', 'F9', 9_000_000, 9, 1),
    fam('0505', 'F3', 2_000_000, 3, 2),
  ],
  totals: [
    { municipality: '0505', amountCents: 44_000_000, clients: 900 },
    { municipality: '0482', amountCents: 20_000_000, clients: 400 },
    { municipality: '0642', amountCents: 0, clients: 0 },
  ],
};

describe('special cases', () => {
  it('flags keyed families with at least N children out of home, with their share and the cost without them', () => {
    const s = specialCases(input);
    expect(s.map((x) => x.municipality)).toEqual(['0482', '0505', '0642']);
    expect(s[0]).toMatchObject({
      totalCents: 20_000_000,
      specialCents: 6_000_000,
      withoutSpecialCents: 14_000_000,
      share: 0.3,
    });
    expect(at(s, 0).cases.map((c) => c.family)).toEqual(['F6']);
    expect(at(s, 1).cases.map((c) => [c.family, c.share])).toEqual([
      ['F9', 9 / 44],
      ['F3', 2 / 44],
    ]);
    expect(s[2]).toMatchObject({ specialCents: 0, share: 0, cases: [] });
    expect(at(specialCases(input, 7), 1).cases.map((c) => c.family)).toEqual(['F9']);
    expect(isSpecialCase({ keyed: false, outOfHomeClients: 9 })).toBe(false);
  });

  it('lists the costliest families and subtracts special cases from a monthly series', () => {
    expect(costliestFamilies(input, '0482', 2).map((f) => f.family)).toEqual(['F6', 'F2']);
    expect(
      withoutSpecialCases(
        [
          { municipality: '0482', month: '2025-01', amountCents: 1000 },
          { municipality: '0482', month: '2025-02', amountCents: 1000 },
        ],
        [{ municipality: '0482', month: '2025-02', amountCents: 300 }],
      ).map((m) => m.amountCents),
    ).toEqual([1000, 700]);
    expect(shortKey('abcdefghijklmnop')).toBe('abcdefghij…');
    expect(shortKey('F6')).toBe('F6');
  });
});
