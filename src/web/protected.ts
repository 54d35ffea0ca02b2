/**
 * What the pages show to aggregate roles (raad, partner): figures read from the protected tables only
 * (src/app/disclosure.ts), with every derived figure computed from them. A filter selects a column of a
 * protected cross table; two filters at once select a cell of no protected table and are refused.
 */
import { CROSS_DIMS, type CrossDim } from '../app/disclosure.js';
import type { ProtectedCell } from '../domain/disclosure.js';
import { at } from '../domain/indexing.js';
import type { WebData } from './data.js';
import { euro, html, raw, type SafeHtml } from './layout.js';

export const HIDDEN = raw('<span class="hidden" title="Te weinig cliënten om te tonen">*</span>');

/** An amount from a protected cell: '*' when hidden. */
export const protectedEuro = (c: number | null): SafeHtml => (c === null ? HIDDEN : html`${euro(c)}`);

/** A rounded count from a protected cell: '<10' / '*' when hidden. */
export function protectedCount(c: ProtectedCell): SafeHtml {
  if (c.hidden === 'primary') return html`${'<10'}`;
  if (c.hidden) return HIDDEN;
  return html`${(c.clients ?? 0).toLocaleString('nl-NL')}`;
}

export const COMBINED_FILTER_NOTE =
  'Voor deze rol kan maar één filter tegelijk worden gebruikt (productcategorie óf aanbieder): een combinatie levert cellen met te weinig cliënten op die niet beschermd kunnen worden.';

export interface MunicipalityFigures {
  by: Map<string, ProtectedCell>;
  total: ProtectedCell;
}

/** Per municipality for a year, optionally one filter: the protected cells; null for two filters at once. */
export async function municipalityFigures(
  data: WebData,
  year: number,
  filter: { category?: string; provider?: string },
): Promise<MunicipalityFigures | null> {
  if (filter.category && filter.provider) return null;
  const py = await data.protectedYear(year);
  const dim = filter.category ? 'category' : filter.provider ? 'provider' : null;
  if (!dim) return { by: new Map(py.municipalities.map((m) => [m, py.municipality(m)])), total: py.region };
  const key = (filter.category ?? filter.provider)!;
  const t = py.cross(dim);
  const has = t.cols.includes(key);
  const zero: ProtectedCell = { clients: 0, amountCents: 0, hidden: null };
  return {
    by: new Map(py.municipalities.map((m) => [m, has ? t.cell(m, key) : zero])),
    total: has ? t.colTotal(key) : zero,
  };
}

/** Whether a production month of the year is hidden for a municipality (or, with null, the region). */
export async function anyMonthHidden(data: WebData, year: number, code: string | null): Promise<boolean> {
  const t = (await data.protectedYear(year)).cross('month');
  return t.cols.some((m) => (code === null ? t.colTotal(m) : t.cell(code, m)).hidden !== null);
}

export interface ProtectedCostRow {
  municipality?: string;
  year?: string;
  category?: string;
  provider?: string;
  referrer?: string;
  month?: string;
  product?: string;
  /** Null when hidden. */
  amountCents: number | null;
  /** Rounded to 5; '<10' (primary) or '*' (secondary) when hidden. */
  clients: number | '<10' | '*';
}

export interface ProtectedCostQuery {
  by: string[];
  year?: number;
  municipalities?: string[];
  category?: string;
  provider?: string;
  product?: string;
  /** Anything else asked (a period, a basis): not available from the protected tables. */
  other: boolean;
  /** Partners: the providers they may see by name (providerScope); null = all. */
  ownProviders?: Set<string> | null;
}

const published = (c: ProtectedCell): Pick<ProtectedCostRow, 'amountCents' | 'clients'> => ({
  amountCents: c.amountCents,
  clients: c.hidden === 'primary' ? '<10' : c.hidden ? '*' : (c.clients ?? 0),
});

/**
 * `/api/costs` for aggregate roles: the rows of a protected table, or a Dutch message saying why the
 * combination is not published. No declaration-line counts or units (units × tariff is an amount).
 */
