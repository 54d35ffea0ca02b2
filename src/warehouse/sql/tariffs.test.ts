/**
 * The contracted tariff list on both engines: storage (replace by key, all or nothing, queries) and the
 * data-quality check "tariff" on a hand-made ledger, with every expected figure worked out by hand below.
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { at } from '../../domain/indexing.js';
import { TARIFF_LIST_MISSING } from '../../domain/insight/quality.js';
import { lastDayOfMonth } from '../../domain/month.js';
import { ENGINES, freshWarehouse } from '../testing/engines.js';
import type { DeclarationAnswerRow, DeclarationLineRow, Warehouse } from '../warehouse.js';
import type { ContractedTariff } from '../types.js';

const P1 = '11111111';
const P2 = '22222222';
const P3 = '33333333';
const by = { source: 'tarieven.csv', enteredBy: 'inkoop', enteredAt: '2025-01-10T09:00:00.000Z' };

const t = (
  provider: string,
  category: string,
  productCode: string | null,
  unit: string,
  tariffCents: number,
  validFrom: string,
  validTo: string | null = null,
): ContractedTariff => ({
  provider,
  category,
  productCode,
  unit,
  tariffCents,
  validFrom,
  validTo,
});

/** The tariff list of the check below. */
const LIST: ContractedTariff[] = [
  t('*', '45', '45A03', '04', 8_500, '2025-01-01', '2025-12-31'), // T1: every provider, 45A03 per hour in 2025
  t('*', '45', null, '04', 9_000, '2025-01-01'), //                  T2: every provider, the rest of category 45 per hour
  t(P1, '45', '45A03', '04', 8_800, '2025-07-01'), //                 T3: P1's own 45A03 tariff from July 2025
  t('*', '45', '45A03', '04', 8_000, '2024-01-01', '2024-12-31'), // T4: 45A03 in 2024
  t('*', '54', '54G01', '01', 190, '2025-01-01'), //                 T5: 54G01 per minute
  t(P3, '45', null, '04', 9_500, '2025-01-01'), //                    T6: P3's own tariff for category 45 (any product)
];

interface L {
  name: string;
  municipality?: string;
  provider: string;
  product: string;
  category?: string;
  unit?: string;
  month: string;
  tariff: number | null;
  volume: number;
  dc?: 'D' | 'C';
  ref?: string;
  prevRef?: string;
}

/**
 * Declaration lines (municipality 0482 unless said), with the contracted tariff each gets and what is at stake:
 *  L1  P2 45A03 2025-03  € 90,00 × 10  T1 € 85,00 (exact product beats category-wide T2) → above: 500 × 10 = 5.000
 *  L2  P1 45A03 2025-03  € 85,00 × 4   T1 (T3 starts in July)                              → equal: no finding
 *  L3  P1 45A03 2025-08  € 86,00 × 6   T3 € 88,00 (P1's own)                               → below: finding, 0 at stake
 *  L4  P2 45A03 2025-08  € 86,00 × 6   T1 € 85,00                                           → above: 100 × 6 = 600
 *  L5  P2 45B01 2025-05  € 95,00 × 3   T2 € 90,00 (no row for 45B01)                        → above: 500 × 3 = 1.500
 *  L6  P2 45A03 2024-12  € 85,00 × 5   T4 € 80,00 (2024)                                    → above: 500 × 5 = 2.500
 *  L7  P2 45A03 2025-03  unit 01       no row for category 45 per minute                    → not checked
 *  L8  P2 45A03 2025-04  € 99,00 × 2   credited by L8c                                      → not checked (nor L8c)
 *  L9  P2 45A03 2025-04  € 99,00 × 1   rejected in a JW325                                  → not checked
 *  L10 P2 45A03 2025-03  no ProductTarief                                                    → not checked
 *  L11 P2 54G01 2025-02  € 2,00 × 300  T5 € 1,90                                            → above: 10 × 300 = 3.000
 *  L12 P3 45A03 2025-03  € 95,00 × 2   T1 € 85,00 (exact product beats P3's category-wide T6) → above: 1.000 × 2 = 2.000
 *  L13 0505: P2 45A03 2025-03 € 90,00 × 1   T1                                              → above: 500
 * 0482: 7 findings (L1, L3, L4, L5, L6, L11, L12), 5.000 + 0 + 600 + 1.500 + 2.500 + 3.000 + 2.000 = 14.600 cents.
 * Per provider: P2 5 lines 12.600; P3 1 line 2.000; P1 1 line 0.
 */
