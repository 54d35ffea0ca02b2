import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatEuro, formatEuroRounded, parseCents, parseEuros, signed, sumCents } from './money.js';

describe('money', () => {
  it('formats nl-NL', () => {
    expect(formatEuro(123456)).toBe('€ 1.234,56');
    // One minus convention everywhere (format/nl.ts): hyphen-minus before the euro sign, as the XLSX number format.
    expect(formatEuro(-5)).toBe('-€ 0,05');
    expect(formatEuroRounded(123456)).toBe('€ 1.235');
    expect(formatEuroRounded(1_320_000_000)).toBe('€ 13.200.000');
  });
  it('parses cents and euros exactly', () => {
    expect(parseCents('79000')).toBe(79000);
    expect(() => parseCents('790.00')).toThrow(/whole number of cents/);
    expect(parseEuros('1.234,56')).toBe(123456);
    expect(parseEuros('1234.5')).toBe(123450);
    expect(parseEuros('€ 19.000,00')).toBe(1900000);
    expect(() => parseEuros('12.345.6')).toThrow();
  });
  it('credit is negative and cancels the same debit', () => {
    fc.assert(fc.property(fc.nat({ max: 1e12 }), (a) => signed(a, 'D') + signed(a, 'C') === 0));
  });
  it('euro parsing round-trips every cent amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e13, max: 1e13 }), (c) => {
        const abs = Math.abs(c);
        const text = `${c < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
        return parseEuros(text) === c;
      }),
    );
  });
  it('sums are exact and order-independent', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1e9, max: 1e9 })), (xs) => sumCents(xs) === sumCents([...xs].reverse())),
    );
  });
});
