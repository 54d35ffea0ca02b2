/**
 * Case-system exports with a saved column mapping: the one service `grip mapping …`, `grip import
 * --mapping` and the upload page (/import) call. Propose a mapping from a file's header and sample values,
 * show the first rows as Grip reads them, save and list mappings (kept in the warehouse), and import exports
 * through a saved mapping into the ledger.
 */
import { basename } from 'node:path';
import { GripError } from '../domain/errors.js';
import { cellText, type Cell } from '../domain/mapping/convert.js';
import { guessMapping, headerScore, type GuessResult } from '../domain/mapping/guess.js';
import type { MappedLine } from '../domain/mapping/rows.js';
import { mappingSource, parseMapping, type Mapping } from '../domain/mapping/schema.js';
import { formatEuro } from '../domain/money.js';
import { formatMonthNl } from '../domain/month.js';
import { importMappedFile, mappingContext, readMapped, type MappedImportOutcome } from '../ingest/exports/import.js';
import { exportKind, readExportSheets, sniffDelimiter, decodeCsv } from '../ingest/exports/read.js';
import type { Pseudonymiser } from '../ingest/pseudonymise.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { readFileSync } from 'node:fs';

export type { MappedImportOutcome };

/** One row as Grip reads it, for the preview. */
export interface PreviewLine extends MappedLine {
  sheet: string | null;
  row: number;
}

export interface Preview {
  lines: PreviewLine[];
  /** The first problem met within the rows read (Dutch, with sheet, row and column), or null. */
  error: string | null;
}

/** Rows searched for the header (a title or blank rows may stand above it). */
const HEADER_SEARCH_ROWS = 20;

/**
 * The header and the first rows of every sheet (at most `maxSheets`), for a proposal. The header row is the one
 * of the first rows (of the first sheet) with the most column names Grip knows, else row 1.
 */
export async function sampleExport(
  path: string,
  display: string,
  opts: { rows?: number; maxSheets?: number } = {},
): Promise<{
  sheets: { sheet: string | null; header: Cell[]; rows: Cell[][] }[];
  delimiter?: ';' | ',' | '\t';
  headerRow: number;
}> {
  const rowsPerSheet = opts.rows ?? 50;
  const kind = exportKind(path);
  const delimiter = kind === 'csv' ? sniffDelimiter(decodeCsv(readFileSync(path))) : undefined;
  const sheets: { sheet: string | null; header: Cell[]; rows: Cell[][] }[] = [];
  let headerRow: number | null = null;
  for await (const s of readExportSheets(path, display, { delimiter })) {
    const first: { row: number; cells: Cell[] }[] = [];
    const rows: Cell[][] = [];
    let header: Cell[] | null = null;
    const sample = (cells: Cell[]) => {
      if (header && rows.length < rowsPerSheet && cells.some((c) => cellText(c) !== '')) rows.push(cells);
    };
    // The first sheet decides the header row, from its first rows; they are samples too when below it.
    const decide = (): number => {
      const best = first.reduce<{ row: number; cells: Cell[] } | null>(
        (b, r) => (!b || headerScore(r.cells) > headerScore(b.cells) ? r : b),
        null,
      );
      const row = best && headerScore(best.cells) > 0 ? best.row : (first[0]?.row ?? 1);
      header = first.find((r) => r.row === row)?.cells ?? null;
      for (const r of first) if (r.row > row) sample(r.cells);
      return row;
    };
    for await (const r of s.rows) {
      if (sheets.length >= (opts.maxSheets ?? 20)) continue;
      if (headerRow === null) {
        if (r.row <= HEADER_SEARCH_ROWS) {
          first.push(r);
          continue;
        }
        headerRow = decide();
      }
      if (r.row < headerRow) continue;
      if (r.row === headerRow) header = r.cells;
      else sample(r.cells);
    }
    if (headerRow === null && first.length) headerRow = decide();
    if (header) sheets.push({ sheet: s.sheet, header, rows });
  }
  if (!sheets.length) throw new GripError('EXPORT_EMPTY', 'het bestand heeft geen kopregel', { file: display });
  return { sheets, ...(delimiter ? { delimiter } : {}), headerRow: headerRow ?? 1 };
}

