import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { blankable, filterMonth, filterMunicipality, filterYear } from './filters.js';

describe('shared query fields', () => {
  const q = z.object({
    year: blankable(filterYear),
    from: blankable(filterMonth),
    municipality: blankable(filterMunicipality),
  });

  it('takes what a filter form sends', () => {
    expect(q.parse({ year: '2025', from: '2025-03', municipality: 'GM0482' })).toEqual({
      year: 2025,
      from: '2025-03',
      municipality: 'GM0482',
    });
    expect(q.parse({ municipality: '0482' }).municipality).toBe('0482');
  });

  it('treats an empty or missing field as not given', () => {
    expect(q.parse({ year: '', from: '', municipality: '' })).toEqual({});
    expect(q.parse({})).toEqual({});
  });

  it('rejects what is not a year, a month or a CBS code', () => {
    for (const year of ['1999', '2101', '2025.5', 'twee'])
      expect(q.safeParse({ year }).success, `year ${year}`).toBe(false);
    for (const from of ['2025-13', '2025-3', '03-2025'])
      expect(q.safeParse({ from }).success, `month ${from}`).toBe(false);
    for (const municipality of ['482', 'GM04820', '0482,0483', 'XX0482'])
      expect(q.safeParse({ municipality }).success, `municipality ${municipality}`).toBe(false);
  });

  it('says in Dutch how a month is written', () => {
    const r = q.safeParse({ from: '2025-3' });
    expect(r.success ? '' : r.error.issues[0]?.message).toBe('maand als JJJJ-MM');
  });
});
