/**
 * Storage on both engines of what issue 22 added to the warehouse: reservations, special cases marked by hand
 * (and their lines in the run-off of the forecast "zonder bijzondere casussen"), and year-end statements.
 * Every expected figure is worked out by hand from the ledger below.
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { lastDayOfMonth } from '../../domain/month.js';
import { ENGINES, freshWarehouse } from '../testing/engines.js';
import type { DeclarationLineRow, Warehouse } from '../warehouse.js';

const P1 = '11111111';
const P2 = '22222222';
const A = 'p_aaaaaaaaaaaaaaaaaaaa';
const B = 'p_bbbbbbbbbbbbbbbbbbbb';
const C = 'p_cccccccccccccccccccc';
const D = 'p_dddddddddddddddddddd';

/**
 *  L1 0482 A  alloc T1 P1  2025-03  €   10,00  declared 2025-04-10
 *  L2 0482 A  alloc T1 P1  2025-06  €   20,00  declared 2025-07-10
 *  L3 0482 B  family F1 alloc T2 P2  2025-03  €   40,00  declared 2025-04-10
 *  L4 0482 C  family F1 alloc T3 P2  2025-05  €   80,00  declared 2025-06-10
 *  L5 0482 D  alloc T1 P2 (same number, other provider)  2025-03  € 160,00  declared 2025-04-10
 *  L6 0505 A  alloc T1 P1  2025-03  € 320,00  declared 2025-04-10 (another municipality)
 */
const LINES: [string, string, string | null, string, string, string, number, string][] = [
  ['0482', A, null, 'T1', P1, '2025-03', 1_000, '2025-04-10'],
  ['0482', A, null, 'T1', P1, '2025-06', 2_000, '2025-07-10'],
  ['0482', B, 'F1', 'T2', P2, '2025-03', 4_000, '2025-04-10'],
  ['0482', C, 'F1', 'T3', P2, '2025-05', 8_000, '2025-06-10'],
  ['0482', D, null, 'T1', P2, '2025-03', 16_000, '2025-04-10'],
  ['0505', A, null, 'T1', P1, '2025-03', 32_000, '2025-04-10'],
];

async function loadLedger(w: Warehouse): Promise<void> {
  const s = await w.beginImport();
  const f = s.beginFile();
  let total = 0;
  LINES.forEach(([municipality, client, family, alloc, provider, month, amount, date], i) => {
    const row: DeclarationLineRow = {
      seq: i + 1,
      sourceLine: 2 + i,
      municipality,
      provider,
      client,
      declarationNumber: `N-${i}`,
      declarationDate: date,
      declarationPeriodStart: null,
      referenceNumber: `R-${i}`,
      previousReferenceNumber: null,
      allocationNumber: alloc,
      category: '45',
      productCode: '45A03',
      periodStart: `${month}-01`,
      periodEnd: lastDayOfMonth(month),
      volume: 1,
      unit: '04',
      tariffCents: amount,
      amountCents: amount,
      debitCredit: 'D',
      referrer: null,
      family,
    };
    total += amount;
    f.sink.row('declaration_lines', row);
  });
  s.endFile(
    f.fileId,
    {
      name: 'd.csv',
      path: 'd.csv',
      sha256: createHash('sha256').update('d').digest('hex'),
      messageType: 'CSV',
      sender: P1,
      receiver: '0482',
      messageId: 'd',
      messageDate: null,
      sizeBytes: 1,
    },
    { lines: LINES.length, totalCents: total },
    false,
  );
  await s.commit();
  await w.refreshDerived();
}

const who = { enteredBy: 'analist', enteredAt: '2025-08-01T10:00:00.000Z' };
const sum = (xs: { amountCents: number }[]) => xs.reduce((s, x) => s + x.amountCents, 0);

