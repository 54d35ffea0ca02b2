import { describe, expect, it } from 'vitest';
import { at, entry, field } from './indexing.js';

describe('indexing', () => {
  it('at reads an element and refuses an index outside the array', () => {
    expect(at(['a', 'b'], 1)).toBe('b');
    expect(at([0], 0)).toBe(0);
    expect(() => at(['a'], 1)).toThrow('index 1 outside an array of length 1');
    expect(() => at([], -1)).toThrow(RangeError);
  });
  it('entry and field read what is there and name what is missing', () => {
    expect(entry(new Map([['x', 0]]), 'x')).toBe(0);
    expect(() => entry(new Map<string, number>(), 'y')).toThrow('no entry for y');
    expect(field({ a: '' }, 'a')).toBe('');
    expect(() => field<number>({}, 'b')).toThrow('no field b');
  });
});
