/**
 * The synthetic region: deterministic (seeded), realistic enough to exercise the whole product.
 * Clients start care through the years (with a yearly trend), get one to three products from a provider,
 * receive care monthly (with a seasonal dip in summer and December), and providers declare it with a lag
 * (mostly 1–3 months, a tail up to 12). A few corrections (credit + corrected debit), planted rule breaches
 * and invalid files are added and listed in manifest.json, which also holds the true totals — including
 * care declared after the cut-off date, which a perfect forecast would find.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import cbs from '../domain/codes/cbs-municipalities.json' with { type: 'json' };
import { ZHZ_MUNICIPALITIES } from '../domain/codes/index.js';
import { at } from '../domain/indexing.js';
import { addMonths, lastDayOfMonth, monthRange, type MonthKey } from '../domain/month.js';
import { CSV_COLUMNS } from '../ingest/csv.js';
import { TARIFF_CSV_COLUMNS } from '../app/tariffs.js';
import { WritePool } from './write-pool.js';
import { jw323, type Allocation, type FamilyTag, type Line, type Product } from './messages.js';

export interface GenerateOptions {
  outDir: string;
  years: [number, number];
  seed: number;
  scale: 'region' | 'national' | 'small';
  format: 'xml' | 'csv';
  /** No message dated after this day is written (default: 31 March after the last year). */
  cutoff?: string;
  /**
   * Data for the insight checks (default: none of this, the region as before). Both modes: a client never
   * gets the same product twice at once, allocations (XML) carry an Omvang (or a Budget for euro products)
   * at the low end of what is delivered, and some pairs of clients are siblings (a family key: a parent by
   * surname and birth date in the JW301 Relaties, or the CSV `family` column).
   * Also in both modes: tariffs follow the production year (the base tariff × 1.03 per year after the first),
   * and the folder gets `tarieven.csv`, the contracted tariff list that says exactly that (`grip tariffs
   * import`); and about 5% of the clients whose care ended at least 14 months before the cut-off come back
   * 2–10 months later (a new allocation and its declarations), listed in manifest.insight.reEntryAllocations.
   * - 'planted': also the costly families get a family key (a parent's BSN in the JW301 Relaties), three
   *   allocations an Omvang four times what is delivered (over-indication), two lines are declared again
   *   by another provider (double registration across providers), and three lines at a tariff above the
   *   contracted one; all listed in manifest.planted.
   * - 'clean': nothing planted at all (also not the TR389/TR323 breaches): the checks must find nothing.
   */
  insight?: 'planted' | 'clean';
  /** Worker threads that write the XML messages (default: one per core for 'national', else none). */
  workers?: number;
  onProgress?: (done: number, total: number, label: string) => void;
}

export interface Manifest {
  options: { seed: number; years: [number, number]; scale: string; format: string; cutoff: string };
  /** The region generated: its name (the demo stores it in the warehouse; app/region.ts reads it). */
  region?: { name: string };
  counts: { jw323Files: number; allocations: number; declarationLines: number; clients: number };
  /** True net cost per municipality per production year / month (incl. care declared after the cut-off). */
  truth: Record<string, { years: Record<string, number>; months: Record<string, number> }>;
  /** The same, restricted to what was written. */
  declaredByCutoff: Record<string, Record<string, number>>;
  writtenJw323Cents: number;
  /** The provider register written beside the messages (relative path). */
  providerRegister?: string;
  planted: { kind: string; rule: string; file: string; detail: string }[];
  invalidFiles: { file: string; reason: string }[];
  costlyFamilies: { family: string; municipality: string; children: number }[];
  /** With `insight`: what was planted for the insight checks. */
  insight?: {
    mode: 'planted' | 'clean';
    siblingFamilies: number;
    keyedCostlyFamilies: number;
    overIndications: string[];
    crossProviderDoubles: number;
    /** The contracted tariff list written into the folder (relative path). */
    tariffList: string;
    /** Lines declared at a tariff above the contracted one (planted): where, and the overpayment in cents. */
    tariffLines: {
      file: string;
      ref: string;
      tariffCents: number;
      contractCents: number;
      volume: number;
      excessCents: number;
    }[];
    /** Clients who came back after their care ended: the number, and per client the exit (last day of care) and return (new allocation start). */
    reEntries: number;
    reEntryAllocations: { municipality: string; allocation: string; exit: string; back: string }[];
    /**
     * 'planted', with two years or more: a measure that worked — from `start` on, every month of care in the
     * municipality's `category` delivers `factor` of the volume it would have had (rounded, at least 1 unit).
     * `savedCents` per production month is the exact truth: what the same lines would have cost without it
     * (incl. care declared after the cut-off). Clients who come back (reEntries) are not reduced.
     */
    measureEffect?: {
      municipality: string;
      category: string;
      start: MonthKey;
      factor: number;
      savedCents: Record<MonthKey, number>;
    };
  };
}

