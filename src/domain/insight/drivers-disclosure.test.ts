import { describe, expect, it } from 'vitest';
import { parsePeriod } from './decomposition.js';
import { driversRefusalForAggregate, likeForLikeRefusal } from './drivers-disclosure.js';

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
