/**
 * The municipality page's way to Kostendrijvers covers the months the A4 covers: January up to the last
 * complete month at the stand — the stand's own month when the stand is that month's last day.
 */
import { describe, expect, it } from 'vitest';
import { driverPeriods } from './municipality.js';

describe('driverPeriods (hand cases)', () => {
  it('a stand on the last day of October covers January–October, as the A4 of October does', () => {
    expect(driverPeriods(2026, '2026-10-31')).toEqual({
      'from-period': '2025-01..2025-10',
      'to-period': '2026-01..2026-10',
      gelijk: '1',
    });
  });

  it('a stand within October covers January–September (October is not complete)', () => {
    expect(driverPeriods(2026, '2026-10-17')).toEqual({
      'from-period': '2025-01..2025-09',
      'to-period': '2026-01..2026-09',
      gelijk: '1',
    });
    expect(driverPeriods(2026, '2026-10-30')['to-period']).toBe('2026-01..2026-09');
  });

  it('handles the edges of the year', () => {
    // 31 January: January alone; 31 December: the whole year, still like for like.
    expect(driverPeriods(2026, '2026-01-31')).toEqual({
      'from-period': '2025-01',
      'to-period': '2026-01',
      gelijk: '1',
    });
    expect(driverPeriods(2026, '2026-12-31')).toEqual({ 'from-period': '2025', 'to-period': '2026', gelijk: '1' });
    // Within January no month of the year is complete: last year against the year before.
    expect(driverPeriods(2026, '2026-01-15')).toEqual({ 'from-period': '2024', 'to-period': '2025' });
    // Another year than the stand's: whole years.
    expect(driverPeriods(2025, '2026-10-31')).toEqual({ 'from-period': '2024', 'to-period': '2025' });
  });
});
