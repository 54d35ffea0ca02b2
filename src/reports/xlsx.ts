/**
 * The XLSX export (exceljs): costs per municipality × month × category, the forecast with its range, the
 * budgets and the back-test. Amounts are real numbers in euros (integer cents / 100, two decimals) with a
 * euro number format, so they can be summed and charted in Excel; headers are frozen and filterable.
 */
import { neutraliseFormula } from '../domain/text.js';
import ExcelJS from 'exceljs';
import { PRODUCT_CATEGORIES } from '../domain/codes/index.js';
import type { Cents } from '../domain/money.js';
import type { ExportData } from '../app/reports.js';

export const EURO_FORMAT = '€ #,##0.00';
/** Differences show their sign: +€ 1.234,00 / -€ 1.234,00 (Excel shows the separators of the user's locale). */
export const SIGNED_EURO_FORMAT = '+€ #,##0.00;-€ #,##0.00;€ 0.00';
export const SIGNED_PCT_FORMAT = '+0.0%;-0.0%;0.0%';
export const DATE_FORMAT = 'dd-mm-yyyy';

/** A YYYY-MM-DD date as an Excel date (midnight UTC, so it shows the same day everywhere). */
const excelDate = (iso: string): Date => new Date(`${iso}T00:00:00Z`);
export const SHEETS = { costs: 'Kosten', forecast: 'Prognose', budgets: 'Begroting', backtest: 'Backtest' } as const;

/** Cents → euros as a number with at most two decimals (exact for integer cents up to 2^53 / 100). */
export const euros = (c: Cents): number => Math.round(c) / 100;

/** One column of a sheet: header, key into the rows, width, and the number format of its cells. */
export interface XlsxColumn {
  header: string;
  key: string;
  width: number;
  money?: boolean;
  pct?: boolean;
  signedMoney?: boolean;
  signedPct?: boolean;
  date?: boolean;
}

function sheet(
  wb: ExcelJS.Workbook,
  name: string,
  cols: XlsxColumn[],
  rows: Record<string, string | number | Date | null>[],
): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }] });
  ws.columns = cols.map((c) => ({
    header: c.header,
    key: c.key,
    width: c.width,
    style: c.money
      ? { numFmt: EURO_FORMAT }
      : c.signedMoney
        ? { numFmt: SIGNED_EURO_FORMAT }
        : c.pct
          ? { numFmt: '0.0%' }
          : c.signedPct
            ? { numFmt: SIGNED_PCT_FORMAT }
            : c.date
              ? { numFmt: DATE_FORMAT }
              : {},
  }));
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).alignment = { vertical: 'middle' };
  // Text that Excel would take for a formula once edited is neutralised (a provider named =HYPERLINK(…)).
  for (const r of rows)
    ws.addRow(
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' ? neutraliseFormula(v) : v])),
    );
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(1, rows.length + 1), column: cols.length } };
  return ws;
}

/** A sheet as plain data: what an app service hands to this adapter. */
export interface XlsxSheet {
  name: string;
  columns: XlsxColumn[];
  rows: Record<string, string | number | Date | null>[];
}