describe.each(ENGINES)('issue 22 storage on %s', (engine) => {
  let w: Warehouse | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it('reservations: appended, filtered by year and date', async () => {
    w = await freshWarehouse(engine);
    const r = (date: string, amountCents: number, municipality = '0482') => ({
      municipality,
      year: 2025,
      date,
      amountCents,
      reference: 'Burap 1',
      description: null,
      ...who,
    });
    await w.saveSteering({
      reservations: [r('2025-06-01', 60_000_000), r('2025-09-01', 70_000_000), r('2025-06-01', 1_000, '0505')],
    });
    expect(
      (await w.reservations({ year: 2025, municipalities: ['0482'] })).map((x) => [x.date, x.amountCents]),
    ).toEqual([
      ['2025-06-01', 60_000_000],
      ['2025-09-01', 70_000_000],
    ]);
    expect((await w.reservations({ year: 2025, upTo: '2025-07-01' })).map((x) => x.amountCents)).toEqual([
      60_000_000, 1_000,
    ]);
    expect(await w.reservations({ year: 2024 })).toEqual([]);
  });

  it('special cases marked by hand: stored, counted once in the run-off, per case, and removed', async () => {
    w = await freshWarehouse(engine);
    await loadLedger(w);
    const v0 = await w.dataVersion();
    const base = { municipality: '0482', provider: null, to: null, ...who };
    const s1 = await w.addSpecialCase({
      ...base,
      kind: 'client',
      subject: A,
      reason: 'Crisisplaatsing',
      from: '2025-01',
      to: '2025-04',
    });
    const s2 = await w.addSpecialCase({
      ...base,
      kind: 'family',
      subject: 'F1',
      reason: 'Gezin met vier kinderen in verblijf',
      from: '2025-01',
    });
    const s3 = await w.addSpecialCase({
      ...base,
      kind: 'allocation',
      subject: 'T1',
      provider: P1,
      reason: 'Dure toewijzing',
      from: '2025-01',
    });
    expect(await w.dataVersion()).not.toBe(v0);
    expect((await w.markedSpecialCases()).map((c) => [c.id, c.kind, c.subject, c.provider, c.from, c.to])).toEqual([
      [s1, 'client', A, null, '2025-01', '2025-04'],
      [s2, 'family', 'F1', null, '2025-01', null],
      [s3, 'allocation', 'T1', P1, '2025-01', null],
    ]);
    // S1: L1 (L2 is after its period) = 1.000; S2: L3 + L4 = 12.000; S3: L1 + L2 (not L5: other provider) = 3.000.
    expect(await w.markedCaseCosts({ municipalities: ['0482'], after: '2025-05-31' })).toEqual([
      { id: s1, amountCents: 1_000, newCents: 0, clients: 1 },
      { id: s2, amountCents: 12_000, newCents: 8_000, clients: 2 },
      { id: s3, amountCents: 3_000, newCents: 2_000, clients: 1 },
    ]);
    // The run-off of the special cases: L1 (in S1 and S3, once), L2, L3, L4 = 15.000; never L5 nor 0505's L6.
    const q = { from: '2025-01', to: '2025-12', municipalities: ['0482'] };
    const cells = await w.specialCaseRunoff(q);
    expect(sum(cells)).toBe(15_000);
    expect(cells.map((c) => [c.month, c.declarationDate, c.amountCents])).toEqual([
      ['2025-03', '2025-04-10', 5_000],
      ['2025-05', '2025-06-10', 8_000],
      ['2025-06', '2025-07-10', 2_000],
    ]);
    expect(sum(await w.specialCaseRunoff({ ...q, asOf: '2025-05-31' }))).toBe(5_000);
    // Removal: only within the municipalities given; stamped, not deleted.
    expect(await w.removeSpecialCase(s2, 'analist', '2025-09-01T00:00:00.000Z', ['0505'])).toBe(false);
    expect(await w.removeSpecialCase(s2, 'analist', '2025-09-01T00:00:00.000Z', ['0482'])).toBe(true);
    expect(await w.removeSpecialCase(s2, 'analist', '2025-09-01T00:00:00.000Z')).toBe(false);
    expect(sum(await w.specialCaseRunoff(q))).toBe(3_000);
    expect((await w.markedSpecialCases()).map((c) => c.id)).toEqual([s1, s3]);
    expect((await w.markedSpecialCases({ includeRemoved: true })).find((c) => c.id === s2)?.removedBy).toBe('analist');
  });

  it('year-end statements: stored; a row with the same key replaces the stored one; all or nothing', async () => {
    w = await freshWarehouse(engine);
    const row = (product: string, amountCents: number, sourceLine: number) => ({
      provider: P1,
      municipality: '0482',
      year: 2025,
      product,
      amountCents,
      source: 'pv.csv',
      sourceLine,
    });
    await w.saveStatements([row('45', 100_000, 2), row('45A03', 50_000, 3)], who);
    await w.saveStatements([row('45', 120_000, 2)], { ...who, enteredBy: 'controller' });
    const rows = await w.statements({ year: 2025 });
    expect(rows.map((r) => [r.product, r.amountCents, r.enteredBy])).toEqual([
      ['45', 120_000, 'controller'],
      ['45A03', 50_000, 'analist'],
    ]);
    // A row the table refuses (no provider) fails the call: nothing of it is stored, the earlier rows stay.
    await expect(
      w.saveStatements([row('54', 1, 2), { ...row('47', 2, 3), provider: null as unknown as string }], who),
    ).rejects.toThrow();
    expect((await w.statements()).map((r) => r.product)).toEqual(['45', '45A03']);
  });
});