/** mulberry32: a small, fast, seeded PRNG. */
export function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PRODUCTS: Product[] = [
  { category: '45', code: '45A03', unit: '04', tariff: 8_500, volume: [4, 14], months: [3, 12], weight: 30 },
  { category: '45', code: '45A04', unit: '04', tariff: 10_500, volume: [3, 10], months: [3, 10], weight: 18 },
  { category: '54', code: '54G01', unit: '01', tariff: 190, volume: [240, 900], months: [3, 12], weight: 16 },
  { category: '41', code: '41D01', unit: '16', tariff: 9_800, volume: [4, 12], months: [4, 12], weight: 6 },
  { category: '43', code: '43V01', unit: '14', tariff: 29_500, volume: [20, 31], months: [6, 24], weight: 5 },
  { category: '44', code: '44V02', unit: '14', tariff: 13_000, volume: [20, 31], months: [6, 24], weight: 5 },
  { category: '46', code: '46C01', unit: '14', tariff: 42_000, volume: [3, 14], months: [1, 2], weight: 3 },
  { category: '48', code: '48J01', unit: '83', tariff: 1, volume: [120_000, 160_000], months: [6, 18], weight: 8 },
  { category: '47', code: '47R01', unit: '83', tariff: 1, volume: [90_000, 120_000], months: [6, 12], weight: 3 },
  { category: '50', code: '50M01', unit: '84', tariff: 45_000, volume: [1, 2], months: [3, 9], weight: 6 },
];
/** Residential care (43V01): what the children of a costly family get. */
const COSTLY_FAMILY_PRODUCT = at(PRODUCTS, 4);
const REFERRER_WEIGHTS: [string, number][] = [
  ['02', 30],
  ['03', 8],
  ['04', 12],
  ['05', 6],
  ['08', 4],
];
/** Seasonal volume factors per calendar month (dip in summer and December). */
const SEASON = [1.0, 1.02, 1.04, 1.0, 1.0, 0.98, 0.84, 0.8, 1.02, 1.04, 1.02, 0.88];
const YEARLY_GROWTH = 0.08;
/**
 * insight 'planted': the first corona lockdown — less care delivered in March–June 2020 (what the corona
 * revenue-loss check, /corona, looks for when the region covers 2019–2020).
 */
const CORONA_DIP: Readonly<Record<string, number>> = {
  '2020-03': 0.8,
  '2020-04': 0.6,
  '2020-05': 0.65,
  '2020-06': 0.85,
};

function pick<T>(r: () => number, items: T[], weight: (t: T) => number): T {
  const total = items.reduce((s, t) => s + weight(t), 0);
  let x = r() * total;
  for (const t of items) {
    x -= weight(t);
    if (x < 0) return t;
  }
  return at(items, items.length - 1);
}
/** The provider register the generator writes beside the messages (`grip providers import`; `grip import` skips it). */
export const PROVIDER_REGISTER_FILE = 'aanbieders.csv';

const NAME_FORMS: [string, string][] = [
  ['Jeugdhulp {}', 'Ambulante jeugdhulp'],
  ['Stichting {}', 'Jeugd- en opvoedhulp'],
  ['Praktijk {}', 'Jeugd-GGZ'],
  ['{} Jeugd & Gezin', 'Ambulante jeugdhulp'],
  ['Zorggroep {}', 'Verblijf en behandeling'],
  ['Kindertherapie {}', 'Jeugd-GGZ'],
  ['Gezinshuis {}', 'Verblijf'],
  ['Orthopedagogisch Centrum {}', 'Behandeling'],
  ['Begeleiding {}', 'Begeleiding'],
  ['Dyslexiepraktijk {}', 'Dyslexiezorg'],
  ['Zorgboerderij {}', 'Dagbesteding'],
  ['{} Ambulant', 'Ambulante jeugdhulp'],
];
const NAME_CORES = [
  'De Linde',
  'Het Anker',
  'De Wilgenhoeve',
  'Kompasroos',
  'De Merwedeoever',
  'Het Rivierenhuis',
  'De Zeshoek',
  'Kinderkracht',
  'De Brug',
  'Waterlelie',
  'Het Baken',
  'De Vlinderhof',
  'Zonnebloem',
  'De Boomgaard',
  'Het Kwadrant',
  'Duinroos',
  'De Polderhoeve',
  'Lichtpunt',
  'De Sprong',
  'Het Veerhuis',
  'De Notenkraker',
  'Kleine Beer',
  'De Zandloper',
  'Het Klaverblad',
  'De Dijkwachter',
];
const NAME_PLACES = [
  'Dordrecht',
  'Gorinchem',
  'Zwijndrecht',
  'Sliedrecht',
  'Papendrecht',
  'Alblasserdam',
  'Molenlanden',
  'Hoeksche Waard',
];

/** A fictional but plausible provider name and type of care for the i-th provider (unique per i). */
export function providerNameFor(i: number): { name: string; careType: string } {
  const [form, careType] = at(NAME_FORMS, i % NAME_FORMS.length);
  const k = Math.floor(i / NAME_FORMS.length);
  const core = at(NAME_CORES, (k + i) % NAME_CORES.length);
  const round = Math.floor(k / NAME_CORES.length);
  const name =
    form.replace('{}', core) +
    (round
      ? ` ${at(NAME_PLACES, (round - 1) % NAME_PLACES.length)}${round > NAME_PLACES.length ? ` ${Math.ceil(round / NAME_PLACES.length)}` : ''}`
      : '');
  return { name, careType };
}