/** A workbook of plain sheets (frozen, filterable headers; euro cells as numbers) as a Buffer. */
export async function xlsxWorkbook(sheets: readonly XlsxSheet[], opts: { created?: Date } = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Grip';
  if (opts.created) wb.created = opts.created;
  for (const s of sheets) sheet(wb, s.name, s.columns, s.rows);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The workbook as a Buffer (for a file or a download). */
export async function xlsxExport(d: ExportData): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Grip';
  const name = (c: string) => d.names.get(c) ?? c;

  sheet(
    wb,
    SHEETS.costs,
    [
      { header: 'Gemeente (CBS)', key: 'code', width: 14 },
      { header: 'Gemeente', key: 'name', width: 24 },
      { header: 'Productiemaand', key: 'month', width: 14 },
      { header: 'Categorie', key: 'category', width: 10 },
      { header: 'Omschrijving', key: 'categoryName', width: 36 },
      { header: 'Kosten (netto)', key: 'amount', width: 16, money: true },
      { header: 'Cliënten', key: 'clients', width: 10 },
      { header: 'Regels', key: 'lines', width: 10 },
    ],
    d.costs.map((r) => ({
      code: r.municipality,
      name: name(r.municipality),
      month: r.month,
      category: r.category,
      categoryName: PRODUCT_CATEGORIES[r.category] ?? '',
      amount: euros(r.amountCents),
      clients: r.clients,
      lines: r.lines,
    })),
  );

  const fcCols: XlsxColumn[] = [
    { header: 'Gemeente (CBS)', key: 'code', width: 14 },
    { header: 'Gemeente', key: 'name', width: 24 },
    { header: 'Jaar', key: 'year', width: 8 },
    { header: 'Stand per', key: 'asOf', width: 12, date: true },
    { header: 'Gedeclareerd', key: 'declared', width: 16, money: true },
    { header: 'Nog te declareren', key: 'ibnr', width: 16, money: true },
    { header: 'Resterende maanden', key: 'remaining', width: 18, money: true },
    { header: 'Prognose', key: 'forecast', width: 16, money: true },
    { header: 'Ondergrens (p10)', key: 'low', width: 16, money: true },
    { header: 'Bovengrens (p90)', key: 'high', width: 16, money: true },
  ];
  const fcRow = (code: string, nm: string, f: ExportData['forecastTotal']) => ({
    code,
    name: nm,
    year: d.year,
    asOf: excelDate(d.forecastAsOf),
    declared: euros(f.declaredCents),
    ibnr: euros(f.ibnrCents),
    remaining: euros(f.remainingCents),
    forecast: euros(f.forecastCents),
    low: euros(f.lowCents),
    high: euros(f.highCents),
  });
  const fc = sheet(wb, SHEETS.forecast, fcCols, [
    ...d.forecast.map((f) => fcRow(f.municipality, name(f.municipality), f)),
    fcRow('regio', 'Regio (eigen bandbreedte)', d.forecastTotal),
  ]);
  fc.lastRow!.font = { bold: true };

  const fBy = new Map(d.forecast.map((f) => [f.municipality, f]));
  const budgetCodes = [...new Set([...d.names.keys(), ...d.budgets.keys()])].sort();
  sheet(
    wb,
    SHEETS.budgets,
    [
      { header: 'Gemeente (CBS)', key: 'code', width: 14 },
      { header: 'Gemeente', key: 'name', width: 24 },
      { header: 'Jaar', key: 'year', width: 8 },
      { header: 'Begroting', key: 'budget', width: 16, money: true },
      { header: 'Prognose', key: 'forecast', width: 16, money: true },
      {
        header: 'Verschil (prognose − begroting; + is overschrijding)',
        key: 'difference',
        width: 28,
        signedMoney: true,
      },
      { header: 'Opmerking', key: 'note', width: 26 },
    ],
    budgetCodes.map((c) => {
      const b = d.budgets.get(c);
      const f = fBy.get(c)?.forecastCents ?? 0;
      return {
        code: c,
        name: name(c),
        year: d.year,
        budget: b === undefined ? null : euros(b),
        forecast: euros(f),
        difference: b === undefined ? null : euros(f - b),
        note:
          b === undefined
            ? 'geen begroting ingevoerd'
            : d.budgetExamples?.has(c)
              ? 'VOORBEELD: voorbeeldbegroting, geen vastgestelde begroting'
              : '',
      };
    }),
  );

  sheet(
    wb,
    SHEETS.backtest,
    [
      { header: 'Gemeente (CBS)', key: 'code', width: 14 },
      { header: 'Gemeente', key: 'name', width: 24 },
      { header: 'Jaar', key: 'year', width: 8 },
      { header: 'Stand per maand', key: 'asOfMonth', width: 14 },
      { header: 'Werkelijk', key: 'actual', width: 16, money: true },
      { header: 'Prognose Grip', key: 'grip', width: 16, money: true },
      { header: 'Run-rate', key: 'naive', width: 16, money: true },
      { header: 'Vorig jaar als maatstaf', key: 'lastYear', width: 18, money: true },
      { header: 'Ondergrens (p10)', key: 'low', width: 16, money: true },
      { header: 'Bovengrens (p90)', key: 'high', width: 16, money: true },
      { header: 'Afwijking Grip (prognose − werkelijk)', key: 'error', width: 20, signedPct: true },
      { header: 'Binnen bandbreedte', key: 'inside', width: 18 },
    ],
    d.backtest.map((c) => ({
      code: c.municipality,
      name: name(c.municipality),
      year: c.year,
      asOfMonth: c.asOfMonth,
      actual: euros(c.actualCents),
      grip: euros(c.gripCents),
      naive: euros(c.naiveCents),
      lastYear: c.lastYearCents === null ? null : euros(c.lastYearCents),
      low: c.lowCents === null ? null : euros(c.lowCents),
      high: c.highCents === null ? null : euros(c.highCents),
      error: c.actualCents ? (c.gripCents - c.actualCents) / c.actualCents : null,
      inside:
        c.lowCents === null || c.highCents === null
          ? 'niet getoetst (geen eerdere jaren)'
          : c.actualCents >= c.lowCents && c.actualCents <= c.highCents
            ? 'ja'
            : 'nee',
    })),
  );

  return Buffer.from(await wb.xlsx.writeBuffer());
}
