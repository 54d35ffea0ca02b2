import { describe, expect, it } from 'vitest';
import {
  allocatedUnitsToDate,
  buildDataQualityReport,
  checkAvailability,
  compareTariffPrecedence,
  dataQualitySettings,
  exampleDetail,
  exampleFileIds,
  parseLineRefs,
  toExample,
  type DataPresence,
  type QualityIssue,
} from './quality-rules.js';
import { TARIFF_LIST_MISSING } from './quality.js';

const everything: DataPresence = {
  allocations: 10,
  sizedAllocations: 4,
  stops: 2,
  xmlLines: 30,
  lines: 40,
  tariffs: 3,
};

const issue = (o: Partial<QualityIssue> & Pick<QualityIssue, 'kind'>): QualityIssue => ({
  municipality: '0482',
  provider: '12345678',
  client: 'p_abc',
  allocationNumber: null,
  product: null,
  period: null,
  amountCents: 0,
  fileId: null,
  sourceLine: null,
  refs: [],
  n1: null,
  n2: null,
  n3: null,
  t1: null,
  totalCount: 1,
  totalCents: 0,
  ...o,
});

describe('data-quality settings', () => {
  it('defaults to 5 examples, 3 months of lag and a 50% threshold, with the horizon from the latest declaration', () => {
    // Latest declaration 10 June 2025, 3 months back: the horizon is the last day of March.
    expect(dataQualitySettings({}, '2025-06-10')).toEqual({
      examples: 5,
      lagMonths: 3,
      threshold: 0.5,
      horizon: '2025-03-31',
    });
  });

  it('counts from asOf when given, and has no horizon without declarations', () => {
    expect(dataQualitySettings({ asOf: '2025-02-15', lagMonths: 1 }, '2025-06-10').horizon).toBe('2025-01-31');
    expect(dataQualitySettings({}, null).horizon).toBeNull();
  });

  it('refuses a threshold outside (0, 1] and examples or lag that are not whole numbers ≥ 0', () => {
    expect(() => dataQualitySettings({ threshold: 0 }, null)).toThrow(RangeError);
    expect(() => dataQualitySettings({ threshold: 1.2 }, null)).toThrow(/threshold must be in \(0, 1\]/);
    expect(dataQualitySettings({ threshold: 1 }, null).threshold).toBe(1);
    expect(() => dataQualitySettings({ examples: 2.5 }, null)).toThrow(/examples must be a whole number/);
    expect(() => dataQualitySettings({ lagMonths: -1 }, null)).toThrow(/lagMonths/);
  });
});

describe('units allocated to date', () => {
  it('converts a volume per day, week or month over the elapsed days', () => {
    // 2 hours a week for 70 days: 10 weeks × 2 = 20 hours.
    expect(allocatedUnitsToDate({ volume: 2, frequency: '2', elapsedDays: 70, spanDays: 365 })).toBe(20);
    // 1 day per day for 31 days.
    expect(allocatedUnitsToDate({ volume: 1, frequency: '1', elapsedDays: 31, spanDays: null })).toBe(31);
    // 8 hours a month over 121.75 days = 4 average months (30.4375 days each): 32 hours.
    expect(allocatedUnitsToDate({ volume: 8, frequency: '4', elapsedDays: 121.75, spanDays: null })).toBe(32);
  });

  it('takes the elapsed share of a total volume, or all of it without an end', () => {
    // 100 hours over a 200-day allocation, 50 days in: a quarter.
    expect(allocatedUnitsToDate({ volume: 100, frequency: '6', elapsedDays: 50, spanDays: 200 })).toBe(25);
    expect(allocatedUnitsToDate({ volume: 100, frequency: '6', elapsedDays: 50, spanDays: null })).toBe(100);
  });

  it('has no figure without a volume or for a frequency that is not sized', () => {
    expect(allocatedUnitsToDate({ volume: null, frequency: '2', elapsedDays: 70, spanDays: null })).toBeNull();
    expect(allocatedUnitsToDate({ volume: 5, frequency: '3', elapsedDays: 70, spanDays: null })).toBeNull();
    expect(allocatedUnitsToDate({ volume: 5, frequency: null, elapsedDays: 70, spanDays: null })).toBeNull();
  });
});

