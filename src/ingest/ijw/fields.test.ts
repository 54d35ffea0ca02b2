import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Fields, QUALIFIED_PARENTS } from './fields.js';

/**
 * Every `Parent/Name` key a reader looks up in an element's leaves: the string literals of that form in its
 * source (passed to `Map.get` or to the checks of fields.ts).
 */
function qualifiedKeysRead(file: string): string[] {
  const src = readFileSync(new URL(file, import.meta.url), 'utf8');
  return [...src.matchAll(/'([A-Z][A-Za-z]*)\/([A-Z][A-Za-z]*)'/g)].map((m) => `${m[1]}/${m[2]}`);
}

describe('QUALIFIED_PARENTS', () => {
  const keys = [...qualifiedKeysRead('./message-types.ts'), ...qualifiedKeysRead('./messages.ts')];

  it('finds the Parent/Name keys the builders read', () => {
    // Known reads, by hand from the builders: a product's period, category and code, a declaration's period.
    for (const k of ['ProductPeriode/Begindatum', 'Product/Categorie', 'DeclaratiePeriode/Einddatum'])
      expect(keys).toContain(k);
  });

  it('holds the parent of every Parent/Name key a builder reads (else that leaf would never be stored)', () => {
    const missing = keys.filter((k) => !QUALIFIED_PARENTS.has(k.split('/')[0] ?? ''));
    expect(missing).toEqual([]);
  });
});

describe('Fields', () => {
  it('forgets every value on clear, also of keys the next element does not have', () => {
    const f = new Fields();
    f.set('Bedrag', '100');
    f.set('VorigReferentieNummer', 'R1');
    f.clear();
    expect(f.get('VorigReferentieNummer')).toBeUndefined();
    f.set('Bedrag', '200');
    expect(f.get('Bedrag')).toBe('200');
    expect(f.get('VorigReferentieNummer')).toBeUndefined();
    f.set('Bedrag', '300'); // a later leaf of the same name wins, as before
    expect(f.get('Bedrag')).toBe('300');
  });

  it('keeps working past its bound on distinct keys', () => {
    const f = new Fields();
    for (let i = 0; i < 3_000; i++) f.set(`x${i}`, String(i));
    expect(f.get('x2999')).toBe('2999');
    f.clear();
    expect(f.get('x2999')).toBeUndefined();
    f.set('x1', 'a');
    expect(f.get('x1')).toBe('a');
  });
});
