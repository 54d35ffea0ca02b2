/**
 * What of the cost drivers (Kostendrijvers) an aggregate role (raad, partner) may ask for: only selections
 * whose slices are cells of the protected tables of each year (app/disclosure.ts) — whole years as now known;
 * a split by municipality (of the region), or by category, provider or referrer of the region or of one
 * municipality, or by product within one municipality's category. Anything else is refused: the reason in
 * Dutch, or null when the selection may be shown.
 */
import type { Period } from './decomposition.js';

export type DriversSliceDim = 'category' | 'product' | 'provider' | 'referrer' | 'municipality';

export interface DriversSelection {
  by?: DriversSliceDim;
  municipalities?: readonly string[];
  category?: string;
  product?: string;
  provider?: string;
  referrer?: string;
  basis?: string;
  /** "Even ver gedeclareerd": the earlier period as known at an earlier date. */
  likeForLike?: boolean;
}

const wholeYear = (x: Period) =>
  x.from.endsWith('-01') && x.to.endsWith('-12') && x.from.slice(0, 4) === x.to.slice(0, 4);

export function driversRefusalForAggregate(p: DriversSelection, before: Period, after: Period): string | null {
  if (!wholeYear(before) || !wholeYear(after)) return 'kies hele jaren (bijv. 2024 en 2025)';
  // The earlier year as known a year ago is a table outside the protected ones (its difference with the
  // year's cell is a declaration-window cut).
  if (p.likeForLike) return '“even ver gedeclareerd” (cijfers van een eerdere stand); vergelijk zoals nu bekend';
  const by = p.by ?? 'category';
  const munis = p.municipalities ?? [];
  if (p.provider || p.referrer || p.basis || munis.length > 1)
    return 'filter alleen op één gemeente (en voor productcodes op een categorie)';
  if (by === 'product') {
    if (!p.category || munis.length !== 1 || p.product)
      return 'productcodes alleen binnen één gemeente en één categorie';
  } else if (p.category || p.product)
    return 'een categorie- of productfilter alleen met de uitsplitsing naar productcode';
  if (by === 'municipality' && munis.length) return 'de uitsplitsing naar gemeente geldt voor de hele regio';
  return null;
}
