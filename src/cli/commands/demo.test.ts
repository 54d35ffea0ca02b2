import { afterEach, describe, expect, it } from 'vitest';
import { openTestWarehouse, tempDir, writeFile } from '../../ingest/testing/fixtures.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { budgetsFor, exampleBudgets, importBudgetCsv } from '../../app/budgets.js';
import { reportKpis } from '../../app/reports.js';
import type { Manifest } from '../../generate/index.js';
import { loadDemoProviders, loadDemoSteering, loadDemoTariffs } from './demo.js';

let w: Warehouse | null = null;
afterEach(async () => {
  await w?.close();
  w = null;
});

/**
 * A region's truth as the generator's manifest gives it: ten municipalities, costs growing 11% a year from
 * € 4 mln (+ € 0,5 mln per municipality); declared up to 30 June 2026.
 */
const CODES = ['0482', '0505', '0512', '0523', '0531', '1963', '1978', '0590', '0610', '0642'];
const TRUTH_EUROS = (i: number, y: number) => (4_000_000 + 500_000 * i) * Math.pow(1.11, y - 2022);
const MANIFEST = {
  options: { seed: 1, years: [2022, 2026], scale: 'region', format: 'xml', cutoff: '2026-06-30' },
  truth: Object.fromEntries(
    CODES.map((c, i) => [
      c,
      {
        years: Object.fromEntries(
          [2022, 2023, 2024, 2025, 2026].map((y) => [String(y), Math.round(TRUTH_EUROS(i, y) * 100)]),
        ),
        months: {},
      },
    ]),
  ),
} as unknown as Manifest;

describe('grip demo: steering data that fits the generated region', () => {
  it('budgets for every year: a primitive budget from last year plus indexation, amendments at the Buraps up to the cut-off', async () => {
    w = await openTestWarehouse();
    expect(await loadDemoSteering(w, MANIFEST)).toBe(true);
    const entries = await w.budgetEntries();
    for (const y of [2022, 2023, 2024, 2025, 2026]) {
      const prim = entries.filter((b) => b.year === y && b.kind === 'primitief');
      expect(prim.map((b) => b.municipality).sort()).toEqual([...CODES].sort());
      expect(new Set(prim.map((b) => b.date))).toEqual(new Set([`${y - 1}-11-12`]));
      const budgets = await budgetsFor(w, y);
      const off = CODES.map((c, i) => (TRUTH_EUROS(i, y) * 100 - budgets.get(c)!) / (TRUTH_EUROS(i, y) * 100));
      // Plausible: every municipality within 10% of what it spends; not all on the same side.
      for (const o of off) expect(Math.abs(o)).toBeLessThan(0.1);
      if (y < 2026) expect(off.some((o) => o > 0.005) && off.some((o) => o < 0.005)).toBe(true);
    }
    // The primitive budget of 2024 rests on the realisation of 2023 (× indexation 2,2–4,2% and 4% volume, ±6%).
    const p2024 = entries.find((b) => b.year === 2024 && b.kind === 'primitief' && b.municipality === '0505')!;
    const ratio = p2024.amountCents / (TRUTH_EUROS(1, 2023) * 100);
    expect(ratio).toBeGreaterThan(1.022 * 1.04 * 0.94);
    expect(ratio).toBeLessThan(1.042 * 1.04 * 1.06);
    // Amendments only at the Buraps and only up to the cut-off (30 June 2026: none yet in 2026).
    const amendments = entries.filter((b) => b.kind === 'wijziging');
    expect(amendments.length).toBeGreaterThan(0);
    for (const a of amendments) expect([`${a.year}-07-09`, `${a.year}-11-12`]).toContain(a.date);
    expect(amendments.filter((a) => a.year === 2026)).toEqual([]);
    // Every entry says it is an example.
    for (const b of entries) expect(`${b.decisionReference} ${b.description}`).toMatch(/VOORBEELD/);
    expect((await w.localProvisions({ year: 2026 })).length).toBe(10);
    // Measures and a savings target for the recent years.
    expect((await w.measures()).length).toBeGreaterThanOrEqual(6);
    expect((await w.savingsTargets({ year: 2026 })).map((t) => [t.municipality, t.amountCents])).toEqual([
      ['0482', 200_000_00],
    ]);
    // KPI figures up to the cut-off: the Rekenkamer's up to April 2021, examples after it.
    const periods = (await w.kpiValues({ kpiId: 'sjt-wachttijd', scopes: ['0482'], latestOnly: true }))
      .map((v) => v.period)
      .sort();
    expect(periods[0]).toBe('2019-04-30');
    expect(periods[periods.length - 1]).toBe('2026-04-30');
    expect(
      (await w.kpiDefinitions()).find((d) => d.id === 'sjt-wachttijd' && d.scope.kind === 'municipality')!.source,
    ).toMatch(/VOORBEELD/);
    // The throughput times (the report's table 2, measured on 30 April) run on to 2026 too, as examples.
    const toegang = (await w.kpiValues({ kpiId: 'sjt-doorlooptijd-toegang', scopes: ['regio'], latestOnly: true }))
      .map((v) => v.period)
      .sort();
    expect(toegang).toEqual([
      '2019-04-30',
      '2020-04-30',
      '2021-04-30',
      '2022-04-30',
      '2023-04-30',
      '2024-04-30',
      '2025-04-30',
      '2026-04-30',
    ]);
    expect(
      (await w.kpiDefinitions()).find((d) => d.id === 'sjt-doorlooptijd-toegang' && d.scope.kind === 'region')!.source,
    ).toMatch(/VOORBEELD/);
    // The 2020 amendment case with the ten councils' views.
    expect((await w.decisionCase('soj-bw-2020'))?.zienswijzen.length).toBe(10);
    // Where they show, they are marked as examples: every municipality's budget, the KPI figures on the A4.
    expect([...(await exampleBudgets(w, 2026))].sort()).toEqual([...CODES].sort());
    const a4Kpis = (await reportKpis(w, 2026, '2026-06-30')).get('0482') ?? [];
    expect(a4Kpis.find((k) => k.name === 'Wachttijd SJT')).toMatchObject({ period: '30-04-2026', example: true });
    // A second demo run leaves them alone.
    expect(await loadDemoSteering(w, MANIFEST)).toBe(false);
    expect((await w.budgetEntries()).length).toBe(entries.length);
  });
});

