import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidBsn, maskBsn, normaliseBsn } from './bsn.js';
import { at } from './indexing.js';

describe('BSN 11-proef', () => {
  it('accepts the numbers in the official iJw examples', () => {
    // 999900006: 9·9+8·9+7·9+6·9+5·0+4·0+3·0+2·0 − 6 = 264 = 24·11
    expect(isValidBsn('999900006')).toBe(true);
    expect(isValidBsn('999900018')).toBe(true);
  });
  it('rejects wrong check digits, wrong lengths, letters and all zeros', () => {
    expect(isValidBsn('999900007')).toBe(false);
    expect(isValidBsn('12345678')).toBe(false); // 012345678: 0+8+14+18+20+20+18+14−8 = 104, not divisible by 11
    expect(isValidBsn('1234567890')).toBe(false);
    expect(isValidBsn('99990000a')).toBe(false);
    expect(isValidBsn('000000000')).toBe(false);
    expect(isValidBsn('')).toBe(false);
  });
  it('accepts 8 digits with an implied leading zero', () => {
    // 011222333: 0·9+1·8+1·7+2·6+2·5+2·4+3·3+3·2 − 3 = 57 → not valid; 010000009? 1·8 − 9 = −1 no.
    // 012345672: 0+8+14+18+20+20+18+14 −2 = 110 = 10·11 → valid
    expect(isValidBsn('12345672')).toBe(true);
    expect(normaliseBsn('12345672')).toBe('012345672');
  });
  it('changing one digit of a valid BSN always breaks the check', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 9 }), (pos, delta) => {
        const s = '999900006'.split('').map(Number);
        s[pos] = (at(s, pos) + delta) % 10;
        return !isValidBsn(s.join(''));
      }),
    );
  });
  it('masks all but the last two digits', () => {
    expect(maskBsn('999900006')).toBe('*******06');
    expect(() => normaliseBsn('999900007')).toThrow('*******07');
  });
});
