/**
 * An import of many files keeps no state per file beyond its group: outcomes are handed to onOutcome in the
 * order of the input while the import runs, the summary keeps only what its report names, and the counts,
 * totals and per-file verdicts are those of an import that keeps every outcome — across many groups, with a
 * copy of a file far from its original (already stored by then) and one beside it (not stored yet).
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../warehouse/warehouse.js';
import { ENGINES, freshWarehouse } from '../warehouse/testing/engines.js';
import { importPaths, type FileOutcome, type Progress } from './importer.js';
import { makePseudonymiser } from './pseudonymise.js';
import { TEST_KEY, jw323Xml, tempDir } from './testing/fixtures.js';

const open: Warehouse[] = [];
afterEach(async () => {
  for (const w of open.splice(0)) await w.close();
  delete process.env.GRIP_IMPORT_GROUP_FILES;
});

const FILES = 1_100;
const name = (i: number) => `f${String(i).padStart(4, '0')}.xml`;
const noXmllint = { available: false, why: 'not needed', validate: async () => new Map() };

function writeInput(): string {
  const dir = tempDir();
  for (let i = 0; i < FILES; i++)
    writeFileSync(
      join(dir, name(i)),
      jw323Xml({
        declarationNumber: `D${i}`,
        declarationDate: '2025-02-10',
        periodMonth: '2025-01',
        lines: [{ bsn: '999900006', ref: `R${i}`, month: '2025-01', amount: 100 + i, volume: 1, tariff: 100 + i }],
      }),
    );
  copyFileSync(join(dir, name(2)), join(dir, 'f0002x.xml')); // beside its original: the same group
  copyFileSync(join(dir, name(1)), join(dir, 'f1050x.xml')); // far from it: the original is stored by then
  writeFileSync(
    join(dir, 'f0500x.xml'),
    '<?xml version="1.0"?>\n<Bericht xmlns="http://www.istandaarden.nl/ijw/3_2/jw323/schema"><Header/></Bericht>',
  );
  writeFileSync(join(dir, 'aanbieders.csv'), 'agb,name,kvk,careType\n12345678,Jeugdhulp De Linde,,Jeugd-GGZ\n');
  return dir;
}

describe.each(ENGINES)('an import of many files on %s', (engine) => {
  it('reports every file once, in input order, while it runs, and keeps only what the report names', async () => {
    const dir = writeInput();
    process.env.GRIP_IMPORT_GROUP_FILES = '100';
    const run = async (stream: boolean) => {
      const w = await freshWarehouse(engine);
      open.push(w);
      const seen: FileOutcome[] = [];
      let total = 0;
      let last = 0;
      let lastAtFirstOutcome = -1;
      const progress: Progress = {
        start: (t) => (total = t),
        update: (d) => (last = d),
        stop: () => {},
      };
      const s = await importPaths([dir], {
        warehouse: w,
        pseudonymise: makePseudonymiser(TEST_KEY),
        xsd: noXmllint,
        workers: 2,
        progress,
        ...(stream
          ? {
              onOutcome: (o: FileOutcome) => {
                if (!seen.length) lastAtFirstOutcome = last;
                seen.push(o);
              },
            }
          : {}),
      });
      const [cost] = await w.costs({ by: [] });
      return { s, seen, total, lastAtFirstOutcome, cents: cost?.amountCents };
    };
    const streamed = await run(true);
    const kept = await run(false);

    // Σ (100 + i) for i < 1100 = 1100 × 100 + 1099 × 1100 / 2 = 110,000 + 604,450.
    expect(streamed.cents).toBe(714_450);
    expect(kept.cents).toBe(714_450);
    expect(streamed.s).toMatchObject({ imported: FILES, skipped: 3, rejected: 1, lines: FILES, totalCents: 714_450 });
    expect(streamed.total).toBe(FILES + 4);

    const names = (os: FileOutcome[]) => os.map((o) => o.file.replace(/.*\//, ''));
    const expected = ['aanbieders.csv'];
    for (let i = 0; i < FILES; i++) {
      expected.push(name(i));
      if (i === 2 || i === 500 || i === 1050) expected.push(name(i).replace('.xml', 'x.xml'));
    }
    expect(names(streamed.seen)).toEqual(expected);
    expect(kept.s.outcomes).toEqual(streamed.seen);
    const why = Object.fromEntries(
      streamed.seen.map((o) => [o.file.replace(/.*\//, ''), `${o.status} ${o.reason ?? ''}`]),
    );
    expect(why['aanbieders.csv']).toMatch(/^skipped a provider register/);
    expect(why['f0002x.xml']).toBe('skipped same content as another file in this run');
    expect(why['f1050x.xml']).toBe('skipped already imported (as f0001.xml)');
    expect(why['f0500x.xml']).toMatch(/^rejected .*f0500x\.xml:2 <Header>: does not validate against JW323\.xsd/);

    // Streamed: only the rejected file and the one that is not declarations are kept, and the first outcome
    // came while most of the input was still to be stored.
    expect(names(streamed.s.outcomes)).toEqual(['aanbieders.csv', 'f0500x.xml']);
    expect(streamed.lastAtFirstOutcome).toBeGreaterThanOrEqual(0);
    expect(streamed.lastAtFirstOutcome).toBeLessThan(FILES / 2);
  });
});
