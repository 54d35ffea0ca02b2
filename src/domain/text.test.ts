import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { excerpt, excerpts, neutraliseFormula } from './text.js';
import { writeCsv, writeCsvNl } from '../app/csv.js';
import { xlsxExport } from '../reports/xlsx.js';

describe('excerpt: what an error may quote of a file', () => {
  it('masks digit runs (a BSN), replaces control characters and cuts the text', () => {
    expect(excerpt('999900006')).toBe('*******06');
    expect(excerpt('a\tb')).toBe('a b');
    expect(excerpt('x'.repeat(1000), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(excerpt('1'.repeat(300_000_000 / 1000))).toHaveLength(24);
    expect(excerpts(['0482', '12345678', '999900006', 'D1', '2026-02-05'])).toBe(
      '"0482", "******78", "*******06" and 2 more',
    );
  });
});

describe('formula neutralisation for spreadsheets', () => {
  it('prefixes text Excel would read as a formula; plain numbers stay', () => {
    expect(neutraliseFormula('=HYPERLINK("http://x","klik")')).toBe(`'=HYPERLINK("http://x","klik")`);
    for (const s of ['+31 6 1234', '@SUM(A1)', '\tx', '\rx', '-x']) expect(neutraliseFormula(s)).toBe(`'${s}`);
    for (const s of ['-1234,56', '+5', '-12', 'Zorgaanbieder', '']) expect(neutraliseFormula(s)).toBe(s);
  });

  it('in both CSV writers', () => {
    expect(writeCsvNl(['naam', 'bedrag'], [['=1+1', '-12,50']])).toContain(`'=1+1;-12,50`);
    expect(writeCsv(['naam', 'bedrag'], [['@cmd', -1250]])).toContain(`'@cmd,-1250`);
  });

  it('in the Excel export', async () => {
    const buf = await xlsxExport({
      year: 2025,
      asOf: '2025-06-30',
      names: new Map([['0482', '=HYPERLINK("http://x")']]),
      costs: [{ municipality: '0482', month: '2025-01', category: '45', amountCents: 100, clients: 12, lines: 1 }],
      forecast: [
        {
          municipality: '0482',
          declaredCents: 100,
          ibnrCents: 0,
          remainingCents: 0,
          forecastCents: 100,
          lowCents: 90,
          highCents: 110,
        },
      ],
      forecastTotal: {
        declaredCents: 100,
        ibnrCents: 0,
        remainingCents: 0,
        forecastCents: 100,
        lowCents: 90,
        highCents: 110,
      },
      forecastAsOf: '2025-06-30',
      budgets: new Map(),
      backtest: [],
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    const texts: string[] = [];
    wb.eachSheet((ws) =>
      ws.eachRow((row) =>
        row.eachCell((c) => {
          if (typeof c.value === 'string') texts.push(c.value);
        }),
      ),
    );
    expect(texts).toContain(`'=HYPERLINK("http://x")`);
    expect(texts.some((t) => t.startsWith('=HYPERLINK'))).toBe(false);
  });
});
