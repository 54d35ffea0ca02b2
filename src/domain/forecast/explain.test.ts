import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { at } from '../indexing.js';
import { addMonths, lastDayOfMonth, monthRange } from '../month.js';
import { COMPONENT_KINDS, componentSentence, componentsForAggregate, explainRevision } from './explain.js';
import { forecastYearEnd, type RunoffCell } from './yearEnd.js';

const YEAR = 2025;

/** A random history like the generator's: months with an amount declared over lags 1..6 on random days, credits. */
const history = fc
  .record({
    level: fc.integer({ min: 10_000, max: 5_000_000 }),
    noise: fc.array(fc.double({ min: 0.7, max: 1.3, noNaN: true }), { minLength: 48, maxLength: 48 }),
    lagWeights: fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 6, maxLength: 6 }),
    days: fc.array(fc.integer({ min: 1, max: 28 }), { minLength: 6, maxLength: 6 }),
    credit: fc.integer({ min: 0, max: 47 }),
  })
  .map(({ level, noise, lagWeights, days, credit }) => {
    const w = lagWeights.some((x) => x > 0) ? lagWeights : [1, 0, 0, 0, 0, 0];
    const wSum = w.reduce((s, x) => s + x, 0);
    const cells: RunoffCell[] = [];
    monthRange(`${YEAR - 3}-01`, `${YEAR}-12`).forEach((m, i) => {
      const total = Math.round(level * at(noise, i));
      w.forEach((x, j) => {
        const dm = addMonths(m, j + 1);
        if (x > 0)
          cells.push({
            month: m,
            declarationMonth: dm,
            declarationDate: `${dm}-${String(days[j]).padStart(2, '0')}`,
            amountCents: Math.round((total * x) / wSum),
          });
      });
      if (i === credit)
        cells.push({
          month: m,
          declarationMonth: addMonths(m, 3),
          declarationDate: `${addMonths(m, 3)}-15`,
          amountCents: -Math.round(total / 3),
        });
    });
    return cells;
  });
const dates = fc
  .tuple(
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 1, max: 28 }),
    fc.integer({ min: 0, max: 3 }),
    fc.integer({ min: 1, max: 28 }),
  )
  .map(([m, d, gap, d2]) => {
    const m0 = `${YEAR}-${String(m).padStart(2, '0')}`;
    const m1 = addMonths(m0, gap);
    const from = `${m0}-${String(d).padStart(2, '0')}`;
    const to = `${m1}-${String(d2).padStart(2, '0')}`;
    return from <= to ? { from, to } : { from: to, to: from };
  });

