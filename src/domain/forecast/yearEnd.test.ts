import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { at } from '../indexing.js';
import { addMonths, lastDayOfMonth, monthRange } from '../month.js';
import { forecastYearEnd, type RunoffCell } from './yearEnd.js';

const YEAR = 2025;

/**
 * A random history: production months from January three years before YEAR to December of YEAR, each with
 * an amount spread over lags 0..maxLag (weights drawn per month), some cells possibly negative (credits).
 */
const history = fc
  .record({
    level: fc.integer({ min: 10_000, max: 5_000_000 }),
    noise: fc.array(fc.double({ min: 0.7, max: 1.3, noNaN: true }), { minLength: 48, maxLength: 48 }),
    lagWeights: fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 7, maxLength: 7 }),
    credit: fc.integer({ min: 0, max: 47 }),
  })
  .map(({ level, noise, lagWeights, credit }) => {
    const w = lagWeights.some((x) => x > 0) ? lagWeights : [1, 0, 0, 0, 0, 0, 0];
    const wSum = w.reduce((s, x) => s + x, 0);
    const cells: RunoffCell[] = [];
    monthRange(`${YEAR - 3}-01`, `${YEAR}-12`).forEach((m, i) => {
      const total = Math.round(level * at(noise, i));
      w.forEach((x, lag) => {
        if (x > 0)
          cells.push({ month: m, declarationMonth: addMonths(m, lag), amountCents: Math.round((total * x) / wSum) });
      });
      if (i === credit)
        cells.push({ month: m, declarationMonth: addMonths(m, 2), amountCents: -Math.round(total / 3) });
    });
    return cells;
  });

const asOfMonth = fc.integer({ min: 1, max: 12 }).map((k) => `${YEAR}-${String(k).padStart(2, '0')}`);

