import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { ENGINES, freshWarehouse } from '../warehouse/testing/engines.js';
import { at } from '../domain/indexing.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { budgetCsv, budgetHistory, budgetsFor, budgetVsForecast, importBudgetCsv, parseBudgetCsv } from './budgets.js';
import { importDeclarations } from './testing/ledger.js';
import { errorOf } from './testing/errors.js';

const who = { enteredBy: 'analist', enteredAt: '2025-01-15T10:00:00.000Z' };

const PRIMITIVE_CSV = `municipality,year,kind,date,amountEuros,decisionReference,categoryGroup,description
GM0482,2025,primitief,2024-11-12,5400000,Begroting 2025,,Primaire begroting
0505,2025,primitief,2024-11-12,"31.000.000,00",Begroting 2025,,
`;
const AMENDMENTS_CSV = `municipality;year;kind;date;amountCents;decisionReference;categoryGroup
0482;2025;wijziging;2025-07-03;-25000000;AB juli 2025;verblijf
0482;2025;wijziging;2025-11-20;4000000;AB november 2025;
`;

describe('budget CSV: bad input is refused with file, line, column and reason', () => {
  const parse = (text: string) => errorOf(() => parseBudgetCsv(text, 'begroting.csv', who));
  const head = 'municipality,year,kind,date,amountCents\n';

  it.each([
    [
      `${head}0482,2025,primitief,2024-11-12,100\n9999x,2025,primitief,2024-11-12,100\n`,
      3,
      1,
      'column municipality: "9999x" is not a CBS municipality code',
    ],
    [`${head}0482,25,primitief,2024-11-12,100\n`, 2, 2, 'column year: "25" is not a year'],
    [
      `${head}0482,2025,begroting,2024-11-12,100\n`,
      2,
      3,
      'column kind: "begroting" is not one of: primitief, wijziging',
    ],
    [`${head}0482,2025,primitief,2024-02-30,100\n`, 2, 4, 'column date: "2024-02-30" is not a date'],
    [
      `${head}0482,2025,primitief,2024-11-12,12.50\n`,
      2,
      5,
      'column amountCents: "12.50" is not a whole number of eurocents',
    ],
    [`${head}0482,2025,primitief,2024-11-12,-100\n`, 2, 5, 'column amountCents: a primitive budget cannot be negative'],
    [`${head}0482,2025,wijziging,2024-11-12,100\n`, 2, 3, 'needs a primitive budget first'],
    [
      `${head}0482,2025,primitief,2024-11-12,100\n\n0482,2025,primitief,2025-01-12,100\n`,
      4,
      3,
      'already has a primitive budget',
    ],
    [
      `municipality,year,kind,date,amountEuros,categoryGroup\n0482,2025,primitief,2024-11-12,"1.000,5x",\n`,
      2,
      5,
      'column amountEuros: "1.000,5x" is not an amount in euros',
    ],
    [
      `municipality,year,kind,date,amountEuros,categoryGroup\n0482,2025,primitief,2024-11-12,10,jeugdzorg\n`,
      2,
      6,
      'column categoryGroup: "jeugdzorg" is not a category group',
    ],
  ])('%#', (text, line, column, message) => {
    const e = parse(text);
    expect(e.where).toEqual({ file: 'begroting.csv', line, column });
    expect(e.message).toContain(message);
    expect(e.describe()).toMatch(new RegExp(`^begroting\\.csv:${line}: `));
  });

  it.each([
    ['municipality,year,kind,date\n', 'give exactly one of the columns amountCents or amountEuros'],
    [
      'municipality,year,kind,date,amountCents,amountEuros\n',
      'give exactly one of the columns amountCents or amountEuros',
    ],
    ['municipality,year,kind,amountCents\n', 'missing column "date"'],
    ['municipality,year,kind,date,amountCents,bedrag\n', 'column 6: unknown column "bedrag"'],
  ])('header: %s', (text, message) => {
    const e = parse(text);
    expect(e.code).toBe('CSV_HEADER');
    expect(e.where.line).toBe(1);
    expect(e.message).toContain(message);
  });

  it('a line with too few fields, and broken quoting', () => {
    expect(parse(`${head}0482,2025,primitief\n`).where).toEqual({ file: 'begroting.csv', line: 2 });
    expect(parse(`${head}0482,2025,primitief,2024-11-12,"100\n`).code).toBe('CSV_MALFORMED');
  });
});

