/**
 * Cost-driver decomposition: why did the cost of a slice change between two periods?
 *
 * Per product, cost C = N × I × P with
 *   N  volume    = clients (distinct clients with a positive net cost for the product in the period),
 *   I  intensity = units per client (net delivered volume ÷ N, in the product's WJ756 unit),
 *   P  price     = cost per unit (net cost ÷ net units).
 * The change C₁ − C₀ is split into a volume, an intensity and a price effect:
 * - LMDI-I, additive (log-mean Divisia): effect(X) = L(C₁, C₀) · ln(X₁ / X₀), with L(a, b) = (a − b) / (ln a − ln b)
 *   and L(a, a) = a. Used when cost, units and clients are positive in both periods; it adds up exactly.
 * - Shapley (the average over all orders of changing the three factors) when units or cost are zero or
 *   negative in a period (net credits) but N > 0 and units ≠ 0 in both: it adds up exactly for any sign.
 * - A product with no client in one period (new or ended) puts the whole change in volume ("entry"/"exit").
 * - Units zero in a period while clients exist (e.g. only corrections): two factors, clients × cost per
 *   client (Shapley); the cost-per-client part counts as price, intensity is 0 ("per-client").
 * - No client in either period (only net credits): the change counts as price ("correction").
 *
 * Units differ per product (hours, days, pieces), so intensity and price only mean something within one
 * product: a slice (category, provider, …) is decomposed per product code × unit and the parts are summed.
 * A shift between products (mix) therefore shows as volume of the products involved. The real-valued
 * parts of each product are rounded to whole cents with the largest-remainder method so that they add up
 * exactly to the product's change; the slice's parts are sums of those integers, so they add up exactly too.
 */
import { at } from '../indexing.js';
import { PRODUCT_CATEGORIES, cbsMunicipality } from '../codes/index.js';
import { euroRounded } from '../format/nl.js';
import type { Cents } from '../money.js';
import { addMonths, isMonthKey, monthIndex, type IsoDate, type MonthKey } from '../month.js';
import { NO_PROVIDER_NAMES, providerName, type ProviderNames } from '../providers.js';

export interface PeriodFigures {
  amountCents: Cents;
  clients: number;
  units: number;
}

/** One slice × product × unit with its figures in both periods (the input of the decomposition). */
export interface DriverCell {
  slice: string;
  product: string;
  unit: string;
  before: PeriodFigures;
  after: PeriodFigures;
}

/** One row as the warehouse returns it (see warehouse/sql/insight.ts decompositionInputs). */
export interface DriverInputRow extends PeriodFigures {
  period: 'before' | 'after';
  slice: string;
  product: string;
  unit: string;
}

export type DecompositionMethod = 'lmdi' | 'shapley' | 'entry' | 'exit' | 'per-client' | 'correction' | 'none';

export interface Effects {
  volumeCents: Cents;
  intensityCents: Cents;
  priceCents: Cents;
}

export interface CellDecomposition extends Effects {
  slice: string;
  product: string;
  unit: string;
  before: PeriodFigures;
  after: PeriodFigures;
  changeCents: Cents;
  method: DecompositionMethod;
}

export interface SliceDecomposition extends Effects {
  slice: string;
  beforeCents: Cents;
  afterCents: Cents;
  changeCents: Cents;
  /** Distinct clients in the slice, when the caller knows them (sum over products double-counts). */
  beforeClients: number | null;
  afterClients: number | null;
  /** The units of the slice's products: one code, or null when they differ. */
  unit: string | null;
  products: CellDecomposition[];
}

export type Effect = 'volume' | 'intensity' | 'price';

export interface PeriodRange {
  from: MonthKey;
  to: MonthKey;
}

/** What the warehouse's driverInputs (warehouse/sql/insight.ts decompositionInputs) is asked for. */
export interface DriverInputQuery {
  before: PeriodRange;
  after: PeriodRange;
  by: DriverDim;
  municipalities?: string[];
  category?: string;
  provider?: string;
  product?: string;
  referrer?: string;
  /** Only lines declared on or before this date. */
  asOf?: IsoDate;
  /** `toegekend`: without lines rejected in a JW325. */
  basis?: 'ingediend' | 'toegekend';
}

