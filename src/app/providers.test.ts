/**
 * The provider register: CSV and XLSX import (good files, bad files named by line and column, all or
 * nothing) on both engines, and the labels pages use. Expected values are the files' own contents.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { GripError } from '../domain/errors.js';
import { providerName, providerNameWithCode } from '../domain/providers.js';
import { tempDir, writeFile } from '../ingest/testing/fixtures.js';
import { ENGINES, freshWarehouse } from '../warehouse/testing/engines.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { importProviderFile, parseProviderCsv, providerNames, providersCsv } from './providers.js';
import { errorOf } from './testing/errors.js';

const who = { enteredBy: 'inkoop', enteredAt: '2026-01-15T10:00:00.000Z' };

const GOOD = `agb,name,kvk,careType
41000000,Jeugdzorg De Linde,12345678,Jeugd-GGZ
41000037,"Praktijk Het Anker, Dordrecht",,
`;

async function xlsx(dir: string, name: string, rows: (string | number | null)[][]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Aanbieders');
  for (const r of rows) ws.addRow(r);
  const path = join(dir, name);
  writeFileSync(path, Buffer.from(await wb.xlsx.writeBuffer()));
  return path;
}

async function rejection(p: Promise<unknown>): Promise<GripError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof GripError) return e;
    throw e;
  }
  throw new Error('expected a GripError');
}

describe('provider register CSV: bad input is refused with file, line, column and reason', () => {
  const head = 'agb,name,kvk,careType\n';
  const ok = '41000000,Jeugdzorg De Linde,,\n';
  it.each([
    [`${head}${ok}4100003,Te kort,,\n`, 3, 1, 'column agb: "4100003" is not an AGB code (8 digits)'],
    [`${head}${ok}${ok.replace('De Linde', 'Dubbel')}`, 3, 1, 'column agb: AGB code 41000000 also on line 2'],
    [`${head}41000037,,,\n`, 2, 2, 'column name: is empty'],
    [`${head}${ok}\n41000037,Het Anker,KVK123,\n`, 4, 3, 'column kvk: "KVK123" is not a KvK number (8 digits)'],
  ])('case %#: line %i, column %i', (text, line, column, message) => {
    const e = errorOf(() => parseProviderCsv(text, 'aanbieders.csv'));
    expect(e.where).toEqual({ file: 'aanbieders.csv', line, column });
    expect(e.message).toContain(message);
  });

  it('names an unknown column in the header', () => {
    const e = errorOf(() => parseProviderCsv('agb,naam\n41000000,X\n', 'aanbieders.csv'));
    expect(e.where).toMatchObject({ file: 'aanbieders.csv', line: 1, column: 2 });
    expect(e.message).toContain('unknown column "naam"');
  });
});

describe('provider labels', () => {
  const names = new Map([['41000000', 'Jeugdzorg De Linde']]);
  it('name, or the AGB code when the register does not know it; with the code for drill-downs', () => {
    expect(providerName('41000000', names)).toBe('Jeugdzorg De Linde');
    expect(providerName('41000037', names)).toBe('AGB 41000037');
    expect(providerNameWithCode('41000000', names)).toBe('Jeugdzorg De Linde (AGB 41000000)');
    expect(providerNameWithCode('41000037', names)).toBe('AGB 41000037');
  });
});

describe.each(ENGINES)('provider register on %s', (engine) => {
  let w: Warehouse | null = null;
  afterEach(async () => {
    await w?.close();
    w = null;
  });

  it('imports a CSV file, replaces a provider by its AGB code and exports what it stored', async () => {
    w = await freshWarehouse(engine);
    const dir = tempDir();
    expect(await importProviderFile(w, writeFile(dir, 'aanbieders.csv', GOOD), who)).toBe(2);
    expect(await w.providers()).toEqual([
      {
        agb: '41000000',
        name: 'Jeugdzorg De Linde',
        kvk: '12345678',
        careType: 'Jeugd-GGZ',
        source: 'aanbieders.csv',
        ...who,
      },
      {
        agb: '41000037',
        name: 'Praktijk Het Anker, Dordrecht',
        kvk: null,
        careType: null,
        source: 'aanbieders.csv',
        ...who,
      },
    ]);
    // A second file renames one provider and adds one (semicolons, as Excel writes them in the Netherlands).
    expect(
      await importProviderFile(
        w,
        writeFile(dir, 'update.csv', 'agb;name\n41000037;Het Anker Jeugdhulp\n41000074;Stichting Opgroeien\n'),
        who,
      ),
    ).toBe(2);
    expect([...(await providerNames(w))]).toEqual([
      ['41000037', 'Het Anker Jeugdhulp'],
      ['41000000', 'Jeugdzorg De Linde'],
      ['41000074', 'Stichting Opgroeien'],
    ]);
    expect(await providersCsv(w)).toContain('41000037,Het Anker Jeugdhulp,,\n');
  });

  it('imports the first worksheet of an XLSX file', async () => {
    w = await freshWarehouse(engine);
    const path = await xlsx(tempDir(), 'aanbieders.xlsx', [
      ['agb', 'name', 'kvk', 'careType'],
      ['41000000', 'Jeugdzorg De Linde', '12345678', 'Jeugd-GGZ'],
      [],
      [41000037, 'Het Anker', null, 'Ambulant'],
    ]);
    expect(await importProviderFile(w, path, who)).toBe(2);
    expect((await w.providers()).map((p) => [p.agb, p.name, p.kvk, p.careType, p.source])).toEqual([
      ['41000037', 'Het Anker', null, 'Ambulant', 'aanbieders.xlsx'],
      ['41000000', 'Jeugdzorg De Linde', '12345678', 'Jeugd-GGZ', 'aanbieders.xlsx'],
    ]);
  });

  it('a bad file stores nothing and names the line (CSV) or row (XLSX)', async () => {
    w = await freshWarehouse(engine);
    const dir = tempDir();
    await importProviderFile(w, writeFile(dir, 'aanbieders.csv', GOOD), who);
    const before = await w.providers();
    const bad = writeFile(dir, 'fout.csv', 'agb,name\n41000074,Stichting Opgroeien\n41000111,\n');
    const e1 = await rejection(importProviderFile(w, bad, who));
    expect(e1.describe()).toMatch(/fout\.csv:3: column name: is empty/);
    // Row 4 (after an empty row 3) of the worksheet has a code of 7 digits.
    const badX = await xlsx(dir, 'fout.xlsx', [
      ['agb', 'name'],
      ['41000074', 'Stichting Opgroeien'],
      [],
      ['4100011', 'Te kort'],
    ]);
    const e2 = await rejection(importProviderFile(w, badX, who));
    expect(e2.where).toMatchObject({ file: badX, line: 4, column: 1 });
    expect(e2.message).toContain('"4100011" is not an AGB code');
    const e3 = await rejection(importProviderFile(w, writeFile(dir, 'leeg.csv', 'agb,name\n'), who));
    expect(e3.message).toContain('no providers');
    expect(
      await importProviderFile(w, writeFile(dir, 'x.pdf', 'x'), who).catch((e: unknown) => (e as GripError).code),
    ).toBe('PROVIDER_FILE_TYPE');
    expect(await w.providers()).toEqual(before);
  });
});
