/**
 * A case-system export (CSV or XLSX) through a column mapping into the ledger, all or nothing: every row is
 * read and checked inside one import transaction; the first bad value rolls everything back and names file,
 * sheet, row and column. The lines land in the same declaration_lines table as iJw and Grip CSV, with their
 * lineage (file, sheet, row). The same file twice is a no-op (its SHA-256); an export of a source overlapping
 * an earlier export of that source replaces the earlier lines in the months (and municipalities) it covers.
 */
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { isValidBsn } from '../../domain/bsn.js';
import { GripError } from '../../domain/errors.js';
import { cellText, type Cell } from '../../domain/mapping/convert.js';
import { sheetReader, type MappedLine, type MappingContext } from '../../domain/mapping/rows.js';
import { mappingSource, type Mapping } from '../../domain/mapping/schema.js';
import { monthOf } from '../../domain/month.js';
import type { ExportRecord, ReplacedLines } from '../../warehouse/types.js';
import type { DeclarationLineRow, Warehouse } from '../../warehouse/warehouse.js';
import { CSV_REFERENCE_PREFIX } from '../csv.js';
import type { Pseudonymiser } from '../pseudonymise.js';
import { readExportSheets, type ExportSheet } from './read.js';

/** The mapping context for a warehouse's region and Grip's key. */
export async function mappingContext(
  warehouse: Warehouse,
  pseudonymise: Pseudonymiser,
  source: string,
): Promise<MappingContext> {
  const municipalities = (await warehouse.municipalities()).map((m) => ({ code: m.code, name: m.name }));
  const external = pseudonymise.external;
  const text = pseudonymise.text;
  return {
    municipalities,
    pseudonymiseBsn: (bsn) => pseudonymise(bsn),
    pseudonymiseId: (ns, id) => {
      if (!external)
        throw new GripError('KEY_MISSING', 'deze pseudonimisering kan geen cliëntnummers van een bronsysteem hashen');
      return external(ns, id);
    },
    // A household number of the case system is hashed too (a BSN is pseudonymised like a client's).
    familyKey: (v) =>
      /^\d{8,9}$/.test(v) && isValidBsn(v)
        ? `g_${pseudonymise(v.padStart(9, '0')).slice(2)}`
        : text
          ? `g_${text(`gezin\u0000${source}\u0000${v}`).slice(2)}`
          : null,
  };
}

export interface MappedSheetRows {
  sheet: string | null;
  /** Lines with their row numbers, in file order. */
  lines: { row: number; line: MappedLine }[];
}

/**
 * Reads an export through a mapping, giving each sheet's lines to `onLine` as they are read. Sheets not in
 * `mapping.sheets` (when given) are skipped; rows before the header row are ignored; empty rows are skipped.
 * Stops early (without error) when `onLine` returns false.
 */
export async function readMapped(
  path: string,
  display: string,
  mapping: Mapping,
  ctx: MappingContext,
  // The callback may return nothing, or false to stop: `void` is the honest type of "nothing" here.
  // eslint-disable-next-line @typescript-eslint/no-invalid-void-type
  onLine: (line: MappedLine, sheet: string | null, row: number) => boolean | void | Promise<boolean | void>,
): Promise<{ sheets: (string | null)[] }> {
  const headerRow = mapping.headerRow ?? 1;
  const sheets: (string | null)[] = [];
  let stopped = false;
  for await (const s of readExportSheets(path, display, {
    delimiter: mapping.delimiter,
  }) as AsyncIterable<ExportSheet>) {
    const wanted = !stopped && (s.sheet === null || !mapping.sheets || mapping.sheets.includes(s.sheet));
    let read: ((cells: readonly Cell[], row: number) => MappedLine | null) | null = null;
    let sawHeader = false;
    for await (const r of s.rows) {
      if (!wanted || stopped) continue; // drain: the XLSX stream reads sheets in order
      if (r.row < headerRow) continue;
      if (!read) {
        if (r.row !== headerRow && !sawHeader)
          throw new GripError(
            'MAPPING_HEADER',
            `${s.sheet !== null ? `blad ${s.sheet}, ` : ''}rij ${headerRow}: de kopregel is leeg`,
            { file: display },
          );
        sawHeader = true;
        read = sheetReader(mapping, r.cells, r.row, { file: display, sheet: s.sheet }, ctx);
        sheets.push(s.sheet);
        continue;
      }
      const line = read(r.cells, r.row);
      if (line && (await onLine(line, s.sheet, r.row)) === false) stopped = true;
    }
    if (wanted && !read && s.sheet !== null && mapping.sheets?.includes(s.sheet)) {
      throw new GripError('MAPPING_HEADER', `blad ${s.sheet} heeft geen kopregel (rij ${headerRow})`, {
        file: display,
      });
    }
  }
  const missingSheets = (mapping.sheets ?? []).filter((n) => !sheets.includes(n));
  if (missingSheets.length && !stopped)
    throw new GripError(
      'MAPPING_SHEET',
      `${missingSheets.length === 1 ? 'blad' : 'bladen'} ${missingSheets.join(', ')} niet gevonden`,
      { file: display },
    );
  return { sheets };
}

