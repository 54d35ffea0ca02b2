import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestWarehouse } from '../ingest/testing/fixtures.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { protectedYear } from './disclosure.js';
import { a4Data } from './reports.js';
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
});
