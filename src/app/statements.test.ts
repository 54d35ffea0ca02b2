/**
 * Year-end statements (productieverantwoording): bad files refused with file, line/row and column, nothing stored;
 * the comparison with what was declared, on both engines, against figures summed by hand below.
 */
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { ENGINES, freshWarehouse } from '../warehouse/testing/engines.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { compareStatements, importStatementFile, parseStatementCsv } from './statements.js';
import { importDeclarations } from './testing/ledger.js';
import { errorOf } from './testing/errors.js';

const P1 = '41000001';
const P2 = '41000002';
const P3 = '41000003';

describe('statement file: bad input is refused with file, line and column', () => {
  const head = 'provider,municipality,year,product,amountEuros\n';
  it.each([
    [`${head}4100000,0482,2025,45,100\n`, 2, 1, 'is not an AGB code'],
    [`${head}${P1},9999x,2025,45,100\n`, 2, 2, 'not a CBS municipality code'],
    [`${head}${P1},0482,25,45,100\n`, 2, 3, '"25" is not a year'],
    [`${head}${P1},0482,2025,4,100\n`, 2, 4, 'is not a product category (2 characters) or product code (5 characters)'],
    [`${head}${P1},0482,2025,45,"1.000,555"\n`, 2, 5, 'is not an amount in euros'],
    [`${head}${P1},0482,2025,45,100\n${P1},GM0482,2025,45,200\n`, 3, 4, 'occurs twice in this file'],
  ])('%#', (text, line, column, message) => {
    const e = errorOf(() => parseStatementCsv(text, 'pv.csv'));
    expect(e.where).toEqual({ file: 'pv.csv', line, column });
    expect(e.message).toContain(message);
  });
  it('euros with decimals become exact cents (no float)', () => {
    const rows = parseStatementCsv(
      `provider;municipality;year;product;amountEuros\n${P1};0482;2025;45A03;"1.234.567,89"\n${P1};0482;2025;54;0,07\n`,
      'pv.csv',
    );
    expect(rows.map((r) => r.amountCents)).toEqual([123_456_789, 7]);
  });
});

/**
 * Declared in 2025 (net):
 *   P1 0482 45A03  € 1.000 + € 2.000          = € 3.000   P1 0482 54B01 € 500          P1 0505 45A03 € 4.000
 *   P1 0482 45A03  2024 € 9.999 (another year, never counted)
 *   P2 0482 45A03  € 800 − € 300 (credit)     = € 500
 *   P3 0505 45A03  € 7.000 (no statement: missing)
 * Statement (CSV): P1 0482 45 € 3.000 (category 45 = 45A03: difference 0); P1 0482 54B01 € 650 (+€ 150);
 *   P1 0505 45A03 € 2.500 (−€ 1.500); P2 0482 45 € 1.700 (+€ 1.200).
 * P1 total: statement 3.000 + 650 + 2.500 = € 6.150, declared 3.000 + 500 + 4.000 = € 7.500 → −€ 1.350.
 *   P1 0482: 3.650 − 3.500 = +€ 150; P1 0505: −€ 1.500.  P2 total = P2 0482 = +€ 1.200.
 * Threshold € 1.000: P1 0505 (−1.500, municipality and product rows), P1 total (−1.350), P2 (+1.200 at all
 * three levels) — 6 rows; the +€ 150 rows are below it.
 */
