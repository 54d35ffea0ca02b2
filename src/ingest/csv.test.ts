import { afterEach, describe, expect, it } from 'vitest';
import { at } from '../domain/indexing.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { CSV_COLUMNS } from './csv.js';
import { importInto, openTestWarehouse, tempDir, writeFile } from './testing/fixtures.js';

let w: Warehouse | null = null;
afterEach(async () => {
  await w?.close();
  w = null;
});

describe('CSV declarations', () => {
  it('imports semicolon CSV with GM codes, credits, referrers and a family column, to the cent', async () => {
    const header = [...CSV_COLUMNS, 'family'].join(';');
    const rows = [
      // municipality;provider;client;declarationNumber;declarationDate;cat;code;start;end;volume;unit;tariff;amount;dc;referrer;allocation;family
      'GM0482;11112222;999900006;C-1;2026-02-05;45;45A03;2026-01-01;2026-01-31;10;04;7500;75000;D;02;A1;F1',
      'GM0482;11112222;999900018;C-1;2026-02-05;43;43B01;2026-01-01;2026-01-31;31;14;25000;775000;D;04;A2;F1',
      '0505;11112222;999900006;C-2;2026-03-05;45;45A03;2026-01-01;2026-01-31;2;04;7500;15000;C;02;A1;F1',
      '0505;33334444;999900031;C-3;2026-03-05;54;54G01;2026-02-01;2026-02-28;3;04;9000;27000;D;;;',
    ];
    const f = writeFile(tempDir(), 'export.csv', `\uFEFF${header}\n${rows.join('\n')}\n`);
    w = await openTestWarehouse();
    const s = await importInto(w, [f]);
    expect(s.rejected).toBe(0);
    expect(s.lines).toBe(4);
    // 75000 + 775000 − 15000 + 27000 = 862000
    expect(at(await w.costs({ by: [] }), 0).amountCents).toBe(862000);
    expect(await w.costs({ by: ['municipality'] })).toEqual([
      { municipality: '0482', amountCents: 850000, clients: 2, lines: 2, units: 41 },
      { municipality: '0505', amountCents: 12000, clients: 2, lines: 2, units: 1 },
    ]);
    // Referrer from the CSV column; empty referrer and no allocation → onbekend.
    expect((await w.costs({ by: ['referrer'] })).map((r) => [r.referrer, r.amountCents])).toEqual([
      ['02', 60000],
      ['04', 775000],
      ['onbekend', 27000],
    ]);
    expect((await w.status()).files).toEqual([{ messageType: 'CSV', files: 1, lines: 4 }]);
  });
});
