/**
 * The protected view for aggregate roles (raad, partner, public output): statistical disclosure control of
 * linked tables in the manner of CBS (minimum frequency rule, secondary suppression, rounding of counts).
 *
 * A published table is a set of cells (clients, amount) tied together by additivity: every line of cells
 * adds up to its published total. Seen as a graph — a node per line, an edge per cell, every cell linking
 * the two lines it lies on (a total lies on its own line and on the line of totals) — the additivity
 * equations say that the amounts form a circulation. A set of hidden cells then leaves each hidden amount
 * undetermined exactly when that cell lies on a cycle of hidden cells: a hidden cell that is a bridge of
 * the hidden subgraph follows from the visible cells and the totals. So:
 *
 * 1. Primary suppression: a cell (or total) resting on fewer than `MIN_CLIENTS` clients is hidden.
 * 2. Secondary suppression: while a hidden cell is a bridge, hide the visible interior cell that closes a
 *    cycle through it at the lowest cost (fewest clients, then smallest amount); totals that were decided
 *    by an enclosing table (e.g. a municipality's total) keep their state, so linked tables agree. A hidden
 *    cell of less than € 100 protects nothing (next to it the other would come back within a euro): it
 *    does not count on a cycle, and it needs a cycle of protecting cells through its own two lines.
 * 3. Visible counts are rounded to a multiple of `ROUND_TO`; hidden cells publish neither amount nor count.
 *
 * Every figure derived for these roles (shares, per client, per 1,000 youths, differences, growth, chart
 * values) is computed with the helpers below from protected cells only: a derived figure is hidden as soon
 * as one of its inputs is.
 */
import { at } from './indexing.js';
import { MIN_CLIENTS, roundCount } from './suppression.js';

export type Hidden = 'primary' | 'secondary' | null;

export interface RawCell {
  clients: number;
  amountCents: number;
}

/** A published cell: rounded count and amount, both null when the cell is hidden. */
export interface ProtectedCell {
  clients: number | null;
  amountCents: number | null;
  hidden: Hidden;
}

export const HIDDEN_CELL: ProtectedCell = Object.freeze({
  clients: null,
  amountCents: null,
  hidden: 'primary',
});

interface Edge {
  a: string;
  b: string;
  clients: number;
  amountCents: number;
  /** Interior cells may be hidden as complements; totals keep the state decided for them. */
  fixed: boolean;
  hidden: Hidden;
}

/** Hidden edges that are bridges of the hidden subgraph (Tarjan, iterative; multi-edges allowed). */
function bridges(edges: readonly Edge[]): number[] {
  const adj = hiddenAdjacency(edges, true);
  const disc = new Map<string, number>();
  const low = new Map<string, number>();
  const out: number[] = [];
  let t = 0;
  for (const root of adj.keys()) {
    if (disc.has(root)) continue;
    const stack: { node: string; viaEdge: number; i: number }[] = [{ node: root, viaEdge: -1, i: 0 }];
    disc.set(root, t);
    low.set(root, t++);
    while (stack.length) {
      const top = at(stack, stack.length - 1);
      const nbrs = adj.get(top.node)!;
      if (top.i < nbrs.length) {
        const { to, id } = at(nbrs, top.i++);
        if (id === top.viaEdge) continue;
        if (disc.has(to)) low.set(top.node, Math.min(low.get(top.node)!, disc.get(to)!));
        else {
          disc.set(to, t);
          low.set(to, t++);
          stack.push({ node: to, viaEdge: id, i: 0 });
        }
      } else {
        stack.pop();
        const parent = stack[stack.length - 1];
        if (parent) {
          low.set(parent.node, Math.min(low.get(parent.node)!, low.get(top.node)!));
          if (low.get(top.node)! > disc.get(parent.node)!) out.push(top.viaEdge);
        }
      }
    }
  }
  return out;
}

/** Nodes reachable from `start` over hidden edges other than `skip`. */
function component(adj: ReadonlyMap<string, { to: string; id: number }[]>, start: string, skip: number): Set<string> {
  const seen = new Set([start]);
  const todo = [start];
  while (todo.length) {
    for (const { to, id } of adj.get(todo.pop()!) ?? []) {
      if (id === skip || seen.has(to)) continue;
      seen.add(to);
      todo.push(to);
    }
  }
  return seen;
}

function hiddenAdjacency(edges: readonly Edge[], protectingOnly = false): Map<string, { to: string; id: number }[]> {
  const adj = new Map<string, { to: string; id: number }[]>();
  edges.forEach((e, id) => {
    if (!e.hidden || (protectingOnly && !protects(e))) return;
    if (!adj.has(e.a)) adj.set(e.a, []);
    if (!adj.has(e.b)) adj.set(e.b, []);
    adj.get(e.a)!.push({ to: e.b, id });
    adj.get(e.b)!.push({ to: e.a, id });
  });
  return adj;
}

