/**
 * Readers for case-system exports: CSV (csv-parse, `;`, `,` or tab, UTF-8 or Windows-1252) and XLSX (exceljs'
 * streaming WorkbookReader: one worksheet row at a time, never the whole workbook in memory). Both give the
 * sheets of a file as rows of cells with their row numbers, for the mapping's row reader (domain/mapping).
 */
import { isUtf8 } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { GripError } from '../../domain/errors.js';
import { MAX_CSV_RECORD } from '../../domain/limits.js';
import type { Cell } from '../../domain/mapping/convert.js';
import { excerpt } from '../../domain/text.js';

export type ExportKind = 'csv' | 'xlsx';

export interface ExportRow {
  /** 1-based row number: the CSV line, or the worksheet row. */
  row: number;
  cells: Cell[];
}
export interface ExportSheet {
  /** The worksheet's name, or null for CSV. */
  sheet: string | null;
  rows: AsyncIterable<ExportRow>;
}

/** The kind of export from the file name: `.csv`/`.txt` or `.xlsx`. */
export function exportKind(path: string): ExportKind {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv' || ext === '.txt') return 'csv';
  if (ext === '.xlsx') return 'xlsx';
  throw new GripError(
    'EXPORT_TYPE',
    `Grip leest exports als .csv of .xlsx, niet als ${ext || 'bestand zonder extensie'}`,
    { file: path },
  );
}

/** Text of a CSV export: UTF-8 (with or without BOM), else Windows-1252 (what Excel writes as "CSV (gescheiden door lijstscheidingsteken)"). */
export function decodeCsv(data: Buffer): string {
  const text = isUtf8(data) ? data.toString('utf8') : new TextDecoder('windows-1252').decode(data);
  return text.replace(/^\uFEFF/, '');
}

/** The most frequent of `;`, `,` and tab in the first line. */
export function sniffDelimiter(text: string): ';' | ',' | '\t' {
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  const count = (c: string) => first.split(c).length - 1;
  const counts: [';' | ',' | '\t', number][] = [
    [';', count(';')],
    [',', count(',')],
    ['\t', count('\t')],
  ];
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0]?.[0] ?? ';';
}

async function* csvRows(text: string, delimiter: string, display: string): AsyncGenerator<ExportRow> {
  const parser = Readable.from([text]).pipe(
    parse({
      delimiter,
      columns: false,
      relax_column_count: true,
      skip_empty_lines: false,
      trim: false,
      info: true,
      max_record_size: MAX_CSV_RECORD,
    }),
  );
  try {
    for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      yield { row: rec.info.lines, cells: rec.record };
    }
  } catch (e) {
    const err = e as Error & { lines?: number };
    throw new GripError(
      'EXPORT_MALFORMED',
      `${err.lines ? `rij ${err.lines}: ` : ''}geen geldige CSV: ${excerpt(err.message, 160)}`,
      { file: display },
    );
  }
}

/** An exceljs cell value as a plain cell: rich text and hyperlinks as their text, formulas as their result. */
export function xlsxCell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) return (o.richText as { text?: string }[]).map((t) => t.text ?? '').join('');
    if ('result' in o) return xlsxCell(o.result);
    if ('formula' in o || 'sharedFormula' in o) return null;
    if (typeof o.text === 'string') return o.text;
    if ('error' in o) return String(o.error);
  }
  // Anything else exceljs may hand over (a bigint, an unknown object) as its own text.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  return String(v);
}

async function* xlsxSheets(path: string, display: string): AsyncGenerator<ExportSheet> {
  const { default: ExcelJS } = await import('exceljs');
  // Styles ignored: date cells arrive as Excel serials (the mapping says `excel`), amounts as numbers.
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'ignore',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  try {
    for await (const ws of reader) {
      const name = (ws as unknown as { name?: string }).name ?? '';
      async function* rows(): AsyncGenerator<ExportRow> {
        for await (const row of ws) {
          const values = row.values as unknown[];
          const cells: Cell[] = [];
          for (let i = 1; i < values.length; i++) cells.push(xlsxCell(values[i]));
          yield { row: row.number, cells };
        }
      }
      yield { sheet: name, rows: rows() };
    }
  } catch (e) {
    if (e instanceof GripError) throw e;
    throw new GripError('EXPORT_MALFORMED', `geen leesbaar XLSX-bestand: ${excerpt((e as Error).message, 160)}`, {
      file: display,
    });
  }
}

/** The sheets of an export, each with its rows (read once, in order). */
export async function* readExportSheets(
  path: string,
  display: string,
  opts: { delimiter?: ';' | ',' | '\t' } = {},
): AsyncGenerator<ExportSheet> {
  if (exportKind(path) === 'xlsx') {
    yield* xlsxSheets(path, display);
    return;
  }
  const text = decodeCsv(readFileSync(path));
  if (text.trim() === '') throw new GripError('EXPORT_EMPTY', 'het bestand is leeg', { file: display });
  yield { sheet: null, rows: csvRows(text, opts.delimiter ?? sniffDelimiter(text), display) };
}
