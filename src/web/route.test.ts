import { afterEach, describe, expect, it } from 'vitest';
import { openTestWarehouse } from '../ingest/testing/fixtures.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { buildApp } from './server.js';
import { sessionAs } from './testing.js';
import { pathMunicipality } from './route.js';

let w: Warehouse | null = null;
afterEach(async () => {
  await w?.close();
  w = null;
});

describe('route helpers (getPage, getFile, getJson, postForm)', () => {
  it('accepts only a four-digit code of a CBS municipality', () => {
    expect(pathMunicipality('0482')?.name).toBe('Alblasserdam');
    expect(pathMunicipality('482')).toBeUndefined();
    expect(pathMunicipality('9999')).toBeUndefined();
    expect(pathMunicipality('0482x')).toBeUndefined();
  });

  it('answers an unknown municipality with a Dutch 404 page and an invalid query with a Dutch 400 page, escaped', async () => {
    w = await openTestWarehouse();
    const app = buildApp({ warehouse: w });
    const s = await sessionAs(app, w, 'regio');
    const unknown = await s.get('/gemeente/9999/routes');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toContain('text/html');
    expect(unknown.body).toContain('<p>Gemeente 9999 bestaat niet of heeft geen gegevens.</p>');
    // from after to: refused by the schema's refinement, before any figure is computed.
    const bad = await s.get('/gemeente/0482/routes?from=2025-06&to=2025-01');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Ongeldige keuze: jaar (bijv. 2025) of maanden van/tot als JJJJ-MM.');
    const badCases = await s.get('/gemeente/0482/casussen?top=0');
    expect(badCases.statusCode).toBe(400);
    expect(badCases.body).toContain(
      'Ongeldige keuze: jaar (bijv. 2025), top (1–100) of minimum aantal kinderen (2–20).',
    );
    const badDrivers = await s.get('/kostendrijvers?by=nonsense');
    expect(badDrivers.statusCode).toBe(400);
    expect(badDrivers.body).toContain('Ongeldige keuze: by: ');
    // The code in the path is shown escaped in the 404 page.
    const odd = await s.get('/gemeente/%3Cb%3E/routes');
    expect(odd.statusCode).toBe(404);
    expect(odd.body).toContain('Gemeente &lt;b&gt; bestaat niet');
    // Access still comes first: a council member may not see client-level pages at all.
    const raad = await sessionAs(app, w, 'raad');
    expect((await raad.get('/gemeente/9999/casussen')).statusCode).toBe(403);
  });

  it('refuses in the form of the route: plain text for a download, {error} for JSON and the PDF, a Dutch page for a form', async () => {
    w = await openTestWarehouse();
    const app = buildApp({ warehouse: w });
    const s = await sessionAs(app, w, 'regio');
    const csv = await s.get('/begroting.csv?year=abc');
    expect(csv.statusCode).toBe(400);
    expect(csv.headers['content-type']).toContain('text/plain');
    expect(csv.body).toBe('Ongeldige filter.');
    const ics = await s.get('/besluitvorming/kalender.ics?year=1999');
    expect(ics.statusCode).toBe(400);
    expect(ics.headers['content-type']).toContain('text/plain');
    expect(ics.body).toContain('jaar vanaf 2000');
    const api = await s.get('/api/costs?year=abc');
    expect(api.statusCode).toBe(400);
    expect(api.headers['content-type']).toContain('application/json');
    expect(api.json<{ error: string }>().error).toMatch(/^ongeldige parameters: year: /);
    const pdf = await s.get('/gemeente/9999/a4.pdf');
    expect(pdf.statusCode).toBe(404);
    expect(pdf.json()).toEqual({ error: 'gemeente 9999 bestaat niet' });
    // A form that does not validate: nothing saved, the fields to correct named in Dutch.
    const form = await s.post('/begroting/wijziging', { municipality: '0482', year: '2026' });
    expect(form.statusCode).toBe(400);
    expect(form.headers['content-type']).toContain('text/html');
    expect(form.body).toContain('Het formulier is niet opgeslagen. Controleer: Besluitdatum: vul de besluitdatum in;');
    expect(await w.budgetEntries({ year: 2026 })).toEqual([]);
    // A form on an unknown municipality: 404 before the body is read.
    const mark = await s.post('/gemeente/9999/casussen/markeren', {});
    expect(mark.statusCode).toBe(404);
    expect(mark.body).toContain('Gemeente 9999 bestaat niet.');
  });
});
