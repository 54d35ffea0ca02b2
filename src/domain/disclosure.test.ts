import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { growth, perClient, protectLine, protectTable, shareOf, sumProtected, type RawCell } from './disclosure.js';
import { at } from './indexing.js';
import { determinedUnknowns, type Equation } from './testing/linear-attack.js';

const cell = (clients: number, amountCents: number): RawCell => ({ clients, amountCents });

describe('protectLine (one total and its breakdown)', () => {
  it('hand example: one small cell forces the smallest other cell to be hidden; counts rounded to 5', () => {
    const cells = new Map([
      ['a', cell(4, 40_000)],
      ['b', cell(12, 90_000)],
      ['c', cell(31, 300_000)],
    ]);
    const p = protectLine(cells, cell(47, 430_000));
    expect(p.cells.get('a')).toEqual({ clients: null, amountCents: null, hidden: 'primary' });
    expect(p.cells.get('b')).toEqual({ clients: null, amountCents: null, hidden: 'secondary' });
    expect(p.cells.get('c')).toEqual({ clients: 30, amountCents: 300_000, hidden: null });
    expect(p.total).toEqual({ clients: 45, amountCents: 430_000, hidden: null });
  });

  it('a near-zero complement protects nothing: the next cell is hidden as well', () => {
    // a (3 clients, € 500) is hidden; b (11 clients, net € 0,40 after a credit) would give a back within a euro.
    const p = protectLine(
      new Map([
        ['a', cell(3, 50_000)],
        ['b', cell(11, 40)],
        ['c', cell(15, 80_000)],
        ['d', cell(40, 900_000)],
      ]),
      cell(69, 1_030_040),
    );
    expect(p.cells.get('a')!.hidden).toBe('primary');
    expect(p.cells.get('c')!.hidden).toBe('secondary');
    expect(p.cells.get('b')!.hidden).toBeNull();
  });

  it('a hidden total hides every cell beneath it', () => {
    const p = protectLine(new Map([['a', cell(30, 1)]]), cell(30, 1), 'secondary');
    expect(p.cells.get('a')!.hidden).toBe('secondary');
    expect(p.total.amountCents).toBeNull();
  });

  it('no small cell: nothing hidden', () => {
    const p = protectLine(
      new Map([
        ['a', cell(10, 5)],
        ['b', cell(11, 6)],
      ]),
      cell(21, 11),
    );
    expect([...p.cells.values()].every((c) => c.hidden === null)).toBe(true);
  });
});

/** The additivity equations of a table with margins, as an attacker writes them, with hidden values unknown. */
function attack(
  cells: RawCell[][],
  rowT: RawCell[],
  colT: RawCell[],
  grand: RawCell,
  hidden: { cell: boolean[][]; row: boolean[]; col: boolean[]; grand: boolean },
) {
  const ids = new Map<string, number>();
  const truth: number[] = [];
  const val = (key: string, v: number, isHidden: boolean): { unknown: number | null; value: number } => {
    if (!isHidden) return { unknown: null, value: v };
    if (!ids.has(key)) {
      ids.set(key, truth.length);
      truth.push(v);
    }
    return { unknown: ids.get(key)!, value: 0 };
  };
  const eqs: Equation[] = [];
  const eq = (parts: { unknown: number | null; value: number }[], total: { unknown: number | null; value: number }) => {
    const terms = new Map<number, number>();
    let constant = 0;
    for (const p of parts) {
      if (p.unknown === null) constant -= p.value;
      else terms.set(p.unknown, (terms.get(p.unknown) ?? 0) + 1);
    }
    if (total.unknown === null) constant += total.value;
    else terms.set(total.unknown, (terms.get(total.unknown) ?? 0) - 1);
    eqs.push({ terms, constant });
  };
  const c = (i: number, j: number) => val(`c${i},${j}`, at(at(cells, i), j).amountCents, at(at(hidden.cell, i), j));
  const r = (i: number) => val(`r${i}`, at(rowT, i).amountCents, at(hidden.row, i));
  const k = (j: number) => val(`k${j}`, at(colT, j).amountCents, at(hidden.col, j));
  const g = val('g', grand.amountCents, hidden.grand);
  cells.forEach((row, i) =>
    eq(
      row.map((_, j) => c(i, j)),
      r(i),
    ),
  );
  colT.forEach((_, j) =>
    eq(
      cells.map((_, i) => c(i, j)),
      k(j),
    ),
  );
  eq(
    rowT.map((_, i) => r(i)),
    g,
  );
  eq(
    colT.map((_, j) => k(j)),
    g,
  );
  const found = determinedUnknowns(eqs, truth.length);
  return [...found].filter(([u, v]) => Math.abs(v - at(truth, u)) < 100);
}

