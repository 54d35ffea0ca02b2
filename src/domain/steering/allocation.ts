/**
 * Splitting a regional amount (a deficit, a budget amendment, a fund such as the € 400.000 "voorkant" fund of
 * seed 001) over the municipalities by a key (verdeelsleutel).
 *
 * Exact to the cent: the shares always add up to the amount. Every key value is converted to an exact rational
 * (a double is m·2^e, so it converts without loss) and the quotas amount·wᵢ/W are computed in BigInt; each
 * municipality gets the floor of its quota and the cents left over go one by one to the largest remainders,
 * ties broken by municipality code (ascending). Because the arithmetic is exact, a larger key value always
 * has a strictly larger remainder when the floors are equal, so a larger key never gets less.
 * Negative amounts (a surplus to hand back) are split as their absolute value and negated.
 *
 * Pure: no I/O, no clock.
 */
import { at } from '../indexing.js';
import type { RegionMunicipality } from '../codes/index.js';
import { GripError } from '../errors.js';
import { assertCents, type Cents } from '../money.js';

export const ALLOCATION_KEYS = [
  'usage',
  'clients-prev',
  'clients-3y',
  'inhabitants',
  'youths',
  'equal',
  'phased',
] as const;
export type AllocationKey = (typeof ALLOCATION_KEYS)[number];
/** The keys that stand on their own (everything but `phased`, which blends two of them). */
export type PureAllocationKey = Exclude<AllocationKey, 'phased'>;
export const PURE_ALLOCATION_KEYS: readonly PureAllocationKey[] = [
  'usage',
  'clients-prev',
  'clients-3y',
  'inhabitants',
  'youths',
  'equal',
];

/** Dutch labels for tables. */
export const ALLOCATION_KEY_LABELS: Readonly<Record<AllocationKey, string>> = {
  usage: 'eigen gebruik (realisatie)',
  'clients-prev': 'cliënten jaar t-1',
  'clients-3y': 'cliënten, 3-jaarsgemiddelde',
  inhabitants: 'inwoners',
  youths: 'jeugdigen 0–17',
  equal: 'gelijke delen',
  phased: 'ingroeipad solidariteit → eigen gebruik',
};

/** Keys resting on public reference figures only (CBS inhabitants and youths, or none): a split by them is no cell figure. */
export const PUBLIC_ALLOCATION_KEYS: ReadonlySet<string> = new Set<AllocationKey>(['inhabitants', 'youths', 'equal']);

export function isAllocationKey(s: string): s is AllocationKey {
  return (ALLOCATION_KEYS as readonly string[]).includes(s);
}

/** One municipality's key value. `basis` is what to show (e.g. the 3-year average) when `weight` is a proportional stand-in (the 3-year sum). */
export interface Weighted {
  code: string;
  weight: number;
  basis?: number;
}

export interface Share {
  code: string;
  /** The key value shown to people (clients, inhabitants, cents of usage, the blended fraction for `phased`). */
  basis: number;
  /** This municipality's fraction of the key (0..1), as a float for display. */
  fraction: number;
  shareCents: Cents;
}

// ---------------------------------------------------------------------------------------------------------
// exact arithmetic

/** x ≥ 0 finite as n / 2^e exactly. */
function toDyadic(x: number): { n: bigint; e: number } {
  let v = x;
  let e = 0;
  while (!Number.isInteger(v)) {
    v *= 2;
    e++;
  }
  return { n: BigInt(v), e };
}

/** Numbers → integer BigInt weights with one common denominator (exact, proportions preserved). */
function toBigWeights(values: readonly number[]): bigint[] {
  const d = values.map(toDyadic);
  const maxE = Math.max(0, ...d.map((x) => x.e));
  return d.map((x) => x.n << BigInt(maxE - x.e));
}

