/**
 * The attacker on Kostendrijvers' split of a change into volume (more clients), intensity (more care per client)
 * and price (higher tariffs). A council sees only cells of the protected tables; but the split of a slice
 * (a category, a municipality) is a sum over its products, and a product's share of it depends on that
 * product's own cell — one no protected table publishes, or one its table hides. A product that is new in the
 * later year puts its whole amount in volume: when the other products keep their clients, the slice's volume
 * effect is that new product's cell. A hand-built region where exactly that happens: the council's
 * Kostendrijvers (API, page, charts) and its A4 must give that hidden cell back nowhere, by an effect, a
 * difference of two figures or a difference between two selections.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twoMunicipalityLines } from '../app/testing/ledger.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { councilApp, type CouncilApp, type Session, plainText } from './testing.js';

/*
 * Hand case. Two municipalities, production January 2024 and January 2025, each month declared on its last day:
 * - Alblasserdam (0482): category 45 product 45A03, clients 1–20, € 1.000 each in 2024 and € 1.050 each in
 *   2025 (one unit each: a tariff rise); category 43, clients 21–35, € 800 each in both years.
 * - Dordrecht (0505): category 45, clients 101–130, € 1.000; category 43, clients 131–142, € 800; both years.
 * - New in 2025: Alblasserdam's clients 1 and 2 also get product 45A04 (category 45), € 617 each: € 1.234 on
 *   2 clients. The products table of Alblasserdam's category 45 in 2025 hides it (under 10 clients), and 45A03
 *   with it (the category's cell, € 22.234, is published: one hidden product would follow from it).
 * Published to the council: Alblasserdam × 45 € 20.000 (2024, 20 clients) and € 22.234 (2025, 20 clients);
 * × 43 € 12.000 in both years; Dordrecht € 30.000 and € 9.600 in both years; every cell on at least 12 clients.
 * The split per product (what an analyst sees): 45A03 keeps its 20 clients and units, so its change of € 1.000
 * is all price; 45A04 is new, so its € 1.234 is all volume: category 45 of Alblasserdam, its total and the
 * region's category 45 show volume € 1.234 — the hidden cell — and price € 1.000.
 * - Also in 2025: Dordrecht's clients 201–203 get € 500 in category 45 and a credit of € 500 for it (net zero):
 *   the cost tables count them (Dordrecht × 45 on 33 clients, published as 35; its total 45; the region's
 *   category 45 53, published as 55), the clients with a positive net cost are 30, 42 and 50.
 */
const HIDDEN_CENTS = 2 * 61_700; // € 1.234
const HIDDEN_CLIENTS = 2;
const EURO = 100;
const PERIODS = 'from-period=2024&to-period=2025';

let c: CouncilApp | undefined;
let w: Warehouse;
let raad: Session;
let analyst: Session;

beforeAll(async () => {
  const lines = twoMunicipalityLines(['2024-01', '2025-01'], (month) => (month.startsWith('2024') ? 100_000 : 105_000));
  for (const client of [1, 2])
    lines.push({
      municipality: '0482',
      month: '2025-01',
      declarationDate: '2025-01-31',
      client,
      category: '45',
      product: '45A04',
      amountCents: HIDDEN_CENTS / 2,
    });
  for (const client of [201, 202, 203])
    for (const amountCents of [50_000, -50_000])
      lines.push({ municipality: '0505', month: '2025-01', declarationDate: '2025-01-31', client, amountCents });
  c = await councilApp(lines);
  ({ w, raad, analyst } = c);
}, 120_000);

afterAll(async () => {
  await c?.close();
});

interface Slice {
  slice: string;
  suppressed: boolean;
  beforeClients: number | null;
  afterClients: number | null;
  beforeCents: number | null;
  afterCents: number | null;
  changeCents: number | null;
  volumeCents: number | null;
  intensityCents: number | null;
  priceCents: number | null;
  perClientCents?: number | null;
  waterfall: { fromCents: number; toCents: number }[] | null;
}
interface Drivers {
  total: Slice;
  slices: Slice[];
  contributors: { cents: number }[];
}

/** Every effect (and change) a council gets of one selection, named for the failure message. */
function figures(view: string, d: Drivers): [string, number][] {
  const out: [string, number][] = [];
  for (const s of [d.total, ...d.slices]) {
    if (s.suppressed) continue;
    const name = `${view} ${s.slice || 'totaal'}`;
    for (const k of ['changeCents', 'volumeCents', 'intensityCents', 'priceCents', 'perClientCents'] as const) {
      const x = s[k];
      if (typeof x === 'number') out.push([`${name} ${k}`, x]);
    }
    for (const [i, step] of (s.waterfall ?? []).entries())
      out.push([`${name} waterfall step ${i}`, step.toCents - step.fromCents]);
  }
  for (const [i, k] of d.contributors.entries()) out.push([`${view} contributor ${i}`, k.cents]);
  return out;
}

