/**
 * A new proposal and the AB vote on it, through the web forms.
 *
 * The region: Alblasserdam (0482) declares € 100 a month and Dordrecht (0505) € 200 a month for 2026-01..03,
 * each month declared on the 5th of the next month; the other eight municipalities declare nothing. By own
 * usage up to 30-04-2026 the key is 30.000 : 60.000 cents = 1 : 2, so € 1.000 splits into 33.333,33… and
 * 66.666,66… cents: floors 33.333 and 66.666, the one cent left goes to the larger remainder (Dordrecht, ,67
 * against ,33) → 333,33 + 666,67 = 1.000,00 and 0 for the others.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regionForecast, type RegionForecast } from '../../app/forecast.js';
import { importInto, jw323Xml, openTestWarehouse, tempDir, writeFile } from '../../ingest/testing/fixtures.js';
import { at } from '../../domain/indexing.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { buildApp } from '../server.js';
import { sessionAs, type Session } from '../testing.js';

let w: Warehouse;
let app: FastifyInstance;
let regio: Session;
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;|\u00a0/g, ' ')
    .replace(/\s+/g, ' ');
const BSN = ['999900006', '999900018'];
const DATE = '2026-04-30';
const ID = `${DATE}-begrotingswijziging-jeugdhulp-2026`;
const FORM = {
  title: 'Begrotingswijziging jeugdhulp 2026',
  kind: 'begrotingswijziging',
  amount: '1.000',
  date: DATE,
  key: 'usage',
  sendDate: '2026-05-01',
  abDate: '2026-07-30',
};
let before: RegionForecast;

beforeAll(async () => {
  const dir = tempDir();
  for (const [muni, amount, i0] of [
    ['0482', 10_000, 0],
    ['0505', 20_000, 1],
  ] as const)
    for (let m = 1; m <= 3; m++) {
      const month = `2026-0${m}`;
      writeFile(
        dir,
        `${muni}-${m}.xml`,
        jw323Xml({
          municipality: muni,
          declarationNumber: `D${muni}${m}`,
          declarationDate: `2026-0${m + 1}-05`,
          periodMonth: month,
          lines: [{ bsn: at(BSN, i0), ref: `R${muni}${m}`, month, amount }],
        }),
      );
    }
  w = await openTestWarehouse();
  await importInto(w, [dir]);
  app = buildApp({ warehouse: w });
  regio = await sessionAs(app, w, 'regio');
  before = await regionForecast(w, 2026, DATE);
}, 120_000);
afterAll(async () => {
  /* eslint-disable @typescript-eslint/no-unnecessary-condition -- unset if beforeAll failed before opening them */
  await app?.close();
  await w?.close();
  /* eslint-enable @typescript-eslint/no-unnecessary-condition */
});

