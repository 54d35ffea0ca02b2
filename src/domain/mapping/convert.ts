/**
 * Converters from the values a case system's export holds to Grip's: dates (dd-mm-jjjj, jjjj-mm-dd, Excel
 * serials), euro amounts (decimal comma or point, thousands separators) to integer cents without floating
 * point, municipalities (name, CBS code or GM code, looked up in the region's own list), product codes with
 * or without their category, volumes, units. Each returns the value or throws a ValueProblem whose message is
 * the Dutch reason ("'twaalf' is geen bedrag"); the row reader adds sheet, row and column.
 */
import { isValidBsn } from '../bsn.js';
import { UNITS, isKnownCategory, isKnownReferrer, isKnownUnit } from '../codes/index.js';
import { isIsoDate, type IsoDate } from '../month.js';
import { excerpt } from '../text.js';
import type { DateFormat, MunicipalityForm } from './schema.js';

/** A cell as a reader gives it: text from CSV; text, a number, a boolean or a date from XLSX; null when empty. */
export type Cell = string | number | boolean | Date | null;

/** A value that cannot be read; the message is Dutch and quotes at most a short, masked excerpt. */
export class ValueProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ValueProblem';
  }
}

/** `'twaalf'`: a short, masked quote of a value for an error message. */
export const quote = (v: string): string => `'${excerpt(v, 30)}'`;

/**
 * A number as the shortest decimal text that reads back as the same double ("12.34", not 12.339999…): an XLSX
 * cell stores amounts as doubles, and this is the text Excel shows. Exponent forms are left as they are (and
 * are then refused by the amount parser).
 */
export function numberText(n: number): string {
  return Number.isFinite(n) ? String(n) : '';
}

/** A cell as trimmed text ('' when empty). Dates become `jjjj-mm-dd` (UTC, as exceljs gives them). */
export function cellText(c: Cell): string {
  if (c === null) return '';
  if (typeof c === 'number') return numberText(c);
  if (typeof c === 'boolean') return c ? 'WAAR' : 'ONWAAR';
  if (c instanceof Date) return Number.isNaN(c.getTime()) ? '' : c.toISOString().slice(0, 10);
  return c.replace(/[\u00a0\u202f]/g, ' ').trim();
}

/** Days from 1899-12-30 (Excel's day 0 for serials after 60) to 1970-01-01. */
const EXCEL_EPOCH_OFFSET = 25_569;
const DAY_MS = 86_400_000;

/**
 * An Excel date serial → `jjjj-mm-dd`. Excel counts 1900-01-01 as 1 and keeps the non-existent 1900-02-29 as
 * 60, so serials from 61 on are one day ahead of a plain day count; 60 itself is refused. A time of day (the
 * fraction) is ignored. Range: 1 (1900-01-01) … 2958465 (9999-12-31).
 */
export function excelSerialToDate(serial: number): IsoDate {
  const day = Math.trunc(serial);
  if (!Number.isFinite(serial) || day < 1 || day > 2_958_465)
    throw new ValueProblem(`${quote(numberText(serial))} is geen Excel-datum`);
  if (day === 60) throw new ValueProblem(`Excel-datum 60 is 29-02-1900, een dag die niet bestond`);
  const days = day < 60 ? day - EXCEL_EPOCH_OFFSET + 1 : day - EXCEL_EPOCH_OFFSET;
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}

const pad2 = (s: string) => s.padStart(2, '0');

/** A date in the given format → `jjjj-mm-dd`. A cell the reader already gives as a date is taken as it is. */
export function parseDate(c: Cell, format: DateFormat): IsoDate {
  if (c instanceof Date) {
    const d = cellText(c);
    if (!d) throw new ValueProblem('is geen datum');
    return d;
  }
  const text = cellText(c);
  if (text === '') throw new ValueProblem('is leeg (een datum verwacht)');
  let iso: string | null = null;
  if (format === 'excel') {
    if (typeof c === 'number') return excelSerialToDate(c);
    if (!/^\d{1,7}(?:\.\d+)?$/.test(text))
      throw new ValueProblem(`${quote(text)} is geen Excel-datum (een dagnummer als 45658)`);
    return excelSerialToDate(Number(text.split('.')[0]));
  }
  if (format === 'dd-mm-jjjj') {
    const m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$/.exec(text);
    if (m) iso = `${m[3]}-${pad2(m[2] ?? '')}-${pad2(m[1] ?? '')}`;
  } else {
    const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?$/.exec(text);
    if (m) iso = `${m[1]}-${pad2(m[2] ?? '')}-${pad2(m[3] ?? '')}`;
  }
  if (iso === null) throw new ValueProblem(`${quote(text)} is geen datum (${format})`);
  if (!isIsoDate(iso)) throw new ValueProblem(`${quote(text)} is geen bestaande datum`);
  return iso;
}

/** The largest amount Grip takes on one line: € 99.999.999.999,99 (13 digits of euros, as money.parseEuros). */
const MAX_EURO_DIGITS = 13;

