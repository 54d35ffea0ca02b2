import { describe, expect, it } from 'vitest';
import {
  percentileMinimum,
  percentileProtected,
  publishedWaiting,
  routesPeriodRefusal,
} from './journeys-disclosure.js';

describe('Cliëntroutes for aggregate roles', () => {
  it('gives them whole calendar years only', () => {
    expect(routesPeriodRefusal(true, '2025-01', '2025-12')).toBeNull();
    for (const [from, to] of [
      ['2025-01', '2025-06'],
      ['2025-01', '2025-07'],
      ['2024-12', '2025-12'],
      ['2024-01', '2025-12'],
      ['2025-02', '2025-12'],
    ] as const)
      expect(routesPeriodRefusal(true, from, to), `${from}…${to}`).toContain('heel kalenderjaar');
    expect(routesPeriodRefusal(false, '2025-01', '2025-07')).toBeNull();
  });

  it('publishes a percentile only with 10 values ranking below and 10 above it', () => {
    // Nearest rank ⌈p × n⌉. Median: n = 20 → rank 10, 9 below; n = 21 → rank 11, 10 below and 10 above.
    expect(percentileProtected(20, 0.5)).toBe(false);
    expect(percentileProtected(21, 0.5)).toBe(true);
    // 90th percentile: n = 99 → rank ⌈89,1⌉ = 90, 9 above; n = 100 → rank 90, 89 below, 10 above.
    expect(percentileProtected(99, 0.9)).toBe(false);
    expect(percentileProtected(100, 0.9)).toBe(true);
    expect(percentileProtected(11, 0.9)).toBe(false); // rank 10 of 11: the second longest wait
    expect(percentileMinimum(0.5)).toBe(21);
    expect(percentileMinimum(0.9)).toBe(100);
  });

  it('publishes waiting times from rounded counts and whole days; exact for analysts', () => {
    const w = { municipality: '0482', allocations: 11, medianDays: 15, meanDays: 33.9, p90Days: 47, negative: 0 };
    expect(publishedWaiting(false, w)).toEqual({ allocations: 11, medianDays: 15, meanDays: 33.9, p90Days: 47 });
    expect(publishedWaiting(true, w)).toEqual({ allocations: 10, medianDays: null, meanDays: 34, p90Days: null });
    expect(publishedWaiting(true, { ...w, allocations: 9 })).toBeNull();
    expect(publishedWaiting(true, { ...w, allocations: 23 })).toEqual({
      allocations: 25,
      medianDays: 15,
      meanDays: 34,
      p90Days: null,
    });
    expect(publishedWaiting(true, { ...w, allocations: 102 })?.p90Days).toBe(47);
    expect(publishedWaiting(false, null)).toBeNull();
    expect(publishedWaiting(false, { ...w, allocations: 0 })).toBeNull();
  });
});