export interface DriverInputs {
  rows: DriverInputRow[];
  /**
   * Distinct clients with a positive net cost per slice and period (`clients`), and with any line
   * (`allClients`: as the cost tables, and so the protected tables, count them).
   */
  sliceClients: { slice: string; period: 'before' | 'after'; clients: number; allClients: number }[];
  totalClients: { before: number; after: number };
  /** Distinct clients with any line, per period (as the cost tables count them). */
  totalAllClients: { before: number; after: number };
}

/**
 * Splits `total` (an integer) over real-valued parts that add up to it (up to rounding), in whole numbers
 * that add up to exactly `total` (largest remainder): each part is truncated towards zero, and the
 * shortfall goes one by one to the parts whose remainder points furthest in its direction (ties: the
 * earlier part). Symmetric in sign: negating parts and total negates the result.
 */
export function largestRemainder(parts: readonly number[], total: number): number[] {
  if (!Number.isSafeInteger(total)) throw new RangeError(`total must be a whole number, got ${total}`);
  if (parts.length === 0) {
    if (total !== 0) throw new RangeError('no parts to split a non-zero total over');
    return [];
  }
  const clean = parts.map((x) => (Number.isFinite(x) ? x : 0));
  const base = clean.map((x) => Math.trunc(x) + 0);
  let short = total - base.reduce((s, x) => s + x, 0);
  const dir = Math.sign(short);
  const order = clean.map((x, i) => ({ i, r: (x - at(base, i)) * dir })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; short !== 0; k = (k + 1) % order.length, short -= dir) {
    const { i } = at(order, k);
    base[i] = at(base, i) + dir;
  }
  return base;
}

/** Logarithmic mean L(a, b) of two positive numbers. */
export function logMean(a: number, b: number): number {
  if (a === b) return a;
  const d = Math.log(a) - Math.log(b);
  return Math.abs(d) < 1e-12 ? a : (a - b) / d;
}

/** Real-valued effects of one product and the method used; they add up to after − before. */
export function realEffects(
  before: PeriodFigures,
  after: PeriodFigures,
): { volume: number; intensity: number; price: number; method: DecompositionMethod } {
  const [c0, n0, u0] = [before.amountCents, before.clients, before.units];
  const [c1, n1, u1] = [after.amountCents, after.clients, after.units];
  const d = c1 - c0;
  if (d === 0 && n0 === n1 && u0 === u1) return { volume: 0, intensity: 0, price: 0, method: 'none' };
  if (n0 <= 0 && n1 <= 0) return { volume: 0, intensity: 0, price: d, method: 'correction' };
  if (n0 <= 0) return { volume: d, intensity: 0, price: 0, method: 'entry' };
  if (n1 <= 0) return { volume: d, intensity: 0, price: 0, method: 'exit' };
  if (u0 === 0 || u1 === 0) {
    const k0 = c0 / n0;
    const k1 = c1 / n1;
    return {
      volume: ((n1 - n0) * (k0 + k1)) / 2,
      intensity: 0,
      price: ((k1 - k0) * (n0 + n1)) / 2,
      method: 'per-client',
    };
  }
  const i0 = u0 / n0;
  const i1 = u1 / n1;
  const p0 = c0 / u0;
  const p1 = c1 / u1;
  if (c0 > 0 && c1 > 0 && u0 > 0 && u1 > 0) {
    const l = logMean(c1, c0);
    return {
      volume: l * Math.log(n1 / n0),
      intensity: l * Math.log(i1 / i0),
      price: l * Math.log(p1 / p0),
      method: 'lmdi',
    };
  }
  // Shapley for f = N·I·P: each factor's change weighted over the orders in which it can change.
  const dn = n1 - n0;
  const di = i1 - i0;
  const dp = p1 - p0;
  return {
    volume: dn * ((i0 * p0 + i1 * p1) / 3 + (i1 * p0 + i0 * p1) / 6),
    intensity: di * ((n0 * p0 + n1 * p1) / 3 + (n1 * p0 + n0 * p1) / 6),
    price: dp * ((n0 * i0 + n1 * i1) / 3 + (n1 * i0 + n0 * i1) / 6),
    method: 'shapley',
  };
}

