/**
 * A test-only attacker who calculates: given linear equations between unknown (hidden) values and published
 * constants, which unknowns are uniquely determined, and to what value. Gauss–Jordan elimination in floating
 * point with partial pivoting; an unknown is determined when its pivot row holds no other unknown.
 * Written independently of the disclosure code it attacks (it knows nothing of graphs or bridges).
 */
import { at } from '../indexing.js';

export interface Equation {
  /** Unknown index → coefficient. */
  terms: Map<number, number>;
  /** Sum of the terms equals this. */
  constant: number;
}

const EPS = 1e-9;

export function determinedUnknowns(equations: readonly Equation[], unknowns: number): Map<number, number> {
  const rows = equations.map((e) => {
    const r = new Float64Array(unknowns + 1);
    for (const [k, c] of e.terms) r[k] = at(r, k) + c;
    r[unknowns] = e.constant;
    return r;
  });
  const pivotOf = new Map<number, number>(); // column → row
  let rank = 0;
  for (let col = 0; col < unknowns && rank < rows.length; col++) {
    let best = -1;
    let bestAbs = EPS;
    for (let r = rank; r < rows.length; r++) {
      const a = Math.abs(at(at(rows, r), col));
      if (a > bestAbs) {
        bestAbs = a;
        best = r;
      }
    }
    if (best < 0) continue;
    const p = at(rows, best);
    rows[best] = at(rows, rank);
    rows[rank] = p;
    const inv = 1 / at(p, col);
    for (let j = 0; j <= unknowns; j++) p[j] = at(p, j) * inv;
    for (let r = 0; r < rows.length; r++) {
      if (r === rank) continue;
      const row = at(rows, r);
      const f = at(row, col);
      if (Math.abs(f) < EPS) continue;
      for (let j = 0; j <= unknowns; j++) row[j] = at(row, j) - f * at(p, j);
    }
    pivotOf.set(col, rank);
    rank++;
  }
  const out = new Map<number, number>();
  for (const [col, r] of pivotOf) {
    let alone = true;
    const row = at(rows, r);
    for (let j = 0; j < unknowns; j++) if (j !== col && Math.abs(at(row, j)) > 1e-7) alone = false;
    if (alone) out.set(col, at(row, unknowns));
  }
  return out;
}
