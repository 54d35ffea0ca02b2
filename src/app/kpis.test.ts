import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENGINES, freshWarehouse } from '../warehouse/testing/engines.js';
import { at } from '../domain/indexing.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { importBudgetCsv } from './budgets.js';
import {
  cellKpiYears,
  importKpiCsv,
  kpiOverview,
  loadSeed004,
  parseKpiCsv,
  protectKpiPaths,
  saveKpis,
} from './kpis.js';
import { importDeclarations, type DeclarationSpec } from './testing/ledger.js';
import { openTestWarehouse } from '../ingest/testing/fixtures.js';
import { protectedYear } from './disclosure.js';
import { kpiScopeKey } from '../domain/steering/kpi.js';

const who = { enteredBy: 'analist', enteredAt: '2025-01-15T10:00:00.000Z' };

describe('KPI CSV: bad input', () => {
  const head = 'kpi,municipality,period,value,name,unit,direction,target,critical\n';
  it.each([
    [`${head}sjt-wachttijd,0482,2021-08-31,47,,,,,\n`, 2, 'column kpi: KPI "sjt-wachttijd" for 0482 has no definition'],
    [
      `${head}sjt-wachttijd,0482,2021-08-31,47,W,dagen,down,,\n`,
      2,
      'column direction: "down" is not one of: lower, higher',
    ],
    [`${head}sjt-wachttijd,0482,augustus,47,W,dagen,lower,,\n`, 2, 'column period: "augustus" is not a period'],
    [`${head}sjt-wachttijd,0482,2021-08,veel,W,dagen,lower,,\n`, 2, 'column value: "veel" is not a number'],
    [
      `${head}sjt-wachttijd,0482,2021-08,4,W,dagen,lower,60,42\n`,
      2,
      'lower is better, so the target (60) must not exceed the critical value (42)',
    ],
    [`${head}Wachttijd,0482,2021-08,4,W,dagen,lower,,\n`, 2, 'column kpi: "Wachttijd" is not a KPI id'],
  ])('%#', (text, line, message) => {
    expect(() => parseKpiCsv(text, 'kpi.csv', who)).toThrow(message);
    try {
      parseKpiCsv(text, 'kpi.csv', who);
    } catch (e) {
      expect((e as { where: { file: string; line: number } }).where).toMatchObject({ file: 'kpi.csv', line });
    }
  });
});