describe('year-end forecast: properties', () => {
  it('is never below what is declared, adds up, and the interval contains the point', () => {
    fc.assert(
      fc.property(history, asOfMonth, (cells, m) => {
        const f = forecastYearEnd({ year: YEAR, asOf: lastDayOfMonth(m), cells });
        // Declared by the as-of date, computed independently from the cells.
        const declared = cells
          .filter((c) => c.month.startsWith(`${YEAR}-`) && c.declarationMonth <= m)
          .reduce((s, c) => s + c.amountCents, 0);
        expect(f.declaredCents).toBe(declared);
        expect(f.forecastCents).toBeGreaterThanOrEqual(declared);
        expect(f.forecastCents).toBe(f.declaredCents + f.ibnrCents + f.remainingCents);
        expect(f.ibnrCents).toBeGreaterThanOrEqual(0);
        expect(f.remainingCents).toBeGreaterThanOrEqual(0);
        expect(f.lowCents).toBeLessThanOrEqual(f.forecastCents);
        expect(f.highCents).toBeGreaterThanOrEqual(f.forecastCents);
        expect(f.lowCents).toBeGreaterThanOrEqual(declared);
      }),
      { numRuns: 150 },
    );
  });

  it('a complete triangle gives zero IBNR: all declared in the production month, or the year fully run off', () => {
    fc.assert(
      fc.property(history, asOfMonth, (cells, m) => {
        // (a) Every month declared in its own month: development factors are all 1, nothing is outstanding.
        const immediate = cells.map((c) => ({ ...c, declarationMonth: c.month }));
        const a = forecastYearEnd({ year: YEAR, asOf: lastDayOfMonth(m), cells: immediate });
        expect(a.ibnrCents).toBe(0);
        // (b) As of 12 months after the year (lags here are ≤ 6): the whole year is declared, no IBNR, no remaining.
        const b = forecastYearEnd({ year: YEAR, asOf: `${YEAR + 1}-12-31`, cells });
        expect(b.ibnrCents).toBe(0);
        expect(b.remainingCents).toBe(0);
        const all = cells.filter((c) => c.month.startsWith(`${YEAR}-`)).reduce((s, c) => s + c.amountCents, 0);
        expect(b.forecastCents).toBe(all);
      }),
      { numRuns: 100 },
    );
  });

  it('scaling every amount by k scales the forecast and its parts by k (within rounding)', () => {
    fc.assert(
      fc.property(history, asOfMonth, fc.integer({ min: 2, max: 40 }), (cells, m, k) => {
        const asOf = lastDayOfMonth(m);
        const a = forecastYearEnd({ year: YEAR, asOf, cells });
        const b = forecastYearEnd({
          year: YEAR,
          asOf,
          cells: cells.map((c) => ({ ...c, amountCents: c.amountCents * k })),
        });
        expect(b.declaredCents).toBe(a.declaredCents * k);
        // Each month's IBNR and remaining are rounded once: at most 12 × (½ + k·½) cents apart per part.
        const tol = 12 * (0.5 + 0.5 * k) + 1;
        expect(Math.abs(b.ibnrCents - k * a.ibnrCents)).toBeLessThanOrEqual(tol);
        expect(Math.abs(b.remainingCents - k * a.remainingCents)).toBeLessThanOrEqual(tol);
        expect(Math.abs(b.forecastCents - k * a.forecastCents)).toBeLessThanOrEqual(2 * tol);
        // The interval scales too (relative tolerance: its width is rounded and clamped at declared).
        expect(Math.abs(b.highCents - k * a.highCents)).toBeLessThanOrEqual(2 * tol + 1e-9 * k * a.highCents);
        expect(Math.abs(b.lowCents - k * a.lowCents)).toBeLessThanOrEqual(2 * tol + 1e-9 * k * a.highCents);
      }),
      { numRuns: 100 },
    );
  });

  // Hand examples: a flat 1,000 a month for three years before YEAR and in it, with no season and no trend, so
  // the level is 1,000 and every month's expected cost is 1,000. Each production month is declared entirely
  // in the month after it, on the 10th — as in real iJw traffic, nothing is declared in the production month.
  const flat = (day: string, split?: { day: string; share: number }): RunoffCell[] =>
    monthRange(`${YEAR - 3}-01`, `${YEAR}-12`).flatMap((m) => {
      const next = addMonths(m, 1);
      if (!split) return [{ month: m, declarationMonth: next, declarationDate: `${next}-${day}`, amountCents: 1_000 }];
      const first = Math.round(1_000 * (1 - split.share));
      return [
        { month: m, declarationMonth: next, declarationDate: `${next}-${day}`, amountCents: first },
        { month: m, declarationMonth: next, declarationDate: `${next}-${split.day}`, amountCents: 1_000 - first },
      ];
    });

  it('hand example, month-end: the month just ended has nothing declared and gets its full expected cost', () => {
    // As of 30 June: January–May declared (5 × 1,000). June: nothing declared, and history shows nothing
    // declared by the end of a production month, so its share is 0 → IBNR = 1,000 (not 0, not a partial share).
    // July–December: 6 × 1,000. Forecast 12,000.
    const f = forecastYearEnd({ year: YEAR, asOf: `${YEAR}-06-30`, cells: flat('10') });
    expect([f.declaredCents, f.ibnrCents, f.remainingCents, f.forecastCents]).toEqual([5_000, 1_000, 6_000, 12_000]);
    const june = f.months.find((m) => m.month === `${YEAR}-06`)!;
    expect([june.share, june.declaredCents, june.ibnrCents]).toEqual([0, 0, 1_000]);
  });

  it('hand example, as of the 5th: development is read at the 5th of earlier months', () => {
    // As of 5 June: May's declaration comes on 10 June, so by the 5th of the following month history shows
    // 0 declared (share at lag 1 = 0) and by the 5th two months later everything (share at lag 2 = 1).
    // January–April declared (4,000); May and June: nothing declared, full expected cost each (2,000).
    // July–December 6,000. Forecast 12,000.
    const cells = flat('10').filter((c) => c.declarationDate! <= `${YEAR}-06-05`);
    const f = forecastYearEnd({ year: YEAR, asOf: `${YEAR}-06-05`, cells });
    expect([f.declaredCents, f.ibnrCents, f.remainingCents, f.forecastCents]).toEqual([4_000, 2_000, 6_000, 12_000]);
    expect(f.months.find((m) => m.month === `${YEAR}-05`)!.share).toBe(0);
    // The same cells with later declarations present in the input change nothing: only what is dated by the as-of date counts.
    const g = forecastYearEnd({ year: YEAR, asOf: `${YEAR}-06-05`, cells: flat('10') });
    expect(g.forecastCents).toBe(12_000);
    expect(g.declaredCents).toBe(4_000);
  });

  it('hand example, as of the 20th with a month half in: chain ladder, no double count', () => {
    // Each month is declared 40% on the 10th and 60% on the 25th of the next month. As of 20 June: history
    // shows 400 of 1,000 declared by the 20th of the next month (share at lag 1 = 0.4) and all by the 20th two
    // months later. May: 400 declared, share 0.4 → ultimate 400 ÷ 0.4 = 1,000, IBNR 600. June: share 0,
    // IBNR 1,000. January–April 4,000 + May 400 declared = 4,400; IBNR 1,600; July–December 6,000 → 12,000.
    const cells = flat('10', { day: '25', share: 0.6 });
    const f = forecastYearEnd({ year: YEAR, asOf: `${YEAR}-06-20`, cells });
    expect([f.declaredCents, f.ibnrCents, f.remainingCents, f.forecastCents]).toEqual([4_400, 1_600, 6_000, 12_000]);
    const may = f.months.find((m) => m.month === `${YEAR}-05`)!;
    expect(may.share).toBeCloseTo(0.4, 10);
    expect(may.expectedCents).toBe(1_000);
  });
});