/** The first `limit` lines as Grip reads them through a mapping; stops at the first problem and reports it. */
export async function previewExport(
  w: Warehouse,
  pseudonymise: Pseudonymiser,
  path: string,
  display: string,
  mapping: Mapping,
  limit = 10,
): Promise<Preview> {
  const ctx = await mappingContext(w, pseudonymise, mappingSource(mapping));
  const lines: PreviewLine[] = [];
  try {
    await readMapped(path, display, mapping, ctx, (line, sheet, row) => {
      lines.push({ ...line, sheet, row });
      return lines.length < limit;
    });
    return { lines, error: null };
  } catch (e) {
    if (e instanceof GripError) return { lines, error: e.message };
    throw e;
  }
}

export interface Proposal {
  guess: GuessResult;
  /** The proposal, when it is a complete, valid mapping. */
  mapping: Mapping | null;
  /** Why it is not (missing fields, schema problems), in Dutch. */
  problems: string[];
  preview: Preview | null;
}

const FIELD_NAMES: Readonly<Record<string, string>> = {
  headerRow: 'kopregel',
  municipality: 'gemeente',
  provider: 'aanbieder (AGB-code)',
  client: 'cliënt (BSN of cliëntnummer)',
  declarationNumber: 'declaratienummer',
  declarationDate: 'declaratiedatum',
  periodStart: 'begindatum',
  periodEnd: 'einddatum',
  category: 'productcategorie',
  productCode: 'productcode',
  volume: 'volume',
  unit: 'eenheid',
  tariff: 'tarief',
  amount: 'bedrag',
  credit: 'debet/credit',
  referrer: 'verwijzer',
  allocationNumber: 'toewijzingsnummer',
  family: 'gezin',
};
export const fieldLabel = (f: string): string => FIELD_NAMES[f] ?? f;

/** Proposes a mapping for a file and, when it is complete, previews the first rows through it. */
export async function proposeMapping(
  w: Warehouse,
  pseudonymise: Pseudonymiser,
  path: string,
  display: string,
  name?: string,
): Promise<Proposal> {
  const sample = await sampleExport(path, display);
  const municipalities = (await w.municipalities()).map((m) => ({ code: m.code, name: m.name }));
  const guess = guessMapping({
    name: name ?? basename(display).replace(/\.[^.]+$/, ''),
    sheets: sample.sheets,
    municipalities,
    delimiter: sample.delimiter,
    headerRow: sample.headerRow,
  });
  const problems = guess.missing.map((f) => `geen kolom gevonden voor ${fieldLabel(f)} (fields.${f})`);
  const parsed = parseMapping(guess.mapping);
  if (!problems.length && !parsed.ok) problems.push(...parsed.problems);
  const mapping = !problems.length && parsed.ok ? parsed.mapping : null;
  const preview = mapping ? await previewExport(w, pseudonymise, path, display, mapping) : null;
  return { guess, mapping, problems, preview };
}

/** Validates and saves a mapping (replacing one with its name); problems are refused in Dutch. */
export async function saveMapping(w: Warehouse, input: unknown, by: string, name?: string): Promise<Mapping> {
  const withName = name && input && typeof input === 'object' ? { ...input, name } : input;
  const r = parseMapping(withName);
  if (!r.ok) throw new GripError('MAPPING_INVALID', `de mapping klopt niet: ${r.problems.join('; ')}`);
  await w.saveMapping({
    name: r.mapping.name,
    source: mappingSource(r.mapping),
    definition: JSON.stringify(r.mapping),
    savedBy: by,
    savedAt: new Date().toISOString(),
  });
  return r.mapping;
}

export interface StoredMappingView {
  name: string;
  source: string;
  savedBy: string;
  savedAt: string;
  mapping: Mapping | null;
  problems: string[];
}

export async function listMappings(w: Warehouse): Promise<StoredMappingView[]> {
  return (await w.mappings()).map((m) => {
    const r = parseMapping(m.definition);
    return {
      name: m.name,
      source: m.source,
      savedBy: m.savedBy,
      savedAt: m.savedAt,
      mapping: r.ok ? r.mapping : null,
      problems: r.ok ? [] : r.problems,
    };
  });
}