function validateWeights(weights: readonly Weighted[], what: string): void {
  if (!weights.length) throw new GripError('ALLOCATION_EMPTY', `${what}: no municipalities to split over`);
  const seen = new Set<string>();
  for (const w of weights) {
    if (seen.has(w.code)) throw new GripError('ALLOCATION_DUPLICATE', `${what}: municipality ${w.code} appears twice`);
    seen.add(w.code);
    if (!Number.isFinite(w.weight) || w.weight < 0)
      throw new GripError(
        'ALLOCATION_KEY_INVALID',
        `${what}: key value of ${w.code} must be a finite number ≥ 0, got ${w.weight}`,
      );
  }
}

/** Largest remainder over BigInt weights; returns cents per index. Ties by code ascending. */
function splitExact(amountCents: Cents, codes: readonly string[], weights: readonly bigint[], what: string): Cents[] {
  assertCents(amountCents, 'amount to split');
  const total = weights.reduce((a, b) => a + b, 0n);
  if (total === 0n)
    throw new GripError(
      'ALLOCATION_KEY_ZERO',
      `${what}: the key is zero for every municipality, so nothing can be split by it`,
    );
  const negative = amountCents < 0;
  const abs = BigInt(Math.abs(amountCents));
  const floors = weights.map((w) => (abs * w) / total);
  const rems = weights.map((w) => (abs * w) % total);
  let left = Number(abs - floors.reduce((a, b) => a + b, 0n));
  const order = codes
    .map((_, i) => i)
    .sort((a, b) => {
      const [ra, rb, ca, cb] = [at(rems, a), at(rems, b), at(codes, a), at(codes, b)];
      return ra > rb ? -1 : ra < rb ? 1 : ca < cb ? -1 : ca > cb ? 1 : 0;
    });
  const out = floors.map((f) => Number(f));
  for (const i of order) {
    if (left <= 0) break;
    out[i] = at(out, i) + 1;
    left--;
  }
  return out.map((c) => (negative && c !== 0 ? -c : c));
}

// ---------------------------------------------------------------------------------------------------------
// public splitting

/**
 * Splits `amountCents` over the municipalities in proportion to their key values. Returns one share per input
 * row, in input order. Throws `ALLOCATION_KEY_ZERO` when every key value is 0, `ALLOCATION_KEY_INVALID` for a
 * negative or non-finite value.
 */
export function allocate(amountCents: Cents, weights: readonly Weighted[], what = 'allocation'): Share[] {
  validateWeights(weights, what);
  const big = toBigWeights(weights.map((w) => w.weight));
  const cents = splitExact(
    amountCents,
    weights.map((w) => w.code),
    big,
    what,
  );
  const total = weights.reduce((a, w) => a + w.weight, 0);
  return weights.map((w, i) => ({
    code: w.code,
    basis: w.basis ?? w.weight,
    fraction: total > 0 ? w.weight / total : 0,
    shareCents: at(cents, i),
  }));
}

/**
 * The phased move from a solidarity key to own usage: each municipality's fraction is
 * (1 − ownWeight) · solidarityᵢ/Σsolidarity + ownWeight · ownᵢ/Σown, computed exactly.
 * ownWeight 0 gives exactly the solidarity split, 1 exactly the own-usage split. Both lists must hold the same codes.
 */