describe.each(ENGINES)('budgets on %s', (engine) => {
  let w: Warehouse | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it('keeps the history: current budget = primitive + Σ amendments up to a date', async () => {
    w = await freshWarehouse(engine);
    expect(await importBudgetCsv(w, PRIMITIVE_CSV, 'primair.csv', who)).toBe(2);
    expect(await importBudgetCsv(w, AMENDMENTS_CSV, 'wijzigingen.csv', who)).toBe(2);
    // 0482: € 5.400.000 − € 250.000 + € 40.000 = € 5.190.000; 0505: € 31.000.000
    expect(await budgetsFor(w, 2025)).toEqual(
      new Map([
        ['0482', 519_000_000],
        ['0505', 3_100_000_000],
      ]),
    );
    expect(await budgetsFor(w, 2025, ['0482'], '2025-08-01')).toEqual(new Map([['0482', 515_000_000]]));
    expect(await budgetsFor(w, 2025, ['0482'], '2024-11-11')).toEqual(new Map());
    expect(await budgetsFor(w, 2024)).toEqual(new Map());
    const h = await budgetHistory(w, { year: 2025, municipality: '0482' });
    expect(
      h.map((r) => [r.kind, r.date, r.amountCents, r.budgetAfterCents, r.decisionReference, r.categoryGroup]),
    ).toEqual([
      ['primitief', '2024-11-12', 540_000_000, 540_000_000, 'Begroting 2025', null],
      ['wijziging', '2025-07-03', -25_000_000, 515_000_000, 'AB juli 2025', 'verblijf'],
      ['wijziging', '2025-11-20', 4_000_000, 519_000_000, 'AB november 2025', null],
    ]);
  });

  it('refuses a second import of the same file and a whole file with one bad line: nothing half-written', async () => {
    w = await freshWarehouse(engine);
    await importBudgetCsv(w, PRIMITIVE_CSV, 'primair.csv', who);
    await importBudgetCsv(w, AMENDMENTS_CSV, 'wijzigingen.csv', who);
    await expect(importBudgetCsv(w, AMENDMENTS_CSV, 'wijzigingen.csv', who)).rejects.toMatchObject({
      where: { file: 'wijzigingen.csv', line: 2, column: 3 },
      message: expect.stringContaining('this entry was already imported'),
    });
    const bad = `${AMENDMENTS_CSV.replace('-25000000', '-1').replace('4000000', '2')}0482;2025;wijziging;2025-13-01;5;x;\n`;
    await expect(importBudgetCsv(w, bad, 'slecht.csv', who)).rejects.toMatchObject({
      where: { file: 'slecht.csv', line: 4, column: 4 },
      message: expect.stringContaining('column date'),
    });
    expect((await w.budgetEntries()).length).toBe(4);
  });

  it('exports the history as CSV that imports into another warehouse unchanged', async () => {
    w = await freshWarehouse(engine);
    await importBudgetCsv(w, PRIMITIVE_CSV, 'primair.csv', who);
    await importBudgetCsv(w, AMENDMENTS_CSV, 'wijzigingen.csv', {
      enteredBy: 'controller',
      enteredAt: '2025-11-21T09:00:00.000Z',
    });
    const csv = await budgetCsv(w, { year: 2025 });
    expect(csv.split('\n')[0]).toBe(
      'municipality,year,kind,date,amountCents,decisionReference,categoryGroup,description,enteredBy,enteredAt',
    );
    expect(csv.split('\n')[1]).toBe(
      '0482,2025,primitief,2024-11-12,540000000,Begroting 2025,,Primaire begroting,analist,2025-01-15T10:00:00.000Z',
    );
    const other = await freshWarehouse('duckdb');
    try {
      await importBudgetCsv(other, csv, 'export.csv', { enteredBy: 'niemand' });
      const strip = (es: Awaited<ReturnType<Warehouse['budgetEntries']>>) => es.map(({ id: _id, ...e }) => e);
      expect(strip(await other.budgetEntries())).toEqual(strip(await w.budgetEntries()));
    } finally {
      await other.close();
    }
  });

  it('budget vs forecast: realised to date by hand, overrun = forecast − budget, region = Σ', async () => {
    w = await freshWarehouse(engine);
    // 2024: € 10.000 a month for 0482, € 30.000 for 0505 (history for the forecast); 2025 January–June the same.
    const lines = [];
    for (const year of [2024, 2025])
      for (let m = 1; m <= (year === 2024 ? 12 : 6); m++) {
        const month = `${year}-${String(m).padStart(2, '0')}`;
        lines.push({ municipality: '0482', month, amountCents: 1_000_000, client: 1 });
        lines.push({ municipality: '0505', month, amountCents: 3_000_000, client: 2 });
      }
    await importDeclarations(w, lines);
    await importBudgetCsv(
      w,
      'municipality,year,kind,date,amountCents\n0482,2025,primitief,2024-11-12,11000000\n',
      'b.csv',
      who,
    );
    const asOf = '2025-07-15';
    const r = await budgetVsForecast(w, 2025, asOf);
    expect(r.asOf).toBe(asOf);
    expect(r.municipalities.map((m) => m.municipality)).toEqual(['0482', '0505']);
    const a = at(r.municipalities, 0);
    const d = at(r.municipalities, 1);
    expect(a.name).toBe('Alblasserdam');
    expect(a.budgetCents).toBe(11_000_000);
    // Declared by 15 July 2025 for 2025: January–June, 6 × € 10.000 and 6 × € 30.000.
    expect(a.realisedCents).toBe(6_000_000);
    expect(d.realisedCents).toBe(18_000_000);
    expect(a.usedShare).toBeCloseTo(6 / 11, 12);
    expect(a.overrunCents).toBe(a.forecastCents - 11_000_000);
    expect(a.overrunLowCents).toBe(a.lowCents - 11_000_000);
    expect(a.overrunHighCents).toBe(a.highCents - 11_000_000);
    expect(a.lowCents).toBeLessThanOrEqual(a.forecastCents);
    expect(a.highCents).toBeGreaterThanOrEqual(a.forecastCents);
    expect(a.forecastCents).toBeGreaterThanOrEqual(a.realisedCents);
    expect(d.budgetCents).toBeNull();
    expect(d.overrunCents).toBeNull();
    expect(r.missingBudgets).toEqual(['0505']);
    expect(r.region.budgetCents).toBe(11_000_000);
    expect(r.region.overrunCents).toBeNull();
    expect(r.region.realisedCents).toBe(24_000_000);
    expect(r.region.forecastCents).toBe(a.forecastCents + d.forecastCents);

    await importBudgetCsv(
      w,
      'municipality,year,kind,date,amountCents\n0505,2025,primitief,2024-11-12,40000000\n0482,2025,wijziging,2025-07-16,1000000\n',
      'c.csv',
      who,
    );
    const r2 = await budgetVsForecast(w, 2025, asOf);
    expect(r2.missingBudgets).toEqual([]);
    // The amendment of 16 July is after asOf and does not count yet.
    expect(r2.region.budgetCents).toBe(51_000_000);
    expect(r2.region.overrunCents).toBe(r2.region.forecastCents - 51_000_000);
    expect(r2.region.overrunLowCents).toBe(r2.region.lowCents - 51_000_000);
    expect(at((await budgetVsForecast(w, 2025, '2025-07-16')).municipalities, 0).budgetCents).toBe(12_000_000);
  });
});

