/**
 * Reading and writing the steering CSV files (budgets, local provisions, measures, targets, KPIs) with
 * csv-parse / csv-stringify. Errors name the file, the line, the column and what is wrong.
 *
 * Files: UTF-8 (a BOM is fine), comma or semicolon (taken from the header line), one header line with the
 * column names as documented per file; empty lines are skipped; values are trimmed.
 */
import { parse } from 'csv-parse/sync';
import { excerpt, neutraliseFormula } from '../domain/text.js';
import { stringify } from 'csv-stringify/sync';
import { cbsMunicipality, normaliseMunicipalityCode } from '../domain/codes/index.js';
import { GripError } from '../domain/errors.js';
import { at } from '../domain/indexing.js';
import { parseCents, parseEuros, type Cents } from '../domain/money.js';
import { isIsoDate, isMonthKey, type IsoDate, type MonthKey } from '../domain/month.js';

export interface CsvSpec {
  required: readonly string[];
  optional?: readonly string[];
  /** Groups of which exactly one column must be present (e.g. amountCents or amountEuros). */
  oneOf?: readonly (readonly string[])[];
  /** Further columns allowed by name pattern (e.g. savings2025Euros). */
  patterns?: readonly RegExp[];
}

/** One data record of a CSV file, with typed getters that throw a located error. */
export class CsvRecord {
  constructor(
    readonly file: string,
    readonly line: number,
    private readonly values: Readonly<Record<string, string>>,
    private readonly header: readonly string[],
  ) {}

  /** The column names of the file. */
  get columns(): readonly string[] {
    return this.header;
  }

  has(col: string): boolean {
    return this.header.includes(col);
  }

  /** The raw (trimmed) value; '' when the column is absent or empty. */
  raw(col: string): string {
    return this.values[col] ?? '';
  }

  fail(col: string, what: string): GripError {
    const idx = this.header.indexOf(col);
    return new GripError('CSV_VALUE', `column ${col}: ${what}`, {
      file: this.file,
      line: this.line,
      ...(idx >= 0 ? { column: idx + 1 } : {}),
    });
  }

  text(col: string): string {
    const v = this.raw(col);
    if (!v) throw this.fail(col, 'is empty');
    return v;
  }

  optText(col: string): string | null {
    return this.raw(col) || null;
  }

  municipality(col = 'municipality'): string {
    const v = this.raw(col);
    const code = normaliseMunicipalityCode(v);
    if (!code || !cbsMunicipality(code))
      throw this.fail(col, `"${excerpt(v)}" is not a CBS municipality code (use 0482 or GM0482)`);
    return code;
  }

  year(col: string): number {
    const v = this.raw(col);
    if (!/^\d{4}$/.test(v)) throw this.fail(col, `"${excerpt(v)}" is not a year (YYYY)`);
    return Number(v);
  }

  optYear(col: string): number | null {
    return this.raw(col) ? this.year(col) : null;
  }

  date(col: string): IsoDate {
    const v = this.raw(col);
    if (!isIsoDate(v)) throw this.fail(col, `"${excerpt(v)}" is not a date (YYYY-MM-DD)`);
    return v;
  }

  month(col: string): MonthKey {
    const v = this.raw(col);
    if (!isMonthKey(v)) throw this.fail(col, `"${excerpt(v)}" is not a month (YYYY-MM)`);
    return v;
  }

  optMonth(col: string): MonthKey | null {
    return this.raw(col) ? this.month(col) : null;
  }

  /** A decimal number with a point or a comma ("12.5", "12,5"). */
  number(col: string): number {
    const v = this.raw(col);
    if (!/^-?\d+([.,]\d+)?$/.test(v)) throw this.fail(col, `"${excerpt(v)}" is not a number`);
    return Number(v.replace(',', '.'));
  }

  optNumber(col: string): number | null {
    return this.raw(col) ? this.number(col) : null;
  }

  oneOfValues<T extends string>(col: string, allowed: readonly T[]): T {
    const v = this.raw(col);
    if (!(allowed as readonly string[]).includes(v))
      throw this.fail(col, `"${excerpt(v)}" is not one of: ${allowed.join(', ')}`);
    return v as T;
  }

  /**
   * An amount from `<base>Cents` (whole eurocents, e.g. 520000000) or `<base>Euros` (euros with at most two
   * decimals, e.g. 5200000, 5.200.000,00 or 5200000.00), whichever column the file has.
   */
  amount(base: string): Cents {
    const c = `${base}Cents`;
    const e = `${base}Euros`;
    try {
      if (this.has(c)) return parseCents(this.raw(c), c);
      return parseEuros(this.raw(e), e);
    } catch {
      const col = this.has(c) ? c : e;
      throw this.fail(
        col,
        `"${excerpt(this.raw(col))}" is not ${this.has(c) ? 'a whole number of eurocents' : 'an amount in euros'}`,
      );
    }
  }

