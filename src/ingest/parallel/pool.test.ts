/**
 * Parse workers change nothing but the speed: a generated region imported with one or two workers stores exactly
 * the rows, in the same order, of an import on one thread (every column of every ledger table, the file
 * records but for their import time), and a bad file among them is rejected with the same message. Large
 * files and CSV read line by line are streamed from a worker in batches: the same rows again, and a large
 * file that turns out bad at its end is rejected alone, naming its line.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { field } from '../../domain/indexing.js';
import { generateRegion } from '../../generate/index.js';
import type { LedgerTable, Warehouse } from '../../warehouse/warehouse.js';
import { ENGINES, freshWarehouse } from '../../warehouse/testing/engines.js';
import { importPaths } from '../importer.js';
import { makePseudonymiser } from '../pseudonymise.js';
import { CSV_COLUMNS } from '../csv.js';
import { jw323Xml, tempDir } from '../testing/fixtures.js';
import { FileRing } from './file-ring.js';
import { ParsePool, parseToRows } from './pool.js';

const BSNS = ['999900006', '999900018', '999900031', '999900043'];

const open: Warehouse[] = [];
afterEach(async () => {
  for (const w of open.splice(0)) await w.close();
});

const TABLES: LedgerTable[] = ['declaration_lines', 'declaration_answers', 'allocations', 'care_events', 'requests'];
const noXmllint = { available: false, why: 'not needed', validate: async () => new Map() };

describe.each(ENGINES)('parse workers on %s', (engine) => {
  it('store byte for byte what one thread stores, and reject the same files with the same message', async () => {
    const dir = tempDir();
    await generateRegion({
      outDir: dir,
      years: [2025, 2025],
      seed: 5,
      scale: 'small',
      format: 'xml',
      insight: 'planted',
    });
    // A file that breaks the XSD in the middle of the run.
    writeFileSync(
      join(dir, 'jw323', 'zz-bad.xml'),
      '<?xml version="1.0"?>\n<Bericht xmlns="http://www.istandaarden.nl/ijw/3_2/jw323/schema"><Header/></Bericht>',
    );
    // A copy of a declaration (other bytes, same declaration number) in the middle of the run: its group is
    // rolled back and redone without it, with files parsed ahead into the next group.
    const jw323 = readdirSync(join(dir, 'jw323')).sort();
    const original = jw323[Math.floor(jw323.length / 2)];
    if (!original) throw new Error('the region has no JW323 files');
    writeFileSync(
      join(dir, 'jw323', `${original}-copy.xml`),
      `${readFileSync(join(dir, 'jw323', original), 'utf8')}\n`,
    );
    // Large files (over 4 MB), streamed: one good, one whose declared total is wrong (found at its end,
    // after batches of its rows were appended).
    const big = (n: string, total?: number) =>
      jw323Xml({
        provider: '87654321',
        declarationNumber: n,
        declarationDate: '2025-02-10',
        periodMonth: '2025-01',
        ...(total === undefined ? {} : { total }),
        lines: Array.from({ length: 5_000 }, (_, i) => ({
          bsn: BSNS[i % BSNS.length] ?? '999900006',
          ref: `${n}-${i}`,
          month: '2025-01',
          amount: 100 + i,
          volume: 1,
          tariff: 100 + i,
        })),
      });
    writeFileSync(join(dir, 'jw323', 'big-good.xml'), big('BIG1'));
    writeFileSync(join(dir, 'jw323', 'big-bad.xml'), big('BIG2', 1));
    // CSV the engine declines (a blank line), read line by line: 12,000 lines, several batches.
    const csvLines = Array.from(
      { length: 12_000 },
      (_, i) =>
        `0482,87654321,${BSNS[i % BSNS.length] ?? ''},C${i % 700},2025-03-05,45,45A03,2025-02-01,2025-02-28,1,04,${200 + i},${200 + i},D,,`,
    );
    writeFileSync(join(dir, 'lines.csv'), `${CSV_COLUMNS.join(',')}\n\n${csvLines.join('\n')}\n`);
    const run = async (workers: number) => {
      const w = await freshWarehouse(engine);
      open.push(w);
      const s = await importPaths([dir], {
        warehouse: w,
        pseudonymise: makePseudonymiser(Buffer.alloc(32, 9)),
        xsd: noXmllint,
        workers,
        groupLines: 2_000,
      });
      const tables: Record<string, unknown[][]> = {};
      for (const t of TABLES) tables[t] = await w.rawRows(t, 0, 1e9);
      tables.source_files = (await w.rawRows('source_files', 0, 1e9)).map((r) => r.slice(0, -1));
      return { s, tables };
    };
    const one = await run(1);
    const two = await run(2); // this thread and one worker
    const three = await run(3); // this thread and two workers
    expect(one.s.imported).toBeGreaterThan(500);
    expect(field(one.tables, 'declaration_lines').length).toBeGreaterThan(1_000);
    expect(field(one.tables, 'allocations').length).toBeGreaterThan(100);
    expect(two.s.outcomes).toEqual(one.s.outcomes);
    expect(two.s.outcomes.find((o) => o.file.endsWith('zz-bad.xml'))?.reason).toMatch(
      /zz-bad\.xml:2 <Header>: does not validate against JW323\.xsd: element Header misses child element BerichtCode/,
    );
    expect(two.s.outcomes.find((o) => o.file.endsWith('-copy.xml'))?.reason).toMatch(/DECLARATION_DUPLICATE/);
    // 5,000 lines of 100 + i cents: 5,000 × 100 + 4,999 × 5,000 / 2; 12,000 CSV lines of 200 + i.
    const of = (name: string) => one.s.outcomes.find((o) => o.file.endsWith(name));
    expect(of('big-good.xml')).toMatchObject({ status: 'imported', lines: 5_000, totalCents: 500_000 + 12_497_500 });
    expect(of('lines.csv')).toMatchObject({ status: 'imported', lines: 12_000, totalCents: 2_400_000 + 71_994_000 });
    expect(of('lines.csv')?.bulk).toBeUndefined();
    expect(of('big-bad.xml')?.reason).toMatch(
      /big-bad\.xml:\d+ <TotaalIngediendBedrag>: header total 1 cents differs from the sum of the lines 12997500 cents/,
    );
    expect(statSync(join(dir, 'jw323', 'big-good.xml')).size).toBeGreaterThan(4 << 20);
    for (const t of [...TABLES, 'source_files']) expect(two.tables[t], t).toEqual(one.tables[t]);
    expect(three.s.outcomes).toEqual(one.s.outcomes);
    for (const t of [...TABLES, 'source_files']) expect(three.tables[t], t).toEqual(one.tables[t]);
  });
});

describe('bytes from the file ring', () => {
  // A message of one line: of 1,234 cents on disk, of 5,678 in the ring.
  const message = (cents: number) =>
    jw323Xml({
      provider: '87654321',
      declarationNumber: 'R1',
      declarationDate: '2025-02-10',
      periodMonth: '2025-01',
      lines: [{ bsn: '999900006', ref: 'R1-1', month: '2025-01', amount: cents, volume: 1, tariff: cents }],
    });

  it('are what a job is parsed from, on the writer’s thread and on a worker, not the file as it is now', async () => {
    const file = join(tempDir(), 'changed.xml');
    writeFileSync(file, message(1_234));
    const ring = new FileRing(1 << 16);
    ring.put(Buffer.from('something before it')); // so the slice does not start at 0
    const bytes = ring.put(Buffer.from(message(5_678)))!;
    const pseudonymise = makePseudonymiser(Buffer.alloc(32, 3));
    const job = {
      path: file,
      display: 'changed.xml',
      kind: 'JW323',
      base: { sha256: 'x', sizeBytes: 1 },
      validate: true,
    };
    expect((await parseToRows(job, pseudonymise)).counts.totalCents).toBe(1_234);
    expect((await parseToRows({ ...job, bytes }, pseudonymise, ring.buffer)).counts.totalCents).toBe(5_678);
    const pool = new ParsePool(1, Buffer.alloc(32, 3), pseudonymise, ring.buffer);
    try {
      const onWorker = await pool.submit({ ...job, bytes }).result;
      expect(onWorker.counts).toEqual({ lines: 1, totalCents: 5_678 });
    } finally {
      await pool.close();
    }
  });
});
