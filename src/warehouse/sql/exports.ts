/**
 * Case-system exports in the ledger: saved column mappings, and the record of each imported export (its
 * source, period and sheets). An export replaces, for its source, the lines of earlier exports of that source
 * in the production months it covers, for the municipalities it holds: the usual "whole year again" export
 * then counts once. Portable SQL for DuckDB and PostgreSQL with `$n` parameters, run inside the caller's
 * (import) transaction.
 */
import { num, str, strOrNull, type Param, type SqlDb, type SqlExec, type SqlRunner } from './run.js';
import type { ExportFileRow, ExportRecord, ExportRecordRow, ReplacedLines, StoredMapping } from '../types.js';
import type { ExportRepository } from '../warehouse.js';

export async function saveMapping(exec: SqlExec, m: StoredMapping): Promise<void> {
  await exec(`DELETE FROM column_mappings WHERE name = $1`, [m.name]);
  await exec(`INSERT INTO column_mappings VALUES ($1, $2, $3, $4, $5)`, [
    m.name,
    m.source,
    m.definition,
    m.savedBy,
    m.savedAt,
  ]);
}

export async function mappings(run: SqlRunner): Promise<StoredMapping[]> {
  const rows = await run(`SELECT * FROM column_mappings ORDER BY name`, []);
  return rows.map((r) => ({
    name: str(r.name),
    source: str(r.source),
    definition: str(r.definition),
    savedBy: str(r.saved_by),
    savedAt: str(r.saved_at),
  }));
}

/**
 * Records an export and replaces the overlapping period of earlier exports of its source: their lines in
 * [periodFrom, periodTo] for the export's municipalities are deleted (their run-off cells subtracted, their
 * files' counts lowered). Inside the import transaction, after the export's own lines are written.
 */