const LINES: L[] = [
  { name: 'L1', provider: P2, product: '45A03', month: '2025-03', tariff: 9_000, volume: 10 },
  { name: 'L2', provider: P1, product: '45A03', month: '2025-03', tariff: 8_500, volume: 4 },
  { name: 'L3', provider: P1, product: '45A03', month: '2025-08', tariff: 8_600, volume: 6 },
  { name: 'L4', provider: P2, product: '45A03', month: '2025-08', tariff: 8_600, volume: 6 },
  { name: 'L5', provider: P2, product: '45B01', month: '2025-05', tariff: 9_500, volume: 3 },
  { name: 'L6', provider: P2, product: '45A03', month: '2024-12', tariff: 8_500, volume: 5 },
  { name: 'L7', provider: P2, product: '45A03', unit: '01', month: '2025-03', tariff: 150, volume: 60 },
  { name: 'L8', provider: P2, product: '45A03', month: '2025-04', tariff: 9_900, volume: 2, ref: 'R-L8' },
  {
    name: 'L8c',
    provider: P2,
    product: '45A03',
    month: '2025-04',
    tariff: 9_900,
    volume: 2,
    dc: 'C',
    ref: 'R-L8c',
    prevRef: 'R-L8',
  },
  { name: 'L9', provider: P2, product: '45A03', month: '2025-04', tariff: 9_900, volume: 1, ref: 'R-L9' },
  { name: 'L10', provider: P2, product: '45A03', month: '2025-03', tariff: null, volume: 3 },
  {
    name: 'L11',
    provider: P2,
    product: '54G01',
    category: '54',
    unit: '01',
    month: '2025-02',
    tariff: 200,
    volume: 300,
  },
  { name: 'L12', provider: P3, product: '45A03', month: '2025-03', tariff: 9_500, volume: 2 },
  { name: 'L13', municipality: '0505', provider: P2, product: '45A03', month: '2025-03', tariff: 9_000, volume: 1 },
];

/** One JW323-like file "d.xml" with the lines (source line = 100 + position) and a JW325 rejecting L9. */
async function loadLedger(w: Warehouse): Promise<void> {
  const s = await w.beginImport();
  const meta = (name: string, type: 'JW323' | 'JW325') => ({
    name,
    path: name,
    sha256: createHash('sha256').update(name).digest('hex'),
    messageType: type,
    sender: P2,
    receiver: '0482',
    messageId: name,
    messageDate: '2025-10-01',
    sizeBytes: 1,
  });
  const f = s.beginFile();
  let total = 0;
  LINES.forEach((l, i) => {
    const dc = l.dc ?? 'D';
    const amount = (l.tariff ?? 8_500) * l.volume;
    const row: DeclarationLineRow = {
      seq: i + 1,
      sourceLine: 100 + i,
      municipality: l.municipality ?? '0482',
      provider: l.provider,
      client: `c-${l.name}`,
      declarationNumber: `N-${l.provider}`,
      declarationDate: '2025-10-01',
      declarationPeriodStart: null,
      referenceNumber: l.ref ?? `R-${l.name}`,
      previousReferenceNumber: l.prevRef ?? null,
      allocationNumber: null,
      category: l.category ?? '45',
      productCode: l.product,
      periodStart: `${l.month}-01`,
      periodEnd: lastDayOfMonth(l.month),
      volume: l.volume,
      unit: l.unit ?? '04',
      tariffCents: l.tariff,
      amountCents: dc === 'C' ? -amount : amount,
      debitCredit: dc,
      referrer: null,
      family: null,
    };
    total += row.amountCents;
    f.sink.row('declaration_lines', row);
  });
  s.endFile(f.fileId, meta('d.xml', 'JW323'), { lines: LINES.length, totalCents: total }, false);
  const a = s.beginFile();
  const answer: DeclarationAnswerRow = {
    seq: 1,
    sourceLine: 10,
    municipality: '0482',
    provider: P2,
    client: 'c-L9',
    declarationNumber: `N-${P2}`,
    referenceNumber: 'R-L9',
    amountCents: 9_900,
    returnCodes: ['0001'],
    accepted: false,
    answerDate: '2025-10-15',
  };
  a.sink.row('declaration_answers', answer);
  s.endFile(a.fileId, meta('a.xml', 'JW325'), { lines: 0, totalCents: 0 }, false);
  await s.commit();
  await w.refreshDerived();
}

