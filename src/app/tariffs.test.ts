import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { PRODUCT_CATEGORIES, UNITS } from '../domain/codes/index.js';
import { freshWarehouse } from '../warehouse/testing/engines.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { importTariffCsv, parseTariffCsv, tariffsCsv, type ContractedTariff } from './tariffs.js';
import { errorOf } from './testing/errors.js';

const who = { enteredBy: 'inkoop', enteredAt: '2025-01-15T10:00:00.000Z' };

const LIST_CSV = `provider,productCategory,productCode,unit,tariffCents,validFrom,validTo
*,45,45A03,04,8500,2025-01-01,2025-12-31
12345678,45,,04,9000,2025-01-01,
`;
const LIST_SEMICOLON = `provider;productCategory;productCode;unit;tariffEuros;validFrom;validTo
*;54;54G01;01;1,90;2025-01-01;
`;

describe('tariff list CSV: bad input is refused with file, line, column and reason', () => {
  const head = 'provider,productCategory,productCode,unit,tariffCents,validFrom,validTo\n';
  const ok = '*,45,45A03,04,8500,2025-01-01,2025-12-31\n';
  it.each([
    [
      `${head}${ok}*,45,45A03,04,85.00,2025-01-01,\n`,
      3,
      5,
      'column tariffCents: "85.00" is not a whole number of eurocents',
    ],
    [`${head}*,45,45A03,04,-100,2025-01-01,\n`, 2, 5, 'column tariffCents: -100 must be more than 0'],
    [
      `${head}${ok}*,45,45A04,04,100,2025-01-01,\n*,45,45A05,04,100,2025-02-30,\n`,
      4,
      6,
      'column validFrom: "2025-02-30" is not a date (YYYY-MM-DD)',
    ],
    [`${head}*,45,45A03,04,100,2025-01-01,31-12-2025\n`, 2, 7, 'column validTo: "31-12-2025" is not a date'],
    [
      `${head}*,45,45A03,04,100,2025-01-01,2024-12-31\n`,
      2,
      7,
      'column validTo: 2024-12-31 lies before validFrom 2025-01-01',
    ],
    [`${head}*,99,99X01,04,100,2025-01-01,\n`, 2, 2, 'column productCategory: "99" is not a product category in JZ020'],
    [`${head}*,45,45A03,99,100,2025-01-01,\n`, 2, 4, 'column unit: "99" is not a unit in WJ756'],
    [`${head}1234,45,45A03,04,100,2025-01-01,\n`, 2, 1, 'column provider: "1234" is not an AGB code'],
    [`${head}*,45,45-A03,04,100,2025-01-01,\n`, 2, 3, 'column productCode: "45-A03" is not a product code'],
    [
      `${head}${ok}\n*,45,45A03,04,9000,2025-01-01,\n`,
      4,
      6,
      'column validFrom: the same provider, category, product and validFrom as line 2',
    ],
  ])('case %#: line %i, column %i', (text, line, column, message) => {
    const e = errorOf(() => parseTariffCsv(text, 'tarieven.csv'));
    expect(e.code).toBe('CSV_VALUE');
    expect(e.where).toEqual({ file: 'tarieven.csv', line, column });
    expect(e.message).toContain(message);
    expect(e.describe()).toMatch(new RegExp(`^tarieven\\.csv:${line}: column `));
  });

  it('refuses a wrong header and a line with too many fields', () => {
    expect(errorOf(() => parseTariffCsv('provider,productCategory,unit,tariffCents\n', 't.csv')).message).toContain(
      'missing column "validFrom"',
    );
    expect(errorOf(() => parseTariffCsv('provider,productCategory,unit,validFrom,tarief\n', 't.csv')).where).toEqual({
      file: 't.csv',
      line: 1,
      column: 5,
    });
    expect(
      errorOf(() => parseTariffCsv('provider,productCategory,unit,validFrom,tariffCents,tariffEuros\n', 't.csv'))
        .message,
    ).toContain('exactly one of the columns tariffCents or tariffEuros');
    expect(
      errorOf(() =>
        parseTariffCsv(`provider,productCategory,unit,validFrom,tariffCents\n*,45,04,2025-01-01,100,7\n`, 't.csv'),
      ).where,
    ).toEqual({ file: 't.csv', line: 2 });
  });

  it('reads comma or semicolon files, euros or cents, product and validTo optional', () => {
    expect(parseTariffCsv(LIST_CSV, 'tarieven.csv')).toEqual([
      {
        provider: '*',
        category: '45',
        productCode: '45A03',
        unit: '04',
        tariffCents: 8_500,
        validFrom: '2025-01-01',
        validTo: '2025-12-31',
        source: null,
        enteredBy: null,
      },
      {
        provider: '12345678',
        category: '45',
        productCode: null,
        unit: '04',
        tariffCents: 9_000,
        validFrom: '2025-01-01',
        validTo: null,
        source: null,
        enteredBy: null,
      },
    ]);
    expect(parseTariffCsv(LIST_SEMICOLON, 'tarieven.csv')[0]).toMatchObject({
      category: '54',
      productCode: '54G01',
      tariffCents: 190,
      validTo: null,
    });
  });
});