describe('explaining a revision', () => {
  it('the components add up exactly to to − from, in whole cents, and to/from are the forecasts at both dates', () => {
    fc.assert(
      fc.property(history, dates, (cells, { from, to }) => {
        const r = explainRevision({ year: YEAR, from: { asOf: from }, to: { asOf: to }, cells });
        expect(r.components.map((c) => c.kind)).toEqual([...COMPONENT_KINDS]);
        for (const c of r.components) expect(Number.isInteger(c.cents)).toBe(true);
        expect(r.components.reduce((s, c) => s + c.cents, 0)).toBe(r.toCents - r.fromCents);
        // Independently: the two forecasts made on their own.
        expect(r.fromCents).toBe(
          forecastYearEnd({ year: YEAR, asOf: from, cells: cells.filter((c) => c.declarationDate! <= from) })
            .forecastCents,
        );
        expect(r.toCents).toBe(forecastYearEnd({ year: YEAR, asOf: to, cells }).forecastCents);
      }),
      { numRuns: 120 },
    );
  });

  it('no new data (the same date twice): every component is zero', () => {
    fc.assert(
      fc.property(history, dates, (cells, { from }) => {
        const r = explainRevision({ year: YEAR, from: { asOf: from }, to: { asOf: from }, cells });
        expect(r.components.every((c) => c.cents === 0)).toBe(true);
        expect(r.toCents).toBe(r.fromCents);
      }),
      { numRuns: 60 },
    );
  });

  it('hand example: one month declared 300 more than the pattern expected moves declarations by exactly that, nothing else', () => {
    // A flat 1,000 a month, declared wholly on the 10th of the next month, for three years before YEAR.
    // As of 30 June (June expected 1,000 with share 0) to 31 July: June's declaration on 10 July is 1,300
    // instead of 1,000. The pattern is unchanged (June is the only month declared in the window, and a
    // single month's amount does not move shares that are 0 or 1); the a-priori for the rest is held, but
    // the level then moves by the new month (level over the last 3 months: +100 a month on 5 remaining
    // months, +500), which is level_trend. Declarations: June's ultimate 1,000 → 1,300: +300.
    const cells: RunoffCell[] = monthRange(`${YEAR - 3}-01`, `${YEAR}-11`).map((m) => {
      const next = addMonths(m, 1);
      return {
        month: m,
        declarationMonth: next,
        declarationDate: `${next}-10`,
        amountCents: m === `${YEAR}-06` ? 1_300 : 1_000,
      };
    });
    const r = explainRevision({
      year: YEAR,
      from: { asOf: `${YEAR}-06-30` },
      to: { asOf: lastDayOfMonth(`${YEAR}-07`) },
      cells,
    });
    const by = Object.fromEntries(r.components.map((c) => [c.kind, c.cents]));
    expect(r.fromCents).toBe(12_000);
    expect(by.declarations).toBe(300);
    expect(by.corrections).toBe(0);
    expect(by.lag_pattern).toBe(0);
    expect(by.special_cases).toBe(0);
    expect(by.method).toBe(0);
    expect(by.level_trend).toBe(r.toCents - r.fromCents - 300);
    expect(r.components.find((c) => c.kind === 'declarations')!.text).toMatch(
      /^€ 3 hoger doordat er meer gedeclareerd is dan verwacht/,
    );
  });

  it('a credit on a complete month is a correction; a published figure from an older method shows as method', () => {
    const cells: RunoffCell[] = monthRange(`${YEAR - 3}-01`, `${YEAR}-11`).map((m) => {
      const next = addMonths(m, 1);
      return { month: m, declarationMonth: next, declarationDate: `${next}-10`, amountCents: 1_000 };
    });
    cells.push({
      month: `${YEAR}-02`,
      declarationMonth: `${YEAR}-07`,
      declarationDate: `${YEAR}-07-15`,
      amountCents: -250,
    });
    const r = explainRevision({
      year: YEAR,
      from: { asOf: `${YEAR}-06-30`, stored: { cents: 11_900, sameMethod: false } },
      to: { asOf: `${YEAR}-07-31` },
      cells,
    });
    const by = Object.fromEntries(r.components.map((c) => [c.kind, c.cents]));
    expect(by.corrections).toBe(-250);
    expect(by.method).toBe(12_000 - 11_900);
    expect(r.components.reduce((s, c) => s + c.cents, 0)).toBe(r.toCents - 11_900);
  });
});

/**
 * Flat 1,000 a month declared on the 10th of the next month, up to June; in the window (June 30 → July 31) a
 * costly family's placement for June is declared too: 5,000 on 20 July.
 */
function familyWindow(): { cells: RunoffCell[]; family: RunoffCell } {
  const cells = monthRange(`${YEAR - 3}-01`, `${YEAR}-06`).map((m) => {
    const next = addMonths(m, 1);
    return { month: m, declarationMonth: next, declarationDate: `${next}-10`, amountCents: 1_000 };
  });
  const family = {
    month: `${YEAR}-06`,
    declarationMonth: `${YEAR}-07`,
    declarationDate: `${YEAR}-07-20`,
    amountCents: 5_000,
  };
  return { cells, family };
}

/** The revision over that window (June 30 → July 31), the family's cell being a special case (marked by hand: `markedCases`). */
function explainFamilyWindow(markedCases?: string[]) {
  const { cells, family } = familyWindow();
  return explainRevision({
    year: YEAR,
    from: { asOf: `${YEAR}-06-30` },
    to: { asOf: `${YEAR}-07-31` },
    cells: [...cells, family],
    specialCells: [family],
    markedCases,
  });
}