  optAmount(base: string): Cents | null {
    const col = this.has(`${base}Cents`) ? `${base}Cents` : `${base}Euros`;
    return this.raw(col) ? this.amount(base) : null;
  }
}

/** Parses a CSV text into records; checks the header against the spec. */
export function readCsv(text: string, file: string, spec: CsvSpec): CsvRecord[] {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const delimiter = firstLine.split(';').length > firstLine.split(',').length ? ';' : ',';
  let rows: string[][];
  try {
    rows = parse(text, {
      delimiter,
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }) as string[][];
  } catch (e) {
    const err = e as Error & { lines?: number };
    throw new GripError('CSV_MALFORMED', `not valid CSV: ${excerpt(err.message, 160)}`, {
      file,
      ...(err.lines ? { line: err.lines } : {}),
    });
  }
  const [header] = rows;
  if (!header) throw new GripError('CSV_EMPTY', 'the file is empty; expected a header line', { file });
  const known = new Set([...spec.required, ...(spec.optional ?? []), ...(spec.oneOf ?? []).flat()]);
  header.forEach((h, i) => {
    if (!known.has(h) && !(spec.patterns ?? []).some((p) => p.test(h)))
      throw new GripError(
        'CSV_HEADER',
        `column ${i + 1}: unknown column "${excerpt(h)}"; expected ${[...known].join(', ')}`,
        { file, line: 1, column: i + 1 },
      );
    if (header.indexOf(h) !== i)
      throw new GripError('CSV_HEADER', `column ${i + 1}: column "${excerpt(h)}" appears twice`, {
        file,
        line: 1,
        column: i + 1,
      });
  });
  for (const r of spec.required)
    if (!header.includes(r)) throw new GripError('CSV_HEADER', `missing column "${r}"`, { file, line: 1 });
  for (const group of spec.oneOf ?? []) {
    const present = group.filter((g) => header.includes(g));
    if (present.length !== 1)
      throw new GripError('CSV_HEADER', `give exactly one of the columns ${group.join(' or ')}`, { file, line: 1 });
  }
  // Line numbers: csv-parse skipped empty lines, so count them from the text via the parser's info.
  const withInfo = parse(text, {
    delimiter,
    bom: true,
    trim: true,
    skip_empty_lines: true,
    relax_column_count: true,
    info: true,
  }) as { record: string[]; info: { lines: number } }[];
  return withInfo.slice(1).map(({ record, info }) => {
    if (record.length !== header.length)
      throw new GripError('CSV_MALFORMED', `has ${record.length} fields, the header has ${header.length}`, {
        file,
        line: info.lines,
      });
    return new CsvRecord(file, info.lines, Object.fromEntries(header.map((h, i) => [h, at(record, i)])), header);
  });
}

/**
 * CSV for Dutch Excel (a download for people, not a file to import again): semicolon-separated, a UTF-8
 * BOM (so Excel reads é and € right), CRLF line ends. Give amounts with `eurosNl` (euros, decimal comma).
 */
export function writeCsvNl(
  header: readonly string[],
  rows: readonly (readonly (string | number | null | undefined)[])[],
): string {
  const cell = (v: string | number | null | undefined) =>
    v === null || v === undefined ? '' : typeof v === 'number' ? String(v).replace('.', ',') : neutraliseFormula(v);
  return stringify([header as string[], ...rows.map((r) => r.map(cell))], {
    delimiter: ';',
    bom: true,
    record_delimiter: 'windows',
  });
}

/** Cents as euros with a decimal comma and no thousands separator, for Dutch Excel: -123456 → "-1234,56". */
export function eurosNl(cents: Cents | null | undefined): string {
  if (cents === null || cents === undefined) return '';
  const abs = Math.abs(cents);
  return `${cents < 0 ? '-' : ''}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
}

/** Writes rows as CSV with a header line (comma-separated, UTF-8, `\n`); text that Excel would read as a formula is neutralised. */
export function writeCsv(
  header: readonly string[],
  rows: readonly (readonly (string | number | null | undefined)[])[],
): string {
  return stringify([
    header as string[],
    ...rows.map((r) =>
      r.map((v) => (v === null || v === undefined ? '' : typeof v === 'number' ? String(v) : neutraliseFormula(v))),
    ),
  ]);
}
