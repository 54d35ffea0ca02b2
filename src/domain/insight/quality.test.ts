import { describe, expect, it } from 'vitest';
import { DATA_QUALITY_CHECKS, horizonDate, summariseDataQuality, type DataQualityCheck } from './quality.js';

describe('data quality summary', () => {
  it('puts the horizon lagMonths before the latest declaration, at a month end', () => {
    expect(horizonDate('2025-06-10', 3)).toBe('2025-03-31');
    expect(horizonDate('2025-02-28', 3)).toBe('2024-11-30');
    expect(horizonDate('2024-03-01', 1)).toBe('2024-02-29');
    expect(horizonDate('2025-06-10', 0)).toBe('2025-06-30');
  });

  it('adds up the checks that ran and says which did not', () => {
    const check = (
      id: DataQualityCheck['id'],
      count: number,
      amountCents: number,
      checked = true,
    ): DataQualityCheck => ({
      id,
      title: id,
      checked,
      note: checked ? null : 'no allocations (JW301)',
      count,
      amountCents,
      examples: [],
      byProvider: [],
    });
    const s = summariseDataQuality({
      horizon: '2025-03-31',
      municipalities: null,
      checks: [check('double', 2, 90000), check('overIndication', 0, 0, false), check('creditWithoutDebit', 1, 5000)],
    });
    expect(s.issues).toBe(3);
    expect(s.amountCents).toBe(95000);
    expect(s.lines).toEqual([
      'Dubbele declaraties: 2 gevallen, € 900,00',
      'Overindicatie: niet gecontroleerd (no allocations (JW301))',
      'Credit zonder debet: 1 geval, € 50,00',
    ]);
    expect(DATA_QUALITY_CHECKS).toHaveLength(7);
  });
});
