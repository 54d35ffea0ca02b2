/** The proposal finds the header below a title row, and the mapping keeps it (headerRow), so rows above are skipped. */
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePseudonymiser } from '../ingest/pseudonymise.js';
import { openTestWarehouse, tempDir } from '../ingest/testing/fixtures.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { importExports, proposeMapping, saveMapping } from './mapping.js';

const pseudonymise = makePseudonymiser(Buffer.alloc(32, 5));

describe('proposeMapping on a workbook with a title above the header', () => {
  let w: Warehouse;
  beforeAll(async () => {
    w = await openTestWarehouse();
  });
  afterAll(async () => {
    await w.close();
  });

  it('finds the header in row 3 and reads the rows below it', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Declaraties');
    ws.addRow(['Declaratieoverzicht jeugdhulp 2025 (export 3-2-2025)']);
    ws.addRow([]);
    ws.addRow(['Gemeente', 'AGB-code', 'BSN', 'Factuurdatum', 'Begindatum', 'Productcode', 'Eenheid', 'Bedrag']);
    // 123456782 and 111222333 pass the 11-proef; 45 + 12,50 = 57,50 euro in total.
    ws.addRow(['Dordrecht', '41000000', '123456782', '05-02-2025', '01-01-2025', '45A03', '04', '45,00']);
    ws.addRow(['Alblasserdam', '41000000', '111222333', '05-02-2025', '01-01-2025', '45A03', '04', '12,50']);
    const path = join(tempDir(), 'titel.xlsx');
    await wb.xlsx.writeFile(path);

    const p = await proposeMapping(w, pseudonymise, path, 'titel.xlsx', 'titel');
    expect(p.problems).toEqual([]);
    expect(p.mapping?.headerRow).toBe(3);
    expect(p.guess.notes[0]).toEqual({
      field: 'headerRow',
      text: 'de kolomnamen staan in rij 3; de rijen erboven slaat Grip over',
    });
    expect(p.preview?.error).toBeNull();
    expect(p.preview?.lines.map((l) => [l.row, l.municipality, l.amountCents])).toEqual([
      [4, '0505', 4500],
      [5, '0482', 1250],
    ]);
    await saveMapping(w, p.mapping, 'test');
    const [o] = await importExports(w, pseudonymise, [{ path, display: 'titel.xlsx' }], 'titel', {
      username: 'test',
      role: 'test',
    });
    expect(o).toMatchObject({ status: 'imported', lines: 2, totalCents: 5750 });
  });
});