describe.each(ENGINES)('KPIs on %s', (engine) => {
  let w: Warehouse;
  beforeEach(async () => {
    w = await freshWarehouse(engine);
  });
  afterEach(async () => {
    await w.close();
  });

  it('loads seed 004 tables 1 and 2 and shows them with their time path (no lights: no targets agreed)', async () => {
    // Tables 1 and 2: 3 series × 7 dates + 4 trajectories × 2 scopes × 3 years = 21 + 24 = 45 values.
    expect(await loadSeed004(w, who)).toEqual({ definitions: 11, values: 45 });
    expect(await loadSeed004(w, who)).toEqual({ definitions: 11, values: 0 });
    const o = await kpiOverview(w, { municipality: '0482', computed: false });
    const find = (id: string, scope: string) =>
      o.paths.find(
        (p) =>
          p.definition.id === id &&
          (p.definition.scope.kind === 'region' ? 'regio' : p.definition.scope.municipality) === scope,
      )!;
    const wait = find('sjt-wachttijd', '0482');
    // Table 1, Alblasserdam: 63, 113, 28, 54, 61, 44, 50 days.
    expect(wait.points.map((p) => [p.period, p.value])).toEqual([
      ['2019-04-30', 63],
      ['2019-08-31', 113],
      ['2019-12-31', 28],
      ['2020-04-30', 54],
      ['2020-08-31', 61],
      ['2020-12-31', 44],
      ['2021-04-30', 50],
    ]);
    expect(wait.latest).toEqual({ period: '2021-04-30', value: 50, light: null });
    expect(wait.trend).toBe('slechter'); // 44 → 50 days
    expect(find('sjt-wachttijd', 'regio').latest?.value).toBe(39);
    expect(find('sjt-wachttijd', 'regio').trend).toBe('beter'); // 42 → 39
    expect(find('sjt-wachtlijst', '0482').points.map((p) => p.value)).toEqual([28, 4, 5, 25, 19, 24, 18]);
    // Table 2, Toeleiding: Alblasserdam 41, 225, 76; region 72, 95, 76.
    expect(find('sjt-doorlooptijd-toeleiding', '0482').points.map((p) => [p.period, p.value])).toEqual([
      ['2019-04-30', 41],
      ['2020-04-30', 225],
      ['2021-04-30', 76],
    ]);
    expect(find('sjt-doorlooptijd-toeleiding', 'regio').points.map((p) => p.value)).toEqual([72, 95, 76]);
    expect(find('sjt-doorlooptijd-jeugd-en-gezinshulp', '0482').points.map((p) => p.value)).toEqual([605, 490, 341]);
    expect(o.paths.every((p) => p.origin === 'ingevoerd')).toBe(true);
  });

  it('a partner sets a target and enters values; a correction supersedes, the light follows', async () => {
    await importKpiCsv(
      w,
      'kpi,municipality,period,value,name,unit,direction,target,critical\nsjt-wachttijd,GM0482,2021-08-31,47,Wachttijd SJT,dagen,lower,42,60\nsjt-wachttijd,0482,2021-12-31,"61,5",,,,,\n',
      'sjt.csv',
      who,
    );
    await importKpiCsv(w, 'kpi;municipality;period;value\nsjt-wachttijd;0482;2021-12-31;41\n', 'correctie.csv', {
      enteredBy: 'sjt',
    });
    const p = at((await kpiOverview(w, { municipality: '0482', computed: false })).paths, 0);
    expect(p.definition).toMatchObject({ target: 42, critical: 60 });
    // 47: between target 42 and critical 60 → oranje; 41 (corrected from 61,5) ≤ 42 → groen.
    expect(p.points).toEqual([
      { period: '2021-08-31', value: 47, light: 'oranje' },
      { period: '2021-12-31', value: 41, light: 'groen' },
    ]);
    expect((await w.kpiValues()).map((v) => v.value)).toEqual([47, 61.5, 41]);
  });

  it('computes clients, cost per client, clients per 1.000 youths, referrer shares and the share at the front', async () => {
    await importDeclarations(w, [
      { municipality: '0482', month: '2024-03', amountCents: 100_000, client: 1, referrer: '02' },
      { municipality: '0482', month: '2024-04', amountCents: 300_000, client: 2, referrer: '01' },
      { municipality: '0505', month: '2024-04', amountCents: 600_000, client: 3, referrer: '01' },
    ]);
    await importBudgetCsv(
      w,
      'municipality,year,kind,date,amountEuros\n0482,2025,primitief,2024-11-12,4400000\n',
      'b.csv',
      who,
    );
    await w.saveSteering({
      localProvisions: [
        {
          municipality: '0482',
          year: 2025,
          provision: 'Stichting Jeugdteams',
          date: '2024-11-12',
          amountCents: 60_000_000,
          description: null,
          ...who,
        },
      ],
    });
    const o = await kpiOverview(w, { municipality: '0482' });
    const val = (id: string, scope = '0482') =>
      o.paths
        .find(
          (p) =>
            p.definition.id === id &&
            (p.definition.scope.kind === 'region' ? 'regio' : p.definition.scope.municipality) === scope,
        )
        ?.points.map((p) => [p.period, p.value, p.light]);
    expect(val('clienten')).toEqual([['2024', 2, null]]);
    expect(val('clienten', 'regio')).toEqual([['2024', 3, null]]);
    // € 4.000 / 2 clients = € 2.000; region € 10.000 / 3 = € 3.333,33
    expect(val('kosten-per-client')).toEqual([['2024', 2000, null]]);
    expect(val('kosten-per-client', 'regio')).toEqual([['2024', 3333.33, null]]);
    // Alblasserdam's approximate youths: 20.800 × 21,5% = 4.472 → 2 / 4.472 × 1000 = 0,447 → 0,4
    expect(val('clienten-per-1000-jeugdigen')).toEqual([['2024', 0.4, null]]);
    expect(val('verwijzer-02')).toEqual([['2024', 25, null]]);
    expect(val('verwijzer-01')).toEqual([['2024', 75, null]]);
    expect(val('verwijzer-01', 'regio')).toEqual([['2024', 90, null]]);
    // Seed 001: "Dat is nu 12 %": € 600.000 / (€ 600.000 + € 4.400.000) = 12% < target 25% → oranje
    expect(val('voorkant-aandeel')).toEqual([['2025', 12, 'oranje']]);
    expect(val('voorkant-aandeel', 'regio')).toEqual([['2025', 12, 'oranje']]);
  });

  it('a norm for a computed KPI on a line without a value keeps the computed KPI; an empty norm is no norm', async () => {
    await importDeclarations(w, [
      { municipality: '0482', month: '2024-03', amountCents: 100_000, client: 1 },
      { municipality: '0482', month: '2024-04', amountCents: 300_000, client: 2 },
    ]);
    const head = 'kpi,municipality,period,value,name,unit,direction,target,critical\n';
    const costPerClient = async () =>
      (await kpiOverview(w, { municipality: '0482' })).paths.find(
        (p) => p.definition.id === 'kosten-per-client' && kpiScopeKey(p.definition) === '0482',
      );
    // A controller sets the norm: the value is Grip's to compute, so the value column stays empty.
    await importKpiCsv(w, `${head}kosten-per-client,0482,2024,,Kosten per cliënt,€,lower,1500,2500\n`, 'norm.csv', who);
    let p = await costPerClient();
    expect(p?.origin).toBe('berekend');
    expect(p?.definition).toMatchObject({ target: 1500, critical: 2500 });
    // € 4.000 / 2 clients = € 2.000: above the target € 1.500, below the critical value € 2.500 (lower is better) → oranje.
    expect(p?.points).toEqual([{ period: '2024', value: 2000, light: 'oranje' }]);
    // The norm taken away (target and critical empty): the KPI stays, without a light.
    await importKpiCsv(w, `${head}kosten-per-client,0482,2024,,Kosten per cliënt,€,lower,,\n`, 'geen-norm.csv', who);
    p = await costPerClient();
    expect(p?.origin).toBe('berekend');
    expect(p?.points).toEqual([{ period: '2024', value: 2000, light: null }]);
    // An entered KPI keeps "empty = not known": its path shows the period without a value.
    await importKpiCsv(w, `${head}sjt-wachttijd,0482,2021-08-31,,Wachttijd SJT,dagen,lower,42,60\n`, 'sjt.csv', who);
    const sjt = (await kpiOverview(w, { municipality: '0482' })).paths.find((x) => x.definition.id === 'sjt-wachttijd');
    expect(sjt?.points).toEqual([{ period: '2021-08-31', value: null, light: null }]);
  });
});

