import { describe, expect, it } from 'vitest';
import { likeForLikeCutoffs, sameMomentShifted } from './like-for-like.js';

describe('the same moment a number of months earlier', () => {
  it('keeps the day of the month, and a month’s last day stays a month’s last day (leap years, 30 and 31)', () => {
    expect(sameMomentShifted('2026-10-17', -12)).toBe('2025-10-17');
    expect(sameMomentShifted('2026-10-31', -12)).toBe('2025-10-31');
    expect(sameMomentShifted('2026-09-30', -12)).toBe('2025-09-30');
    // Leap years: 29 February is February's last day, and so is 28 February in a common year.
    expect(sameMomentShifted('2028-02-29', -12)).toBe('2027-02-28');
    expect(sameMomentShifted('2029-02-28', -12)).toBe('2028-02-29');
    expect(sameMomentShifted('2028-02-28', -12)).toBe('2027-02-28');
    // Other shifts: the day, clamped only where the month is shorter; month ends to month ends.
    expect(sameMomentShifted('2025-03-31', -1)).toBe('2025-02-28');
    expect(sameMomentShifted('2025-09-30', -1)).toBe('2025-08-31');
    expect(sameMomentShifted('2025-10-30', -1)).toBe('2025-09-30');
    expect(sameMomentShifted('2025-06-12', -12)).toBe('2024-06-12');
    expect(sameMomentShifted('2025-01-15', 1)).toBe('2025-02-15');
  });

  it('gives each side of a like-for-like comparison its declaration cut-off', () => {
    // January–September 2026 declared up to 17-10-2026 against January–September 2025: up to 17-10-2025.
    expect(likeForLikeCutoffs('2025-09', '2026-09', '2026-10-17')).toEqual({
      beforeAsOf: '2025-10-17',
      afterAsOf: '2026-10-17',
    });
    // A report on a closed month, as known at its end: last year's same month as known at its end.
    expect(likeForLikeCutoffs('2024-03', '2025-03', '2025-03-31')).toEqual({
      beforeAsOf: '2024-03-31',
      afterAsOf: '2025-03-31',
    });
    // A half year against the one before: six months earlier.
    expect(likeForLikeCutoffs('2025-06', '2025-12', '2026-01-20')).toEqual({
      beforeAsOf: '2025-07-20',
      afterAsOf: '2026-01-20',
    });
  });
});
