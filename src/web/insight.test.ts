/**
 * The insight pages on hand-made iJw fixtures, imported through the real importer (XSD, pseudonyms,
 * JW301 relations → family keys): Kostendrijvers (parts add up exactly, the Dutch sentence), Bijzondere
 * casussen (a planted family of three children placed out of home is flagged, with its share and the
 * forecast without it; nothing is flagged on the clean fixture), Cliëntroutes, Datakwaliteit; access per
 * role, suppression for councils and the audit of client-level views.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { specialCasesView } from '../app/insight.js';
import {
  importInto,
  jw301Xml,
  jw315Xml,
  jw323Xml,
  openTestWarehouse,
  tempDir,
  writeFile,
  TEST_KEY,
} from '../ingest/testing/fixtures.js';
import { makePseudonymiser } from '../ingest/pseudonymise.js';
import { at } from '../domain/indexing.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { buildApp } from './server.js';
import { sessionAs, type Session } from './testing.js';

const ps = makePseudonymiser(TEST_KEY);
const M = '0482';
const OTHER = '0505';
const BSN = {
  A: '999900006',
  B: '999900018',
  C: '999900031',
  K1: '999900043',
  K2: '999900055',
  K3: '999900067',
  D: '999900080',
  E: '999900092',
  F: '999900109',
};
const PARENT = { number: '999900079', surname: 'Jansen', birth: '1980-01-01' };
const PARENT_EF = { number: '1', surname: 'Bakker', prefix: 'de', birth: '1982-02-02' };
const Q1 = ['2025-01', '2025-02', '2025-03'];

/**
 * 0482 Alblasserdam. Ambulant (45A03, hours): 2024 A and B 10 h × € 50; 2025 A, B and C 11 h × € 55.
 * Verblijf (43B01, etmalen): 2025 children K1–K3 of one family (a parent in their JW301 Relaties) 30 × € 200
 * in January–March (€ 18.000 each), and D alone in January (€ 6.000). Dagbehandeling (41D01): siblings E and
 * F (a family, nothing out of home) € 200 each in February. Every line names its allocation.
 * `planted`: also a second declaration of A's March care (a double registration) and C's allocation of 40
 * hours a month, ended 31 March 2025 (so judged at the default lag), of which 11 were delivered
 * (over-indication); otherwise the same data, without the family's relations (the clean fixture).
 */