export async function protectedCostRows(data: WebData, q: ProtectedCostQuery): Promise<ProtectedCostRow[] | string> {
  const refuse =
    'Deze combinatie wordt voor deze rol niet gepubliceerd (kleine aantallen): kies per jaar één uitsplitsing (gemeente, categorie, aanbieder, verwijzer, maand, of productcode binnen één gemeente en categorie) en hoogstens één filter.';
  if (q.other) return refuse;
  const byYear = q.by.includes('year');
  const dims = q.by.filter((d) => d !== 'year');
  const byMuni = dims.includes('municipality');
  const cross = dims.filter((d) => d !== 'municipality');
  if (cross.length > 1 || (q.category && q.provider)) return refuse;
  const years = byYear
    ? (await data.costs({ by: ['year'] })).map((r) => Number(r.year)).filter((y) => !q.year || y === q.year)
    : [q.year ?? (await data.currentYear())];
  const inScope = (m: string) => !q.municipalities || q.municipalities.includes(m);
  const out: ProtectedCostRow[] = [];
  for (const y of years) {
    const py = await data.protectedYear(y);
    const yearKey = byYear ? { year: String(y) } : {};
    if (cross[0] === 'product') {
      if (byMuni || q.provider || !q.category || q.municipalities?.length !== 1) return refuse;
      const code = at(q.municipalities, 0);
      for (const [product, c] of await data.protectedProducts(y, code, q.category))
        if (!q.product || q.product === product) out.push({ ...yearKey, product, ...published(c) });
      continue;
    }
    if (q.product) return refuse;
    if (cross.length) {
      const dim = cross[0] as CrossDim;
      if (!(CROSS_DIMS as readonly string[]).includes(dim)) return refuse;
      if ((q.category && dim !== 'category') || (q.provider && dim !== 'provider')) return refuse;
      const t = py.cross(dim);
      const keys = t.cols.filter(
        (k) =>
          (!q.category || k === q.category) &&
          (!q.provider || k === q.provider) &&
          (dim !== 'provider' || !q.ownProviders || q.ownProviders.has(k)),
      );
      if (byMuni) {
        for (const m of py.municipalities.filter(inScope))
          for (const k of keys) {
            const c = t.cell(m, k);
            if (c.hidden === null && c.clients === 0 && c.amountCents === 0) continue;
            out.push({ municipality: m, ...yearKey, [dim]: k, ...published(c) });
          }
      } else {
        if (q.municipalities) return refuse; // a municipality's row without its municipality: ask by municipality
        for (const k of keys) out.push({ ...yearKey, [dim]: k, ...published(t.colTotal(k)) });
      }
      continue;
    }
    const f = await municipalityFigures(data, y, { category: q.category, provider: q.provider });
    if (!f) return refuse;
    if (byMuni) {
      for (const [m, c] of f.by) if (inScope(m)) out.push({ municipality: m, ...yearKey, ...published(c) });
    } else if (q.municipalities) {
      if (q.municipalities.length !== 1) return refuse;
      out.push({
        ...yearKey,
        ...published(f.by.get(at(q.municipalities, 0)) ?? { clients: 0, amountCents: 0, hidden: null }),
      });
    } else out.push({ ...yearKey, ...published(f.total) });
  }
  return out;
}

/**
 * The providers whose own figures a viewer may see by name: null = all (every role but partner). A partner
 * sees only its own organisation — its `organisation` is its AGB code, or the name (or the abbreviation in a
 * name such as "Stichting Jeugdteams (SJT)") under which its AGB codes are in the provider register — and
 * region-wide aggregates without other providers' names or amounts.
 */
export async function providerScope(
  data: WebData,
  v: { user: { role: string; organisation: string | null } | null },
): Promise<Set<string> | null> {
  if (v.user?.role !== 'partner') return null;
  const org = (v.user.organisation ?? '').trim();
  if (!org) return new Set();
  if (/^\d{8}$/.test(org)) return new Set([org]);
  const word = new RegExp(`(^|[^\\p{L}\\p{N}])${org.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\p{L}\\p{N}])`, 'iu');
  return new Set(
    [...(await data.providerNames())]
      .filter(([, name]) => name.trim().toLowerCase() === org.toLowerCase() || word.test(name))
      .map(([agb]) => agb),
  );
}

export const OTHER_PROVIDER_NOTE =
  'Als partner ziet u de cijfers van uw eigen organisatie en die van de regio als geheel, niet die van andere aanbieders.';