/** Decomposes one product: the three effects in whole cents add up exactly to after − before. */
export function decomposeCell(cell: DriverCell): CellDecomposition {
  const change = cell.after.amountCents - cell.before.amountCents;
  const e = realEffects(cell.before, cell.after);
  const split = largestRemainder([e.volume, e.intensity, e.price], change);
  return {
    ...cell,
    changeCents: change,
    volumeCents: at(split, 0),
    intensityCents: at(split, 1),
    priceCents: at(split, 2),
    method: e.method,
  };
}

const ZERO: PeriodFigures = { amountCents: 0, clients: 0, units: 0 };

/** Pairs the warehouse rows of both periods into cells (a missing side counts as zero). */
export function cellsFromRows(rows: readonly DriverInputRow[]): DriverCell[] {
  const cells = new Map<string, DriverCell>();
  for (const r of rows) {
    const key = JSON.stringify([r.slice, r.product, r.unit]);
    let c = cells.get(key);
    if (!c) cells.set(key, (c = { slice: r.slice, product: r.product, unit: r.unit, before: ZERO, after: ZERO }));
    const fig = { amountCents: r.amountCents, clients: r.clients, units: r.units };
    if (r.period === 'before') c.before = fig;
    else c.after = fig;
  }
  return [...cells.values()];
}

/**
 * Decomposes every slice (summing its products) and returns the slices ordered by the size of their change,
 * largest first. `sliceClients` (optional) gives the distinct clients per slice and period.
 */
export function decompose(
  cells: readonly DriverCell[],
  sliceClients?: readonly { slice: string; period: 'before' | 'after'; clients: number }[],
): SliceDecomposition[] {
  const bySlice = new Map<string, CellDecomposition[]>();
  for (const c of cells) {
    const d = decomposeCell(c);
    const list = bySlice.get(c.slice) ?? [];
    list.push(d);
    bySlice.set(c.slice, list);
  }
  const clients = new Map<string, number>();
  for (const s of sliceClients ?? []) clients.set(`${s.period}\u0000${s.slice}`, s.clients);
  const out: SliceDecomposition[] = [];
  for (const [slice, products] of bySlice) {
    products.sort((a, b) => Math.abs(b.changeCents) - Math.abs(a.changeCents) || a.product.localeCompare(b.product));
    const units = new Set(products.map((p) => p.unit));
    out.push({
      slice,
      beforeCents: sum(products, (p) => p.before.amountCents),
      afterCents: sum(products, (p) => p.after.amountCents),
      changeCents: sum(products, (p) => p.changeCents),
      volumeCents: sum(products, (p) => p.volumeCents),
      intensityCents: sum(products, (p) => p.intensityCents),
      priceCents: sum(products, (p) => p.priceCents),
      beforeClients: sliceClients ? (clients.get(`before\u0000${slice}`) ?? 0) : null,
      afterClients: sliceClients ? (clients.get(`after\u0000${slice}`) ?? 0) : null,
      unit: units.size === 1 ? ([...units][0] ?? null) : null,
      products,
    });
  }
  return out.sort((a, b) => Math.abs(b.changeCents) - Math.abs(a.changeCents) || a.slice.localeCompare(b.slice));
}