describe('a new proposal', () => {
  it('is refused without the CSRF token, for gemeente users, and with Dutch messages when the form is wrong', async () => {
    expect((await regio.post('/besluitvorming/voorstel', FORM, { csrf: null })).statusCode).toBe(403);
    expect((await regio.post('/besluitvorming/voorstel', FORM, { csrf: 'fout' })).statusCode).toBe(403);
    const gemeente = await sessionAs(app, w, 'gemeente', ['0482']);
    expect((await gemeente.post('/besluitvorming/voorstel', FORM)).statusCode).toBe(403);
    const page = await gemeente.get('/besluitvorming');
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('Nieuw voorstel');
    expect((await regio.get('/besluitvorming')).body).toContain('Nieuw voorstel');

    const empty = await regio.post('/besluitvorming/voorstel', {});
    expect(empty.statusCode).toBe(400);
    for (const m of [
      'titel is verplicht',
      'bedrag is verplicht',
      'datum van het voorstel is verplicht',
      'kies een verdeelsleutel uit de lijst',
      'kies een soort voorstel uit de lijst',
    ])
      expect(text(empty.body)).toContain(m);
    const bad = await regio.post('/besluitvorming/voorstel', {
      ...FORM,
      amount: 'vijf ton',
      date: '30-04-2026',
      key: 'postcode',
    });
    expect(bad.statusCode).toBe(400);
    expect(text(bad.body)).toContain('geen bedrag in euro');
    expect(text(bad.body)).toContain('datum van het voorstel: datum als JJJJ-MM-DD');
    const order = await regio.post('/besluitvorming/voorstel', { ...FORM, sendDate: '2026-04-01' });
    expect(text(order.body)).toContain('de verzenddatum ligt vóór de datum van het voorstel');
    // No clients in 2025, so the key "clients t-1" is zero everywhere: said so, nothing stored.
    const zero = await regio.post('/besluitvorming/voorstel', { ...FORM, key: 'clients-prev' });
    expect(zero.statusCode).toBe(400);
    expect(text(zero.body)).toContain('is voor elke gemeente 0');
    expect(await w.decisionCases()).toEqual([]);
  });

  it('stores the split to the cent and the forecast as of the proposal date, frozen against later imports', async () => {
    expect(before.total.forecastCents).toBeGreaterThan(0);
    const r = await regio.post('/besluitvorming/voorstel', FORM);
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe(`/besluitvorming/voorstel/${ID}`);
    const c = (await w.decisionCase(ID))!;
    expect(c.proposal.amountCents).toBe(100_000);
    expect(c.members).toHaveLength(10);
    const split = Object.fromEntries(c.proposal.split.map((s) => [s.municipality, s.amountCents]));
    expect(split['0482']).toBe(33_333);
    expect(split['0505']).toBe(66_667);
    expect(c.proposal.split).toHaveLength(10);
    expect(
      c.proposal.split
        .filter((s) => s.municipality !== '0482' && s.municipality !== '0505')
        .every((s) => s.amountCents === 0),
    ).toBe(true);
    expect(c.proposal.split.reduce((t, s) => t + s.amountCents, 0)).toBe(100_000);
    // The frozen figures: the region and each municipality with data, as regionForecast gives them on the date.
    const fig = (label: string) => c.proposal.linkedFigures.find((f) => f.label === label);
    expect(fig('Prognose jaareinde 2026 regio')).toMatchObject({
      value: { kind: 'cents', cents: before.total.forecastCents },
      asOf: DATE,
    });
    const m = (code: string) => before.municipalities.find((x) => x.municipality === code)!.forecastCents;
    expect(fig('Prognose jaareinde 2026 Alblasserdam')?.value).toEqual({ kind: 'cents', cents: m('0482') });
    expect(fig('Prognose jaareinde 2026 Dordrecht')?.value).toEqual({ kind: 'cents', cents: m('0505') });
    expect(c.proposal.sentForViewOn).toBe('2026-05-01');
    expect(c.proposal.decidedByAbOn).toBe('2026-07-30');

    const page = await regio.get(`/besluitvorming/voorstel/${ID}`);
    expect(page.statusCode).toBe(200);
    const t = text(page.body);
    expect(t).toContain('Alblasserdam € 333');
    expect(t).toContain('Dordrecht € 667');
    expect(t).toContain('Verdeeld naar eigen gebruik (realisatie) (2026, gegevens tot en met 30-04-2026)');
    // Wgr from 1-7-2022: 12 weeks. Sent 01-05-2026 + 84 days → 24-07-2026; + 3 months → 24-10-2026;
    // the AB on 30-07-2026 − 84 days → send by 07-05-2026.
    expect(t).toContain('Einde zienswijzetermijn raden 24-07-2026');
    expect(t).toContain('Reactie DB op zienswijzen uiterlijk 24-10-2026');
    expect(t).toContain('Uiterste verzending ontwerp naar raden 07-05-2026');
    expect(t).toContain('Nog geen stemmen vastgelegd');

    // A declaration dated before the proposal date arrives late: the forecast on that date changes now…
    const dir = tempDir();
    writeFile(
      dir,
      'late.xml',
      jw323Xml({
        municipality: '0482',
        declarationNumber: 'LATE1',
        declarationDate: '2026-04-20',
        periodMonth: '2026-03',
        lines: [{ bsn: at(BSN, 0), ref: 'LATE1', month: '2026-03', amount: 90_000 }],
      }),
    );
    await importInto(w, [dir]);
    const after = await regionForecast(w, 2026, DATE);
    expect(after.total.forecastCents).toBeGreaterThan(before.total.forecastCents);
    // …but not the stored figures nor the split.
    const again = (await w.decisionCase(ID))!;
    expect(again.proposal.linkedFigures).toEqual(c.proposal.linkedFigures);
    expect(again.proposal.split).toEqual(c.proposal.split);
    // A new proposal from the same form uses the new data (0482 now 120.000 : 60.000 = 2 : 1) and gets its own id.
    const second = await regio.post('/besluitvorming/voorstel', { ...FORM, abDate: '' });
    expect(second.headers.location).toBe(`/besluitvorming/voorstel/${ID}-2`);
    const c2 = (await w.decisionCase(`${ID}-2`))!;
    expect(c2.proposal.split.find((s) => s.municipality === '0482')?.amountCents).toBe(66_667);
    expect(c2.proposal.split.find((s) => s.municipality === '0505')?.amountCents).toBe(33_333);
    expect(at(c2.proposal.linkedFigures, 0).value).toEqual({ kind: 'cents', cents: after.total.forecastCents });
    expect(c2.proposal.decidedByAbOn).toBeNull();
  });
});

