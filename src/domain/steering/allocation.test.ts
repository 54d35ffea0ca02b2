import { at } from '../indexing.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZHZ_MUNICIPALITIES } from '../codes/index.js';
import {
  allocate,
  allocateByKey,
  allocatePhased,
  compareKeys,
  keyWeights,
  parsePhase,
  phaseWeightFor,
  type AllocationBasisRow,
  type Weighted,
} from './allocation.js';

const codes = ZHZ_MUNICIPALITIES.map((m) => m.code);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** 1..10 municipalities with key values ≥ 0 (integers or fractions), at least one > 0. */
const weightsArb = fc
  .array(fc.oneof(fc.nat({ max: 1_000_000 }), fc.double({ min: 0, max: 1e6, noNaN: true, noDefaultInfinity: true })), {
    minLength: 1,
    maxLength: 10,
  })
  .filter((ws) => ws.some((w) => w > 0))
  .map((ws): Weighted[] => ws.map((weight, i) => ({ code: at(codes, i), weight })));
const amountArb = fc.integer({ min: -50_000_000_000, max: 50_000_000_000 });

describe('allocate: exact to the cent', () => {
  it('shares always add up to the amount (positive and negative)', () => {
    fc.assert(
      fc.property(amountArb, weightsArb, (amount, ws) => {
        const shares = allocate(amount, ws);
        expect(sum(shares.map((s) => s.shareCents))).toBe(amount);
        for (const s of shares) expect(Number.isSafeInteger(s.shareCents)).toBe(true);
      }),
    );
  });

  it('is monotone in the key: a larger key value never gets less (in absolute value)', () => {
    fc.assert(
      fc.property(amountArb, weightsArb, (amount, ws) => {
        const shares = allocate(amount, ws);
        for (let i = 0; i < ws.length; i++)
          for (let j = 0; j < ws.length; j++)
            if (at(ws, i).weight > at(ws, j).weight)
              expect(Math.abs(at(shares, i).shareCents)).toBeGreaterThanOrEqual(Math.abs(at(shares, j).shareCents));
      }),
    );
  });

  it('each share is within one cent of its exact quota', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000_000 }),
        fc.array(fc.nat({ max: 100_000 }), { minLength: 1, maxLength: 10 }).filter((w) => w.some((x) => x > 0)),
        (amount, raw) => {
          const ws = raw.map((weight, i) => ({ code: at(codes, i), weight }));
          const total = sum(raw);
          for (const s of allocate(amount, ws)) {
            const quota = (amount * s.basis) / total;
            expect(Math.abs(s.shareCents - quota)).toBeLessThan(1 + 1e-6);
          }
        },
      ),
    );
  });

  it('zero-weight keys get 0', () => {
    fc.assert(
      fc.property(amountArb, weightsArb, (amount, ws) => {
        allocate(amount, ws).forEach((s, i) => {
          if (at(ws, i).weight === 0) expect(s.shareCents).toBe(0);
        });
      }),
    );
  });

  it('negating the amount negates every share', () => {
    fc.assert(
      fc.property(amountArb, weightsArb, (amount, ws) => {
        const a = allocate(amount, ws).map((s) => s.shareCents);
        const b = allocate(-amount, ws).map((s) => -s.shareCents || 0);
        expect(b).toEqual(a);
      }),
    );
  });

  it('an all-zero key is a clear error', () => {
    expect(() =>
      allocate(100, [
        { code: '0482', weight: 0 },
        { code: '0505', weight: 0 },
      ]),
    ).toThrow(/zero for every municipality/);
    fc.assert(
      fc.property(amountArb, fc.integer({ min: 1, max: 10 }), (amount, n) => {
        expect(() =>
          allocate(
            amount,
            codes.slice(0, n).map((code) => ({ code, weight: 0 })),
          ),
        ).toThrow(/zero for every municipality/);
      }),
    );
  });

  it('rejects negative, non-finite and duplicate keys and an empty list', () => {
    expect(() => allocate(100, [{ code: '0482', weight: -1 }])).toThrow(/≥ 0/);
    expect(() => allocate(100, [{ code: '0482', weight: Number.NaN }])).toThrow(/finite/);
    expect(() =>
      allocate(100, [
        { code: '0482', weight: 1 },
        { code: '0482', weight: 2 },
      ]),
    ).toThrow(/twice/);
    expect(() => allocate(100, [])).toThrow(/no municipalities/);
    expect(() => allocate(1.5, [{ code: '0482', weight: 1 }])).toThrow(/integer/);
  });

  it('breaks ties deterministically by municipality code, whatever the input order', () => {
    // 100 cents over three equal keys: 33 each, the extra cent to the lowest code.
    const a = allocate(100, [
      { code: '0505', weight: 1 },
      { code: '0482', weight: 1 },
      { code: '0512', weight: 1 },
    ]);
    expect(a.map((s) => [s.code, s.shareCents])).toEqual([
      ['0505', 33],
      ['0482', 34],
      ['0512', 33],
    ]);
    expect(
      allocate(-100, [
        { code: '0512', weight: 1 },
        { code: '0482', weight: 1 },
        { code: '0505', weight: 1 },
      ]).map((s) => s.shareCents),
    ).toEqual([-33, -34, -33]);
  });

  it('is exact for weights that floats cannot add up exactly (0.1 + 0.2)', () => {
    const s = allocate(3, [
      { code: '0482', weight: 0.1 },
      { code: '0505', weight: 0.2 },
    ]);
    expect(s.map((x) => x.shareCents)).toEqual([1, 2]);
  });

  it('gives the largest remainders the leftover cents', () => {
    // 1000 cents by 1:2:4 → quotas 142.857, 285.714, 571.428 → floors 142, 285, 571 (998) → +1 to 142.857 and 285.714
    expect(
      allocate(1000, [
        { code: '0482', weight: 1 },
        { code: '0505', weight: 2 },
        { code: '0512', weight: 4 },
      ]).map((s) => s.shareCents),
    ).toEqual([143, 286, 571]);
  });
});

