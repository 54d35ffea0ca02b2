/**
 * The provider register (`grip providers`): AGB code → name (optional KvK number and type of care), read from
 * CSV or XLSX, so pages, reports and exports show a provider's name instead of a bare code.
 *
 * CSV (UTF-8, comma or semicolon, one header line) or XLSX (first worksheet, header in row 1), columns:
 *   agb,name,kvk,careType
 *   41000000,Jeugdzorg De Linde,12345678,Jeugd-GGZ
 * - agb: AGB code (8 digits); name: the provider's name; kvk: empty or 8 digits; careType: free text, may be empty
 * A row with the AGB code of a stored one replaces it; the same code twice in one file is refused. The whole
 * file is imported or nothing; a bad value is reported with file, line (row) and column.
 */
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { GripError } from '../domain/errors.js';
import type { Provider, StoredProvider } from '../warehouse/types.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { readCsv, writeCsv, type CsvRecord, type CsvSpec } from './csv.js';

export type { Provider, StoredProvider };

export const PROVIDER_CSV_COLUMNS = ['agb', 'name', 'kvk', 'careType'] as const;

export const PROVIDER_CSV: CsvSpec = { required: ['agb', 'name'], optional: ['kvk', 'careType'] };

function providerRow(r: CsvRecord): Provider {
  const agb = r.raw('agb');
  if (!/^\d{8}$/.test(agb)) throw r.fail('agb', `"${agb}" is not an AGB code (8 digits)`);
  const name = r.text('name');
  if (name.length > 200) throw r.fail('name', 'is longer than 200 characters');
  const kvk = r.optText('kvk');
  if (kvk !== null && !/^\d{8}$/.test(kvk)) throw r.fail('kvk', `"${kvk}" is not a KvK number (8 digits)`);
  return { agb, name, kvk, careType: r.optText('careType') };
}

/** Parses a provider register as CSV text; throws a GripError naming file, line and column at the first bad value. */
export function parseProviderCsv(text: string, file: string): Provider[] {
  const seen = new Map<string, number>();
  return readCsv(text, file, PROVIDER_CSV).map((r) => {
    const p = providerRow(r);
    const first = seen.get(p.agb);
    if (first !== undefined) throw r.fail('agb', `AGB code ${p.agb} also on line ${first}`);
    seen.set(p.agb, r.line);
    return p;
  });
}

/**
 * The first worksheet of an XLSX file as CSV text, one text line per worksheet row (an empty row stays an empty
 * line), so the CSV reader's line numbers are the worksheet's row numbers.
 */
export async function xlsxToCsv(data: Buffer, file: string): Promise<string> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(data as unknown as ArrayBuffer);
  } catch (e) {
    throw new GripError('XLSX_MALFORMED', `not a readable XLSX file: ${(e as Error).message}`, { file });
  }
  const ws = wb.worksheets[0];
  if (!ws) throw new GripError('XLSX_EMPTY', 'the workbook has no worksheet', { file });
  const rows: string[][] = [];
  for (let i = 1; i <= ws.rowCount; i++) {
    const row = ws.getRow(i);
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) {
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- exceljs leaves a hyperlink cell without text undefined
      const text = row.getCell(c).text ?? '';
      if (/[\r\n]/.test(text))
        throw new GripError('XLSX_VALUE', `cell ${row.getCell(c).address} holds a line break`, {
          file,
          line: i,
          column: c,
        });
      cells.push(text);
    }
    while (cells.length && cells[cells.length - 1] === '') cells.pop();
    rows.push(cells);
  }
  return rows.map((r) => (r.length ? stringify([r]).replace(/\n$/, '') : '')).join('\n') + '\n';
}

/** Reads a register file (`.csv` or `.xlsx`) into provider rows; errors name the file, line (row) and column. */
export async function readProviderFile(path: string): Promise<Provider[]> {
  const ext = extname(path).toLowerCase();
  if (ext === '.xlsx') return parseProviderCsv(await xlsxToCsv(readFileSync(path), path), path);
  if (ext === '.csv' || ext === '.txt') return parseProviderCsv(readFileSync(path, 'utf8'), path);
  throw new GripError('PROVIDER_FILE_TYPE', 'expected a .csv or .xlsx file', { file: path });
}

/** Stores provider rows (all or nothing); returns the number of rows. */
export async function saveProviderRows(
  w: Warehouse,
  rows: Provider[],
  file: string,
  who: { enteredBy: string; enteredAt?: string },
): Promise<number> {
  if (!rows.length) throw new GripError('CSV_EMPTY', 'the file has no providers', { file });
  await w.saveProviders(rows, {
    source: basename(file),
    enteredBy: who.enteredBy,
    enteredAt: who.enteredAt ?? new Date().toISOString(),
  });
  return rows.length;
}

/** Reads a register file (`.csv` or `.xlsx`) and stores it (all or nothing); returns the number of providers. */
export async function importProviderFile(
  w: Warehouse,
  path: string,
  who: { enteredBy: string; enteredAt?: string },
): Promise<number> {
  return saveProviderRows(w, await readProviderFile(path), path, who);
}

/** The stored register as CSV; `grip providers import` reads it back. */
export async function providersCsv(w: Warehouse): Promise<string> {
  return writeCsv(
    PROVIDER_CSV_COLUMNS,
    (await w.providers()).map((p) => [p.agb, p.name, p.kvk, p.careType]),
  );
}

/** AGB code → name, for labels. */
export async function providerNames(w: Warehouse): Promise<Map<string, string>> {
  return new Map((await w.providers()).map((p) => [p.agb, p.name]));
}
