/**
 * The protected tables of one production year, the only source of figures for aggregate roles (raad,
 * partner). A fixed family of linked tables, protected together so that no table gives back what another
 * hides (rules: src/domain/disclosure.ts, README "Disclosure control"):
 *
 * - the municipalities' totals, a line of the region total;
 * - municipality × category, × provider, × referrer, × production month, each with both margins (the
 *   municipalities' totals keep the state decided above);
 * - products within one municipality's category, a line of that (protected) cell.
 *
 * Anything else — two filters combined, a provider within a product, a month within a provider, an
 * arbitrary period — is not published for these roles.
 */
import {
  protectLine,
  protectTable,
  type Hidden,
  type ProtectedCell,
  type RawCell,
  type Table2D,
} from '../domain/disclosure.js';
import { at } from '../domain/indexing.js';
import type { CostQuery, CostRow } from '../warehouse/warehouse.js';

export const CROSS_DIMS = ['category', 'provider', 'referrer', 'month'] as const;
export type CrossDim = (typeof CROSS_DIMS)[number];

export interface ProtectedYear {
  year: number;
  region: ProtectedCell;
  municipalities: string[];
  /** A municipality's total (a cell with no data is a published zero). */
  municipality(code: string): ProtectedCell;
  cross(dim: CrossDim): Table2D<string, string>;
}

type Costs = (q: CostQuery) => Promise<CostRow[]>;

const raw = (r: CostRow | undefined): RawCell => ({ clients: r?.clients ?? 0, amountCents: r?.amountCents ?? 0 });
const ZERO: ProtectedCell = { clients: 0, amountCents: 0, hidden: null };

export async function protectedYear(costs: Costs, year: number): Promise<ProtectedYear> {
  const [grandRows, byMuni, ...crossRows] = await Promise.all([
    costs({ by: [], year }),
    costs({ by: ['municipality'], year }),
    ...CROSS_DIMS.flatMap((d) => [costs({ by: ['municipality', d], year }), costs({ by: [d], year })]),
  ]);
  const grand = raw(grandRows[0]);
  const munis = byMuni.map((r) => r.municipality!).filter(Boolean);
  const muniLine = protectLine(new Map(byMuni.map((r) => [r.municipality!, raw(r)])), grand);
  const rowHidden = new Map<string, Hidden>([...muniLine.cells].map(([k, c]) => [k, c.hidden]));
  const tables = new Map<CrossDim, Table2D<string, string>>();
  CROSS_DIMS.forEach((d, i) => {
    const inner = at(crossRows, 2 * i);
    const margin = at(crossRows, 2 * i + 1);
    const cells = new Map<string, Map<string, RawCell>>(munis.map((m) => [m, new Map()]));
    for (const r of inner) cells.get(r.municipality!)?.set(r[d] ?? '', raw(r));
    tables.set(
      d,
      protectTable({
        cells,
        rowTotals: new Map(byMuni.map((r) => [r.municipality!, raw(r)])),
        colTotals: new Map(margin.map((r) => [r[d] ?? '', raw(r)])),
        grand,
        rowHidden,
        grandHidden: muniLine.total.hidden,
      }),
    );
  });
  return {
    year,
    region: muniLine.total,
    municipalities: munis,
    municipality: (code) => muniLine.cells.get(code) ?? ZERO,
    cross: (d) => tables.get(d)!,
  };
}

/** The products within one municipality's category: a line of that cell as protected in `py`. */
export async function protectedProducts(
  costs: Costs,
  py: ProtectedYear,
  code: string,
  category: string,
): Promise<Map<string, ProtectedCell>> {
  const [rows, totalRows] = await Promise.all([
    costs({ by: ['product'], year: py.year, municipalities: [code], category }),
    costs({ by: [], year: py.year, municipalities: [code], category }),
  ]);
  const parent = py.cross('category').cell(code, category);
  return protectLine(new Map(rows.map((r) => [r.product ?? '', raw(r)])), raw(totalRows[0]), parent.hidden).cells;
}

/** A protected row in the shape of a cost row (amount and count null when hidden). */
export interface ProtectedRow {
  key: string;
  amountCents: number | null;
  clients: number | null;
  hidden: Hidden;
}

/** One municipality's row of a cross table, as rows (largest amount first, hidden ones last). */
export function crossRow(py: ProtectedYear, dim: CrossDim, code: string): ProtectedRow[] {
  const t = py.cross(dim);
  return t.cols
    .map((k) => ({ key: k, ...t.cell(code, k) }))
    .filter((r) => !(r.hidden === null && r.clients === 0 && r.amountCents === 0))
    .sort(
      (a, b) =>
        (a.amountCents === null ? 1 : 0) - (b.amountCents === null ? 1 : 0) ||
        (b.amountCents ?? 0) - (a.amountCents ?? 0),
    );
}

/** One column of a cross table (a filter on a category or provider): per municipality. */
export function crossColumn(py: ProtectedYear, dim: CrossDim, key: string): Map<string, ProtectedCell> {
  const t = py.cross(dim);
  return new Map(py.municipalities.map((m) => [m, t.cols.includes(key) ? t.cell(m, key) : ZERO]));
}

/**
 * Published forecasts (vintages) as an aggregate role may see them: the region and every municipality whose
 * total is published in the protected table of the forecast's year. A municipality whose total is hidden
 * has no forecast for these roles (as on /api/forecast): a year-end forecast once the year is declared is its
 * total.
 */
export function publishedVintages<T extends { scope: string }>(history: readonly T[], py: ProtectedYear): T[] {
  return history.filter((h) => h.scope === 'regio' || py.municipality(h.scope).hidden === null);
}

/**
 * Why an aggregate role gets no A4 of a municipality for a month (null: it may have it). The A4 rests on the
 * costs from January up to its month as known at that month's end:
 * - only the latest month: an A4 of an earlier month is an earlier stand, and two stands differ by what was
 *   declared in between — a declaration-month cut (per category too) that may rest on a few clients;
 * - the municipality's total of the year and every month up to it published: otherwise the costs to date
 *   minus the published months give a hidden one back;
 * - its total of the year before published: the A4's "zelfde moment vorig jaar" is a part of it (a hidden
 *   total hides everything beneath it).
 */
export function aggregateA4Refusal(
  py: ProtectedYear,
  previous: ProtectedYear,
  code: string,
  month: string,
  latestMonth: string,
): string | null {
  if (month !== latestMonth)
    return 'Voor deze rol alleen het A4 van de laatste maand: een eerdere stand geeft samen met de huidige kleine aantallen terug.';
  const t = py.cross('month');
  if (py.municipality(code).hidden !== null || t.cols.some((c) => c <= month && t.cell(code, c).hidden !== null))
    return 'Geen A4 voor deze gemeente: de kosten tot nu rusten op te weinig cliënten om te tonen.';
  if (previous.municipality(code).hidden !== null)
    return 'Geen A4 voor deze gemeente: de kosten van vorig jaar (het zelfde moment vorig jaar) rusten op te weinig cliënten om te tonen.';
  return null;
}