/** The sum over slices (the whole selection); `slice` is ''. */
export function totalOf(
  slices: readonly SliceDecomposition[],
  clients?: { before: number; after: number },
): SliceDecomposition {
  const products = slices.flatMap((s) => s.products);
  const units = new Set(products.map((p) => p.unit));
  return {
    slice: '',
    beforeCents: sum(slices, (s) => s.beforeCents),
    afterCents: sum(slices, (s) => s.afterCents),
    changeCents: sum(slices, (s) => s.changeCents),
    volumeCents: sum(slices, (s) => s.volumeCents),
    intensityCents: sum(slices, (s) => s.intensityCents),
    priceCents: sum(slices, (s) => s.priceCents),
    beforeClients: clients?.before ?? null,
    afterClients: clients?.after ?? null,
    unit: units.size === 1 ? ([...units][0] ?? null) : null,
    products,
  };
}

export interface Contributor {
  slice: string;
  effect: Effect;
  cents: Cents;
}

/** The largest single contributions (slice × effect) to the change, by absolute size. */
export function rankContributors(slices: readonly SliceDecomposition[], limit = 10): Contributor[] {
  const all: Contributor[] = [];
  for (const s of slices) {
    for (const [effect, cents] of [
      ['volume', s.volumeCents],
      ['intensity', s.intensityCents],
      ['price', s.priceCents],
    ] as const) {
      if (cents !== 0) all.push({ slice: s.slice, effect, cents });
    }
  }
  return all.sort((a, b) => Math.abs(b.cents) - Math.abs(a.cents) || a.slice.localeCompare(b.slice)).slice(0, limit);
}

export interface WaterfallStep {
  label: string;
  /** Bar from `fromCents` to `toCents`; the first and last bars start at 0 (the totals). */
  fromCents: Cents;
  toCents: Cents;
  kind: 'total' | Effect;
}

/**
 * The steps of a waterfall chart: cost before → volume → intensity → price → cost after; with `perClient`
 * (a split as clients × cost per client, see app/drivers.ts): cost before → clients → cost per client → after.
 */
export function waterfall(
  d: SliceDecomposition,
  beforeLabel: string,
  afterLabel: string,
  perClient = false,
): WaterfallStep[] {
  const a = d.beforeCents;
  const b = a + d.volumeCents;
  const c = b + d.intensityCents;
  const e = c + d.priceCents;
  if (perClient)
    return [
      { label: beforeLabel, fromCents: 0, toCents: a, kind: 'total' },
      { label: 'cliënten', fromCents: a, toCents: b, kind: 'volume' },
      { label: 'per cliënt', fromCents: b, toCents: e, kind: 'price' },
      { label: afterLabel, fromCents: 0, toCents: e, kind: 'total' },
    ];
  return [
    { label: beforeLabel, fromCents: 0, toCents: a, kind: 'total' },
    { label: 'cliënten', fromCents: a, toCents: b, kind: 'volume' },
    { label: 'intensiteit', fromCents: b, toCents: c, kind: 'intensity' },
    { label: 'tarief', fromCents: c, toCents: e, kind: 'price' },
    { label: afterLabel, fromCents: 0, toCents: e, kind: 'total' },
  ];
}

function sum<T>(xs: readonly T[], f: (x: T) => number): number {
  let t = 0;
  for (const x of xs) t += f(x);
  return t;
}

// ---------------------------------------------------------------------------------------------------------
// Periods

export interface Period {
  from: MonthKey;
  to: MonthKey;
  label: string;
}

/**
 * Parses a period: `2025` (year), `2025-H1`/`2025-H2` (half year), `2025-Q3` (quarter), `2025-03` (month)
 * or `2025-01..2025-06` (a range of months).
 */