describe('KPIs for aggregate roles (protectKpiPaths)', () => {
  let w: Warehouse;
  beforeEach(async () => {
    w = await openTestWarehouse();
  });
  afterEach(async () => {
    await w.close();
  });

  it('values, lights and trend from the protected cells: rounded counts, hidden totals hidden', async () => {
    // Hand case, € 1.000 per client: Alblasserdam 23 clients in 2024 and 24 in 2025 (both rounded to 25);
    // Dordrecht 50 in both years; Gorinchem 12 in 2024 and 4 in 2025 (under 10: hidden, and with it the
    // smallest other total of 2025, Hardinxveld-Giessendam's 15).
    const lines: DeclarationSpec[] = [];
    let client = 1;
    for (const [municipality, month, clients] of [
      ['0482', '2024-03', 23],
      ['0482', '2025-03', 24],
      ['0505', '2024-03', 50],
      ['0505', '2025-03', 50],
      ['0512', '2024-03', 12],
      ['0512', '2025-03', 4],
      ['0523', '2025-03', 15],
    ] as const)
      for (let i = 0; i < clients; i++)
        lines.push({ municipality, month, amountCents: 100_000, client: municipality === '0482' ? i + 1 : client++ });
    await importDeclarations(w, lines);
    // A norm an analyst set: at most 24 clients is green, from 30 red (lower is better).
    await saveKpis(
      w,
      [
        {
          id: 'clienten',
          name: 'Cliënten',
          unit: 'cliënten',
          direction: 'lower',
          target: 24,
          critical: 30,
          scope: { kind: 'municipality', municipality: '0482' },
        },
      ],
      [],
    );
    const paths = (await kpiOverview(w)).paths;
    const years = new Map(
      await Promise.all(
        cellKpiYears(paths).map(async (y) => [String(y), await protectedYear((q) => w.costs(q), y)] as const),
      ),
    );
    expect([...years.keys()]).toEqual(['2024', '2025']);
    const shown = protectKpiPaths(paths, years, () => 5_000);
    const path = (id: string, code: string) =>
      shown.find((p) => p.definition.id === id && kpiScopeKey(p.definition) === code);
    const exact = paths.find((p) => p.definition.id === 'clienten' && kpiScopeKey(p.definition) === '0482');
    // Exact: 23 → 24, both green, worse. Shown: 25 → 25, both orange (above 24), the same.
    expect(exact?.points.map((p) => [p.value, p.light])).toEqual([
      [23, 'groen'],
      [24, 'groen'],
    ]);
    expect(exact?.trend).toBe('slechter');
    const c = path('clienten', '0482');
    expect(c?.points.map((p) => [p.period, p.value, p.light])).toEqual([
      ['2024', 25, 'oranje'],
      ['2025', 25, 'oranje'],
    ]);
    expect(c?.trend).toBe('gelijk');
    expect([...(c?.hidden ?? [])]).toEqual([]);
    // Cost per client: the published amount over the rounded count, € 23.000 / 25 = € 920 and € 24.000 / 25 =
    // € 960 (not the exact € 1.000, which with the amount gives the count back); per 1.000 youths: 25 / 5.000 × 1000.
    expect(path('kosten-per-client', '0482')?.points.map((p) => p.value)).toEqual([920, 960]);
    expect(path('clienten-per-1000-jeugdigen', '0482')?.points.map((p) => p.value)).toEqual([5, 5]);
    // Gorinchem's 2025 (4 clients) is hidden: no value, no trend; 2024 (12, rounded 10) is shown.
    const g = path('clienten', '0512');
    expect(g?.points.map((p) => p.value)).toEqual([10, null]);
    expect([...(g?.hidden ?? [])]).toEqual(['2025']);
    expect(g?.trend).toBeNull();
  });
});