describe('contracted tariff precedence', () => {
  it('puts a product row before a category row, the provider before every provider, then the latest valid_from', () => {
    const rows = [
      { id: 'any-category-2024', provider: '*', productCode: null, validFrom: '2024-01-01' },
      { id: 'own-category-2024', provider: '12345678', productCode: null, validFrom: '2024-01-01' },
      { id: 'any-product-2023', provider: '*', productCode: '45A01', validFrom: '2023-01-01' },
      { id: 'own-product-2023', provider: '12345678', productCode: '45A01', validFrom: '2023-01-01' },
      { id: 'own-product-2024', provider: '12345678', productCode: '45A01', validFrom: '2024-01-01' },
    ];
    expect([...rows].sort(compareTariffPrecedence).map((r) => r.id)).toEqual([
      'own-product-2024',
      'own-product-2023',
      'any-product-2023',
      'own-category-2024',
      'any-category-2024',
    ]);
  });
});

describe('which checks can run', () => {
  it('runs every check on complete data', () => {
    const a = checkAvailability(everything, '2025-03-31');
    expect(Object.values(a).every((c) => c.checked && c.note === null)).toBe(true);
  });

  it('says why a check cannot run', () => {
    const a = checkAvailability(
      { allocations: 0, sizedAllocations: 0, stops: 0, xmlLines: 0, lines: 5, tariffs: 0 },
      '2025-03-31',
    );
    expect(a.double).toEqual({ checked: true, note: null });
    expect(a.overIndication).toEqual({ checked: false, note: 'no allocations with a volume or budget' });
    expect(a.unusedAllocation).toEqual({ checked: false, note: 'no allocations (JW301)' });
    expect(a.noAllocation).toEqual({ checked: false, note: 'no allocations (JW301)' });
    expect(a.afterStop).toEqual({ checked: false, note: 'no stop messages (JW307)' });
    expect(a.creditWithoutDebit).toEqual({ checked: false, note: 'CSV declarations carry no VorigReferentieNummer' });
    expect(a.tariff).toEqual({ checked: false, note: TARIFF_LIST_MISSING });
  });

  it('judges no allocation without a horizon (no declarations)', () => {
    const a = checkAvailability({ ...everything, lines: 0 }, null);
    expect(a.overIndication).toEqual({ checked: false, note: 'no declarations' });
    expect(a.unusedAllocation).toEqual({ checked: false, note: 'no declarations' });
    expect(a.double).toEqual({ checked: false, note: 'no declarations' });
    expect(a.noAllocation.checked).toBe(true);
  });
});

describe('example sentences', () => {
  it('describes a double declaration by its debits, credits and declarations', () => {
    expect(exampleDetail({ kind: 'double', allocationNumber: null, n1: 3, n2: 1, n3: 2, t1: '45' })).toBe(
      '3 debet, 1 credit in 2 declaratie(s), categorie 45',
    );
  });

  it('gives over-indication in units or, for a budget, in euros, with the share delivered', () => {
    // 20 hours allocated, 7,5 delivered: 37,5% → 38%.
    expect(exampleDetail({ kind: 'overIndication', allocationNumber: 'T1', n1: 20, n2: 7.5, n3: 0, t1: '04' })).toBe(
      'toegewezen tot nu 20, geleverd 7,5 (eenheid 04, 38%)',
    );
    // Budget € 1.000,00 to date, € 250,00 declared: 25%.
    expect(
      exampleDetail({ kind: 'overIndication', allocationNumber: 'T1', n1: 100000, n2: 25000, n3: 1, t1: null }),
    ).toBe('budget tot nu 1.000 euro, gedeclareerd 250 euro (25%)');
  });

  it('says an unused allocation was never declared, with its size when it has one', () => {
    // 12,25 rounded to one decimal: 12,3.
    expect(
      exampleDetail({ kind: 'unusedAllocation', allocationNumber: 'T1', n1: 12.25, n2: null, n3: null, t1: '04' }),
    ).toBe('toegewezen tot nu 12,3 (eenheid 04), nooit gedeclareerd');
    expect(
      exampleDetail({ kind: 'unusedAllocation', allocationNumber: 'T1', n1: null, n2: null, n3: null, t1: null }),
    ).toBe('toewijzing zonder omvang, nooit gedeclareerd');
  });

  it('names the unknown allocation, the stop date and the credit finding', () => {
    expect(
      exampleDetail({ kind: 'noAllocation', allocationNumber: 'T9', n1: null, n2: null, n3: null, t1: null }),
    ).toBe('toewijzing T9 onbekend bij gemeente en aanbieder');
    expect(
      exampleDetail({ kind: 'afterStop', allocationNumber: 'T1', n1: null, n2: null, n3: null, t1: '2025-02-14' }),
    ).toBe('zorg gestopt per 2025-02-14');
    expect(
      exampleDetail({
        kind: 'creditWithoutDebit',
        allocationNumber: null,
        n1: null,
        n2: null,
        n3: null,
        t1: 'geen debet',
      }),
    ).toBe('geen debet');
  });

  it('gives a tariff above the contract with the overpayment per unit, and one below it without', () => {
    // Declared € 65,00 per hour (unit 04 = uur), contracted € 60,00, 10 hours: 10 × € 5,00 too much.
    expect(exampleDetail({ kind: 'tariff', allocationNumber: null, n1: 6500, n2: 6000, n3: 10, t1: '04' })).toBe(
      'tarief € 65,00 per uur, contracttarief € 60,00: 10 × € 5,00 te veel',
    );
    expect(exampleDetail({ kind: 'tariff', allocationNumber: null, n1: 5500, n2: 6000, n3: 10, t1: 'zz' })).toBe(
      'tarief € 55,00 per eenheid zz, onder het contracttarief € 60,00 (geen overbetaling)',
    );
  });
});