/**
 * A hidden cell of (nearly) zero protects nothing: hiding it next to one other hidden cell would give that
 * one back within a euro. Such cells count as known when looking for bridges, and are the last choice as
 * complements.
 */
export const PROTECTING_CENTS = 10_000;
const protects = (e: Edge) => Math.abs(e.amountCents) >= PROTECTING_CENTS;

const cheaper = (edges: readonly Edge[]) => (x: number, y: number) => {
  const ex = at(edges, x);
  const ey = at(edges, y);
  return (
    Number(!protects(ex)) - Number(!protects(ey)) ||
    ex.clients - ey.clients ||
    Math.abs(ex.amountCents) - Math.abs(ey.amountCents) ||
    x - y
  );
};

/**
 * The first hidden cell that the published figures give back (within a euro): a protecting hidden cell
 * that is a bridge of the protecting hidden cells, or a near-zero hidden cell whose two lines are not
 * joined by protecting hidden cells. Returns the two sides a complement must join, or null.
 */
function exposed(edges: readonly Edge[]): { U: Set<string>; V: Set<string> } | null {
  const adj = hiddenAdjacency(edges, true);
  const b = bridges(edges);
  const first = b[0];
  if (first !== undefined) {
    const e = at(edges, first);
    return { U: component(adj, e.a, first), V: component(adj, e.b, first) };
  }
  for (const e of edges) {
    if (!e.hidden || protects(e)) continue;
    const U = component(adj, e.a, -1);
    if (!U.has(e.b)) return { U, V: component(adj, e.b, -1) };
  }
  return null;
}

/** Hides cells until no hidden cell can be given back (see the module comment). Mutates `edges`. */
function secondary(edges: Edge[]): void {
  for (;;) {
    const x = exposed(edges);
    if (!x) return;
    const { U, V } = x;
    const open = edges.flatMap((e, i) => (!e.hidden && !e.fixed ? [i] : []));
    const crossing = open.filter((i) => {
      const e = at(edges, i);
      return (U.has(e.a) && V.has(e.b)) || (U.has(e.b) && V.has(e.a));
    });
    const touching = crossing.length
      ? crossing
      : open.filter((i) => {
          const e = at(edges, i);
          return U.has(e.a) || U.has(e.b) || V.has(e.a) || V.has(e.b);
        });
    // Only when no interior cell is left (a total that disagrees with its cells) is a total hidden after all.
    const pool = touching.length ? touching : open.length ? open : edges.flatMap((e, i) => (!e.hidden ? [i] : []));
    pool.sort(cheaper(edges));
    const pick = pool[0];
    if (pick === undefined) return;
    at(edges, pick).hidden = 'secondary';
  }
}

const shown = (e: Edge): ProtectedCell =>
  e.hidden
    ? { clients: null, amountCents: null, hidden: e.hidden }
    : { clients: roundCount(e.clients), amountCents: e.amountCents, hidden: null };

const primary = (c: RawCell): Hidden => (c.clients < MIN_CLIENTS ? 'primary' : null);

/**
 * A breakdown of one total (one line): the cells add up to the total. `totalHidden` is the state the total
 * has in an enclosing table (a hidden total hides every cell beneath it, or its cells would give it back).
 */
export function protectLine<K extends string>(
  cells: ReadonlyMap<K, RawCell>,
  total: RawCell,
  totalHidden: Hidden = primary(total),
): { cells: Map<K, ProtectedCell>; total: ProtectedCell } {
  const keys = [...cells.keys()];
  if (totalHidden) {
    return {
      cells: new Map(
        keys.map((k) => [k, { clients: null, amountCents: null, hidden: primary(cells.get(k)!) ?? 'secondary' }]),
      ),
      total: { clients: null, amountCents: null, hidden: totalHidden },
    };
  }
  const edges: Edge[] = keys.map((k) => ({
    a: 'line',
    b: 'sum',
    ...cells.get(k)!,
    fixed: false,
    hidden: primary(cells.get(k)!),
  }));
  edges.push({ a: 'line', b: 'sum', ...total, fixed: true, hidden: null });
  secondary(edges);
  return { cells: new Map(keys.map((k, i) => [k, shown(at(edges, i))])), total: shown(at(edges, edges.length - 1)) };
}

