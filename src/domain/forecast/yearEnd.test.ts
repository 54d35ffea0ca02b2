import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
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
      const total = Math.round(level * noise[i]);
      w.forEach((x, lag) => {
        if (x > 0) cells.push({ month: m, declarationMonth: addMonths(m, lag), amountCents: Math.round((total * x) / wSum) });
      });
      if (i === credit) cells.push({ month: m, declarationMonth: addMonths(m, 2), amountCents: -Math.round(total / 3) });
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
        const declared = cells.filter((c) => c.month.startsWith(`${YEAR}-`) && c.declarationMonth <= m).reduce((s, c) => s + c.amountCents, 0);
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
        const b = forecastYearEnd({ year: YEAR, asOf, cells: cells.map((c) => ({ ...c, amountCents: c.amountCents * k })) });
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

  it('hand example: constant 1,000 a month, half declared in the month and half a month later', () => {
    // Every past month: share at lag 0 = ½, at lag ≥ 1 = 1. As of June: January–May complete (5,000),
    // June declared 500 with share ½ < 60% → Bornhuetter–Ferguson: IBNR = level 1,000 × ½ = 500.
    // No trend (flat), season 1 → July–December 6 × 1,000 remaining. Forecast 12,000.
    const cells: RunoffCell[] = monthRange(`${YEAR - 3}-01`, `${YEAR}-12`).flatMap((m) => [
      { month: m, declarationMonth: m, amountCents: 500 },
      { month: m, declarationMonth: addMonths(m, 1), amountCents: 500 },
    ]);
    const f = forecastYearEnd({ year: YEAR, asOf: `${YEAR}-06-30`, cells });
    expect([f.declaredCents, f.ibnrCents, f.remainingCents, f.forecastCents]).toEqual([5_500, 500, 6_000, 12_000]);
  });

  it('hand example: as of a day inside a month, that month is forecast in full, not cut by its missing declarations', () => {
    // Same history, as of 5 June: the June batch so far holds May's second half (500) but none of June's own
    // declarations yet. Development is read up to May: January–April complete (4,000); May declared 500 in
    // May (share ½ → IBNR 500, ultimate 1,000) plus 500 on 5 June → 1,000 declared, nothing open. June is
    // forecast like a future month: 1,000; July–December 6 × 1,000. Forecast 12,000 = 5,000 declared + 7,000.
    const cells: RunoffCell[] = monthRange(`${YEAR - 3}-01`, `${YEAR}-12`)
      .flatMap((m) => [
        { month: m, declarationMonth: m, amountCents: 500 },
        { month: m, declarationMonth: addMonths(m, 1), amountCents: 500 },
      ])
      .filter((c) => c.declarationMonth < `${YEAR}-06` || (c.declarationMonth === `${YEAR}-06` && c.month === `${YEAR}-05`));
    const f = forecastYearEnd({ year: YEAR, asOf: `${YEAR}-06-05`, cells });
    expect([f.declaredCents, f.ibnrCents, f.remainingCents, f.forecastCents]).toEqual([5_000, 0, 7_000, 12_000]);
    expect(f.months.find((m) => m.month === `${YEAR}-06`)?.expectedCents).toBe(1_000);
  });
});