/** The register file: agb,name,kvk,careType (no KvK numbers: fictional providers have none). */
export function providerRegisterCsv(providers: readonly string[]): string {
  return stringify(
    providers.map((agb, i) => {
      const p = providerNameFor(i);
      return [agb, p.name, '', p.careType];
    }),
    { header: true, columns: ['agb', 'name', 'kvk', 'careType'] },
  );
}

const between = (r: () => number, [a, b]: [number, number]) => a + Math.floor(r() * (b - a + 1));

/** The n-th test BSN that passes the 11-proef (9-digit numbers starting with 1–8). */
function bsnFor(n: number): string {
  for (let k = n * 11; ; k++) {
    const base = String(10_000_000 + (k % 80_000_000)).padStart(8, '0');
    let sum = 0;
    for (let i = 0; i < 8; i++) sum += (9 - i) * Number(base[i]);
    const check = sum % 11;
    if (check < 10) return base + String(check);
  }
}

/** A key of the generator's files map, `provider|municipality|declMonth`, as its three parts. */
function keyParts(key: string): [provider: string, municipality: string, declMonth: MonthKey] {
  const parts = key.split('|');
  return [at(parts, 0), at(parts, 1), at(parts, 2)];
}

/** Care starts a year: the national scale gives ≈ 10 million declaration lines a year (the issue's national size). */
const CLIENTS_PER_YEAR: Record<GenerateOptions['scale'], number> = { small: 300, region: 9_000, national: 840_000 };

/** One product object per product and tariff, shared by all its lines (ten million copies would not fit in memory). */
const pricedProducts = new Map<string, Product>();
function priced(product: Product, tariff: number): Product {
  if (product.tariff === tariff) return product;
  const key = `${product.code}|${tariff}`;
  let p = pricedProducts.get(key);
  if (!p) pricedProducts.set(key, (p = { ...product, tariff }));
  return p;
}

/**
 * Threads that build and write the XML messages: by default one per core for the national scale (≈ 2 M files
 * a year), none (the calling thread) for the others; `workers` or GRIP_GENERATE_WORKERS sets it. The files are
 * the same either way.
 */
function writeWorkers(opts: GenerateOptions): number {
  const env = process.env.GRIP_GENERATE_WORKERS;
  if (opts.workers !== undefined) return opts.workers;
  if (env !== undefined && /^\d+$/.test(env)) return Number(env);
  return opts.scale === 'national' ? availableParallelism() : 0;
}

/** The synthetic region of the small and region scales: the municipalities of the domain brief. */
export const GENERATED_REGION_NAME = 'Zuid-Holland Zuid';