export interface Table2DInput<R extends string, C extends string> {
  cells: ReadonlyMap<R, ReadonlyMap<C, RawCell>>;
  rowTotals: ReadonlyMap<R, RawCell>;
  colTotals: ReadonlyMap<C, RawCell>;
  grand: RawCell;
  /** States of the row totals decided by an enclosing table (default: primary suppression only). */
  rowHidden?: ReadonlyMap<R, Hidden>;
  grandHidden?: Hidden;
}

export interface Table2D<R extends string, C extends string> {
  cell(row: R, col: C): ProtectedCell;
  rowTotal(row: R): ProtectedCell;
  colTotal(col: C): ProtectedCell;
  grand: ProtectedCell;
  rows: R[];
  cols: C[];
}

/**
 * A cross table with its margins (e.g. municipality × category). Row totals keep the state decided for them
 * (`rowHidden`); the column totals are protected as a line of the grand total first; then interior cells are
 * hidden until the pattern has no bridge. Without `rowHidden` the row totals are protected as a line too. A cell absent from `cells` is a structural zero (published as none).
 */
export function protectTable<R extends string, C extends string>(input: Table2DInput<R, C>): Table2D<R, C> {
  const rows = [...input.rowTotals.keys()];
  const cols = [...input.colTotals.keys()];
  const grandHidden = input.grandHidden ?? primary(input.grand);
  const colLine = protectLine(input.colTotals, input.grand, grandHidden);
  const rowLine = input.rowHidden ? null : protectLine(input.rowTotals, input.grand, grandHidden);
  const edges: Edge[] = [];
  const index = new Map<string, number>();
  const rowNode = (r: R) => `r:${r}`;
  const colNode = (c: C) => `c:${c}`;
  for (const r of rows) {
    for (const [c, raw] of input.cells.get(r) ?? []) {
      index.set(`${r}\u0000${c}`, edges.length);
      edges.push({ a: rowNode(r), b: colNode(c), ...raw, fixed: false, hidden: primary(raw) });
    }
  }
  const rowEdge = new Map<R, number>();
  for (const r of rows) {
    rowEdge.set(r, edges.length);
    const raw = input.rowTotals.get(r)!;
    edges.push({
      a: rowNode(r),
      b: 'C',
      ...raw,
      fixed: true,
      hidden: input.rowHidden ? (input.rowHidden.get(r) ?? primary(raw)) : rowLine!.cells.get(r)!.hidden,
    });
  }
  const colEdge = new Map<C, number>();
  for (const c of cols) {
    colEdge.set(c, edges.length);
    edges.push({
      a: 'R',
      b: colNode(c),
      ...input.colTotals.get(c)!,
      fixed: true,
      hidden: colLine.cells.get(c)!.hidden,
    });
  }
  edges.push({ a: 'R', b: 'C', ...input.grand, fixed: true, hidden: grandHidden });
  // Cells under a hidden row or column total are hidden with it.
  for (const [key, i] of index) {
    const [r, c] = key.split('\u0000') as [R, C];
    const cell = at(edges, i);
    if (!cell.hidden && (at(edges, rowEdge.get(r)!).hidden || at(edges, colEdge.get(c)!).hidden))
      cell.hidden = 'secondary';
  }
  secondary(edges);
  return {
    rows,
    cols,
    cell: (r, c) => {
      const i = index.get(`${r}\u0000${c}`);
      return i === undefined ? { clients: 0, amountCents: 0, hidden: null } : shown(at(edges, i));
    },
    rowTotal: (r) => shown(at(edges, rowEdge.get(r)!)),
    colTotal: (c) => shown(at(edges, colEdge.get(c)!)),
    grand: shown(at(edges, edges.length - 1)),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Derived figures: computed from protected cells only, hidden as soon as one input is.

/** amount / total (null when either is hidden or the total is zero). */
export function shareOf(part: number | null, total: number | null): number | null {
  return part === null || total === null || total === 0 ? null : part / total;
}

/** Cost per client from a protected amount and a protected (rounded) count. */
export function perClient(amountCents: number | null, clients: number | null): number | null {
  return amountCents === null || !clients ? null : Math.round(amountCents / clients);
}

/** Per 1,000 youths (reference data, public) from a protected figure. */
export function perThousand(value: number | null, youths: number): number | null {
  return value === null || !youths ? null : (value * 1000) / youths;
}

/** Growth now / before − 1 from protected figures. */
export function growth(now: number | null, before: number | null): number | null {
  return now === null || before === null || before === 0 ? null : now / before - 1;
}

/** Sum of protected figures: hidden when any part is. */
export function sumProtected(parts: readonly (number | null)[]): number | null {
  let s = 0;
  for (const p of parts) {
    if (p === null) return null;
    s += p;
  }
  return s;
}