function fixture(planted: boolean): string {
  const dir = tempDir();
  const alloc = (name: string, s: Parameters<typeof jw301Xml>[0]) =>
    writeFile(dir, `jw301-${name}.xml`, jw301Xml({ municipality: M, date: '2023-12-20', ...s }));
  alloc('A', { bsn: BSN.A, allocation: '9001', start: '2024-01-01', end: '2025-12-31' });
  alloc('B', { bsn: BSN.B, allocation: '9002', start: '2024-01-01', end: '2025-12-31' });
  alloc('C', {
    bsn: BSN.C,
    allocation: '9003',
    start: '2025-01-01',
    end: planted ? '2025-03-31' : '2025-12-31',
    providerReference: 'PR-C',
    date: '2024-12-20',
    ...(planted ? { size: { volume: 40, unit: '04', frequency: '4' } } : {}),
  });
  for (const [i, k] of (['K1', 'K2', 'K3'] as const).entries()) {
    alloc(k, {
      bsn: BSN[k],
      allocation: `910${i}`,
      start: '2025-01-01',
      end: '2025-12-31',
      category: '43',
      product: '43B01',
      date: '2024-12-20',
      relations: planted ? [PARENT] : undefined,
    });
  }
  alloc('D', {
    bsn: BSN.D,
    allocation: '9200',
    start: '2025-01-01',
    end: '2025-06-30',
    category: '43',
    product: '43B01',
    date: '2024-12-20',
  });
  alloc('E', {
    bsn: BSN.E,
    allocation: '9300',
    start: '2025-02-01',
    end: '2025-12-31',
    category: '41',
    product: '41D01',
    date: '2025-01-20',
    relations: [PARENT_EF],
  });
  alloc('F', {
    bsn: BSN.F,
    allocation: '9301',
    start: '2025-02-01',
    end: '2025-12-31',
    category: '41',
    product: '41D01',
    date: '2025-01-20',
    relations: [PARENT_EF],
  });
  writeFile(
    dir,
    'jw315-C.xml',
    jw315Xml({ municipality: M, bsn: BSN.C, providerReference: 'PR-C', referrer: '02', start: '2024-12-01' }),
  );
  writeFile(
    dir,
    'd2024.xml',
    jw323Xml({
      municipality: M,
      declarationNumber: 'D2024',
      declarationDate: '2024-06-10',
      periodMonth: '2024-05',
      lines: [
        { bsn: BSN.A, ref: 'a24', allocation: '9001', month: '2024-03', volume: 10, tariff: 5000, amount: 50000 },
        { bsn: BSN.B, ref: 'b24', allocation: '9002', month: '2024-03', volume: 10, tariff: 5000, amount: 50000 },
      ],
    }),
  );
  writeFile(
    dir,
    'd2025.xml',
    jw323Xml({
      municipality: M,
      declarationNumber: 'D2025',
      declarationDate: '2025-06-10',
      periodMonth: '2025-05',
      lines: [
        { bsn: BSN.A, ref: 'a25', allocation: '9001', month: '2025-03', volume: 11, tariff: 5500, amount: 60500 },
        { bsn: BSN.B, ref: 'b25', allocation: '9002', month: '2025-03', volume: 11, tariff: 5500, amount: 60500 },
        { bsn: BSN.C, ref: 'c25', allocation: '9003', month: '2025-03', volume: 11, tariff: 5500, amount: 60500 },
        ...(['K1', 'K2', 'K3'] as const).flatMap((k, i) =>
          Q1.map((month) => ({
            bsn: BSN[k],
            ref: `${k}-${month}`,
            allocation: `910${i}`,
            category: '43',
            product: '43B01',
            month,
            volume: 30,
            unit: '14',
            tariff: 20000,
            amount: 600000,
          })),
        ),
        {
          bsn: BSN.D,
          ref: 'd25',
          allocation: '9200',
          category: '43',
          product: '43B01',
          month: '2025-01',
          volume: 30,
          unit: '14',
          tariff: 20000,
          amount: 600000,
        },
        {
          bsn: BSN.E,
          ref: 'e25',
          allocation: '9300',
          category: '41',
          product: '41D01',
          month: '2025-02',
          volume: 2,
          unit: '16',
          tariff: 10000,
          amount: 20000,
        },
        {
          bsn: BSN.F,
          ref: 'f25',
          allocation: '9301',
          category: '41',
          product: '41D01',
          month: '2025-02',
          volume: 2,
          unit: '16',
          tariff: 10000,
          amount: 20000,
        },
      ],
    }),
  );
  // Another municipality, so scope and access can be tested.
  writeFile(
    dir,
    'other.xml',
    jw323Xml({
      municipality: OTHER,
      declarationNumber: 'O1',
      declarationDate: '2025-06-10',
      periodMonth: '2025-05',
      lines: [{ bsn: '999900110', ref: 'o1', month: '2025-03', amount: 10000 }],
    }),
  );
  if (planted) {
    writeFile(
      dir,
      'dup.xml',
      jw323Xml({
        municipality: M,
        declarationNumber: 'D2025B',
        declarationDate: '2025-06-12',
        periodMonth: '2025-05',
        lines: [
          { bsn: BSN.A, ref: 'a25b', allocation: '9001', month: '2025-03', volume: 11, tariff: 5500, amount: 60500 },
        ],
      }),
    );
  }
  return dir;
}

const FAMILY_CENTS = 3 * 3 * 600000;

async function setup(planted: boolean): Promise<{ w: Warehouse; app: FastifyInstance; regio: Session }> {
  const w = await openTestWarehouse();
  const s = await importInto(w, [fixture(planted)]);
  if (s.rejected) throw new Error(JSON.stringify(s.outcomes.filter((o) => o.status === 'rejected')));
  const app = buildApp({ warehouse: w });
  return { w, app, regio: await sessionAs(app, w, 'regio') };
}