/**
 * The steps of the waterfalls on a page, read from the SVG alone (the waterfall has no JSON data): each bar's
 * height in pixels, scaled by the totals — the first and last bar are the published amounts of both years, so
 * their height difference is their published difference (`changes`: the waterfalls' in page order, the
 * selection's and then the largest slices'); `tolerance` is what 0,15 pixel is worth.
 */
function waterfallSteps(body: string, changes: readonly number[]): { cents: number; tolerance: number }[] {
  const out: { cents: number; tolerance: number }[] = [];
  const figures = [...body.matchAll(/<figure>([\s\S]*?)<\/figure>/g)].filter(
    (f) => !(f[1] ?? '').includes('chart-data'),
  );
  for (const [i, fig] of figures.entries()) {
    // The visible bars (series 1; series 0 is the transparent base): M x y l w 0 l 0 −h l −w 0 Z.
    const heights = [
      ...(fig[1] ?? '').matchAll(/<path d="M[\d.]+ [\d.]+l[\d.]+ 0l0 (-?[\d.]+)l[^"]*Z"[^>]*ecmeta_series_index="1"/g),
    ].map((m) => Math.abs(Number(m[1])));
    const [first, last, change] = [heights[0], heights.at(-1), changes[i]];
    if (heights.length < 4 || first === undefined || last === undefined || !change || last === first) continue;
    const perPixel = change / (last - first);
    for (const h of heights.slice(1, -1)) out.push({ cents: h * perPixel, tolerance: Math.abs(0.15 * perPixel) });
  }
  return out;
}