describe('budgetsFor (property)', () => {
  it('equals Σ of the entries dated on or before the date, per municipality', async () => {
    const w = await freshWarehouse('duckdb');
    try {
      const entry = fc.record({
        municipality: fc.constantFrom('0482', '0505', '0512'),
        day: fc.integer({ min: 1, max: 28 }),
        amountCents: fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
      });
      let year = 2000;
      await fc.assert(
        fc.asyncProperty(fc.array(entry, { maxLength: 12 }), fc.integer({ min: 1, max: 28 }), async (es, cut) => {
          year++;
          await w.saveSteering({
            budgetEntries: es.map((e) => ({
              municipality: e.municipality,
              year,
              categoryGroup: null,
              kind: 'wijziging',
              date: `${year}-03-${String(e.day).padStart(2, '0')}`,
              decisionReference: null,
              amountCents: e.amountCents,
              description: null,
              ...who,
            })),
          });
          const expected = new Map<string, number>();
          for (const e of es.filter((x) => x.day <= cut))
            expected.set(e.municipality, (expected.get(e.municipality) ?? 0) + e.amountCents);
          const got = await budgetsFor(w, year, undefined, `${year}-03-${String(cut).padStart(2, '0')}`);
          expect(Object.fromEntries(got)).toEqual(Object.fromEntries(expected));
        }),
        { numRuns: 40 },
      );
    } finally {
      await w.close();
    }
  });
});