describe('insight pages on the planted fixture', () => {
  let w: Warehouse;
  let app: FastifyInstance;
  let regio: Session;
  beforeAll(async () => {
    ({ w, app, regio } = await setup(true));
  }, 120_000);
  afterAll(async () => {
    /* eslint-disable @typescript-eslint/no-unnecessary-condition -- unset if beforeAll failed before opening them */
    await app?.close();
    await w?.close();
    /* eslint-enable @typescript-eslint/no-unnecessary-condition */
  });

  it('kostendrijvers: the parts add up to the change exactly, per slice and in total, and read as Dutch sentences', async () => {
    const r = await regio.get(`/api/kostendrijvers?from-period=2024&to-period=2025&municipality=${M}&by=category`);
    expect(r.statusCode).toBe(200);
    const d = r.json();
    // 2024: € 1.000; 2025: 3 × € 605 + the double € 605, the family € 54.000, D € 6.000, E and F € 400.
    expect(d.total.beforeCents).toBe(100000);
    expect(d.total.afterCents).toBe(4 * 60500 + FAMILY_CENTS + 600000 + 40000);
    for (const s of [...d.slices, d.total]) expect(s.volumeCents + s.intensityCents + s.priceCents).toBe(s.changeCents);
    expect(d.slices.reduce((t: number, s: { changeCents: number }) => t + s.changeCents, 0)).toBe(d.total.changeCents);
    const [y24, y25] = await Promise.all([
      w.costs({ by: [], year: 2024, municipalities: [M] }),
      w.costs({ by: [], year: 2025, municipalities: [M] }),
    ]);
    expect([d.total.beforeCents, d.total.afterCents]).toEqual([at(y24, 0).amountCents, at(y25, 0).amountCents]);
    // New care (verblijf, dagbehandeling) is all volume.
    const v43 = d.slices.find((s: { slice: string }) => s.slice === '43');
    expect(v43).toMatchObject({
      beforeCents: 0,
      afterCents: FAMILY_CENTS + 600000,
      volumeCents: FAMILY_CENTS + 600000,
      intensityCents: 0,
      priceCents: 0,
    });
    expect(v43.sentence).toBe(
      'De kosten jeugdhulp met verblijf (incl. behandeling) stegen € 60.000: € 60.000 door meer cliënten.',
    );
    expect(d.total.sentence).toMatch(/^De kosten in Alblasserdam stegen € 61\.8\d\d: /);
    expect(d.contributors[0]).toMatchObject({ slice: '43', effect: 'volume', cents: FAMILY_CENTS + 600000 });
    // 2025 is not fully declared yet (last declaration 12 June 2025): compared "even ver gedeclareerd" by default.
    expect(d.likeForLike).toEqual({ beforeAsOf: '2024-06-12', afterAsOf: '2025-06-12' });
    const asKnown = (
      await regio.get(`/api/kostendrijvers?from-period=2024&to-period=2025&municipality=${M}&gelijk=0`)
    ).json();
    expect(asKnown.likeForLike).toBeNull();
    expect(asKnown.notes.join(' ')).toMatch(/nog niet volledig gedeclareerd/);
    const page = await regio.get(`/kostendrijvers?from-period=2024&to-period=2025&municipality=${M}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Kostendrijvers 2024 → 2025');
    expect(page.body).toContain('<svg role="img"');
    expect(page.body).toContain(
      'De kosten jeugdhulp met verblijf (incl. behandeling) stegen € 60.000: € 60.000 door meer cliënten.',
    );
    expect(page.body).toContain('Grootste bijdragen aan het verschil');
    // Drill-down: category 45 by product.
    const drill = await regio.get(
      `/api/kostendrijvers?from-period=2024&to-period=2025&municipality=${M}&category=45&by=product`,
    );
    expect(drill.json().slices.map((s: { slice: string }) => s.slice)).toEqual(['45A03']);
    expect((await regio.get('/kostendrijvers?from-period=2024-13')).statusCode).toBe(400);
    expect((await regio.get('/api/kostendrijvers?by=month')).statusCode).toBe(400);
  });

  it('bijzondere casussen: the family with three children placed out of home is flagged, with its share and the forecast without it; the view is audited', async () => {
    const r = await regio.settled(`/gemeente/${M}/casussen?year=2025`);
    expect(r.statusCode).toBe(200);
    const total = 4 * 60500 + FAMILY_CENTS + 600000 + 40000;
    expect(r.body).toContain(
      'is 1 bijzondere casus gevonden (gezinnen met 3 of meer kinderen uit huis geplaatst): samen € 54.000',
    );
    expect(r.body).toMatch(
      /<td class="n">3<\/td><td class="n">3<\/td><td class="n">€ 54\.000<\/td><td class="n">86,0%<\/td>/,
    );
    expect(r.body).toContain(`<div class="v">€ ${((total - FAMILY_CENTS) / 100).toLocaleString('nl-NL')}</div>`);
    expect(r.body).toContain('Prognose zonder bijzondere casussen');
    expect(r.body).not.toMatch(/9999000\d\d/);
    // The family key is a pseudonym of the parent; the children are listed by pseudonym.
    expect(r.body).toContain(`g_${ps(PARENT.number).slice(2, 10)}`);
    expect(r.body).toContain(ps(BSN.K1));
    // D (alone out of home) and the siblings E and F (not out of home) are no bijzondere casus.
    expect(r.body.match(/<strong>ja<\/strong>/g)).toHaveLength(1);
    const log = await w.audit({ limit: 20 });
    const view = log.find((e) => e.action === 'view.special-cases');
    expect(view).toMatchObject({ municipality: M, username: expect.stringMatching(/^regio-/) });
    expect(view!.clients).toContain(ps(BSN.K1));

    // The forecast without the casus: the same forecast on the cost minus the family's run-off.
    const asOf = (await w.status()).lastDeclarationDate!;
    const v = await specialCasesView(w, { municipality: M, year: 2025, asOf });
    expect(v.summary).toMatchObject({
      totalCents: total,
      specialCents: FAMILY_CENTS,
      withoutSpecialCents: total - FAMILY_CENTS,
    });
    expect(v.summary.cases).toEqual([
      expect.objectContaining({ clients: 3, outOfHomeClients: 3, amountCents: FAMILY_CENTS }),
    ]);
    expect(v.forecast!.with.declaredCents - v.forecast!.without.declaredCents).toBe(FAMILY_CENTS);
    expect(v.forecast!.effectCents).toBe(v.forecast!.with.forecastCents - v.forecast!.without.forecastCents);
    expect(v.forecast!.effectCents).toBeGreaterThanOrEqual(FAMILY_CENTS);
    // With a higher threshold (4 children) there is none.
    expect((await specialCasesView(w, { municipality: M, year: 2025, asOf, minChildren: 4 })).summary.cases).toEqual(
      [],
    );

    // One client's route, linked from the page, audited too.
    const journey = await regio.get(`/gemeente/${M}/clienten/${ps(BSN.C)}`);
    expect(journey.statusCode).toBe(200);
    expect(journey.body).toContain('aanvraag (JW315)');
    expect(journey.body).toContain('toewijzing (JW301)');
    expect(journey.body).toContain('verwijzer: Huisarts');
    expect((await w.audit({ limit: 5 })).find((e) => e.action === 'view.client-journey')?.clients).toEqual([ps(BSN.C)]);
    expect((await regio.get(`/gemeente/${OTHER}/clienten/${ps(BSN.C)}`)).statusCode).toBe(404);
  });

  it('cliëntroutes: flows of new clients, request → start and the Sankey; councils see small flows hidden', async () => {
    const r = await regio.settled(`/gemeente/${M}/routes?from=2024-12&to=2025-12`);
    expect(r.statusCode).toBe(200);
    // New in the period: C (huisarts → ambulant), K1–K3 and D (gemeente → verblijf), E and F (gemeente → dagbehandeling).
    expect(r.body).toMatch(/Nieuwe cliënten[^<]*<\/div><div class="v">7</);
    // C's allocation (planted over-indication) ended on 31 March 2025.
    expect(r.body).toContain(
      '<td>Huisarts</td><td>45 Jeugdhulp ambulant</td><td>—</td><td>Afgesloten</td><td class="n">1</td>',
    );
    expect(r.body).toMatch(
      /<td>Gemeente[^<]*<\/td><td>43 Jeugdhulp verblijf \(incl\. behandeling\)<\/td><td>—<\/td><td>Lopend<\/td><td class="n">4<\/td>/,
    );
    // C: request dated 1 December 2024, allocation from 1 January 2025: 31 days.
    expect(r.body).toContain('<div class="v">31 dagen</div>');
    expect(r.body).toContain('<svg role="img"');
    const raad = await sessionAs(app, w, 'raad');
    // Councils: whole calendar years only.
    expect((await raad.get(`/gemeente/${M}/routes?from=2024-12&to=2025-12`)).statusCode).toBe(400);
    const rr = await raad.settled(`/gemeente/${M}/routes?year=2025`);
    expect(rr.statusCode).toBe(200);
    expect(rr.body).toContain('<div class="v">&lt;10</div>');
    expect(rr.body).toContain('De stromen zijn te klein om te tonen');
    expect(rr.body).not.toContain('<td>Huisarts</td>');
    // C's request (1 December 2024) is the only one of 2024: its 31 days are not shown.
    const r2024 = await raad.settled(`/gemeente/${M}/routes?year=2024`);
    expect(r2024.statusCode).toBe(200);
    expect(r2024.body).toContain('te weinig aanvragen (JW315)');
    expect(r2024.body).not.toContain('<div class="v">31 dagen</div>');
  });

  it('datakwaliteit: the planted double registration and over-indication, with amounts and a link to the lines; no client pseudonyms', async () => {
    const r = await regio.settled(`/datakwaliteit?municipality=${M}`);
    expect(r.statusCode).toBe(200);
    expect(r.body).toMatch(
      /<a href="#double">Dubbele declaraties<\/a><\/th><td class="n">1<\/td><td class="n">€ 605<\/td>/,
    );
    expect(r.body).toMatch(/<a href="#overIndication">Overindicatie<\/a><\/th><td class="n">1<\/td>/);
    for (const id of ['unusedAllocation', 'noAllocation', 'afterStop', 'creditWithoutDebit'])
      expect(r.body).not.toContain(`href="#${id}"`);
    expect(r.body).toContain(`href="/gemeente/${M}/regels?month=2025-03&amp;provider=12345678&amp;product=45A03"`);
    expect(r.body).toContain('dup.xml');
    expect(r.body).not.toMatch(/p_[0-9a-f]{20}/);
    const lines = await regio.get(`/gemeente/${M}/regels?month=2025-03&provider=12345678&product=45A03`);
    expect(lines.statusCode).toBe(200);
    expect(lines.body).toContain('dup.xml');
  });

  it('access: analysts only for casussen and datakwaliteit, a purpose for gemeente users, the own municipality only; councils see drivers suppressed', async () => {
    const g = await sessionAs(app, w, 'gemeente', [M]);
    expect((await g.settled(`/gemeente/${M}/casussen`)).statusCode).toBe(403);
    expect(
      (await g.settled(`/gemeente/${M}/casussen?doel=${encodeURIComponent('analyse kostbare gezinnen')}`)).statusCode,
    ).toBe(200);
    expect(
      (await g.settled(`/gemeente/${OTHER}/casussen?doel=${encodeURIComponent('analyse kostbare gezinnen')}`))
        .statusCode,
    ).toBe(403);
    expect((await g.settled('/datakwaliteit')).statusCode).toBe(200);
    expect((await g.settled(`/datakwaliteit?municipality=${OTHER}`)).statusCode).toBe(403);
    expect((await g.settled(`/gemeente/${OTHER}/routes`)).statusCode).toBe(403);
    expect((await g.get(`/kostendrijvers?municipality=${OTHER}`)).statusCode).toBe(403);
    // Without a municipality a gemeente user gets its own figures only.
    const own = (await g.get('/api/kostendrijvers?from-period=2024&to-period=2025')).json();
    expect(own.total.afterCents).toBe(4 * 60500 + FAMILY_CENTS + 600000 + 40000);
    const raad = await sessionAs(app, w, 'raad');
    for (const url of [
      `/gemeente/${M}/casussen?doel=nieuwsgierig`,
      '/datakwaliteit',
      `/gemeente/${M}/clienten/${ps(BSN.C)}?doel=nieuwsgierig`,
    ])
      expect((await raad.get(url)).statusCode).toBe(403);
    const rd = (await raad.get(`/api/kostendrijvers?from-period=2024&to-period=2025&municipality=${M}`)).json();
    expect(rd.total).toMatchObject({ suppressed: true, changeCents: null });
    expect(rd.slices.every((s: { suppressed: boolean }) => s.suppressed)).toBe(true);
    expect(rd.contributors).toEqual([]);
    const rp = await raad.get(`/kostendrijvers?from-period=2024&to-period=2025&municipality=${M}`);
    expect(rp.statusCode).toBe(200);
    expect(rp.body).toContain('Te weinig cliënten in deze selectie');
    expect(rp.body).not.toContain('€ 60.000');
  });

  it('datakwaliteit: the tariff check runs once a contracted tariff list is loaded', async () => {
    const before = await regio.settled(`/datakwaliteit?municipality=${M}`);
    expect(before.body).toMatch(
      /<th scope="row">Afwijkend tarief<\/th><td class="n">—<\/td><td class="n">—<\/td><td>niet gecontroleerd: geen tarievenlijst geladen/,
    );
    // 45A03 per hour at € 50 from 2024: the 2025 lines of A, B, C and A's second declaration were declared at
    // € 55: 4 lines × 11 hours × € 5 = € 220 too much. The 2024 lines (€ 50) agree; 43B01 and 41D01 have no tariff.
    await w.saveTariffs(
      [
        {
          provider: '*',
          category: '45',
          productCode: '45A03',
          unit: '04',
          tariffCents: 5000,
          validFrom: '2024-01-01',
          validTo: null,
        },
      ],
      {
        source: 'tarieven.csv',
        enteredBy: 'test',
        enteredAt: new Date().toISOString(),
      },
    );
    const after = await regio.settled(`/datakwaliteit?municipality=${M}`);
    expect(after.body).toMatch(
      /<a href="#tariff">Afwijkend tarief<\/a><\/th><td class="n">4<\/td><td class="n">€ 220<\/td>/,
    );
    expect(after.body).toContain('tarief € 55,00 per uur, contracttarief € 50,00: 11 × € 5,00 te veel');
    expect(after.body).toContain('dup.xml');
    expect(after.body).not.toMatch(/p_[0-9a-f]{20}/);
  });
});

describe('insight pages on the clean fixture', () => {
  let w: Warehouse;
  let app: FastifyInstance;
  let regio: Session;
  beforeAll(async () => {
    ({ w, app, regio } = await setup(false));
  }, 120_000);
  afterAll(async () => {
    /* eslint-disable @typescript-eslint/no-unnecessary-condition -- unset if beforeAll failed before opening them */
    await app?.close();
    await w?.close();
    /* eslint-enable @typescript-eslint/no-unnecessary-condition */
  });

  it('flags no bijzondere casus and no data-quality problem, and splits ambulant care exactly as computed by hand', async () => {
    const c = await regio.settled(`/gemeente/${M}/casussen?year=2025`);
    expect(c.statusCode).toBe(200);
    expect(c.body).toContain('is geen gezin met 3 of meer kinderen uit huis geplaatst gevonden');
    expect(c.body).not.toContain('<strong>ja</strong>');
    const q = await regio.settled('/datakwaliteit');
    expect(q.body).toContain('Geen bevindingen voor de hele regio.');
    // Ambulant: € 1.000 (2 clients × 10 h × € 50) → € 1.815 (3 × 11 h × € 55). LMDI by hand:
    // L = (1815 − 1000) / ln(1,815); volume L·ln(3/2), intensity L·ln(11/10), price L·ln(55/50).
    const d = (
      await regio.get(`/api/kostendrijvers?from-period=2024&to-period=2025&municipality=${M}&category=45`)
    ).json();
    const s = d.slices[0];
    const L = (181500 - 100000) / Math.log(181500 / 100000);
    const want = { volume: L * Math.log(1.5), intensity: L * Math.log(1.1), price: L * Math.log(1.1) };
    expect(Math.abs(s.volumeCents - want.volume)).toBeLessThanOrEqual(1);
    expect(Math.abs(s.intensityCents - want.intensity)).toBeLessThanOrEqual(1);
    expect(Math.abs(s.priceCents - want.price)).toBeLessThanOrEqual(1);
    expect(s.volumeCents + s.intensityCents + s.priceCents).toBe(81500);
    expect(s.sentence).toBe(
      `De kosten ambulante jeugdhulp stegen € 815: € ${Math.round(want.volume / 100)} door meer cliënten, € ${Math.round(want.intensity / 100)} door meer uren per cliënt, € ${Math.round(want.price / 100)} door hogere tarieven.`,
    );
  });
});
