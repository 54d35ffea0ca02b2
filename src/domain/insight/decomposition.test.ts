import fc from 'fast-check';
import { at } from '../indexing.js';
import { describe, expect, it } from 'vitest';
import {
  cellsFromRows,
  contributorLabel,
  decompose,
  decomposeCell,
  driverSentence,
  largestRemainder,
  parsePeriod,
  rankContributors,
  realEffects,
  sliceSubject,
  totalOf,
  waterfall,
  type DriverCell,
  type PeriodFigures,
} from './decomposition.js';

const fig = (amountCents: number, clients: number, units: number): PeriodFigures => ({ amountCents, clients, units });
const cell = (before: PeriodFigures, after: PeriodFigures, product = 'P1', slice = '45', unit = '04'): DriverCell => ({
  slice,
  product,
  unit,
  before,
  after,
});

describe('largestRemainder', () => {
  it('rounds parts to integers that add up to the total', () => {
    expect(largestRemainder([1.5, 1.5, 1], 4)).toEqual([2, 1, 1]);
    expect(largestRemainder([-1.5, -1.5, -1], -4)).toEqual([-2, -1, -1]);
    expect(largestRemainder([0.3, 0.3, 0.4], 1)).toEqual([0, 0, 1]);
    expect(largestRemainder([10, 0, 0], 10)).toEqual([10, 0, 0]);
  });

  it('always hits the total, also when the parts are off by float error', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e9, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: -3, max: 3 }),
        (parts, off) => {
          const total = Math.round(parts.reduce((s, x) => s + x, 0)) + off;
          const r = largestRemainder(parts, total);
          expect(r.reduce((s, x) => s + x, 0)).toBe(total);
          r.forEach((x) => expect(Number.isInteger(x)).toBe(true));
        },
      ),
    );
  });
});

