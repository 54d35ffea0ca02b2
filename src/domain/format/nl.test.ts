import { describe, expect, it } from 'vitest';
import {
  compactEuro,
  date,
  decimal,
  euro,
  euroCents,
  euroRounded,
  int,
  month,
  pct,
  signedEuro,
  signedPct,
} from './nl.js';

// Expected strings are written out by hand from the nl-NL conventions (thousands ".", decimals ",", € before the amount).
describe('nl-NL formatting', () => {
  it('amounts: whole euros and cents, one minus sign (hyphen-minus before €)', () => {
    expect(euroRounded(123_456)).toBe('€ 1.235');
    expect(euroRounded(-123_456)).toBe('-€ 1.235');
    expect(euroRounded(49)).toBe('€ 0');
    expect(euroRounded(150)).toBe('€ 2');
    expect(euroRounded(-150)).toBe('-€ 2');
    expect(euroCents(123_456)).toBe('€ 1.234,56');
    expect(euroCents(-5)).toBe('-€ 0,05');
    expect(euroCents(123_456_789_00)).toBe('€ 123.456.789,00');
    expect(euro(null)).toBe('—');
    expect(euro(undefined)).toBe('—');
    expect(euro(100_000_000)).toBe('€ 1.000.000');
  });

  it('signed amounts and percentages: + for positive, - for negative, zero unsigned', () => {
    expect(signedEuro(1_234_500)).toBe('+€ 12.345');
    expect(signedEuro(-1_234_500)).toBe('-€ 12.345');
    expect(signedEuro(40)).toBe('€ 0');
    expect(signedEuro(-49)).toBe('€ 0');
    expect(pct(0.042)).toBe('4,2%');
    expect(pct(0.12345, 2)).toBe('12,35%');
    expect(pct(null)).toBe('—');
    expect(pct(Number.NaN)).toBe('—');
    expect(pct(1 / 0)).toBe('—');
    expect(signedPct(0.042)).toBe('+4,2%');
    expect(signedPct(-0.031)).toBe('-3,1%');
    expect(signedPct(0)).toBe('0,0%');
    expect(signedPct(null)).toBe('—');
  });

  it('compact amounts: mln from a million, mld from a billion, whole euros below', () => {
    expect(compactEuro(970_000_000)).toBe('€ 9,7 mln');
    expect(compactEuro(-125_000_000)).toBe('-€ 1,3 mln');
    expect(compactEuro(125_000_000_00)).toBe('€ 125 mln');
    expect(compactEuro(125_000_000_000)).toBe('€ 1,25 mld');
    expect(compactEuro(970_000_000, 1)).toBe('€ 9,70 mln');
    expect(compactEuro(99_999_900)).toBe('€ 999.999');
  });

  it('numbers, dates and months', () => {
    expect(int(1234)).toBe('1.234');
    expect(int(1_234_567)).toBe('1.234.567');
    expect(int(0)).toBe('0');
    expect(decimal(1234.5, 1)).toBe('1.234,5');
    expect(date('2026-11-22')).toBe('22-11-2026');
    expect(month('2026-03')).toBe('maart 2026');
    expect(month('2026-10', true)).toBe('okt 2026');
  });
});