describe('attacker: the volume, intensity and price effects of Kostendrijvers against a hidden product cell', () => {
  it('the hidden cell exists (an analyst sees it, and its effect) and the council’s products table hides it', async () => {
    const products = await w.costs({ by: ['product'], year: 2025, municipalities: ['0482'], category: '45' });
    const target = products.find((r) => r.product === '45A04');
    expect([target?.amountCents, target?.clients]).toEqual([HIDDEN_CENTS, HIDDEN_CLIENTS]);
    // The analyst's split per product: the new product's cell is category 45's volume effect.
    const mine = (await analyst.get(`/api/kostendrijvers?${PERIODS}&by=category&municipality=0482`)).json<Drivers>();
    const c45 = mine.slices.find((s) => s.slice === '45');
    expect([c45?.changeCents, c45?.volumeCents, c45?.priceCents]).toEqual([223_400, HIDDEN_CENTS, 100_000]);
    // The council's products of Alblasserdam's category 45: both hidden (the protected products table).
    const res = await raad.get(`/api/kostendrijvers?${PERIODS}&by=product&municipality=0482&category=45`);
    expect(res.statusCode).toBe(200);
    const byProduct = res.json<Drivers>();
    expect(byProduct.slices.map((s) => [s.slice, s.suppressed]).sort()).toEqual([
      ['45A03', true],
      ['45A04', true],
    ]);
    // The category's cell itself is published: € 20.000 and € 22.234.
    const cats = (await raad.get(`/api/kostendrijvers?${PERIODS}&by=category&municipality=0482`)).json<Drivers>();
    const shown = cats.slices.find((s) => s.slice === '45');
    expect([shown?.suppressed, shown?.beforeCents, shown?.afterCents]).toEqual([false, 2_000_000, 2_223_400]);
  }, 60_000);

  it('no effect of the council’s Kostendrijvers (API, page, chart data) or A4, nor a difference of two, gives back the hidden cell', async () => {
    const failures: string[] = [];
    const near = (x: number) => Math.abs(Math.abs(x) - HIDDEN_CENTS) <= EURO;
    const views = [
      'by=category&municipality=0482',
      'by=category&municipality=0505',
      'by=category',
      'by=municipality',
      'by=product&municipality=0482&category=45',
      'by=product&municipality=0482&category=43',
      'by=provider&municipality=0482',
      'by=referrer&municipality=0482',
      'by=provider',
      'by=referrer',
    ];
    const all: [string, number][] = [];
    for (const view of views) {
      const api = await raad.get(`/api/kostendrijvers?${PERIODS}&${view}`);
      expect(api.statusCode, view).toBe(200);
      all.push(...figures(view, api.json<Drivers>()));
      // The page: its text (cards, table, sentences, the waterfalls' SVG labels) and its charts' JSON data.
      const page = await raad.get(`/kostendrijvers?${PERIODS}&${view}`);
      expect(page.statusCode, view).toBe(200);
      const body = plainText(page.body);
      for (const m of body.matchAll(/€ ?(\d[\d.]*)/g))
        if (near(Number((m[1] ?? '').replace(/\./g, '')) * EURO)) failures.push(`page ${view}: ${m[0]}`);
      for (const data of body.matchAll(/<script[^>]*class="chart-data"[^>]*>([\s\S]*?)<\/script>/g))
        for (const n of (data[1] ?? '').matchAll(/-?\d+(?:\.\d+)?/g))
          if (near(Number(n[0]))) failures.push(`page ${view}: chart data ${n[0]}`);
    }
    expect(all.length).toBeGreaterThan(20);
    // Each figure, and each difference or sum of two (within a slice, or between selections).
    for (const [i, [a, x]] of all.entries()) {
      if (near(x)) failures.push(`${a} = ${x}`);
      for (const [b, y] of all.slice(i + 1)) {
        if (near(x - y)) failures.push(`${a} − ${b} = ${x - y}`);
        if (near(x + y)) failures.push(`${a} + ${b} = ${x + y}`);
      }
    }
    // The A4 of January 2025 (the latest month): its comparison with January 2024 in words.
    const a4 = await raad.get('/gemeente/0482/a4');
    expect(a4.statusCode).toBe(200);
    const sentence = /Vergeleken met[^<]*/.exec(plainText(a4.body))?.[0] ?? '';
    expect(sentence).toContain('stegen € 2.234');
    const amounts = [...sentence.matchAll(/€ ?(\d[\d.]*)/g)].map((m) => Number((m[1] ?? '').replace(/\./g, '')) * EURO);
    for (const [i, x] of amounts.entries()) {
      if (near(x)) failures.push(`A4: ${sentence}`);
      for (const y of amounts.slice(i + 1)) if (near(x - y)) failures.push(`A4 difference: ${sentence}`);
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it('counts clients as the protected tables do (any line, rounded to 5), in the split as well', async () => {
    interface Row {
      municipality?: string;
      category?: string;
      clients: number | null;
    }
    const published = async (year: number, by: string) =>
      (await raad.get(`/api/costs?by=${by}&year=${year}`)).json<Row[]>();
    const get = async (view: string) => (await raad.get(`/api/kostendrijvers?${PERIODS}&${view}`)).json<Drivers>();
    const counts = (s: Slice | undefined) => [s?.beforeClients, s?.afterClients];
    // Dordrecht × 45: 30 clients in 2024, 33 in 2025 (3 of them netting to zero): 30 → 35.
    const dordrecht = await get('by=category&municipality=0505');
    expect(counts(dordrecht.slices.find((s) => s.slice === '45'))).toEqual([30, 35]);
    const cell = async (y: number) =>
      (await published(y, 'municipality,category')).find((r) => r.municipality === '0505' && r.category === '45')
        ?.clients;
    expect([await cell(2024), await cell(2025)]).toEqual([30, 35]);
    // Its total (42 → 45 clients: 40 → 45) and the region's category 45 (50 → 53: 50 → 55).
    expect(counts(dordrecht.total)).toEqual([40, 45]);
    expect(counts((await get('by=category')).slices.find((s) => s.slice === '45'))).toEqual([50, 55]);
    // The split rests on those counts: Dordrecht's € 30.000 in both years, 30 → 35 clients: volume
    // € 30.000 × ln(35/30) = € 4.624,52, the cost per client the opposite.
    const d45 = dordrecht.slices.find((s) => s.slice === '45');
    expect([d45?.volumeCents, d45?.perClientCents]).toEqual([462_452, -462_452]);
  }, 60_000);

  it('the bar heights of the council’s waterfalls (SVG, no JSON data) give back no hidden cell', async () => {
    const failures: string[] = [];
    let steps = 0;
    // Selections whose total changed (the scale comes from the totals): Alblasserdam, the region.
    for (const view of ['by=category&municipality=0482', 'by=category', 'by=municipality']) {
      const api = (await raad.get(`/api/kostendrijvers?${PERIODS}&${view}`)).json<Drivers>();
      expect(api.total.changeCents, view).toBe(223_400);
      const changes = [api.total, ...api.slices.filter((s) => !s.suppressed).slice(0, 4)].map(
        (s) => s.changeCents ?? 0,
      );
      const read = waterfallSteps((await raad.get(`/kostendrijvers?${PERIODS}&${view}`)).body, changes);
      steps += read.length;
      for (const s of read)
        if (Math.abs(s.cents - HIDDEN_CENTS) <= s.tolerance + EURO)
          failures.push(`${view}: a waterfall bar of ${Math.round(s.cents)} cents (± ${Math.round(s.tolerance)})`);
    }
    expect(steps, 'waterfall steps read from the SVG').toBeGreaterThanOrEqual(3);
    expect(failures).toEqual([]);
  }, 60_000);
});
