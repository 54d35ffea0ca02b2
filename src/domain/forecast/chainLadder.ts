/**
 * Chain ladder with volume-weighted development factors and Mack's (1993) standard error.
 * The last σ² uses Mack's rule: min(σ⁴_{n−2}/σ²_{n−3}, σ²_{n−3}, σ²_{n−2}) (not R's log-linear fit).
 */
import { at } from '../indexing.js';

export type Triangle = (number | null)[][]; // cumulative; rows = origins, columns = development periods

export interface OriginResult {
  origin: string;
  latest: number;
  ultimate: number;
  ibnr: number;
  mackSE: number;
}

export interface ChainLadderResult {
  factors: number[];
  sigma2: number[];
  origins: OriginResult[];
  totalIbnr: number;
  totalMackSE: number;
}

const known = (v: number | null | undefined): v is number => v !== null && v !== undefined && Number.isFinite(v);

export function latestIndex(row: (number | null)[]): number {
  let k = -1;
  row.forEach((v, j) => {
    if (known(v)) k = j;
  });
  return k;
}

export function chainLadder(tri: Triangle, originNames: string[] = tri.map((_, i) => String(i))): ChainLadderResult {
  const n = Math.max(...tri.map((r) => r.length));
  const factors: number[] = [];
  const sigma2: number[] = [];
  const counts: number[] = [];
  for (let j = 0; j < n - 1; j++) {
    let num = 0;
    let den = 0;
    const pairs: [number, number][] = [];
    for (const row of tri) {
      const a = row[j];
      const b = row[j + 1];
      if (known(a) && known(b)) {
        num += b;
        den += a;
        pairs.push([a, b]);
      }
    }
    const f = den > 0 ? num / den : 1;
    factors.push(f);
    counts.push(pairs.length);
    sigma2.push(pairs.length > 1 ? pairs.reduce((s, [a, b]) => s + a * (b / a - f) ** 2, 0) / (pairs.length - 1) : NaN);
  }
  // Mack's rule where a σ² cannot be estimated (one pair only: the last column(s)).
  for (let j = 0; j < sigma2.length; j++) {
    if (!Number.isFinite(sigma2[j])) {
      // Before the first column there is no σ² to borrow (NaN: not finite).
      const a = sigma2[j - 1] ?? NaN;
      const b = sigma2[j - 2] ?? NaN;
      sigma2[j] =
        Number.isFinite(a) && Number.isFinite(b) && b > 0
          ? Math.min((a * a) / b, Math.min(a, b))
          : Number.isFinite(a)
            ? a
            : 0;
    }
  }
  const colSum = (j: number, upToRowsWithLatestAbove: number) =>
    tri.reduce((s, row) => {
      const v = row[j];
      return latestIndex(row) > upToRowsWithLatestAbove && known(v) ? s + v : s;
    }, 0);
  const origins: OriginResult[] = [];
  const ult: number[] = [];
  const latestIdx = tri.map(latestIndex);
  tri.forEach((row, i) => {
    const k = at(latestIdx, i);
    const latest = k >= 0 ? (at(row, k) as number) : 0;
    let u = latest;
    let rel = 0; // Σ σ²/f² (1/Ĉ + 1/ΣC)
    let c = latest;
    for (let j = Math.max(k, 0); j < n - 1; j++) {
      const f = at(factors, j);
      const sumC = colSum(j, j);
      if (c > 0 && f > 0) rel += (at(sigma2, j) / (f * f)) * (1 / c + (sumC > 0 ? 1 / sumC : 0));
      c *= f;
    }
    u = c;
    ult.push(u);
    origins.push({
      origin: at(originNames, i),
      latest,
      ultimate: u,
      ibnr: u - latest,
      mackSE: Math.sqrt(Math.max(0, u * u * rel)),
    });
  });
  // Total: Σ mse_i + 2 Σ_{i<l} U_i U_l Σ_{j ≥ k_i} σ²_j/f_j² / ΣC_j (Mack 1993, the covariance term).
  let totalMse = origins.reduce((s, o) => s + o.mackSE ** 2, 0);
  for (let i = 0; i < tri.length; i++) {
    let term = 0;
    const ki = at(latestIdx, i);
    for (let j = Math.max(ki, 0); j < n - 1; j++) {
      const sumC = colSum(j, j);
      const f = at(factors, j);
      if (sumC > 0) term += (2 * at(sigma2, j)) / (f * f) / sumC;
    }
    let others = 0;
    for (let l = 0; l < tri.length; l++) if (at(latestIdx, l) < ki) others += at(ult, l);
    totalMse += at(ult, i) * others * term;
  }
  return {
    factors,
    sigma2,
    origins,
    totalIbnr: origins.reduce((s, o) => s + o.ibnr, 0),
    totalMackSE: Math.sqrt(totalMse),
  };
}

/** Builds a cumulative triangle from long-form cells (incremental unless `cumulative`). */
export function triangleFromLong(
  cells: { origin: string; development: number; value: number }[],
  cumulative = false,
): { origins: string[]; triangle: Triangle } {
  const origins = [...new Set(cells.map((c) => c.origin))].sort();
  const devs = Math.max(...cells.map((c) => c.development)) + 1;
  const tri: Triangle = origins.map(() => new Array<number | null>(devs).fill(null));
  for (const c of cells) {
    const row = at(tri, origins.indexOf(c.origin));
    row[c.development] = (row[c.development] ?? 0) + c.value;
  }
  if (!cumulative) {
    for (const row of tri) {
      let acc = 0;
      const last = latestIndex(row);
      for (let j = 0; j <= last; j++) {
        acc += row[j] ?? 0;
        row[j] = acc;
      }
    }
  }
  return { origins, triangle: tri };
}
