/** Entering a reservation on /begroting: steering editors only (CSRF, Dutch errors), stored as cents, audited. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestWarehouse } from '../../ingest/testing/fixtures.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { buildApp } from '../server.js';
import { sessionAs } from '../testing.js';

let w: Warehouse;
let app: FastifyInstance;
beforeAll(async () => {
  w = await openTestWarehouse();
  app = buildApp({ warehouse: w });
}, 120_000);
afterAll(async () => {
  /* eslint-disable @typescript-eslint/no-unnecessary-condition -- unset if beforeAll failed before opening them */
  await app?.close();
  await w?.close();
  /* eslint-enable @typescript-eslint/no-unnecessary-condition */
});

describe('/begroting/reservering', () => {
  it('stores € 600.000,00 as 60.000.000 cents for the municipality and year; refuses bad input and other roles', async () => {
    const regio = await sessionAs(app, w, 'regio');
    const form = {
      municipality: '0482',
      year: '2021',
      date: '2021-07-08',
      amount: '600.000,00',
      reference: '1e Burap 2021',
    };
    expect((await regio.post('/begroting/reservering', form, { csrf: null })).statusCode).toBe(403);
    const bad = await regio.post('/begroting/reservering', { ...form, amount: 'zeshonderdduizend' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('is geen bedrag');
    expect((await regio.post('/begroting/reservering', { ...form, amount: '-5' })).statusCode).toBe(400);
    expect((await (await sessionAs(app, w, 'raad')).post('/begroting/reservering', form)).statusCode).toBe(403);
    expect(
      (await (await sessionAs(app, w, 'gemeente', ['0482'])).post('/begroting/reservering', form)).statusCode,
    ).toBe(403);
    expect(await w.reservations()).toEqual([]);
    expect((await regio.post('/begroting/reservering', form)).statusCode).toBe(303);
    expect((await w.reservations()).map((r) => [r.municipality, r.year, r.date, r.amountCents, r.reference])).toEqual([
      ['0482', 2021, '2021-07-08', 60_000_000, '1e Burap 2021'],
    ]);
    expect((await w.audit({ limit: 10 })).some((a) => a.action === 'reservation.add')).toBe(true);
  });
});
