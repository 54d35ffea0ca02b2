/**
 * The attacker test: a council member (raad) who calculates. On a generated region, every page, export and
 * API response a raad user can reach is fetched, every published number collected, and each hidden amount
 * and rounded count is attacked:
 *
 * - linear algebra over all published cells of the API (totals minus visible cells, across the linked
 *   tables: municipality × category / provider / referrer / month and products within a category);
 * - on every page: share × total, the remainder of a table (total − visible rows), per client × count,
 *   per 1,000 youths × youths, year-on-year figures, chart labels, the CSV export.
 *
 * The truth comes from the warehouse itself (what an analyst sees). The test fails when any hidden amount
 * comes back within € 1 or any rounded count exactly.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { generateRegion } from '../generate/index.js';
import { importInto, openTestWarehouse, tempDir } from '../ingest/testing/fixtures.js';
import { determinedUnknowns, type Equation } from '../domain/testing/linear-attack.js';
import type { CostQuery, CostRow, Warehouse } from '../warehouse/warehouse.js';
import { REFERRERS } from '../domain/codes/index.js';
import { providerName } from '../domain/providers.js';
import { ALLOCATION_KEY_LABELS } from '../domain/steering/allocation.js';
import { at } from '../domain/indexing.js';
import { PROTECTING_CENTS } from '../domain/disclosure.js';
import { importMeasuresCsv, importTargetsCsv } from '../app/measures.js';
import { importBudgetCsv, importReservations } from '../app/budgets.js';
import { loadSeed004, saveKpis } from '../app/kpis.js';
import type { KpiDefinition } from '../domain/steering/kpi.js';
import { publishForecast, type ForecastHistory } from '../app/forecast.js';
import { createProposal } from '../app/proposals.js';
import { a4Data } from '../app/reports.js';
import { devMonthOf } from '../domain/forecast/yearEnd.js';
import { buildApp } from './server.js';
import { routesView, type RoutesView } from '../app/insight.js';
import { publishedMeanDays, publishedRate, sankeyFor } from './pages/routes.js';
import { registeredRoutes, type Viewer } from './core.js';
import { sessionAs, type Session } from './testing.js';

const YEARS = [2024, 2025];
const DIMS = ['category', 'provider', 'referrer', 'month'] as const;
const EURO_CENTS = 100;
/** A municipality with three clients (added to the generated region): its total is hidden for a council. */
const TINY = '0088';
/** The first valid BSN (eleven test) from n on. */
const bsn = (n: number): string => {
  for (let x = n; ; x++) {
    const d = String(x).padStart(8, '0').split('').map(Number);
    const last = d.reduce((a, v, i) => a + v * (9 - i), 0) % 11;
    if (last < 10) return `${d.join('')}${last}`;
  }
};

let w: Warehouse;
let app: FastifyInstance;
let raad: Session;
let analyst: Session;
let munis: { code: string; name: string; youths: number }[];
const fetched = new Set<string>();
/** Every answer a council member got (but PDFs, read with pdftotext by their attack): for the sweep at the end. */
const seen = new Map<string, { type: string; body: string }>();

beforeAll(async () => {
  const dir = tempDir('grip-attack-');
  await generateRegion({
    outDir: dir,
    years: [2024, 2025],
    seed: 11,
    scale: 'small',
    format: 'csv',
    cutoff: '2025-09-30',
  });
  // A tiny municipality joins the region: three clients, so its total (and every cell of it) is hidden.
  const lines = [
    'municipality,provider,client,declarationNumber,declarationDate,productCategory,productCode,periodStart,periodEnd,volume,unit,tariffCents,amountCents,debitCredit,referrer,allocationNumber',
  ];
  for (const [i, client] of [bsn(12345670), bsn(22345670), bsn(32345670)].entries())
    for (const y of YEARS)
      lines.push(
        `${TINY},41000000,${client},D${TINY}${y}03,${y}-03-05,44,44V02,${y}-02-01,${y}-02-28,10,14,13000,130000,D,03,9${TINY}${i}`,
      );
  writeFileSync(join(dir, 'csv', 'declaraties_klein.csv'), `${lines.join('\n')}\n`);
  w = await openTestWarehouse();
  await w.upsertMunicipalities([
    { code: TINY, name: 'Schiermonnikoog', inhabitants: 950, youths: 150, approximate: true },
  ]);
  await importInto(w, [dir]);
  app = buildApp({ warehouse: w });
  const council = await sessionAs(app, w, 'raad');
  // Every path the council member fetches, for the coverage test at the end.
  raad = {
    ...council,
    get: async (url: string) => {
      fetched.add(url.split('?')[0] ?? url);
      const r = await council.get(url);
      const type = String(r.headers['content-type'] ?? '');
      if (r.statusCode === 200 && !type.startsWith('application/pdf')) seen.set(url, { type, body: r.body });
      return r;
    },
  };
  analyst = await sessionAs(app, w, 'regio');
  munis = (await w.municipalities())
    .filter((m) => m.code !== '')
    .map((m) => ({ code: m.code, name: m.name, youths: m.youths }));
}, 300_000);

afterAll(async () => {
  /* eslint-disable @typescript-eslint/no-unnecessary-condition -- unset if beforeAll failed before opening them */
  await app?.close();
  await w?.close();

  /* eslint-enable @typescript-eslint/no-unnecessary-condition */
});

/** What an analyst sees: the truth the attacker is after. */
const truth = (q: CostQuery) => w.costs(q);
const key = (...parts: (string | number | undefined)[]) => parts.map((p) => p ?? '').join('|');

interface ApiRow {
  municipality?: string;
  year?: string;
  amountCents: number | null;
  clients: number | string;
  [k: string]: unknown;
}

async function api(url: string): Promise<ApiRow[]> {
  const r = await raad.get(url);
  expect(r.statusCode, url).toBe(200);
  return r.json<ApiRow[]>();
}

/** Euros as shown (`€ 1.234`, `-€ 5`) → cents (to the euro). */
function euros(text: string): number | null {
  const m = /(-?)€\s*([\d.]+)/.exec(text.replace(/&nbsp;|\u00a0/g, ' '));
  return m ? (m[1] ? -1 : 1) * Number(at(m, 2).replace(/\./g, '')) * 100 : null;
}
const pctOf = (text: string): number | null => {
  const m = /(-?[\d.]*\d(?:,\d+)?)%/.exec(text);
  return m ? Number(at(m, 1).replace(/\./g, '').replace(',', '.')) / 100 : null;
};
const strip = (h: string) =>
  h
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&amp;/g, '&')
    .trim();

/**
 * The tables of an HTML page, whatever their attributes (`<table class=…>`, `<table id=…>`): rows of cell texts
 * (header rows included), with the caption.
 */
