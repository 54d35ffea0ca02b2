import { afterEach, describe, expect, it } from 'vitest';
import { ENGINES, freshWarehouse } from '../testing/engines.js';
import type { Warehouse } from '../warehouse.js';
import type { BudgetEntryInput, StoredMeasure } from '../types.js';

const who = { enteredBy: 'analist', enteredAt: '2025-01-15T10:00:00.000Z' };

const primitive: BudgetEntryInput = {
  municipality: '0482',
  year: 2025,
  categoryGroup: null,
  kind: 'primitief',
  date: '2024-11-12',
  decisionReference: 'Begroting 2025',
  amountCents: 540_000_000,
  description: 'Primaire begroting',
  ...who,
};

const measure: StoredMeasure = {
  id: 'M01',
  title: 'Specifiek beschikken',
  description: 'Toewijzen op product in plaats van op categorie',
  owner: { kind: 'gemeente', municipality: '0482' },
  plan: { what: 'Pilot in Alblasserdam', start: '2025-03', end: '2026-12' },
  status: 'in uitvoering',
  savingsPerYear: { 2025: 12_000_000, 2026: 15_000_000 },
  oneOffCostsCents: 1_000_000,
  oneOffYear: 2025,
  structuralCostsPerYearCents: 500_000,
  riskPercent: 25.5,
  scope: { municipalities: ['0482'], categories: ['45'], products: ['45A03', '45A04'], provider: '12345678' },
  enteredBy: 'analist',
  updatedAt: '2025-01-15T10:00:00.000Z',
};

