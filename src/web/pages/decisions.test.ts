/**
 * Besluitvorming pages: the seed 002 case as it happened (deadlines from the 8-week Wgr term of 2020,
 * Alblasserdam against, 9–1 adopted), the calendar and its .ics, and the entry forms (roles, CSRF, zod).
 * Expected figures come from the seed text and hand calculation.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED002_CASE } from '../../domain/decisions/seed002.js';
import { openTestWarehouse } from '../../ingest/testing/fixtures.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { buildApp } from '../server.js';
import { sessionAs, type Session } from '../testing.js';

let w: Warehouse;
let app: FastifyInstance;
let regio: Session;
const ID = 'soj-bw-2020';
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;|\u00a0/g, ' ')
    .replace(/\s+/g, ' ');

beforeAll(async () => {
  w = await openTestWarehouse();
  app = buildApp({ warehouse: w });
  regio = await sessionAs(app, w, 'regio');
}, 60_000);
afterAll(async () => {
  /* eslint-disable @typescript-eslint/no-unnecessary-condition -- unset if beforeAll failed before opening them */
  await app?.close();
  await w?.close();
  /* eslint-enable @typescript-eslint/no-unnecessary-condition */
});

describe('besluitvorming', () => {
  it('says how to load the first case while nothing is stored', async () => {
    const r = await regio.get('/besluitvorming?year=2025');
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('grip decisions load-bw2020');
    expect((await regio.get(`/besluitvorming/voorstel/${ID}`)).statusCode).toBe(404);
  });

  it('shows seed 002 as it happened: € 6,6 mln, the 8-week term, the reaction due, Alblasserdam against, 9–1 adopted', async () => {
    await w.saveDecisionCase(SEED002_CASE, 'test');
    const raad = await sessionAs(app, w, 'raad');
    const r = await raad.get(`/besluitvorming/voorstel/${ID}`);
    expect(r.statusCode).toBe(200);
    const t = text(r.body);
    expect(t).toContain('€ 6.600.000');
    // Sent 15-07-2020; 8 weeks (Wgr until 1-7-2022) → 09-09-2020; reaction 3 months later → 09-12-2020;
    // the AB decided on 12-11-2020, so the last day to send was 8 weeks before: 17-09-2020.
    expect(t).toContain('Einde zienswijzetermijn raden 09-09-2020');
    expect(t).toContain('Reactie DB op zienswijzen uiterlijk 09-12-2020');
    expect(t).toContain('Uiterste verzending ontwerp naar raden 17-09-2020');
    expect(t).toContain('Het AB besloot na afloop van de zienswijzetermijn');
    // The seed: adopted, "met inachtneming van het feit dat de gemeente Alblasserdam tegen het voorstel heeft gestemd".
    expect(t).toContain('9 voor, 1 tegen van 10 leden → aangenomen');
    expect(t).toContain('zoals vastgelegd');
    expect(t).toMatch(/Alblasserdam tegen vastgelegd in de bron/);
    expect(t).toMatch(/Dordrecht voor afgeleid/);
    // Ten views, receipt dates not in the source, so the deadline status is unknown for each.
    expect(r.body.match(/<td><span class="note">onbekend<\/span><\/td>/g)).toHaveLength(10);
    // Alblasserdam: not agreeing, 15 points; point 4a (no budget amendment) not taken over.
    expect(t).toContain('Alblasserdam — niet instemmend');
    expect(r.body).toMatch(/id="punt-0482-4a"><td>4a<\/td>[\s\S]*?<td>niet overgenomen<\/td><\/tr>/);
    // Councils see no entry forms.
    expect(r.body).not.toContain('Punt toevoegen');
  });

  it('lists the case in the calendar of 2020 and seed 003 in 2025, with the derived deadlines and an .ics download', async () => {
    const y20 = text((await regio.get('/besluitvorming?year=2020')).body);
    for (const d of ['15-07-2020', '09-09-2020', '12-11-2020', '09-12-2020']) expect(y20).toContain(d);
    const r25 = await regio.get('/besluitvorming?year=2025');
    const y25 = text(r25.body);
    // Begroting 2026: AB adopts it 10-07-2025; 12 weeks (Wgr from 1-7-2022) before → 17-04-2025.
    expect(y25).toContain('10-07-2025');
    expect(y25).toContain('17-04-2025');
    expect(y25).toContain('Uiterste verzending ontwerp naar raden');
    expect(r25.body).toContain('href="/besluitvorming/kalender.ics?year=2025"');
    const ics = await regio.get('/besluitvorming/kalender.ics?year=2025');
    expect(ics.statusCode).toBe(200);
    expect(ics.headers['content-type']).toMatch(/^text\/calendar/);
    expect(ics.headers['content-disposition']).toContain('planning-dgj-2025.ics');
    expect(ics.body).toContain('BEGIN:VCALENDAR');
    expect(ics.body).toMatch(/DTSTART;VALUE=DATE:20250710/);
    expect(ics.body).toMatch(/DTSTART;VALUE=DATE:20250417/);
    expect(ics.body).not.toMatch(/DTSTART;VALUE=DATE:2020/);
    expect((await regio.get('/besluitvorming?year=twintig')).statusCode).toBe(400);
    expect((await regio.get('/besluitvorming/kalender.ics?year=1999')).statusCode).toBe(400);
  });

  it('takes a point, a reaction and a commitment from the forms, with the CSRF token and for regio/beheerder only', async () => {
    const form = {
      municipality: '0505',
      number: '9',
      theme: 'informatievoorziening',
      text: 'Graag een kwartaalbrief.',
      received: '2020-09-10',
    };
    // Without or with a wrong token: refused.
    expect((await regio.post(`/besluitvorming/voorstel/${ID}/punt`, form, { csrf: null })).statusCode).toBe(403);
    expect((await regio.post(`/besluitvorming/voorstel/${ID}/punt`, form, { csrf: 'fout' })).statusCode).toBe(403);
    // A gemeente user may read but not enter.
    const gemeente = await sessionAs(app, w, 'gemeente', ['0505']);
    expect((await gemeente.get(`/besluitvorming/voorstel/${ID}`)).statusCode).toBe(200);
    expect((await gemeente.post(`/besluitvorming/voorstel/${ID}/punt`, form)).statusCode).toBe(403);
    // Empty or wrong: 400 with Dutch messages.
    const empty = await regio.post(`/besluitvorming/voorstel/${ID}/punt`, {});
    expect(empty.statusCode).toBe(400);
    expect(text(empty.body)).toContain('kies een gemeente');
    expect(text(empty.body)).toContain('tekst van het punt is verplicht');
    const bad = await regio.post(`/besluitvorming/voorstel/${ID}/punt`, {
      ...form,
      received: '10-09-2020',
      theme: 'iets anders',
    });
    expect(bad.statusCode).toBe(400);
    expect(text(bad.body)).toContain('datum als JJJJ-MM-DD');
    expect(text(bad.body)).toContain('kies een thema uit de lijst');
    expect((await regio.post('/besluitvorming/voorstel/bestaat-niet/punt', form)).statusCode).toBe(404);
    // Dordrecht's view came in on 10-09-2020, one day after the term (09-09-2020): late.
    const ok = await regio.post(`/besluitvorming/voorstel/${ID}/punt`, form);
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe(`/besluitvorming/voorstel/${ID}#punt-0505-9`);
    expect((await regio.post(`/besluitvorming/voorstel/${ID}/punt`, form)).statusCode).toBe(400); // the same number twice
    // Gorinchem's on the last day: on time.
    expect(
      (
        await regio.post(`/besluitvorming/voorstel/${ID}/punt`, {
          ...form,
          municipality: '0512',
          number: '2',
          received: '2020-09-09',
        })
      ).statusCode,
    ).toBe(303);
    const beheerder = await sessionAs(app, w, 'beheerder');
    const re = await beheerder.post(`/besluitvorming/voorstel/${ID}/reactie`, {
      pointId: '0505-9',
      status: 'deels',
      text: 'Per kwartaal een korte brief.',
    });
    expect(re.statusCode).toBe(303);
    expect(
      (await regio.post(`/besluitvorming/voorstel/${ID}/reactie`, { pointId: '0505-99', status: 'deels', text: 'x' }))
        .statusCode,
    ).toBe(400);
    expect(text((await regio.post(`/besluitvorming/voorstel/${ID}/reactie`, {})).body)).toContain('kies een status');
    const cm = await regio.post(`/besluitvorming/voorstel/${ID}/toezegging`, {
      text: 'Kwartaalbrief aan de raden',
      owner: 'SOJ',
      due: '2021-01-15',
      origin: 'toegezegd',
      status: 'open',
      recurrence: 'per kwartaal',
      fromPoints: '0505-9',
    });
    expect(cm.statusCode).toBe(303);
    expect(text((await regio.post(`/besluitvorming/voorstel/${ID}/toezegging`, {})).body)).toContain(
      'omschrijving is verplicht',
    );

    const page = await regio.get(`/besluitvorming/voorstel/${ID}`);
    const row = (name: string) => new RegExp(`${name}</a></th>(?:(?!</tr>).)*</tr>`).exec(page.body)?.[0] ?? '';
    expect(row('Dordrecht')).toContain('10-09-2020');
    expect(row('Dordrecht')).toContain('te laat');
    expect(row('Gorinchem')).toContain('op tijd');
    expect(row('Zwijndrecht')).toContain('onbekend');
    expect(page.body).toMatch(
      /id="punt-0505-9"><td>9<\/td><td>informatievoorziening<\/td><td>Graag een kwartaalbrief.<\/td><td>Per kwartaal een korte brief.<\/td><td>deels overgenomen<\/td>/,
    );
    expect(page.body).toContain('Punt toevoegen');
    expect(page.body).toContain('name="_csrf"');

    // Commitments: the seed's 18 plus this one; as of 01-02-2021 the new one (due 15-01-2021) is 17 days late.
    const list = await regio.get('/besluitvorming/toezeggingen?peildatum=2021-02-01');
    expect(list.statusCode).toBe(200);
    const lt = text(list.body);
    expect(lt).toContain('Kwartaalbrief aan de raden');
    expect(lt).toContain('17 dagen over tijd');
    expect(lt).toMatch(/Open of lopend 19 /);
    expect((await regio.get('/besluitvorming/toezeggingen?peildatum=gisteren')).statusCode).toBe(400);
  });
});
