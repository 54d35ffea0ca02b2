/**
 * The validator's fast paths against its general checks: fastValid may accept a value only where checkSimple
 * finds nothing wrong (so verdicts and messages stay those of the general code), and it must accept the plain
 * forms of valid values (digits-only integers, YYYY-MM-DD dates, strings without surrogate pairs) — else it
 * saves nothing. Every simple type of the iJw 3.2 tables meets a list of values made to hit each facet's edges.
 */
import { describe, expect, it } from 'vitest';
import { IJW32_SCHEMA } from './ijw32.generated.js';
import { Base, checkSimple, compileFast, fastValid, StreamValidator } from './validator.js';

/** Values at the edges of the facets the iJw types use (lengths, ranges, dates, patterns, whitespace). */
function candidates(): string[] {
  const out = new Set<string>([
    '',
    ' ',
    '\t',
    '\n',
    'a',
    'A',
    'Z',
    ':',
    '-',
    '+',
    'ab\ncd',
    'ab\rcd',
    ' a',
    'a ',
    'a b',
    '\u00a0',
    'Àé',
    'ỳ',
    'ỹ',
    'abc:def',
    'AB12',
    'ab-12',
    '1.0.0',
    '01.0.0',
    '1.10.0',
    '1.0',
    '\uD83D\uDE00',
    '\uD83D\uDE00\uD83D\uDE00',
    'a\uD83D\uDE00',
    '\uD800',
    '\uDC00',
    '0',
    '00',
    '3',
    '03',
    ' 3',
    '3 ',
    '7',
    '007',
    '99',
    '100',
    '99999',
    '100000',
    '99999999',
    '100000000',
    '999999999',
    '1000000000',
    '999999999999',
    '1000000000000',
    '123456789012345',
    '999999999999999',
    '1000000000000000',
    '9007199254740993',
    '-0',
    '-1',
    '+5',
    ' 42 ',
    '\n42\n',
    '4 2',
    '1e3',
    '0x1F',
    '١٢',
    '1234',
    '12345',
    '12345678',
    '123456789',
    '1234567890',
    '2024-02-29',
    '2025-02-29',
    '1900-02-29',
    '2000-02-29',
    '2025-02-28',
    '0000-01-01',
    '0001-01-01',
    '2025-00-10',
    '2025-13-01',
    '2025-04-31',
    '2025-04-30',
    '2025-12-31',
    '2025-12-32',
    '2025-01-00',
    '2025-01-01Z',
    '2025-01-01+01:00',
    '12025-01-01',
    '02025-01-01',
    '-2025-01-01',
    '2025-1-01',
    ' 2025-01-01',
    '2025-01-01\n',
    '2025/01/01',
    '2025-01-0a',
    '２０２５-01-01',
    '12:00:00',
    '24:00:00',
    '25:00:00',
    '12:00:00Z',
    '23:59:59',
    '00:00:00',
    '09:00:00',
    '23:60:00',
    '23:59:60',
    '9:00:00',
    '12:00',
    '12:00:00.5',
    ' 12:00:00',
    '12-00-00',
    '1a:00:00',
  ]);
  for (const t of IJW32_SCHEMA.simpleTypes) {
    for (const level of t.enumerations)
      for (const v of level) for (const w of [v, ` ${v}`, `${v} `, v + v, v.slice(1), v.toLowerCase()]) out.add(w);
    for (const n of [t.minLength, t.maxLength])
      if (n !== null)
        for (const k of [n - 1, n, n + 1])
          if (k >= 0) for (const c of ['x', '7', ' ', '\uD83D\uDE00']) out.add(c.repeat(k));
  }
  return [...out];
}

const plain = (base: Base, v: string): boolean =>
  !/[\uD800-\uDFFF]/.test(v) &&
  (base === Base.String ||
    (base === Base.Integer && /^[0-9]{1,15}$/.test(v)) ||
    (base === Base.Date && /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(v)) ||
    (base === Base.Time && /^(?:[01][0-9]|2[0-3]):[0-9]{2}:[0-9]{2}$/.test(v)));

describe('the fast paths of the in-stream validator', () => {
  const values = candidates();

  it('accept a value only where the general check finds nothing wrong, and every plain valid value', () => {
    const wronglyAccepted: string[] = [];
    const missed: string[] = [];
    let accepted = 0;
    for (const t of IJW32_SCHEMA.simpleTypes) {
      const fast = compileFast(t);
      for (const v of values) {
        const problem = checkSimple(t, v);
        const quick = fastValid(fast, v);
        if (quick) accepted++;
        if (quick && problem !== null) wronglyAccepted.push(`${t.name} ${JSON.stringify(v)}: ${problem}`);
        if (!quick && problem === null && plain(t.base, v)) missed.push(`${t.name} ${JSON.stringify(v)}`);
      }
    }
    expect(wronglyAccepted).toEqual([]);
    expect(missed).toEqual([]);
    expect(accepted).toBeGreaterThan(1000);
  });

  it('leave the wording of a violation to the general check', () => {
    const type = (name: string) => {
      const t = IJW32_SCHEMA.simpleTypes.find((x) => x.name === name);
      if (!t) throw new Error(`no type ${name}`);
      return t;
    };
    // Values the fast path passes on: an integer with a sign, whitespace around a date, a long number.
    expect(fastValid(compileFast(type('LDT_Bedrag')), '+5')).toBe(false);
    expect(checkSimple(type('LDT_Bedrag'), '+5')).toBeNull();
    expect(fastValid(compileFast(type('LDT_Datum')), ' 2025-01-01')).toBe(false);
    expect(checkSimple(type('LDT_Datum'), ' 2025-01-01')).toBeNull();
    expect(checkSimple(type('LDT_TotaalBedrag'), '1000000000000000')).toMatch(/greater than 999999999999/);
  });

  it('reuse frames without mixing up their content models', () => {
    // JW323 Bericht: Header, Declaratie; closing an incomplete element names what is missing.
    const jw323 = 'http://www.istandaarden.nl/ijw/3_2/jw323/schema';
    const v = new StreamValidator(IJW32_SCHEMA, 'JW323');
    v.open(jw323, 'Bericht', 1, []);
    v.open(jw323, 'Header', 2, []);
    v.open(jw323, 'BerichtCode', 3, []);
    v.text('490');
    v.close('490');
    expect(v.depth).toBe(2);
    // BerichtVersie reuses the frame BerichtCode had; Header then closes without its other children.
    v.open(jw323, 'BerichtVersie', 4, []);
    v.close('3');
    expect(() => v.close('')).toThrow(/element Header misses child element BerichtSubversie/);
  });
});
