import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { at } from '../../domain/indexing.js';
import { openTestWarehouse, tempDir, writeFile } from '../../ingest/testing/fixtures.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { isTariffListHeader } from '../../ingest/csv.js';
import { runImport } from './import.js';

const DECLARATIONS = `municipality,provider,client,declarationNumber,declarationDate,productCategory,productCode,periodStart,periodEnd,volume,unit,tariffCents,amountCents,debitCredit,referrer,allocationNumber
0482,12345678,999900006,CSV1,2026-02-05,45,45A03,2026-01-01,2026-01-31,2,04,1000,2000,D,02,
`;
const TARIFFS =
  '\uFEFFprovider;productCategory;productCode;unit;tariffCents;validFrom;validTo\n*;45;45A03;04;1000;2026-01-01;\n';

let w: Warehouse | null = null;
afterEach(async () => {
  await w?.close();
  w = null;
});

describe('grip import: a contracted tariff list in the folder', () => {
  it('is recognised by its header', () => {
    const first = (text: string) => at(text.replace(/^\uFEFF/, '').split('\n', 1), 0);
    expect(isTariffListHeader(first(TARIFFS))).toBe(true);
    expect(isTariffListHeader(first(TARIFFS).replace(/;/g, ','))).toBe(true);
    expect(isTariffListHeader(first(DECLARATIONS))).toBe(false);
  });

  it('is skipped with a pointer to `grip tariffs import`; the declarations import', async () => {
    const dir = tempDir();
    writeFile(dir, 'tarieven.csv', TARIFFS);
    writeFile(dir, 'declaraties.csv', DECLARATIONS);
    w = await openTestWarehouse();
    const s = await runImport(w, [dir, join(dir, 'missing.csv')], { keyFile: join(tempDir(), 'key'), quiet: true });
    expect(s).toMatchObject({ imported: 1, skipped: 1, rejected: 1, lines: 1 });
    const skipped = s.outcomes.find((o) => o.status === 'skipped')!;
    expect(skipped.file).toMatch(/tarieven\.csv$/);
    expect(skipped.reason).toMatch(
      /contracted tariff list, not declarations: load it with `grip tariffs import .*tarieven\.csv`/,
    );
    expect(s.outcomes.find((o) => o.status === 'rejected')!.reason).toMatch(/missing\.csv: file or folder not found/);
    expect((await w.status()).totalCents).toBe(2000);
    expect(await w.tariffs()).toEqual([]);
  });
});

describe('grip import: a provider register in the folder', () => {
  it('is skipped with a pointer to `grip providers import`; the declarations import', async () => {
    const dir = tempDir();
    writeFile(dir, 'aanbieders.csv', 'agb,name,kvk,careType\n12345678,Jeugdhulp De Linde,,Jeugd-GGZ\n');
    writeFile(dir, 'declaraties.csv', DECLARATIONS);
    w = await openTestWarehouse();
    const s = await runImport(w, [dir], { keyFile: join(tempDir(), 'key'), quiet: true });
    expect(s).toMatchObject({ imported: 1, skipped: 1, rejected: 0, lines: 1 });
    const skipped = s.outcomes.find((o) => o.status === 'skipped')!;
    expect(skipped.reason).toMatch(
      /provider register, not declarations: load it with `grip providers import .*aanbieders\.csv`/,
    );
    expect(await w.providers()).toEqual([]);
  });
});