describe('explaining a revision: special cases', () => {
  it('new declarations of a costly family are special_cases, not declarations', () => {
    // Flat 1,000 a month declared on the 10th of the next month; in the window (June 30 → July 31) a costly
    // family's placement for June is declared too: 5,000 on 20 July. Without it, June's declaration is as
    // expected (1,000). June's share at D0 is 0 (BF, a-priori 1,000); its ultimate becomes 6,000 → +5,000,
    // all of it special cases; declarations 0.
    const r = explainFamilyWindow();
    const by = Object.fromEntries(r.components.map((c) => [c.kind, c.cents]));
    expect(by.special_cases).toBe(5_000);
    expect(by.declarations).toBe(0);
    expect(r.components.reduce((s, c) => s + c.cents, 0)).toBe(r.toCents - r.fromCents);
    expect(r.components.find((c) => c.kind === 'special_cases')!.text).toMatch(
      /^€ 50 hoger door nieuwe declaraties voor bijzondere casussen/,
    );
  });

  it('a case marked by hand is counted in the sentence and named in `cases` (not in the text)', () => {
    // The same window; the 5,000 is now a client an analyst marked by hand (reason given), the caller passes its label.
    const label = 'Crisisplaatsing (cliënt, vanaf 2025-06)';
    const r = explainFamilyWindow([label]);
    const c = r.components.find((x) => x.kind === 'special_cases')!;
    expect(c.cents).toBe(5_000);
    expect(c.text).toBe(
      '€ 50 hoger door nieuwe declaraties voor bijzondere casussen (kostbare gezinnen, verblijf buiten huis; waarvan 1 met de hand gemarkeerde casus).',
    );
    expect(c.text).not.toContain('Crisisplaatsing');
    expect(c.cases).toEqual([label]);
    expect(r.components.filter((x) => x.cases).map((x) => x.kind)).toEqual(['special_cases']);
  });
});

describe('explaining a revision to an aggregate role (raad, partner)', () => {
  it("a costly family's new declarations: the direction and cause only, no amount and no count of marked cases", () => {
    // The window of the hand example above: one family's 5,000 declared on 20 July, marked by hand.
    const r = explainFamilyWindow(['Crisisplaatsing (cliënt, vanaf 2025-06)']);
    const shown = componentsForAggregate(r.components);
    expect(shown.find((c) => c.kind === 'special_cases')).toEqual({
      kind: 'special_cases',
      direction: 'hoger',
      text: 'Hoger door nieuwe declaraties voor bijzondere casussen (kostbare gezinnen, verblijf buiten huis).',
    });
    // The analyst's sentence has the family's € 50 and the marked case; the aggregate one neither, nor does any other.
    expect(r.components.find((c) => c.kind === 'special_cases')!.text).toMatch(/^€ 50 .*1 met de hand gemarkeerde/);
    for (const c of shown) expect(c.text).not.toMatch(/€|gemarkeerd/);
  });

  it('largest first, zero components left out; the declarations keep the category they name', () => {
    const drivers = [{ label: 'in ggz', cents: 90_000 }];
    const parts = [
      { kind: 'declarations' as const, cents: 100_000 },
      { kind: 'corrections' as const, cents: -300_000 },
      { kind: 'lag_pattern' as const, cents: 0 },
      { kind: 'level_trend' as const, cents: 50_000 },
    ].map((c) => ({ ...c, text: componentSentence(c.kind, c.cents, c.kind === 'declarations' ? drivers : undefined) }));
    expect(componentsForAggregate(parts)).toEqual([
      {
        kind: 'corrections',
        direction: 'lager',
        text: "Lager door correcties en creditnota's op maanden die al (vrijwel) volledig gedeclareerd waren, of door later ingelezen gegevens van vóór de vorige stand.",
      },
      {
        kind: 'declarations',
        direction: 'hoger',
        text: 'Hoger doordat er meer gedeclareerd is dan verwacht, vooral in ggz.',
      },
      {
        kind: 'level_trend',
        direction: 'hoger',
        text: 'Hoger doordat het kostenniveau, het seizoenspatroon of de trend voor de resterende maanden hoger uitkomt.',
      },
    ]);
  });

  it('never an amount or any other figure, on any history and window', () => {
    fc.assert(
      fc.property(history, dates, (cells, { from, to }) => {
        const r = explainRevision({ year: YEAR, from: { asOf: from }, to: { asOf: to }, cells });
        for (const c of componentsForAggregate(r.components)) expect(c.text).not.toMatch(/[€\d]/);
      }),
      { numRuns: 50 },
    );
  });
});