describe('grip demo: the region', () => {
  it('stores the name of the generated region from the manifest, once', async () => {
    w = await openTestWarehouse();
    expect(await loadDemoSteering(w, { ...MANIFEST, region: { name: 'Testregio' } })).toBe(true);
    expect(await w.regionName()).toBe('Testregio');
    await w.setRegionName('Hernoemd');
    expect(await loadDemoSteering(w, { ...MANIFEST, region: { name: 'Testregio' } })).toBe(false);
    expect(await w.regionName()).toBe('Hernoemd');
  });
});

describe('example marks', () => {
  it('a budget entered without the word voorbeeld is not marked', async () => {
    w = await openTestWarehouse();
    await importBudgetCsv(
      w,
      'municipality,year,kind,date,amountEuros,decisionReference\nGM0482,2026,primitief,2025-11-12,5400000,Begroting 2026\n',
      'begroting.csv',
      { enteredBy: 'test' },
    );
    expect(await exampleBudgets(w, 2026)).toEqual(new Set());
    await importBudgetCsv(
      w,
      'municipality,year,kind,date,amountEuros,decisionReference\nGM0482,2026,wijziging,2026-07-09,100000,VOORBEELD 1e bestuursrapportage\n',
      'wijziging.csv',
      { enteredBy: 'test' },
    );
    expect(await exampleBudgets(w, 2026)).toEqual(new Set(['0482']));
    // As known before the amendment, the budget is a real one.
    expect(await exampleBudgets(w, 2026, undefined, '2026-06-30')).toEqual(new Set());
  });
});

describe('grip demo: the generated provider register', () => {
  it('loads <data>/aanbieders.csv once', async () => {
    w = await openTestWarehouse();
    const dir = tempDir();
    expect(await loadDemoProviders(w, dir)).toBe(0);
    writeFile(
      dir,
      'aanbieders.csv',
      'agb,name,kvk,careType\n41000000,Jeugdhulp De Linde,,Ambulante jeugdhulp\n41000037,Stichting Het Anker,,\n',
    );
    expect(await loadDemoProviders(w, dir)).toBe(2);
    expect(await loadDemoProviders(w, dir)).toBe(0);
    expect((await w.providers()).map((p) => p.name)).toEqual(['Jeugdhulp De Linde', 'Stichting Het Anker']);
  });
});

describe('grip demo: the generated tariff list', () => {
  it('loads <data>/tarieven.csv once, into a warehouse without tariffs; a folder without one loads nothing', async () => {
    w = await openTestWarehouse();
    const dir = tempDir();
    expect(await loadDemoTariffs(w, dir)).toBe(0);
    writeFile(
      dir,
      'tarieven.csv',
      'provider,productCategory,productCode,unit,tariffCents,validFrom,validTo\n*,45,45A03,04,8500,2024-01-01,2024-12-31\n*,45,45A03,04,8755,2025-01-01,\n',
    );
    expect(await loadDemoTariffs(w, dir)).toBe(2);
    expect((await w.tariffs()).map((t) => [t.tariffCents, t.source, t.enteredBy])).toEqual([
      [8500, 'tarieven.csv', 'demo'],
      [8755, 'tarieven.csv', 'demo'],
    ]);
    // A second demo run leaves them alone.
    expect(await loadDemoTariffs(w, dir)).toBe(0);
    expect(await w.tariffs()).toHaveLength(2);
  });
});
