import { at } from '../indexing.js';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chainLadder } from './chainLadder.js';
import { parseTriangleCsv } from './triangleCsv.js';

// RAA (Mack 1994, Historic Loss Development Study 1991, Reinsurance Association of America), cumulative.
const RAA = readFileSync(new URL('./fixtures/raa.csv', import.meta.url), 'utf8');

describe('chain ladder + Mack on the RAA triangle', () => {
  it('reproduces the published factors, IBNR and Mack standard error', () => {
    const r = parseTriangleCsv(RAA, false);
    expect(r.factors.map((f) => Number(f.toFixed(4)))).toEqual([
      2.9994, 1.6235, 1.2709, 1.1717, 1.1134, 1.0419, 1.0333, 1.0169, 1.0092,
    ]);
    expect(r.totalIbnr).toBeCloseTo(52135.23, 1);
    // Mack's rule for the last σ² gives ≈ 26,909 (R's log-linear extrapolation gives ≈ 26,881).
    expect(Math.abs(r.totalMackSE - 26909)).toBeLessThan(30);
  });

  it('hand example: 2×2 triangle', () => {
    // f = (150) / (100) = 1.5 → origin 1 ultimate 200 × 1.5 = 300, IBNR 100.
    const r = chainLadder([
      [100, 150],
      [200, null],
    ]);
    expect(r.factors).toEqual([1.5]);
    expect(at(r.origins, 1).ultimate).toBe(300);
    expect(r.totalIbnr).toBe(100);
  });

  it('properties: a complete triangle has zero IBNR; scaling scales IBNR and SE', () => {
    const tri = fc.array(fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 4, maxLength: 4 }), {
      minLength: 4,
      maxLength: 4,
    });
    fc.assert(
      fc.property(tri, fc.integer({ min: 2, max: 50 }), (inc, k) => {
        const cum = inc.map((row) => row.reduce<number[]>((a, v) => [...a, (a.at(-1) ?? 0) + v], []));
        expect(chainLadder(cum).totalIbnr).toBeCloseTo(0, 6);
        const partial = cum.map((row, i) => row.map((v, j) => (i + j < 4 ? v : null)));
        const a = chainLadder(partial);
        const b = chainLadder(partial.map((row) => row.map((v) => (v === null ? null : v * k))));
        expect(b.totalIbnr).toBeCloseTo(a.totalIbnr * k, 4);
        expect(b.totalMackSE).toBeCloseTo(a.totalMackSE * k, 3);
        expect(a.totalIbnr).toBeGreaterThanOrEqual(-1e-9);
      }),
      { numRuns: 100 },
    );
  });
});
