/**
 * The corona page and its xlsx, on a hand-computed provider.
 *
 * Provider 11111111, 2019 (baseline): Alblasserdam 9.000 + 3.000, Dordrecht 6.000 → € 18.000 a year,
 * € 1.500 a month; shares Alblasserdam 2/3, Dordrecht 1/3. 2020, peildatum 30-09-2020:
 *   March  Alblasserdam 1.000            → loss 500
 *   April  Dordrecht 2.000               → loss 0 (above the average)
 *   May    nothing by the peildatum      → provisional loss 1.500; Alblasserdam declares 900 on 05-11-2020
 *                                           (catch-up care) → final loss 600, netted 900
 *   June   Alblasserdam 1.200            → loss 300
 * Provisional 2.300, final 1.400, netted 900. Split 2:1 (largest remainder, in cents):
 *   provisional 230.000 → 153.333,33 / 76.666,67 → Alblasserdam 153.333, Dordrecht 76.667
 *   final       140.000 →  93.333,33 / 46.666,67 → Alblasserdam  93.333, Dordrecht 46.667
 *   netted: Alblasserdam 60.000, Dordrecht 30.000; catch-up declared: Alblasserdam 90.000.
 * Provider 22222222 works only for Dordrecht: 2019 € 12.000 (€ 1.000 a month), nothing in March–June
 * 2020 → loss 4 × 1.000 = 4.000, nothing netted.
 */
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importInto, jw323Xml, openTestWarehouse, tempDir, writeFile } from '../../ingest/testing/fixtures.js';
import { at } from '../../domain/indexing.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { buildApp } from '../server.js';
import { sessionAs, type Session } from '../testing.js';

let w: Warehouse;
let app: FastifyInstance;
let regio: Session;
let gemeente: Session;
const P = '11111111';
const Q = '22222222';
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;|\u00a0/g, ' ')
    .replace(/\s+/g, ' ');

beforeAll(async () => {
  const dir = tempDir();
  const file = (
    name: string,
    provider: string,
    municipality: string,
    declarationDate: string,
    lines: { month: string; amount: number; bsn?: string }[],
  ) =>
    writeFile(
      dir,
      `${name}.xml`,
      jw323Xml({
        provider,
        municipality,
        declarationNumber: name,
        declarationDate,
        periodMonth: at(lines, 0).month,
        lines: lines.map((l, i) => ({
          bsn: l.bsn ?? '999900006',
          ref: `${name}-${i}`,
          month: l.month,
          amount: l.amount,
        })),
      }),
    );
  file('P1', P, '0482', '2019-02-10', [{ month: '2019-01', amount: 900_000 }]);
  file('P2', P, '0482', '2019-07-10', [{ month: '2019-06', amount: 300_000 }]);
  file('P3', P, '0505', '2019-04-10', [{ month: '2019-03', amount: 600_000, bsn: '999900018' }]);
  file('P4', P, '0482', '2020-04-10', [{ month: '2020-03', amount: 100_000 }]);
  file('P5', P, '0505', '2020-05-10', [{ month: '2020-04', amount: 200_000, bsn: '999900018' }]);
  file('P6', P, '0482', '2020-07-10', [{ month: '2020-06', amount: 120_000 }]);
  file('P7', P, '0482', '2020-11-05', [{ month: '2020-05', amount: 90_000 }]);
  file('Q1', Q, '0505', '2019-06-10', [{ month: '2019-05', amount: 1_200_000, bsn: '999900031' }]);
  w = await openTestWarehouse();
  await importInto(w, [dir]);
  // The provider register knows P by name, not Q.
  await w.saveProviders([{ agb: P, name: 'Jeugdhulp De Linde', kvk: null, careType: null }], {
    source: 'aanbieders.csv',
    enteredBy: 'test',
    enteredAt: '2026-01-01T00:00:00Z',
  });
  app = buildApp({ warehouse: w });
  regio = await sessionAs(app, w, 'regio');
  gemeente = await sessionAs(app, w, 'gemeente', ['0482']);
}, 60_000);
afterAll(async () => {
  /* eslint-disable @typescript-eslint/no-unnecessary-condition -- unset if beforeAll failed before opening them */
  await app?.close();
  await w?.close();
  /* eslint-enable @typescript-eslint/no-unnecessary-condition */
});

