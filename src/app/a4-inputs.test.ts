/**
 * The web app caches an A4 per data version and per `a4Inputs` (web/pages/downloads.ts): what the A4 reads
 * besides the ledger — tables entered between imports, which bump no data version. An entered table the A4
 * starts reading and nobody adds to `a4Inputs` would show on the A4 only after the next import. These tests
 * watch the warehouse calls themselves: every read of the A4 (for an analyst and for a council) is either of
 * the ledger (covered by the data version) or one `a4Inputs` makes too; and entering a row in each table
 * `a4Inputs` reads changes what it returns.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestWarehouse } from '../ingest/testing/fixtures.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import type { StoredMeasure } from '../warehouse/types.js';
import { publishForecast } from './forecast.js';
import { a4Data, a4Inputs } from './reports.js';
import { importDeclarations, twoMunicipalityLines } from './testing/ledger.js';

/**
 * Reads whose results change only with the ledger: an import, or a write that bumps the data version (the
 * other half of the A4's cache key). A read the A4 makes that is neither here nor in `a4Inputs` fails below.
 */
const LEDGER = new Set<string>([
  'status',
  'dataVersion',
  'costs',
  'runoff',
  'driverInputs',
  'specialCaseRunoff',
  // The ledger's lines of the marked special cases: marking or unmarking one bumps the data version
  // (warehouse/sql/special-cases.ts).
  'markedCaseCosts',
]);

/** The warehouse, recording the name of every method called on it (by the app, not within the warehouse). */
function recording(w: Warehouse, calls: Set<string>): Warehouse {
  return new Proxy(w, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.add(String(key));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

const who = { enteredBy: 'analist', enteredAt: '2025-04-01T10:00:00.000Z' };
const measure: StoredMeasure = {
  id: 'M01',
  title: 'Specifiek beschikken',
  description: 'Toewijzen op product',
  owner: { kind: 'gemeente', municipality: '0482' },
  plan: { what: 'Pilot', start: '2024-07', end: null },
  status: 'in uitvoering',
  savingsPerYear: { 2025: 1_000_000 },
  oneOffCostsCents: 0,
  structuralCostsPerYearCents: 0,
  riskPercent: 0,
  scope: { municipalities: ['0482'], categories: ['45'], products: [], provider: null },
  enteredBy: 'analist',
  updatedAt: who.enteredAt,
};

let w: Warehouse | undefined;
const wh = () => {
  if (!w) throw new Error('no warehouse');
  return w;
};

beforeAll(async () => {
  w = await openTestWarehouse();
  const months = Array.from({ length: 15 }, (_, i) =>
    i < 12 ? `2024-${String(i + 1).padStart(2, '0')}` : `2025-0${i - 11}`,
  );
  await importDeclarations(
    w,
    twoMunicipalityLines(months, () => 100_000),
  );
  // Something in every entered table the A4 reads, so that reads made only when there is data happen too.
  await w.saveSteering({
    budgetEntries: [
      {
        municipality: '0482',
        year: 2025,
        categoryGroup: null,
        kind: 'primitief',
        date: '2024-11-12',
        decisionReference: 'Begroting 2025',
        amountCents: 40_000_000,
        description: null,
        ...who,
      },
    ],
    localProvisions: [
      {
        municipality: '0482',
        year: 2025,
        provision: 'CJG',
        date: '2024-11-12',
        amountCents: 1_000_000,
        description: null,
        ...who,
      },
    ],
    measures: [measure],
    savingsTargets: [{ municipality: '0482', year: 2025, amountCents: 2_000_000, description: null, ...who }],
    kpiDefinitions: [
      {
        id: 'wachttijd',
        name: 'Wachttijd',
        unit: 'dagen',
        direction: 'lower',
        target: 42,
        critical: 60,
        scope: { kind: 'municipality', municipality: '0482' },
      },
    ],
    kpiValues: [{ kpiId: 'wachttijd', scope: '0482', period: '2025-03-31', value: 40, ...who }],
  });
  await publishForecast(w, { year: 2025, asOf: '2025-02-28', by: 'test', label: 'Stand februari' });
  await w.addSpecialCase({
    municipality: '0482',
    kind: 'family',
    subject: 'g_test',
    provider: null,
    reason: 'Gezin in verblijf',
    from: '2025-01',
    to: null,
    ...who,
  });
}, 120_000);

afterAll(async () => {
  await w?.close();
});

describe('a4Inputs, the A4 cache’s key besides the data version', () => {
  it('holds every table the A4 reads that an import does not write', async () => {
    const inputs = new Set<string>();
    await a4Inputs(recording(wh(), inputs), 2025);
    const missing: string[] = [];
    for (const protect of [false, true]) {
      const read = new Set<string>();
      const [d] = await a4Data(recording(wh(), read), { month: '2025-03', municipalities: ['0482'], protect });
      expect(d?.costsToDateCents, `protect ${String(protect)}`).toBe(3 * (20 * 100_000 + 15 * 80_000));
      expect(read.size).toBeGreaterThan(LEDGER.size);
      for (const m of read) if (!LEDGER.has(m) && !inputs.has(m)) missing.push(`${m} (protect ${String(protect)})`);
    }
    expect(missing, 'read by the A4, neither ledger nor in a4Inputs').toEqual([]);
  }, 120_000);

  it('changes when a row is entered in each table it reads', async () => {
    const key = async () => JSON.stringify(await a4Inputs(wh(), 2025));
    const entries: [string, () => Promise<unknown>][] = [
      [
        'budget',
        () =>
          wh().saveSteering({
            budgetEntries: [
              {
                municipality: '0505',
                year: 2025,
                categoryGroup: null,
                kind: 'primitief',
                date: '2024-11-12',
                decisionReference: 'Begroting 2025',
                amountCents: 50_000_000,
                description: null,
                ...who,
              },
            ],
          }),
      ],
      [
        'local provision',
        () =>
          wh().saveSteering({
            localProvisions: [
              {
                municipality: '0505',
                year: 2025,
                provision: 'CJG',
                date: '2025-03-01',
                amountCents: 2_000_000,
                description: null,
                ...who,
              },
            ],
          }),
      ],
      ['measure', () => wh().saveSteering({ measures: [{ ...measure, id: 'M02', title: 'Tweede' }] })],
      [
        'savings target',
        () =>
          wh().saveSteering({
            savingsTargets: [{ municipality: '0505', year: 2025, amountCents: 3_000_000, description: null, ...who }],
          }),
      ],
      [
        'KPI value',
        () =>
          wh().saveSteering({
            kpiValues: [{ kpiId: 'wachttijd', scope: '0482', period: '2025-03-31', value: 44, ...who }],
          }),
      ],
      ['region name', () => wh().setRegionName('Testregio')],
      ['forecast vintage', () => publishForecast(wh(), { year: 2025, asOf: '2025-03-31', by: 'test', label: 'Maart' })],
      [
        'special case',
        () =>
          wh().addSpecialCase({
            municipality: '0505',
            kind: 'family',
            subject: 'g_ander',
            provider: null,
            reason: 'Ander gezin',
            from: '2025-02',
            to: null,
            ...who,
          }),
      ],
    ];
    const unchanged: string[] = [];
    for (const [name, enter] of entries) {
      const before = await key();
      await enter();
      if ((await key()) === before) unchanged.push(name);
    }
    expect(unchanged).toEqual([]);
  }, 120_000);
});
