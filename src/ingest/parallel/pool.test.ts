/**
 * Parse workers change nothing but the speed: a generated region imported with one or two workers stores exactly
 * the rows, in the same order, of an import on one thread (every column of every ledger table, the file
 * records but for their import time), and a bad file among them is rejected with the same message.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { field } from '../../domain/indexing.js';
import { generateRegion } from '../../generate/index.js';
import type { LedgerTable, Warehouse } from '../../warehouse/warehouse.js';
import { ENGINES, freshWarehouse } from '../../warehouse/testing/engines.js';
import { importPaths } from '../importer.js';
import { makePseudonymiser } from '../pseudonymise.js';
import { tempDir } from '../testing/fixtures.js';

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
    for (const t of [...TABLES, 'source_files']) expect(two.tables[t], t).toEqual(one.tables[t]);
    expect(three.s.outcomes).toEqual(one.s.outcomes);
    for (const t of [...TABLES, 'source_files']) expect(three.tables[t], t).toEqual(one.tables[t]);
  });
});