describe('a proposal seen by a council member (raad)', () => {
  it('shows a split by a ledger key as its total only, and a split by inhabitants per municipality', async () => {
    const raad = await sessionAs(app, w, 'raad');
    // By own usage: the shares (here 1 : 2, one client each) would give back the clients' costs.
    const usage = await regio.post('/besluitvorming/voorstel', { ...FORM, title: 'Raadsvoorstel gebruik' });
    expect(usage.statusCode).toBe(303);
    const byUsage = text((await raad.get(String(usage.headers.location))).body);
    expect(byUsage).toContain('Totaal € 1.000. De verdeling per gemeente is niet zichtbaar voor deze rol');
    expect(byUsage).toContain('eigen gebruik (realisatie)');
    expect(byUsage).not.toMatch(/Alblasserdam € \d|Dordrecht € \d/);
    expect(byUsage).not.toContain('Prognose jaareinde 2026 Alblasserdam');
    expect(byUsage).toContain('Prognose jaareinde 2026 regio');
    // The analyst still sees the whole split.
    expect(text((await regio.get(String(usage.headers.location))).body)).toMatch(/Dordrecht € \d/);
    // By inhabitants (CBS reference figures): no cell figure, so the split is shown to the council too.
    const inh = await regio.post('/besluitvorming/voorstel', {
      ...FORM,
      title: 'Raadsvoorstel inwoners',
      key: 'inhabitants',
    });
    expect(inh.statusCode).toBe(303);
    const c = await w.decisionCase(String(inh.headers.location).split('/').pop() ?? '');
    expect(c?.proposal.splitKey).toBe('inhabitants');
    const byInhabitants = text((await raad.get(String(inh.headers.location))).body);
    expect(byInhabitants).not.toContain('niet zichtbaar voor deze rol');
    const dordrecht = c?.proposal.split.find((x) => x.municipality === '0505')?.amountCents ?? 0;
    expect(dordrecht).toBeGreaterThan(0);
    expect(byInhabitants).toContain(`Dordrecht € ${Math.round(dordrecht / 100).toLocaleString('nl-NL')}`);
  });
});

describe('votes on a proposal', () => {
  it('records a vote per municipality (CSRF, editors only) and shows the result by majority', async () => {
    const url = `/besluitvorming/voorstel/${ID}/stem`;
    expect((await regio.post(url, { municipality: '0482', choice: 'tegen' }, { csrf: null })).statusCode).toBe(403);
    const gemeente = await sessionAs(app, w, 'gemeente', ['0482']);
    expect((await gemeente.post(url, { municipality: '0482', choice: 'tegen' })).statusCode).toBe(403);
    const bad = await regio.post(url, { municipality: '9999', choice: 'misschien' });
    expect(bad.statusCode).toBe(400);
    expect(text(bad.body)).toContain('kies een gemeente uit de regio');
    expect(text(bad.body)).toContain('kies een stem');
    expect(
      (await regio.post('/besluitvorming/voorstel/bestaat-niet/stem', { municipality: '0482', choice: 'voor' }))
        .statusCode,
    ).toBe(404);
    // The second proposal has no AB date yet: the first vote needs one.
    const noDate = await regio.post(`/besluitvorming/voorstel/${ID}-2/stem`, { municipality: '0482', choice: 'voor' });
    expect(noDate.statusCode).toBe(400);
    expect(text(noDate.body)).toContain('Geef de datum van de AB-vergadering');

    const c = (await w.decisionCase(ID))!;
    // Dordrecht first votes against, then changes to for: one vote each, 9 for and 1 (Alblasserdam) against.
    expect((await regio.post(url, { municipality: '0505', choice: 'tegen' })).statusCode).toBe(303);
    for (const m of c.members) {
      const r = await regio.post(url, { municipality: m, choice: m === '0482' ? 'tegen' : 'voor' });
      expect(r.statusCode).toBe(303);
      expect(r.headers.location).toBe(`${url.replace('/stem', '')}#stemming`);
    }
    const stored = (await w.decisionCase(ID))!;
    expect(stored.vote.votes).toHaveLength(10);
    expect(stored.vote.votes.filter((v) => v.choice === 'voor')).toHaveLength(9);
    expect(stored.vote.date).toBe('2026-07-30');
    const t = text((await regio.get(`/besluitvorming/voorstel/${ID}`)).body);
    expect(t).toContain('9 voor, 1 tegen van 10 leden → aangenomen');
    expect(t).not.toContain('Nog geen stemmen vastgelegd');
    expect(t).toMatch(/Alblasserdam tegen vastgelegd in de bron/);

    // 5 against, 5 for: a tie ("staken der stemmen"); with a date the proposal without an AB date gets one.
    const url2 = `/besluitvorming/voorstel/${ID}-2/stem`;
    for (const [i, m] of c.members.entries())
      expect(
        (await regio.post(url2, { municipality: m, choice: i < 5 ? 'voor' : 'tegen', date: '2026-09-10' })).statusCode,
      ).toBe(303);
    const c2 = (await w.decisionCase(`${ID}-2`))!;
    expect(c2.proposal.decidedByAbOn).toBe('2026-09-10');
    expect(text((await regio.get(`/besluitvorming/voorstel/${ID}-2`)).body)).toContain(
      '5 voor, 5 tegen van 10 leden → staken der stemmen',
    );
    const list = text((await regio.get('/besluitvorming?year=2026')).body);
    expect(list).toContain('aangenomen (9–1)');
    expect(list).toContain('staken der stemmen (5–5)');
  });
});