describe.each(ENGINES)('statements vs declared on %s', (engine) => {
  let w: Warehouse | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it('imports CSV and XLSX all-or-none and lists the differences above the threshold, summed by hand', async () => {
    w = await freshWarehouse(engine);
    await importDeclarations(w, [
      { municipality: '0482', month: '2025-03', amountCents: 100_000, provider: P1, product: '45A03', client: 1 },
      { municipality: '0482', month: '2025-09', amountCents: 200_000, provider: P1, product: '45A03', client: 1 },
      {
        municipality: '0482',
        month: '2025-04',
        amountCents: 50_000,
        provider: P1,
        category: '54',
        product: '54B01',
        client: 2,
      },
      { municipality: '0505', month: '2025-05', amountCents: 400_000, provider: P1, product: '45A03', client: 3 },
      { municipality: '0482', month: '2024-05', amountCents: 999_900, provider: P1, product: '45A03', client: 1 },
      { municipality: '0482', month: '2025-06', amountCents: 80_000, provider: P2, product: '45A03', client: 4 },
      {
        municipality: '0482',
        month: '2025-06',
        amountCents: -30_000,
        provider: P2,
        product: '45A03',
        client: 4,
        declarationDate: '2025-08-20',
      },
      { municipality: '0505', month: '2025-06', amountCents: 700_000, provider: P3, product: '45A03', client: 5 },
    ]);
    const who = { enteredBy: 'controller' };
    const csv = `provider,municipality,year,product,amountEuros\n${P1},GM0482,2025,45,3000\n${P1},0482,2025,54B01,"650,00"\n${P1},0505,2025,45A03,2500\n`;
    expect(await importStatementFile(w, 'pv-p1.csv', who, Buffer.from(csv))).toBe(3);
    // A bad XLSX (row 3: a bad amount) stores nothing; the good one after it does.
    const xlsx = async (rows: (string | number)[][]) => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('PV');
      ws.addRow(['provider', 'municipality', 'year', 'product', 'amountCents']);
      for (const r of rows) ws.addRow(r);
      return Buffer.from(await wb.xlsx.writeBuffer());
    };
    const bad = await importStatementFile(
      w,
      'pv-p2.xlsx',
      who,
      await xlsx([
        [P2, '0482', 2025, '45', 170_000],
        [P2, '0505', 2025, '45', 'veel'],
      ]),
    ).catch((e: unknown) => e as Error);
    expect(String(bad)).toContain('"veel" is not a whole number of eurocents');
    expect((await w.statements({ providers: [P2] })).length).toBe(0);
    expect(await importStatementFile(w, 'pv-p2.xlsx', who, await xlsx([[P2, '0482', 2025, '45', 170_000]]))).toBe(1);

    const c = await compareStatements(w, { year: 2025, thresholdCents: 100_000 });
    const fig = (r: {
      level: string;
      provider: string;
      municipality: string | null;
      product: string | null;
      statementCents: number;
      declaredCents: number;
      differenceCents: number;
    }) => [r.level, r.provider, r.municipality, r.product, r.statementCents, r.declaredCents, r.differenceCents];
    expect(c.rows.map(fig)).toEqual([
      ['provider', P1, null, null, 615_000, 750_000, -135_000],
      ['municipality', P1, '0482', null, 365_000, 350_000, 15_000],
      ['municipality', P1, '0505', null, 250_000, 400_000, -150_000],
      ['product', P1, '0482', '45', 300_000, 300_000, 0],
      ['product', P1, '0482', '54B01', 65_000, 50_000, 15_000],
      ['product', P1, '0505', '45A03', 250_000, 400_000, -150_000],
      ['provider', P2, null, null, 170_000, 50_000, 120_000],
      ['municipality', P2, '0482', null, 170_000, 50_000, 120_000],
      ['product', P2, '0482', '45', 170_000, 50_000, 120_000],
    ]);
    expect(c.above.map((r) => [r.level, r.provider, r.differenceCents])).toEqual([
      ['municipality', P1, -150_000],
      ['product', P1, -150_000],
      ['provider', P1, -135_000],
      ['provider', P2, 120_000],
      ['municipality', P2, 120_000],
      ['product', P2, 120_000],
    ]);
    expect(c.missing).toEqual([{ provider: P3, declaredCents: 700_000 }]);
    expect(c.totals).toEqual({ statementCents: 785_000, declaredCents: 800_000, differenceCents: -15_000 });
    expect(c.rows.find((r) => r.level === 'product' && r.product === '54B01')?.source).toBe('pv-p1.csv:3');
    // A gemeente sees only its own municipality on both sides.
    const own = await compareStatements(w, { year: 2025, municipalities: ['0505'] });
    expect(own.rows.filter((r) => r.level === 'provider').map(fig)).toEqual([
      ['provider', P1, null, null, 250_000, 400_000, -150_000],
    ]);
    expect(own.missing).toEqual([{ provider: P3, declaredCents: 700_000 }]);
  });
});