export async function generateRegion(opts: GenerateOptions): Promise<Manifest> {
  const r = prng(opts.seed);
  const [y0, y1] = opts.years;
  const cutoff = opts.cutoff ?? `${y1 + 1}-03-31`;
  const cutoffMonth = cutoff.slice(0, 7);
  const munis =
    opts.scale === 'national'
      ? (cbs as { code: string }[]).map((m, i) => ({
          code: m.code,
          youths: 2_000 + Math.floor(prng(opts.seed + i)() * 30_000),
        }))
      : ZHZ_MUNICIPALITIES.map((m) => ({ code: m.code, youths: m.youths }));
  const providerCount = opts.scale === 'national' ? 1_500 : 60;
  const providers = Array.from({ length: providerCount }, (_, i) => String(41_000_000 + i * 37));

  // Providers are regional: each municipality contracts a subset.
  const muniProviders = new Map(
    munis.map((m) => [m.code, providers.filter(() => r() < (opts.scale === 'national' ? 0.03 : 0.5))]),
  );

  rmSync(opts.outDir, { recursive: true, force: true });
  for (const d of opts.format === 'csv' ? ['csv', 'invalid'] : ['jw323', 'jw301', 'jw315', 'invalid'])
    mkdirSync(join(opts.outDir, d), { recursive: true });
  // The provider register: a fictional name (and type of care) per AGB code, for `grip providers import`.
  writeFileSync(join(opts.outDir, PROVIDER_REGISTER_FILE), providerRegisterCsv(providers));

  const truth: Manifest['truth'] = {};
  const declared: Manifest['declaredByCutoff'] = {};
  const files = new Map<string, Line[]>(); // provider|municipality|declMonth → lines
  const allocations: Allocation[] = [];
  let refCounter = 0;
  let allocCounter = 100_000;
  let clientCounter = 0;
  const planted: Manifest['planted'] = [];
  const addTruth = (l: Line) => {
    const t = (truth[l.municipality] ??= { years: {}, months: {} });
    const v = l.dc === 'C' ? -l.amount : l.amount;
    t.years[l.month.slice(0, 4)] = (t.years[l.month.slice(0, 4)] ?? 0) + v;
    t.months[l.month] = (t.months[l.month] ?? 0) + v;
  };
  const addDeclared = (l: Line) => {
    const dm = (declared[l.municipality] ??= {});
    dm[l.month.slice(0, 4)] = (dm[l.month.slice(0, 4)] ?? 0) + (l.dc === 'C' ? -l.amount : l.amount);
  };
  const push = (l: Line) => {
    if (l.month < `${y0}-01`) return;
    addTruth(l);
    if (l.declMonth > cutoffMonth || `${l.declMonth}-05` > cutoff) return;
    addDeclared(l);
    const key = `${l.provider}|${l.municipality}|${l.declMonth}`;
    const list = files.get(key);
    if (list) list.push(l);
    else files.set(key, [l]);
  };
  const lag = () => {
    let k = 1;
    while (k < 12 && r() < 0.42) k++;
    return k;
  };
  /** With `insight`: the tariff of a production month, as in the contracted tariff list (tarieven.csv). */
  const contracted = (p: Product, month: MonthKey) =>
    Math.round(p.tariff * Math.pow(1.03, Number(month.slice(0, 4)) - y0));

  // insight 'planted': a measure with a known effect (see Manifest.insight.measureEffect); no PRNG draws.
  const effect =
    opts.insight === 'planted' && y1 > y0
      ? {
          municipality: at(munis, 0).code,
          category: '45',
          start: `${Math.max(y0 + 1, y1 - 1)}-01`,
          factor: 0.85,
          savedCents: {} as Record<MonthKey, number>,
        }
      : null;
  const perYear = CLIENTS_PER_YEAR[opts.scale];
  const costlyFamilies: Manifest['costlyFamilies'] = [];
  const costlyMembers = new Map<string, string[]>(); // family → BSNs of its children
  // Start a year early, so that care already running on 1 January of the first year is there (no ramp-up).
  for (let yi = -1; yi <= y1 - y0; yi++) {
    const year = y0 + yi;
    const starts = Math.round(perYear * Math.pow(1 + YEARLY_GROWTH, yi));
    for (let n = 0; n < starts; n++) {
      const muni = pick(r, munis, (m) => m.youths);
      const bsn = bsnFor(++clientCounter + opts.seed * 1_000_000);
      const birth = `${year - 1 - Math.floor(r() * 17)}-0${1 + Math.floor(r() * 9)}-1${Math.floor(r() * 9)}`;
      const startMonth = `${year}-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}`;
      const nProducts = r() < 0.7 ? 1 : r() < 0.8 ? 2 : 3;
      const chosen: Product[] = [];
      for (let k = 0; k < nProducts; k++) {
        let product = pick(r, PRODUCTS, (p) => p.weight);
        // insight: never the same product twice for one client (that would be a double registration).
        if (opts.insight && chosen.includes(product)) product = PRODUCTS.find((p) => !chosen.includes(p))!;
        chosen.push(product);
        const provs = muniProviders.get(muni.code)!;
        const provider = provs.length ? at(provs, Math.floor(r() * provs.length)) : at(providers, 0);
        const duration = between(r, product.months);
        const start = addMonths(startMonth, k);
        const end = addMonths(start, duration - 1);
        const referrer = r() < 0.4 ? null : pick(r, REFERRER_WEIGHTS, (w) => w[1])[0];
        const a: Allocation = {
          number: String(++allocCounter),
          municipality: muni.code,
          provider,
          bsn,
          birth,
          product,
          start,
          end,
          referrer,
        };
        allocations.push(a);
        const price = product.tariff * Math.pow(1.03, yi); // yearly tariff index
        for (const month of monthRange(start, end)) {
          const dip = opts.insight === 'planted' ? (CORONA_DIP[month] ?? 1) : 1;
          const without = Math.max(
            1,
            Math.round(between(r, product.volume) * at(SEASON, Number(month.slice(5)) - 1) * dip),
          );
          const treated =
            effect !== null &&
            muni.code === effect.municipality &&
            product.category === effect.category &&
            month >= effect.start &&
            month >= `${y0}-01`;
          const vol = treated ? Math.max(1, Math.round(without * effect.factor)) : without;
          // insight: the tariff of the production year (the contracted list); else that of the start year.
          const tariff = opts.insight ? contracted(product, month) : Math.round(price);
          const line: Line = {
            provider,
            municipality: muni.code,
            bsn,
            allocation: a.number,
            product: priced(product, tariff),
            month,
            declMonth: addMonths(month, lag()),
            volume: vol,
            amount: vol * tariff,
            dc: 'D',
            ref: `G${++refCounter}`,
          };
          push(line);
          // About 1% of lines are corrected later: a credit of the line and a new, lower debit.
          const corrected = r() < 0.01;
          if (treated)
            effect.savedCents[month] =
              (effect.savedCents[month] ?? 0) +
              (corrected ? Math.max(1, without - 1) - Math.max(1, vol - 1) : without - vol) * tariff;
          if (corrected) {
            const later = addMonths(line.declMonth, 1 + Math.floor(r() * 2));
            push({ ...line, declMonth: later, dc: 'C', ref: `G${++refCounter}`, prevRef: line.ref });
            const v2 = Math.max(1, vol - 1);
            push({ ...line, declMonth: later, volume: v2, amount: v2 * tariff, ref: `G${++refCounter}` });
          }
        }
      }
    }
    if (yi < 0) continue;
    // A very costly family: several children placed out of home at once.
    const fam = at(munis, (yi * 3) % munis.length);
    const children = 6 + (yi % 4);
    const famProv = (muniProviders.get(fam.code) ?? providers)[0] ?? at(providers, 0);
    const famStart = `${year}-03`;
    costlyFamilies.push({ family: `F${year}`, municipality: fam.code, children });
    const members: string[] = [];
    costlyMembers.set(`F${year}`, members);
    for (let c = 0; c < children; c++) {
      const bsn = bsnFor(++clientCounter + opts.seed * 1_000_000);
      const a: Allocation = {
        number: String(++allocCounter),
        municipality: fam.code,
        provider: famProv,
        bsn,
        birth: `${year - 3 - c}-05-05`,
        product: COSTLY_FAMILY_PRODUCT,
        start: famStart,
        end: addMonths(famStart, 17),
        referrer: '04',
      };
      allocations.push(a);
      members.push(bsn);
      for (const month of monthRange(a.start, a.end)) {
        const vol = 28 + Math.floor(r() * 3);
        const product = opts.insight
          ? { ...COSTLY_FAMILY_PRODUCT, tariff: contracted(COSTLY_FAMILY_PRODUCT, month) }
          : COSTLY_FAMILY_PRODUCT;
        push({
          provider: famProv,
          municipality: fam.code,
          bsn,
          allocation: a.number,
          product,
          month,
          declMonth: addMonths(month, lag()),
          volume: vol,
          amount: vol * product.tariff,
          dc: 'D',
          ref: `G${++refCounter}`,
        });
      }
    }
  }

  // insight 'planted': recent costly families in the first municipality (Alblasserdam in the region), as the
  // region reported for 2025 (one family with 6 and one with 9 children placed out of home), so the current
  // year has bijzondere casussen too. Their own PRNG, so nothing above changes.
  if (opts.insight === 'planted') {
    const rf = prng(opts.seed * 613 + 11);
    const muni = at(munis, 0).code;
    const famProv = (muniProviders.get(muni) ?? providers)[1] ?? at(providers, 0);
    for (const [year, children] of [
      [y1 - 1, 6],
      [y1, 9],
    ] as const) {
      if (year < y0) continue;
      const family = `A${year}`;
      const start = `${year}-02`;
      costlyFamilies.push({ family, municipality: muni, children });
      const members: string[] = [];
      costlyMembers.set(family, members);
      for (let c = 0; c < children; c++) {
        const bsn = bsnFor(++clientCounter + opts.seed * 1_000_000);
        const a: Allocation = {
          number: String(++allocCounter),
          municipality: muni,
          provider: famProv,
          bsn,
          birth: `${year - 2 - c}-09-09`,
          product: COSTLY_FAMILY_PRODUCT,
          start,
          end: addMonths(start, 17),
          referrer: '04',
        };
        allocations.push(a);
        members.push(bsn);
        for (const month of monthRange(a.start, a.end)) {
          const vol = 28 + Math.floor(rf() * 3);
          const product = priced(COSTLY_FAMILY_PRODUCT, contracted(COSTLY_FAMILY_PRODUCT, month));
          let k = 1;
          while (k < 12 && rf() < 0.42) k++;
          push({
            provider: famProv,
            municipality: muni,
            bsn,
            allocation: a.number,
            product,
            month,
            declMonth: addMonths(month, k),
            volume: vol,
            amount: vol * product.tariff,
            dc: 'D',
            ref: `G${++refCounter}`,
          });
        }
      }
    }
  }

  // Planted rule breaches in valid files: a second debit (TR389) and a credit without a debit (TR323). A cut-off
  // before the first declaration leaves no file to plant them in (nor to copy the invalid files from).
  const keys = [...files.keys()].sort();
  const plantAt = (i: number) => at(keys, Math.floor((i / 5) * keys.length));
  const plantable = keys.length > 0 && opts.insight !== 'clean';
  for (let i = 1; plantable && i <= 3; i++) {
    const key = plantAt(i);
    const list = files.get(key)!;
    const dup = { ...at(list, 0), ref: `G${++refCounter}` };
    list.push(dup);
    addTruth(dup);
    addDeclared(dup);
    const [prov, muni, dm] = keyParts(key);
    planted.push({
      kind: 'double declaration',
      rule: 'TR389',
      file: `jw323/${prov}_${muni}_${dm}.xml`,
      detail: `second debit for allocation ${dup.allocation}, ${dup.month}`,
    });
  }
  if (plantable) {
    const key = plantAt(4);
    const list = files.get(key)!;
    const credit: Line = {
      ...at(list, 0),
      dc: 'C',
      amount: 1_000,
      volume: 1,
      ref: `G${++refCounter}`,
      prevRef: 'ONBEKEND1',
    };
    list.push(credit);
    addTruth(credit);
    addDeclared(credit);
    const [prov, muni, dm] = keyParts(key);
    planted.push({
      kind: 'credit without debit',
      rule: 'TR323',
      file: `jw323/${prov}_${muni}_${dm}.xml`,
      detail: 'VorigReferentieNummer ONBEKEND1',
    });
  }

  // Data for the insight checks (families, allocation sizes, planted over-indication and doubles).
  const familyOf = new Map<string, FamilyTag>(); // BSN → family
  let insightInfo: Manifest['insight'];
  if (opts.insight) {
    const r2 = prng(opts.seed * 7919 + 17);
    const planting = opts.insight === 'planted';
    // Siblings: pairs of new clients in the same municipality, linked by a parent known by name and birth date.
    const pending = new Map<string, string>();
    const costly = new Set([...costlyMembers.values()].flat());
    const seen = new Set<string>();
    let siblings = 0;
    for (const a of allocations) {
      if (seen.has(a.bsn) || costly.has(a.bsn)) continue;
      seen.add(a.bsn);
      if (r2() >= 0.05) continue;
      const other = pending.get(a.municipality);
      if (!other) {
        pending.set(a.municipality, a.bsn);
        continue;
      }
      pending.delete(a.municipality);
      const d = new Date(Date.UTC(1970, 0, 1 + siblings * 3));
      const tag: FamilyTag = {
        key: `S${++siblings}`,
        parent: { bsn: null, surname: 'Ouder', birth: d.toISOString().slice(0, 10) },
      };
      familyOf.set(other, tag);
      familyOf.set(a.bsn, tag);
    }
    // The costly families: a parent with a BSN (beyond every client's number).
    let keyed = 0;
    if (planting) {
      for (const [family, bsns] of costlyMembers) {
        const tag: FamilyTag = {
          key: family,
          parent: {
            bsn: bsnFor(clientCounter + opts.seed * 1_000_000 + 1 + keyed++),
            surname: 'Ouder',
            birth: '1975-05-05',
          },
        };
        for (const b of bsns) familyOf.set(b, tag);
      }
    }
    // The data begin in the first year: care of the year before is not declared (see push), so its
    // allocations are left out and those running into the first year start on 1 January of it.
    for (const a of allocations) {
      if (a.end < `${y0}-01`) a.omit = true;
      else if (a.start < `${y0}-01`) a.start = `${y0}-01`;
    }
    // Allocation sizes at the low end of delivery: a month's smallest volume (euro products: a budget).
    for (const a of allocations) {
      const months = monthRange(a.start, a.end).length;
      a.size =
        a.product.unit === '83'
          ? { budgetCents: a.product.volume[0] * months }
          : { volume: a.product.volume[0], unit: a.product.unit, frequency: '4' };
    }
    const overIndications: string[] = [];
    let doubles = 0;
    if (planting && opts.format === 'xml') {
      // Over-indication: four times the largest monthly volume allocated, on allocations that ran long enough.
      const candidates = allocations.filter(
        (a) =>
          !a.omit &&
          a.product.unit !== '83' &&
          !costly.has(a.bsn) &&
          monthRange(a.start, a.end).length >= 6 &&
          a.start <= addMonths(cutoffMonth, -16),
      );
      for (let i = 0; i < 3 && candidates.length; i++) {
        const a = at(candidates.splice(Math.floor(r2() * candidates.length), 1), 0);
        a.size = { volume: a.product.volume[1] * 4, unit: a.product.unit, frequency: '4' };
        overIndications.push(a.number);
        planted.push({
          kind: 'over-indication',
          rule: 'overIndication',
          file: `jw301/${a.provider}_${a.number}.xml`,
          detail: `allocation ${a.number}: ${a.size.volume} per month allocated, at most ${a.product.volume[1]} delivered`,
        });
      }
    }
    if (planting && keys.length > 0) {
      // Double registration across providers: a debit declared once more by another provider of the municipality.
      const used = new Set([1, 2, 3, 4].map(plantAt));
      for (let i = 0, tries = 0; i < 2 && tries < 100; tries++) {
        const key = at(keys, Math.floor(r2() * keys.length));
        if (used.has(key)) continue;
        used.add(key);
        const line = files.get(key)!.find((l) => l.dc === 'D');
        const other = (muniProviders.get(line?.municipality ?? '') ?? []).find((p) => p !== line?.provider);
        if (!line || !other) continue;
        const dup: Line = { ...line, provider: other, ref: `G${++refCounter}`, prevRef: undefined };
        const k2 = `${other}|${dup.municipality}|${dup.declMonth}`;
        const list = files.get(k2);
        if (list) list.push(dup);
        else files.set(k2, [dup]);
        addTruth(dup);
        addDeclared(dup);
        doubles++;
        i++;
        planted.push({
          kind: 'double registration across providers',
          rule: 'double',
          file: `jw323/${other}_${dup.municipality}_${dup.declMonth}.xml`,
          detail: `line of allocation ${dup.allocation} (provider ${line.provider}), ${dup.month}, declared again by ${other}; also a declaration without a matching allocation`,
        });
      }
      keys.splice(0, keys.length, ...[...files.keys()].sort());
    }

    // Re-entry (both modes): about 5% of the clients whose care ended at least 14 months before the cut-off
    // (so the 12 months after it are declared) get a new allocation 2–10 whole months after the end: an exit
    // (no care within 31 days) and a return within 12 months. Its own PRNG, so nothing above changes.
    const r3 = prng(opts.seed * 104_729 + 29);
    const lag3 = () => {
      let k = 1;
      while (k < 12 && r3() < 0.42) k++;
      return k;
    };
    const byClient = new Map<string, Allocation[]>();
    for (const a of allocations)
      if (!a.omit && !costly.has(a.bsn)) byClient.set(a.bsn, [...(byClient.get(a.bsn) ?? []), a]);
    const lastExit = addMonths(cutoffMonth, -14);
    const reEntryAllocations: NonNullable<Manifest['insight']>['reEntryAllocations'] = [];
    for (const [bsn, list] of byClient) {
      const first = at(list, 0);
      const end = list.reduce((m, a) => (a.end > m ? a.end : m), first.end);
      if (end > lastExit || r3() >= 0.05) continue;
      const product = pick(r3, PRODUCTS, (p) => p.weight);
      const provs = muniProviders.get(first.municipality)!;
      const provider = provs.length ? at(provs, Math.floor(r3() * provs.length)) : at(providers, 0);
      const gap = 2 + Math.floor(r3() * 9); // whole months without care
      const start = addMonths(end, gap + 1);
      const a: Allocation = {
        number: String(++allocCounter),
        municipality: first.municipality,
        provider,
        bsn,
        birth: first.birth,
        product,
        start,
        end: addMonths(start, between(r3, product.months) - 1),
        referrer: r3() < 0.4 ? null : pick(r3, REFERRER_WEIGHTS, (w) => w[1])[0],
      };
      const months = monthRange(a.start, a.end);
      a.size =
        product.unit === '83'
          ? { budgetCents: product.volume[0] * months.length }
          : { volume: product.volume[0], unit: product.unit, frequency: '4' };
      allocations.push(a);
      for (const month of months) {
        const vol = Math.max(1, Math.round(between(r3, product.volume) * at(SEASON, Number(month.slice(5)) - 1)));
        const tariff = contracted(product, month);
        push({
          provider,
          municipality: a.municipality,
          bsn,
          allocation: a.number,
          product: priced(product, tariff),
          month,
          declMonth: addMonths(month, lag3()),
          volume: vol,
          amount: vol * tariff,
          dc: 'D',
          ref: `G${++refCounter}`,
        });
      }
      reEntryAllocations.push({
        municipality: a.municipality,
        allocation: a.number,
        exit: lastDayOfMonth(end),
        back: `${start}-01`,
      });
    }

    // Tariffs above the contracted list (planted): three debit lines no other line shares client, product and
    // month with (so not a double, a correction or a credit), in euro amounts (not unit 83), 12% too high.
    const tariffLines: NonNullable<Manifest['insight']>['tariffLines'] = [];
    if (planting) {
      const shared = new Map<string, number>();
      const id = (l: Line) => `${l.bsn}|${l.product.code}|${l.month}`;
      for (const list of files.values()) for (const l of list) shared.set(id(l), (shared.get(id(l)) ?? 0) + 1);
      const candidates = [...files.keys()]
        .sort()
        .flatMap((k) =>
          files.get(k)!.filter((l) => l.dc === 'D' && !l.prevRef && l.product.unit !== '83' && shared.get(id(l)) === 1),
        );
      for (let i = 0; i < 3 && candidates.length; i++) {
        const l = at(candidates.splice(Math.floor(r3() * candidates.length), 1), 0);
        const contract = l.product.tariff;
        const tariff = contract + Math.max(1, Math.round(contract * 0.12));
        const before = l.amount;
        l.product = { ...l.product, tariff };
        l.amount = l.volume * tariff;
        addTruth({ ...l, amount: l.amount - before });
        addDeclared({ ...l, amount: l.amount - before });
        const file =
          opts.format === 'xml'
            ? `jw323/${l.provider}_${l.municipality}_${l.declMonth}.xml`
            : `csv/declaraties_${l.declMonth}.csv`;
        tariffLines.push({
          file,
          ref: l.ref,
          tariffCents: tariff,
          contractCents: contract,
          volume: l.volume,
          excessCents: (tariff - contract) * l.volume,
        });
        planted.push({
          kind: 'tariff above contract',
          rule: 'tariff',
          file,
          detail: `line ${l.ref} (allocation ${l.allocation}, ${l.month}): tariff ${tariff} cents, contracted ${contract}, volume ${l.volume}`,
        });
      }
    }
    keys.splice(0, keys.length, ...[...files.keys()].sort());

    // The contracted tariff list: every product for every year with declarations, for every provider ('*');
    // the last year open-ended.
    const lastYear = Number(cutoff.slice(0, 4));
    const tariffRows: (string | number)[][] = [];
    for (const p of PRODUCTS) {
      for (let y = y0; y <= lastYear; y++)
        tariffRows.push([
          '*',
          p.category,
          p.code,
          p.unit,
          contracted(p, `${y}-01`),
          `${y}-01-01`,
          y === lastYear ? '' : `${y}-12-31`,
        ]);
    }
    writeFileSync(
      join(opts.outDir, 'tarieven.csv'),
      stringify(tariffRows, { header: true, columns: [...TARIFF_CSV_COLUMNS] }),
    );

    insightInfo = {
      mode: opts.insight,
      siblingFamilies: siblings,
      keyedCostlyFamilies: keyed,
      overIndications,
      crossProviderDoubles: doubles,
      tariffList: 'tarieven.csv',
      tariffLines,
      reEntries: reEntryAllocations.length,
      reEntryAllocations,
      ...(effect ? { measureEffect: effect } : {}),
    };
  }

  // Write declarations.
  const total = files.size + allocations.length;
  let done = 0;
  let written = 0;
  let lines = 0;
  const progress = () => {
    done++;
    if (done % 500 === 0 || done === total) opts.onProgress?.(done, total, 'genereren');
  };
  if (opts.format === 'xml') {
    const pool = new WritePool(writeWorkers(opts));
    try {
      for (const key of keys) {
        const [provider, municipality, declMonth] = keyParts(key);
        const list = files.get(key)!;
        await pool.add({
          kind: 'jw323',
          file: join(opts.outDir, 'jw323', `${provider}_${municipality}_${declMonth}.xml`),
          provider,
          municipality,
          declMonth,
          number: `D${municipality}${declMonth.replace('-', '')}`,
          lines: list,
        });
        written += list.reduce((s, l) => s + (l.dc === 'C' ? -l.amount : l.amount), 0);
        lines += list.length;
        progress();
      }
      for (const a of allocations) {
        const date = `${addMonths(a.start, -1)}-20`;
        if (date > cutoff || a.omit) {
          progress();
          continue;
        }
        const name = `${a.provider}_${a.number}.xml`;
        await pool.add({
          kind: 'jw301',
          file: join(opts.outDir, 'jw301', name),
          allocation: a,
          date,
          family: familyOf.get(a.bsn),
        });
        if (a.referrer)
          await pool.add({
            kind: 'jw315',
            file: join(opts.outDir, 'jw315', name),
            allocation: a,
            date: `${addMonths(a.start, -1)}-10`,
            referrer: a.referrer,
          });
        progress();
      }
    } finally {
      await pool.close();
    }
  } else {
    const byMonth = new Map<string, Line[]>();
    // push, not spread: spreading the month's list for every line is quadratic (hours at national scale).
    for (const key of keys) {
      for (const l of files.get(key)!) {
        const list = byMonth.get(l.declMonth);
        if (list) list.push(l);
        else byMonth.set(l.declMonth, [l]);
      }
    }
    const refOf = new Map(allocations.map((a) => [a.number, a.referrer]));
    for (const [dm, list] of [...byMonth].sort()) {
      const rows: (string | number)[][] = list.map((l) => [
        l.municipality,
        l.provider,
        l.bsn,
        `D${l.municipality}${dm.replace('-', '')}`,
        `${dm}-05`,
        l.product.category,
        l.product.code,
        `${l.month}-01`,
        lastDayOfMonth(l.month),
        l.volume,
        l.product.unit,
        l.product.tariff,
        l.amount,
        l.dc,
        refOf.get(l.allocation) ?? '01',
        l.allocation,
      ]);
      if (opts.insight) list.forEach((l, i) => at(rows, i).push(familyOf.get(l.bsn)?.key ?? ''));
      writeFileSync(
        join(opts.outDir, 'csv', `declaraties_${dm}.csv`),
        stringify(rows, { header: true, columns: opts.insight ? [...CSV_COLUMNS, 'family'] : [...CSV_COLUMNS] }),
      );
      written += list.reduce((s, l) => s + (l.dc === 'C' ? -l.amount : l.amount), 0);
      lines += list.length;
    }
  }

  // Invalid files, on purpose: each must be rejected whole (made from the first file's lines, if any).
  const invalid: Manifest['invalidFiles'] = [];
  const sample = files.get(keys[0] ?? '')?.slice(0, 2) ?? [];
  const [first] = sample;
  if (first) {
    const good = jw323(first.provider, first.municipality, first.declMonth, 'INVALID1', sample);
    const truncated = { file: 'invalid/truncated.xml', reason: 'truncated XML' };
    const totalMismatch = { file: 'invalid/total-mismatch.xml', reason: 'header total differs from the lines' };
    const badBsn = { file: 'invalid/bsn.xml', reason: 'BSN fails the 11-proef' };
    invalid.push(truncated, totalMismatch, badBsn);
    writeFileSync(join(opts.outDir, truncated.file), good.slice(0, Math.floor(good.length / 2)));
    writeFileSync(
      join(opts.outDir, totalMismatch.file),
      jw323(first.provider, first.municipality, first.declMonth, 'INVALID2', sample, 1),
    );
    writeFileSync(
      join(opts.outDir, badBsn.file),
      jw323(
        first.provider,
        first.municipality,
        first.declMonth,
        'INVALID3',
        sample.map((l) => ({ ...l, bsn: l.bsn.slice(0, 8) + String((Number(l.bsn[8]) + 1) % 10) })),
      ),
    );
  }

  const manifest: Manifest = {
    options: { seed: opts.seed, years: opts.years, scale: opts.scale, format: opts.format, cutoff },
    region: { name: opts.scale === 'national' ? 'Nederland' : GENERATED_REGION_NAME },
    counts: {
      jw323Files: opts.format === 'xml' ? files.size : 0,
      allocations: allocations.length,
      declarationLines: lines,
      clients: clientCounter,
    },
    truth,
    declaredByCutoff: declared,
    writtenJw323Cents: written,
    providerRegister: PROVIDER_REGISTER_FILE,
    planted,
    invalidFiles: invalid,
    costlyFamilies,
    ...(insightInfo ? { insight: insightInfo } : {}),
  };
  writeFileSync(join(opts.outDir, 'manifest.json'), JSON.stringify(manifest, null, 1));
  return manifest;
}
