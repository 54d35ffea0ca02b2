/**
 * Marking special cases on the web: analysts only (CSRF, Dutch errors, never a BSN), shown on the Bijzondere
 * casussen page with their cost; a raad user can neither see nor change them.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importInto, jw323Xml, openTestWarehouse, tempDir, writeFile } from '../../ingest/testing/fixtures.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { buildApp } from '../server.js';
import { sessionAs, type Session } from '../testing.js';

let w: Warehouse;
let app: FastifyInstance;
let regio: Session;
const BSN = '999900006';

beforeAll(async () => {
  const dir = tempDir();
  // One client: € 300 in 2026-02 and € 700 in 2026-03.
  writeFile(
    dir,
    'a.xml',
    jw323Xml({
      municipality: '0482',
      declarationNumber: 'A1',
      declarationDate: '2026-03-05',
      periodMonth: '2026-02',
      lines: [{ bsn: BSN, ref: 'A1', month: '2026-02', amount: 30_000 }],
    }),
  );
  writeFile(
    dir,
    'b.xml',
    jw323Xml({
      municipality: '0482',
      declarationNumber: 'A2',
      declarationDate: '2026-04-05',
      periodMonth: '2026-03',
      lines: [{ bsn: BSN, ref: 'A2', month: '2026-03', amount: 70_000 }],
    }),
  );
  w = await openTestWarehouse();
  await importInto(w, [dir]);
  app = buildApp({ warehouse: w });
  regio = await sessionAs(app, w, 'regio');
}, 120_000);
afterAll(async () => {
  /* eslint-disable @typescript-eslint/no-unnecessary-condition -- unset if beforeAll failed before opening them */
  await app?.close();
  await w?.close();
  /* eslint-enable @typescript-eslint/no-unnecessary-condition */
});

describe('special cases marked by hand on the web', () => {
  it('an analyst marks a client by pseudonym (CSRF), sees it with its cost, and removes it; a BSN is refused', async () => {
    const [pseudonym] = (await w.topClients({ from: '2026-01', to: '2026-12', municipalities: ['0482'], top: 1 })).map(
      (c) => c.client,
    );
    const form = { kind: 'client', subject: pseudonym ?? '', reason: 'Crisisplaatsing', from: '2026-03', to: '' };
    expect((await regio.post('/gemeente/0482/casussen/markeren', form, { csrf: null })).statusCode).toBe(403);
    const bsn = await regio.post('/gemeente/0482/casussen/markeren', { ...form, subject: BSN });
    expect(bsn.statusCode).toBe(400);
    expect(bsn.body).toContain('dit lijkt een BSN');
    expect(bsn.body).not.toContain(BSN);
    expect((await regio.post('/gemeente/0482/casussen/markeren', form)).statusCode).toBe(303);
    const page = (await regio.get('/gemeente/0482/casussen?year=2026')).body;
    expect(page).toContain('Crisisplaatsing');
    expect(page).toContain('<td>vanaf maart 2026</td>');
    expect(page).not.toContain('vanaf 2026-03');
    // Only March is in the case's period: € 700.
    expect(page).toMatch(/Crisisplaatsing<\/td><td class="n">€ 700<\/td>/);
    const [c] = await w.markedSpecialCases();
    expect(c?.enteredBy).toMatch(/^regio-/);
    expect(
      (await w.audit({ limit: 20 })).some((a) => a.action === 'special-case.add' && a.municipality === '0482'),
    ).toBe(true);

    const raad = await sessionAs(app, w, 'raad');
    expect((await raad.get('/gemeente/0482/casussen')).statusCode).toBe(403);
    expect((await raad.post('/gemeente/0482/casussen/markeren', form)).statusCode).toBe(403);
    expect((await raad.post(`/gemeente/0482/casussen/${c?.id}/verwijderen`, {})).statusCode).toBe(403);
    expect((await raad.get('/gemeente/0482')).body).not.toContain('Crisisplaatsing');

    expect((await regio.post(`/gemeente/0505/casussen/${c?.id}/verwijderen`, {})).statusCode).toBe(404);
    expect((await regio.post(`/gemeente/0482/casussen/${c?.id}/verwijderen`, {})).statusCode).toBe(303);
    expect(await w.markedSpecialCases()).toEqual([]);
  });
});
