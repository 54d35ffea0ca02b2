import { at } from './indexing.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roundCount, showCount, suppressTable, type TableCell } from './suppression.js';

describe('small-cell suppression', () => {
  it('rounds counts to 5 and suppresses counts below 10', () => {
    expect([9, 10, 12, 13, 17, 18, 1234].map(showCount)).toEqual(['<10', 10, 10, 15, 15, 20, 1235]);
    expect(roundCount(0)).toBe(0);
  });

  it('hand example: one small cell in a row forces a second suppression in its row and column', () => {
    // rows A, B; cols x, y. A/x has 4 clients → primary. Row A and column x then hold one suppressed cell
    // each, so the smallest other cell of row A (A/y, 20) and of column x (B/x, 30) are suppressed too;
    // then row B and column y each hold one suppressed cell (B/x, A/y) → B/y is suppressed as well.
    const cells: TableCell[] = [
      { row: 'A', col: 'x', clients: 4, amountCents: 400 },
      { row: 'A', col: 'y', clients: 20, amountCents: 2000 },
      { row: 'B', col: 'x', clients: 30, amountCents: 3000 },
      { row: 'B', col: 'y', clients: 50, amountCents: 5000 },
    ];
    const t = suppressTable(cells);
    expect(t.cells.map((c) => c.suppressed)).toEqual(['primary', 'secondary', 'secondary', 'secondary']);
    expect(at(t.cells, 0).clients).toBe('<10');
    expect(t.cells.every((c) => c.amountCents === null)).toBe(true);
  });

  it('a one-cell line with a suppressed cell hides its total', () => {
    const t = suppressTable([{ row: 'A', col: 'x', clients: 3, amountCents: 1 }]);
    expect(t.hiddenRowTotals).toEqual(['A']);
    expect(t.hiddenColTotals).toEqual(['x']);
  });

  const cellsArb = fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 })).chain(([r, c]) =>
    fc
      .array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: -1e6, max: 1e7 })), {
        minLength: r * c,
        maxLength: r * c,
      })
      .map((vals) =>
        vals.map(([clients, amountCents], i) => ({
          row: `r${Math.floor(i / c)}`,
          col: `c${i % c}`,
          clients,
          amountCents,
        })),
      ),
  );

  it('properties: every small cell is hidden; no line holds exactly one hidden cell unless its total is hidden; shown counts are multiples of 5 and ≥ 10', () => {
    fc.assert(
      fc.property(cellsArb, (cells) => {
        const t = suppressTable(cells);
        cells.forEach((c, i) => {
          if (c.clients < 10) expect(at(t.cells, i).suppressed).toBe('primary');
          const shown = at(t.cells, i).clients;
          if (typeof shown === 'number') {
            expect(shown % 5).toBe(0);
            expect(shown).toBeGreaterThanOrEqual(10);
            expect(at(t.cells, i).amountCents).toBe(c.amountCents);
          } else expect(at(t.cells, i).amountCents).toBeNull();
        });
        for (const key of ['row', 'col'] as const) {
          const hidden = key === 'row' ? t.hiddenRowTotals : t.hiddenColTotals;
          const groups = new Map<string, number>();
          t.cells.forEach((c) => groups.set(c[key], (groups.get(c[key]) ?? 0) + (c.suppressed ? 1 : 0)));
          for (const [name, n] of groups) if (n === 1) expect(hidden).toContain(name);
        }
      }),
      { numRuns: 300 },
    );
  });
});
