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

/**
 * Whether a role may compare with an earlier period "even ver gedeclareerd" (like for like: the earlier
 * period as known at an earlier date, the same declaration lag); null when it may, else the reason in Dutch.
 *
 * Not for aggregate roles. The earlier period as known then (Y) is no published cell, while the same months
 * as known now (X) are (month cells, year tables): X − Y is what was declared late for those months — a cut
 * by declaration date that may rest on a handful of clients, and no suppression of Y itself hides it. They
 * compare with the earlier period as known now (X itself, a sum of published cells).
 *
 * The one rule every comparison with last year shares: Kostendrijvers (page and API) and the A4 (screen, PDF).
 */
export function likeForLikeRefusal(aggregate: boolean): string | null {
  return aggregate ? '“even ver gedeclareerd” (cijfers van een eerdere stand); vergelijk zoals nu bekend' : null;
}

const wholeYear = (x: Period) =>
  x.from.endsWith('-01') && x.to.endsWith('-12') && x.from.slice(0, 4) === x.to.slice(0, 4);

export function driversRefusalForAggregate(p: DriversSelection, before: Period, after: Period): string | null {
  if (!wholeYear(before) || !wholeYear(after)) return 'kies hele jaren (bijv. 2024 en 2025)';
  // The earlier year as known a year ago is a table outside the protected ones (its difference with the
  // year's cell is a declaration-window cut).
  const lfl = p.likeForLike ? likeForLikeRefusal(true) : null;
  if (lfl !== null) return lfl;
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
