/**
 * Case-system exports through a mapping into the ledger, on both engines: CSV and XLSX, all or nothing,
 * lineage (file, sheet, row), re-import as a no-op, and an overlapping export of the same source replacing
 * the period it covers. Every expected figure is summed by hand from the rows written below.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suite4TestMapping, testMapping } from '../../domain/mapping/testing.js';
import { ENGINES, freshWarehouse } from '../../warehouse/testing/engines.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { makePseudonymiser } from '../pseudonymise.js';
import { importMappedFile } from './import.js';
import { migrateWarehouse } from '../../warehouse/migrate/migrate.js';

const dir = mkdtempSync(join(tmpdir(), 'grip-exports-'));
const pseudonymise = makePseudonymiser(Buffer.alloc(32, 7));

const mapping = testMapping;

const SUITE4 = suite4TestMapping('Suite4 test');

const HEADER =
  'Gemeente;AGB-code;BSN;Factuurnummer;Factuurdatum;Begindatum;Einddatum;Productcode;Aantal;Eenheid;Tarief;Bedrag';
// Dordrecht (0505) January: 340,00 + 170,00 = 510,00. Alblasserdam (0482) February: 1.085,00 − 85,00 = 1.000,00.
const A_ROWS = [
  'Dordrecht;41000000;123456782;F1;06-02-2025;01-01-2025;31-01-2025;45A03;4;04;85,00;340,00',
  'Dordrecht;41000000;111222333;F1;06-02-2025;01-01-2025;31-01-2025;45A03;2;04;85,00;170,00',
  'Alblasserdam;41000001;123456782;F2;06-03-2025;01-02-2025;28-02-2025;54001;1;04;1.085,00;1.085,00',
  'Alblasserdam;41000001;123456782;F3;10-03-2025;01-02-2025;28-02-2025;54001;1;04;1.085,00;-85,00',
];
// "The whole year again": A plus Dordrecht March 200,00.
const B_ROWS = [...A_ROWS, 'Dordrecht;41000000;111222333;F4;05-04-2025;01-03-2025;31-03-2025;45A03;2;04;100,00;200,00'];
// Only Dordrecht, only January, corrected to 340,00.
const C_ROWS = [A_ROWS[0] ?? ''];

const file = (name: string, rows: string[]) => {
  const p = join(dir, name);
  writeFileSync(p, [HEADER, ...rows].join('\r\n') + '\r\n');
  return p;
};

async function byMonth(w: Warehouse): Promise<Record<string, number>> {
  const rows = await w.costs({ by: ['municipality', 'month'] });
  return Object.fromEntries(rows.map((r) => [`${r.municipality} ${r.month}`, r.amountCents]));
}
async function runoffByMonth(w: Warehouse): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const c of await w.runoff({}))
    out[`${c.municipality} ${c.month}`] = (out[`${c.municipality} ${c.month}`] ?? 0) + c.amountCents;
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== 0));
}

describe.each(ENGINES)('mapped exports on %s', (engine) => {
  let w: Warehouse;
  beforeAll(async () => {
    w = await freshWarehouse(engine);
  });
  afterAll(async () => {
    await w.close();
  });

  it('imports a CSV export; the same file again is a no-op', async () => {
    const a = file(`a-${engine}.csv`, A_ROWS);
    const o = await importMappedFile(a, { warehouse: w, pseudonymise, mapping: SUITE4 });
    expect(o).toMatchObject({
      status: 'imported',
      lines: 4,
      totalCents: 151_000,
      periodFrom: '2025-01',
      periodTo: '2025-02',
      municipalities: ['0482', '0505'],
    });
    expect(o.replaced?.lines).toBe(0);
    expect(await byMonth(w)).toEqual({ '0482 2025-02': 100_000, '0505 2025-01': 51_000 });
    const again = await importMappedFile(a, { warehouse: w, pseudonymise, mapping: SUITE4 });
    expect(again.status).toBe('skipped');
    expect((await w.status()).totalCents).toBe(151_000);
    const lineage = await w.lineage({ municipality: '0482' });
    expect(lineage.map((l) => [l.fileName, l.sheet, l.sourceLine, l.amountCents])).toEqual([
      [`a-${engine}.csv`, null, 4, 108_500],
      [`a-${engine}.csv`, null, 5, -8_500],
    ]);
    expect(lineage.every((l) => /^p_[0-9a-f]{20}$/.test(l.client))).toBe(true);
    expect(lineage[0]?.client).toBe(pseudonymise('123456782'));
  });

  it('a "whole year again" export of the same source replaces the overlap instead of doubling it', async () => {
    const b = await importMappedFile(file(`b-${engine}.csv`, B_ROWS), { warehouse: w, pseudonymise, mapping: SUITE4 });
    expect(b).toMatchObject({
      status: 'imported',
      lines: 5,
      totalCents: 171_000,
      periodFrom: '2025-01',
      periodTo: '2025-03',
    });
    expect(b.replaced).toEqual({
      lines: 4,
      amountCents: 151_000,
      files: [{ id: 1, name: `a-${engine}.csv`, lines: 4, amountCents: 151_000 }],
      otherSources: { lines: 0, amountCents: 0 },
    });
    expect(await byMonth(w)).toEqual({ '0482 2025-02': 100_000, '0505 2025-01': 51_000, '0505 2025-03': 20_000 });
    expect(await runoffByMonth(w)).toEqual(await byMonth(w));
    expect((await w.status()).totalCents).toBe(171_000);
    expect((await w.fileTotals()).map((f) => [f.name, f.lines, f.amountCents])).toEqual([
      [`a-${engine}.csv`, 0, 0],
      [`b-${engine}.csv`, 5, 171_000],
    ]);
  });

  it('a partial export replaces only its months and municipalities', async () => {
    const c = await importMappedFile(file(`c-${engine}.csv`, C_ROWS), { warehouse: w, pseudonymise, mapping: SUITE4 });
    // Replaced: B's two Dordrecht January lines (340,00 + 170,00); Alblasserdam February and Dordrecht March stay.
    expect(c.replaced?.lines).toBe(2);
    expect(c.replaced?.amountCents).toBe(51_000);
    expect(await byMonth(w)).toEqual({ '0482 2025-02': 100_000, '0505 2025-01': 34_000, '0505 2025-03': 20_000 });
    expect(await runoffByMonth(w)).toEqual(await byMonth(w));
    const exports = await w.exportFiles();
    expect(exports.map((e) => [e.name, e.source, e.periodFrom, e.periodTo, e.replacedLines])).toEqual([
      [`a-${engine}.csv`, 'Suite4 test', '2025-01', '2025-02', 0],
      [`b-${engine}.csv`, 'Suite4 test', '2025-01', '2025-03', 4],
      [`c-${engine}.csv`, 'Suite4 test', '2025-01', '2025-01', 2],
    ]);
  });

  it('a bad export is rejected whole, naming row and column, and changes nothing', async () => {
    const before = await byMonth(w);
    const rows = [...B_ROWS];
    rows[1] = (rows[1] ?? '').replace(/170,00$/, 'twaalf');
    const d = await importMappedFile(file(`d-${engine}.csv`, rows), {
      warehouse: w,
      pseudonymise,
      mapping: SUITE4,
      display: 'd.csv',
    });
    expect(d.status).toBe('rejected');
    expect(d.reason).toBe("d.csv: rij 3, kolom Bedrag: 'twaalf' is geen bedrag [MAPPING_VALUE]");
    expect(await byMonth(w)).toEqual(before);
    expect((await w.exportFiles()).length).toBe(3);
  });

  it('another source does not replace: its lines are added', async () => {
    const other = mapping({ ...SUITE4, name: 'suite4-b', source: 'Andere bron' });
    const e = await importMappedFile(
      file(
        `e-${engine}.csv`,
        C_ROWS.map((r) => r.replace('F1', 'G1')),
      ),
      { warehouse: w, pseudonymise, mapping: other },
    );
    expect(e.replaced?.lines).toBe(0);
    // The same care (Dordrecht, January, 45A03, 340,00 for the same BSN) is in Suite4 test's export: reported, not replaced.
    expect(e.replaced?.otherSources).toEqual({ lines: 1, amountCents: 34_000 });
    expect((await byMonth(w))['0505 2025-01']).toBe(68_000);
  });

  it('reads an iSD-like XLSX: one sheet per municipality, Excel dates, D/C column, case-system client ids', async () => {
    const wb = new ExcelJS.Workbook();
    // Alblasserdam: 250,50 debit and 50,50 credit (net 200,00) in April 2025; Dordrecht: 99,99 in May 2025.
    const sheets: [string, (string | number)[][]][] = [
      [
        'Alblasserdam',
        [
          ['C-1', 41000002, 'N-1', 45777, 45748, 45, 'A03', 3, 'uur', 250.5, 'D'],
          ['C-1', 41000002, 'N-2', 45778, 45748, 45, 'A03', 1, 'uur', 50.5, 'C'],
        ],
      ],
      ['Dordrecht', [['C-2', 41000002, 'N-3', 45810, 45778, 45, 'A03', 1, 'uur', 99.99, 'D']]],
    ];
    for (const [name, rows] of sheets) {
      const ws = wb.addWorksheet(name);
      ws.addRow([
        'Cliëntnummer',
        'AGB',
        'Notanummer',
        'Datum nota',
        'Periode van',
        'Categorie',
        'Product',
        'Aantal',
        'Eenheid',
        'Bedrag',
        'D/C',
      ]);
      for (const r of rows) ws.addRow(r);
    }
    const path = join(dir, `isd-${engine}.xlsx`);
    await wb.xlsx.writeFile(path);
    const isd = mapping({
      name: 'isd',
      source: 'iSD test',
      fields: {
        municipality: { sheet: true, as: 'naam' },
        provider: { column: 'AGB' },
        client: { column: 'Cliëntnummer', as: 'pseudoniem' },
        declarationNumber: { column: 'Notanummer' },
        declarationDate: { column: 'Datum nota', format: 'excel' },
        periodStart: { column: 'Periode van', format: 'excel' },
        category: { column: 'Categorie' },
        productCode: { column: 'Product', withCategory: false },
        volume: { column: 'Aantal' },
        unit: { column: 'Eenheid' },
        amount: { column: 'Bedrag', decimal: ',' },
        credit: { column: 'D/C' },
      },
    });
    const o = await importMappedFile(path, { warehouse: w, pseudonymise, mapping: isd });
    expect(o).toMatchObject({
      status: 'imported',
      lines: 3,
      totalCents: 29_999,
      periodFrom: '2025-04',
      periodTo: '2025-05',
      sheets: ['Alblasserdam', 'Dordrecht'],
    });
    const m = await byMonth(w);
    expect(m['0482 2025-04']).toBe(20_000);
    expect(m['0505 2025-05']).toBe(9_999);
    const lineage = await w.lineage({ month: '2025-04' });
    expect(lineage.map((l) => [l.sheet, l.sourceLine, l.productCode, l.amountCents])).toEqual([
      ['Alblasserdam', 2, '45A03', 25_050],
      ['Alblasserdam', 3, '45A03', -5_050],
    ]);
    // 45748 = 2025-04-01 (45658 = 2025-01-01, plus 31 + 28 + 31 days).
    const line = (await w.lineage({ month: '2025-05' }))[0];
    expect(line?.sheet).toBe('Dordrecht');
    expect(line?.client).toBe(pseudonymise.external?.('iSD test', 'C-2'));
    expect(line?.client).not.toContain('C-2');
    // A bad value names the sheet.
    const bad = new ExcelJS.Workbook();
    const ws = bad.addWorksheet('Dordrecht');
    ws.addRow([
      'Cliëntnummer',
      'AGB',
      'Notanummer',
      'Datum nota',
      'Periode van',
      'Categorie',
      'Product',
      'Aantal',
      'Eenheid',
      'Bedrag',
      'D/C',
    ]);
    ws.addRow(['C-3', 41000002, 'N-9', 45810, 45778, 45, 'A03', 1, 'uur', 'twaalf', 'D']);
    const badPath = join(dir, `isd-bad-${engine}.xlsx`);
    await bad.xlsx.writeFile(badPath);
    const r = await importMappedFile(badPath, { warehouse: w, pseudonymise, mapping: isd, display: 'isd-bad.xlsx' });
    expect(r.reason).toBe("isd-bad.xlsx: blad Dordrecht, rij 2, kolom Bedrag: 'twaalf' is geen bedrag [MAPPING_VALUE]");
  });
});

describe('grip migrate carries mappings and export records', () => {
  it('DuckDB → PostgreSQL: the target knows the export, its sheets and its source, so the next export still replaces', async () => {
    const src = await freshWarehouse('duckdb');
    const dst = await freshWarehouse('postgres');
    try {
      await src.saveMapping({
        name: SUITE4.name,
        source: 'Suite4 test',
        definition: JSON.stringify(SUITE4),
        savedBy: 't',
        savedAt: '2026-01-01T00:00:00Z',
      });
      expect(
        (await importMappedFile(file('m-a.csv', A_ROWS), { warehouse: src, pseudonymise, mapping: SUITE4 })).status,
      ).toBe('imported');
      const report = await migrateWarehouse(src, dst);
      expect(report.mismatches).toEqual([]);
      expect(report.steering).toMatchObject({ mappings: 1, exportRecords: 1 });
      expect(await dst.mappings()).toEqual(await src.mappings());
      expect(await dst.exportFiles()).toEqual(await src.exportFiles());
      expect((await dst.lineage({ municipality: '0505' })).map((l) => [l.sheet, l.sourceLine])).toEqual([
        [null, 2],
        [null, 3],
      ]);
      const b = await importMappedFile(file('m-b.csv', B_ROWS), { warehouse: dst, pseudonymise, mapping: SUITE4 });
      expect(b.replaced?.lines).toBe(4);
      expect((await dst.status()).totalCents).toBe(171_000);
    } finally {
      await src.close();
      await dst.close();
    }
  });
});