export function allocatePhased(
  amountCents: Cents,
  solidarity: readonly Weighted[],
  own: readonly Weighted[],
  ownWeight: number,
): Share[] {
  if (!Number.isFinite(ownWeight) || ownWeight < 0 || ownWeight > 1)
    throw new GripError(
      'ALLOCATION_PHASE_INVALID',
      `phase weight of own usage must lie between 0 and 1, got ${ownWeight}`,
    );
  // At the endpoints only one key counts (the other may even be all zero); the basis shown is the fraction.
  const asFraction = (shares: Share[]) => shares.map((x) => ({ ...x, basis: x.fraction }));
  if (ownWeight === 0) return asFraction(allocate(amountCents, solidarity, 'phased allocation (solidarity key)'));
  if (ownWeight === 1) {
    const ownBy = new Map(own.map((w) => [w.code, w]));
    if (own.length !== solidarity.length || solidarity.some((w) => !ownBy.has(w.code)))
      throw new GripError(
        'ALLOCATION_MISMATCH',
        'phased allocation: the solidarity key and own usage must cover the same municipalities',
      );
    return asFraction(
      allocate(
        amountCents,
        solidarity.map((w) => ownBy.get(w.code)!),
        'phased allocation (own usage)',
      ),
    );
  }
  validateWeights(solidarity, 'phased allocation (solidarity key)');
  validateWeights(own, 'phased allocation (own usage)');
  const ownBy = new Map(own.map((w) => [w.code, w.weight]));
  if (own.length !== solidarity.length || solidarity.some((w) => !ownBy.has(w.code)))
    throw new GripError(
      'ALLOCATION_MISMATCH',
      'phased allocation: the solidarity key and own usage must cover the same municipalities',
    );
  const ownAligned = solidarity.map((w) => ownBy.get(w.code)!);
  const s = toBigWeights(solidarity.map((w) => w.weight));
  const u = toBigWeights(ownAligned);
  const S = s.reduce((a, b) => a + b, 0n);
  const U = u.reduce((a, b) => a + b, 0n);
  if (S === 0n)
    throw new GripError('ALLOCATION_KEY_ZERO', 'phased allocation: the solidarity key is zero for every municipality');
  if (U === 0n)
    throw new GripError('ALLOCATION_KEY_ZERO', 'phased allocation: own usage is zero for every municipality');
  const p = toDyadic(ownWeight);
  const one = 1n << BigInt(p.e);
  const blended = s.map((si, i) => (one - p.n) * si * U + p.n * at(u, i) * S);
  const cents = splitExact(
    amountCents,
    solidarity.map((w) => w.code),
    blended,
    'phased allocation',
  );
  const sTot = solidarity.reduce((a, w) => a + w.weight, 0);
  const uTot = ownAligned.reduce((a, b) => a + b, 0);
  return solidarity.map((w, i) => {
    const fraction = (1 - ownWeight) * (w.weight / sTot) + ownWeight * (at(ownAligned, i) / uTot);
    return { code: w.code, basis: fraction, fraction, shareCents: at(cents, i) };
  });
}

// ---------------------------------------------------------------------------------------------------------
// phase schedules

/** One step of a phase-in: from `year` on, own usage weighs `ownWeight` (0 = full solidarity, 1 = own usage only). */
export interface PhaseStep {
  year: number;
  ownWeight: number;
}

/** Parses `2020:0,2021:0.25,2022:0.5,2023:1` (weights may also be written as percentages: `2021:25%`). */
export function parsePhase(text: string): PhaseStep[] {
  const steps: PhaseStep[] = [];
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^(\d{4})\s*:\s*(\d+(?:[.,]\d+)?)(%?)$/.exec(part);
    if (!m) throw new GripError('USAGE', `phase step "${part}" is not YEAR:WEIGHT (e.g. 2021:0.25)`);
    const w = Number(at(m, 2).replace(',', '.')) / (m[3] ? 100 : 1);
    if (!(w >= 0 && w <= 1))
      throw new GripError('USAGE', `phase step "${part}": weight must lie between 0 and 1 (or 0% and 100%)`);
    steps.push({ year: Number(m[1]), ownWeight: w });
  }
  if (!steps.length)
    throw new GripError('USAGE', 'phase schedule is empty; give steps like 2020:0,2021:0.25,2022:0.5,2023:1');
  steps.sort((a, b) => a.year - b.year);
  steps.forEach((st, i) => {
    if (i > 0 && st.year === steps[i - 1]?.year) throw new GripError('USAGE', `phase schedule names ${st.year} twice`);
  });
  return steps;
}