function tables(html: string): { caption: string; rows: string[][] }[] {
  return [...html.matchAll(/<table\b[^>]*>([\s\S]*?)<\/table>/g)].map((t) => ({
    caption: strip(/<caption\b[^>]*>([\s\S]*?)<\/caption>/.exec(at(t, 1))?.[1] ?? ''),
    rows: [...at(t, 1).matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((r) =>
      [...at(r, 1).matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => strip(at(c, 1))),
    ),
  }));
}

const isHidden = (s: string) => s === '*' || s === '<10';
const num = (s: string) => Number(s.replace(/\./g, ''));

const pctText = (x: number) =>
  `${(x * 100).toLocaleString('nl-NL', { minimumFractionDigits: 1, maximumFractionDigits: 1 })}%`;
/** Attacker: the counts n (near the rounded one) for which some k/n shows as this percentage. */
const ratioCandidates = (shown: string, rounded: number) => {
  const out: number[] = [];
  for (let n = Math.max(1, rounded - 2); n <= rounded + 2; n++) {
    for (let k = 0; k <= n; k++)
      if (pctText(k / n) === shown) {
        out.push(n);
        break;
      }
  }
  return out;
};
/** Attacker: the counts n (near the rounded one) for which some whole sum of days over n shows as this mean. */
const meanCandidates = (shown: string, rounded: number, maxDays: number) => {
  const out: number[] = [];
  for (let n = Math.max(1, rounded - 2); n <= rounded + 2; n++) {
    const mean = Number(shown.replace(/\./g, '').replace(',', '.'));
    const s = Math.round(mean * n);
    if (s <= maxDays * n && (s / n).toLocaleString('nl-NL') === shown) out.push(n);
  }
  return out;
};

type Link = { source: string; target: string; value: number };
/**
 * The attacker on a Sankey as drawn: the hidden flows are the unknowns; every node's inflow equals its
 * outflow, and all first steps together are the new clients on the card. A hidden flow the published flows
 * pin down (up to their rounding) is reported.
 */
function attackSankey(
  truthLinks: readonly Link[],
  shownLinks: readonly Link[],
  newClients: number | null,
): { hidden: number; pinned: string[] } {
  const linkKey = (l: { source: string; target: string }) => `${l.source}>${l.target}`;
  const visible = new Map(shownLinks.map((l) => [linkKey(l), l.value]));
  const ids = new Map<string, number>();
  const secret: number[] = [];
  for (const l of truthLinks) {
    if (visible.has(linkKey(l))) continue;
    ids.set(linkKey(l), secret.length);
    secret.push(l.value);
  }
  const eqs: Equation[] = [];
  const equation = (parts: [readonly Link[], number][], constant: number) => {
    const terms = new Map<number, number>();
    for (const [ls, sign] of parts) {
      for (const l of ls) {
        const k = linkKey(l);
        if (visible.has(k)) constant -= sign * visible.get(k)!;
        else terms.set(ids.get(k)!, (terms.get(ids.get(k)!) ?? 0) + sign);
      }
    }
    eqs.push({ terms, constant });
  };
  for (const n of new Set(truthLinks.flatMap((l) => [l.source, l.target]))) {
    const into = truthLinks.filter((l) => l.target === n);
    const out = truthLinks.filter((l) => l.source === n);
    if (into.length && out.length)
      equation(
        [
          [into, 1],
          [out, -1],
        ],
        0,
      );
  }
  if (newClients !== null) equation([[truthLinks.filter((x) => x.source.startsWith('0:')), 1]], newClients);
  const pinned = [...determinedUnknowns(eqs, secret.length)].map(
    ([u, v]) => `hidden flow ${[...ids].find(([, i]) => i === u)![0]} (${secret[u]}) pinned at ${v}`,
  );
  return { hidden: secret.length, pinned };
}

describe('attacker: a council member who calculates (generated region)', () => {
  it('API: linear algebra over every published cell gives back no hidden amount; no lines or units; counts rounded', async () => {
    let hiddenCells = 0;
    let attacked = 0;
    for (const year of YEARS) {
      // The attacker's unknowns (hidden cells) and equations (additivity between the published tables).
      const ids = new Map<string, number>();
      const secret: number[] = [];
      const known = new Map<string, number>();
      const value = (k: string, row: ApiRow | undefined, truthCents: number) => {
        if (row && row.amountCents !== null) {
          expect(row.amountCents, k).toBe(truthCents); // visible cells are exact
          known.set(k, row.amountCents);
          return;
        }
        if (!ids.has(k)) {
          ids.set(k, secret.length);
          secret.push(truthCents);
        }
      };
      const eqs: Equation[] = [];
      const sumEq = (parts: string[], total: string) => {
        const terms = new Map<number, number>();
        let constant = 0;
        for (const p of parts) {
          if (known.has(p)) constant -= known.get(p)!;
          else terms.set(ids.get(p)!, (terms.get(ids.get(p)!) ?? 0) + 1);
        }
        if (known.has(total)) constant += known.get(total)!;
        else terms.set(ids.get(total)!, (terms.get(ids.get(total)!) ?? 0) - 1);
        eqs.push({ terms, constant });
      };
      const all = async (url: string) => {
        const rows = await api(url);
        for (const r of rows) {
          expect(r).not.toHaveProperty('lines');
          expect(r).not.toHaveProperty('units');
          if (typeof r.clients === 'number') {
            expect(r.clients % 5, url).toBe(0);
            expect(r.amountCents).not.toBeNull();
          } else expect(['<10', '*']).toContain(r.clients);
        }
        return rows;
      };
      // Region and municipalities.
      const [region] = await all(`/api/costs?by=year&year=${year}`);
      const tRegion = at(await truth({ by: [], year }), 0);
      value('R', region, tRegion.amountCents);
      const byMuni = await all(`/api/costs?by=municipality&year=${year}`);
      const tMuni = await truth({ by: ['municipality'], year });
      for (const t of tMuni)
        value(
          key('M', t.municipality),
          byMuni.find((r) => r.municipality === t.municipality),
          t.amountCents,
        );
      for (const dim of DIMS) {
        const inner = await all(`/api/costs?by=municipality,${dim}&year=${year}`);
        const margin = await all(`/api/costs?by=${dim}&year=${year}`);
        const tInner = await truth({ by: ['municipality', dim], year });
        const tMargin = await truth({ by: [dim], year });
        for (const t of tInner)
          value(
            key(dim, t.municipality, t[dim]),
            inner.find((r) => r.municipality === t.municipality && r[dim] === t[dim]),
            t.amountCents,
          );
        for (const t of tMargin)
          value(
            key(dim, 'Σ', t[dim]),
            margin.find((r) => r[dim] === t[dim]),
            t.amountCents,
          );
        for (const m of tMuni)
          sumEq(
            tInner.filter((t) => t.municipality === m.municipality).map((t) => key(dim, t.municipality, t[dim])),
            key('M', m.municipality),
          );
        for (const c of tMargin)
          sumEq(
            tInner.filter((t) => t[dim] === c[dim]).map((t) => key(dim, t.municipality, t[dim])),
            key(dim, 'Σ', c[dim]),
          );
        sumEq(
          tMargin.map((t) => key(dim, 'Σ', t[dim])),
          'R',
        );
        // One filter selects a column: the same cells again.
        if (dim === 'category' || dim === 'provider') {
          for (const c of tMargin.slice(0, 6)) {
            const col = await all(`/api/costs?by=municipality&year=${year}&${dim}=${c[dim]}`);
            for (const r of col) {
              const t = tInner.find((x) => x.municipality === r.municipality && x[dim] === c[dim]);
              expect(r.amountCents, `${dim} ${c[dim]} ${r.municipality}`).toBe(
                t && !isHidden(String(r.clients)) ? t.amountCents : r.amountCents === null ? null : 0,
              );
            }
          }
        }
      }
      sumEq(
        tMuni.map((t) => key('M', t.municipality)),
        'R',
      );
      // Products within each municipality's category.
      const tCats = await truth({ by: ['municipality', 'category'], year });
      for (const c of tCats) {
        const rows = await all(
          `/api/costs?by=product&year=${year}&municipality=${c.municipality}&category=${c.category}`,
        );
        const tProd = await truth({ by: ['product'], year, municipalities: [c.municipality!], category: c.category });
        for (const t of tProd)
          value(
            key('P', c.municipality, c.category, t.product),
            rows.find((r) => r.product === (t.product ?? '')),
            t.amountCents,
          );
        sumEq(
          tProd.map((t) => key('P', c.municipality, c.category, t.product)),
          key('category', c.municipality, c.category),
        );
      }
      const found = determinedUnknowns(eqs, secret.length);
      const back = [...found]
        .filter(([u, v]) => Math.abs(v - at(secret, u)) <= EURO_CENTS)
        .map(([u]) => [...ids].find(([, i]) => i === u)![0]);
      expect(back, `hidden cells given back in ${year}`).toEqual([]);
      // The remainder of each line (its hidden cells together) never equals one hidden cell within a euro.
      hiddenCells += secret.length;
      attacked += eqs.length;
    }
    expect(hiddenCells).toBeGreaterThan(20); // the region has small cells to protect
    expect(attacked).toBeGreaterThan(100);
  }, 600_000);

  it('Kostendrijvers, Scenario and the forecast API: figures are cells of the protected tables (hidden with them)', async () => {
    const failures: string[] = [];
    for (const m of munis) {
      for (const by of ['category', 'referrer', 'provider'] as const) {
        const r = await raad.get(`/api/kostendrijvers?from-period=2024&to-period=2025&by=${by}&municipality=${m.code}`);
        expect(r.statusCode, `${by} ${m.code}`).toBe(200);
        const d = r.json<{
          slices: { slice: string; suppressed: boolean; beforeCents: number | null; afterCents: number | null }[];
        }>();
        for (const year of YEARS) {
          const cells = await api(`/api/costs?by=municipality,${by}&year=${year}`);
          for (const s of d.slices) {
            const cell = cells.find((c) => c.municipality === m.code && c[by] === s.slice);
            if (cell && cell.amountCents === null && !s.suppressed)
              failures.push(`${m.code} ${by} ${s.slice}: hidden in ${year}, shown by Kostendrijvers`);
          }
        }
        for (const s of d.slices)
          if (s.suppressed && (s.beforeCents !== null || s.afterCents !== null))
            failures.push(`${m.code} ${by} ${s.slice}: amounts of a hidden slice`);
      }
    }
    // Scenario: the cost basis of a municipality is a protected cell; a small one leaves the municipality out.
    const tCat = await truth({ by: ['municipality', 'category'], year: 2024 });
    for (const c of [...new Set(tCat.map((r) => r.category!))]) {
      const html = (await raad.get(`/scenario?year=2024&category=${c}`)).body;
      for (const m of munis) {
        const cell = tCat.find((r) => r.municipality === m.code && r.category === c);
        if (cell && cell.clients < 10 && tables(html).some((t) => t.rows.some((r) => r[0] === m.name)))
          failures.push(`/scenario category ${c}: ${m.code} (${cell.clients} clients) shown`);
      }
    }
    // The forecast API: no municipality whose total is hidden, no months of a municipality with a hidden month.
    const fc = (await raad.get('/api/forecast?year=2025&months=1')).json<{
      municipalities: { municipality: string; months?: unknown[] }[];
    }>();
    const monthCells = await api('/api/costs?by=municipality,month&year=2025');
    for (const m of fc.municipalities) {
      if (m.months && monthCells.some((c) => c.municipality === m.municipality && c.amountCents === null))
        failures.push(`/api/forecast: months of ${m.municipality} with a hidden month`);
    }
    expect(failures).toEqual([]);
    for (const url of [
      '/api/kostendrijvers?from-period=2025-01..2025-06&to-period=2025-01..2025-07&by=category',
      '/api/kostendrijvers?from-period=2024&to-period=2025&by=provider&category=45',
      '/api/kostendrijvers?from-period=2024&to-period=2025&by=category&provider=41000000',
    ]) {
      expect((await raad.get(url)).statusCode, url).toBe(400);
    }
  }, 300_000);

  it('API: combinations outside the protected tables are refused, not answered', async () => {
    for (const url of [
      '/api/costs?by=municipality&category=45&provider=12345678',
      '/api/costs?by=municipality,provider&category=45',
      '/api/costs?by=month&from=2025-01&to=2025-03',
      '/api/costs?by=declarationMonth',
      '/api/costs?by=product',
      '/api/costs?by=municipality&basis=toegekend',
    ]) {
      const r = await raad.get(url);
      expect(r.statusCode, url).toBe(400);
    }
  });

  it('pages: no hidden amount comes back through shares, remainders, charts or the CSV; no exact count through ratios', async () => {
    const failures: string[] = [];
    const year = 2025;
    const tMuni = new Map((await truth({ by: ['municipality'], year })).map((r) => [r.municipality!, r]));
    const tCat = await truth({ by: ['municipality', 'category'], year });
    const tRef = await truth({ by: ['municipality', 'referrer'], year });
    const tProv = await truth({ by: ['municipality', 'provider'], year });
    const names = new Map((await w.providers()).map((p) => [p.agb, p.name]));
    /**
     * A breakdown table on a page: hidden rows show no share and no count; the remainder (total − visible
     * rows) is not within a euro of any single hidden row; shares × total give only visible amounts.
     */
    const tablesRead = new Set<string>();
    let rowsRead = 0;
    const attackTable = (
      where: string,
      rows: string[][],
      total: number | null,
      truthOf: (label: string) => number | undefined,
    ) => {
      const body = rows
        .filter((r): r is [string, string, string, string, ...string[]] => r.length >= 4)
        .filter(([label]) => !/^Overige/.test(label) && label !== '');
      // What was read (a table the reader misses would leave nothing to attack).
      if (body.length) tablesRead.add(where.replace(/\/gemeente\/\d+/, '/gemeente/:code').replace(/ \d+$/, ''));
      rowsRead += body.length;
      let visibleSum = 0;
      const hidden: number[] = [];
      for (const r of body) {
        const [label, amount, share, count] = r;
        if (isHidden(amount)) {
          if (pctOf(share) !== null) failures.push(`${where}: share shown for hidden row ${label}`);
          if (/\d/.test(count) && !isHidden(count)) failures.push(`${where}: count shown for hidden row ${label}`);
          const t = truthOf(label);
          if (t !== undefined) hidden.push(t);
          continue;
        }
        visibleSum += euros(amount) ?? 0;
        if (/\d/.test(count) && Number(count.replace(/\./g, '')) % 5 !== 0)
          failures.push(`${where}: unrounded count ${count} for ${label}`);
      }
      const rest = rows.find((r) => /^Overige/.test(r[0] ?? ''));
      if (total !== null && hidden.length) {
        const restAmount = rest ? euros(at(rest, 1)) : null;
        const remainder = total - visibleSum - (restAmount ?? 0);
        for (const h of hidden)
          if (Math.abs(remainder - h) <= EURO_CENTS)
            failures.push(`${where}: the remainder ${remainder} gives back a hidden row (${h})`);
      }
    };
    const catTruth = (code: string) => (label: string) =>
      tCat.find((r) => r.municipality === code && label.startsWith(`${r.category} `))?.amountCents ??
      tCat.find((r) => r.municipality === code && label === r.category)?.amountCents;
    for (const m of munis) {
      const t = tMuni.get(m.code);
      if (!t) continue;
      const html = (await raad.get(`/gemeente/${m.code}?year=${year}`)).body;
      const cardTotal = euros(/Kosten \d{4} tot nu<\/div><div class="v">([^<]*)/.exec(html)?.[1] ?? '');
      const ts = tables(html);
      attackTable(
        `/gemeente/${m.code} categories`,
        ts.find((x) => x.caption === 'Per productcategorie')?.rows ?? [],
        cardTotal,
        catTruth(m.code),
      );
      attackTable(
        `/gemeente/${m.code} referrers`,
        ts.find((x) => x.caption === 'Verwijzers')?.rows ?? [],
        cardTotal,
        (l) =>
          tRef.find(
            (r) =>
              r.municipality === m.code &&
              (REFERRERS[r.referrer ?? ''] ?? (r.referrer === 'onbekend' ? 'Onbekend' : r.referrer)) === l,
          )?.amountCents,
      );
      attackTable(
        `/gemeente/${m.code} providers`,
        ts.find((x) => /aanbieders/.test(x.caption))?.rows ?? [],
        cardTotal,
        (l) =>
          tProv.find(
            (r) =>
              r.municipality === m.code &&
              (l === providerName(r.provider ?? '', names) || l.endsWith(r.provider ?? '?')),
          )?.amountCents,
      );
      // Per client × count: the count the attacker derives is the rounded one, never the exact one (unless equal).
      const perClient = euros(/€[^<]*(?= per cliënt)/.exec(html)?.[0] ?? '');
      if (perClient && cardTotal) {
        const derived = Math.round(cardTotal / perClient);
        if (derived === t.clients && t.clients % 5 !== 0)
          failures.push(`/gemeente/${m.code}: per client gives back the exact count ${t.clients}`);
      }
      // Chart labels: no hidden category's amount in the bars.
      for (const c of tCat.filter((r) => r.municipality === m.code && r.clients < 10)) {
        const label = `€ ${Math.round(c.amountCents / 100).toLocaleString('nl-NL')}`;
        if (c.amountCents >= 100_000 && html.includes(`>${label}<`))
          failures.push(`/gemeente/${m.code}: hidden category ${c.category} (${label}) in a chart`);
      }
      // Uitsplitsing: category level and every category's products.
      const up = tables((await raad.get(`/gemeente/${m.code}/uitsplitsing?year=${year}`)).body);
      attackTable(`/gemeente/${m.code}/uitsplitsing`, up[0]?.rows ?? [], cardTotal, catTruth(m.code));
      for (const c of tCat.filter((r) => r.municipality === m.code)) {
        const body = (await raad.get(`/gemeente/${m.code}/uitsplitsing?year=${year}&category=${c.category}`)).body;
        const total = euros(/Totaal in deze selectie: <strong>([^<]*)/.exec(body)?.[1] ?? '');
        const tProd = await truth({ by: ['product'], year, municipalities: [m.code], category: c.category });
        attackTable(
          `/gemeente/${m.code}/uitsplitsing ${c.category}`,
          tables(body)[0]?.rows ?? [],
          total,
          (l) => tProd.find((p) => (p.product ?? '') === l || (l === '(geen productcode)' && !p.product))?.amountCents,
        );
        if (c.clients < 10 && total !== null)
          failures.push(`/gemeente/${m.code}/uitsplitsing ${c.category}: total of a small cell shown`);
      }
      for (const deeper of [
        'provider=12345678',
        `category=${tCat.find((r) => r.municipality === m.code)?.category}&product=X1234`,
      ]) {
        const body = (await raad.get(`/gemeente/${m.code}/uitsplitsing?year=${year}&${deeper}`)).body;
        if (
          /€\s*\d/.test(
            tables(body)
              .map((x) => x.rows.flat().join(' '))
              .join(' '),
          )
        )
          failures.push(`/gemeente/${m.code}/uitsplitsing?${deeper}: figures below the protected tables`);
      }
      // A4: rounded counts, cost per client from the rounded count.
      const a4 = (await raad.get(`/gemeente/${m.code}/a4`)).body;
      for (const c of a4.matchAll(
        /<div class="value">([\d.]+)<\/div><div class="detail"><span class="nw">kosten per cliënt/g,
      )) {
        const n = at(c, 1);
        if (Number(n.replace(/\./g, '')) % 5 !== 0) failures.push(`/gemeente/${m.code}/a4: unrounded count ${n}`);
      }
      for (const c of a4.matchAll(/([\d.]+) cliënten ·/g)) {
        const n = at(c, 1);
        if (Number(n.replace(/\./g, '')) % 5 !== 0) failures.push(`/gemeente/${m.code}/a4: unrounded count ${n}`);
      }
    }
    // Overview, Vergelijken and the CSV with each category and provider filter: the same cells as the API.
    const cats = [...new Set(tCat.map((r) => r.category!))];
    const provs = [...new Set(tProv.map((r) => r.provider!))].slice(0, 15);
    for (const [dim, keys, tr] of [
      ['category', cats, tCat],
      ['provider', provs, tProv],
    ] as const) {
      for (const k of keys) {
        const cell = (code: string) => tr.find((r) => r.municipality === code && r[dim] === k);
        const ov = tables((await raad.get(`/?year=${year}&${dim}=${k}`)).body).find((x) => /Gemeenten/.test(x.caption));
        const cmp = tables((await raad.get(`/vergelijken?year=${year}&${dim}=${k}`)).body)[0];
        const csv = (await raad.get(`/api/overview.csv?year=${year}&${dim}=${k}`)).body
          .trim()
          .split(/\r?\n/)
          .slice(1)
          .map((l) => l.split(';'));
        for (const m of munis) {
          const c = cell(m.code);
          if (!c) continue;
          const ovRow = ov?.rows.find((r) => r[0] === m.name);
          const cmpRow = cmp?.rows.find((r) => r[0] === m.name);
          const csvRow = csv.find((r) => r[0] === m.code);
          if (c.clients < 10) {
            if (euros(ovRow?.[1] ?? '') !== null)
              failures.push(`/?${dim}=${k}: small cell of ${m.code} shown: ${JSON.stringify(ovRow)} ${c.clients}`);
            if (euros(cmpRow?.[1] ?? '') !== null)
              failures.push(`/vergelijken?${dim}=${k}: small cell of ${m.code} shown`);
            if (csvRow && csvRow[3] !== '')
              failures.push(`overview.csv?${dim}=${k}: small cell of ${m.code} = ${csvRow[3]}`);
            // per 1,000 youths × youths, per client × count
            const per1000 = euros(ovRow?.[6] ?? '') ?? euros(cmpRow?.[2] ?? '');
            if (
              per1000 !== null &&
              Math.abs((per1000 * m.youths) / 1000 - c.amountCents) <= Math.max(EURO_CENTS, (m.youths / 1000) * 50)
            )
              failures.push(`${dim}=${k}: per 1,000 youths gives back ${m.code}`);
          }
          if (cmpRow && typeof c.clients === 'number') {
            const perClient = euros(cmpRow[6] ?? '');
            const amount = euros(cmpRow[1] ?? '');
            const per1000 = Number((cmpRow[5] ?? '').replace(/\./g, '').replace(',', '.'));
            if (perClient && amount && Math.round(amount / perClient) === c.clients && c.clients % 5 !== 0)
              failures.push(`/vergelijken?${dim}=${k}: cost per client gives back ${c.clients} of ${m.code}`);
            if (
              Number.isFinite(per1000) &&
              per1000 > 0 &&
              Math.round((per1000 * m.youths) / 1000) === c.clients &&
              c.clients % 5 !== 0 &&
              Math.abs((per1000 * m.youths) / 1000 - c.clients) < 0.05
            )
              failures.push(`/vergelijken?${dim}=${k}: clients per 1,000 youths gives back ${c.clients} of ${m.code}`);
          }
        }
      }
    }
    // Vergelijken unfiltered: counts rounded, ratios from rounded counts.
    const cmp = at(tables((await raad.get(`/vergelijken?year=${year}`)).body), 0);
    for (const m of munis) {
      const row = cmp.rows.find((r) => r[0] === m.name);
      const t = tMuni.get(m.code);
      if (!row || !t) continue;
      const shown = Number(at(row, 4).replace(/\./g, ''));
      if (!isHidden(at(row, 4)) && shown % 5 !== 0) failures.push(`/vergelijken: unrounded count ${row[4]}`);
      if (t.clients < 10 && euros(at(row, 1)) !== null)
        failures.push(`/vergelijken: total of ${m.code} (${t.clients} clients) shown`);
      const perClient = euros(at(row, 6));
      if (perClient && Math.round(t.amountCents / perClient) === t.clients && t.clients % 5 !== 0)
        failures.push(`/vergelijken: cost per client gives back ${t.clients} of ${m.code}`);
      const per1000 = Number(at(row, 5).replace(/\./g, '').replace(',', '.'));
      if (Math.abs((per1000 * m.youths) / 1000 - t.clients) < 0.05 && t.clients % 5 !== 0)
        failures.push(`/vergelijken: clients per 1,000 youths gives back ${t.clients} of ${m.code}`);
    }
    // Verdeling: client counts and client keys from rounded counts.
    const vd = tables((await raad.get(`/verdeling?year=${year}&key=clients-prev`)).body);
    const grond = vd.find((x) => /^Grondslagen/.test(x.caption));
    for (const r of grond?.rows.slice(1) ?? []) {
      const count = r[2] ?? '';
      if (/^\d/.test(count) && Number(count.replace(/\./g, '')) % 5 !== 0)
        failures.push(`/verdeling: unrounded count ${count} (${r[0]})`);
    }
    const chosen = vd.find((x) => /^Verdeling naar/.test(x.caption));
    for (const r of chosen?.rows.slice(1, -1) ?? []) {
      const clientKey = r[1] ?? '';
      if (/^\d/.test(clientKey) && Number(clientKey.replace(/\./g, '')) % 5 !== 0)
        failures.push(`/verdeling: unrounded key ${clientKey} (${r[0]})`);
    }
    // Two filters at once: no figures.
    const both = (await raad.get(`/?year=${year}&category=${cats[0]}&provider=${provs[0]}`)).body;
    if (tables(both).some((t) => t.rows.flat().some((c) => /€\s*\d/.test(c))))
      failures.push('overview with two filters shows figures');
    // Every breakdown table was found and read (categories, referrers, providers, uitsplitsing and its products).
    expect(rowsRead).toBeGreaterThan(100);
    for (const t of ['categories', 'referrers', 'providers', '/uitsplitsing'])
      expect(
        [...tablesRead].some((x) => x.endsWith(t)),
        `table ${t} read`,
      ).toBe(true);
    expect(failures).toEqual([]);
  }, 600_000);
  it('Cliëntroutes: no hidden flow follows from the linked transition tables; no exact count through rates or means', async () => {
    const failures: string[] = [];
    const analyst: Viewer = { user: null, scope: null, suppress: false, purpose: null };
    const council: Viewer = { user: null, scope: null, suppress: true, purpose: null };
    let hiddenFlows = 0;
    for (const m of munis) {
      // Whole years only: a council's other periods are refused (two overlapping periods differ by a few
      // clients; the hand case is src/web/routes-periods.attack.test.ts).
      for (const [from, to] of [
        ['2024-01', '2025-12'],
        ['2025-01', '2025-06'],
      ]) {
        const url = `/gemeente/${m.code}/routes?from=${from}&to=${to}`;
        expect((await raad.get(url)).statusCode, url).toBe(400);
      }
      for (const [from, to] of YEARS.map((y) => [`${y}-01`, `${y}-12`] as const)) {
        const url = `/gemeente/${m.code}/routes?from=${from}&to=${to}`;
        let body = '';
        for (let i = 0; i < 200; i++) {
          const res = await raad.get(url);
          expect(res.statusCode, url).toBe(200);
          body = res.body;
          if (!body.includes('Bezig met berekenen')) break;
          await new Promise((r) => setTimeout(r, 250));
        }
        expect(body, url).not.toContain('Bezig met berekenen');
        const r = await routesView(w, { municipality: m.code, from, to });
        // Every count on the page is rounded to 5 or hidden.
        const counts = [
          ...[...body.matchAll(/Nieuwe cliënten[^<]*<\/div><div class="v">([^<]*)</g)].map((x) => at(x, 1)),
          ...[...body.matchAll(/\(([\d.]+|&lt;10) toewijzingen/g)].map((x) => at(x, 1)),
          ...[...body.matchAll(/van ([\d.]+|&lt;10) cliënten die/g)].map((x) => at(x, 1)),
          ...[...body.matchAll(/Uitstroom in [^:]*: ([\d.]+|&lt;10) cliënten, van wie ([\d.]+|&lt;10)/g)].flatMap(
            (x) => [at(x, 1), at(x, 2)],
          ),
        ];
        for (const c of counts) if (/^\d/.test(c) && num(c) % 5 !== 0) failures.push(`${url}: unrounded count ${c}`);
        // Rates: the rounded number of observable exits and the rate must not pin the exact number.
        for (const [re, truthN] of [
          [/<div class="v">([\d,]+%)<\/div><div class="s">van ([\d.]+) cliënten die/, r.reEntry.previous?.observable],
          [/van wie ([\d.]+) al 12 maanden te volgen; ([\d,]+%) kwam terug/, r.reEntry.period?.observable],
        ] as const) {
          const x = re.exec(body);
          if (!x || truthN === undefined) continue;
          const [shownPct, nText] = /%/.test(at(x, 1)) ? [at(x, 1), at(x, 2)] : [at(x, 2), at(x, 1)];
          const cands = ratioCandidates(shownPct, num(nText));
          if (cands.length === 1 && cands[0] === truthN && truthN % 5 !== 0)
            failures.push(`${url}: rate ${shownPct} of ~${nText} gives back the exact count ${truthN}`);
        }
        // Mean waiting days × the rounded number of allocations.
        // (Beside the median: "gemiddeld 34 dagen (10 toewijzingen"; without it: "34 dagen" over "gemiddelde van 10 toewijzingen".)
        const mw =
          /gemiddeld ([\d.,]+) dagen[^(]*\(([\d.]+) toewijzingen/.exec(body) ??
          /<div class="v">([\d.,]+) dagen<\/div><div class="s">gemiddelde van ([\d.]+) toewijzingen/.exec(body);
        if (mw && r.waiting) {
          const cands = meanCandidates(at(mw, 1), num(at(mw, 2)), 5000);
          if (cands.length === 1 && cands[0] === r.waiting.allocations && r.waiting.allocations % 5 !== 0)
            failures.push(`${url}: mean ${mw[1]} days gives back ${r.waiting.allocations} allocations`);
        }
        // The Sankey as drawn for a council, attacked across its three linked tables: a node's inflow equals
        // its outflow, and all first steps together are the new clients on the card.
        const truthLinks = sankeyFor(analyst, r).links;
        const shown = sankeyFor(council, r);
        expect(body.includes('<svg role="img"'), url).toBe(shown.links.length > 0);
        const card = /Nieuwe cliënten[^<]*<\/div><div class="v">([\d.]+)</.exec(body);
        for (const l of shown.links)
          if (l.value % 5 !== 0) failures.push(`${url}: unrounded flow ${l.source}>${l.target} = ${l.value}`);
        const attack = attackSankey(truthLinks, shown.links, card ? num(at(card, 1)) : null);
        hiddenFlows += attack.hidden;
        for (const p of attack.pinned) failures.push(`${url}: ${p}`);
      }
    }
    expect(hiddenFlows).toBeGreaterThan(5); // there are small flows to protect
    expect(failures).toEqual([]);
  }, 300_000);
  it('Cliëntroutes: the re-entry rate and mean waiting time a council sees give no exact count back (hand cases)', () => {
    // Hand case: 46 observable exits, 7 came back (7/46 = 15,2%). Published exactly beside "45", the attacker
    // tries n = 43…47 and only 46 admits a k with k/n = 15,2% — the exact count is back. The council's rate
    // hides it (7 < 10).
    expect(ratioCandidates(pctText(7 / 46), 45)).toEqual([46]); // the attack works on the exact rate
    const small = { municipality: '0505', exits: 50, observable: 46, reEntries: 7, rate: 7 / 46 };
    expect(publishedRate({ suppress: false }, small)?.rate).toBe(7 / 46);
    expect(publishedRate({ suppress: true }, small)).toBeNull();
    expect(publishedRate({ suppress: true }, { ...small, reEntries: 40, rate: 40 / 46 })).toBeNull(); // 6 stayed away
    // 46 observable, 12 came back, 34 did not: rounded 10 and 35, published 10/45 = 22,2%.
    const big = { ...small, reEntries: 12, rate: 12 / 46 };
    const shown = publishedRate({ suppress: true }, big)!;
    expect(pctText(shown.rate)).toBe('22,2%');
    expect(ratioCandidates(pctText(shown.rate), 45)).not.toEqual([46]);
    expect(ratioCandidates(pctText(12 / 46), 45)).toEqual([46]); // while the exact rate would give it back
    // Mean waiting days: 11 allocations waiting 417 days together (mean 37,909) beside "10" pin 11 of 8…12;
    // whole days (38) do not.
    expect(meanCandidates((417 / 11).toLocaleString('nl-NL'), 10, 5000)).toEqual([11]);
    expect(publishedMeanDays({ suppress: true }, 417 / 11)).toBe('38');
    expect(meanCandidates(publishedMeanDays({ suppress: true }, 417 / 11), 10, 5000).length).toBeGreaterThan(1);
    expect(publishedMeanDays({ suppress: false }, 417 / 11)).toBe((417 / 11).toLocaleString('nl-NL'));
  });
  it('Cliëntroutes: a single small flow is not given back by the new clients on the card (hand case)', () => {
    // Hand case: 40 clients huisarts → ambulant → afgesloten, 30 gemeente → ambulant → lopend, 7 jeugdarts →
    // verblijf → afgesloten. Each line of the first table has at most one cell, so line rules alone leave the
    // 7 as the only hidden first step; the card shows 75 new clients and 75 − 40 − 30 pins it.
    const flows = [
      {
        municipality: '0505',
        referrer: '02',
        firstCategory: '45',
        nextCategory: null,
        end: 'afgesloten' as const,
        clients: 40,
      },
      {
        municipality: '0505',
        referrer: '01',
        firstCategory: '45',
        nextCategory: null,
        end: 'lopend' as const,
        clients: 30,
      },
      {
        municipality: '0505',
        referrer: '04',
        firstCategory: '43',
        nextCategory: null,
        end: 'afgesloten' as const,
        clients: 7,
      },
    ];
    const r = {
      municipality: '0505',
      from: '2025-01',
      to: '2025-12',
      flows,
      sankey: { nodes: [], links: [] },
      waiting: null,
      reEntry: { period: null, previous: null, previousFrom: '2024-01', previousTo: '2024-12' },
      firstClients: 77,
    } as RoutesView;
    const truthLinks = sankeyFor({ user: null, scope: null, suppress: false, purpose: null }, r).links;
    expect(truthLinks.find((l) => l.source === '0:04')?.value).toBe(7);
    const shown = sankeyFor({ user: null, scope: null, suppress: true, purpose: null }, r);
    expect(shown.links.find((l) => l.source === '0:04')).toBeUndefined();
    expect(attackSankey(truthLinks, shown.links, 75).pinned).toEqual([]);
    // The attacker does see it when only the small flow is left out.
    expect(
      attackSankey(
        truthLinks,
        truthLinks.filter((l) => l.source !== '0:04'),
        75,
      ).pinned,
    ).toHaveLength(1);
  });
  it('KPI page: client counts rounded, cost per client and per 1,000 youths from rounded counts, no share of a hidden referrer cell', async () => {
    const failures: string[] = [];
    let checked = 0;
    const truthByYear = new Map<string, Map<string, CostRow>>();
    const hiddenRef = new Map<string, Set<string>>();
    for (const year of YEARS) {
      truthByYear.set(
        String(year),
        new Map((await truth({ by: ['municipality'], year })).map((r) => [r.municipality!, r])),
      );
      hiddenRef.set(
        String(year),
        new Set(
          (await api(`/api/costs?by=municipality,referrer&year=${year}`))
            .filter((r) => r.amountCents === null)
            .map((r) => key(r.municipality, r.referrer as string)),
        ),
      );
    }
    const refName = (code: string) => REFERRERS[code] ?? code;
    for (const m of munis) {
      const html = (await raad.get(`/kpi?municipality=${m.code}`)).body;
      const computed = /<caption>Berekend uit de declaraties[\s\S]*?<\/table>/.exec(html)?.[0] ?? '';
      for (const row of computed.matchAll(
        /<tr><th scope="row">([^<]*)[\s\S]*?<\/th><td>([^<]*)<\/td>([\s\S]*?)<\/tr>/g,
      )) {
        const [name, scope, rest] = [at(row, 1), at(row, 2), at(row, 3)];
        if (scope !== m.name) continue;
        for (const pt of rest.matchAll(/(\d{4}): (?:<span class="light[^>]*>)?([^<]*)/g)) {
          const [year, text] = [at(pt, 1), at(pt, 2)];
          const t = truthByYear.get(year)?.get(m.code);
          if (!t) continue;
          const where = `/kpi ${m.code} ${name} ${year}`;
          const exactBack = (n: number) => n === t.clients && t.clients % 5 !== 0;
          checked++;
          if (name === 'Cliënten' && /^\d/.test(text) && num(at(text.split(' '), 0)) % 5 !== 0)
            failures.push(`${where}: unrounded count ${text}`);
          if (name === 'Kosten per cliënt') {
            const pc = /€\s*([\d.]+),(\d\d)/.exec(text);
            if (pc && exactBack(Math.round(t.amountCents / (num(at(pc, 1)) * 100 + Number(at(pc, 2))))))
              failures.push(`${where}: ${text} gives back ${t.clients} clients`);
          }
          if (name === 'Cliënten per 1.000 jeugdigen' && /^\d/.test(text)) {
            const x = Number(text.replace(/\./g, '').replace(',', '.'));
            if (Math.abs((x * m.youths) / 1000 - t.clients) < 0.05 && exactBack(Math.round((x * m.youths) / 1000)))
              failures.push(`${where}: ${text} gives back ${t.clients} clients`);
          }
          const ref = /^Aandeel kosten via verwijzer: (.*)$/.exec(name);
          if (ref) {
            const code = [...(hiddenRef.get(year) ?? [])].find(
              (k) => k.startsWith(`${m.code}|`) && refName(at(k.split('|'), 1)) === ref[1],
            );
            if (code && pctOf(text) !== null) failures.push(`${where}: share ${text} of a hidden referrer cell`);
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(failures).toEqual([]);
  }, 300_000);
  it('Begroting: realisation per municipality and for the region are cells of the protected tables (hidden with them)', async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const year of YEARS) {
      const cells = await api(`/api/costs?by=municipality&year=${year}`);
      const [region] = await api(`/api/costs?by=year&year=${year}`);
      const t = tables((await raad.get(`/begroting?year=${year}`)).body).find((x) =>
        /^Begroting, realisatie/.test(x.caption),
      );
      expect(t, `/begroting?year=${year}`).toBeDefined();
      for (const row of t!.rows.slice(1)) {
        const m = munis.find((x) => x.name === row[0]);
        const cell = m ? cells.find((c) => c.municipality === m.code) : row[0] === 'Regio' ? region : undefined;
        if (!cell) continue;
        checked++;
        const shown = euros(at(row, 2));
        if (cell.amountCents === null && shown !== null)
          failures.push(`/begroting ${year} ${row[0]}: realisation ${row[2]} of a hidden cell`);
        if (cell.amountCents !== null && shown !== null && Math.abs(shown - cell.amountCents) > EURO_CENTS)
          failures.push(
            `/begroting ${year} ${row[0]}: realisation ${row[2]} is not the published cell (${cell.amountCents / 100})`,
          );
      }
    }
    expect(checked).toBeGreaterThan(4);
    expect(failures).toEqual([]);
  }, 300_000);
});

describe('attacker: Maatregelen (realised savings and coverage of the targets)', () => {
  it('no realised saving rests on a hidden cell, raad’s saving is the difference-in-differences of published cells, coverage splits by published totals', async () => {
    const failures: string[] = [];
    const [pre, post] = [2024, 2025];
    // The cells as the council sees them: null = hidden; a missing cell is no cost.
    const shownCells = new Map<string, number | null>();
    for (const y of [pre, post]) {
      for (const r of await api(`/api/costs?by=municipality,category&year=${y}`))
        shownCells.set(key(y, r.municipality, r.category as string), r.amountCents);
      for (const r of await api(`/api/costs?by=municipality&year=${y}`))
        shownCells.set(key(y, r.municipality, 'Σ'), r.amountCents);
    }
    const cell = (y: number, m: string, c: string | null) => {
      const k = key(y, m, c ?? 'Σ');
      return shownCells.has(k) ? (shownCells.get(k) ?? null) : 0;
    };
    const tCats = [
      ...(await truth({ by: ['municipality', 'category'], year: pre })),
      ...(await truth({ by: ['municipality', 'category'], year: post })),
    ];
    const cats = [...new Set(tCats.map((r) => r.category!))].sort();
    const hiddenTruth = [...(await truth({ by: ['municipality', 'category'], year: pre })).map((r) => ({ y: pre, r }))]
      .concat((await truth({ by: ['municipality', 'category'], year: post })).map((r) => ({ y: post, r })))
      .filter(({ y, r }) => cell(y, r.municipality!, r.category!) === null)
      .map(({ y, r }) => ({ where: `${r.municipality} ${r.category} ${y}`, cents: r.amountCents }));
    expect(hiddenTruth.length).toBeGreaterThan(5);
    // The attacker's measures (entered by an analyst): one per municipality × category, one per municipality on
    // all its care, one on two municipalities, one on the whole region; all start in January 2025 (before: 2024).
    // As ideas they take no municipality out of the others' comparison group.
    type M = { id: string; munis: string[]; cats: string[]; savingsEuros: number };
    const ms: M[] = [
      ...munis.flatMap((m) =>
        cats.map((c) => ({ id: `A-${m.code}-${c}`, munis: [m.code], cats: [c], savingsEuros: 1_013 })),
      ),
      ...munis.map((m) => ({ id: `A-${m.code}`, munis: [m.code], cats: [], savingsEuros: 5_021 })),
      { id: 'A-TWO', munis: munis.slice(0, 2).map((m) => m.code), cats: [], savingsEuros: 7_039 },
      { id: 'A-REGIO', munis: [], cats: [], savingsEuros: 100_003 },
    ];
    const csv = [
      'id,title,owner,status,what,start,riskPercent,municipalities,categories,savings2025Euros',
      ...ms.map(
        (m) =>
          `${m.id},Aanval ${m.id},${m.munis.length === 1 ? at(m.munis, 0) : 'SOJ'},idee,minder zorg,2025-01,10,${m.munis.join(' ')},${m.cats.join(' ')},${m.savingsEuros}`,
      ),
    ].join('\n');
    await importMeasuresCsv(w, csv, 'attack.csv', { enteredBy: 'test' });
    await importTargetsCsv(
      w,
      ['municipality,year,amountEuros', ...munis.map((m) => `${m.code},${post},50000`)].join('\n'),
      'targets.csv',
      { enteredBy: 'test' },
    );
    // Every euro amount the council sees on a page, against every hidden cell.
    const amountsOn = (body: string) => [...body.matchAll(/-?€(?:\s|&nbsp;)*[\d.]+/g)].map((x) => euros(at(x, 0)) ?? 0);
    const noHiddenAmount = (where: string, body: string) => {
      for (const a of amountsOn(body))
        for (const h of hiddenTruth)
          if (Math.abs(Math.abs(a) - h.cents) <= EURO_CENTS && h.cents > 10 * EURO_CENTS)
            failures.push(`${where}: € ${a / 100} gives back hidden cell ${h.where} (${h.cents})`);
    };
    let shownSavings = 0;
    let hiddenSavings = 0;
    const realisedOf = new Map<string, string>();
    for (const m of ms) {
      const url = `/maatregelen/${m.id}`;
      const res = await raad.get(url);
      expect(res.statusCode, url).toBe(200);
      noHiddenAmount(url, res.body);
      const row = tables(res.body)
        .find((t) => /^Per heel productiejaar/.test(t.caption))
        ?.rows.find((r) => r[0]?.startsWith(String(post)));
      const realised = row ? euros(at(row, 2)) : null;
      realisedOf.set(m.id, row ? at(row, 2) : '');
      // The cells the measure rests on: its own (before and after) and, for the comparison, the others'.
      const own = m.munis.flatMap((code) =>
        (m.cats.length ? m.cats : [null]).flatMap((c) => [cell(pre, code, c), cell(post, code, c)]),
      );
      if (!m.munis.length) {
        if (realised !== null) failures.push(`${url}: a realised saving without a comparison group`);
        continue;
      }
      if (own.some((x) => x === null)) {
        hiddenSavings++;
        if (realised !== null || (row && !isHidden(at(row, 2))))
          failures.push(`${url}: realised saving ${row?.[2]} of a measure on a hidden cell`);
        continue;
      }
      if (realised === null) continue;
      shownSavings++;
      // Independently: the difference-in-differences on the cells the council sees (controls: the other
      // municipalities whose cells are published, with cost before and after).
      const sum = (y: number, code: string) =>
        (m.cats.length ? m.cats : [null]).reduce((a, c) => a + (cell(y, code, c) ?? 0), 0);
      const controls = munis
        .map((x) => x.code)
        .filter((code) => !m.munis.includes(code))
        .filter((code) =>
          (m.cats.length ? m.cats : [null]).every((c) => cell(pre, code, c) !== null && cell(post, code, c) !== null),
        )
        .filter((code) => sum(pre, code) > 0 && sum(post, code) > 0);
      const tPre = m.munis.reduce((a, code) => a + sum(pre, code), 0);
      const tPost = m.munis.reduce((a, code) => a + sum(post, code), 0);
      const cPre = controls.reduce((a, code) => a + sum(pre, code), 0);
      const cPost = controls.reduce((a, code) => a + sum(post, code), 0);
      const expected = Math.round((tPre * cPost) / cPre) - tPost;
      if (Math.abs(realised - expected) > 2 * EURO_CENTS)
        failures.push(
          `${url}: realised ${row?.[2]} is not the difference-in-differences of published cells (${expected / 100})`,
        );
    }
    expect(shownSavings, 'measures with a realised saving for raad').toBeGreaterThan(5);
    expect(hiddenSavings, 'measures on a hidden cell').toBeGreaterThan(5);
    // What an analyst sees for a measure on a hidden cell: a realised saving (so the council's blank hides one).
    const onHidden = ms.filter(
      (m) => m.munis.length === 1 && m.cats.length === 1 && cell(pre, at(m.munis, 0), at(m.cats, 0)) === null,
    );
    let analystFigures = 0;
    for (const m of onHidden.slice(0, 3)) {
      const body = (await analyst.get(`/maatregelen/${m.id}`)).body;
      if (/Gerealiseerd tot nu<\/div><div class="v[^"]*">-?€/.test(body)) analystFigures++;
    }
    expect(analystFigures).toBeGreaterThan(0);
    // The overview: the same realised savings as on each measure's page; nothing where the measure's page hides it.
    const body = (await raad.get(`/maatregelen?year=${post}`)).body;
    noHiddenAmount('/maatregelen', body);
    const ts = tables(body);
    for (const r of ts.find((t) => /^Besparing per maatregel/.test(t.caption))?.rows.slice(1) ?? []) {
      const id = at(r, 0).split(' ')[0] ?? '';
      if (!realisedOf.has(id)) continue;
      const onPage = euros(realisedOf.get(id) ?? '');
      if (euros(at(r, 5)) !== onPage)
        failures.push(`/maatregelen ${id}: realised ${r[5]} differs from its page (${realisedOf.get(id)})`);
    }
    // Coverage: a measure on several municipalities (or the region) is split by the published totals of the
    // year before; a municipality's potential is its own measures plus its part of those.
    const weights = new Map(
      munis.flatMap((m) => {
        const c = cell(pre, m.code, null);
        return c !== null && c > 0 ? [[m.code, c] as const] : [];
      }),
    );
    const cov = ts.find((t) => /^Dekking van de taakstelling/.test(t.caption));
    let covered = 0;
    for (const m of munis) {
      const r = cov?.rows.find((x) => x[0] === m.name);
      if (!r) continue;
      let expected = 0;
      for (const x of ms) {
        const scope = x.munis.length ? x.munis : munis.map((y) => y.code);
        if (x.munis.length === 1) expected += x.munis[0] === m.code ? x.savingsEuros * 100 : 0;
        else if (weights.has(m.code) && scope.includes(m.code)) {
          const total = scope.reduce((a, code) => a + (weights.get(code) ?? 0), 0);
          expected += (x.savingsEuros * 100 * (weights.get(m.code) ?? 0)) / total;
        }
      }
      const shown = euros(at(r, 2));
      covered++;
      if (shown === null || Math.abs(shown - expected) > 2 * EURO_CENTS)
        failures.push(
          `/maatregelen coverage ${m.code}: potential ${r[2]}, expected ${expected / 100} from published totals`,
        );
    }
    expect(covered).toBe(munis.length);
    expect(failures).toEqual([]);
  }, 300_000);
});

describe('attacker: the Tekort section of the gemeente page (own result, share, reservation)', () => {
  it('every figure follows from the forecast a council sees and the entered budgets; no hidden cell comes back', async () => {
    const failures: string[] = [];
    const year = 2025;
    const fc = (await raad.get(`/api/forecast?year=${year}`)).json<{
      municipalities: { municipality: string; forecastCents: number }[];
      total: { forecastCents: number } | null;
    }>();
    const forecastOf = new Map(fc.municipalities.map((m) => [m.municipality, m.forecastCents]));
    // Entered figures (the independent source): a budget 5% under each municipality's forecast as a council
    // sees it, rounded to € 1.000; a reservation of € 100.000 each.
    const budget = new Map(
      munis.map((m) => [m.code, Math.round(((forecastOf.get(m.code) ?? 0) * 0.95) / 100_000) * 100_000]),
    );
    await importBudgetCsv(
      w,
      [
        'municipality,year,kind,date,amountCents',
        ...munis.map((m) => `${m.code},${year},primitief,${year - 1}-11-15,${budget.get(m.code) ?? 0}`),
      ].join('\n'),
      'budgets.csv',
      { enteredBy: 'test' },
    );
    const reservation = 10_000_000;
    await importReservations(
      w,
      Buffer.from(
        [
          'municipality,year,date,amountCents',
          ...munis.map((m) => `${m.code},${year},${year}-06-01,${reservation}`),
        ].join('\n'),
      ),
      'reserveringen.csv',
      { enteredBy: 'test' },
    );
    // The hidden cells of the year and the year before, as the attacker's targets.
    const hidden: { municipality: string; where: string; cents: number }[] = [];
    for (const y of [year - 1, year])
      for (const dim of ['category', 'referrer', 'provider'] as const) {
        const shown = await api(`/api/costs?by=municipality,${dim}&year=${y}`);
        for (const t of await truth({ by: ['municipality', dim], year: y }))
          if (shown.find((r) => r.municipality === t.municipality && r[dim] === t[dim])?.amountCents === null)
            hidden.push({
              municipality: t.municipality ?? '',
              where: `${t.municipality} ${dim} ${t[dim]} ${y}`,
              cents: t.amountCents,
            });
      }
    expect(hidden.length).toBeGreaterThan(5);
    // The region's result as a council can compute it: the published total forecast − Σ budgets. (The total
    // holds the municipalities whose total is hidden too; at least two are hidden, so it gives only their sum,
    // as the published region cell does.)
    expect(munis.filter((m) => !forecastOf.has(m.code)).length).not.toBe(1);
    const totalForecast = fc.total?.forecastCents ?? [...forecastOf.values()].reduce((a, b) => a + b, 0);
    const regionResult = totalForecast - [...budget.values()].reduce((a, b) => a + b, 0);
    let sections = 0;
    for (const m of munis) {
      const body = (await raad.get(`/gemeente/${m.code}?year=${year}`)).body;
      const section = /<section class="deficit">[\s\S]*?<\/section>/.exec(body)?.[0] ?? '';
      const f = forecastOf.get(m.code);
      if (f === undefined) {
        if (/€/.test(section)) failures.push(`/gemeente/${m.code}: Tekort without a published forecast`);
        continue;
      }
      const rows = tables(section)[0]?.rows ?? [];
      const amount = (label: string) => euros(rows.find((r) => r[0] === label)?.[2] ?? '');
      const b = budget.get(m.code) ?? 0;
      const share = Math.round((f / totalForecast) * regionResult);
      const expected: [string, number][] = [
        ['Eigen resultaat', f - b],
        ['Aandeel in het resultaat van de regio', share],
        ['Verschil', share - (f - b)],
        ['Reservering', reservation],
      ];
      sections++;
      for (const [label, cents] of expected) {
        const shown = amount(label);
        // Shown in whole euros; a sum of two rounded amounts may be € 2 off.
        if (shown === null || Math.abs(shown - cents) > 2 * EURO_CENTS)
          failures.push(`/gemeente/${m.code} Tekort ${label}: ${shown} ≠ ${cents} from published figures`);
      }
      const balance = rows.find((r) => /Meevaller|Tegenvaller|Nog te dekken/.test(r[0] ?? ''));
      const shownBalance = balance ? euros(at(balance, 2)) : null;
      if (shownBalance === null || Math.abs(Math.abs(shownBalance) - Math.abs(share - reservation)) > 2 * EURO_CENTS)
        failures.push(`/gemeente/${m.code} Tekort balance: ${balance?.[2]} ≠ ${(share - reservation) / 100}`);
      // The section is about this municipality: its own hidden cells are the target (a small difference may
      // equal some other municipality's small cell by chance, without resting on it).
      for (const a of [...section.matchAll(/-?€(?:\s|&nbsp;)*[\d.]+/g)].map((x) => euros(at(x, 0)) ?? 0))
        for (const h of hidden.filter((x) => x.municipality === m.code))
          if (h.cents > 10 * EURO_CENTS && Math.abs(Math.abs(a) - h.cents) <= EURO_CENTS)
            failures.push(`/gemeente/${m.code} Tekort: € ${a / 100} gives back hidden cell ${h.where}`);
    }
    expect(sections).toBeGreaterThan(4);
    expect(failures).toEqual([]);
  }, 300_000);
});

describe('attacker: the forecast APIs beside /api/forecast (explanation, backtest)', () => {
  it('leave out every municipality whose total is hidden, as /api/forecast does', async () => {
    const failures: string[] = [];
    let hiddenMunis = 0;
    for (const year of YEARS) {
      const cells = await api(`/api/costs?by=municipality&year=${year}`);
      const hidden = new Set(
        munis.filter((m) => cells.find((c) => c.municipality === m.code)?.amountCents === null).map((m) => m.code),
      );
      hiddenMunis += hidden.size;
      const fc = (await raad.get(`/api/forecast?year=${year}`)).json<{
        municipalities: { municipality: string }[];
      }>();
      const ex = (await raad.get(`/api/forecast/explain?year=${year}`)).json<{
        municipalities: { municipality: string }[];
      }>();
      const bt = (await raad.get(`/api/backtest?year=${year}`)).json<{ municipality: string }[]>();
      for (const [url, rows] of [
        ['/api/forecast', fc.municipalities],
        ['/api/forecast/explain', ex.municipalities],
        ['/api/backtest', bt],
      ] as const) {
        expect(rows.length, `${url} ${year}`).toBeGreaterThan(0);
        for (const r of rows)
          if (hidden.has(r.municipality)) failures.push(`${url}?year=${year}: municipality ${r.municipality} (hidden)`);
      }
      // What an analyst gets: the hidden municipalities are there (so leaving them out is the protection).
      const exAnalyst = (await analyst.get(`/api/forecast/explain?year=${year}`)).json<{
        municipalities: { municipality: string }[];
      }>();
      for (const code of hidden)
        expect(
          exAnalyst.municipalities.some((m) => m.municipality === code),
          `${code} for an analyst`,
        ).toBe(true);
    }
    expect(hiddenMunis).toBeGreaterThan(1);
    expect(failures).toEqual([]);
  });
});

describe('attacker: why the forecast changed, as a council member reads it', () => {
  it('gives no component amounts (they are sums of what a few clients had declared in the window), on the API, the gemeente page and the A4', async () => {
    const failures: string[] = [];
    let analystAmounts = 0;
    const year = at(YEARS, YEARS.length - 1);
    type Explained = { municipalities: { municipality: string; components: { cents?: number; text: string }[] }[] };
    const ex = (await raad.get(`/api/forecast/explain?year=${year}`)).json<Explained>();
    const exAnalyst = (await analyst.get(`/api/forecast/explain?year=${year}`)).json<Explained>();
    expect(ex.municipalities.length).toBeGreaterThan(0);
    for (const m of ex.municipalities) {
      for (const c of m.components)
        if (c.cents !== undefined || /€|\d/.test(c.text))
          failures.push(`/api/forecast/explain ${m.municipality}: ${c.cents ?? ''} ${c.text}`);
      // What an analyst gets for the same municipality: amounts per component (so leaving them out is the protection).
      const a = exAnalyst.municipalities.find((x) => x.municipality === m.municipality);
      analystAmounts += a?.components.filter((c) => c.cents && c.text.startsWith('€')).length ?? 0;
    }
    const latest = devMonthOf((await w.status()).lastDeclarationDate ?? '');
    for (const m of munis) {
      const page = await raad.get(`/gemeente/${m.code}?year=${year}`);
      const why = /<section class="why">([\s\S]*?)<\/section>/.exec(page.body)?.[1] ?? '';
      // The page says why the amounts are not there.
      if (why.includes('<li>')) expect(why).toContain('Bedragen per oorzaak staan hier niet');
      for (const li of why.matchAll(/<li>([\s\S]*?)<\/li>/g))
        if (/€|\d/.test(at(li, 1).replace(/&#\d+;/g, '')))
          failures.push(`/gemeente/${m.code} Waarom veranderde de prognose: ${at(li, 1)}`);
      if ((await raad.get(`/gemeente/${m.code}/a4`)).statusCode !== 200) continue;
      const [d] = await a4Data(w, { month: latest, municipalities: [m.code], protect: true });
      for (const sentence of d?.revision?.sentences ?? [])
        if (/€|\d/.test(sentence)) failures.push(`/gemeente/${m.code}/a4 Wat veranderde en waarom: ${sentence}`);
    }
    expect(analystAmounts).toBeGreaterThan(0);
    expect(failures).toEqual([]);
  }, 300_000);
});

describe('attacker: a municipality whose total is hidden (the tiny one)', () => {
  it('shows no amount of it on its pages, the overview or the CSV', async () => {
    const failures: string[] = [];
    const year = 2025;
    const t = at(await truth({ by: [], year, municipalities: [TINY] }), 0);
    expect(t.clients).toBeLessThan(10);
    const amount = `€ ${Math.round(t.amountCents / 100).toLocaleString('nl-NL')}`;
    for (const url of [
      `/gemeente/${TINY}?year=${year}`,
      `/gemeente/${TINY}/a4`,
      `/gemeente/${TINY}/uitsplitsing?year=${year}`,
      `/kpi?municipality=${TINY}`,
      `/?year=${year}`,
      `/vergelijken?year=${year}`,
      `/begroting?year=${year}`,
      `/verdeling?year=${year}`,
      `/scenario?year=${year}`,
      `/maatregelen?year=${year}&municipality=${TINY}`,
      `/kostendrijvers?municipality=${TINY}&from-period=2024&to-period=2025`,
      `/kostendrijvers?from-period=2024&to-period=2025`,
      `/kostendrijvers?from-period=2024&to-period=2025&by=municipality`,
    ]) {
      const body = (await raad.get(url)).body.replace(/&nbsp;|\u00a0/g, ' ');
      if (body.includes(amount)) failures.push(`${url}: the hidden total ${amount} of ${TINY}`);
    }
    // The A4's costs to date (January up to the month) against the published month cells: with one hidden
    // month among them, the to-date total minus the visible months is that month.
    const months = await api(`/api/costs?by=municipality,month&year=${year}`);
    const tMonths = await truth({ by: ['municipality', 'month'], year });
    for (const m of munis) {
      for (const month of [`${year}-03`, `${year}-06`]) {
        const upTo = tMonths.filter((r) => r.municipality === m.code && (r.month ?? '') <= month);
        const hiddenMonths = upTo.filter(
          (r) => months.find((c) => c.municipality === m.code && c.month === r.month)?.amountCents === null,
        );
        const toDate = upTo.reduce((a, r) => a + r.amountCents, 0);
        const body = (await raad.get(`/gemeente/${m.code}/a4?month=${month}`)).body.replace(/&nbsp;|\u00a0/g, ' ');
        const shown = [...body.matchAll(/€ ?[\d.]+/g)].map((x) => euros(at(x, 0)) ?? 0);
        if (hiddenMonths.length === 1 && shown.some((a) => Math.abs(a - toDate) <= EURO_CENTS))
          failures.push(
            `/gemeente/${m.code}/a4?month=${month}: costs to date ${toDate / 100} give back the hidden month ${hiddenMonths[0]?.month}`,
          );
      }
    }
    // The other municipalities keep their A4 (the month cells of most are published).
    let a4s = 0;
    for (const m of munis) if ((await raad.get(`/gemeente/${m.code}/a4`)).statusCode === 200) a4s++;
    expect(a4s).toBeGreaterThan(munis.length / 2);
    // Verdeling: own usage is the municipality's total; hidden with it, and so is every share resting on it.
    const totals = await api(`/api/costs?by=municipality&year=${year}`);
    const hiddenMunis = munis.filter((m) => totals.find((c) => c.municipality === m.code)?.amountCents === null);
    expect(hiddenMunis.length).toBeGreaterThan(1);
    const onUsage = [ALLOCATION_KEY_LABELS.usage, ALLOCATION_KEY_LABELS.phased];
    for (const m of hiddenMunis) {
      for (const url of [
        `/verdeling?year=${year}&key=usage&check=${m.code}&decided=400`,
        `/verdeling?year=${year}&key=phased`,
      ]) {
        for (const t of tables((await raad.get(url)).body)) {
          const row = t.rows.find((r) => r[0] === m.name);
          if (/^Grondslagen/.test(t.caption) && !isHidden(row?.[1] ?? ''))
            failures.push(`${url}: usage ${row?.[1]} of ${m.code} (hidden total)`);
          if (/^Verdeling naar/.test(t.caption) && row?.slice(1).some((c) => !isHidden(c)))
            failures.push(`${url}: ${JSON.stringify(row)} of ${m.code} (hidden total)`);
          if (/^Alle sleutels/.test(t.caption))
            (t.rows[0] ?? []).forEach((h, j) => {
              if (onUsage.includes(h) && !isHidden(row?.[j] ?? ''))
                failures.push(`${url}: ${h} share ${row?.[j]} of ${m.code} (hidden total)`);
            });
          if (url.includes('check=') && /^Besluit:/.test(t.caption) && t.rows.some((r) => onUsage.includes(r[0] ?? '')))
            failures.push(`${url}: a decision tested against the hidden usage of ${m.code}`);
        }
      }
    }
    const ov = tables((await raad.get(`/?year=${year}`)).body).find((x) => /Gemeenten/.test(x.caption));
    const row = ov?.rows.find((r) => r[0] === 'Schiermonnikoog');
    expect(row, 'the tiny municipality in the overview').toBeDefined();
    // (The budget column shows the entered budget: € 0, see the Tekort attack.)
    if (row?.slice(1).some((c) => euros(c) !== null && euros(c) !== 0))
      failures.push(`/: amounts for ${TINY}: ${JSON.stringify(row)}`);
    const csv = (await raad.get(`/api/overview.csv?year=${year}`)).body
      .split(/\r?\n/)
      .find((l) => l.startsWith(`${TINY};`));
    expect(csv, 'the tiny municipality in the CSV').toBeDefined();
    if (
      csv
        ?.split(';')
        .slice(3, -1) // code, name and year before, the as-of date after
        .some((c) => /\d/.test(c) && c !== '0,00')
    )
      failures.push(`overview.csv: figures for ${TINY}: ${csv}`);
    expect(failures).toEqual([]);
  });
});

/** A hidden cell of the protected tables with its amount as an analyst sees it: the attacker's target. */
interface Target {
  municipality: string | null;
  where: string;
  cents: number;
}
/** Every cell hidden from a council in the protected tables of these years (totals, the crossed tables, margins). */
async function hiddenTargets(years: readonly number[]): Promise<Target[]> {
  const out: Target[] = [];
  for (const y of years) {
    const totals = await api(`/api/costs?by=municipality&year=${y}`);
    for (const t of await truth({ by: ['municipality'], year: y }))
      if (totals.find((r) => r.municipality === t.municipality)?.amountCents === null)
        out.push({ municipality: t.municipality ?? '', where: `${t.municipality} total ${y}`, cents: t.amountCents });
    for (const dim of DIMS) {
      const shown = await api(`/api/costs?by=municipality,${dim}&year=${y}`);
      for (const t of await truth({ by: ['municipality', dim], year: y }))
        if (shown.find((r) => r.municipality === t.municipality && r[dim] === t[dim])?.amountCents === null)
          out.push({
            municipality: t.municipality ?? '',
            where: `${t.municipality} ${dim} ${t[dim]} ${y}`,
            cents: t.amountCents,
          });
      const margin = await api(`/api/costs?by=${dim}&year=${y}`);
      for (const t of await truth({ by: [dim], year: y }))
        if (margin.find((r) => r[dim] === t[dim])?.amountCents === null)
          out.push({ municipality: null, where: `regio ${dim} ${t[dim]} ${y}`, cents: t.amountCents });
    }
  }
  return out;
}
/** Every euro amount in a text (`€ 1.234`, `-€ 5`, `−€ 5`, `+€ 5`), in cents. */
const amountsIn = (text: string) =>
  [...text.replace(/&nbsp;|\u00a0/g, ' ').matchAll(/[-−]?€\s*\d[\d.]*/g)].map(
    (x) => euros(at(x, 0).replace('−', '-')) ?? 0,
  );
/** The amounts of a text that give back a target within a euro (targets under € 10 protect nothing). */
const givenBack = (where: string, text: string, targets: readonly Target[]): string[] => {
  const out: string[] = [];
  for (const a of new Set(amountsIn(text)))
    for (const h of targets)
      if (h.cents > 10 * EURO_CENTS && Math.abs(Math.abs(a) - h.cents) <= EURO_CENTS)
        out.push(`${where}: € ${a / 100} gives back hidden cell ${h.where} (${h.cents})`);
  return out;
};
const unescape = (s: string) =>
  s
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&gt;/g, '>');

describe('attacker: the Kostendrijvers page, the A4 as PDF, published forecasts and proposals', () => {
  it('Kostendrijvers page: every amount is the published cell of its year (hidden with it), for each municipality, the region and the products; no remainder gives a hidden cell back', async () => {
    const failures: string[] = [];
    const targets = await hiddenTargets(YEARS);
    // The cells as a council sees them (null: hidden; absent: no cost) and as an analyst does.
    const pub = new Map<string, number | null>();
    const real = new Map<string, number>();
    const put = (y: number, scope: string, dim: string, slice: string, shown: number | null | undefined, t: number) => {
      pub.set(key(y, scope, dim, slice), shown === undefined ? 0 : shown);
      real.set(key(y, scope, dim, slice), t);
    };
    const cell = (y: number, scope: string, dim: string, slice: string) => {
      const k = key(y, scope, dim, slice);
      return pub.has(k) ? (pub.get(k) ?? null) : 0;
    };
    const tCat25 = await truth({ by: ['municipality', 'category'], year: 2025 });
    for (const y of YEARS) {
      const [region] = await api(`/api/costs?by=year&year=${y}`);
      put(y, 'R', 'total', '', region?.amountCents, at(await truth({ by: [], year: y }), 0).amountCents);
      const totals = await api(`/api/costs?by=municipality&year=${y}`);
      for (const t of await truth({ by: ['municipality'], year: y })) {
        const shown = totals.find((r) => r.municipality === t.municipality)?.amountCents;
        put(y, 'R', 'municipality', t.municipality ?? '', shown, t.amountCents);
        put(y, t.municipality ?? '', 'total', '', shown, t.amountCents);
      }
      for (const dim of ['category', 'referrer', 'provider'] as const) {
        const inner = await api(`/api/costs?by=municipality,${dim}&year=${y}`);
        for (const t of await truth({ by: ['municipality', dim], year: y }))
          put(
            y,
            t.municipality ?? '',
            dim,
            t[dim] ?? '',
            inner.find((r) => r.municipality === t.municipality && r[dim] === t[dim])?.amountCents,
            t.amountCents,
          );
        const margin = await api(`/api/costs?by=${dim}&year=${y}`);
        for (const t of await truth({ by: [dim], year: y }))
          put(y, 'R', dim, t[dim] ?? '', margin.find((r) => r[dim] === t[dim])?.amountCents, t.amountCents);
      }
      for (const c of tCat25) {
        const scope = `${c.municipality}/${c.category}`;
        const rows = await api(`/api/costs?by=product&year=${y}&municipality=${c.municipality}&category=${c.category}`);
        for (const t of await truth({
          by: ['product'],
          year: y,
          municipalities: [c.municipality!],
          category: c.category,
        }))
          put(
            y,
            scope,
            'product',
            t.product ?? '',
            rows.find((r) => r.product === (t.product ?? ''))?.amountCents,
            t.amountCents,
          );
        const k = key(y, c.municipality, 'category', c.category);
        put(y, scope, 'total', '', pub.get(k), real.get(k) ?? 0);
      }
    }
    const pages: { url: string; scope: string; dim: string }[] = [];
    const period = 'from-period=2024&to-period=2025';
    for (const m of munis)
      for (const dim of ['category', 'referrer', 'provider'] as const)
        for (const gelijk of dim === 'category' ? ['', '&gelijk=0', '&gelijk=1'] : [''])
          pages.push({
            url: `/kostendrijvers?${period}&by=${dim}&municipality=${m.code}${gelijk}`,
            scope: m.code,
            dim,
          });
    for (const dim of ['category', 'referrer', 'provider', 'municipality'] as const)
      for (const gelijk of ['', '&gelijk=1'])
        pages.push({ url: `/kostendrijvers?${period}&by=${dim}${gelijk}`, scope: 'R', dim });
    for (const c of tCat25)
      pages.push({
        url: `/kostendrijvers?${period}&by=product&municipality=${c.municipality}&category=${c.category}`,
        scope: `${c.municipality}/${c.category}`,
        dim: 'product',
      });
    let checked = 0;
    let hiddenRows = 0;
    for (const p of pages) {
      const res = await raad.get(p.url);
      if (res.statusCode === 400) continue; // refused: nothing published
      expect(res.statusCode, p.url).toBe(200);
      const json = (await raad.get(p.url.replace('/kostendrijvers', '/api/kostendrijvers'))).json<{
        slices: { slice: string; label: string }[];
      }>();
      const t = tables(res.body).find((x) => /^Verschil per/.test(x.caption));
      const municipality = p.scope === 'R' ? null : (p.scope.split('/')[0] ?? '');
      failures.push(
        ...givenBack(
          p.url,
          res.body,
          targets.filter((x) => x.municipality === municipality),
        ),
      );
      if (!t) continue;
      const visibleSum = [0, 0];
      const hidden: number[][] = [[], []];
      let totalRow: string[] | undefined;
      for (const row of t.rows.slice(1)) {
        // Name, both years, change, its parts (clients and cost per client for a council), clients.
        if (row.length < 7) continue;
        const label = unescape(at(row, 0));
        const slice = label === 'totaal' ? null : json.slices.find((s) => unescape(s.label) === label)?.slice;
        if (slice === undefined) {
          failures.push(`${p.url}: row ${label} not in the JSON`);
          continue;
        }
        if (slice === null) totalRow = row;
        const clients = at(row, row.length - 1);
        for (const c of /\d/.test(clients) ? clients.split('→') : [])
          if (num(c.trim()) % 5 !== 0) failures.push(`${p.url}: unrounded count ${c} (${label})`);
        YEARS.forEach((y, i) => {
          const shownText = at(row, i + 1);
          const dim = slice === null ? 'total' : p.dim;
          const published = cell(y, p.scope, dim, slice ?? '');
          if (isHidden(shownText)) {
            if (slice !== null) {
              hiddenRows++;
              at(hidden, i).push(real.get(key(y, p.scope, dim, slice)) ?? 0);
            }
            return;
          }
          checked++;
          const shown = euros(shownText);
          if (shown === null) return;
          if (published === null)
            failures.push(`${p.url}: ${label} ${y} shown (${shownText}) but hidden in the protected table`);
          else if (Math.abs(shown - published) > EURO_CENTS)
            failures.push(
              `${p.url}: ${label} ${y} ${shownText} is not the published cell (€ ${Math.round(published / 100)})`,
            );
          if (slice !== null) visibleSum[i] = (visibleSum[i] ?? 0) + shown;
        });
      }
      // The remainder of each year's column (total − shown rows) against each hidden row.
      YEARS.forEach((y, i) => {
        const total = totalRow ? euros(at(totalRow, i + 1)) : null;
        if (total === null) return;
        const rest = total - (visibleSum[i] ?? 0);
        for (const h of at(hidden, i))
          if (Math.abs(h) > 10 * EURO_CENTS && Math.abs(rest - h) <= EURO_CENTS * 2)
            failures.push(`${p.url}: ${y} total − shown rows = € ${rest / 100}, a hidden row (${h})`);
      });
    }
    expect(checked).toBeGreaterThan(200);
    expect(hiddenRows).toBeGreaterThan(10);
    // Drill-down links lead to pages a council may see (none to a refused selection).
    const links = new Set<string>();
    for (const p of pages.filter((x) => x.scope === 'R' || x.scope === at(munis, 0).code))
      for (const l of (await raad.get(p.url)).body.matchAll(/href="(\/kostendrijvers\?[^"]*)"/g))
        links.add(at(l, 1).replace(/&amp;/g, '&'));
    expect(links.size).toBeGreaterThan(5);
    for (const l of links) {
      const code = (await raad.get(l)).statusCode;
      if (code !== 200) failures.push(`a link to ${l}: ${code}`);
    }
    // "Even ver gedeclareerd" is refused (the earlier year as known a year ago is no protected table).
    expect((await raad.get(`/api/kostendrijvers?${period}&gelijk=1`)).statusCode).toBe(400);
    expect(failures).toEqual([]);
  }, 600_000);

  it('the A4 as PDF: refused where the A4 page is (a hidden total or month); its text gives back no hidden cell, no hidden month by difference', async () => {
    const failures: string[] = [];
    const targets = await hiddenTargets(YEARS);
    const monthCells = new Map<string, number | null>();
    const monthTruth = new Map<string, number>();
    for (const y of YEARS) {
      const shown = await api(`/api/costs?by=municipality,month&year=${y}`);
      for (const t of await truth({ by: ['municipality', 'month'], year: y })) {
        monthCells.set(
          key(t.municipality, t.month),
          shown.find((r) => r.municipality === t.municipality && r.month === t.month)?.amountCents ?? null,
        );
        monthTruth.set(key(t.municipality, t.month), t.amountCents);
      }
    }
    const totals = await api('/api/costs?by=municipality&year=2025');
    const dir = tempDir('grip-attack-pdf-');
    let pdfs = 0;
    let refused = 0;
    for (const m of munis) {
      for (const q of ['', '?month=2025-06']) {
        const page = await raad.get(`/gemeente/${m.code}/a4${q}`);
        const res = await raad.get(`/gemeente/${m.code}/a4.pdf${q}`);
        const url = `/gemeente/${m.code}/a4.pdf${q}`;
        if (res.statusCode !== page.statusCode)
          failures.push(`${url}: ${res.statusCode}, the A4 page ${page.statusCode}`);
        const hiddenTotal = totals.find((c) => c.municipality === m.code)?.amountCents === null;
        if (hiddenTotal && res.statusCode !== 404) failures.push(`${url}: ${res.statusCode} for a hidden total`);
        if (res.statusCode !== 200) {
          refused++;
          continue;
        }
        pdfs++;
        expect(res.headers['content-type']).toBe('application/pdf');
        const month = /grip-a4-\d{4}-(\d{4}-\d{2})\.pdf/.exec(String(res.headers['content-disposition']))?.[1] ?? '';
        expect(month, url).toMatch(/^\d{4}-\d{2}$/);
        const file = join(dir, `${m.code}-${month}.pdf`);
        writeFileSync(file, res.rawPayload);
        const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
        expect(text, url).toContain(m.name);
        failures.push(
          ...givenBack(
            url,
            text,
            targets.filter((x) => x.municipality === m.code),
          ),
        );
        // Each amount minus the published months of a year up to the A4's month (this year and the same
        // moment last year): never one hidden month.
        for (const y of [Number(month.slice(0, 4)), Number(month.slice(0, 4)) - 1]) {
          const upTo = `${y}${month.slice(4)}`;
          const ms = [...monthTruth.keys()].filter(
            (k) => k.startsWith(`${m.code}|${y}-`) && at(k.split('|'), 1) <= upTo,
          );
          const hiddenMs = ms.filter((k) => monthCells.get(k) === null);
          const shownSum = ms.reduce((a, k) => a + (monthCells.get(k) ?? 0), 0);
          for (const a of amountsIn(text))
            for (const h of hiddenMs)
              if (Math.abs(a - shownSum - (monthTruth.get(h) ?? 0)) <= EURO_CENTS)
                failures.push(`${url}: € ${a / 100} − the published months of ${y} = hidden month ${h}`);
        }
      }
    }
    expect(pdfs).toBeGreaterThan(5);
    expect(refused).toBeGreaterThan(1);
    // The charts of the A4 (text in neither the PDF nor the page, but drawn to scale): last year's line per
    // month and the bars of earlier years are published cells (as known now), so a hidden one must not be drawn.
    // Read from the data the route renders (the same function and options).
    const yearTotals = new Map<string, number | null>();
    for (const y of [2021, 2022, 2023, 2024])
      for (const r of await api(`/api/costs?by=municipality&year=${y}`))
        yearTotals.set(key(r.municipality, y), r.amountCents);
    let hiddenDrawn = 0;
    const latest = devMonthOf((await w.status()).lastDeclarationDate ?? '');
    for (const m of munis) {
      if ((await raad.get(`/gemeente/${m.code}/a4`)).statusCode !== 200) continue;
      const [d] = await a4Data(w, { month: latest, municipalities: [m.code], protect: true });
      for (const p of d?.monthly ?? []) {
        const prev = key(m.code, `${Number(p.month.slice(0, 4)) - 1}${p.month.slice(4)}`);
        if (!monthTruth.has(prev)) continue;
        if (monthCells.get(prev) === null) hiddenDrawn++;
        if (monthCells.get(prev) === null && p.previousCents !== null)
          failures.push(`/gemeente/${m.code}/a4 chart: last year's hidden month ${prev} drawn (${p.previousCents})`);
      }
      for (const y of d?.yearly ?? [])
        if (yearTotals.get(key(m.code, y.year)) === null)
          failures.push(`/gemeente/${m.code}/a4 chart: the hidden total of ${y.year} drawn`);
    }
    expect(failures).toEqual([]);
    expect(hiddenDrawn, 'hidden months of last year on a council’s A4').toBeGreaterThan(0);
  }, 600_000);

  it('the gemeente page’s sentence on what was declared since last month rests on no cell under 10 clients (declaration month: no protected table)', async () => {
    const failures: string[] = [];
    const year = 2025;
    let sentences = 0;
    let small = 0;
    const asOf = (await w.status()).lastDeclarationDate ?? '';
    const declMonth = asOf.slice(0, 7);
    for (const m of munis) {
      const body = (await raad.get(`/gemeente/${m.code}?year=${year}`)).body.replace(/&nbsp;|\u00a0/g, ' ');
      const story = /Sinds vorige maand[^<]*/.exec(body)?.[0] ?? '';
      // What was declared in the stand's month, per category and in all (the analyst's view), with its clients.
      const cells = (await truth({ by: ['declarationMonth', 'category'], year, municipalities: [m.code] })).filter(
        (r) => r.declarationMonth === declMonth,
      );
      const [all] = (await truth({ by: ['declarationMonth'], year, municipalities: [m.code] })).filter(
        (r) => r.declarationMonth === declMonth,
      );
      small += cells.filter((c) => c.clients < 10 && c.amountCents > 10 * EURO_CENTS).length;
      if (!story) continue;
      sentences++;
      for (const a of amountsIn(story))
        for (const c of [...cells, ...(all ? [{ ...all, category: 'alle' }] : [])])
          if (c.clients < 10 && c.amountCents > 10 * EURO_CENTS && Math.abs(a - c.amountCents) <= EURO_CENTS)
            failures.push(
              `/gemeente/${m.code}: € ${a / 100} = declared in ${declMonth} for category ${c.category} (${c.clients} clients)`,
            );
    }
    expect(small, 'small cells declared in the stand’s month').toBeGreaterThan(0);
    // An analyst gets the sentence (so its absence for a council is the protection).
    expect((await analyst.get(`/gemeente/${at(munis, 0).code}?year=${year}`)).body).toMatch(/Sinds vorige maand/);
    expect(sentences, 'sentences a council sees').toBe(0);
    expect(failures).toEqual([]);
  }, 300_000);

  it('the A4s of consecutive months: the difference of a figure shown in both (costs to date, a category, last year the same moment) rests on no cell under 10 clients', async () => {
    const failures: string[] = [];
    let pairs = 0;
    let refusedOlder = 0;
    let smallCells = 0;
    // The A4 of month M is the stand at M's end (months before the last one): two consecutive A4s differ by
    // what was declared in month M (production up to M) — the declaration-month cut of the analyst's view.
    const months = ['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06', '2025-07'];
    const cut = async (code: string, y: number, upTo: string, declared: string) => {
      const rows = await truth({ by: ['category', 'declarationMonth'], year: y, to: upTo, municipalities: [code] });
      const all = await truth({ by: ['declarationMonth'], year: y, to: upTo, municipalities: [code] });
      return [
        ...rows.filter((r) => r.declarationMonth === declared),
        ...all.filter((r) => r.declarationMonth === declared).map((r) => ({ ...r, category: 'alle' })),
      ];
    };
    const lines = (body: string) => {
      const t = tables(body.replace(/&nbsp;|\u00a0/g, ' ')).find((x) => x.rows[0]?.[0] === 'Categorie');
      return new Map(
        (t?.rows.slice(1) ?? []).map((r) => [
          /^Overige/.test(at(r, 0)) ? 'overig' : at(r, 0),
          { now: euros(r[1] ?? ''), prev: euros(r[3] ?? '') },
        ]),
      );
    };
    for (const m of munis) {
      let before: Map<string, { now: number | null; prev: number | null }> | null = null;
      for (const month of months) {
        const res = await raad.get(`/gemeente/${m.code}/a4?month=${month}`);
        if (res.statusCode === 404 && /alleen het A4 van de laatste maand/.test(res.body)) refusedOlder++;
        const now = res.statusCode === 200 ? lines(res.body) : null;
        const prevMonth = `${Number(month.slice(0, 4)) - 1}${month.slice(4)}`;
        const [cNow, cPrev] = [await cut(m.code, 2025, month, month), await cut(m.code, 2024, prevMonth, prevMonth)];
        smallCells += [...cNow, ...cPrev].filter((c) => c.clients < 10).length;
        if (before && now) {
          pairs++;
          for (const [label, v] of now) {
            const w0 = before.get(label);
            if (!w0 || label === 'overig') continue;
            for (const [field, cells] of [
              ['now', cNow],
              ['prev', cPrev],
            ] as const) {
              const [a, b] = [v[field], w0[field]];
              if (a === null || b === null) continue;
              for (const c of cells)
                if (
                  c.clients < 10 &&
                  Math.abs(c.amountCents) > 10 * EURO_CENTS &&
                  Math.abs(a - b - c.amountCents) <= 2 * EURO_CENTS &&
                  (label === 'Totaal' ? c.category === 'alle' : label.startsWith(`${c.category} `))
                )
                  failures.push(
                    `/gemeente/${m.code}/a4 ${month} − the month before, ${label} (${field}): € ${(a - b) / 100} = declared in ${field === 'now' ? month : prevMonth} on ${c.clients} clients`,
                  );
            }
          }
        }
        before = now;
      }
    }
    // Refused: a council gets the A4 of the latest month only (an analyst gets every month).
    expect(pairs + refusedOlder).toBeGreaterThan(10);
    expect((await analyst.get(`/gemeente/${at(munis, 0).code}/a4?month=2025-03`)).statusCode).toBe(200);
    expect(smallCells, 'small declaration-month cells').toBeGreaterThan(0);
    expect(failures).toEqual([]);
  }, 300_000);

  it('the A4’s “Overige categorieën” against the year tables: what is left of it after the published cells of its categories is never one hidden cell (this year and the year before)', async () => {
    const failures: string[] = [];
    let rests = 0;
    let withHidden = 0;
    for (const m of munis) {
      const res = await raad.get(`/gemeente/${m.code}/a4`);
      if (res.statusCode !== 200) continue;
      const t = tables(res.body.replace(/&nbsp;|\u00a0/g, ' ')).find((x) => x.rows[0]?.[0] === 'Categorie');
      const rows = t?.rows.slice(1) ?? [];
      const listed = new Set(rows.map((r) => at(r, 0).split(' ')[0] ?? ''));
      // Last year's same moment rests on last year's total: not shown where the year table hides that total.
      const prevTotal = euros(rows.find((r) => r[0] === 'Totaal')?.[3] ?? '');
      const total2024 = (await api('/api/costs?by=municipality&year=2024')).find((c) => c.municipality === m.code);
      if (total2024?.amountCents === null && prevTotal !== null)
        failures.push(`/gemeente/${m.code}/a4: 2024 to date € ${prevTotal / 100}, its 2024 total hidden`);
      const overige = rows.find((r) => /^Overige/.test(at(r, 0)));
      if (!overige) continue;
      for (const [y, col] of [
        [2025, 1],
        [2024, 3],
      ] as const) {
        const shown = euros(overige[col] ?? '');
        if (shown === null) continue;
        rests++;
        // The categories under "Overige": the municipality's categories of the year not listed on the A4.
        const cells = (await api(`/api/costs?by=municipality,category&year=${y}`)).filter(
          (c) => c.municipality === m.code && !listed.has(String(c.category)),
        );
        const hidden = cells.filter((c) => c.amountCents === null);
        if (hidden.length) withHidden++;
        // A category listed on its own line is one the year table publishes (else its line, the year's cell
        // as far as declared, would be a hidden cell shown, and the rest of Overige would follow).
        for (const c of (await api(`/api/costs?by=municipality,category&year=${y}`)).filter(
          (x) => x.municipality === m.code && listed.has(String(x.category)) && x.amountCents === null,
        ))
          failures.push(
            `/gemeente/${m.code}/a4: category ${String(c.category)} on a line of its own, hidden in the year table ${y}`,
          );
        const rest = shown - cells.reduce((a, c) => a + (c.amountCents ?? 0), 0);
        const tCells = await truth({ by: ['category'], year: y, municipalities: [m.code] });
        for (const h of hidden) {
          const secret = tCells.find((c) => c.category === h.category)?.amountCents ?? 0;
          if (Math.abs(secret) > 10 * EURO_CENTS && Math.abs(rest - secret) <= EURO_CENTS)
            failures.push(
              `/gemeente/${m.code}/a4 ${y}: Overige ${overige[col]} − the published cells of its categories = € ${rest / 100}, hidden cell ${m.code} category ${String(h.category)} (${secret})`,
            );
        }
        // Two or more hidden ones: their sum is all that may follow (it does, when the A4's part is the year).
        if (hidden.length === 1 && Math.abs(rest) > 10 * EURO_CENTS)
          failures.push(
            `/gemeente/${m.code}/a4 ${y}: one hidden category (${String(hidden[0]?.category)}) under Overige`,
          );
      }
    }
    expect(rests).toBeGreaterThan(3);
    expect(withHidden).toBeGreaterThan(0);
    expect(failures).toEqual([]);
  }, 300_000);

  it('the A4 against the year tables: a published cell minus the A4’s part of it (January up to the month, this year and last year’s same moment) rests on no cell under 10 clients', async () => {
    const failures: string[] = [];
    const latest = devMonthOf((await w.status()).lastDeclarationDate ?? '');
    const month = latest.slice(5);
    let compared = 0;
    for (const m of munis) {
      const res = await raad.get(`/gemeente/${m.code}/a4`);
      if (res.statusCode !== 200) continue;
      const t = tables(res.body.replace(/&nbsp;|\u00a0/g, ' ')).find((x) => x.rows[0]?.[0] === 'Categorie');
      for (const [y, col, cutAsOf] of [
        [2025, 1, null],
        [2024, 3, `2024-${month}-31`],
      ] as const) {
        const cells = await api(`/api/costs?by=municipality,category&year=${y}`);
        const totals = await api(`/api/costs?by=municipality&year=${y}`);
        // What lies outside the A4's part (production after the month, or declared after the cut), with an
        // upper bound on its clients: the clients of each declaration month added up.
        const rest = (
          await truth({ by: ['category', 'month', 'declarationMonth'], year: y, municipalities: [m.code] })
        ).filter(
          (r) =>
            (r.month ?? '') > `${y}-${month}` || (cutAsOf !== null && (r.declarationMonth ?? '') > cutAsOf.slice(0, 7)),
        );
        for (const r of t?.rows.slice(1) ?? []) {
          const label = at(r, 0);
          if (/^Overige/.test(label)) continue;
          const shown = euros(r[col] ?? '');
          const cat = label === 'Totaal' ? null : label.split(' ')[0];
          const published =
            cat === null
              ? totals.find((c) => c.municipality === m.code)?.amountCents
              : cells.find((c) => c.municipality === m.code && c.category === cat)?.amountCents;
          if (shown === null || published === null || published === undefined) continue;
          compared++;
          const outside = rest.filter((x) => cat === null || x.category === cat);
          const clientsAtMost = outside.reduce((a, x) => a + x.clients, 0);
          const diff = published - shown;
          if (Math.abs(diff) > 10 * EURO_CENTS && clientsAtMost < 10)
            failures.push(
              `/gemeente/${m.code}/a4 ${label} ${y}: the published € ${published / 100} − € ${shown / 100} on the A4 = € ${diff / 100}, on at most ${clientsAtMost} clients`,
            );
        }
      }
    }
    expect(compared).toBeGreaterThan(10);
    expect(failures).toEqual([]);
  }, 300_000);

  it('published forecasts (vintages): no municipality whose total is hidden; the region minus the shown ones is never one hidden forecast', async () => {
    const failures: string[] = [];
    // Published by an analyst through the app service (as `grip forecast publish` does).
    for (const [year, asOf] of [
      [2024, '2024-06-30'],
      [2024, '2024-12-31'],
      [2024, '2025-09-30'],
      [2025, '2025-03-31'],
      [2025, '2025-09-30'],
    ] as const)
      await publishForecast(w, { year, asOf, by: 'test', label: `Aanval ${asOf}` });
    let hiddenSeen = 0;
    for (const year of YEARS) {
      const totals = await api(`/api/costs?by=municipality&year=${year}`);
      const hidden = new Set(totals.filter((c) => c.amountCents === null).map((c) => c.municipality ?? ''));
      const shown = (await raad.get(`/api/forecast/vintages?year=${year}`)).json<ForecastHistory[]>();
      const all = (await analyst.get(`/api/forecast/vintages?year=${year}`)).json<ForecastHistory[]>();
      expect(shown.length, `vintages ${year}`).toBeGreaterThan(2);
      for (const code of hidden) {
        // The analyst sees them: leaving them out is the protection.
        if (all.some((h) => h.scope === code)) hiddenSeen++;
        if (shown.some((h) => h.scope === code)) failures.push(`/api/forecast/vintages?year=${year}: ${code} (hidden)`);
      }
      // The region's vintage minus the municipalities shown: the hidden ones together, never one alone.
      const region = shown.find((h) => h.scope === 'regio');
      expect(region, `regio ${year}`).toBeDefined();
      for (const v of region?.vintages ?? []) {
        for (const field of ['forecastCents', 'lowCents', 'highCents'] as const) {
          const rest =
            v[field] -
            shown
              .filter((h) => h.scope !== 'regio')
              .reduce((a, h) => a + (h.vintages.find((x) => x.id === v.id)?.[field] ?? 0), 0);
          for (const code of hidden) {
            const secret = all.find((h) => h.scope === code)?.vintages.find((x) => x.id === v.id)?.[field];
            if (secret !== undefined && Math.abs(rest - secret) <= EURO_CENTS)
              failures.push(`vintage ${v.id} ${field}: regio − shown = € ${rest / 100}, the forecast of ${code}`);
          }
        }
      }
      // The gemeente page's track of published forecasts: none for a hidden municipality.
      for (const code of hidden) {
        const secrets = all.find((h) => h.scope === code)?.vintages ?? [];
        const body = (await raad.get(`/gemeente/${code}?year=${year}`)).body;
        for (const a of amountsIn(body))
          for (const s of secrets)
            if (Math.abs(a - s.forecastCents) <= EURO_CENTS)
              failures.push(`/gemeente/${code}?year=${year}: the published forecast € ${a / 100} (vintage ${s.id})`);
      }
    }
    expect(hiddenSeen).toBeGreaterThan(1);
    expect(failures).toEqual([]);
  }, 300_000);

  it('a proposal: a split by a ledger key as its total only, by public figures whole (and proportional to them); no frozen forecast or cell of a hidden municipality', async () => {
    const failures: string[] = [];
    const refs = await w.municipalities();
    const amount = 100_000_003;
    let cases = 0;
    for (const date of ['2024-12-31', '2025-09-30']) {
      const year = Number(date.slice(0, 4));
      const totals = await api(`/api/costs?by=municipality&year=${year}`);
      const hidden = munis.filter((m) => totals.find((c) => c.municipality === m.code)?.amountCents === null);
      expect(hidden.length).toBeGreaterThan(1);
      const targets = await hiddenTargets([year]);
      for (const k of ['usage', 'clients-prev', 'clients-3y', 'inhabitants', 'youths', 'equal'] as const) {
        // Entered through the app service the web form and the CLI use (client keys need the year before:
        // the region starts in 2024, so they exist from 2025 on).
        if (date < '2025' && (k === 'clients-prev' || k === 'clients-3y')) continue;
        const c = await createProposal(
          w,
          { title: `Aanval ${k} ${date}`, kind: 'begrotingswijziging', amountCents: amount, date, key: k },
          'test',
        );
        const url = `/besluitvorming/voorstel/${c.proposal.id}`;
        const res = await raad.get(url);
        expect(res.statusCode, url).toBe(200);
        cases++;
        const body = res.body.replace(/&nbsp;|\u00a0/g, ' ');
        const text = strip(body.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');
        // The frozen figures of a municipality whose total is hidden: what the analyst has in the case.
        for (const m of hidden) {
          const frozen = c.proposal.linkedFigures.find((f) => f.label.endsWith(` ${m.name}`))?.value;
          if (text.includes(`Prognose jaareinde ${year} ${m.name}`))
            failures.push(`${url}: the frozen forecast of ${m.code} (hidden total)`);
          const secret = frozen?.kind === 'cents' ? frozen.cents : null;
          if (secret !== null && amountsIn(body).some((a) => Math.abs(a - secret) <= EURO_CENTS))
            failures.push(`${url}: € ${secret / 100}, the frozen forecast of ${m.code} (hidden total)`);
        }
        failures.push(...givenBack(url, body, targets));
        const splitRows =
          tables(body)
            .find((t) => t.rows[0]?.[0] === 'Gemeente' && t.rows[0][1] === 'Bedrag')
            ?.rows.slice(1) ?? [];
        const ledger = !['inhabitants', 'youths', 'equal'].includes(k);
        if (ledger) {
          if (splitRows.length) failures.push(`${url}: a split by ${k} shown per municipality`);
          if (!text.includes('niet zichtbaar voor deze rol'))
            failures.push(`${url}: no note that the split is withheld`);
          continue;
        }
        // A public key: the split is the amount in proportion to the reference figures (within a cent).
        const weight = (code: string) => {
          const r = refs.find((x) => x.code === code);
          return k === 'equal' ? 1 : k === 'youths' ? (r?.youths ?? 0) : (r?.inhabitants ?? 0);
        };
        const sumW = munis.reduce((a, m) => a + weight(m.code), 0);
        for (const m of munis) {
          const row = splitRows.find((r) => r[0] === m.name);
          const expected = (amount * weight(m.code)) / sumW;
          const shown = row ? euros(at(row, 1)) : null;
          if (shown === null || Math.abs(shown - expected) > EURO_CENTS)
            failures.push(`${url}: ${m.name} ${row?.[1]} against ${expected / 100} by ${k}`);
        }
      }
    }
    expect(cases).toBe(10);
    expect(failures).toEqual([]);
  }, 300_000);
});

describe('attacker: KPIs on /kpi and the A4 (entered by partners, computed from the declarations)', () => {
  it('entered KPIs show as entered; computed ones with a norm come from the protected cells only — value, light and trend — on /kpi and the A4', async () => {
    const failures: string[] = [];
    // Entered KPIs: the Rekenkamer tables (as `grip kpi load-rekenkamer`) and a partner (SJT) through the form.
    await loadSeed004(w, { enteredBy: 'test' });
    const partner = await sessionAs(app, w, 'partner');
    const entry = await partner.post('/kpi/invoer', {
      kpi: 'sjt-wachttijd',
      scope: '0482',
      period: '2025-08-31',
      value: '37',
    });
    expect(entry.statusCode).toBe(303);
    // Norms an analyst set on computed KPIs (a stored definition lends its target; the values stay computed):
    // orange for every count and ratio of every municipality and the region, red for each referrer share of a
    // hidden cell (so those come first on the A4, which shows the most urgent).
    const totals = new Map<number, ApiRow[]>();
    const refCells = new Map<number, ApiRow[]>();
    const regionRow = new Map<number, ApiRow | undefined>();
    for (const y of YEARS) {
      totals.set(y, await api(`/api/costs?by=municipality&year=${y}`));
      refCells.set(y, [
        ...(await api(`/api/costs?by=municipality,referrer&year=${y}`)),
        ...(await api(`/api/costs?by=referrer&year=${y}`)).map((r) => ({ ...r, municipality: 'regio' })),
      ]);
      regionRow.set(y, (await api(`/api/costs?by=year&year=${y}`))[0]);
    }
    const hiddenRefs = (refCells.get(2024) ?? []).filter((c) => c.amountCents === null && c.municipality !== 'regio');
    expect(hiddenRefs.length).toBeGreaterThan(0);
    const norm = (
      id: string,
      name: string,
      unit: string,
      direction: 'lower' | 'higher',
      code: string,
    ): KpiDefinition => ({
      id,
      name,
      unit,
      direction,
      // lower: above 0 and under 10^12 is orange; higher: at most 10^9 is red
      target: direction === 'lower' ? 0 : 1e9,
      critical: direction === 'lower' ? 1e12 : 1e9,
      scope: code === 'regio' ? { kind: 'region' } : { kind: 'municipality', municipality: code },
    });
    const defs = [
      ...['regio', ...munis.map((m) => m.code)].flatMap((code) => [
        norm('clienten', 'Cliënten', 'cliënten', 'lower', code),
        norm('kosten-per-client', 'Kosten per cliënt', '€', 'lower', code),
        norm('clienten-per-1000-jeugdigen', 'Cliënten per 1.000 jeugdigen', 'per 1.000 jeugdigen', 'lower', code),
      ]),
      ...hiddenRefs.map((c) =>
        norm(
          `verwijzer-${String(c.referrer)}`,
          `Aandeel kosten via verwijzer: ${REFERRERS[String(c.referrer)] ?? String(c.referrer)}`,
          '%',
          'higher',
          c.municipality ?? '',
        ),
      ),
    ];
    await saveKpis(w, defs, []);
    const youths = (code: string) =>
      code === 'regio' ? munis.reduce((a, m) => a + m.youths, 0) : (munis.find((m) => m.code === code)?.youths ?? 0);
    /** The figure a council may see, from the published cells (null: hidden). */
    const expected = (id: string, code: string, y: number): number | null => {
      const t = code === 'regio' ? regionRow.get(y) : totals.get(y)?.find((c) => c.municipality === code);
      const n = typeof t?.clients === 'number' ? t.clients : null;
      const amount = t?.amountCents ?? null;
      if (id === 'clienten') return n;
      if (id === 'kosten-per-client') return amount === null || !n ? null : Math.round(amount / n) / 100;
      if (id === 'clienten-per-1000-jeugdigen') return n === null ? null : Math.round((n / youths(code)) * 10_000) / 10;
      const ref = id.slice('verwijzer-'.length);
      const cell = refCells.get(y)?.find((c) => c.municipality === code && c.referrer === ref);
      return cell?.amountCents == null || !amount ? null : Math.round((cell.amountCents / amount) * 1000) / 10;
    };
    const nlValue = (text: string): number | null => {
      const e = euros(text);
      if (/€/.test(text)) {
        const m = /€\s*([\d.]+)(?:,(\d+))?/.exec(text);
        return m ? Number(at(m, 1).replace(/\./g, '')) + Number(`0.${m[2] ?? '0'}`) : e;
      }
      const m = /-?[\d.]*\d(?:,\d+)?/.exec(text);
      return m ? Number(m[0].replace(/\./g, '').replace(',', '.')) : null;
    };
    const idOf = (name: string) =>
      name.startsWith('Cliënten per 1.000')
        ? 'clienten-per-1000-jeugdigen'
        : name.startsWith('Cliënten')
          ? 'clienten'
          : name.startsWith('Kosten per cliënt')
            ? 'kosten-per-client'
            : name.startsWith('Aandeel kosten via verwijzer: ')
              ? `verwijzer-${Object.entries(REFERRERS).find(([, l]) => name.endsWith(`: ${l}`))?.[0] ?? '?'}`
              : null;
    const close = (a: number, b: number, id: string) =>
      Math.abs(a - b) <= (id === 'kosten-per-client' ? 0.011 : id === 'clienten' ? 0 : 0.051);
    let points = 0;
    let a4Kpis = 0;
    const latest = devMonthOf((await w.status()).lastDeclarationDate ?? '');
    for (const m of munis) {
      const url = `/kpi?municipality=${m.code}`;
      const body = (await raad.get(url)).body.replace(/&nbsp;|\u00a0/g, ' ');
      // Entered: as entered (the partner's figure, the Rekenkamer's tables).
      const enteredPart = /<caption>Aangeleverde KPI's[\s\S]*?<\/table>/.exec(body)?.[0] ?? '';
      if (m.code === '0482' && !/37 dagen/.test(enteredPart))
        failures.push(`${url}: the partner's entered figure (37 dagen) not shown`);
      const computed = /<caption>Berekend uit de declaraties[\s\S]*?<\/table>/.exec(body)?.[0] ?? '';
      for (const row of computed.matchAll(
        /<tr><th scope="row">([^<]*)[\s\S]*?<\/th><td>([^<]*)<\/td>([\s\S]*?)<\/tr>/g,
      )) {
        const [name, scopeName, rest] = [at(row, 1), at(row, 2), at(row, 3)];
        const id = idOf(name);
        const code = scopeName === 'Regio' ? 'regio' : scopeName === m.name ? m.code : null;
        if (!id || !code) continue;
        const def = defs.find(
          (d) => d.id === id && (d.scope.kind === 'region' ? 'regio' : d.scope.municipality) === code,
        );
        const cells = [...rest.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => at(c, 1));
        const shownPoints: { y: number; value: number | null }[] = [];
        for (const pt of (cells[5] ?? '').matchAll(
          /<span title="([^"]*)">(\d{4}): (?:<span class="light ([a-z]+)"[^>]*>)?([^<]*)/g,
        )) {
          const [title, light, y, text] = [at(pt, 1), pt[3] ?? '', Number(at(pt, 2)), strip(at(pt, 4))];
          const want = expected(id, code, y);
          const where = `${url} ${name} (${code}) ${y}`;
          points++;
          const shown = isHidden(text.trim()) || text.trim() === '–' ? null : nlValue(text);
          if (want === null && shown !== null) failures.push(`${where}: ${text} shown, hidden in the published cells`);
          if (want !== null && (shown === null || !close(shown, want, id)))
            failures.push(`${where}: ${text}, from the published cells ${want}`);
          // Every norm gives one light for any figure: a light (or its title) where the published figure is
          // hidden comes from the exact one.
          const wantLight = def && want !== null ? (id.startsWith('verwijzer-') ? 'rood' : 'oranje') : '';
          if (light !== wantLight || title !== (wantLight || 'geen norm'))
            failures.push(`${where}: light "${light}" (title "${title}"), from the published figure "${wantLight}"`);
          shownPoints.push({ y, value: want });
        }
        // The trend: from the last two published figures.
        const known = shownPoints.filter((p) => p.value !== null);
        const [a, b] = [known.at(-2)?.value, known.at(-1)?.value];
        const dir = id.startsWith('verwijzer-') ? 'higher' : 'lower';
        const wantTrend =
          a == null || b == null ? '–' : a === b ? 'gelijk' : b < a === (dir === 'lower') ? 'beter' : 'slechter';
        const trend = strip(cells[4] ?? '');
        if (trend !== wantTrend)
          failures.push(`${url} ${name} (${code}): trend ${trend}, from the published figures ${wantTrend}`);
      }
      // The A4: its KPIs (yearly ones of the year before) from the published cells of that year. Read from the
      // data the route renders (the same function and options; the route caches its A4 per import).
      if ((await raad.get(`/gemeente/${m.code}/a4`)).statusCode !== 200) continue;
      const [d] = await a4Data(w, { month: latest, municipalities: [m.code], protect: true });
      for (const k of d?.kpis ?? []) {
        const id = idOf(k.name);
        const y = Number(k.period);
        if (!id || !Number.isInteger(y)) continue;
        a4Kpis++;
        const want = expected(id, m.code, y);
        const shown = nlValue(k.value);
        const where = `/gemeente/${m.code}/a4 ${k.name} (${k.period})`;
        if (want === null) failures.push(`${where}: ${k.value}, hidden in the published cells`);
        else if (
          shown === null ||
          Math.abs(shown - want) > (id === 'kosten-per-client' ? 1 : id === 'clienten' ? 0 : 0.051)
        )
          failures.push(`${where}: ${k.value}, from the published cells ${want}`);
        if (k.light !== (id.startsWith('verwijzer-') ? 'rood' : 'oranje'))
          failures.push(`${where}: light ${k.light ?? ''}`);
      }
    }
    expect(points).toBeGreaterThan(20);
    expect(a4Kpis).toBeGreaterThan(3);
    expect(failures).toEqual([]);
  }, 300_000);
});

/** Every number of a JSON value, with its key (amounts in cents end in `Cents`). */
function jsonNumbers(x: unknown, key = ''): { key: string; value: number }[] {
  if (typeof x === 'number') return [{ key, value: x }];
  if (Array.isArray(x)) return x.flatMap((v) => jsonNumbers(v, key));
  if (x && typeof x === 'object') return Object.entries(x).flatMap(([k, v]) => jsonNumbers(v, k));
  return [];
}

/**
 * The figures of one answer wherever they stand, in cents, each with where it stood (each read both ways where
 * the unit is not written: a chart's data may be euros or cents): € amounts anywhere in the text — tables of
 * any kind, cards, `<dl>`, sentences, titles; the numbers of every JSON data block (the charts' data) and
 * `data-` attribute; of a JSON answer the fields in cents; of a CSV every amount with a decimal comma.
 */
function figuresOf(type: string, body: string): { cents: number; where: string; exact: boolean }[] {
  // exact: in cents or euros with their cents (within a euro of a target); else whole euros as shown.
  if (type.startsWith('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return [];
    }
    return jsonNumbers(parsed)
      .filter((n) => /cents$/i.test(n.key))
      .map((n) => ({ cents: n.value, where: `field ${n.key}`, exact: true }));
  }
  if (type.startsWith('text/csv'))
    return [...body.matchAll(/-?\d[\d.]*,\d\d\b/g)].map((m) => ({
      cents: Math.round(Number(m[0].replace(/\./g, '').replace(',', '.')) * 100),
      where: 'CSV',
      exact: true,
    }));
  const out = amountsIn(body).map((cents) => ({ cents, where: 'text', exact: false }));
  for (const b of body.matchAll(/<script type="application\/json"[^>]*>([\s\S]*?)<\/script>/g))
    for (const n of jsonNumbers(JSON.parse(at(b, 1))))
      out.push(
        { cents: n.value, where: `chart data ${n.key}`, exact: true },
        { cents: Math.round(n.value * 100), where: `chart data ${n.key} (euros)`, exact: true },
      );
  for (const a of body.matchAll(/\s(data-[a-z-]+)="([^"]*)"/g))
    for (const n of at(a, 2).matchAll(/-?\d+(?:\.\d+)?/g))
      out.push(
        { cents: Number(n[0]), where: at(a, 1), exact: true },
        { cents: Math.round(Number(n[0]) * 100), where: `${at(a, 1)} (euros)`, exact: true },
      );
  return out;
}

describe('attacker: a sweep over every answer a council member got (tables of any kind, cards, sentences, chart data, data- attributes, JSON, CSV)', () => {
  it('no figure anywhere gives back a hidden cell of the municipality the answer is about (of the region on a regional answer)', async () => {
    // Answers no attack above fetched: the API as CSV, and the routes listed as publishing no cell figures
    // (begroting.csv, the calendar, the municipalities, …), which the sweep holds to that.
    for (const q of ['by=municipality&year=2025', 'by=municipality,category&year=2025', 'by=provider&year=2024'])
      expect((await raad.get(`/api/costs?${q}&format=csv`)).statusCode).toBe(200);
    for (const url of NO_CELL_FIGURES) if (!url.includes(':')) await raad.get(url);
    const targets = (await hiddenTargets(YEARS)).filter((t) => t.cents > PROTECTING_CENTS);
    expect(targets.length).toBeGreaterThan(20);
    expect(seen.size).toBeGreaterThan(200);
    const failures: string[] = [];
    const kinds = new Map<string, number>();
    for (const [url, { type, body }] of seen) {
      const code = /\/gemeente\/(\d{4})|[?&]municipality=(\d{4})(?:&|$)/.exec(url);
      const scope = code ? (code[1] ?? code[2] ?? null) : null;
      // An answer about one municipality against its hidden cells; a regional one against the region's (its
      // rows per municipality are attacked above, page by page: against every municipality's cells, amounts
      // that are multiples of a tariff meet by chance).
      const mine = targets.filter((t) => t.municipality === scope);
      const figures = figuresOf(type, body);
      kinds.set(type.split(';')[0] ?? type, (kinds.get(type.split(';')[0] ?? type) ?? 0) + 1);
      // Counts of clients in words anywhere on a page: rounded to 5 (or hidden). A bare four-digit number
      // is a year (a count of thousands has its dot); partners' entered KPIs are their own figures, as entered.
      if (type.startsWith('text/html')) {
        const text = strip(
          body
            .replace(/<table\b[^>]*>(?:(?!<\/table>)[\s\S])*?Aangeleverde KPI[\s\S]*?<\/table>/g, ' ')
            .replace(/<table id="tabel[12]"[\s\S]*?<\/table>/g, ' ')
            .replace(/<[^>]+>/g, ' '),
        ).replace(/\s+/g, ' ');
        for (const c of text.matchAll(/(?<![\d.-])(\d[\d.]*) (?:cliënten|jeugdigen|toewijzingen)\b/g))
          if (!/^(19|20)\d\d$/.test(at(c, 1)) && num(at(c, 1)) % 5 !== 0)
            failures.push(`${url}: unrounded count "${c[0]}"`);
      }
      for (const f of figures)
        for (const t of mine)
          if (
            f.exact
              ? Math.abs(Math.abs(f.cents) - t.cents) <= EURO_CENTS
              : Math.abs(f.cents) === Math.round(t.cents / 100) * 100
          )
            failures.push(`${url}: ${f.cents} (${f.where}) gives back hidden cell ${t.where} (${t.cents})`);
    }
    expect([...kinds.keys()].sort()).toEqual(
      expect.arrayContaining(['application/json', 'text/calendar', 'text/csv', 'text/html']),
    );
    expect(failures).toEqual([]);
  }, 300_000);
});

/**
 * The routes the attacks above and below fetch (as registered in fastify), and the routes a council member
 * may reach that publish no figure derived from cells. A route raad can reach must be in one of the lists:
 * a new page without an attack fails the coverage test below.
 */
const ATTACKED = new Set([
  '/',
  '/gemeente/:code',
  '/gemeente/:code/uitsplitsing',
  '/gemeente/:code/a4',
  '/gemeente/:code/routes',
  '/vergelijken',
  '/verdeling',
  '/scenario',
  '/begroting',
  '/kpi',
  '/maatregelen',
  '/maatregelen/:id',
  '/api/costs',
  '/api/forecast',
  '/api/overview.csv',
  '/api/kostendrijvers',
  '/api/forecast/explain', // municipalities whose total is hidden are left out
  '/api/backtest', // idem
  '/gemeente/:code/a4.pdf',
  '/kostendrijvers',
  '/api/forecast/vintages', // municipalities whose total is hidden are left out
  '/besluitvorming/voorstel/:id',
]);
const NO_CELL_FIGURES = new Set([
  '/login', // the login form
  '/api/health', // liveness only
  '/static/grip-upload.js', // static scripts
  '/static/echarts-5.6.0.min.js',
  '/static/grip-charts.js',
  '/begrippen', // the glossary: definitions, no data
  '/besluitvorming', // the list of proposals: each one's total amount, dates and vote tally, no split
  '/api/municipalities', // names and CBS youth counts of the region's municipalities, no cells
  '/besluitvorming/kalender.ics', // meeting dates of proposals
  '/besluitvorming/toezeggingen', // commitments made to the council (text and dates)
  '/begroting.csv', // the entered budget lines (primitive budget and amendments), no realisation
]);
/**
 * Known gaps: raad can reach these and they show figures that rest on cells, but no attack covers them yet.
 * Each is a task; remove it from here when an attack above fetches it.
 */
const NOT_YET_ATTACKED = new Set<string>([]);

describe('attacker coverage: every page a council member can reach is attacked or publishes no cell figures', () => {
  it('lists every GET route raad may use in exactly one of the lists', () => {
    const raadRoutes = registeredRoutes(app)
      .filter((r) => r.method === 'GET' && (r.rule.roles === 'public' || r.rule.roles.includes('raad')))
      .map((r) => r.url);
    expect(raadRoutes.length).toBeGreaterThan(20);
    const listed = [...ATTACKED, ...NO_CELL_FIGURES, ...NOT_YET_ATTACKED];
    expect(
      raadRoutes.filter((u) => !listed.includes(u)),
      'raad-visible routes missing from the attack',
    ).toEqual([]);
    // The lists name real routes, and each route is in one list only.
    expect(listed.filter((u) => !raadRoutes.includes(u))).toEqual([]);
    expect(new Set(listed).size).toBe(listed.length);
    // The attacks of this file fetched every route on the attacked list (run the whole file).
    const pattern = (u: string) => new RegExp(`^${u.replace(/:[a-z]+/g, '[^/]+')}$`);
    expect([...ATTACKED].filter((u) => ![...fetched].some((f) => pattern(u).test(f)))).toEqual([]);
  });
});
