/**
 * Reads the rows of one sheet (or one CSV file) through a mapping into declaration lines. Pure: the caller
 * gives the header, the rows, the region's municipalities and the pseudonymisation functions (which hold
 * Grip's key). Errors name sheet, row and column in Dutch: "blad Declaraties, rij 1.204, kolom Bedrag:
 * 'twaalf' is geen bedrag".
 */
import { GripError } from '../errors.js';
import { MAX_LINE_CENTS, MAX_VOLUME } from '../limits.js';
import { lastDayOfMonth, monthOf, type IsoDate } from '../month.js';
import {
  ValueProblem,
  cellText,
  municipalityResolver,
  parseAgb,
  parseAmount,
  parseBsn,
  parseCategory,
  parseDate,
  parseDebitCredit,
  parseProduct,
  parseReferrer,
  parseUnit,
  parseWholeNumber,
  quote,
  type Cell,
  type MunicipalityRef,
} from './convert.js';
import { mappingSource, type Mapping } from './schema.js';

/** One declaration line as the mapping reads it. Amounts are signed integer cents (credit negative). */
export interface MappedLine {
  municipality: string;
  provider: string;
  /** Pseudonym (`p_…`); never the BSN or the case system's own id. */
  client: string;
  /** Null when the mapping has no declaration number (the importer then numbers the row). */
  declarationNumber: string | null;
  declarationDate: IsoDate;
  periodStart: IsoDate;
  periodEnd: IsoDate;
  category: string;
  productCode: string | null;
  volume: number;
  unit: string;
  tariffCents: number | null;
  amountCents: number;
  debitCredit: 'D' | 'C';
  referrer: string | null;
  allocationNumber: string | null;
  family: string | null;
}

/** What the row reader needs from outside: the region's municipalities and Grip's keyed hashes. */
export interface MappingContext {
  municipalities: readonly MunicipalityRef[];
  /** A valid BSN → Grip's pseudonym (HMAC with Grip's key). */
  pseudonymiseBsn(bsn: string): string;
  /** A client id the case system already pseudonymised → hashed again with Grip's key, per source. */
  pseudonymiseId(source: string, id: string): string;
  /** A family column value → the family key stored (null for none). */
  familyKey(value: string): string | null;
}

const nlInt = new Intl.NumberFormat('nl-NL', { maximumFractionDigits: 0, useGrouping: true });

/** "blad Declaraties, rij 1.204, kolom Bedrag" (no sheet for CSV). */
export function placeText(sheet: string | null, row: number | null, column?: string): string {
  const parts: string[] = [];
  if (sheet !== null) parts.push(`blad ${sheet}`);
  if (row !== null) parts.push(`rij ${nlInt.format(row)}`);
  if (column !== undefined) parts.push(`kolom ${column}`);
  return parts.join(', ');
}

/** An error in a mapped file: the message starts with sheet, row and column. */
export function mappingError(
  code: string,
  file: string,
  sheet: string | null,
  row: number | null,
  column: string | undefined,
  reason: string,
): GripError {
  const place = placeText(sheet, row, column);
  return new GripError(code, place ? `${place}: ${reason}` : reason, { file });
}

/** Column name key for matching a mapping's column with a header: case, accents and spacing ignored. */
export const columnKey = (s: string): string =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();

/** Limits on free-text identifiers (the ledger's columns hold more; these keep rows sane). */
const MAX_ID = 40;

export interface SheetPlace {
  /** The file name for errors. */
  file: string;
  /** The worksheet's name (XLSX) or null (CSV). */
  sheet: string | null;
}

/**
 * A reader for the rows of one sheet: checks the header (every mapped column must be there) and returns a
 * function that maps one row (its cells in header order and its row number) to a line, or null for an empty
 * row. Throws a GripError naming sheet, row and column.
 */