/** The own-usage weight in `year`: the latest step at or before it; before the first step, 0 (full solidarity). */
export function phaseWeightFor(schedule: readonly PhaseStep[], year: number): number {
  let w = 0;
  for (const s of [...schedule].sort((a, b) => a.year - b.year)) if (s.year <= year) w = s.ownWeight;
  return w;
}

// ---------------------------------------------------------------------------------------------------------
// key bases from plain data

/** What the keys are made of, per municipality. */
export interface AllocationBasisRow {
  code: string;
  name: string;
  /** Own usage: realised cost in the year (net cents). */
  usageCents: Cents;
  /** Clients in year t-1. */
  clientsPrev: number;
  /** Clients in each of the (up to) three years before (t-3, t-2, t-1); the key is their average. */
  clients3y: readonly number[];
  inhabitants: number;
  youths: number;
}

/** The key values of a pure key, one per row. For `clients-3y` the weight is the 3-year sum (proportional) and the basis the average. */
export function keyWeights(key: PureAllocationKey, rows: readonly AllocationBasisRow[]): Weighted[] {
  return rows.map((r) => {
    switch (key) {
      case 'usage':
        if (r.usageCents < 0)
          throw new GripError(
            'ALLOCATION_KEY_INVALID',
            `own usage of ${r.code} is negative (${r.usageCents} cents); own usage cannot serve as a key`,
          );
        return { code: r.code, weight: r.usageCents };
      case 'clients-prev':
        return { code: r.code, weight: r.clientsPrev };
      case 'clients-3y': {
        const sum = r.clients3y.reduce((a, b) => a + b, 0);
        return { code: r.code, weight: sum, basis: r.clients3y.length ? sum / r.clients3y.length : 0 };
      }
      case 'inhabitants':
        return { code: r.code, weight: r.inhabitants };
      case 'youths':
        return { code: r.code, weight: r.youths };
      case 'equal':
        return { code: r.code, weight: 1 };
    }
  });
}

export interface KeyOptions {
  /** Required for `phased`: the schedule and the year to take the weight for. */
  phase?: readonly PhaseStep[];
  year?: number;
  /** The key that solidarity used (default `youths`). */
  solidarityKey?: PureAllocationKey;
}

/** Splits by any key, including `phased`. */
export function allocateByKey(
  amountCents: Cents,
  key: AllocationKey,
  rows: readonly AllocationBasisRow[],
  opts: KeyOptions = {},
): Share[] {
  if (key !== 'phased') return allocate(amountCents, keyWeights(key, rows), `allocation by ${key}`);
  if (!opts.phase || opts.year === undefined)
    throw new GripError(
      'USAGE',
      'the phased key needs a phase schedule (e.g. 2020:0,2021:0.25,2022:0.5,2023:1) and a year',
    );
  const solidarityKey = opts.solidarityKey ?? 'youths';
  return allocatePhased(
    amountCents,
    keyWeights(solidarityKey, rows),
    keyWeights('usage', rows),
    phaseWeightFor(opts.phase, opts.year),
  );
}

// ---------------------------------------------------------------------------------------------------------
// which key reproduces a decision?

export interface KeyComparison {
  key: AllocationKey;
  label: string;
  /** null when this key cannot be computed from the data (the reason is in `error`). */
  shareCents: Cents | null;
  percent: number | null;
  /** shareCents − decidedCents. */
  differenceCents: Cents | null;
  /** Within the tolerance of the decided figure. */
  reproduces: boolean;
  error?: string;
}

export interface DecisionCheck {
  municipality: string;
  amountCents: Cents;
  decidedCents: Cents;
  decidedPercent: number;
  toleranceCents: Cents;
  keys: KeyComparison[];
  /** The computable key with the smallest absolute difference (first in key order on a tie), or null. */
  closest: AllocationKey | null;
}

const pct = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 100 * 10_000) / 10_000);