describe('decomposition', () => {
  it('matches a hand-computed LMDI example', () => {
    // 10 clients × 10 hours × € 50 → 12 clients × 11 hours × € 55.
    // L = (726000 − 500000) / ln(726000 / 500000) = 605 992.4885…
    // volume = L·ln(1.2) = 110 485.49…, intensity = price = L·ln(1.1) = 57 757.25…
    // Rounded with largest remainder: 110 486 + 57 757 + 57 757 = 226 000.
    const d = decomposeCell(cell(fig(500000, 10, 100), fig(726000, 12, 132)));
    expect(d.method).toBe('lmdi');
    expect(d.changeCents).toBe(226000);
    expect([d.volumeCents, d.intensityCents, d.priceCents]).toEqual([110486, 57757, 57757]);
  });

  it('puts a pure change in clients entirely in volume', () => {
    const d = decomposeCell(cell(fig(100000, 10, 50), fig(200000, 20, 100)));
    expect([d.volumeCents, d.intensityCents, d.priceCents]).toEqual([100000, 0, 0]);
    const e = decomposeCell(cell(fig(100000, 10, 50), fig(110000, 10, 50)));
    expect([e.volumeCents, e.intensityCents, e.priceCents]).toEqual([0, 0, 10000]);
  });

  it('handles new and ended products, zero units and net credits by a documented rule', () => {
    expect(decomposeCell(cell(fig(0, 0, 0), fig(50000, 2, 10)))).toMatchObject({
      method: 'entry',
      volumeCents: 50000,
      intensityCents: 0,
      priceCents: 0,
    });
    expect(decomposeCell(cell(fig(50000, 2, 10), fig(0, 0, 0)))).toMatchObject({ method: 'exit', volumeCents: -50000 });
    expect(decomposeCell(cell(fig(50000, 2, 0), fig(90000, 3, 0)))).toMatchObject({
      method: 'per-client',
      intensityCents: 0,
    });
    expect(decomposeCell(cell(fig(-500, 0, -1), fig(-900, 0, -2)))).toMatchObject({
      method: 'correction',
      priceCents: -400,
    });
    expect(decomposeCell(cell(fig(50000, 2, 10), fig(-1000, 1, 5))).method).toBe('shapley');
    expect(decomposeCell(cell(fig(1000, 1, 1), fig(1000, 1, 1)))).toMatchObject({
      method: 'none',
      volumeCents: 0,
      intensityCents: 0,
      priceCents: 0,
    });
  });

  it('Shapley and LMDI agree closely when both apply', () => {
    // Shapley effects computed directly on positive data: close to LMDI for moderate changes.
    const b = fig(500000, 10, 100);
    const a = fig(726000, 12, 132);
    const l = realEffects(b, a);
    const dn = 2,
      i0 = 10,
      i1 = 11,
      p0 = 5000,
      p1 = 5500;
    const shapleyVolume = dn * ((i0 * p0 + i1 * p1) / 3 + (i1 * p0 + i0 * p1) / 6);
    expect(Math.abs(l.volume - shapleyVolume) / shapleyVolume).toBeLessThan(0.01);
  });

  const figures = fc.record({
    amountCents: fc.integer({ min: -5_000_000, max: 50_000_000 }),
    clients: fc.integer({ min: 0, max: 500 }),
    units: fc.integer({ min: -100, max: 20_000 }),
  });

  it('parts always add up exactly to the change, per product and per slice', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            slice: fc.constantFrom('43', '45', '54'),
            product: fc.constantFrom('A', 'B', 'C'),
            before: figures,
            after: figures,
          }),
          { maxLength: 12 },
        ),
        (raw) => {
          const seen = new Set<string>();
          const cells = raw
            .filter((c) => !seen.has(c.slice + c.product) && seen.add(c.slice + c.product))
            .map((c) => ({ ...c, unit: '04' }));
          for (const c of cells) {
            const d = decomposeCell(c);
            expect(d.volumeCents + d.intensityCents + d.priceCents).toBe(c.after.amountCents - c.before.amountCents);
            for (const x of [d.volumeCents, d.intensityCents, d.priceCents]) expect(Number.isSafeInteger(x)).toBe(true);
          }
          const slices = decompose(cells);
          for (const s of slices) {
            expect(s.volumeCents + s.intensityCents + s.priceCents).toBe(s.changeCents);
            expect(s.afterCents - s.beforeCents).toBe(s.changeCents);
          }
          const t = totalOf(slices);
          expect(t.volumeCents + t.intensityCents + t.priceCents).toBe(t.changeCents);
          const before = cells.reduce((x, c) => x + c.before.amountCents, 0);
          const after = cells.reduce((x, c) => x + c.after.amountCents, 0);
          expect(t.changeCents).toBe(after - before);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('sums products within a slice and ranks slices and contributors by size', () => {
    const rows = [
      { period: 'before' as const, slice: '45', product: 'A', unit: '04', amountCents: 100000, clients: 10, units: 50 },
      { period: 'after' as const, slice: '45', product: 'A', unit: '04', amountCents: 200000, clients: 20, units: 100 },
      { period: 'after' as const, slice: '45', product: 'B', unit: '04', amountCents: 30000, clients: 3, units: 10 },
      { period: 'before' as const, slice: '43', product: 'C', unit: '14', amountCents: 500000, clients: 2, units: 60 },
      { period: 'after' as const, slice: '43', product: 'C', unit: '14', amountCents: 550000, clients: 2, units: 60 },
    ];
    const slices = decompose(cellsFromRows(rows), [
      { slice: '45', period: 'before', clients: 10 },
      { slice: '45', period: 'after', clients: 21 },
    ]);
    expect(slices.map((s) => s.slice)).toEqual(['45', '43']);
    expect(slices[0]).toMatchObject({
      beforeCents: 100000,
      afterCents: 230000,
      changeCents: 130000,
      volumeCents: 130000,
      intensityCents: 0,
      priceCents: 0,
      unit: '04',
      beforeClients: 10,
      afterClients: 21,
    });
    expect(slices[1]).toMatchObject({ changeCents: 50000, priceCents: 50000, unit: '14', beforeClients: 0 });
    expect(rankContributors(slices)).toEqual([
      { slice: '45', effect: 'volume', cents: 130000 },
      { slice: '43', effect: 'price', cents: 50000 },
    ]);
    expect(contributorLabel('category', at(rankContributors(slices), 0))).toBe(
      '+€ 1.300 door meer cliënten (45 Jeugdhulp ambulant)',
    );
    const wf = waterfall(at(slices, 1), '2024', '2025');
    expect(wf.map((s) => [s.fromCents, s.toCents])).toEqual([
      [0, 500000],
      [500000, 500000],
      [500000, 500000],
      [500000, 550000],
      [0, 550000],
    ]);
  });
});