describe.each(ENGINES)('contracted tariffs on %s', (engine) => {
  let w: Warehouse | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it('stores the list; a row with the same provider, category, product and validFrom replaces the stored one', async () => {
    w = await freshWarehouse(engine);
    expect(await w.tariffs()).toEqual([]);
    await w.saveTariffs(LIST, by);
    const all = await w.tariffs();
    expect(all).toHaveLength(6);
    // Order: category, product (category-wide first), provider ('*' first), validFrom.
    expect(all.map((x) => `${x.category}/${x.productCode ?? ''}/${x.provider}/${x.validFrom}`)).toEqual([
      '45//*/2025-01-01',
      `45//${P3}/2025-01-01`,
      '45/45A03/*/2024-01-01',
      '45/45A03/*/2025-01-01',
      `45/45A03/${P1}/2025-07-01`,
      '54/54G01/*/2025-01-01',
    ]);
    expect(all[0]).toEqual({ ...LIST[1], ...by });
    // Same key (also for a category-wide row, product NULL): replaced, not added; another unit is the same key.
    await w.saveTariffs(
      [t('*', '45', '45A03', '04', 8_700, '2025-01-01', '2025-12-31'), t('*', '45', null, '16', 9_100, '2025-01-01')],
      { ...by, source: 'correctie.csv' },
    );
    const again = await w.tariffs();
    expect(again).toHaveLength(6);
    expect(again.find((x) => x.productCode === '45A03' && x.validFrom === '2025-01-01')).toMatchObject({
      tariffCents: 8_700,
      source: 'correctie.csv',
    });
    expect(again.find((x) => x.provider === '*' && x.productCode === null)).toMatchObject({
      unit: '16',
      tariffCents: 9_100,
    });
    // Queries.
    expect((await w.tariffs({ provider: P1 })).map((x) => x.tariffCents)).toEqual([8_800]);
    expect((await w.tariffs({ category: '54' })).map((x) => x.productCode)).toEqual(['54G01']);
    expect((await w.tariffs({ on: '2024-06-01' })).map((x) => x.tariffCents)).toEqual([8_000]);
    expect((await w.tariffs({ on: '2025-12-31', category: '45' })).map((x) => x.tariffCents).sort()).toEqual(
      [8_700, 9_100, 9_500, 8_800].sort(),
    );
  });

  it('writes a list all or nothing; a row may carry its own entry', async () => {
    w = await freshWarehouse(engine);
    await w.saveTariffs([at(LIST, 0)], by);
    await expect(
      w.saveTariffs([at(LIST, 1), { ...at(LIST, 2), unit: null as unknown as string }], by),
    ).rejects.toThrow();
    expect(await w.tariffs()).toEqual([{ ...at(LIST, 0), ...by }]);
    await w.saveTariffs([{ ...at(LIST, 4), enteredBy: 'migratie', source: 'oud.csv' }], by);
    expect((await w.tariffs({ category: '54' }))[0]).toMatchObject({
      enteredBy: 'migratie',
      source: 'oud.csv',
      enteredAt: by.enteredAt,
    });
  });

  it('checks declared tariffs against the list: above, below, and what is not checked', async () => {
    w = await freshWarehouse(engine);
    await loadLedger(w);
    // Without a list the check does not run.
    const none = (await w.dataQuality({})).checks.find((c) => c.id === 'tariff')!;
    expect(none).toMatchObject({ checked: false, note: TARIFF_LIST_MISSING, count: 0, amountCents: 0 });

    await w.saveTariffs(LIST, by);
    const r = await w.dataQuality({ municipalities: ['0482'], examples: 10 });
    const c = r.checks.find((x) => x.id === 'tariff')!;
    expect(c).toMatchObject({ checked: true, note: null, count: 7, amountCents: 14_600 });
    expect(c.examples.map((e) => [e.client, e.amountCents])).toEqual([
      ['c-L1', 5_000],
      ['c-L11', 3_000],
      ['c-L6', 2_500],
      ['c-L12', 2_000],
      ['c-L5', 1_500],
      ['c-L4', 600],
      ['c-L3', 0],
    ]);
    expect(c.examples[0]).toMatchObject({
      fileName: 'd.xml',
      sourceLine: 100,
      provider: P2,
      product: '45A03',
      period: '2025-03-01 … 2025-03-31',
    });
    expect(at(c.examples, 0).detail).toBe('tarief € 90,00 per uur, contracttarief € 85,00: 10 × € 5,00 te veel');
    expect(c.examples.find((e) => e.client === 'c-L3')!.detail).toBe(
      'tarief € 86,00 per uur, onder het contracttarief € 88,00 (geen overbetaling)',
    );
    expect(c.examples.find((e) => e.client === 'c-L11')).toMatchObject({ sourceLine: 111, product: '54G01' });
    expect(c.byProvider).toEqual([
      { provider: P2, count: 5, amountCents: 12_600 },
      { provider: P3, count: 1, amountCents: 2_000 },
      { provider: P1, count: 1, amountCents: 0 },
    ]);
    // Production months 2025 only: L6 (2024-12) drops out.
    const y2025 = (await w.dataQuality({ municipalities: ['0482'], from: '2025-01', to: '2025-12' })).checks.find(
      (x) => x.id === 'tariff',
    )!;
    expect(y2025).toMatchObject({ count: 6, amountCents: 12_100 });
    // The whole region: also L13 in 0505.
    const all = (await w.dataQuality({})).checks.find((x) => x.id === 'tariff')!;
    expect(all).toMatchObject({ count: 8, amountCents: 15_100 });
  });
});