/**
 * For a decided share of one municipality (e.g. € 19.000 of € 400.000 for 0482, seed 001), each key's share
 * next to it. A key "reproduces" the decision when it lands within `toleranceCents` (default: 1% of the decided
 * figure, at least one euro — decisions are usually rounded). `phased` is included when opts.phase and opts.year are given.
 */
export function compareKeys(
  amountCents: Cents,
  decided: { municipality: string; cents: Cents },
  rows: readonly AllocationBasisRow[],
  opts: KeyOptions & { toleranceCents?: Cents } = {},
): DecisionCheck {
  assertCents(decided.cents, 'decided amount');
  if (!rows.some((r) => r.code === decided.municipality))
    throw new GripError(
      'USAGE',
      `municipality ${decided.municipality} is not one of the municipalities being split over`,
    );
  const toleranceCents = opts.toleranceCents ?? Math.max(100, Math.round(Math.abs(decided.cents) / 100));
  const keys: AllocationKey[] =
    opts.phase && opts.year !== undefined ? [...PURE_ALLOCATION_KEYS, 'phased'] : [...PURE_ALLOCATION_KEYS];
  const out: KeyComparison[] = keys.map((key) => {
    try {
      const share = allocateByKey(amountCents, key, rows, opts).find((s) => s.code === decided.municipality)!;
      const diff = share.shareCents - decided.cents;
      return {
        key,
        label: ALLOCATION_KEY_LABELS[key],
        shareCents: share.shareCents,
        percent: pct(share.shareCents, amountCents),
        differenceCents: diff,
        reproduces: Math.abs(diff) <= toleranceCents,
      };
    } catch (e) {
      return {
        key,
        label: ALLOCATION_KEY_LABELS[key],
        shareCents: null,
        percent: null,
        differenceCents: null,
        reproduces: false,
        error: (e as Error).message,
      };
    }
  });
  let closest: AllocationKey | null = null;
  let best = Infinity;
  for (const k of out)
    if (k.differenceCents !== null && Math.abs(k.differenceCents) < best) {
      best = Math.abs(k.differenceCents);
      closest = k.key;
    }
  return {
    municipality: decided.municipality,
    amountCents,
    decidedCents: decided.cents,
    decidedPercent: pct(decided.cents, amountCents),
    toleranceCents,
    keys: out,
    closest,
  };
}

/** Per municipality: the net cost and distinct clients of one production year (a warehouse CostRow by municipality). */
export interface MunicipalityYearCost {
  municipality?: string;
  amountCents: Cents;
  clients: number;
}

/**
 * The key bases for `year` from plain data: usage = cost in `year`; clients t-1 = clients in year−1; the
 * 3-year key averages the clients of year−3..year−1 over the years that have any data in the region.
 * Costs of municipalities outside the region are ignored.
 */
export function basisRows(
  municipalities: readonly RegionMunicipality[],
  costsByYear: ReadonlyMap<number, readonly MunicipalityYearCost[]>,
  year: number,
): AllocationBasisRow[] {
  const index = (y: number) =>
    new Map((costsByYear.get(y) ?? []).filter((r) => r.municipality).map((r) => [r.municipality!, r]));
  const cur = index(year);
  const prev = index(year - 1);
  const codes = new Set(municipalities.map((m) => m.code));
  const threeYears = [year - 3, year - 2, year - 1].filter((y) =>
    (costsByYear.get(y) ?? []).some(
      (r) => r.municipality && codes.has(r.municipality) && (r.clients > 0 || r.amountCents !== 0),
    ),
  );
  const past = threeYears.map(index);
  return municipalities.map((m) => ({
    code: m.code,
    name: m.name,
    usageCents: cur.get(m.code)?.amountCents ?? 0,
    clientsPrev: prev.get(m.code)?.clients ?? 0,
    clients3y: past.map((p) => p.get(m.code)?.clients ?? 0),
    inhabitants: m.inhabitants,
    youths: m.youths,
  }));
}