export async function loadMapping(w: Warehouse, name: string): Promise<Mapping> {
  const stored = (await w.mappings()).find((m) => m.name === name);
  if (!stored) {
    const names = (await w.mappings()).map((m) => m.name);
    throw new GripError(
      'MAPPING_UNKNOWN',
      `er is geen mapping "${name}"${names.length ? ` (wel: ${names.join(', ')})` : ''}; bewaar er een met grip mapping save`,
    );
  }
  const r = parseMapping(stored.definition);
  if (!r.ok) throw new GripError('MAPPING_INVALID', `mapping "${name}" klopt niet meer: ${r.problems.join('; ')}`);
  return r.mapping;
}

/** Imports exports through a saved mapping, each file all or nothing; logs the import in the audit log. */
export async function importExports(
  w: Warehouse,
  pseudonymise: Pseudonymiser,
  files: { path: string; display: string; storedName?: string }[],
  mappingName: string,
  who: { username: string; role: string },
): Promise<MappedImportOutcome[]> {
  const mapping = await loadMapping(w, mappingName);
  const out: MappedImportOutcome[] = [];
  for (const f of files)
    out.push(
      await importMappedFile(f.path, {
        warehouse: w,
        pseudonymise,
        mapping,
        display: f.display,
        storedName: f.storedName,
      }),
    );
  const n = (s: string) => out.filter((o) => o.status === s).length;
  await w.appendAudit({
    at: new Date().toISOString(),
    username: who.username,
    role: who.role,
    action: 'import',
    clients: [],
    purpose: null,
    municipality: null,
    detail: `mapping ${mapping.name}: ${n('imported')} imported, ${n('skipped')} skipped, ${n('rejected')} rejected, ${out.reduce((s, o) => s + o.lines, 0)} lines, ${out.reduce((s, o) => s + (o.replaced?.lines ?? 0), 0)} replaced`,
  });
  return out;
}

const nl = (k: number) => k.toLocaleString('nl-NL');
const period = (from: string | null, to: string | null) =>
  from && to ? (from === to ? formatMonthNl(from) : `${formatMonthNl(from)} t/m ${formatMonthNl(to)}`) : '';

/** What happened to one export, in Dutch (for the CLI and the upload page). */
export function describeOutcome(o: MappedImportOutcome, source?: string): string[] {
  if (o.status === 'rejected')
    return [
      `AFGEWEZEN ${o.reason ?? o.file}`,
      `Er is niets van ${o.file} opgeslagen; herstel het bestand of de mapping en probeer het opnieuw.`,
    ];
  if (o.status === 'skipped') return [`OVERGESLAGEN ${o.file}: ${o.reason ?? 'al ingelezen'}; er verandert niets.`];
  const lines = [
    `Geïmporteerd: ${o.file} — ${nl(o.lines)} ${o.lines === 1 ? 'regel' : 'regels'} (${formatEuro(o.totalCents)}), productiemaanden ${period(o.periodFrom, o.periodTo)}${source ? `, bron ${source}` : ''}${o.sheets.some((s) => s !== null) ? `, bladen ${o.sheets.join(', ')}` : ''}.`,
  ];
  if (o.replaced && o.replaced.lines) {
    lines.push(
      `Vervangen: ${nl(o.replaced.lines)} ${o.replaced.lines === 1 ? 'regel' : 'regels'} (${formatEuro(o.replaced.amountCents)}) uit eerdere export${o.replaced.files.length === 1 ? '' : 's'} ${o.replaced.files.map((f) => f.name).join(', ')} van dezelfde bron in ${period(o.periodFrom, o.periodTo)}, zodat die periode niet dubbel telt.`,
    );
  }
  if (o.replaced && o.replaced.otherSources.lines) {
    lines.push(
      `Let op: ${nl(o.replaced.otherSources.lines)} ${o.replaced.otherSources.lines === 1 ? 'regel lijkt' : 'regels lijken'} (${formatEuro(o.replaced.otherSources.amountCents)}) al in Grip te staan uit een andere bron (zelfde gemeente, aanbieder, cliënt, periode, product en bedrag); die zijn niet vervangen en tellen nu dubbel.`,
    );
  }
  return lines;
}
