import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestWarehouse } from '../ingest/testing/fixtures.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { aggregateA4Refusal, protectedYear } from './disclosure.js';
import { a4Data } from './reports.js';
import { renderA4Html } from '../reports/html.js';
import { importDeclarations, type DeclarationSpec } from './testing/ledger.js';

let w: Warehouse;
beforeEach(async () => {
  w = await openTestWarehouse();
});
afterEach(async () => {
  await w.close();
});

describe('the A4 for aggregate roles (protect)', () => {
  it('gives a category a line of its own only when the year table publishes its cell (hand case where the line and the table disagree)', async () => {
    // Hand case, January 2025, € 1.000 per client. Alblasserdam (0482): 41 on 3 clients, 43 on 12, 45 on 13;
    // Dordrecht (0505): 41 on 20, 43 on 400, 45 on 11. On its own line Alblasserdam's 41 (3) is hidden with
    // the cheapest other cell, 43 (12), and 45 would be listed. In the year table (municipality × category,
    // margins published) 41's column needs a second hidden cell, Dordrecht's 41, and the cycle closes
    // through 45 (11 + 13 clients) rather than 43 (400 + 12): 45 of Alblasserdam is hidden there. Listed on
    // the A4, it would give back that hidden cell, and Dordrecht's 45 with the column total.
    const lines: DeclarationSpec[] = [];
    let client = 1;
    for (const [municipality, category, clients] of [
      ['0482', '41', 3],
      ['0482', '43', 12],
      ['0482', '45', 13],
      ['0505', '41', 20],
      ['0505', '43', 400],
      ['0505', '45', 11],
    ] as const)
      for (let i = 0; i < clients; i++)
        lines.push({ municipality, month: '2025-01', amountCents: 100_000, client: client++, category });
    await importDeclarations(w, lines);
    const py = await protectedYear((q) => w.costs(q), 2025);
    expect(py.cross('category').cell('0482', '45').hidden).not.toBeNull(); // the table disagrees with the line
    const [d] = await a4Data(w, { month: '2025-01', municipalities: ['0482'], protect: true });
    // Every category of Alblasserdam is hidden in the year table: all of it under "Overige" (€ 28.000).
    expect(d?.categories.map((c) => [c.category, c.cents])).toEqual([['overig', 2_800_000]]);
    // Unprotected (an analyst): the three lines as declared.
    const [a] = await a4Data(w, { month: '2025-01', municipalities: ['0482'] });
    expect(a?.categories.map((c) => [c.category, c.cents])).toEqual([
      ['45', 1_300_000],
      ['43', 1_200_000],
      ['41', 300_000],
    ]);
  });

  it('compares with last year as known now, and not at all when one of those months is hidden (their sum minus the published ones would give it back)', async () => {
    // Hand case, € 1.000 per client and month, each month declared on the 10th of the next. 2024: Dordrecht
    // (0505) clients 1–30 in February and March, only 3 of them (1–3) in January; Gorinchem (0512) 20 clients
    // a month, Alblasserdam (0482) 40. 2025: each 30 a month. Dordrecht's 2024 total (30 clients) is
    // published, its January 2024 (3 clients) hidden.
    const lines: DeclarationSpec[] = [];
    const add = (municipality: string, month: string, from: number, n: number) => {
      for (let c = from; c < from + n; c++) lines.push({ municipality, month, amountCents: 100_000, client: c });
    };
    for (const m of ['01', '02', '03']) {
      add('0505', `2024-${m}`, 1, m === '01' ? 3 : 30);
      add('0512', `2024-${m}`, 101, 20);
      add('0482', `2024-${m}`, 201, 40);
      for (const [code, from] of [
        ['0505', 1],
        ['0512', 101],
        ['0482', 201],
      ] as const)
        add(code, `2025-${m}`, from, 30);
    }
    await importDeclarations(w, lines);
    const [py, prev] = await Promise.all([2025, 2024].map((y) => protectedYear((q) => w.costs(q), y)));
    const months = prev!.cross('month');
    expect(prev!.municipality('0505').hidden).toBeNull();
    expect(months.cell('0505', '2024-01').hidden).not.toBeNull();
    // Its A4 is served (this year and last year's total are published), without a comparison with last year.
    expect(aggregateA4Refusal(py!, prev!, '0505', '2025-03', '2025-03')).toBeNull();
    const [d] = await a4Data(w, { month: '2025-03', municipalities: ['0505'], protect: true });
    expect(d?.costsToDateCents).toBe(3 * 30 * 100_000);
    expect([d?.previousCostsToDateCents, d?.previousClients, d?.previousCostPerClientCents]).toEqual([
      null,
      null,
      null,
    ]);
    expect(d?.categories.map((c) => c.previousCents)).toEqual(d?.categories.map(() => null));
    expect(d?.changes.sentences).toEqual([
      'Geen vergelijking met januari t/m maart 2024: een maand daarvan rust op te weinig cliënten om te tonen.',
    ]);
    const page = renderA4Html(d!).replace(/&nbsp;|\u00a0/g, ' ');
    expect(page).toContain('* Geen vergelijking met januari t/m maart 2024 zoals nu bekend');
    // The others: compared with January–March 2024 as known now where all three months are published.
    let compared = 0;
    for (const [code, perMonth] of [
      ['0512', 20],
      ['0482', 40],
    ] as const) {
      const [x] = await a4Data(w, { month: '2025-03', municipalities: [code], protect: true });
      const published = ['2024-01', '2024-02', '2024-03'].every((m) => months.cell(code, m).hidden === null);
      if (published) compared++;
      expect(x?.likeForLike).toBe(false);
      expect(x?.previousCostsToDateCents, code).toBe(published ? 3 * perMonth * 100_000 : null);
    }
    expect(compared).toBeGreaterThan(0);
    // An analyst: like for like. The stand is the latest declaration, 10-04-2025 (March 2025 declared then);
    // last year's months as known on 10-04-2024, the same day a year earlier: March 2024 (declared on
    // 10-04-2024) counts, so 3 + 30 + 30 clients at € 1.000 (at the end of March 2024 it would be 3 + 30).
    const [a] = await a4Data(w, { month: '2025-03', municipalities: ['0505'] });
    expect([a?.likeForLike, a?.asOf, a?.previousAsOf]).toEqual([true, '2025-04-10', '2024-04-10']);
    expect(a?.previousCostsToDateCents).toBe((3 + 30 + 30) * 100_000);
  });
});
