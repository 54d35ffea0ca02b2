import { describe, expect, it } from 'vitest';
import { Fields, fieldKey, knownFieldKey } from './fields.js';
import './message-types.js'; // makes the builders' keys, as readIjwFile's module does

describe('field keys', () => {
  it('are made by the readers when their modules load, Parent/Name ones included', () => {
    // Known reads, by hand from the builders: a line's amount, a product's period, a declaration's period.
    for (const k of ['Bedrag', 'ProductPeriode/Begindatum', 'Product/Categorie', 'DeclaratiePeriode/Begindatum'])
      expect(knownFieldKey(k)?.name).toBe(k);
  });

  it('are not made for leaves no reader reads (their values are never kept)', () => {
    expect(knownFieldKey('BerichtCode')).toBeUndefined();
    expect(knownFieldKey('Prestatie/Bedrag')).toBeUndefined();
  });

  it('are one per name', () => {
    expect(fieldKey('Bedrag')).toBe(knownFieldKey('Bedrag'));
  });
});

describe('Fields', () => {
  const bedrag = fieldKey('Bedrag');
  const vorig = fieldKey('VorigReferentieNummer');

  it('forgets every value on clear, also of keys the next element does not have', () => {
    const f = new Fields();
    f.setId(bedrag.id, '100');
    f.setId(vorig.id, 'R1');
    f.clear();
    expect(f.get(vorig)).toBeUndefined();
    f.setId(bedrag.id, '200');
    expect(f.get(bedrag)).toBe('200');
    expect(f.get(vorig)).toBeUndefined();
    f.setId(bedrag.id, '300'); // a later leaf of the same name wins, as before
    expect(f.get(bedrag)).toBe('300');
  });

  it('takes keys made after it', () => {
    const f = new Fields();
    const later = fieldKey('fields.test/a key made after the record');
    expect(f.get(later)).toBeUndefined();
    f.setId(later.id, 'x');
    expect(f.get(later)).toBe('x');
    f.clear();
    expect(f.get(later)).toBeUndefined();
  });
});
