/**
 * Disclosure control for councils (`raad`) and public exports.
 * - Client counts below 10 are suppressed (primary); other counts are rounded to a multiple of 5.
 * - Amounts of cells with fewer than 10 clients are suppressed.
 * - Secondary suppression: a published row or column total must not reveal a suppressed cell, so no row or
 *   column may hold exactly one suppressed cell; then the smallest other cell of that line is suppressed too.
 *   A line with a single cell that is suppressed gets its total suppressed instead.
 */
import { at } from './indexing.js';

export const MIN_CLIENTS = 10;
export const ROUND_TO = 5;

export interface TableCell {
  row: string;
  col: string;
  clients: number;
  amountCents: number;
}

export type Suppression = 'primary' | 'secondary' | null;

export interface ShownCell {
  row: string;
  col: string;
  /** Rounded count, or '<10' (primary) / '*' (secondary) when suppressed. */
  clients: number | '<10' | '*';
  amountCents: number | null;
  suppressed: Suppression;
}

export interface SuppressedTable {
  cells: ShownCell[];
  /** Row and column totals that must not be shown (their line has one cell, which is suppressed). */
  hiddenRowTotals: string[];
  hiddenColTotals: string[];
}

/** Rounds a count to the nearest multiple of 5 (half up), as shown to councils. */
export function roundCount(n: number): number {
  return Math.floor((n + ROUND_TO / 2) / ROUND_TO) * ROUND_TO;
}

/** The published form of a single count (no table around it). */
export function showCount(n: number): number | '<10' {
  return n < MIN_CLIENTS ? '<10' : roundCount(n);
}

export function suppressTable(input: readonly TableCell[]): SuppressedTable {
  const state: Suppression[] = input.map((c) => (c.clients < MIN_CLIENTS ? 'primary' : null));
  const lines = (key: 'row' | 'col') => {
    const m = new Map<string, number[]>();
    input.forEach((c, i) => m.set(c[key], [...(m.get(c[key]) ?? []), i]));
    return m;
  };
  const rows = lines('row');
  const cols = lines('col');
  const hiddenRow = new Set<string>();
  const hiddenCol = new Set<string>();
  let changed = true;
  while (changed) {
    changed = false;
    for (const [lineMap, hidden] of [
      [rows, hiddenRow],
      [cols, hiddenCol],
    ] as const) {
      for (const [name, idx] of lineMap) {
        const sup = idx.filter((i) => state[i] !== null);
        if (sup.length !== 1) continue;
        const open = idx.filter((i) => state[i] === null);
        if (!open.length) {
          if (!hidden.has(name)) {
            hidden.add(name);
            changed = true;
          }
          continue;
        }
        // Suppress the smallest remaining cell (by clients, then amount, then position) as the complement.
        open.sort((a, b) => {
          const [ca, cb] = [at(input, a), at(input, b)];
          return ca.clients - cb.clients || Math.abs(ca.amountCents) - Math.abs(cb.amountCents) || a - b;
        });
        state[at(open, 0)] = 'secondary';
        changed = true;
      }
    }
  }
  return {
    cells: input.map((c, i) => {
      const s = at(state, i);
      return {
        row: c.row,
        col: c.col,
        clients: s === 'primary' ? '<10' : s === 'secondary' ? '*' : roundCount(c.clients),
        amountCents: s ? null : c.amountCents,
        suppressed: s,
      };
    }),
    hiddenRowTotals: [...hiddenRow].sort(),
    hiddenColTotals: [...hiddenCol].sort(),
  };
}