describe('protectTable (cross table with margins)', () => {
  const tableArb = fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 6 })).chain(([nr, nc]) =>
    fc
      .array(fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: -50_000, max: 5_000_000 })), {
        minLength: nr * nc,
        maxLength: nr * nc,
      })
      .map((v) => ({ nr, nc, v })),
  );

  it('property: no hidden amount can be recovered from the visible cells and margins by linear algebra', () => {
    fc.assert(
      fc.property(tableArb, ({ nr, nc, v }) => {
        const cells = Array.from({ length: nr }, (_, i) =>
          Array.from({ length: nc }, (_, j) => cell(...at(v, i * nc + j))),
        );
        // Counts of a margin: at least the largest cell, at most the sum (clients can be in two cells).
        const rowT = cells.map((row) =>
          cell(
            row.reduce((s, x) => s + x.clients, 0),
            row.reduce((s, x) => s + x.amountCents, 0),
          ),
        );
        const colT = at(cells, 0).map((_, j) =>
          cell(
            cells.reduce((s, row) => s + at(row, j).clients, 0),
            cells.reduce((s, row) => s + at(row, j).amountCents, 0),
          ),
        );
        const grand = cell(
          rowT.reduce((s, x) => s + x.clients, 0),
          rowT.reduce((s, x) => s + x.amountCents, 0),
        );
        const R = cells.map((_, i) => `r${i}`);
        const C = at(cells, 0).map((_, j) => `c${j}`);
        const t = protectTable({
          cells: new Map(R.map((r, i) => [r, new Map(C.map((c, j) => [c, at(at(cells, i), j)]))])),
          rowTotals: new Map(R.map((r, i) => [r, at(rowT, i)])),
          colTotals: new Map(C.map((c, j) => [c, at(colT, j)])),
          grand,
        });
        const hidden = {
          cell: R.map((r) => C.map((c) => t.cell(r, c).hidden !== null)),
          row: R.map((r) => t.rowTotal(r).hidden !== null),
          col: C.map((c) => t.colTotal(c).hidden !== null),
          grand: t.grand.hidden !== null,
        };
        // Every small cell is hidden; shown counts are multiples of 5.
        R.forEach((r, i) =>
          C.forEach((c, j) => {
            if (at(at(cells, i), j).clients < 10) expect(at(at(hidden.cell, i), j)).toBe(true);
            const s = t.cell(r, c);
            if (s.hidden === null) {
              expect(s.clients! % 5).toBe(0);
              expect(s.amountCents).toBe(at(at(cells, i), j).amountCents);
            }
          }),
        );
        expect(attack(cells, rowT, colT, grand, hidden)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('hand example: a row total decided elsewhere keeps its state, and its cells are hidden with it', () => {
    const cells = new Map([
      [
        'A',
        new Map([
          ['x', cell(5, 100_000)],
          ['y', cell(3, 200_000)],
        ]),
      ],
      [
        'B',
        new Map([
          ['x', cell(50, 1_000_000)],
          ['y', cell(60, 2_000_000)],
        ]),
      ],
      [
        'C',
        new Map([
          ['x', cell(40, 3_000_000)],
          ['y', cell(70, 4_000_000)],
        ]),
      ],
    ]);
    const t = protectTable({
      cells,
      rowTotals: new Map([
        ['A', cell(8, 300_000)],
        ['B', cell(110, 3_000_000)],
        ['C', cell(110, 7_000_000)],
      ]),
      colTotals: new Map([
        ['x', cell(95, 4_100_000)],
        ['y', cell(133, 6_200_000)],
      ]),
      grand: cell(228, 10_300_000),
      rowHidden: new Map([
        ['A', 'primary'],
        ['B', 'secondary'],
        ['C', null],
      ]),
    });
    expect(t.rowTotal('B').hidden).toBe('secondary');
    expect(t.cell('A', 'x').hidden).toBe('primary');
    expect(t.cell('B', 'x').hidden).toBe('secondary');
    expect(t.cell('B', 'y').hidden).toBe('secondary');
    expect(t.cell('C', 'x')).toEqual({ clients: 40, amountCents: 3_000_000, hidden: null });
  });
});

describe('derived figures come from protected cells only', () => {
  it('are hidden when an input is hidden', () => {
    expect(shareOf(null, 100)).toBeNull();
    expect(shareOf(25, 100)).toBe(0.25);
    expect(perClient(100_000, null)).toBeNull();
    expect(perClient(100_000, 745)).toBe(134); // 1,000.00 / 745 rounded count
    expect(growth(110, null)).toBeNull();
    expect(growth(110, 100)).toBeCloseTo(0.1);
    expect(sumProtected([1, null, 3])).toBeNull();
    expect(sumProtected([1, 2, 3])).toBe(6);
  });
});
