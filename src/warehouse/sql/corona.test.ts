import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_MESSAGES, importInto, jw323Xml, tempDir, writeFile } from '../../ingest/testing/fixtures.js';
import { ENGINES, freshWarehouse } from '../testing/engines.js';
import type { Warehouse } from '../warehouse.js';
import type { SqlRunner } from './run.js';
import { coronaInputs } from './corona.js';

const runner = (w: Warehouse): SqlRunner => (w as unknown as { all: SqlRunner }).all.bind(w);

describe.each(ENGINES)('coronaInputs on %s', (engine) => {
  let w: Warehouse | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it('sums validated revenue per provider × municipality × production month × declaration date, 2019–2020 only', async () => {
    const dir = tempDir();
    writeFile(
      dir,
      'a.xml',
      jw323Xml({
        provider: '11111111',
        municipality: '0482',
        declarationNumber: 'A1',
        declarationDate: '2020-01-20',
        periodMonth: '2019-12',
        lines: [
          { bsn: '999900006', ref: 'A1-1', month: '2019-01', amount: 100000 },
          { bsn: '999900018', ref: 'A1-2', month: '2019-01', amount: 50000 },
          { bsn: '999900006', ref: 'A1-3', month: '2018-12', amount: 7000 },
        ],
      }),
    );
    writeFile(
      dir,
      'b.xml',
      jw323Xml({
        provider: '11111111',
        municipality: '0505',
        declarationNumber: 'B1',
        declarationDate: '2020-04-06',
        periodMonth: '2020-03',
        lines: [{ bsn: '999900006', ref: 'B1-1', month: '2020-03', amount: 40000 }],
      }),
    );
    // Catch-up care: April 2020 declared in November, and a credit on it.
    writeFile(
      dir,
      'c.xml',
      jw323Xml({
        provider: '11111111',
        municipality: '0482',
        declarationNumber: 'C1',
        declarationDate: '2020-11-10',
        periodMonth: '2020-10',
        lines: [
          { bsn: '999900006', ref: 'C1-1', month: '2020-04', amount: 70000 },
          { bsn: '999900006', ref: 'C1-2', prevRef: 'A1-1', month: '2019-01', amount: 10000, dc: 'C' },
          { bsn: '999900006', ref: 'C1-3', month: '2021-01', amount: 9000 },
        ],
      }),
    );
    w = await freshWarehouse(engine);
    await importInto(w, [dir]);
    const rows = await coronaInputs(runner(w), { year: 2020 });
    const z = { rejectedCents: 0, rejectedLines: 0 };
    expect(rows).toEqual([
      {
        provider: '11111111',
        municipality: '0482',
        month: '2019-01',
        declarationDate: '2020-01-20',
        validatedCents: 150000,
        validatedLines: 2,
        ...z,
      },
      {
        provider: '11111111',
        municipality: '0482',
        month: '2019-01',
        declarationDate: '2020-11-10',
        validatedCents: -10000,
        validatedLines: 1,
        ...z,
      },
      {
        provider: '11111111',
        municipality: '0482',
        month: '2020-04',
        declarationDate: '2020-11-10',
        validatedCents: 70000,
        validatedLines: 1,
        ...z,
      },
      {
        provider: '11111111',
        municipality: '0505',
        month: '2020-03',
        declarationDate: '2020-04-06',
        validatedCents: 40000,
        validatedLines: 1,
        ...z,
      },
    ]);
    expect(
      (await coronaInputs(runner(w), { year: 2020, municipalities: ['0505'] })).map((r) => r.validatedCents),
    ).toEqual([40000]);
    expect(await coronaInputs(runner(w), { year: 2020, municipalities: [] })).toEqual([]);
  });

  it('leaves out lines rejected in a JW325, and shows them apart', async () => {
    w = await freshWarehouse(engine);
    await importInto(w, [join(TEST_MESSAGES, 'JW323.xml'), join(TEST_MESSAGES, 'JW325.xml')]);
    // The answer rejects REF-A1 (8000), REF-A2 (25000) and REF-B1 (5000) of the 79000 declared; the remaining
    // REF-B2 lines are 21000 for March and 20000 for April.
    const base = { provider: '23456789', municipality: '0482', declarationDate: '2026-05-08' };
    expect(await coronaInputs(runner(w), { year: 2026 })).toEqual([
      { ...base, month: '2026-03', validatedCents: 21000, validatedLines: 1, rejectedCents: 0, rejectedLines: 0 },
      { ...base, month: '2026-04', validatedCents: 20000, validatedLines: 1, rejectedCents: 38000, rejectedLines: 3 },
    ]);
  });
});