describe('phased move from solidarity to own usage', () => {
  const phaseArb = fc.tuple(
    amountArb,
    weightsArb,
    fc.array(fc.nat({ max: 5_000_000 }), { minLength: 10, maxLength: 10 }),
  );
  it('the endpoints equal the pure keys exactly', () => {
    fc.assert(
      fc.property(phaseArb, ([amount, solid, rawOwn]) => {
        const own = solid.map((w, i) => ({ code: w.code, weight: at(rawOwn, i) + 1 }));
        expect(allocatePhased(amount, solid, own, 0).map((s) => s.shareCents)).toEqual(
          allocate(amount, solid).map((s) => s.shareCents),
        );
        expect(allocatePhased(amount, solid, own, 1).map((s) => s.shareCents)).toEqual(
          allocate(amount, own).map((s) => s.shareCents),
        );
      }),
    );
  });
  it('every step in between adds up to the amount and lies between the two pure shares (± 1 cent)', () => {
    fc.assert(
      fc.property(phaseArb, fc.double({ min: 0, max: 1, noNaN: true }), ([amount, solid, rawOwn], w) => {
        const own = solid.map((x, i) => ({ code: x.code, weight: at(rawOwn, i) + 1 }));
        const mid = allocatePhased(amount, solid, own, w).map((s) => s.shareCents);
        expect(sum(mid)).toBe(amount);
        const a = allocate(amount, solid).map((s) => s.shareCents);
        const b = allocate(amount, own).map((s) => s.shareCents);
        mid.forEach((m, i) => {
          expect(m).toBeGreaterThanOrEqual(Math.min(at(a, i), at(b, i)) - 1);
          expect(m).toBeLessThanOrEqual(Math.max(at(a, i), at(b, i)) + 1);
        });
      }),
    );
  });
  it('halfway: a 50/50 blend of the two fractions', () => {
    // solidarity 1:1 (50%/50%), own 1:3 (25%/75%) → blended 37.5% / 62.5% of 10.000 cents
    const s = allocatePhased(
      10_000,
      [
        { code: '0482', weight: 1 },
        { code: '0505', weight: 1 },
      ],
      [
        { code: '0482', weight: 1 },
        { code: '0505', weight: 3 },
      ],
      0.5,
    );
    expect(s.map((x) => x.shareCents)).toEqual([3_750, 6_250]);
    expect(at(s, 0).fraction).toBeCloseTo(0.375, 12);
    expect(at(s, 0).basis).toBe(at(s, 0).fraction);
    // at the endpoints too the basis is the fraction, and the unused key may be all zero
    const end = allocatePhased(
      100,
      [
        { code: '0482', weight: 0 },
        { code: '0505', weight: 0 },
      ],
      [
        { code: '0505', weight: 3 },
        { code: '0482', weight: 1 },
      ],
      1,
    );
    expect(end).toEqual([
      { code: '0482', basis: 0.25, fraction: 0.25, shareCents: 25 },
      { code: '0505', basis: 0.75, fraction: 0.75, shareCents: 75 },
    ]);
  });
  it('checks its inputs', () => {
    const a = [{ code: '0482', weight: 1 }];
    expect(() => allocatePhased(100, a, a, 1.5)).toThrow(/between 0 and 1/);
    expect(() => allocatePhased(100, a, [{ code: '0505', weight: 1 }], 0.5)).toThrow(/same municipalities/);
    expect(() => allocatePhased(100, a, [{ code: '0482', weight: 0 }], 0.5)).toThrow(/own usage is zero/);
  });
  it('parses a schedule and picks the step for a year', () => {
    const p = parsePhase('2021:0.25, 2020:0,2022:50%,2023:1');
    expect(p).toEqual([
      { year: 2020, ownWeight: 0 },
      { year: 2021, ownWeight: 0.25 },
      { year: 2022, ownWeight: 0.5 },
      { year: 2023, ownWeight: 1 },
    ]);
    expect(phaseWeightFor(p, 2019)).toBe(0);
    expect(phaseWeightFor(p, 2021)).toBe(0.25);
    expect(phaseWeightFor(p, 2022)).toBe(0.5);
    expect(phaseWeightFor(p, 2030)).toBe(1);
    expect(() => parsePhase('2020:1.5')).toThrow(/between 0 and 1/);
    expect(() => parsePhase('2020=1')).toThrow(/YEAR:WEIGHT/);
    expect(() => parsePhase('2020:0,2020:1')).toThrow(/twice/);
    expect(() => parsePhase('')).toThrow(/empty/);
  });
});

