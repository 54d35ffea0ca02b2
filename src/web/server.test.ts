import { afterEach, describe, expect, it } from 'vitest';
import { importInto, jw323Xml, openTestWarehouse, tempDir, writeFile } from '../ingest/testing/fixtures.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { buildApp } from './server.js';
import { at } from '../domain/indexing.js';
import { sessionAs } from './testing.js';
import { ENGINES, type Engine } from '../warehouse/testing/engines.js';

let w: Warehouse | null = null;
afterEach(async () => {
  await w?.close();
  w = null;
});

async function twoMunicipalities(engine: Engine) {
  const dir = tempDir();
  writeFile(
    dir,
    'a.xml',
    jw323Xml({
      municipality: '0482',
      declarationNumber: 'A1',
      declarationDate: '2026-03-05',
      periodMonth: '2026-02',
      lines: [
        { bsn: '999900006', ref: 'A1', month: '2026-02', amount: 1_234_500 },
        { bsn: '999900018', ref: 'A2', month: '2026-01', amount: 100_000, category: '43' },
      ],
    }),
  );
  writeFile(
    dir,
    'b.xml',
    jw323Xml({
      municipality: '0505',
      declarationNumber: 'B1',
      declarationDate: '2026-03-05',
      periodMonth: '2026-02',
      lines: [{ bsn: '999900031', ref: 'B1', month: '2026-02', amount: 50_000 }],
    }),
  );
  w = await openTestWarehouse(':memory:', engine);
  await importInto(w, [dir]);
  return w;
}