describe('examples and the report', () => {
  it("reads the compact list of a group's lines", () => {
    expect(parseLineRefs('1:4:D 2:7:C 3:9:D')).toEqual([
      { fileId: 1, line: 4, dc: 'D' },
      { fileId: 2, line: 7, dc: 'C' },
      { fileId: 3, line: 9, dc: 'D' },
    ]);
    expect(parseLineRefs('')).toEqual([]);
  });

  it('points a double declaration at its last debit and lists every line of the group', () => {
    const i = issue({
      kind: 'double',
      refs: parseLineRefs('1:4:D 3:9:D 2:7:C'),
      n1: 2,
      n2: 1,
      n3: 2,
      t1: '45',
      amountCents: 1200,
    });
    const names = new Map([
      [1, 'a.xml'],
      [3, 'c.xml'],
    ]);
    const e = toExample(i, names);
    expect([e.fileId, e.fileName, e.sourceLine]).toEqual([3, 'c.xml', 9]);
    // A file without a known name shows its id.
    expect(e.related).toEqual(['a.xml:4', 'c.xml:9', '2:7']);
    expect(exampleFileIds([i, issue({ kind: 'noAllocation', fileId: 5, sourceLine: 2 })]).sort()).toEqual([1, 2, 3, 5]);
  });

  it('puts each check in order with its totals, examples and providers', () => {
    const issues = [
      issue({
        kind: 'afterStop',
        fileId: 2,
        sourceLine: 11,
        amountCents: 5000,
        t1: '2025-01-31',
        totalCount: 3,
        totalCents: 8000,
      }),
      issue({
        kind: 'afterStop',
        fileId: 2,
        sourceLine: 12,
        amountCents: 2000,
        t1: '2025-01-31',
        totalCount: 3,
        totalCents: 8000,
      }),
    ];
    const providers = [{ kind: 'afterStop' as const, provider: '12345678', count: 3, amountCents: 8000 }];
    const settings = dataQualitySettings({}, '2025-06-10');
    const r = buildDataQualityReport(settings, ['0482'], everything, issues, providers, new Map([[2, 'b.xml']]));
    expect(r.horizon).toBe('2025-03-31');
    expect(r.municipalities).toEqual(['0482']);
    expect(r.checks.map((c) => c.id)).toEqual([
      'double',
      'overIndication',
      'unusedAllocation',
      'noAllocation',
      'afterStop',
      'creditWithoutDebit',
      'tariff',
    ]);
    const after = r.checks[4];
    expect(after).toMatchObject({
      id: 'afterStop',
      checked: true,
      count: 3,
      amountCents: 8000,
      byProvider: [{ provider: '12345678', count: 3, amountCents: 8000 }],
    });
    expect(after?.examples.map((e) => [e.fileName, e.sourceLine, e.amountCents, e.detail])).toEqual([
      ['b.xml', 11, 5000, 'zorg gestopt per 2025-01-31'],
      ['b.xml', 12, 2000, 'zorg gestopt per 2025-01-31'],
    ]);
    expect(r.checks[0]).toMatchObject({ id: 'double', count: 0, amountCents: 0, examples: [], byProvider: [] });
    // Asked for no examples: the totals stay, the examples go.
    const none = buildDataQualityReport({ ...settings, examples: 0 }, null, everything, issues, providers, new Map());
    expect(none.checks[4]).toMatchObject({ count: 3, amountCents: 8000, examples: [] });
  });
});