export function sheetReader(
  mapping: Mapping,
  header: readonly Cell[],
  headerRowNumber: number,
  place: SheetPlace,
  ctx: MappingContext,
): (cells: readonly Cell[], row: number) => MappedLine | null {
  const { file, sheet } = place;
  const f = mapping.fields;
  const source = mappingSource(mapping);
  const headerText = header.map((h) => cellText(h));
  const exact = new Map<string, number>();
  const loose = new Map<string, number>();
  headerText.forEach((h, i) => {
    if (h && !exact.has(h)) exact.set(h, i);
    const k = columnKey(h);
    if (k && !loose.has(k)) loose.set(k, i);
  });
  const missing: string[] = [];
  const index = (column: string): number => {
    const i = exact.get(column) ?? loose.get(columnKey(column));
    if (i === undefined) {
      missing.push(column);
      return -1;
    }
    return i;
  };

  type Getter = (cells: readonly Cell[]) => Cell;
  type Src = { column: string } | { value: string };
  const getter = (s: Src): { get: Getter; column: string | undefined } => {
    if ('value' in s) return { get: () => s.value, column: undefined };
    const i = index(s.column);
    return { get: (cells) => cells[i] ?? null, column: s.column };
  };
  const optGetter = (s: Src | undefined) => (s ? getter(s) : null);

  const resolveMunicipality = municipalityResolver(ctx.municipalities);
  let sheetMunicipality: string | null = null;
  const muniField = f.municipality;
  let muni: { get: Getter; column: string | undefined; as: 'naam' | 'cbs' | 'gm' | null } | null = null;
  if ('sheet' in muniField) {
    if (sheet === null)
      throw mappingError(
        'MAPPING_SHEET',
        file,
        null,
        null,
        undefined,
        'de mapping haalt de gemeente uit de bladnaam, maar een CSV-bestand heeft geen bladen',
      );
    try {
      sheetMunicipality = resolveMunicipality(sheet, muniField.as);
    } catch (e) {
      if (e instanceof ValueProblem)
        throw mappingError('MAPPING_VALUE', file, sheet, null, undefined, `de bladnaam ${e.message}`);
      throw e;
    }
  } else if ('column' in muniField) {
    muni = { ...getter({ column: muniField.column }), as: muniField.as };
  } else {
    muni = { ...getter({ value: muniField.value }), as: null };
  }

  const provider = getter(f.provider);
  const client = getter({ column: f.client.column });
  const declarationNumber = optGetter(f.declarationNumber);
  const dateGetter = (d: typeof f.declarationDate) =>
    'column' in d
      ? { ...getter({ column: d.column }), format: d.format }
      : { get: () => d.value, column: undefined, format: 'jjjj-mm-dd' as const };
  const declarationDate = dateGetter(f.declarationDate);
  const periodStart = dateGetter(f.periodStart);
  const periodEnd = f.periodEnd ? dateGetter(f.periodEnd) : null;
  const category = optGetter(f.category);
  const productCode = f.productCode
    ? { ...getter({ column: f.productCode.column }), withCategory: f.productCode.withCategory }
    : null;
  const volume = optGetter(f.volume);
  const unit = getter(f.unit);
  const tariff = f.tariff ? { ...getter({ column: f.tariff.column }), decimal: f.tariff.decimal } : null;
  const amount = { ...getter({ column: f.amount.column }), decimal: f.amount.decimal };
  const credit =
    'column' in f.credit
      ? { ...getter({ column: f.credit.column }), debit: f.credit.debit, credit: f.credit.credit }
      : null;
  const referrer = optGetter(f.referrer);
  const allocationNumber = optGetter(f.allocationNumber);
  const family = optGetter(f.family);
  if (!category && !productCode?.withCategory) {
    throw mappingError(
      'MAPPING_FIELDS',
      file,
      sheet,
      null,
      undefined,
      'de mapping geeft geen productcategorie: wijs een kolom category aan, of een productcode met categorie',
    );
  }

  if (missing.length) {
    const found = headerText.filter(Boolean);
    throw mappingError(
      'MAPPING_HEADER',
      file,
      sheet,
      headerRowNumber,
      undefined,
      `${missing.length === 1 ? 'kolom' : 'kolommen'} ${missing.map((m) => quote(m)).join(', ')} ${missing.length === 1 ? 'ontbreekt' : 'ontbreken'} in de kopregel (gevonden: ${found
        .slice(0, 12)
        .map((m) => quote(m))
        .join(', ')}${found.length > 12 ? ', …' : ''})`,
    );
  }

  return (cells, row) => {
    if (cells.every((c) => cellText(c) === '')) return null;
    let column: string | undefined;
    const at = <T>(g: { get: Getter; column: string | undefined }, fn: (c: Cell) => T): T => {
      column = g.column;
      return fn(g.get(cells));
    };
    const optText = (g: { get: Getter; column: string | undefined } | null, what: string): string | null => {
      if (!g) return null;
      return at(g, (c) => {
        const t = cellText(c);
        if (t.length > MAX_ID) throw new ValueProblem(`${what} is langer dan ${MAX_ID} tekens`);
        return t || null;
      });
    };
    try {
      const municipality =
        sheetMunicipality ??
        at(muni!, (c) =>
          muni!.as
            ? resolveMunicipality(c, muni!.as)
            : resolveMunicipality(c, /^GM/i.test(cellText(c)) ? 'gm' : /^\d+$/.test(cellText(c)) ? 'cbs' : 'naam'),
        );
      const providerCode = at(provider, parseAgb);
      const clientId = at(client, (c) => {
        if (f.client.as === 'bsn') return ctx.pseudonymiseBsn(parseBsn(c));
        const id = cellText(c);
        if (id === '') throw new ValueProblem('is leeg (een cliëntnummer verwacht)');
        if (id.length > 200) throw new ValueProblem('is langer dan 200 tekens');
        return ctx.pseudonymiseId(source, id);
      });
      const declNo = optText(declarationNumber, 'het declaratienummer');
      const declDate = at(declarationDate, (c) => parseDate(c, declarationDate.format));
      const start = at(periodStart, (c) => parseDate(c, periodStart.format));
      const end = periodEnd ? at(periodEnd, (c) => parseDate(c, periodEnd.format)) : lastDayOfMonth(monthOf(start));
      if (end < start) {
        column = periodEnd?.column;
        throw new ValueProblem(`einddatum ${end} ligt voor begindatum ${start}`);
      }
      const cat = category ? at(category, parseCategory) : null;
      const product = productCode
        ? at(productCode, (c) => parseProduct(c, cat, productCode.withCategory))
        : { category: cat!, productCode: null };
      const vol = volume ? at(volume, (c) => parseWholeNumber(c, MAX_VOLUME)) : 1;
      const unitCode = at(unit, parseUnit);
      const tariffCents = tariff
        ? at(tariff, (c) => {
            if (cellText(c) === '') return null;
            const t = parseAmount(c, tariff.decimal);
            if (t < 0 || t > MAX_LINE_CENTS)
              throw new ValueProblem(`${quote(cellText(c))} is geen tarief tussen 0 en ${MAX_LINE_CENTS / 100} euro`);
            return t;
          })
        : null;
      let cents = at(amount, (c) => parseAmount(c, amount.decimal));
      let dc: 'D' | 'C';
      if (credit) {
        if (cents < 0)
          throw new ValueProblem(
            `${quote(cellText(amount.get(cells)))} is negatief, terwijl kolom ${credit.column} debet of credit aangeeft`,
          );
        dc = at(credit, (c) => parseDebitCredit(c, credit.debit, credit.credit));
        if (dc === 'C') cents = -cents;
      } else {
        dc = cents < 0 ? 'C' : 'D';
      }
      column = amount.column;
      if (Math.abs(cents) > MAX_LINE_CENTS)
        throw new ValueProblem(
          `${quote(cellText(amount.get(cells)))} is meer dan de standaard per regel toestaat (€ 999.999,99)`,
        );
      const ref = referrer ? at(referrer, parseReferrer) : null;
      const alloc = optText(allocationNumber, 'het toewijzingsnummer');
      const fam = family
        ? at(family, (c) => {
            const t = cellText(c);
            return t ? ctx.familyKey(t) : null;
          })
        : null;
      return {
        municipality,
        provider: providerCode,
        client: clientId,
        declarationNumber: declNo,
        declarationDate: declDate,
        periodStart: start,
        periodEnd: end,
        category: product.category,
        productCode: product.productCode,
        volume: vol,
        unit: unitCode,
        tariffCents,
        amountCents: cents,
        debitCredit: dc,
        referrer: ref,
        allocationNumber: alloc,
        family: fam,
      };
    } catch (e) {
      if (e instanceof ValueProblem) throw mappingError('MAPPING_VALUE', file, sheet, row, column, e.message);
      throw e;
    }
  };
}