describe('driverSentence', () => {
  it('writes the sentence of the brief', () => {
    const d = { changeCents: 41_200_000, volumeCents: 29_000_000, intensityCents: 9_500_000, priceCents: 2_700_000 };
    expect(driverSentence(sliceSubject('category', '45'), d, '04')).toBe(
      'De kosten ambulante jeugdhulp stegen € 412.000: € 290.000 door meer cliënten, € 95.000 door meer uren per cliënt, € 27.000 door hogere tarieven.',
    );
  });

  it('handles decreases, mixed directions, units and no change', () => {
    expect(
      driverSentence(
        'De kosten',
        { changeCents: -5_000_000, volumeCents: -3_000_000, intensityCents: -2_000_000, priceCents: 0 },
        '14',
      ),
    ).toBe('De kosten daalden € 50.000: € 30.000 door minder cliënten, € 20.000 door minder etmalen per cliënt.');
    expect(
      driverSentence(
        sliceSubject('referrer', '02'),
        { changeCents: 10_000_000, volumeCents: 15_000_000, intensityCents: -3_000_000, priceCents: -2_000_000 },
        null,
      ),
    ).toBe(
      'De kosten na verwijzing door de huisarts stegen € 100.000: +€ 150.000 door meer cliënten, -€ 30.000 door minder zorg per cliënt, -€ 20.000 door lagere tarieven.',
    );
    expect(
      driverSentence(
        sliceSubject('municipality', '0482'),
        { changeCents: 0, volumeCents: 0, intensityCents: 0, priceCents: 0 },
        '16',
      ),
    ).toBe('De kosten in Alblasserdam bleven gelijk.');
    expect(
      driverSentence(
        'De kosten',
        { changeCents: 0, volumeCents: 10_000, intensityCents: 0, priceCents: -10_000 },
        '16',
      ),
    ).toBe('De kosten bleven gelijk: +€ 100 door meer cliënten, -€ 100 door lagere tarieven.');
    expect(
      driverSentence('De kosten', { changeCents: 1_000, volumeCents: 0, intensityCents: 1_000, priceCents: 0 }, '01'),
    ).toBe('De kosten stegen € 10: € 10 door meer minuten per cliënt.');
  });
});

describe('parsePeriod', () => {
  it('reads years, halves, quarters, months and ranges', () => {
    expect(parsePeriod('2024')).toEqual({ from: '2024-01', to: '2024-12', label: '2024' });
    expect(parsePeriod('2025-H2')).toEqual({ from: '2025-07', to: '2025-12', label: '2025-H2' });
    expect(parsePeriod('2025-q3')).toEqual({ from: '2025-07', to: '2025-09', label: '2025-Q3' });
    expect(parsePeriod('2025-03')).toEqual({ from: '2025-03', to: '2025-03', label: '2025-03' });
    expect(parsePeriod('2025-01..2025-06')).toEqual({ from: '2025-01', to: '2025-06', label: '2025-01..2025-06' });
    expect(() => parsePeriod('2025-13')).toThrow(/not a period/);
    expect(() => parsePeriod('2025-06..2025-01')).toThrow(/not a period/);
  });
});
