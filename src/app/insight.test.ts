import { describe, expect, it } from 'vitest';
import {
  defaultDriverYears,
  selectionSubject,
  suppressDrivers,
  type DriverSliceView,
  type DriversView,
} from './insight.js';

const slice = (name: string, before: number, after: number, change = 1000): DriverSliceView => ({
  slice: name,
  label: name,
  sentence: `zin ${name}`,
  waterfall: [],
  suppressed: false,
  beforeCents: 0,
  afterCents: change,
  changeCents: change,
  volumeCents: change,
  intensityCents: 0,
  priceCents: 0,
  beforeClients: before,
  afterClients: after,
  unit: '04',
  products: [],
});

const view = (slices: DriverSliceView[], total: DriverSliceView): DriversView => ({
  before: { from: '2024-01', to: '2024-12', label: '2024' },
  after: { from: '2025-01', to: '2025-12', label: '2025' },
  by: 'category',
  likeForLike: null,
  total,
  slices,
  contributors: slices.map((s) => ({
    slice: s.slice,
    effect: 'volume' as const,
    cents: s.volumeCents,
    label: s.slice,
  })),
  notes: [],
  perClient: true,
});

describe('insight app helpers', () => {
  it('suppresses slices on fewer than 10 clients for councils, and one more when only one would be hidden', () => {
    const v = suppressDrivers(
      view([slice('45', 50, 60), slice('43', 3, 4), slice('54', 20, 12), slice('41', 30, 40)], slice('', 103, 116)),
    );
    expect(v.slices.map((s) => [s.slice, s.suppressed])).toEqual([
      ['45', false],
      ['43', true],
      ['54', true], // the smallest other slice: otherwise 43 follows from the total
      ['41', false],
    ]);
    expect(v.contributors.map((c) => c.slice)).toEqual(['45', '41']);
    expect(v.total.suppressed).toBe(false);
    // Two small slices already protect each other; a small total is hidden itself.
    const w = suppressDrivers(view([slice('45', 5, 6), slice('43', 3, 4), slice('54', 20, 12)], slice('', 8, 9)));
    expect(w.slices.map((s) => s.suppressed)).toEqual([true, true, false]);
    expect(w.total.suppressed).toBe(true);
  });

  it('picks the default years and names the selection', () => {
    expect(defaultDriverYears('2025-12')).toEqual({ before: '2024', after: '2025' });
    expect(defaultDriverYears('2025-09')).toEqual({ before: '2023', after: '2024' });
    expect(selectionSubject({ municipalities: ['0482'], category: '45' })).toBe(
      'De kosten ambulante jeugdhulp in Alblasserdam',
    );
    expect(selectionSubject({ provider: '12345678' })).toBe('De kosten bij aanbieder 12345678');
  });
});
