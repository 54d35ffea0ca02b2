/**
 * The steering pages (begroting, verdeling, maatregelen, kpi, scenario) against hand sums and the seeds.
 *
 * The region: Alblasserdam (0482) declares € 950 a month in 2025 (12 × 95.000 cents = 1.140.000 = 4,75% of the
 * region's 24.000.000 cents in 2025, the other 22.860.000 in Dordrecht 0505), then € 550 a month in
 * 2026-01..2026-07 (a planted saving of € 400 a month). The last declaration is dated 2026-10-05.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importInto, jw323Xml, openTestWarehouse, tempDir, writeFile } from '../../ingest/testing/fixtures.js';
import { at } from '../../domain/indexing.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { buildApp } from '../server.js';
import { sessionAs, type Session } from '../testing.js';
import { budgetCells } from './overview.js';

let w: Warehouse;
let app: FastifyInstance;
let regio: Session;
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;|\u00a0/g, ' ')
    .replace(/\s+/g, ' ');
const BSN = ['999900006', '999900018', '999900031'];

beforeAll(async () => {
  const dir = tempDir();
  const months: [string, number][] = [];
  for (let m = 1; m <= 12; m++) months.push([`2025-${String(m).padStart(2, '0')}`, 95_000]);
  for (let m = 1; m <= 7; m++) months.push([`2026-${String(m).padStart(2, '0')}`, 55_000]);
  months.forEach(([month, amount], i) => {
    const [y = 0, mo = 0] = month.split('-').map(Number);
    const next = mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
    const date = month === '2026-07' ? '2026-10-05' : `${next}-05`;
    writeFile(
      dir,
      `a${i}.xml`,
      jw323Xml({
        municipality: '0482',
        declarationNumber: `A${i}`,
        declarationDate: date,
        periodMonth: month,
        lines: [{ bsn: at(BSN, i % 2), ref: `A${i}`, month, amount }],
      }),
    );
  });
  writeFile(
    dir,
    'b.xml',
    jw323Xml({
      municipality: '0505',
      declarationNumber: 'B1',
      declarationDate: '2025-07-05',
      periodMonth: '2025-06',
      lines: [{ bsn: at(BSN, 2), ref: 'B1', month: '2025-06', amount: 22_860_000 }],
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

describe('begroting', () => {
  it('adds a primitive budget and an amendment (CSRF, validation, Dutch errors), keeps the history and shows budget vs realisation', async () => {
    // An amendment needs a primitive budget first.
    const early = await regio.post('/begroting/wijziging', {
      municipality: '0482',
      year: '2026',
      kind: 'wijziging',
      date: '2026-01-15',
      amount: '-1.250',
      decisionReference: '1e wijziging',
    });
    expect(early.statusCode).toBe(400);
    expect(early.body).toContain('eerst een primitieve begroting');
    const empty = await regio.post('/begroting/wijziging', {});
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Het formulier is niet opgeslagen');
    const badAmount = await regio.post('/begroting/wijziging', {
      municipality: '0482',
      year: '2026',
      kind: 'primitief',
      date: '2025-11-10',
      amount: 'vijfduizend',
      decisionReference: 'Begroting 2026',
    });
    expect(badAmount.statusCode).toBe(400);
    expect(badAmount.body).toContain('geen bedrag in euro');
    const noCsrf = await regio.post(
      '/begroting/wijziging',
      {
        municipality: '0482',
        year: '2026',
        kind: 'primitief',
        date: '2025-11-10',
        amount: '5.000',
        decisionReference: 'Begroting 2026',
      },
      { csrf: null },
    );
    expect(noCsrf.statusCode).toBe(403);
    expect(await w.budgetEntries()).toEqual([]);

    expect(
      (
        await regio.post('/begroting/wijziging', {
          municipality: '0482',
          year: '2026',
          kind: 'primitief',
          date: '2025-11-10',
          amount: '5.000',
          decisionReference: 'Begroting 2026',
        })
      ).statusCode,
    ).toBe(303);
    expect(
      (
        await regio.post('/begroting/wijziging', {
          municipality: '0482',
          year: '2026',
          kind: 'wijziging',
          date: '2026-01-15',
          amount: '-1.250',
          decisionReference: '1e wijziging',
        })
      ).statusCode,
    ).toBe(303);
    const again = await regio.post('/begroting/wijziging', {
      municipality: '0482',
      year: '2026',
      kind: 'primitief',
      date: '2025-12-01',
      amount: '6.000',
      decisionReference: 'nog eens',
    });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('al een primitieve begroting');
    const entries = await w.budgetEntries({ year: 2026 });
    expect(entries.map((e) => [e.kind, e.amountCents, e.decisionReference])).toEqual([
      ['primitief', 500_000, 'Begroting 2026'],
      ['wijziging', -125_000, '1e wijziging'],
    ]);
    expect((await w.audit({ limit: 50 })).filter((a) => a.action === 'budget.entry')).toHaveLength(2);

    const r = await regio.get('/begroting?year=2026');
    expect(r.statusCode).toBe(200);
    const t = text(r.body);
    // Budget 5.000 − 1.250 = 3.750; realised 7 × 550 = 3.850; used 3.850 / 3.750 = 102,7%.
    expect(t).toMatch(/Alblasserdam € 3\.750 € 3\.850 102,7%/);
    // History: both versions with date and decision, the running budget after each.
    expect(t).toContain('Alblasserdam primitief 10-11-2025 Begroting 2026 geheel € 5.000 € 5.000');
    expect(t).toContain('Alblasserdam wijziging 15-01-2026 1e wijziging geheel -€ 1.250 € 3.750');
    // Dordrecht has costs in 2025 only, but no budget: said so.
    const y25 = await regio.get('/begroting?year=2025');
    expect(text(y25.body)).toMatch(/Dordrecht geen begroting ingevoerd € 228\.600/);
  });

  it('imports pasted CSV (all or nothing), exports CSV, and limits gemeente users to their own municipality', async () => {
    const bad = await regio.post('/begroting/import', { csv: 'municipality,year,soort\nGM0505,2026,primitief' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('De CSV is niet ingelezen');
    const csv =
      'municipality,year,kind,date,amountEuros,decisionReference,categoryGroup,description\nGM0505,2026,primitief,2025-11-12,20000,Begroting 2026,,\nGM0505,2026,wijziging,2026-02-01,2500,1e wijziging,,';
    expect((await regio.post('/begroting/import', { csv })).statusCode).toBe(303);
    const t = text((await regio.get('/begroting?year=2026')).body);
    expect(t).toContain('Dordrecht wijziging 01-02-2026 1e wijziging geheel +€ 2.500 € 22.500');
    const exp = await regio.get('/begroting.csv?year=2026');
    expect(exp.headers['content-type']).toContain('text/csv');
    // For Dutch Excel: BOM, Dutch headers, semicolons, euros with a decimal comma (-1250,00 = -125.000 cents), dd-mm-jjjj.
    expect(
      exp.body.startsWith(
        '\uFEFFGemeentecode;Gemeente;Jaar;Soort;Besluitdatum;Bedrag (€);Besluit;Categoriegroep;Omschrijving;Ingevoerd door;Ingevoerd op\r\n',
      ),
    ).toBe(true);
    expect(exp.body).toContain('0482;Alblasserdam;2026;wijziging;15-01-2026;-1250,00;1e wijziging;geheel;');
    expect(exp.body).toContain('0505;Dordrecht;2026;primitief;12-11-2025;20000,00;Begroting 2026;geheel;');

    const g = await sessionAs(app, w, 'gemeente', ['0482']);
    expect((await g.get('/begroting?municipality=0505')).statusCode).toBe(403);
    const own = await g.get('/begroting?year=2026');
    expect(own.statusCode).toBe(200);
    expect(own.body).not.toContain('Dordrecht');
    expect((await g.get('/begroting.csv?year=2026')).body).not.toContain('0505;');
    expect(
      (
        await g.post('/begroting/wijziging', {
          municipality: '0482',
          year: '2026',
          kind: 'wijziging',
          date: '2026-03-01',
          amount: '100',
          decisionReference: 'x',
        })
      ).statusCode,
    ).toBe(403);
  });

  it('overview and municipality page: budget column, forecast − budget coloured, or "geen begroting ingevoerd"', async () => {
    // Hand figures: budget € 5.000, forecast € 6.123,45 → +€ 1.123 (over, red); a forecast under budget is green.
    expect(budgetCells(500_000, 612_345).html).toBe(
      '<td class="n">€ 5.000</td><td class="n"><span class="over">+€ 1.123</span></td>',
    );
    expect(budgetCells(500_000, 400_000).html).toBe(
      '<td class="n">€ 5.000</td><td class="n"><span class="under">-€ 1.000</span></td>',
    );
    expect(budgetCells(null, 400_000).html).toContain('geen begroting ingevoerd');
    const home = await regio.get('/?year=2026');
    const row = at(/Alblasserdam<\/a><\/th>(.*?)<\/tr>/s.exec(home.body) ?? [], 1);
    const cells = [...row.matchAll(/<td class="n[^"]*">(.*?)<\/td>/gs)].map((m) => at(m, 1));
    expect(cells[6]).toBe('€ 3.750');
    // forecast − budget, with the forecast as the page shows it (whole euros; the budget is whole euros too).
    const forecastEuros = Number(at(cells, 1).replace(/[€\s.]/g, ''));
    const diff = forecastEuros - 3_750;
    const [diffCell, chanceCell] = at(cells, 7).split('<br>');
    expect(diffCell).toBe(
      `<span class="${diff > 0 ? 'over' : 'under'}">${diff > 0 ? '+' : '-'}€ ${Math.abs(diff).toLocaleString('nl-NL')}</span>`,
    );
    // Beside it the chance of an overrun, from the back-test's errors: a whole percentage, never 0% or 100%.
    expect(chanceCell).toMatch(/^<small>kans op overschrijding (\d{1,2}%|meer dan 99%|minder dan 1%)<\/small>$/);
    expect(home.body).toMatch(/Hardinxveld-Giessendam<\/a><\/th>.*?geen begroting ingevoerd/s);
    const muni = await regio.get('/gemeente/0482?year=2026');
    expect(muni.body).toContain('Prognose − begroting 2026');
    expect(muni.body).toContain('(€ 3.750)');
    const other = await regio.get('/gemeente/0505?year=2025');
    expect(other.body).toContain('geen begroting ingevoerd');
  });
});

describe('verdeling', () => {
  it('seed 001: of € 400.000 Alblasserdam gets € 19.000 = 4,75% by own usage 2025; every key side by side, exact to the cent', async () => {
    const r = await regio.get('/verdeling?year=2025&amount=400.000&check=0482&decided=19.000');
    expect(r.statusCode).toBe(200);
    // 40.000.000 × 1.140.000 / 24.000.000 = 1.900.000 cents exactly.
    expect(r.body).toMatch(
      /eigen gebruik \(realisatie\)<\/th><td class="n">€ 19\.000,00<\/td><td class="n">4,75%<\/td><td class="n">€ 0,00<\/td><td><strong>ja<\/strong>/,
    );
    // Equal parts: 400.000 / 10 = 40.000, 21.000 more than decided.
    expect(r.body).toMatch(
      /gelijke delen<\/th><td class="n">€ 40\.000,00<\/td><td class="n">10,00%<\/td><td class="n">\+€ 21\.000,00<\/td><td>nee/,
    );
    expect(text(r.body)).toContain('Dichtst bij het besluit: eigen gebruik (realisatie)');
    // Dordrecht by usage: 400.000 − 19.000 = 381.000; the chosen key's total is the amount.
    expect(text(r.body)).toMatch(/Dordrecht [^A-Z]*?€ 381\.000,00/);
    expect(text(r.body)).toContain('Totaal 100,00% € 400.000,00');
    // 7 cents in equal parts over 10 municipalities: the 7 lowest codes get a cent each; the total is 7 cents.
    const cents = await regio.get('/verdeling?year=2025&amount=0,07&key=equal');
    expect(text(cents.body)).toContain('Totaal 100,00% € 0,07');
    expect((await regio.get('/verdeling?amount=veel')).statusCode).toBe(400);
    expect((await regio.get('/verdeling?phase=2020-0')).statusCode).toBe(400);
    // The reference data are marked as approximate.
    expect(r.body).toContain('benadering');
  });

  it('reference data: beheerder/regio edit inhabitants and youths (CSRF, validation); the row is no longer approximate', async () => {
    const munis = await w.municipalities();
    const form: Record<string, string> = {};
    for (const m of munis) {
      form[`inhabitants_${m.code}`] = String(m.inhabitants);
      form[`youths_${m.code}`] = String(m.youths);
    }
    form.inhabitants_0482 = '20.559';
    form.youths_0482 = '4.600';
    expect((await regio.post('/verdeling/referentie', {})).statusCode).toBe(400);
    expect((await regio.post('/verdeling/referentie', { ...form, youths_0482: 'veel' })).body).toContain(
      'geen heel getal',
    );
    expect((await regio.post('/verdeling/referentie', form, { csrf: null })).statusCode).toBe(403);
    const raad = await sessionAs(app, w, 'raad');
    expect((await raad.post('/verdeling/referentie', form)).statusCode).toBe(403);
    expect((await regio.post('/verdeling/referentie', form)).statusCode).toBe(303);
    const a = (await w.municipalities()).find((m) => m.code === '0482')!;
    expect(a).toMatchObject({ inhabitants: 20_559, youths: 4_600, approximate: false });
    expect((await w.municipalities()).find((m) => m.code === '0505')!.approximate).toBe(
      munis.find((m) => m.code === '0505')!.approximate,
    );
    expect((await w.audit({ limit: 50 })).some((e) => e.action === 'reference.municipalities')).toBe(true);
  });
});

describe('maatregelen', () => {
  it('imports measures and a target; risk-adjusted coverage and realised vs planned savings from the actuals', async () => {
    const measures =
      'id,title,owner,status,what,start,end,riskPercent,municipalities,categories,products,provider,oneOffCostsEuros,structuralCostsEuros,savings2026Euros,description\n' +
      'T1,Afschalen begeleiding,GM0482,in uitvoering,Kritisch kijken naar omvang,2026-01,,40,0482,,,,1000,,6000,test';
    expect(
      (await regio.post('/maatregelen/import', { kind: 'maatregelen', csv: measures.replace('riskPercent', 'risico') }))
        .statusCode,
    ).toBe(400);
    expect((await regio.post('/maatregelen/import', { kind: 'maatregelen', csv: measures })).statusCode).toBe(303);
    expect(
      (
        await regio.post('/maatregelen/import', {
          kind: 'taakstelling',
          csv: 'municipality,year,amountEuros,description\nGM0482,2026,200000,Taakstelling',
        })
      ).statusCode,
    ).toBe(303);
    const r = await regio.get('/maatregelen?year=2026');
    expect(r.statusCode).toBe(200);
    // Target € 200.000; potential € 6.000 × (1 − 40%) = € 3.600; coverage 3.600 / 200.000 = 1,8% → "2%"; gap € 196.400.
    expect(text(r.body)).toMatch(/Alblasserdam € 200\.000 € 6\.000 € 3\.600 2% € 196\.400 € 1\.000 T1/);
    expect(text(r.body)).toContain('T1 Afschalen begeleiding gemeente Alblasserdam in uitvoering');
    // Planned, risk-adjusted (× 0,6) and expected (× 0,8 for "in uitvoering"): € 6.000, € 3.600, € 2.880. Dordrecht, the
    // only other municipality with cost, has none in 2026: no counterfactual, so no realised figure.
    expect(text(r.body)).toMatch(/T1 Afschalen begeleiding in uitvoering € 6\.000 € 3\.600 € 2\.880 — — niet te meten/);
    expect(text(r.body)).toContain('verschil-in-verschillen');

    const d = await regio.get('/maatregelen/T1');
    expect(d.statusCode).toBe(200);
    const t = text(d.body);
    // Baseline: the mean of 2025-01..2025-12 = € 950 a month; mature months 2026-01..2026-07 (asOf 2026-10-05 − 3).
    // Realised 7 × (950 − 550) = € 2.800; planned € 6.000 / 12 × 7 = € 3.500.
    expect(t).toContain('Gepland tot nu € 3.500');
    expect(t).toContain('Gerealiseerd tot nu € 2.800');
    expect(t).toContain('Basislijn per maand € 950');
    expect(t).toContain('stand per 05-10-2026');
    expect(t).toContain('Basislijn: de gemiddelde maandelijkse kosten');
    expect(d.body).toContain('<svg role="img"');
    expect((await regio.get('/maatregelen/BESTAAT-NIET')).statusCode).toBe(404);
    // A council member: the scope (Alblasserdam, a handful of clients) is too small to show what it cost.
    const raad = await sessionAs(app, w, 'raad');
    const rd = await raad.get('/maatregelen/T1');
    expect(rd.statusCode).toBe(200);
    const rt = text(rd.body);
    expect(rt).toContain('verschil-in-verschillen');
    expect(rt).not.toContain('€ 2.800');
    expect(rt).not.toContain('€ 950');
    expect(rt).toContain('wordt voor deze rol niet getoond');
    expect(rd.body).not.toContain('<svg role="img"');
    const g = await sessionAs(app, w, 'gemeente', ['0505']);
    expect((await g.get('/maatregelen/T1')).statusCode).toBe(403);
    expect((await g.get('/maatregelen')).body).not.toContain('Afschalen begeleiding');
  });

  it('region row: only the targets that exist count — a large saving in Dordrecht (no target) does not cover Alblasserdam', async () => {
    // Dordrecht (0505), no target: € 400.000 in 2026 at 0% risk. Alblasserdam keeps T1 (€ 3.600 risk-adjusted)
    // against its € 200.000. Counting every measure would show the region 403.600 / 200.000 = 202% "gedekt".
    const csv =
      'id,title,owner,status,what,start,end,riskPercent,municipalities,categories,products,provider,oneOffCostsEuros,structuralCostsEuros,savings2026Euros,description\n' +
      'T2,Inkoop Dordrecht,GM0505,in uitvoering,Scherper inkopen,2026-01,,0,0505,,,,,,400000,test';
    expect((await regio.post('/maatregelen/import', { kind: 'maatregelen', csv })).statusCode).toBe(303);
    const t = text((await regio.get('/maatregelen?year=2026')).body);
    // Alblasserdam against its own target, as before: 3.600 / 200.000 → 2%, € 196.400 still to find.
    expect(t).toMatch(/Alblasserdam € 200\.000 € 6\.000 € 3\.600 2% € 196\.400 € 1\.000 T1/);
    // Dordrecht: no target, no coverage.
    expect(t).toMatch(/Dordrecht geen taakstelling € 400\.000 € 400\.000 — — € 0 T2/);
    // Region: the sum of the targets that exist (Alblasserdam's), covered by Alblasserdam's € 3.600 only: 2%.
    expect(t).toMatch(
      /Regio € 200\.000 som van de taakstelling van Alblasserdam € 406\.000 € 403\.600 waarvan € 3\.600 tegen een taakstelling 2% € 196\.400 € 1\.000 T1, T2/,
    );
    expect(t).not.toMatch(/20[12]%/);
    expect(t).toContain(
      'de regio heeft geen eigen taakstelling, dus de regiorij telt alleen de taakstellingen die bestaan (Alblasserdam)',
    );
    expect(t).toContain('(samen € 400.000) dekken geen taakstelling');
  });
});

describe('kpi', () => {
  it('shows seed 004 tables 1 and 2 as in the report, traffic lights from target and critical value, and partners enter their own figures', async () => {
    expect((await regio.get('/kpi')).body).toContain('Tabellen uit het Rekenkamer-rapport laden');
    expect((await regio.post('/kpi/rekenkamer', {})).statusCode).toBe(303);
    const r = await regio.get('/kpi');
    const t = text(r.body);
    // Seed 004, table 1: "30 april 63 dagen 48 dagen 28 cliënten", "31 augustus 113 dagen 54 dagen 4 cliënten".
    expect(t).toContain('2019 30 april 63 dagen 48 dagen 28 cliënten 31 augustus 113 dagen 54 dagen 4 cliënten');
    expect(t).toContain('2021 30 april 50 dagen 39 dagen 18 cliënten');
    // Table 2: "Toeleiding 41 72 225 95 76 76", "Gezinsregisseur 444 420 455 428 536 669".
    expect(t).toContain('Toeleiding 41 72 225 95 76 76');
    expect(t).toContain('Gezinsregisseur 444 420 455 428 536 669');
    // No norms agreed (seed 004): no light yet.
    expect(t).toMatch(/Wachttijd SJT Alblasserdam 50 dagen 30 april 2021 niet vastgesteld niet vastgesteld geen norm/);

    // A target 42 and critical value 60 (lower is better): 61 days is rood.
    const csv =
      'kpi,municipality,period,value,name,unit,direction,target,critical,source\nsjt-wachttijd,GM0482,2021-08-31,61,Wachttijd SJT,dagen,lower,42,60,SJT\ncjg-bereik,GM0482,2021,30,Bereik CJG,%,higher,40,20,CJG';
    expect((await regio.post('/kpi/import', { csv })).statusCode).toBe(303);
    expect(text((await regio.get('/kpi')).body)).toMatch(
      /Wachttijd SJT Alblasserdam 61 dagen 31 augustus 2021 42 dagen 60 dagen rood/,
    );

    // The partner (organisation SJT) enters 42 days for 31 december 2021: exactly the target → groen.
    const partner = await sessionAs(app, w, 'partner');
    const form = (await partner.get('/kpi')).body;
    expect(form).toContain('Cijfers invoeren voor SJT');
    expect(form).not.toContain('<option value="cjg-bereik">');
    expect(
      (
        await partner.post(
          '/kpi/invoer',
          { kpi: 'sjt-wachttijd', scope: '0482', period: '2021-12-31', value: '42' },
          { csrf: null },
        )
      ).statusCode,
    ).toBe(403);
    expect(
      (await partner.post('/kpi/invoer', { kpi: 'sjt-wachttijd', scope: '0482', period: '31-12-2021', value: '42' }))
        .body,
    ).toContain('Peildatum');
    expect(
      (await partner.post('/kpi/invoer', { kpi: 'cjg-bereik', scope: '0482', period: '2022', value: '35' })).statusCode,
    ).toBe(403);
    expect(
      (await partner.post('/kpi/invoer', { kpi: 'sjt-wachttijd', scope: '0482', period: '2021-12-31', value: '42' }))
        .statusCode,
    ).toBe(303);
    expect(text((await regio.get('/kpi')).body)).toMatch(
      /Wachttijd SJT Alblasserdam 42 dagen 31 december 2021 42 dagen 60 dagen groen beter/,
    );
    const raad = await sessionAs(app, w, 'raad');
    expect(
      (await raad.post('/kpi/invoer', { kpi: 'sjt-wachttijd', scope: '0482', period: '2022-04-30', value: '1' }))
        .statusCode,
    ).toBe(403);
  });
});

describe('scenario', () => {
  it('reproduces the seed figures and splits the effect per municipality', async () => {
    const r = await regio.get('/scenario');
    expect(r.statusCode).toBe(200);
    const t = text(r.body);
    // Seed 001: begeleiding € 27.000 → € 13.500 (half moves; front at 90% after the SJT discount); opvoedhulp € 14.000 → € 7.000.
    expect(t).toContain('€ 27.000 € 13.500 € 13.500 € 12.150 € 1.350');
    expect(t).toContain('€ 14.000 € 7.000 € 7.000 € 6.300 € 700');
    // Seed 004: € 218.000 at 90% → € 21.800 net; € 92.400 → € 9.240 ("ongeveer 10.000").
    expect(t).toContain('€ 218.000 € 218.000 € 0 € 196.200 € 21.800');
    expect(t).toContain('€ 92.400 € 92.400 € 0 € 83.160 € 9.240');
    const calc = text((await regio.get('/scenario?amount=218.000&share=100&ratio=90&discount=0')).body);
    expect(calc).toContain(
      '€ 218.000 met 100% naar de voorkant, kosten 90% Kosten nu Naar de voorkant Blijft in de zorgmarkt Kosten voorkant Netto besparing € 218.000 € 218.000 € 0 € 196.200 € 21.800',
    );
    // Per municipality on 2025 costs of category 45: Alblasserdam € 11.400 → half moves (5.700), front 5.700 × 0,9 = 5.130, saving 570.
    const reg = text((await regio.get('/scenario?year=2025&category=45&share=50&ratio=100&discount=10')).body);
    expect(reg).toContain('Alblasserdam € 11.400 € 5.700 € 5.700 € 5.130 € 570');
    // Dordrecht € 228.600: 114.300 moves, front 102.870, saving 11.430; the region adds up: 11.430 + 570 = 12.000.
    expect(reg).toContain('Dordrecht € 228.600 € 114.300 € 114.300 € 102.870 € 11.430');
    expect(reg).toContain('Regio € 240.000 € 120.000 € 120.000 € 108.000 € 12.000');
    expect((await regio.get('/scenario?share=150')).statusCode).toBe(400);
    expect((await regio.get('/scenario?ramp=2026-10')).statusCode).toBe(400);
  });
});