export function parsePeriod(s: string): Period {
  const t = s.trim();
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})$/.exec(t))) return { from: `${at(m, 1)}-01`, to: `${at(m, 1)}-12`, label: t };
  if ((m = /^(\d{4})-[Hh]([12])$/.exec(t))) {
    const from = `${at(m, 1)}-${m[2] === '1' ? '01' : '07'}`;
    return { from, to: addMonths(from, 5), label: `${at(m, 1)}-H${at(m, 2)}` };
  }
  if ((m = /^(\d{4})-[Qq]([1-4])$/.exec(t))) {
    const from = `${at(m, 1)}-${String((Number(m[2]) - 1) * 3 + 1).padStart(2, '0')}`;
    return { from, to: addMonths(from, 2), label: `${at(m, 1)}-Q${at(m, 2)}` };
  }
  if (isMonthKey(t)) return { from: t, to: t, label: t };
  if ((m = /^(\d{4}-\d{2})\.\.(\d{4}-\d{2})$/.exec(t))) {
    const [, from, to] = m;
    if (from !== undefined && to !== undefined && isMonthKey(from) && isMonthKey(to) && from <= to)
      return { from, to, label: t };
  }
  throw new RangeError(`not a period: "${s}" (use 2025, 2025-H1, 2025-Q3, 2025-03 or 2025-01..2025-06)`);
}

export function periodMonths(p: Period): number {
  return monthIndex(p.to) - monthIndex(p.from) + 1;
}

// ---------------------------------------------------------------------------------------------------------
// Plain Dutch

/** Plural Dutch name of a WJ756 unit, for "meer uren per cliënt"; null for euro and unknown units. */
export const UNIT_PLURAL_NL: Readonly<Record<string, string>> = {
  '01': 'minuten',
  '04': 'uren',
  '14': 'etmalen',
  '16': 'dagdelen',
  '82': 'stuks',
  '84': 'stuks',
};

/** JZ020 categories as they read in a sentence ("De kosten ambulante jeugdhulp …"). */
export const CATEGORY_PHRASE_NL: Readonly<Record<string, string>> = {
  '40': 'persoonlijke verzorging',
  '41': 'dagbehandeling',
  '42': 'vervoer',
  '43': 'jeugdhulp met verblijf (incl. behandeling)',
  '44': 'jeugdhulp met verblijf (excl. behandeling)',
  '45': 'ambulante jeugdhulp',
  '46': 'crisishulp',
  '47': 'jeugdreclassering',
  '48': 'jeugdbescherming',
  '49': 'het preventief justitieel kader',
  '50': 'maatwerkarrangementen',
  '51': 'generalistische basis-ggz',
  '52': 'specialistische ggz',
  '53': 'kindergeneeskunde',
  '54': 'jeugd-ggz',
  '55': 'landelijk ingekochte zorg',
};

const REFERRER_PHRASE_NL: Readonly<Record<string, string>> = {
  '01': 'na verwijzing door de gemeente',
  '02': 'na verwijzing door de huisarts',
  '03': 'na verwijzing door de jeugdarts',
  '04': 'na verwijzing door een gecertificeerde instelling',
  '05': 'na verwijzing door een medisch specialist',
  '06': 'zonder verwijzer',
  '08': 'na verwijzing door rechter, OvJ of JJI-functionaris',
  onbekend: 'met onbekende verwijzer',
};

export type DriverDim = 'total' | 'municipality' | 'category' | 'product' | 'provider' | 'referrer';
export const DRIVER_DIMS: readonly DriverDim[] = [
  'total',
  'municipality',
  'category',
  'product',
  'provider',
  'referrer',
];

/** The subject of the sentence for a slice: "De kosten ambulante jeugdhulp", "De kosten in Dordrecht". */
export function sliceSubject(by: DriverDim, value: string, names: ProviderNames = NO_PROVIDER_NAMES): string {
  switch (by) {
    case 'total':
      return 'De kosten';
    case 'category':
      return `De kosten ${CATEGORY_PHRASE_NL[value] ?? (PRODUCT_CATEGORIES[value] ? PRODUCT_CATEGORIES[value].toLowerCase() : `categorie ${value}`)}`;
    case 'product':
      return value ? `De kosten van product ${value}` : 'De kosten zonder productcode';
    case 'provider':
      return names.has(value) ? `De kosten bij ${names.get(value)}` : `De kosten bij aanbieder ${value}`;
    case 'referrer':
      return `De kosten ${REFERRER_PHRASE_NL[value] ?? `met verwijzer ${value}`}`;
    case 'municipality':
      return `De kosten in ${cbsMunicipality(value)?.name ?? value}`;
  }
}