describe('tariff list import and export', () => {
  let w: Warehouse | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it('imports all or nothing, and the export reads back to the same list', async () => {
    w = await freshWarehouse('duckdb');
    expect(await importTariffCsv(w, LIST_CSV, 'data/tarieven.csv', who)).toBe(2);
    // A bad last line: nothing of the file is stored.
    await expect(
      importTariffCsv(w, `${LIST_SEMICOLON}*;45;45A04;04;abc;2025-01-01;\n`, 'data/b.csv', who),
    ).rejects.toMatchObject({
      code: 'CSV_VALUE',
      where: { file: 'data/b.csv', line: 3, column: 5 },
    });
    const stored = await w.tariffs();
    expect(stored.map((t) => [t.provider, t.productCode, t.tariffCents, t.source, t.enteredBy])).toEqual([
      ['12345678', null, 9_000, 'tarieven.csv', 'inkoop'],
      ['*', '45A03', 8_500, 'tarieven.csv', 'inkoop'],
    ]);
    const csv = await tariffsCsv(w);
    expect(csv.split('\n')[0]).toBe(
      'provider,productCategory,productCode,unit,tariffCents,validFrom,validTo,source,enteredBy,enteredAt',
    );
    expect(csv.split('\n')[1]).toBe('12345678,45,,04,9000,2025-01-01,,tarieven.csv,inkoop,2025-01-15T10:00:00.000Z');
    const w2 = await freshWarehouse('duckdb');
    try {
      await importTariffCsv(w2, csv, 'export.csv', { enteredBy: 'iemand anders' });
      expect((await w2.tariffs()).map(({ enteredAt: _a, ...t }) => t)).toEqual(
        stored.map(({ enteredAt: _a, ...t }) => t),
      );
    } finally {
      await w2.close();
    }
    await expect(
      importTariffCsv(w, 'provider,productCategory,unit,tariffCents,validFrom\n', 'leeg.csv', who),
    ).rejects.toThrow(/no tariff lines/);
  });

  it('property: any valid list survives export → parse unchanged', () => {
    const agb = fc.stringMatching(/^\d{8}$/);
    const date = fc
      .date({ min: new Date('2015-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    const row = fc
      .record({
        provider: fc.oneof(fc.constant('*'), agb),
        category: fc.constantFrom(...Object.keys(PRODUCT_CATEGORIES)),
        productCode: fc.option(fc.stringMatching(/^[0-9A-Z]{5}$/), { nil: null }),
        unit: fc.constantFrom(...Object.keys(UNITS)),
        tariffCents: fc.integer({ min: 1, max: 10_000_000_00 }),
        validFrom: date,
        days: fc.option(fc.integer({ min: 0, max: 3_000 }), { nil: null }),
      })
      .map(({ days, ...r }): ContractedTariff => {
        const to =
          days === null
            ? null
            : new Date(Date.parse(`${r.validFrom}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
        return { ...r, validTo: to };
      });
    const list = fc.uniqueArray(row, {
      minLength: 1,
      maxLength: 20,
      selector: (r) => [r.provider, r.category, r.productCode ?? '', r.validFrom].join('|'),
    });
    fc.assert(
      fc.property(list, fc.constantFrom(',', ';'), (rows, sep) => {
        const header = ['provider', 'productCategory', 'productCode', 'unit', 'tariffCents', 'validFrom', 'validTo'];
        const text = [
          header,
          ...rows.map((r) => [
            r.provider,
            r.category,
            r.productCode ?? '',
            r.unit,
            String(r.tariffCents),
            r.validFrom,
            r.validTo ?? '',
          ]),
        ]
          .map((l) => l.join(sep))
          .join('\n');
        expect(parseTariffCsv(text, 'p.csv').map(({ source: _s, enteredBy: _b, ...t }) => t)).toEqual(rows);
      }),
    );
  });
});
