/**
 * CSV declarations, for regions whose case system exports CSV instead of iJw XML.
 * Header (comma or semicolon, UTF-8, optional trailing `family` column):
 *   municipality,provider,client,declarationNumber,declarationDate,productCategory,productCode,periodStart,
 *   periodEnd,volume,unit,tariffCents,amountCents,debitCredit,referrer,allocationNumber
 */
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { GripError } from '../domain/errors.js';
import { isIsoDate } from '../domain/month.js';
import { excerpt, excerpts } from '../domain/text.js';
import {
  cbsMunicipality,
  isKnownCategory,
  isKnownReferrer,
  isKnownUnit,
  normaliseMunicipalityCode,
} from '../domain/codes/index.js';
import { CSV_MAX_LENGTH, MAX_CSV_RECORD, MAX_LINE_CENTS, MAX_VOLUME } from '../domain/limits.js';
import type { FileCounts, ImportSession, RowSink, SourceFileMeta } from '../warehouse/warehouse.js';
import type { Pseudonymiser } from './pseudonymise.js';
import { csvFamilyKey } from './family.js';

export const CSV_COLUMNS = [
  'municipality',
  'provider',
  'client',
  'declarationNumber',
  'declarationDate',
  'productCategory',
  'productCode',
  'periodStart',
  'periodEnd',
  'volume',
  'unit',
  'tariffCents',
  'amountCents',
  'debitCredit',
  'referrer',
  'allocationNumber',
] as const;
const OPTIONAL_COLUMNS = ['family'];

/** `csv:` marks reference numbers Grip made up for CSV lines (CSV has no ReferentieNummer). */
export const CSV_REFERENCE_PREFIX = 'csv:';

