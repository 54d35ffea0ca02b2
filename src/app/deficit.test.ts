/**
 * One deficit, explained (app/deficit.ts): own result, share of the region's result under the key, the stored
 * reservation and the balance, on a hand-made region of two municipalities whose year is fully declared (so the
 * forecast is what was declared). The figures are chosen so Alblasserdam's share and reservation are seed 000's.
 */
import ExcelJS from 'exceljs';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../ingest/testing/fixtures.js';
import { burapData } from './reports.js';
import { ENGINES, freshWarehouse } from '../warehouse/testing/engines.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { importBudgetCsv, importReservations, parseReservationsCsv } from './budgets.js';
import { deficitView, reservationsFor } from './deficit.js';
import { importDeclarations } from './testing/ledger.js';
import { errorOf } from './testing/errors.js';

const who = { enteredBy: 'controller', enteredAt: '2025-01-15T10:00:00.000Z' };
const months = Array.from({ length: 12 }, (_, i) => `2024-${String(i + 1).padStart(2, '0')}`);

/**
 * 2024, declared the 10th of the next month: 0482 12 × € 200.000 = € 2.400.000, 0505 12 × € 800.000 = € 9.600.000;
 * region € 12.000.000, usage key 20% / 80%. Budgets € 1.800.000 and € 6.900.000 = € 8.700.000: region result
 * € 3.300.000. Shares: 0482 20% × 3.300.000 = € 660.000 (seed 000's share), 0505 € 2.640.000.
 * Own results: 0482 2.400.000 − 1.800.000 = € 600.000; 0505 9.600.000 − 6.900.000 = € 2.700.000.
 * 0482 reserved € 600.000 (seed 000) → setback € 60.000; its budget is € 60.000 above 20% of € 8.700.000 (€ 1.740.000).
 */
async function region(w: Warehouse): Promise<void> {
  await importDeclarations(
    w,
    months.flatMap((month) => [
      { municipality: '0482', month, amountCents: 20_000_000, client: 1 },
      { municipality: '0505', month, amountCents: 80_000_000, client: 2 },
    ]),
  );
  await importBudgetCsv(
    w,
    'municipality,year,kind,date,amountEuros\n0482,2024,primitief,2023-11-12,1800000\n0505,2024,primitief,2023-11-12,6900000\n',
    'b.csv',
    who,
  );
}

describe('reservations file: bad input is refused with file, line (row), column and reason', () => {
  const head = 'municipality,year,date,amountEuros\n';
  it.each([
    [`${head}0482,2024,2024-07-08,600000\n9999x,2024,2024-07-08,1\n`, 3, 1, 'not a CBS municipality code'],
    [`${head}0482,2024,2024-07-32,600000\n`, 2, 3, 'column date: "2024-07-32" is not a date'],
    [`${head}0482,2024,2024-07-08,-5\n`, 2, 4, 'a reservation cannot be negative'],
    [`${head}0482,2024,2024-07-08,"600.000,5x"\n`, 2, 4, 'is not an amount in euros'],
    [
      `${head}0482,2024,2024-07-08,600000\n0482,2024,2024-07-08,700000\n`,
      3,
      3,
      'already has a reservation dated 2024-07-08',
    ],
  ])('%#', (text, line, column, message) => {
    const e = errorOf(() => parseReservationsCsv(text, 'reserveringen.csv', who));
    expect(e.where).toEqual({ file: 'reserveringen.csv', line, column });
    expect(e.message).toContain(message);
  });
});

describe.each(ENGINES)('one deficit, explained, on %s', (engine) => {
  let w: Warehouse | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it('own result, share, stored reservation and setback per municipality; the Burap shows the same', async () => {
    w = await freshWarehouse(engine);
    await region(w);
    // XLSX: the first worksheet, header in row 1; a later reservation (after the as-of date) does not count yet.
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Reserveringen');
    ws.addRow(['municipality', 'year', 'date', 'amountEuros', 'reference']);
    ws.addRow(['GM0482', 2024, '2024-07-08', 600000, '1e Burap 2024']);
    ws.addRow(['GM0482', 2024, '2025-03-05', 700000, 'Jaarrekening']);
    const file = join(tempDir(), 'reserveringen.xlsx');
    writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));
    expect(await importReservations(w, readFileSync(file), file, who)).toBe(2);
    expect([...(await reservationsFor(w, 2024, '2025-02-28'))]).toEqual([['0482', 60_000_000]]);
    expect([...(await reservationsFor(w, 2024))]).toEqual([['0482', 70_000_000]]);

    const v = await deficitView(w, { year: 2024, asOf: '2025-02-28', municipalities: ['0482', '0505'] });
    expect(v.region).toMatchObject({
      budgetCents: 870_000_000,
      forecastCents: 1_200_000_000,
      resultCents: 330_000_000,
      reservationCents: 60_000_000,
      balanceCents: null,
    });
    const [a, d] = v.rows;
    expect(a).toMatchObject({
      municipality: '0482',
      name: 'Alblasserdam',
      forecastCents: 240_000_000,
      ownCents: 60_000_000,
      shareCents: 66_000_000,
      reservationCents: 60_000_000,
      balanceCents: 6_000_000,
    });
    expect(a?.keyFraction).toBeCloseTo(0.2, 12);
    expect(a?.ownVsShare).toMatchObject({ differenceCents: 6_000_000, budgetGapCents: 6_000_000, forecastGapCents: 0 });
    expect(a?.reservation?.sentence).toContain('tegenvaller van € 60.000');
    expect(d).toMatchObject({
      municipality: '0505',
      ownCents: 270_000_000,
      shareCents: 264_000_000,
      reservationCents: null,
      balanceCents: null,
      reservation: null,
    });

    // The Burap draft uses the same service: same share, reservation and setback; the sentence is in its row.
    const b = await burapData(w, { year: 2024, half: 2, asOf: '2025-02-28', municipalities: ['0482', '0505'] });
    expect(b.rows[0]).toMatchObject({
      shareCents: 66_000_000,
      reservationCents: 60_000_000,
      balanceCents: 6_000_000,
      differenceCents: 60_000_000,
    });
    expect(b.rows[0]?.reservation?.sentence).toBe(a?.reservation?.sentence);
  });

  it('a bad reservations file stores nothing', async () => {
    w = await freshWarehouse(engine);
    const e = await importReservations(
      w,
      Buffer.from('municipality,year,date,amountCents\n0482,2024,2024-07-08,100\n0482,2024,x,1\n'),
      'r.csv',
      who,
    ).catch((x: unknown) => x as Error);
    expect(String(e)).toContain('"x" is not a date');
    expect(await w.reservations()).toEqual([]);
  });
});
