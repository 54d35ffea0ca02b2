import { afterEach, describe, expect, it } from 'vitest';
import { importInto, jw323Xml, openTestWarehouse, tempDir, writeFile } from '../ingest/testing/fixtures.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { buildApp } from './server.js';

let w: Warehouse | null = null;
afterEach(async () => {
  await w?.close();
  w = null;
});

describe('web app', () => {
  it('shows the empty state in Dutch on an empty warehouse', async () => {
    w = await openTestWarehouse();
    const r = await buildApp({ warehouse: w }).inject('/');
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('Nog geen gegevens — importeer declaraties met');
    expect(r.body).toContain('lang="nl"');
  });

  it('overview, municipality page and API give the hand-summed figures; bad input is a 400, unknown municipality 404', async () => {
    const dir = tempDir();
    writeFile(dir, 'a.xml', jw323Xml({ municipality: '0482', declarationNumber: 'A1', declarationDate: '2026-03-05', periodMonth: '2026-02', lines: [{ bsn: '999900006', ref: 'A1', month: '2026-02', amount: 1_234_500 }, { bsn: '999900018', ref: 'A2', month: '2026-01', amount: 100_000, category: '43' }] }));
    writeFile(dir, 'b.xml', jw323Xml({ municipality: '0505', declarationNumber: 'B1', declarationDate: '2026-03-05', periodMonth: '2026-02', lines: [{ bsn: '999900031', ref: 'B1', month: '2026-02', amount: 50_000 }] }));
    w = await openTestWarehouse();
    await importInto(w, [dir]);
    const app = buildApp({ warehouse: w });
    const api = await app.inject('/api/costs?by=municipality&year=2026');
    expect(api.json()).toEqual([
      { municipality: '0482', amountCents: 1_334_500, clients: 2, lines: 2, units: 2 },
      { municipality: '0505', amountCents: 50_000, clients: 1, lines: 1, units: 1 },
    ]);
    const home = await app.inject('/?year=2026');
    // € 13.345 = 1.234.500 + 100.000 cents, rounded to euros.
    expect(home.body).toMatch(/Alblasserdam<\/a><\/td><td class="n">€ 13\.345</);
    const page = await app.inject('/gemeente/0482?year=2026');
    expect(page.body).toContain('Kosten tot nu: <strong>€ 13.345</strong>, 2 cliënten');
    expect(page.body).toContain('43 Jeugdhulp verblijf (incl. behandeling)');
    expect((await app.inject('/api/costs?by=nonsense')).statusCode).toBe(400);
    expect((await app.inject('/api/costs?year=abc')).statusCode).toBe(400);
    expect((await app.inject('/gemeente/9999')).statusCode).toBe(404);
  });
});