async function workbook(body: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  return wb;
}

/** Rows of a sheet as objects keyed by the header, values as stored (numbers stay numbers). */
function rows(wb: ExcelJS.Workbook, name: string): Record<string, unknown>[] {
  const ws = wb.getWorksheet(name);
  if (!ws) throw new Error(`no sheet ${name}`);
  const head = (ws.getRow(1).values as unknown[]).slice(1).map(String);
  const out: Record<string, unknown>[] = [];
  ws.eachRow((r, i) => {
    if (i === 1) return;
    const vals = (r.values as unknown[]).slice(1);
    out.push(Object.fromEntries(head.map((h, k) => [h, vals[k]])));
  });
  return out;
}

describe('/corona', () => {
  it('shows the loss per provider and municipality for the region, with catch-up care netted', async () => {
    const r = await regio.get('/corona');
    expect(r.statusCode).toBe(200);
    const t = text(r.body);
    expect(t).toContain('maart 2020 – juni 2020');
    // Totals: provisional 2.300 + 4.000, catch-up 900, netted 900, final 1.400 + 4.000.
    expect(t).toContain('Derving voorlopig € 6.300');
    expect(t).toContain('Inhaalzorg later gedeclareerd € 900');
    expect(t).toContain('Verrekend € 900');
    expect(t).toContain('Derving definitief € 5.400');
    expect(t).toMatch(new RegExp(`Jeugdhulp De Linde € 1\\.500 € 2\\.300 € 900 € 900 € 1\\.400 ja`));
    expect(t).toMatch(new RegExp(`AGB ${Q} € 1\\.000 € 4\\.000 € 0 € 0 € 4\\.000 —`));
    // Per municipality: Alblasserdam 1.533,33 → € 1.533 provisional, 933,33 → € 933 final.
    expect(t).toMatch(/Alblasserdam 1 € 1\.533 € 900 € 600 € 933/);
    // Dordrecht: 766,67 + 4.000 provisional, 466,67 + 4.000 final.
    expect(t).toMatch(/Dordrecht 2 € 4\.767 € 0 € 300 € 4\.467/);
  });

  it('names the providers from the register, with the AGB code on hover (and the code where the register has no name)', async () => {
    const r = await regio.get('/corona');
    expect(r.body).toContain(`<span title="AGB ${P}">Jeugdhulp De Linde</span>`);
    expect(r.body).toContain(`AGB ${Q}`);
    expect(text((await regio.get(`/corona?provider=${P}`)).body)).toContain(`Jeugdhulp De Linde (AGB ${P}) per maand`);
  });

  it('shows the lines the provider’s loss rests on, and the months', async () => {
    const t = text((await regio.get(`/corona?provider=${P}`)).body);
    expect(t).toMatch(/mei 2020 € 1\.500 € 0 € 900 € 1\.500 € 600 € 900/);
    expect(t).toMatch(/Alblasserdam mei 2020 05-11-2020 € 900 1 — inhaalzorg \(na peildatum\)/);
    expect(t).toMatch(/Alblasserdam mrt 2020 10-04-2020 € 1\.000 1 — omzet t\/m peildatum/);
    expect(t).toMatch(/Dordrecht mrt 2019 10-04-2019 € 6\.000 1 — basis 2019/);
    // A later peildatum counts the November declaration as on time: no netting, final = provisional.
    const later = text((await regio.get('/corona?peildatum=2020-12-31')).body);
    expect(later).toContain('Verrekend € 0');
    expect(later).toContain('Derving definitief € 5.400');
    expect(later).toContain('Derving voorlopig € 5.400');
    expect((await regio.get('/corona?peildatum=31-12-2020')).statusCode).toBe(400);
  });

  it('limits a gemeente user to its own share and lines', async () => {
    const t = text((await gemeente.get('/corona')).body);
    expect(t).not.toContain(Q);
    expect(t).not.toContain('Dordrecht');
    expect(t).toContain('Derving voorlopig € 1.533');
    expect(t).toContain('Derving definitief € 933');
    expect((await gemeente.get('/corona?municipality=0505')).statusCode).toBe(403);
    expect((await gemeente.get('/corona.xlsx?municipality=0505')).statusCode).toBe(403);
    const lines = text((await gemeente.get(`/corona?provider=${P}`)).body);
    expect(lines).toContain('inhaalzorg (na peildatum)');
    expect(lines).not.toContain('basis 2019 Dordrecht');
    expect(lines).not.toMatch(/Dordrecht mrt 2019/);
    for (const role of ['raad', 'partner'] as const)
      expect((await (await sessionAs(app, w, role)).get('/corona')).statusCode).toBe(403);
  });

  it('downloads the same figures as xlsx, as numbers in euros', async () => {
    const r = await regio.get('/corona.xlsx');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('spreadsheetml');
    const wb = await workbook(r.rawPayload);
    const prov = rows(wb, 'Per aanbieder');
    expect(prov).toEqual([
      expect.objectContaining({
        'Aanbieder (AGB)': P,
        'Naam aanbieder': 'Jeugdhulp De Linde',
        'Gem. omzet 2019 per maand (hele regio)': 1500,
        'Derving voorlopig': 2300,
        'Inhaalzorg later gedeclareerd': 900,
        Verrekend: 900,
        'Derving definitief': 1400,
        'Inhaalzorg gevonden': 'ja',
      }),
      expect.objectContaining({
        'Aanbieder (AGB)': Q,
        'Gem. omzet 2019 per maand (hele regio)': 1000,
        'Derving voorlopig': 4000,
        Verrekend: 0,
        'Derving definitief': 4000,
      }),
    ]);
    expect(typeof at(prov, 0)['Derving voorlopig']).toBe('number');
    const muni = rows(wb, 'Per gemeente');
    expect(muni).toEqual([
      {
        'CBS-code': '0482',
        Gemeente: 'Alblasserdam',
        Aanbieders: 1,
        'Derving voorlopig': 1533.33,
        'Inhaalzorg later gedeclareerd': 900,
        Verrekend: 600,
        'Derving definitief': 933.33,
      },
      {
        'CBS-code': '0505',
        Gemeente: 'Dordrecht',
        Aanbieders: 2,
        'Derving voorlopig': 4766.67,
        'Inhaalzorg later gedeclareerd': 0,
        Verrekend: 300,
        'Derving definitief': 4466.67,
      },
    ]);
    const may = rows(wb, 'Per maand').find((x) => x['Aanbieder (AGB)'] === P && x.Maand === '2020-05');
    expect(may).toEqual({
      'Aanbieder (AGB)': P,
      'Naam aanbieder': 'Jeugdhulp De Linde',
      Maand: '2020-05',
      Gemiddelde: 1500,
      'Omzet t/m peildatum': 0,
      'Later gedeclareerd': 900,
      'Derving voorlopig': 1500,
      'Derving definitief': 600,
      Verrekend: 900,
    });
    const lines = rows(wb, 'Regels');
    expect(lines).toHaveLength(8);
    expect(lines.find((x) => x.Declaratiedatum === '2020-11-05')).toMatchObject({
      Gevalideerd: 900,
      'Regels gevalideerd': 1,
      'Telt als': 'inhaalzorg (na peildatum)',
    });
    expect(at(prov, 1)['Naam aanbieder']).toBeUndefined();
    expect(wb.getWorksheet('Per aanbieder')!.getCell('F2').numFmt).toBe('€ #,##0.00');

    // The gemeente's workbook: its share only, no month sheet, its own lines.
    const g = await workbook((await gemeente.get('/corona.xlsx')).rawPayload);
    expect(rows(g, 'Per aanbieder')).toEqual([
      expect.objectContaining({
        'Aanbieder (AGB)': P,
        'Omzet 2019 (deze gemeente)': 12000,
        'Derving voorlopig': 1533.33,
        'Inhaalzorg later gedeclareerd': 900,
        Verrekend: 600,
        'Derving definitief': 933.33,
      }),
    ]);
    expect(g.getWorksheet('Per maand')).toBeUndefined();
    expect(rows(g, 'Regels').map((x) => x.Gemeente)).toEqual(['0482', '0482', '0482', '0482', '0482']);
  });
});
