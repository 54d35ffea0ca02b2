/**
 * "Even ver gedeclareerd" for analysts: this year's months as known at the latest declaration date against the
 * same months last year as known on the same day a year earlier — on the A4, the Burap and Kostendrijvers alike.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestWarehouse } from '../ingest/testing/fixtures.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { renderA4Html } from '../reports/html.js';
import { a4Data, burapData } from './reports.js';
import { driversView } from './insight.js';
import { importDeclarations } from './testing/ledger.js';
import { LAG } from './testing/like-for-like-ledger.js';

let w: Warehouse;
beforeAll(async () => {
  w = await openTestWarehouse();
  await importDeclarations(w, LAG.lines);
}, 60_000);
afterAll(async () => {
  await w.close();
});

const plain = (s: string) => s.replace(/&nbsp;|\u00a0/g, ' ');

describe('like for like at the same lag (hand case: latest declaration 17-10-2026)', () => {
  it('the analyst’s A4 of September 2026 compares with January–September 2025 as declared up to 17-10-2025', async () => {
    expect((await w.status()).lastDeclarationDate).toBe('2026-10-17');
    const [d] = await a4Data(w, { month: '2026-09', municipalities: ['0482'] });
    expect(d?.likeForLike).toBe(true);
    expect([d?.asOf, d?.previousAsOf]).toEqual(['2026-10-17', '2025-10-17']);
    expect(d?.costsToDateCents).toBe(LAG.now0482);
    expect(d?.previousCostsToDateCents).toBe(LAG.sameLag0482);
    const prev = new Map(d?.categories.map((c) => [c.category, c.previousCents]));
    expect([prev.get('45'), prev.get('43')]).toEqual([LAG.sameLag0482_45, LAG.sameLag0482_43]);
    // The driver split on the A4 compares the same figures: € 297.500 − € 289.234 = € 8.266.
    expect(d?.changes.sentences[0]).toMatch(
      /^Vergeleken met januari t\/m september 2025 \(even ver gedeclareerd\): de kosten stegen € 8\.266: /,
    );
    const text = plain(renderA4Html(d!));
    expect(text).toContain('stand per 17-10-2025 (even ver gedeclareerd)');
  });

  it('the council’s A4 still compares with last year as known now (never like for like)', async () => {
    const [d] = await a4Data(w, { month: '2026-09', municipalities: ['0482'], protect: true });
    expect(d?.likeForLike).toBe(false);
    expect(d?.previousAsOf).toBe('2026-10-17');
    expect(d?.previousCostsToDateCents).toBe(LAG.known0482);
  });

  it('Kostendrijvers compares at the same cut-offs and says so in nl-NL dates', async () => {
    const v = await driversView(w, {
      before: { from: '2025-01', to: '2025-09', label: 'januari t/m september 2025' },
      after: { from: '2026-01', to: '2026-09', label: 'januari t/m september 2026' },
      by: 'category',
      municipalities: ['0482'],
      likeForLikeAsOf: '2026-10-17',
    });
    expect(v.likeForLike).toEqual({ beforeAsOf: '2025-10-17', afterAsOf: '2026-10-17' });
    expect([v.total.beforeCents, v.total.afterCents]).toEqual([LAG.sameLag0482, LAG.now0482]);
    expect(v.notes).toContain(
      'Even ver gedeclareerd: januari t/m september 2026 gedeclareerd t/m 17-10-2026, januari t/m september 2025 gedeclareerd t/m 17-10-2025.',
    );
  });

  it('the Burap of the second half of 2026 compares at the same cut-offs', async () => {
    // No 2026-H1 stand in the data beyond 17-10-2026: a Burap on 2026-H2 is known up to 17-10-2026, the same
    // months of 2025 up to 17-10-2025 (September 2025's late € 1.234 counts, the € 300 of 20-10-2025 not).
    const b = await burapData(w, { year: 2026, half: 2, municipalities: ['0482'] });
    expect([b.asOf, b.previousAsOf]).toEqual(['2026-10-17', '2025-10-17']);
    expect(b.causes.providers.map((p) => [p.beforeCents, p.afterCents])).toEqual([[LAG.sameLag0482, LAG.now0482]]);
    expect(b.causes.categories.find((c) => c.label.startsWith('45'))?.beforeCents).toBe(LAG.sameLag0482_45);
  });
});