/**
 * A euro amount → signed integer cents, exactly: the text is split into digits and never goes through a
 * floating-point number. `decimal` is the decimal separator of text cells; the other one, a space or an
 * apostrophe may group thousands (in groups of three). A sign may lead or trail (`-12,50`, `12,50-`), or the
 * amount may stand in parentheses; `€` and `EUR` are allowed. More than two decimals only when the extra ones
 * are zero. A number cell (XLSX) is read through its shortest decimal text, with a point.
 */
export function parseAmount(c: Cell, decimal: ',' | '.'): number {
  const raw = cellText(c);
  if (raw === '') throw new ValueProblem('is leeg (een bedrag verwacht)');
  const dec = typeof c === 'number' ? '.' : decimal;
  let s = raw.replace(/\s+/g, ' ').replace(/\u2212/g, '-');
  let negative = false;
  const paren = /^\((.*)\)$/.exec(s);
  if (paren) {
    negative = true;
    s = paren[1] ?? '';
  }
  s = s.replace(/^(?:€|EUR)\s*/i, '').replace(/\s*(?:€|EUR)$/i, '');
  const lead = /^([-+])\s*(.*)$/.exec(s);
  if (lead) {
    if (lead[1] === '-') negative = !negative;
    s = lead[2] ?? '';
  } else {
    const trail = /^(.*?)\s*([-+])$/.exec(s);
    if (trail) {
      if (trail[2] === '-') negative = !negative;
      s = trail[1] ?? '';
    }
  }
  s = s.replace(/^(?:€|EUR)\s*/i, '');
  const sep = dec === ',' ? "[.\\s']" : "[,\\s']";
  const d = dec === ',' ? ',' : '\\.';
  const m = new RegExp(`^(\\d{1,3}(?:${sep}\\d{3})+|\\d+)(?:${d}(\\d*))?$`).exec(s);
  if (!m) throw new ValueProblem(`${quote(raw)} is geen bedrag`);
  const whole = (m[1] ?? '').replace(/\D/g, '').replace(/^0+(?=\d)/, '');
  let frac = m[2] ?? '';
  if (frac.length > 2) {
    if (/[^0]/.test(frac.slice(2))) throw new ValueProblem(`${quote(raw)} heeft meer dan twee decimalen`);
    frac = frac.slice(0, 2);
  }
  if (whole.length > MAX_EURO_DIGITS) throw new ValueProblem(`${quote(raw)} is groter dan Grip aankan`);
  const cents = Number(whole + frac.padEnd(2, '0'));
  return negative && cents !== 0 ? -cents : cents;
}

/** A whole, non-negative number (a volume): `4`, `4,0`, `4.00` or a number cell. */
export function parseWholeNumber(c: Cell, max: number): number {
  const text = cellText(c);
  if (text === '') throw new ValueProblem('is leeg (een aantal verwacht)');
  const m = /^(\d+)(?:[.,]0*)?$/.exec(text);
  if (!m)
    throw new ValueProblem(/^-/.test(text) ? `${quote(text)} is negatief` : `${quote(text)} is geen geheel aantal`);
  const digits = (m[1] ?? '').replace(/^0+(?=\d)/, '');
  if (digits.length > String(max).length || Number(digits) > max)
    throw new ValueProblem(`${quote(text)} is meer dan de standaard toestaat (${max})`);
  return Number(digits);
}

/** A municipality of the region: code and name, as the warehouse lists them. */
export interface MunicipalityRef {
  code: string;
  name: string;
}

/** Name key: lower case, accents, "gemeente" and punctuation removed ("Gemeente Hendrik-Ido-Ambacht" → "hendrikidoambacht"). */
export function municipalityNameKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/^\s*gemeente\s+/, '')
    .replace(/[^a-z0-9]/g, '');
}

/** Looks municipalities up in the region's list by name, CBS code or GM code. */
export function municipalityResolver(list: readonly MunicipalityRef[]): (c: Cell, form: MunicipalityForm) => string {
  const byCode = new Map(list.map((m) => [m.code, m.code]));
  const byName = new Map(list.map((m) => [municipalityNameKey(m.name), m.code]));
  return (c, form) => {
    const text = cellText(c);
    if (text === '') throw new ValueProblem('is leeg (een gemeente verwacht)');
    let code: string | undefined;
    if (form === 'naam') {
      code = byName.get(municipalityNameKey(text));
      if (!code) throw new ValueProblem(`${quote(text)} is geen gemeente van de regio`);
      return code;
    }
    const m = form === 'gm' ? /^GM\s?(\d{4})$/i.exec(text) : /^(\d{1,4})$/.exec(text);
    if (!m)
      throw new ValueProblem(
        `${quote(text)} is geen ${form === 'gm' ? 'GM-code (GM0482)' : 'CBS-gemeentecode (0482)'}`,
      );
    code = byCode.get((m[1] ?? '').padStart(4, '0'));
    if (!code) throw new ValueProblem(`${quote(text)} is geen gemeente van de regio`);
    return code;
  };
}