describe.each(ENGINES)('steering storage on %s', (engine) => {
  let w: Warehouse | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it('keeps the budget history: entries are appended, never overwritten', async () => {
    w = await freshWarehouse(engine);
    await w.saveSteering({ budgetEntries: [primitive] });
    await w.saveSteering({
      budgetEntries: [
        {
          ...primitive,
          kind: 'wijziging',
          date: '2025-07-03',
          decisionReference: 'AB 2025-07',
          amountCents: -25_000_000,
          description: null,
          categoryGroup: 'verblijf',
        },
        { ...primitive, municipality: '0505', amountCents: 3_100_000_000 },
      ],
    });
    const all = await w.budgetEntries();
    expect(all.map((e) => [e.id, e.municipality, e.kind, e.date, e.amountCents, e.categoryGroup])).toEqual([
      [1, '0482', 'primitief', '2024-11-12', 540_000_000, null],
      [2, '0482', 'wijziging', '2025-07-03', -25_000_000, 'verblijf'],
      [3, '0505', 'primitief', '2024-11-12', 3_100_000_000, null],
    ]);
    expect(all[0]).toEqual({ id: 1, ...primitive });
    expect((await w.budgetEntries({ upTo: '2025-06-30', municipalities: ['0482'] })).map((e) => e.id)).toEqual([1]);
    expect(await w.budgetEntries({ year: 2024 })).toEqual([]);
    expect(await w.budgetEntries({ municipalities: [] })).toEqual([]);
  });

  it('writes a batch all or nothing', async () => {
    w = await freshWarehouse(engine);
    await w.saveSteering({ budgetEntries: [primitive] });
    const before = await w.budgetEntries();
    await expect(
      w.saveSteering({
        budgetEntries: [{ ...primitive, municipality: '0505' }],
        // NOT NULL violated: nothing of this batch may remain
        kpiValues: [
          {
            kpiId: 'k',
            scope: 'regio',
            period: '2025',
            value: 1,
            enteredBy: null as unknown as string,
            enteredAt: who.enteredAt,
          },
        ],
      }),
    ).rejects.toThrow();
    expect(await w.budgetEntries()).toEqual(before);
    expect(await w.kpiValues()).toEqual([]);
  });

  it('round-trips a measure with its savings per year and scope; saving again replaces it', async () => {
    w = await freshWarehouse(engine);
    const regional: StoredMeasure = {
      ...measure,
      id: 'M02',
      owner: { kind: 'SOJ' },
      scope: { municipalities: [], categories: [], products: [], provider: null },
      plan: { what: 'x', start: '2025-01', end: null },
      savingsPerYear: {},
    };
    const { oneOffYear: _drop, ...noOneOffYear } = {
      ...measure,
      id: 'M03',
      owner: { kind: 'overig' as const, name: 'Jongerenwerk' },
    };
    await w.saveSteering({ measures: [measure, regional, noOneOffYear] });
    expect(await w.measures()).toEqual([measure, regional, noOneOffYear]);
    await w.saveSteering({ measures: [{ ...measure, status: 'gerealiseerd', savingsPerYear: { 2025: 1 } }] });
    expect(await w.measures({ ids: ['M01'] })).toEqual([
      { ...measure, status: 'gerealiseerd', savingsPerYear: { 2025: 1 } },
    ]);
  });

  it('stores savings targets per municipality or region; a new one for the same scope and year replaces it', async () => {
    w = await freshWarehouse(engine);
    await w.saveSteering({
      savingsTargets: [
        { municipality: '0482', year: 2025, amountCents: 20_000_000, description: 'seed 003', ...who },
        { municipality: null, year: 2025, amountCents: 500_000_000, description: null, ...who },
      ],
    });
    await w.saveSteering({
      savingsTargets: [{ municipality: '0482', year: 2025, amountCents: 25_000_000, description: null, ...who }],
    });
    expect((await w.savingsTargets({ year: 2025 })).map((t) => [t.municipality, t.amountCents])).toEqual([
      ['0482', 25_000_000],
      [null, 500_000_000],
    ]);
  });

  it('stores KPI definitions and values; a later value for the same period supersedes, history stays', async () => {
    w = await freshWarehouse(engine);
    const def = {
      id: 'sjt-wachttijd',
      name: 'Wachttijd SJT',
      unit: 'dagen',
      direction: 'lower' as const,
      target: 42,
      critical: 60.5,
      scope: { kind: 'municipality' as const, municipality: '0482' },
      source: 'SJT',
    };
    const bare = {
      id: 'sjt-wachttijd',
      name: 'Wachttijd SJT',
      unit: 'dagen',
      direction: 'lower' as const,
      target: null,
      critical: null,
      scope: { kind: 'region' as const },
    };
    await w.saveSteering({
      kpiDefinitions: [def, bare],
      kpiValues: [
        { kpiId: 'sjt-wachttijd', scope: '0482', period: '2019-04-30', value: 36, ...who },
        { kpiId: 'sjt-wachttijd', scope: '0482', period: '2019-08-31', value: 113, ...who },
        { kpiId: 'sjt-wachttijd', scope: 'regio', period: '2019-04-30', value: null, ...who },
      ],
    });
    await w.saveSteering({
      kpiValues: [
        {
          kpiId: 'sjt-wachttijd',
          scope: '0482',
          period: '2019-04-30',
          value: 63,
          enteredBy: 'sjt',
          enteredAt: '2025-02-01T00:00:00.000Z',
        },
      ],
    });
    expect(await w.kpiDefinitions()).toEqual([def, bare]);
    expect((await w.kpiValues()).map((v) => [v.id, v.period, v.value])).toEqual([
      [1, '2019-04-30', 36],
      [2, '2019-08-31', 113],
      [3, '2019-04-30', null],
      [4, '2019-04-30', 63],
    ]);
    expect(
      (await w.kpiValues({ scopes: ['0482'], latestOnly: true })).map((v) => [v.period, v.value, v.enteredBy]),
    ).toEqual([
      ['2019-04-30', 63, 'sjt'],
      ['2019-08-31', 113, 'analist'],
    ]);
  });

  it('stores local-provision budget lines', async () => {
    w = await freshWarehouse(engine);
    await w.saveSteering({
      localProvisions: [
        {
          municipality: '0482',
          year: 2025,
          provision: 'CJG',
          date: '2024-11-12',
          amountCents: 65_000_000,
          description: null,
          ...who,
        },
      ],
    });
    expect(await w.localProvisions({ year: 2025 })).toEqual([
      {
        id: 1,
        municipality: '0482',
        year: 2025,
        provision: 'CJG',
        date: '2024-11-12',
        amountCents: 65_000_000,
        description: null,
        ...who,
      },
    ]);
  });
});