export type MappedImportStatus = 'imported' | 'skipped' | 'rejected';
export interface MappedImportOutcome {
  file: string;
  status: MappedImportStatus;
  lines: number;
  totalCents: number;
  periodFrom: string | null;
  periodTo: string | null;
  municipalities: string[];
  sheets: (string | null)[];
  replaced: ReplacedLines | null;
  reason?: string;
}

async function sha256Of(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

export interface MappedImportOptions {
  warehouse: Warehouse;
  pseudonymise: Pseudonymiser;
  mapping: Mapping;
  /** The file's name in messages (default: the path). */
  display?: string;
  /** The file's name as stored (default: its base name). */
  storedName?: string;
}

/**
 * Imports one export. Never throws for a bad file: the outcome says `rejected` with the Dutch reason, and
 * nothing of the file is in the warehouse.
 */
export async function importMappedFile(path: string, opts: MappedImportOptions): Promise<MappedImportOutcome> {
  const display = opts.display ?? path;
  const empty = {
    file: display,
    lines: 0,
    totalCents: 0,
    periodFrom: null,
    periodTo: null,
    municipalities: [],
    sheets: [],
    replaced: null,
  };
  const { warehouse, mapping } = opts;
  const source = mappingSource(mapping);
  let sha256: string;
  let size: number;
  try {
    size = statSync(path).size;
    sha256 = await sha256Of(path);
  } catch (e) {
    return { ...empty, status: 'rejected', reason: `${display}: ${(e as Error).message}` };
  }
  const known = (await warehouse.findFilesBySha([sha256])).get(sha256);
  if (known) return { ...empty, status: 'skipped', reason: `al ingelezen (als ${known})` };

  const ctx = await mappingContext(warehouse, opts.pseudonymise, source);
  const session = await warehouse.beginImport();
  let committed: MappedImportOutcome;
  try {
    const { fileId, sink } = session.beginFile();
    let seq = 0;
    let total = 0;
    let from = '';
    let to = '';
    let lastDate = '';
    const munis = new Set<string>();
    const providers = new Set<string>();
    const ranges: ExportRecord['sheets'] = [];
    const { sheets } = await readMapped(path, display, mapping, ctx, async (line, sheet, row) => {
      seq++;
      const last = ranges[ranges.length - 1];
      if (last && last.sheet === sheet && last.lastSeq === seq - 1) last.lastSeq = seq;
      else ranges.push({ sheet, firstSeq: seq, lastSeq: seq });
      const month = monthOf(line.periodStart);
      if (!from || month < from) from = month;
      if (!to || month > to) to = month;
      if (line.declarationDate > lastDate) lastDate = line.declarationDate;
      munis.add(line.municipality);
      providers.add(line.provider);
      total += line.amountCents;
      const row_: DeclarationLineRow = {
        seq,
        sourceLine: row,
        municipality: line.municipality,
        provider: line.provider,
        client: line.client,
        declarationNumber: line.declarationNumber ?? `${sheet ?? 'rij'}:${row}`.slice(0, 40),
        declarationDate: line.declarationDate,
        declarationPeriodStart: null,
        // Unique per file and line (so TR314 never fires across exports); `csv:` keeps TR323 off, as for Grip CSV.
        referenceNumber: `${CSV_REFERENCE_PREFIX}x${fileId}:${seq}`,
        previousReferenceNumber: null,
        allocationNumber: line.allocationNumber,
        category: line.category,
        productCode: line.productCode,
        periodStart: line.periodStart,
        periodEnd: line.periodEnd,
        volume: line.volume,
        unit: line.unit,
        tariffCents: line.tariffCents,
        amountCents: line.amountCents,
        debitCredit: line.debitCredit,
        referrer: line.referrer,
        family: line.family,
      };
      sink.row('declaration_lines', row_);
      if (seq % 5000 === 0) await session.flush();
    });
    if (seq === 0)
      throw new GripError('EXPORT_EMPTY', 'het bestand heeft geen regels onder de kopregel', { file: display });
    const one = (s: Set<string>) => (s.size === 1 ? ([...s][0] ?? '') : s.size ? 'meerdere' : '');
    session.endFile(
      fileId,
      {
        name: opts.storedName ?? basename(path),
        path: display,
        sha256,
        sizeBytes: size,
        messageType: 'EXPORT',
        sender: one(providers),
        receiver: one(munis),
        messageId: sha256.slice(0, 16),
        messageDate: lastDate || null,
      },
      { lines: seq, totalCents: total },
      false,
    );
    const municipalities = [...munis].sort();
    const replaced = await session.recordExport(fileId, {
      source,
      mapping: mapping.name,
      periodFrom: from,
      periodTo: to,
      municipalities,
      sheets: ranges,
    });
    await session.commit();
    committed = {
      file: display,
      status: 'imported',
      lines: seq,
      totalCents: total,
      periodFrom: from,
      periodTo: to,
      municipalities,
      sheets,
      replaced,
    };
  } catch (e) {
    await session.rollback().catch(() => {});
    const reason = e instanceof GripError ? e.describe() : `${display}: ${(e as Error).message}`;
    return { ...empty, status: 'rejected', reason };
  }
  await warehouse.refreshDerived();
  return committed;
}

/** Text of the first cells of a row (for previews): at most `n` cells, each cut short. */
export const rowPreview = (cells: readonly Cell[], n = 12): string[] =>
  cells.slice(0, n).map((c) => cellText(c).slice(0, 40));
