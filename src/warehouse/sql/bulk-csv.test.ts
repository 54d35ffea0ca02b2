/**
 * The engines' fast path for CSV must store exactly what the streaming reader stores — every column of every
 * line, with the same line numbers and reference numbers — and must hand anything unusual back to it.
 * Each test imports the same files twice, once with the fast path and once without, and compares; on DuckDB
 * (read_csv) and on PostgreSQL (COPY into a staging table inside a savepoint).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { at } from '../../domain/indexing.js';
import { generateRegion } from '../../generate/index.js';
import { CSV_COLUMNS } from '../../ingest/csv.js';
import { importPaths, type ImportSummary } from '../../ingest/importer.js';
import { makePseudonymiser } from '../../ingest/pseudonymise.js';
import { tempDir, writeFile } from '../../ingest/testing/fixtures.js';
import { makeXsdValidator } from '../../ingest/xsd.js';
import type { Warehouse } from '../warehouse.js';
import { ENGINES, freshWarehouse, type Engine } from '../testing/engines.js';
import { physicalLines } from './bulk-csv.js';

const open: Warehouse[] = [];
afterEach(async () => {
  for (const w of open.splice(0)) await w.close();
});

const key = Buffer.alloc(32, 7);

async function importBoth(engine: Engine, paths: string[], groupLines?: number) {
  const run = async (bulkCsv: boolean) => {
    const w = await freshWarehouse(engine);
    open.push(w);
    const summary = await importPaths(paths, {
      warehouse: w,
      pseudonymise: makePseudonymiser(key),
      xsd: makeXsdValidator(),
      bulkCsv,
      groupLines,
    });
    const lines = await w.rawRows('declaration_lines', 0, 1e9);
    // Every column of the file record except the import time.
    const files = (await w.rawRows('source_files', 0, 1e9)).map((r) => r.slice(0, -1));
    return { w, summary, lines, files, findings: (await w.status()).findings };
  };
  return { bulk: await run(true), stream: await run(false) };
}

const reasons = (s: ImportSummary) => s.outcomes.map((o) => [o.file.replace(/.*\//, ''), o.status, o.reason ?? null]);

// municipality,provider,client,declarationNumber,declarationDate,productCategory,productCode,periodStart,periodEnd,volume,unit,tariffCents,amountCents,debitCredit,referrer,allocationNumber
const HEADER = CSV_COLUMNS.join(',');
const ROWS = [
  '0482,12345678,999900006,D1,2026-02-05,45,45A03,2026-01-01,2026-01-31,10,04,7500,75000,D,02,A1',
  'GM0505,12345678,999900018,D1,2026-02-05,43,43B01,2026-01-01,2026-01-31,31,14,25000,775000,D,,A2',
  '0482,12345678,999900006,D1,2026-02-05,45,45A03,2026-01-01,2026-01-31,2,04,7500,15000,C,02,A1',
  '0482,87654321,999900031,D2,2026-03-05,54,,2026-02-01,2026-02-28,3,04,,27000,d,,',
] as const;

describe.each(ENGINES)('bulk CSV import on %s', (engine) => {
  it('stores a generated region exactly as the streaming reader does, and reads it whole', async () => {
    const dir = tempDir();
    await generateRegion({
      outDir: dir,
      years: [2024, 2025],
      seed: 3,
      scale: 'small',
      format: 'csv',
      insight: 'planted',
    });
    const { bulk, stream } = await importBoth(engine, [`${dir}/csv`]);
    expect(bulk.summary.rejected).toBe(0);
    expect(bulk.summary.imported).toBeGreaterThan(10);
    // The fast path really was taken (otherwise this test would compare the streaming reader with itself).
    expect(bulk.summary.outcomes.every((o) => o.bulk === true)).toBe(true);
    expect(stream.summary.outcomes.some((o) => o.bulk)).toBe(false);
    expect(bulk.lines.length).toBe(stream.summary.lines);
    expect(bulk.lines).toEqual(stream.lines);
    expect(bulk.files).toEqual(stream.files);
    expect(bulk.findings).toEqual(stream.findings);
    // The generated files carry a family column: keys are stored, never a BSN in clear.
    const familyColumn = 25 - 1;
    expect(bulk.lines.some((r) => r[familyColumn] !== null)).toBe(true);
    expect(bulk.lines.some((r) => /^\d{8,9}$/.test(String(r[familyColumn])))).toBe(false);
  });

  it('takes semicolons, a BOM, GM codes, lower-case d, empty optional values and repeated declaration numbers', async () => {
    const dir = tempDir();
    const f = writeFile(
      dir,
      'a.csv',
      `\uFEFF${HEADER.replace(/,/g, ';')}\n${ROWS.map((r) => r.replace(/,/g, ';')).join('\n')}\n`,
    );
    const { bulk, stream } = await importBoth(engine, [f]);
    expect(bulk.summary.outcomes.map((o) => o.bulk)).toEqual([true]);
    expect(bulk.lines).toEqual(stream.lines);
    expect(bulk.files).toEqual(stream.files);
    // Reference numbers count per declaration (municipality, provider, number) in file order: D1 of 0482 has two lines.
    expect(bulk.lines.map((r) => r[10])).toEqual(['csv:D1:1', 'csv:D1:1', 'csv:D1:2', 'csv:D2:1']);
    // Line numbers are physical lines (header = 1); amounts signed: 75000 + 775000 − 15000 + 27000.
    expect(bulk.lines.map((r) => r[2])).toEqual([2, 3, 4, 5]);
    expect(at(bulk.summary.outcomes, 0).totalCents).toBe(862000);
  });

  it('hands unusual but valid files to the streaming reader, which stores the same rows', async () => {
    const dir = tempDir();
    const cases: Record<string, string> = {
      // A blank line: records no longer match physical lines.
      'blank.csv': `${HEADER}\n${ROWS[0]}\n\n${ROWS[1]}\n`,
      // A quoted line break inside a field.
      'quoted.csv': `${HEADER}\n${ROWS[0]}\n"0482","Zorg\nBV",999900018,D9,2026-02-05,45,45A03,2026-01-01,2026-01-31,1,04,100,100,D,,\n`,
      // Whitespace around a value, which the streaming reader trims.
      'spaces.csv': `${HEADER}\n${ROWS[0].replace('45A03', ' 45A03 ')}\n`,
      // No line feed at the end and Windows line ends are fine for the fast path too.
      'crlf.csv': `${HEADER}\r\n${ROWS[0]}\r\n${ROWS[3]}`,
    };
    // Declaration numbers of their own per file (a number repeated across files is a duplicate).
    const paths = Object.entries(cases).map(([n, t], i) => writeFile(dir, n, t.replace(/,D(\d),/g, `,F${i}D$1,`)));
    const { bulk, stream } = await importBoth(engine, paths);
    expect(reasons(bulk.summary)).toEqual(reasons(stream.summary));
    expect(reasons(bulk.summary).filter((r) => r[1] !== 'imported')).toEqual([]);
    expect(Object.fromEntries(bulk.summary.outcomes.map((o) => [o.file.replace(/.*\//, ''), o.bulk ?? false]))).toEqual(
      {
        'blank.csv': false,
        'quoted.csv': false,
        'spaces.csv': false,
        'crlf.csv': true,
      },
    );
    expect(bulk.lines).toEqual(stream.lines);
    expect(bulk.files).toEqual(stream.files);
  });

  it('rejects bad files with the streaming reader’s message and still imports the good ones in the same transaction', async () => {
    const dir = tempDir();
    const bad: Record<string, string> = {
      'bsn.csv': `${HEADER}\n${ROWS[0]}\n${ROWS[0].replace('999900006', '123456789')}\n`,
      'date.csv': `${HEADER}\n${ROWS[0].replace('2026-01-31', '2026-02-30')}\n`,
      'columns.csv': `${HEADER}\n${ROWS[0]},extra\n`,
      'negative.csv': `${HEADER}\n${ROWS[0].replace(',75000,', ',-75000,')}\n`,
      'quote.csv': `${HEADER}\n${ROWS[0].replace('D1', '"D1')}\n`,
    };
    const paths = [
      writeFile(dir, 'good1.csv', `${HEADER}\n${ROWS[0]}\n`),
      ...Object.entries(bad).map(([n, t]) => writeFile(dir, n, t)),
      writeFile(dir, 'good2.csv', `${HEADER}\n${ROWS[3]}\n`),
    ];
    const { bulk, stream } = await importBoth(engine, paths);
    expect(reasons(bulk.summary)).toEqual(reasons(stream.summary));
    expect(bulk.summary.imported).toBe(2);
    expect(bulk.summary.rejected).toBe(5);
    const why = Object.fromEntries(bulk.summary.outcomes.map((o) => [o.file.replace(/.*\//, ''), o.reason ?? '']));
    expect(why['bsn.csv']).toMatch(/bsn\.csv:3.*client/);
    expect(why['bsn.csv']).not.toContain('123456789');
    expect(why['date.csv']).toMatch(/date\.csv:2.*periodEnd/);
    expect(why['negative.csv']).toMatch(/negative\.csv:2.*amountCents/);
    expect(bulk.lines).toEqual(stream.lines);
    expect(bulk.lines).toHaveLength(2);
  });

  it('one verdict per file: a fuzz corpus of CSV lines gives the same outcome, reason and rows on both paths', async () => {
    const dir = tempDir();
    const cells = (r: string) => r.split(',');
    // Per column, values to put in its place (valid, invalid and edge cases); plus whole-line mutations.
    const values: Record<number, string[]> = {
      0: ['9999', '0000', 'GM0482', '482', 'GM04821', '0363'],
      1: ['123456789', '1234567', ''],
      3: ['ABCDEFGHIJKL', 'ABCDEFGHIJKLM'],
      6: ['45A031', ''],
      9: ['-1', '0', '99999999', '100000000', '007', '1.5'],
      11: ['-7500', '9007199254740993', '99999999', '100000000', ''],
      12: ['9007199254740993', '99999999', '100000000', '0', '00075000', '+75000', '7.5e4'],
      15: ['1234567890', '123456789', ''],
    };
    const lineMutations: ((r: string) => string)[] = [
      (r) => `${r},`,
      (r) => `${r},,`,
      (r) => `${r},,,`,
      (r) => r.slice(0, r.lastIndexOf(',')),
      (r) => `${r},x`,
      (r) => r.replace('2026-01-01,2026-01-31', '2026-01-31,2026-01-01'),
      (r) => r.replace(',D,', `,${'D'.repeat(20_000)},`),
      (r) => r.replace('45A03', '"45A03"'),
      (r) => r.replace(',D,', ', D ,'),
    ];
    const files: [string, string][] = [];
    ROWS.forEach((row, k) => {
      for (const [col, vs] of Object.entries(values)) {
        for (const v of vs) {
          const c = cells(row);
          c[Number(col)] = v;
          files.push([`r${k}-c${col}-${files.length}.csv`, c.join(',')]);
        }
      }
      for (const m of lineMutations) files.push([`r${k}-m-${files.length}.csv`, m(row)]);
    });
    // Each file: a valid line, the mutated one, a valid line; declaration numbers of its own.
    const paths = files.map(([name, line], i) =>
      writeFile(dir, name, `${HEADER}\n${ROWS[0]}\n${line}\n${ROWS[3]}\n`.replace(/,(D\d),/g, `,F${i}$1,`)),
    );
    // One file per transaction: a rejected file costs a rollback and a redo of its group.
    const { bulk, stream } = await importBoth(engine, paths, 0.01);
    expect(reasons(bulk.summary)).toEqual(reasons(stream.summary));
    expect(bulk.lines).toEqual(stream.lines);
    expect(bulk.files).toEqual(stream.files);
    // Both verdicts occur, and the fast path took some files (else this compares the line reader with itself).
    expect(bulk.summary.rejected).toBeGreaterThan(40);
    expect(bulk.summary.imported).toBeGreaterThan(20);
    expect(bulk.summary.outcomes.filter((o) => o.bulk).length).toBeGreaterThan(10);
    const why = (pattern: RegExp) =>
      bulk.summary.outcomes.filter((o) => pattern.test(o.file)).map((o) => o.reason ?? 'imported');
    // What the standard forbids is rejected on both paths, naming the column.
    expect(why(/^.*r0-c0-0\.csv$/)).toEqual([
      expect.stringMatching(/:3 <municipality>: .*"9999" is not a municipality in the CBS list/),
    ]);
    expect(why(/^.*r0-c11-\d+\.csv$/).filter((r) => /tariffCents/.test(r))).toEqual([
      expect.stringMatching(/"-7500" is negative/),
      expect.stringMatching(/9007199254740993 is more than the standard allows/),
      expect.stringMatching(/100000000 is more than the standard allows/),
    ]);
    expect(why(/^.*r0-c9-\d+\.csv$/)[0]).toMatch(/<volume>: .*"-1" is negative/);
  });
});

describe('physicalLines', () => {
  it('counts physical lines with and without a final line feed', () => {
    const dir = tempDir();
    expect(physicalLines(writeFile(dir, 'a', 'x\ny\n'))).toBe(2);
    expect(physicalLines(writeFile(dir, 'b', 'x\ny'))).toBe(2);
    expect(physicalLines(writeFile(dir, 'c', ''))).toBe(0);
    expect(physicalLines(writeFile(dir, 'd', `${'z'.repeat(3_000_000)}\n\n`))).toBe(2);
  });
});