/** A JZ020 product category: `45`, `5` → `05` is refused unless it is in the list. */
export function parseCategory(c: Cell): string {
  const text = cellText(c);
  if (text === '') throw new ValueProblem('is leeg (een productcategorie verwacht)');
  const cat = /^\d{1,2}$/.test(text) ? text.padStart(2, '0') : text;
  if (!isKnownCategory(cat)) throw new ValueProblem(`${quote(text)} is geen productcategorie (JZ020)`);
  return cat;
}

/**
 * A product code → `{ category, productCode }`. `withCategory`: the code carries its category (`45A03`,
 * `45-A03`, `45 A03`); else it is the 3-character code within the given category (`A03` in 45 → `45A03`).
 * When both a category and a code with category are given, they must agree.
 */
export function parseProduct(
  code: Cell,
  category: string | null,
  withCategory: boolean,
): { category: string; productCode: string | null } {
  const text = cellText(code)
    .toUpperCase()
    .replace(/[\s\-./]/g, '');
  if (text === '') {
    if (category === null) throw new ValueProblem('is leeg en er is geen productcategorie');
    return { category, productCode: null };
  }
  if (withCategory) {
    const m = /^(\d{2})([A-Z0-9]{3})$/.exec(text);
    if (!m) throw new ValueProblem(`${quote(cellText(code))} is geen productcode met categorie (45A03)`);
    const cat = m[1] ?? '';
    if (!isKnownCategory(cat)) throw new ValueProblem(`${quote(cellText(code))}: categorie ${cat} staat niet in JZ020`);
    if (category !== null && category !== cat)
      throw new ValueProblem(`${quote(cellText(code))} hoort bij categorie ${cat}, niet bij ${category}`);
    return { category: cat, productCode: text };
  }
  if (!/^[A-Z0-9]{3}$/.test(text))
    throw new ValueProblem(`${quote(cellText(code))} is geen productcode zonder categorie (A03)`);
  if (category === null) throw new ValueProblem(`${quote(cellText(code))} heeft een productcategorie nodig`);
  return { category, productCode: `${category}${text}` };
}

const UNIT_BY_NAME = new Map(Object.entries(UNITS).map(([code, name]) => [name.toLowerCase(), code]));
UNIT_BY_NAME.set('stuks', '82');
UNIT_BY_NAME.set('uren', '04');
UNIT_BY_NAME.set('minuten', '01');
UNIT_BY_NAME.set('etmalen', '14');
UNIT_BY_NAME.set('dagdelen', '16');

/** A WJ756 unit, as its code (`04`, `4`) or its name (`uur`, `etmaal`). */
export function parseUnit(c: Cell): string {
  const text = cellText(c);
  if (text === '') throw new ValueProblem('is leeg (een eenheid verwacht)');
  const code = /^\d{1,2}$/.test(text) ? text.padStart(2, '0') : UNIT_BY_NAME.get(text.toLowerCase());
  if (!code || !isKnownUnit(code)) throw new ValueProblem(`${quote(text)} is geen eenheid (WJ756)`);
  return code;
}

/** A COD327 referrer code, or null when empty. */
export function parseReferrer(c: Cell): string | null {
  const text = cellText(c);
  if (text === '') return null;
  const code = /^\d{1,2}$/.test(text) ? text.padStart(2, '0') : text;
  if (!isKnownReferrer(code)) throw new ValueProblem(`${quote(text)} is geen verwijzer (COD327)`);
  return code;
}

/** An AGB code: up to 8 digits (Excel drops leading zeros), stored as 8. */
export function parseAgb(c: Cell): string {
  const text = cellText(c);
  if (text === '') throw new ValueProblem('is leeg (een AGB-code verwacht)');
  if (!/^\d{1,8}$/.test(text)) throw new ValueProblem(`${quote(text)} is geen AGB-code (8 cijfers)`);
  return text.padStart(8, '0');
}

/** D or C from a debit/credit column, matching the mapping's words case-insensitively. */
export function parseDebitCredit(c: Cell, debit: readonly string[], credit: readonly string[]): 'D' | 'C' {
  const text = cellText(c).toLowerCase();
  if (debit.some((d) => d.toLowerCase() === text)) return 'D';
  if (credit.some((d) => d.toLowerCase() === text)) return 'C';
  throw new ValueProblem(`${quote(cellText(c))} is geen debet of credit (${[...debit, ...credit].join(', ')})`);
}

/** A BSN: digits only (spaces and dots removed), 8 or 9 of them, passing the 11-proef. Masked in the message. */
export function parseBsn(c: Cell): string {
  const text = cellText(c).replace(/[\s.]/g, '');
  if (text === '') throw new ValueProblem('is leeg (een BSN verwacht)');
  if (!/^\d{8,9}$/.test(text) || !isValidBsn(text))
    throw new ValueProblem(`${quote(text)} is geen geldig BSN (11-proef)`);
  return text.length === 8 ? `0${text}` : text;
}
