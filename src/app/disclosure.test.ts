import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestWarehouse } from '../ingest/testing/fixtures.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { aggregateA4Refusal, protectedYear } from './disclosure.js';
import { importDeclarations, type DeclarationSpec } from './testing/ledger.js';

let w: Warehouse;
beforeEach(async () => {
  w = await openTestWarehouse();
});
afterEach(async () => {
  await w.close();
});

describe('aggregateA4Refusal', () => {
  it('refuses the A4 of a municipality whose total of the year before is hidden (its "zelfde moment vorig jaar" rests on it)', async () => {
    // Hand case, March, € 1.000 per client. 2024: Alblasserdam 4 clients (hidden), Dordrecht 15 (the
    // smallest other total: hidden with it), Gorinchem 50. 2025: Alblasserdam 4, Dordrecht 50, Gorinchem 15
    // (now Gorinchem is the complement). Dordrecht's 2025 total and months are published, its 2024 total not.
    const lines: DeclarationSpec[] = [];
    let client = 1;
    for (const [municipality, year, clients] of [
      ['0482', 2024, 4],
      ['0505', 2024, 15],
      ['0512', 2024, 50],
      ['0482', 2025, 4],
      ['0505', 2025, 50],
      ['0512', 2025, 15],
    ] as const)
      for (let i = 0; i < clients; i++)
        lines.push({ municipality, month: `${year}-03`, amountCents: 100_000, client: client++ });
    await importDeclarations(w, lines);
    const [py, prev] = await Promise.all([2025, 2024].map((y) => protectedYear((q) => w.costs(q), y)));
    expect([py!.municipality('0505').hidden, prev!.municipality('0505').hidden]).toEqual([null, 'secondary']);
    expect(aggregateA4Refusal(py!, prev!, '0505', '2025-03', '2025-03')).toMatch(/vorig jaar/);
    // Gorinchem: its 2025 total is hidden; Alblasserdam: hidden in both. Dordrecht's A4 of an earlier month: no.
    expect(aggregateA4Refusal(py!, prev!, '0512', '2025-03', '2025-03')).toMatch(/te weinig cliënten/);
    expect(aggregateA4Refusal(py!, prev!, '0482', '2025-03', '2025-03')).toMatch(/te weinig cliënten/);
    expect(aggregateA4Refusal(py!, prev!, '0505', '2025-02', '2025-03')).toMatch(/laatste maand/);
  });
});
