/**
 * Case-system exports of a generated region, in the shapes of two common Dutch case systems, made from the
 * generator's own Grip CSV (`grip generate --format csv`), so they hold exactly the generated records:
 *
 * - Suite4-like CSV: `;`, dd-mm-jjjj dates, euro amounts with a decimal comma and a thousands point, a
 *   signed amount (credit negative), the municipality by name, the BSN, product codes with their category,
 *   units by name (Windows line ends, UTF-8 with BOM, as Excel saves it).
 * - iSD-like XLSX: one worksheet per municipality (named after it), dates as Excel serials, amounts as
 *   numbers with a D/C column, the case system's own client number (not the BSN), the category and the
 *   product code without it in separate columns, units by code.
 *
 * Their mappings are examples/suite4-declaraties.mapping.json and examples/isd-declaraties.mapping.json.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { UNITS } from '../domain/codes/index.js';

/** One declaration line of Grip's CSV format, as the generator writes it. */
export type GripCsvRecord = Record<string, string>;

export function readGripCsv(path: string): GripCsvRecord[] {
  return parse(readFileSync(path, 'utf8'), { columns: true, bom: true, skip_empty_lines: true }) as GripCsvRecord[];
}

const dmy = (iso: string) => `${iso.slice(8, 10)}-${iso.slice(5, 7)}-${iso.slice(0, 4)}`;

/** Cents as Dutch euro text, from the digits (no floating point): 123456 → "1.234,56", -8500 → "-85,00". */
export function eurosNl(cents: number): string {
  const digits = String(Math.abs(cents)).padStart(3, '0');
  const whole = digits.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${cents < 0 ? '-' : ''}${whole},${digits.slice(-2)}`;
}

const field = (r: GripCsvRecord, k: string) => r[k] ?? '';

/** The Suite4-like CSV text of these records; `names` gives each municipality code its name. */
export function suite4Csv(records: readonly GripCsvRecord[], names: ReadonlyMap<string, string>): string {
  const rows = records.map((r) => {
    const cents = Number(field(r, 'amountCents'));
    const signedCents = field(r, 'debitCredit') === 'C' ? -cents : cents;
    return [
      names.get(field(r, 'municipality')) ?? field(r, 'municipality'),
      field(r, 'provider'),
      field(r, 'client'),
      field(r, 'declarationNumber'),
      dmy(field(r, 'declarationDate')),
      dmy(field(r, 'periodStart')),
      dmy(field(r, 'periodEnd')),
      field(r, 'productCode'),
      field(r, 'volume'),
      UNITS[field(r, 'unit')] ?? field(r, 'unit'),
      field(r, 'tariffCents') === '' ? '' : eurosNl(Number(field(r, 'tariffCents'))),
      eurosNl(signedCents),
      field(r, 'referrer'),
      field(r, 'allocationNumber'),
    ];
  });
  const header = [
    'Gemeente',
    'AGB-code',
    'BSN',
    'Factuurnummer',
    'Factuurdatum',
    'Begindatum',
    'Einddatum',
    'Productcode',
    'Aantal',
    'Eenheid',
    'Tarief',
    'Bedrag',
    'Verwijzer',
    'Toewijzingsnummer',
  ];
  return '\uFEFF' + stringify([header, ...rows], { delimiter: ';', record_delimiter: 'windows' });
}

/** Days from 1899-12-30 to 1970-01-01: an ISO date → its Excel serial (1900 system, dates after 1900-02-28). */
export function excelSerial(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 86_400_000 + 25_569;
}

/**
 * Cents as the number an XLSX cell holds in euros. The double nearest to n/100 prints back as exactly the
 * two-decimal text (for |n| < 2^53 / 100), which is how Grip's reader reads it.
 */
const euroCell = (cents: number) => cents / 100;

/** The iSD-like workbook of these records: one sheet per municipality (by name), in code order. */
export async function isdXlsx(
  records: readonly GripCsvRecord[],
  names: ReadonlyMap<string, string>,
  path: string,
): Promise<void> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Grip (fictief voorbeeld)';
  const clientNumbers = new Map<string, string>();
  const clientNumber = (bsn: string) => {
    let n = clientNumbers.get(bsn);
    if (!n) clientNumbers.set(bsn, (n = `CL-${String(clientNumbers.size + 1).padStart(6, '0')}`));
    return n;
  };
  const byMunicipality = new Map<string, GripCsvRecord[]>();
  for (const r of records) {
    const m = field(r, 'municipality');
    const list = byMunicipality.get(m);
    if (list) list.push(r);
    else byMunicipality.set(m, [r]);
  }
  for (const [code, list] of [...byMunicipality].sort(([a], [b]) => a.localeCompare(b))) {
    const ws = wb.addWorksheet(names.get(code) ?? code);
    ws.addRow([
      'Cliëntnummer',
      'AGB',
      'Notanummer',
      'Datum nota',
      'Periode van',
      'Periode t/m',
      'Categorie',
      'Product',
      'Aantal',
      'Eenheid',
      'Tarief',
      'Bedrag',
      'D/C',
      'Beschikking',
    ]);
    for (const r of list) {
      ws.addRow([
        clientNumber(field(r, 'client')),
        Number(field(r, 'provider')),
        field(r, 'declarationNumber'),
        excelSerial(field(r, 'declarationDate')),
        excelSerial(field(r, 'periodStart')),
        excelSerial(field(r, 'periodEnd')),
        Number(field(r, 'productCategory')),
        field(r, 'productCode').slice(2),
        Number(field(r, 'volume')),
        field(r, 'unit'),
        field(r, 'tariffCents') === '' ? null : euroCell(Number(field(r, 'tariffCents'))),
        euroCell(Number(field(r, 'amountCents'))),
        field(r, 'debitCredit'),
        field(r, 'allocationNumber'),
      ]);
    }
  }
  await wb.xlsx.writeFile(path);
}

/** The municipalities whose records go into the Suite4-like CSV; the others go into the iSD-like workbook. */
export const SUITE4_MUNICIPALITIES: ReadonlySet<string> = new Set(['0482', '0505', '0512', '0523', '0531']);

/** What the examples are made from: a small generated region, declared up to the cut-off. */
export const EXAMPLE_REGION = {
  seed: 23,
  years: [2025, 2025] as [number, number],
  scale: 'small' as const,
  cutoff: '2025-04-30',
};

/**
 * Writes the two example exports of a generated region into `outDir` (`suite4-declaraties.csv`,
 * `isd-declaraties.xlsx`) from the Grip CSV files in `csvDir` (the `csv/` folder of `grip generate --format csv`).
 */
export async function writeExampleExports(
  csvDir: string,
  files: readonly string[],
  outDir: string,
  names: ReadonlyMap<string, string>,
): Promise<{ suite4: string; isd: string; records: number }> {
  // node:path's functions do not use `this`.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const { join } = await import('node:path');
  const { writeFileSync } = await import('node:fs');
  const records = files.flatMap((f) => readGripCsv(join(csvDir, f)));
  const suite4 = join(outDir, 'suite4-declaraties.csv');
  const isd = join(outDir, 'isd-declaraties.xlsx');
  writeFileSync(
    suite4,
    suite4Csv(
      records.filter((r) => SUITE4_MUNICIPALITIES.has(field(r, 'municipality'))),
      names,
    ),
  );
  await isdXlsx(
    records.filter((r) => !SUITE4_MUNICIPALITIES.has(field(r, 'municipality'))),
    names,
    isd,
  );
  return { suite4, isd, records: records.length };
}