export async function recordExport(
  run: SqlRunner,
  exec: SqlExec,
  fileId: number,
  rec: ExportRecord,
): Promise<ReplacedLines> {
  const params: Param[] = [rec.source, fileId, rec.periodFrom, rec.periodTo, ...rec.municipalities];
  const munis = rec.municipalities.map((_, i) => `$${i + 5}`).join(', ') || `''`;
  const cond = `file_id IN (SELECT file_id FROM export_files WHERE source = $1 AND file_id <> $2)
                AND month BETWEEN $3 AND $4 AND municipality IN (${munis})`;
  const perFile = await run(
    `SELECT x.file_id, f.name, x.n, x.cents
       FROM (SELECT file_id, COUNT(*) AS n, SUM(amount_cents) AS cents FROM declaration_lines WHERE ${cond} GROUP BY file_id) x
       JOIN source_files f ON f.id = x.file_id ORDER BY x.file_id`,
    params,
  );
  const files = perFile.map((r) => ({
    id: num(r.file_id),
    name: str(r.name),
    lines: num(r.n),
    amountCents: num(r.cents),
  }));
  if (files.length) {
    // The run-off cells of the replaced lines, subtracted (refreshDerived rebuilds them anyway).
    await exec(
      `INSERT INTO runoff_cells (municipality, month, declaration_month, declaration_date, amount_cents, line_count)
       SELECT municipality, month, declaration_month, declaration_date, -SUM(amount_cents), -COUNT(*)
         FROM declaration_lines WHERE ${cond} GROUP BY municipality, month, declaration_month, declaration_date`,
      params,
    );
    // Findings and rejected lines of the deleted lines are rebuilt by refreshDerived (every reader joins them to
    // lines meanwhile).
    await exec(`DELETE FROM declaration_lines WHERE ${cond}`, params);
    // Lines gone: the derived tables are rebuilt whole next time (sql/base.ts advanceDerived).
    await exec(`UPDATE derived_state SET upto = 0`);
    for (const f of files) {
      await exec(`UPDATE source_files SET line_count = line_count - $1, total_cents = total_cents - $2 WHERE id = $3`, [
        f.lines,
        f.amountCents,
        f.id,
      ]);
    }
  }
  // Lines that look like ones of another source or route (iJw, Grip CSV, another case system) in the same months.
  const twin = (
    await run(
      `SELECT COUNT(*) AS n, COALESCE(SUM(n.amount_cents), 0) AS cents FROM declaration_lines n
        WHERE n.file_id = $1 AND EXISTS (
          SELECT 1 FROM declaration_lines o
           WHERE o.file_id <> $1 AND o.municipality = n.municipality AND o.month = n.month AND o.provider = n.provider
             AND o.client = n.client AND o.period_start = n.period_start AND o.amount_cents = n.amount_cents
             AND COALESCE(o.product_code, '') = COALESCE(n.product_code, '')
             AND o.file_id NOT IN (SELECT file_id FROM export_files WHERE source = $2))`,
      [fileId, rec.source],
    )
  )[0];
  const replaced = {
    lines: files.reduce((s, f) => s + f.lines, 0),
    amountCents: files.reduce((s, f) => s + f.amountCents, 0),
    files,
    otherSources: { lines: num(twin?.n), amountCents: num(twin?.cents) },
  };
  await exec(`INSERT INTO export_files VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, [
    fileId,
    rec.source,
    rec.mapping,
    rec.periodFrom,
    rec.periodTo,
    rec.municipalities.join(','),
    replaced.lines,
    replaced.amountCents,
    files.map((f) => f.name).join(', '),
  ]);
  for (const s of rec.sheets)
    await exec(`INSERT INTO export_sheets VALUES ($1, $2, $3, $4)`, [fileId, s.sheet, s.firstSeq, s.lastSeq]);
  return replaced;
}

/** Every imported export, oldest first. */
export async function exportFiles(run: SqlRunner): Promise<ExportFileRow[]> {
  const rows = await run(
    `SELECT e.*, f.name, f.imported_at, f.line_count, f.total_cents,
            (SELECT STRING_AGG(COALESCE(s.sheet, ''), '\t' ORDER BY s.first_seq) FROM export_sheets s WHERE s.file_id = e.file_id) AS sheets
       FROM export_files e JOIN source_files f ON f.id = e.file_id ORDER BY e.file_id`,
    [],
  );
  return rows.map((r) => ({
    fileId: num(r.file_id),
    name: str(r.name),
    importedAt: str(r.imported_at),
    source: str(r.source),
    mapping: str(r.mapping),
    periodFrom: str(r.period_from),
    periodTo: str(r.period_to),
    municipalities: str(r.municipalities).split(',').filter(Boolean),
    lines: num(r.line_count),
    amountCents: num(r.total_cents),
    replacedLines: num(r.replaced_lines),
    replacedCents: num(r.replaced_cents),
    replacedFiles: str(r.replaced_files),
    sheets:
      strOrNull(r.sheets) === null
        ? []
        : str(r.sheets)
            .split('\t')
            .map((s) => s || null),
  }));
}

/** The export records as stored, with their sheet ranges, by file id. */
export async function exportRecords(run: SqlRunner): Promise<ExportRecordRow[]> {
  const files = await run(`SELECT * FROM export_files ORDER BY file_id`, []);
  const sheets = await run(`SELECT * FROM export_sheets ORDER BY file_id, first_seq`, []);
  return files.map((r) => ({
    fileId: num(r.file_id),
    source: str(r.source),
    mapping: str(r.mapping),
    periodFrom: str(r.period_from),
    periodTo: str(r.period_to),
    municipalities: str(r.municipalities).split(',').filter(Boolean),
    replacedLines: num(r.replaced_lines),
    replacedCents: num(r.replaced_cents),
    replacedFiles: str(r.replaced_files),
    sheets: sheets
      .filter((x) => num(x.file_id) === num(r.file_id))
      .map((x) => ({ sheet: strOrNull(x.sheet), firstSeq: num(x.first_seq), lastSeq: num(x.last_seq) })),
  }));
}

export async function loadExportRecords(exec: SqlExec, rows: readonly ExportRecordRow[]): Promise<void> {
  for (const r of rows) {
    await exec(`INSERT INTO export_files VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, [
      r.fileId,
      r.source,
      r.mapping,
      r.periodFrom,
      r.periodTo,
      r.municipalities.join(','),
      r.replacedLines,
      r.replacedCents,
      r.replacedFiles,
    ]);
    for (const s of r.sheets)
      await exec(`INSERT INTO export_sheets VALUES ($1, $2, $3, $4)`, [r.fileId, s.sheet, s.firstSeq, s.lastSeq]);
  }
}

/** Saved mappings and the record of exports on an engine's connection (recordExport runs inside an import session). */
export function exportRepository(db: SqlDb): ExportRepository {
  return {
    saveMapping: (m) => db.transaction(() => saveMapping(db.exec, m)),
    mappings: () => mappings(db.all),
    exportFiles: () => exportFiles(db.all),
    exportRecords: () => exportRecords(db.all),
    loadExportRecords: (rows) => db.transaction(() => loadExportRecords(db.exec, rows)),
  };
}
