import { afterEach, describe, expect, it } from 'vitest';
import { openTestWarehouse, tempDir, writeFile } from '../../ingest/testing/fixtures.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { loadDemoSteering, loadDemoTariffs } from './demo.js';

let w: Warehouse | null = null;
afterEach(async () => {
  await w?.close();
  w = null;
});

describe('grip demo: example steering data', () => {
  it('loads the example budgets, measures and KPIs once, into a warehouse without budgets', async () => {
    w = await openTestWarehouse();
    expect(await loadDemoSteering(w)).toBe(true);
    // examples/begroting-2025.csv: a primitive budget for each of the 10 municipalities of the region.
    const budgets = await w.budgetEntries();
    expect(new Set(budgets.filter((b) => b.kind === 'primitief').map((b) => b.municipality)).size).toBe(10);
    expect((await w.measures()).length).toBeGreaterThan(0);
    expect((await w.kpiValues({ latestOnly: true })).some((v) => v.kpiId === 'sjt-wachttijd')).toBe(true);
    // Seed 002: the 2020 amendment of € 6.6M with the ten councils' views.
    const c = await w.decisionCase('soj-bw-2020');
    expect(c?.zienswijzen.length).toBe(10);
    // A second demo run leaves them alone.
    expect(await loadDemoSteering(w)).toBe(false);
    expect((await w.budgetEntries()).length).toBe(budgets.length);
  });
});

describe('grip demo: the generated tariff list', () => {
  it('loads <data>/tarieven.csv once, into a warehouse without tariffs; a folder without one loads nothing', async () => {
    w = await openTestWarehouse();
    const dir = tempDir();
    expect(await loadDemoTariffs(w, dir)).toBe(0);
    writeFile(dir, 'tarieven.csv', 'provider,productCategory,productCode,unit,tariffCents,validFrom,validTo\n*,45,45A03,04,8500,2024-01-01,2024-12-31\n*,45,45A03,04,8755,2025-01-01,\n');
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