/** A short label for tables: "45 Jeugdhulp ambulant", "0482 Alblasserdam". */
export function sliceLabel(by: DriverDim, value: string, names: ProviderNames = NO_PROVIDER_NAMES): string {
  if (by === 'total') return 'totaal';
  if (by === 'provider') return value ? providerName(value, names) : '(leeg)';
  if (by === 'category') return `${value} ${PRODUCT_CATEGORIES[value] ?? ''}`.trim();
  if (by === 'municipality') return `${value} ${cbsMunicipality(value)?.name ?? ''}`.trim();
  return value || '(leeg)';
}

/** "door meer cliënten", "door minder uren per cliënt", "door hogere tarieven". */
export function effectPhrase(effect: Effect, cents: Cents, unit: string | null, perClient = false): string {
  const up = cents > 0;
  if (effect === 'volume') return `door ${up ? 'meer' : 'minder'} cliënten`;
  // A split as clients × cost per client: the price part is care per client and tariff together.
  if (effect === 'price' && perClient) return `door ${up ? 'hogere' : 'lagere'} kosten per cliënt`;
  if (effect === 'price') return `door ${up ? 'hogere' : 'lagere'} tarieven`;
  const what = (unit && UNIT_PLURAL_NL[unit]) || 'zorg';
  return `door ${up ? 'meer' : 'minder'} ${what} per cliënt`;
}

const euros = (c: Cents) => Math.round(Math.abs(c) / 100);

/**
 * A plain Dutch sentence: "De kosten ambulante jeugdhulp stegen € 412.000: € 290.000 door meer cliënten,
 * € 95.000 door meer uren per cliënt, € 27.000 door hogere tarieven."
 * Parts that round to € 0 are left out. When the parts point in different directions each gets a sign
 * ("+€ 150.000 door meer cliënten, -€ 30.000 door lagere tarieven"). Amounts are rounded to whole euros,
 * so the parts shown may differ from the total by a euro or two; the underlying cents add up exactly.
 */
export function driverSentence(
  subject: string,
  d: Effects & { changeCents: Cents },
  unit: string | null,
  perClient = false,
): string {
  const parts = (
    [
      ['volume', d.volumeCents],
      ['intensity', d.intensityCents],
      ['price', d.priceCents],
    ] as [Effect, Cents][]
  ).filter(([, c]) => euros(c) !== 0);
  let head: string;
  if (d.changeCents === 0) head = `${subject} bleven gelijk`;
  else if (euros(d.changeCents) === 0) head = `${subject} bleven vrijwel gelijk`;
  else head = `${subject} ${d.changeCents > 0 ? 'stegen' : 'daalden'} ${euroRounded(Math.abs(d.changeCents))}`;
  if (!parts.length) return `${head}.`;
  const dir = Math.sign(d.changeCents);
  const mixed = dir === 0 || parts.some(([, c]) => Math.sign(c) !== dir);
  const text = parts.map(([e, c]) => {
    const amount = mixed ? `${c > 0 ? '+' : ''}${euroRounded(c)}` : euroRounded(Math.abs(c));
    return `${amount} ${effectPhrase(e, c, unit, perClient)}`;
  });
  return `${head}: ${text.join(', ')}.`;
}

/** "Meer cliënten bij ambulante jeugdhulp: +€ 290.000" style label of a contributor, for ranked lists. */
export function contributorLabel(
  by: DriverDim,
  c: Contributor,
  unit: string | null = null,
  names: ProviderNames = NO_PROVIDER_NAMES,
  perClient = false,
): string {
  const where = by === 'total' ? '' : ` (${sliceLabel(by, c.slice, names)})`;
  return `${c.cents > 0 ? '+' : ''}${euroRounded(c.cents)} ${effectPhrase(c.effect, c.cents, unit, perClient)}${where}`;
}
