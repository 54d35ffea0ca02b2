/**
 * What of the cost drivers (Kostendrijvers) an aggregate role (raad, partner) may ask for: only selections
 * whose slices are cells of the protected tables of each year (app/disclosure.ts) — whole years as now known;
 * a split by municipality (of the region), or by category, provider or referrer of the region or of one
 * municipality, or by product within one municipality's category. Anything else is refused: the reason in
 * Dutch, or null when the selection may be shown.
 */
import { at } from '../indexing.js';
import type { Cents } from '../money.js';
import { ROUND_TO, roundCount } from '../suppression.js';
import { largestRemainder, realEffects, type Period, type SliceDecomposition } from './decomposition.js';

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

/** One slice (a cell of a protected table) in a year, with its exact client count. */
export interface SliceCell {
  amountCents: Cents;
  clients: number;
}

/** A client count as an aggregate role's split uses it: rounded to 5, at least 5 where there are clients. */
const published = (clients: number) => (clients > 0 ? Math.max(ROUND_TO, roundCount(clients)) : 0);

/**
 * The split an aggregate role (raad, partner) sees of one slice's change: from the slice's own cells only —
 * its amount in each year and its client count rounded to 5 — as clients × cost per client. `volumeCents` is
 * the part of more or fewer clients, `priceCents` that of a higher or lower cost per client (more care per
 * client and higher tariffs together), `intensityCents` is 0; in whole cents that add up to the change.
 *
 * Never per product. Analysts split a slice per product (clients × units per client × cost per unit) and add
 * the parts up; each product's part depends on that product's own cell, which no protected table publishes
 * (a product of the region, of a provider, of a municipality) or which its table hides. A product new in the
 * later year puts its whole amount in volume: in a hand case a category's volume effect was exactly the
 * hidden cell of a new product on 2 clients (src/web/drivers-effects.attack.test.ts). Care per client and
 * tariff cannot be told apart without units, which are refused to these roles.
 */
export function sliceEffectsForAggregate(before: SliceCell, after: SliceCell): SliceDecomposition & { slice: '' } {
  const n0 = published(before.clients);
  const n1 = published(after.clients);
  // The client as the unit: cost = clients × 1 × cost per client, so the intensity is 1 in both years.
  const e = realEffects(
    { amountCents: before.amountCents, clients: n0, units: n0 },
    { amountCents: after.amountCents, clients: n1, units: n1 },
  );
  const change = after.amountCents - before.amountCents;
  const split = largestRemainder([e.volume, e.intensity + e.price], change);
  return {
    slice: '',
    beforeCents: before.amountCents,
    afterCents: after.amountCents,
    changeCents: change,
    volumeCents: at(split, 0),
    intensityCents: 0,
    priceCents: at(split, 1),
    beforeClients: n0,
    afterClients: n1,
    unit: null,
    products: [],
  };
}

/**
 * The decomposition an aggregate role sees: every slice and the total each from its own cells
 * (`sliceEffectsForAggregate`), largest change first. The total is not the sum of the slices' parts (a hidden
 * slice's part would follow from it); its amounts are.
 */
export function decomposeForAggregate(
  slices: readonly { slice: string; before: SliceCell; after: SliceCell }[],
  total: { before: SliceCell; after: SliceCell },
): { slices: SliceDecomposition[]; total: SliceDecomposition } {
  return {
    slices: slices
      .map((s) => ({ ...sliceEffectsForAggregate(s.before, s.after), slice: s.slice }))
      .sort((a, b) => Math.abs(b.changeCents) - Math.abs(a.changeCents) || a.slice.localeCompare(b.slice)),
    total: sliceEffectsForAggregate(total.before, total.after),
  };
}
