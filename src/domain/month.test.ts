import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  formatDateNl,
  formatDateTimeNl,
  formatMonthNl,
  formatPeriodNl,
  isIsoDate,
  localDayStartUtc,
  monthRange,
  monthsBetween,
  lastDayOfMonth,
} from './month.js';

describe('months and dates', () => {
  it('rejects impossible dates such as the JW315 example 2027-06-31', () => {
    expect(isIsoDate('2027-06-31')).toBe(false);
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2026-13-01')).toBe(false);
    // Century leap years, and forms that are not YYYY-MM-DD (read digit by digit since issue 21).
    expect(isIsoDate('2000-02-29')).toBe(true);
    expect(isIsoDate('1900-02-29')).toBe(false);
    expect(['2024-2-29', '2024-02-29 ', '2024/02/29', '2024-02-2x', '20240-02-29', ''].map(isIsoDate)).toEqual(
      Array(6).fill(false),
    );
  });
  it('does month arithmetic across years', () => {
    expect(addMonths('2025-11', 3)).toBe('2026-02');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(monthsBetween('2026-03', '2026-05')).toBe(2);
    expect(monthRange('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(lastDayOfMonth('2024-02')).toBe('2024-02-29');
  });
  it('formats nl-NL', () => {
    expect(formatDateNl('2026-11-22')).toBe('22-11-2026');
    expect(formatMonthNl('2026-03')).toBe('maart 2026');
  });
  it('names a period of months in Dutch (Kostendrijvers), written out by hand', () => {
    expect(formatPeriodNl('2025-01', '2025-09')).toBe('januari t/m september 2025');
    expect(formatPeriodNl('2024-12', '2025-02')).toBe('december 2024 t/m februari 2025');
    expect(formatPeriodNl('2025-01', '2025-12')).toBe('2025');
    expect(formatPeriodNl('2025-09', '2025-09')).toBe('september 2025');
    // Not a whole year: January to December of different years, or February to December.
    expect(formatPeriodNl('2024-01', '2025-12')).toBe('januari 2024 t/m december 2025');
    expect(formatPeriodNl('2025-02', '2025-12')).toBe('februari t/m december 2025');
    expect(formatPeriodNl('2025-07', '2025-12')).toBe('juli t/m december 2025');
  });
});

describe('Dutch local time', () => {
  it('shows a UTC moment in Dutch time, summer (UTC+2) and winter (UTC+1), as dd-mm-jjjj uu:mm', () => {
    expect(formatDateTimeNl('2026-07-01T12:03:09Z')).toBe('01-07-2026 14:03');
    expect(formatDateTimeNl('2026-07-01T12:03:09Z', true)).toBe('01-07-2026 14:03:09');
    expect(formatDateTimeNl('2026-12-31T23:30:00Z')).toBe('01-01-2027 00:30');
  });
  it('finds the UTC moment a Dutch day begins, and counts days', () => {
    expect(localDayStartUtc('2026-07-01')).toBe('2026-06-30T22:00:00.000Z');
    expect(localDayStartUtc('2026-01-15')).toBe('2026-01-14T23:00:00.000Z');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
  });
});
