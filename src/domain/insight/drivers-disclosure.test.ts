import { describe, expect, it } from 'vitest';
import { parsePeriod } from './decomposition.js';
import {
  decomposeForAggregate,
  driversRefusalForAggregate,
  likeForLikeRefusal,
  sliceEffectsForAggregate,
} from './drivers-disclosure.js';

const [y24, y25] = [parsePeriod('2024'), parsePeriod('2025')];

describe('driversRefusalForAggregate', () => {
  it('allows whole years by municipality, by category/provider/referrer of the region or one municipality, products in one category', () => {
    for (const p of [
      { by: 'municipality' as const },
      { by: 'category' as const },
      { by: 'provider' as const, municipalities: ['0482'] },
      { by: 'referrer' as const },
      { by: 'product' as const, municipalities: ['0482'], category: '45' },
      {},
    ])
      expect(driversRefusalForAggregate(p, y24, y25), JSON.stringify(p)).toBeNull();
  });
  it('refuses parts of years, the like-for-like comparison, two filters, products outside one category of one municipality', () => {
    const refused = (p: Parameters<typeof driversRefusalForAggregate>[0], before = y24, after = y25) =>
      driversRefusalForAggregate(p, before, after);
    expect(refused({}, parsePeriod('2025-H1'), parsePeriod('2025-H2'))).toMatch(/hele jaren/);
    expect(refused({}, y24, parsePeriod('2025-01..2025-06'))).toMatch(/hele jaren/);
    expect(refused({ likeForLike: true })).toMatch(/even ver gedeclareerd/);
    expect(refused({ by: 'category', provider: '41000000' })).toMatch(/één gemeente/);
    expect(refused({ by: 'category', referrer: '01' })).toMatch(/één gemeente/);
    expect(refused({ basis: 'toegekend' })).toMatch(/één gemeente/);
    expect(refused({ municipalities: ['0482', '0505'] })).toMatch(/één gemeente/);
    expect(refused({ by: 'product', category: '45' })).toMatch(/productcodes/);
    expect(refused({ by: 'product', municipalities: ['0482'] })).toMatch(/productcodes/);
    expect(refused({ by: 'provider', category: '45' })).toMatch(/categorie- of productfilter/);
    expect(refused({ by: 'municipality', municipalities: ['0482'] })).toMatch(/hele regio/);
  });
});

describe('likeForLikeRefusal', () => {
  it('refuses "even ver gedeclareerd" to aggregate roles only (the earlier stand minus the months as known now is a declaration-date cut)', () => {
    expect(likeForLikeRefusal(true)).toMatch(/even ver gedeclareerd.*zoals nu bekend/);
    expect(likeForLikeRefusal(false)).toBeNull();
  });
});

describe('sliceEffectsForAggregate', () => {
  const parts = (d: { volumeCents: number; intensityCents: number; priceCents: number }) => [
    d.volumeCents,
    d.intensityCents,
    d.priceCents,
  ];
  it('splits a cell’s change into clients and cost per client, from its amounts and rounded counts only', () => {
    // Same clients, € 20.000 → € 22.234: all cost per client.
    expect(
      parts(sliceEffectsForAggregate({ amountCents: 2_000_000, clients: 20 }, { amountCents: 2_223_400, clients: 20 })),
    ).toEqual([0, 0, 223_400]);
    // 10 → 15 clients at € 1.000 each: all clients (cost per client unchanged).
    expect(
      parts(sliceEffectsForAggregate({ amountCents: 1_000_000, clients: 10 }, { amountCents: 1_500_000, clients: 15 })),
    ).toEqual([500_000, 0, 0]);
    // 12 → 13 clients, € 10.000 both years: on the rounded counts 10 → 15, L = € 10.000, volume
    // 1.000.000 × ln(1,5) = 405.465,1 cents, cost per client the opposite (exact counts would give ln(13/12)).
    const r = sliceEffectsForAggregate(
      { amountCents: 1_000_000, clients: 12 },
      { amountCents: 1_000_000, clients: 13 },
    );
    expect(parts(r)).toEqual([405_465, 0, -405_465]);
    expect([r.beforeClients, r.afterClients]).toEqual([10, 15]);
    // A cell new in the later year (2 clients, counted as 5): all volume.
    expect(
      parts(sliceEffectsForAggregate({ amountCents: 0, clients: 0 }, { amountCents: 123_400, clients: 2 })),
    ).toEqual([123_400, 0, 0]);
  });
  it('splits the total from its own cells, not as the sum of the slices’ parts', () => {
    const d = decomposeForAggregate(
      [
        { slice: 'A', before: { amountCents: 1_000_000, clients: 10 }, after: { amountCents: 1_500_000, clients: 15 } },
        { slice: 'B', before: { amountCents: 0, clients: 0 }, after: { amountCents: 123_400, clients: 2 } },
      ],
      { before: { amountCents: 1_000_000, clients: 12 }, after: { amountCents: 1_623_400, clients: 17 } },
    );
    expect(d.slices.map((s) => [s.slice, ...parts(s)])).toEqual([
      ['A', 500_000, 0, 0],
      ['B', 123_400, 0, 0],
    ]);
    // Total: counts 10 → 15, L = 623.400 / ln(1,6234) = 1.286.626,98; volume L × ln(1,5) = 521.682,35,
    // cost per client L × ln((1.623.400 / 15) / (1.000.000 / 10)) = 101.717,65 (the cent to the larger remainder).
    expect(parts(d.total)).toEqual([521_682, 0, 101_718]);
  });
});