describe.each(ENGINES)('web app on %s', (engine) => {
  it('sends a visitor without a session to the login page, and shows the empty state in Dutch after login', async () => {
    w = await openTestWarehouse(':memory:', engine);
    const app = buildApp({ warehouse: w });
    const anon = await app.inject('/');
    expect(anon.statusCode).toBe(302);
    expect(anon.headers.location).toBe('/login?next=%2F');
    expect((await app.inject('/api/costs')).statusCode).toBe(401);
    const s = await sessionAs(app, w, 'regio');
    const r = await s.get('/');
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('Nog geen gegevens — importeer declaraties met');
    expect(r.body).toContain('lang="nl"');
    expect(r.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('overview, municipality page, drill-down and API give the hand-summed figures; bad input is a 400, unknown municipality 404', async () => {
    const w = await twoMunicipalities(engine);
    const app = buildApp({ warehouse: w });
    const s = await sessionAs(app, w, 'regio');
    const api = await s.get('/api/costs?by=municipality&year=2026');
    expect(api.json()).toEqual([
      { municipality: '0482', amountCents: 1_334_500, clients: 2, lines: 2, units: 2 },
      { municipality: '0505', amountCents: 50_000, clients: 1, lines: 1, units: 1 },
    ]);
    const home = await s.get('/?year=2026');
    // € 13.345 = 1.234.500 + 100.000 cents, rounded to euros.
    expect(home.body).toMatch(/Alblasserdam<\/a><\/th><td class="n">€ 13\.345</);
    const page = await s.get('/gemeente/0482?year=2026');
    expect(page.body).toContain('<div class="v">€ 13.345</div>');
    expect(page.body).toContain('43 Jeugdhulp verblijf (incl. behandeling)');
    // Drill-down: category 43 holds the 100.000-cent line only.
    const drill = await s.get('/gemeente/0482/uitsplitsing?year=2026&category=43');
    expect(drill.body).toContain('Totaal in deze selectie: <strong>€ 1.000</strong>');
    // Filters stay in the URL and narrow the figures.
    const filtered = await s.get('/?year=2026&category=43');
    expect(filtered.body).toMatch(/Alblasserdam<\/a><\/th><td class="n">€ 1\.000</);
    expect((await s.get('/api/costs?by=nonsense')).statusCode).toBe(400);
    expect((await s.get('/api/costs?year=abc')).statusCode).toBe(400);
    expect((await s.get('/gemeente/9999')).statusCode).toBe(404);
    expect((await s.get('/bestaat-niet')).statusCode).toBe(404);
  });

  it('CSV downloads open in Dutch Excel: BOM, semicolons, Dutch headers, euros with a decimal comma', async () => {
    const w = await twoMunicipalities(engine);
    const app = buildApp({ warehouse: w });
    const s = await sessionAs(app, w, 'regio');
    const ov = await s.get('/api/overview.csv?year=2026');
    expect(ov.headers['content-type']).toContain('text/csv');
    expect(ov.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = ov.body.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe(
      'Gemeentecode;Gemeente;Jaar;Kosten tot nu (€);Prognose jaareinde (€);Prognose ondergrens 80% (€);Prognose bovengrens 80% (€);Kosten 2025 (€);Begroting (€);Prognose − begroting (€);Stand per',
    );
    // 1.234.500 + 100.000 cents = € 13.345,00; Dordrecht 50.000 cents = € 500,00; declared up to 05-03-2026.
    const alb = at(lines, 1).split(';');
    expect(alb.slice(0, 4)).toEqual(['0482', 'Alblasserdam', '2026', '13345,00']);
    expect(alb[4]).toMatch(/^\d+,\d\d$/);
    expect(alb[7]).toBe('0,00');
    expect(alb[10]).toBe('05-03-2026');
    expect(at(lines, 2).split(';').slice(0, 4)).toEqual(['0505', 'Dordrecht', '2026', '500,00']);
    const api = await s.get('/api/costs?by=municipality&year=2026&format=csv');
    expect(
      api.body
        .replace(/^\uFEFF/, '')
        .split('\r\n')
        .slice(0, 3),
    ).toEqual([
      'Gemeentecode;Kosten (€);Cliënten;Declaratieregels;Eenheden',
      '0482;13345,00;2;2;2',
      '0505;500,00;1;1;1',
    ]);
  });

  it('lineage: declaration lines with file and line number, pseudonymised, and the view is audited', async () => {
    const w = await twoMunicipalities(engine);
    const app = buildApp({ warehouse: w });
    const s = await sessionAs(app, w, 'regio');
    const r = await s.get('/gemeente/0482/regels?year=2026&month=2026-02');
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('a.xml');
    expect(r.body).not.toContain('999900006');
    expect(r.body).toMatch(/<code>p_[0-9a-f]+<\/code>/);
    const log = await w.audit({ limit: 50 });
    const view = log.find((e) => e.action === 'view.declaration-lines');
    expect(view?.clients).toHaveLength(1);
    expect(view?.municipality).toBe('0482');
    // The audit log speaks Dutch and Dutch time: the action's name, the moment as dd-mm-jjjj uu:mm:ss local.
    const admin = await sessionAs(app, w, 'beheerder');
    const audit = await admin.get('/beheer/audit');
    expect(audit.body).toContain('<span title="view.declaration-lines">Inzage declaratieregels</span>');
    const local = new Intl.DateTimeFormat('nl-NL', {
      timeZone: 'Europe/Amsterdam',
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .format(new Date(view!.at))
      .replace(/^(\d\d)-(\d\d)-(\d{4}),? /, '$1-$2-$3 ');
    expect(audit.body).toContain(`<time datetime="${view!.at}">${local}</time>`);
    expect(audit.body).toContain('Tijd (Nederlandse tijd)');
  });

  it('one vocabulary: figure labels link to their single definition on the Begrippen page', async () => {
    const w = await twoMunicipalities(engine);
    const app = buildApp({ warehouse: w });
    const s = await sessionAs(app, w, 'raad');
    const terms = (await s.get('/begrippen')).body;
    const anchors = new Set([...terms.matchAll(/<dt id="([a-z0-9-]+)">/g)].map((m) => m[1]));
    const linked = new Set<string>();
    for (const url of ['/?year=2026', '/vergelijken?year=2026', '/gemeente/0482?year=2026']) {
      const body = (await s.get(url)).body;
      for (const m of body.matchAll(/<a class="term" href="\/begrippen#([a-z0-9-]+)">/g)) linked.add(at(m, 1));
    }
    expect(linked.size).toBeGreaterThan(6);
    for (const id of linked) expect(anchors.has(id), id).toBe(true);
    // "Per 1.000 jeugdigen" was two things; now two terms with one definition each.
    expect(terms).toContain('<dt id="prognose-per-1000">Prognose per 1.000 jeugdigen</dt>');
    expect(terms).toContain('<dt id="kosten-per-1000">Kosten per 1.000 jeugdigen</dt>');
  });
});

describe('warm-up after an import', () => {
  it('computes the region overview in the background, so the first visitor finds it ready', async () => {
    const wh = await twoMunicipalities('duckdb');
    const calls: string[] = [];
    const costs = wh.costs.bind(wh);
    wh.costs = (q) => {
      calls.push(JSON.stringify(q));
      return costs(q);
    };
    const app = buildApp({ warehouse: wh, warmUp: true });
    await app.ready();
    // Nobody has asked for a page yet; the warm-up asks for the overview's aggregates of the latest year.
    for (let i = 0; i < 100 && calls.length < 4; i++) await new Promise((r) => setTimeout(r, 50));
    expect(calls).toContain(JSON.stringify({ by: ['municipality'], year: 2026 }));
    expect(calls).toContain(JSON.stringify({ by: ['municipality'], year: 2025 }));
    const before = calls.length;
    const s = await sessionAs(app, wh, 'regio');
    const home = await s.get('/');
    expect(home.body).toMatch(/Alblasserdam<\/a><\/th><td class="n">€ 13\.345</);
    // The overview was served from what the warm-up computed: none of its aggregates was asked for again.
    const warmed = calls.slice(0, before);
    expect(calls.slice(before).filter((c) => warmed.includes(c))).toEqual([]);
    // Without the option (tests, the benchmark's cold figures) nothing runs ahead.
    const cold: string[] = [];
    wh.costs = (q) => {
      cold.push(JSON.stringify(q));
      return costs(q);
    };
    await buildApp({ warehouse: wh }).ready();
    await new Promise((r) => setTimeout(r, 300));
    expect(cold).toEqual([]);
    // The insight pages are still being computed in the background: let them finish before the warehouse closes.
    await app.gripData.warm();
  });

  it('computes the insight pages in the background too, and a page not ready in time says so and reloads itself', async () => {
    const wh = await twoMunicipalities('duckdb');
    const quality = wh.dataQuality.bind(wh);
    let qualityCalls = 0;
    wh.dataQuality = (q) => {
      qualityCalls++;
      return quality(q);
    };
    const app = buildApp({ warehouse: wh, warmUp: true });
    await app.ready();
    await app.gripData.warm();
    // The region and each municipality on its own (what a gemeente user opens): 1 + the municipalities known.
    const warmCalls = qualityCalls;
    expect(warmCalls).toBe(1 + (await wh.municipalities()).length);
    const s = await sessionAs(app, wh, 'regio');
    const g = await sessionAs(app, wh, 'gemeente', ['0482']);
    for (const [who, url] of [
      [s, '/datakwaliteit'],
      [g, '/datakwaliteit'],
      [s, '/kostendrijvers'],
      [g, '/gemeente/0482/routes'],
      [s, '/gemeente/0505/casussen'],
    ] as const) {
      const r = await who.get(url);
      expect(r.statusCode, url).toBe(200);
      expect(r.body, url).not.toContain('Bezig met berekenen');
    }
    expect(qualityCalls).toBe(warmCalls);
    await app.close();
    await wh.close();

    // A slow warehouse (the checks take 2 s) and no warm-up: the page answers at once that it is computing.
    const slow = await twoMunicipalities('duckdb');
    const slowQuality = slow.dataQuality.bind(slow);
    slow.dataQuality = async (q) => {
      await new Promise((r) => setTimeout(r, 2_000));
      return slowQuality(q);
    };
    const app2 = buildApp({ warehouse: slow });
    const s2 = await sessionAs(app2, slow, 'regio');
    const t0 = Date.now();
    const first = await s2.get('/datakwaliteit');
    expect(Date.now() - t0).toBeLessThan(1_900);
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('Bezig met berekenen');
    expect(first.body).toContain('<meta http-equiv="refresh" content="3">');
    await new Promise((r) => setTimeout(r, 2_200));
    const later = await s2.get('/datakwaliteit');
    expect(later.body).not.toContain('Bezig met berekenen');
    expect(later.body).toContain('Bevindingen voor de hele regio');
  }, 60_000);
});