const delimiterOf = (firstLine: string): ',' | ';' =>
  (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';

/** What is wrong with a header, or null when it is Grip's CSV format (quoting at most a short, masked excerpt). */
function headerProblem(header: string[]): string | null {
  const missing = CSV_COLUMNS.filter((c) => !header.includes(c));
  const extra = header.filter((c) => !(CSV_COLUMNS as readonly string[]).includes(c) && !OPTIONAL_COLUMNS.includes(c));
  if (!missing.length && !extra.length) return null;
  return `the header does not match Grip's CSV format${missing.length ? `; missing: ${missing.join(', ')}` : ''}${extra.length ? `; unknown: ${excerpts(extra)}${missing.length === CSV_COLUMNS.length ? ' (is the header line missing?)' : ''}` : ''} (expected: ${CSV_COLUMNS.join(',')})`;
}

/**
 * True when a CSV header is that of a contracted tariff list (`grip tariffs import`), not declarations — e.g.
 * the tarieven.csv that `grip generate --insight` writes beside the messages.
 */
export function isTariffListHeader(firstLine: string): boolean {
  let cols: string[];
  try {
    cols = (parseSync(firstLine, { delimiter: delimiterOf(firstLine), bom: true, trim: true }) as string[][])[0] ?? [];
  } catch {
    return false;
  }
  return (
    ['provider', 'productCategory', 'unit', 'validFrom'].every((c) => cols.includes(c)) &&
    !cols.includes('declarationNumber')
  );
}

/**
 * True when a CSV header is that of a provider register (`grip providers import`), not declarations — e.g.
 * the aanbieders.csv that `grip generate` writes beside the messages.
 */
export function isProviderRegisterHeader(firstLine: string): boolean {
  let cols: string[];
  try {
    cols = (parseSync(firstLine, { delimiter: delimiterOf(firstLine), bom: true, trim: true }) as string[][])[0] ?? [];
  } catch {
    return false;
  }
  return cols.includes('agb') && cols.includes('name') && !cols.includes('declarationNumber');
}

/** Sender or receiver of a file: the one there is, '' for none, 'meerdere' for several. */
const oneOf = (count: number, first: string | null) => (count === 1 ? (first ?? '') : count === 0 ? '' : 'meerdere');

/** The source-file record of a CSV file (CSV has no message header: the id is taken from its hash). */
function csvFileMeta(
  displayName: string,
  path: string,
  base: Pick<SourceFileMeta, 'sha256' | 'sizeBytes'>,
  sender: string,
  receiver: string,
  messageDate: string | null,
): SourceFileMeta {
  return {
    name: displayName,
    path,
    sha256: base.sha256,
    sizeBytes: base.sizeBytes,
    messageType: 'CSV',
    sender,
    receiver,
    messageId: base.sha256.slice(0, 16),
    messageDate,
  };
}

/**
 * The engine's fast path (ImportSession.bulkCsv) for a plainly valid file: the same rows and file record as
 * readCsvFile. Null when the engine has none or declines the file (then nothing of it is stored).
 */
export async function tryBulkCsv(
  session: ImportSession,
  fileId: number,
  path: string,
  displayName: string,
  base: Pick<SourceFileMeta, 'sha256' | 'sizeBytes'>,
  pseudonymise: Pseudonymiser,
  firstLine: string,
): Promise<{ meta: SourceFileMeta; counts: FileCounts } | null> {
  if (!session.bulkCsv) return null;
  const delimiter = delimiterOf(firstLine);
  let header: string[];
  try {
    header = (parseSync(firstLine, { delimiter, bom: true, trim: true }) as string[][])[0] ?? [];
  } catch {
    return null;
  }
  if (headerProblem(header) || new Set(header).size !== header.length) return null;
  const r = await session.bulkCsv(fileId, {
    path,
    delimiter,
    header,
    pseudonymise,
    familyKey: (v) => csvFamilyKey(v, pseudonymise),
  });
  if (!r) return null;
  return {
    meta: csvFileMeta(
      displayName,
      path,
      base,
      oneOf(r.providers, r.firstProvider),
      oneOf(r.municipalities, r.firstMunicipality),
      r.lastDeclarationDate,
    ),
    counts: r.counts,
  };
}

export async function readCsvFile(
  path: string,
  displayName: string,
  base: Pick<SourceFileMeta, 'sha256' | 'sizeBytes'>,
  pseudonymise: Pseudonymiser,
  sink: RowSink,
  firstLine: string,
  afterChunk?: () => Promise<void>,
): Promise<{ meta: SourceFileMeta; counts: FileCounts }> {
  const delimiter = delimiterOf(firstLine);
  const parser = createReadStream(path).pipe(
    parse({
      delimiter,
      bom: true,
      columns: false,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: false,
      info: true,
      max_record_size: MAX_CSV_RECORD,
    }),
  );
  const counts: FileCounts = { lines: 0, totalCents: 0 };
  let header: string[] | null = null;
  let idx: Record<string, number> = {};
  const senders = new Set<string>();
  const receivers = new Set<string>();
  const perDeclaration = new Map<string, number>();
  let lastDate = '';
  try {
    for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const line = rec.info.lines;
      const cells = rec.record;
      if (!header) {
        header = cells.map((c) => c.trim());
        const problem = headerProblem(header);
        if (problem) throw new GripError('CSV_HEADER', problem, { file: displayName, line });
        idx = Object.fromEntries(header.map((h, i) => [h, i]));
        continue;
      }
      const get = (c: string) => (idx[c] === undefined ? '' : (cells[idx[c]] ?? '').trim());
      const bad = (column: string, message: string) =>
        new GripError('CSV_VALUE', `column ${column}: ${message}`, { file: displayName, line, element: column });
      for (const [column, max] of Object.entries(CSV_MAX_LENGTH)) {
        if (get(column).length > max) throw bad(column, `is longer than ${max} characters`);
      }
      const muni = normaliseMunicipalityCode(get('municipality'));
      if (!muni)
        throw bad('municipality', `"${excerpt(get('municipality'))}" is not a CBS municipality code (0482 or GM0482)`);
      if (!cbsMunicipality(muni))
        throw bad('municipality', `"${excerpt(get('municipality'))}" is not a municipality in the CBS list`);
      const provider = get('provider');
      if (!provider) throw bad('provider', 'is empty');
      let client: string;
      try {
        client = pseudonymise(get('client'));
      } catch (e) {
        throw bad('client', (e as Error).message);
      }
      const dateCol = (c: string) => {
        const v = get(c);
        if (!isIsoDate(v)) throw bad(c, `"${excerpt(v)}" is not a valid date (YYYY-MM-DD)`);
        return v;
      };
      // Whole numbers 0..max, exactly: digits only (no sign, no float), compared before any conversion.
      const intCol = (c: string, max: number, optional = false): number | null => {
        const v = get(c);
        if (v === '' && optional) return null;
        if (/^-\d+$/.test(v))
          throw bad(
            c,
            `"${excerpt(v)}" is negative; ${c === 'amountCents' ? 'use debitCredit C for credits' : 'the standard allows 0 or more'}`,
          );
        if (!/^\d+$/.test(v)) throw bad(c, `"${excerpt(v)}" is not a whole number`);
        const digits = v.replace(/^0+(?=\d)/, '');
        if (digits.length > String(max).length || Number(digits) > max)
          throw bad(c, `${v.length > 20 ? `${v.slice(0, 20)}…` : v} is more than the standard allows (${max})`);
        return Number(digits);
      };
      const declarationNumber = get('declarationNumber');
      if (!declarationNumber) throw bad('declarationNumber', 'is empty');
      const declarationDate = dateCol('declarationDate');
      const category = get('productCategory');
      if (!isKnownCategory(category)) throw bad('productCategory', `"${excerpt(category)}" is not in JZ020`);
      const unit = get('unit');
      if (!isKnownUnit(unit)) throw bad('unit', `"${excerpt(unit)}" is not in WJ756`);
      const dc = get('debitCredit').toUpperCase();
      if (dc !== 'D' && dc !== 'C') throw bad('debitCredit', `"${excerpt(get('debitCredit'))}" is not D or C (COD043)`);
      const referrer = get('referrer');
      if (referrer && !isKnownReferrer(referrer)) throw bad('referrer', `"${excerpt(referrer)}" is not in COD327`);
      const periodStart = dateCol('periodStart');
      const periodEnd = dateCol('periodEnd');
      if (periodEnd < periodStart) throw bad('periodEnd', `ends (${periodEnd}) before periodStart (${periodStart})`);
      const amount = intCol('amountCents', MAX_LINE_CENTS)!;
      const volume = intCol('volume', MAX_VOLUME)!;
      const tariffCents = intCol('tariffCents', MAX_LINE_CENTS, true);
      const signedAmount = dc === 'C' ? -amount : amount;
      const key = `${muni}|${provider}|${declarationNumber}`;
      const n = (perDeclaration.get(key) ?? 0) + 1;
      perDeclaration.set(key, n);
      counts.lines++;
      counts.totalCents += signedAmount;
      senders.add(provider);
      receivers.add(muni);
      if (declarationDate > lastDate) lastDate = declarationDate;
      sink.row('declaration_lines', {
        seq: counts.lines,
        sourceLine: line,
        municipality: muni,
        provider,
        client,
        declarationNumber,
        declarationDate,
        declarationPeriodStart: null,
        referenceNumber: `${CSV_REFERENCE_PREFIX}${declarationNumber}:${n}`,
        previousReferenceNumber: null,
        allocationNumber: get('allocationNumber') || null,
        category,
        productCode: get('productCode') || null,
        periodStart,
        periodEnd,
        volume,
        unit,
        tariffCents,
        amountCents: signedAmount,
        debitCredit: dc,
        referrer: referrer || null,
        family: csvFamilyKey(get('family'), pseudonymise),
      });
      if (afterChunk && counts.lines % 5000 === 0) await afterChunk();
    }
  } catch (e) {
    if (e instanceof GripError) throw e;
    const err = e as Error & { lines?: number };
    throw new GripError('CSV_MALFORMED', `not valid CSV: ${excerpt(err.message, 160)}`, {
      file: displayName,
      line: err.lines,
    });
  }
  if (!header) throw new GripError('CSV_EMPTY', 'the file is empty (no header line)', { file: displayName });
  const one = (s: Set<string>) => oneOf(s.size, [...s][0] ?? null);
  return {
    meta: csvFileMeta(displayName, path, base, one(senders), one(receivers), lastDate || null),
    counts,
  };
}