function regionRows(): AllocationBasisRow[] {
  // Usage and clients invented for the test; inhabitants and youths are Grip's approximate defaults.
  return ZHZ_MUNICIPALITIES.map((m, i) => ({
    code: m.code,
    name: m.name,
    usageCents: (i + 1) * 100_000_00,
    clientsPrev: 100 + i * 10,
    clients3y: [90 + i * 10, 95 + i * 10, 100 + i * 10],
    inhabitants: m.inhabitants,
    youths: m.youths,
  }));
}

describe('keys from the region data', () => {
  it('builds each key; the 3-year key shows the average but splits like the sum', () => {
    const rows = regionRows();
    expect(keyWeights('clients-3y', rows)[0]).toEqual({ code: '0482', weight: 285, basis: 95 });
    expect(keyWeights('equal', rows).every((w) => w.weight === 1)).toBe(true);
    const equal = allocateByKey(400_000_00, 'equal', rows);
    expect(equal.every((s) => s.shareCents === 40_000_00)).toBe(true);
    expect(() => keyWeights('usage', [{ ...at(rows, 0), usageCents: -1 }])).toThrow(/negative/);
    expect(() => allocateByKey(1, 'phased', rows)).toThrow(/phase schedule/);
  });

  it('inhabitants key on the approximate defaults: Alblasserdam 20.800 of 467.900', () => {
    // 40.000.000 cents × 20.800 / 467.900 = 1.778.157,73 → 1.778.157 or 1.778.158 after the leftover cents
    const s = allocateByKey(400_000_00, 'inhabitants', regionRows()).find((x) => x.code === '0482')!;
    expect(s.shareCents === 1_778_157 || s.shareCents === 1_778_158).toBe(true);
    expect(s.fraction).toBeCloseTo(20_800 / 467_900, 12);
  });
});

describe('which key reproduces a decision (seed 001: € 19.000 of € 400.000 for Alblasserdam)', () => {
  // Seed 001: "vanuit het Transformatiefonds Jeugdhulp een bedrag van € 400.000,= beschikbaar gesteld voor de
  // gehele regio. Voor Alblasserdam komt dat neer op € 19.000,=." → 19.000 / 400.000 = 4,75 %.
  it('shows each key next to the decided figure and names the closest', () => {
    const rows = regionRows();
    // Plant a usage key that gives Alblasserdam exactly 4,75%: 475 of 10.000 units, the rest spread over the others.
    const planted = rows.map((r, i) => ({
      ...r,
      usageCents: i === 0 ? 475 : at([1000, 1200, 800, 900, 1500, 1100, 1000, 1025, 1000], i - 1),
    }));
    expect(planted.reduce((a, r) => a + r.usageCents, 0)).toBe(10_000);
    const check = compareKeys(400_000_00, { municipality: '0482', cents: 19_000_00 }, planted, {
      phase: parsePhase('2020:0,2021:0.5,2022:1'),
      year: 2021,
    });
    expect(check.decidedPercent).toBe(4.75);
    expect(check.toleranceCents).toBe(19_000);
    const usage = check.keys.find((k) => k.key === 'usage')!;
    expect(usage).toMatchObject({ shareCents: 19_000_00, percent: 4.75, differenceCents: 0, reproduces: true });
    expect(check.closest).toBe('usage');
    const equal = check.keys.find((k) => k.key === 'equal')!;
    expect(equal).toMatchObject({ shareCents: 40_000_00, differenceCents: 21_000_00, reproduces: false });
    expect(check.keys.map((k) => k.key)).toEqual([
      'usage',
      'clients-prev',
      'clients-3y',
      'inhabitants',
      'youths',
      'equal',
      'phased',
    ]);
  });
  it('reports a key that cannot be computed instead of failing', () => {
    const rows = regionRows().map((r) => ({ ...r, clientsPrev: 0 }));
    const check = compareKeys(400_000_00, { municipality: '0482', cents: 19_000_00 }, rows);
    const k = check.keys.find((x) => x.key === 'clients-prev')!;
    expect(k.shareCents).toBeNull();
    expect(k.error).toMatch(/zero for every municipality/);
    expect(check.keys.some((x) => x.key === 'phased')).toBe(false);
    expect(() => compareKeys(1, { municipality: '9999', cents: 1 }, rows)).toThrow(/not one of/);
  });
});
