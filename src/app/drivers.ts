/**
 * The cost-driver decomposition (volume × intensity × price per slice) as the CLI (`grip drivers`), the web
 * page (Kostendrijvers, through app/insight.ts) and the reports (A4, maand, Burap) all compute it: the
 * warehouse's driver inputs for two periods, optionally each as known at its own date (like for like: the
 * same declaration lag on both sides), optionally on protected client counts, decomposed by the pure domain.
 * Labels, sentences and views are the callers'; the figures are computed here only.
 */
import {
  cellsFromRows,
  decompose,
  totalOf,
  type DriverInputQuery,
  type DriverInputRow,
  type DriverInputs,
  type PeriodRange,
  type SliceDecomposition,
} from '../domain/insight/decomposition.js';
import { decomposeForAggregate, type SliceCell } from '../domain/insight/drivers-disclosure.js';
import type { IsoDate } from '../domain/month.js';
import type { Warehouse } from '../warehouse/warehouse.js';

/** What the decomposition needs from the warehouse. */
export type DriversSource = Pick<Warehouse, 'driverInputs'>;

export interface DecompositionQuery extends DriverInputQuery {
  /**
   * Like for like: the later period as known at `afterAsOf`, the earlier one as known at `beforeAsOf`
   * (replaces `asOf`).
   */
  likeForLike?: { beforeAsOf: IsoDate; afterAsOf: IsoDate };
  /**
   * Aggregate roles: each slice and the total from its own cells only — amounts and client counts rounded to
   * 5 — as clients × cost per client, never per product (domain/insight/drivers-disclosure.ts
   * decomposeForAggregate).
   */
  aggregate?: boolean;
}

export interface Decomposition {
  slices: SliceDecomposition[];
  total: SliceDecomposition;
  /**
   * Split as clients × cost per client (aggregate roles): `priceCents` is the cost per client's part (care per
   * client and tariff together), `intensityCents` 0.
   */
  perClient: boolean;
}

/** A period long before any data: a query for one real period reads the other as empty. */
const NO_PERIOD: PeriodRange = { from: '1900-01', to: '1900-01' };

async function driverInputs(src: DriversSource, q: DecompositionQuery): Promise<DriverInputs> {
  const { likeForLike, aggregate: _aggregate, ...query } = q;
  const before = { from: q.before.from, to: q.before.to };
  const after = { from: q.after.from, to: q.after.to };
  if (!likeForLike) return src.driverInputs({ ...query, before, after });
  // Each query reads one real period (the other is empty) as known at its own date: two cheap queries.
  const [a, b] = await Promise.all([
    src.driverInputs({ ...query, before: NO_PERIOD, after, asOf: likeForLike.afterAsOf }),
    src.driverInputs({ ...query, before: NO_PERIOD, after: before, asOf: likeForLike.beforeAsOf }),
  ]);
  const rows: DriverInputRow[] = [
    ...b.rows.filter((r) => r.period === 'after').map((r) => ({ ...r, period: 'before' as const })),
    ...a.rows.filter((r) => r.period === 'after'),
  ];
  return {
    rows,
    sliceClients: [
      ...b.sliceClients.filter((s) => s.period === 'after').map((s) => ({ ...s, period: 'before' as const })),
      ...a.sliceClients.filter((s) => s.period === 'after'),
    ],
    totalClients: { before: b.totalClients.after, after: a.totalClients.after },
    totalAllClients: { before: b.totalAllClients.after, after: a.totalAllClients.after },
  };
}

/** The decomposition of the selection per slice and in total; the parts add up to the change, to the cent. */
export async function decomposeDrivers(src: DriversSource, q: DecompositionQuery): Promise<Decomposition> {
  const d = await driverInputs(src, q);
  if (q.aggregate) return { ...decomposeForAggregate(...sliceCells(d)), perClient: true };
  const slices = decompose(cellsFromRows(d.rows), d.sliceClients);
  return { slices, total: totalOf(slices, d.totalClients), perClient: false };
}

/** The inputs summed per slice (its cells of both years) and in total, with the distinct clients as counted there. */
function sliceCells(
  d: DriverInputs,
): [{ slice: string; before: SliceCell; after: SliceCell }[], { before: SliceCell; after: SliceCell }] {
  const empty = () => ({ before: { amountCents: 0, clients: 0 }, after: { amountCents: 0, clients: 0 } });
  const slices = new Map<string, { before: SliceCell; after: SliceCell }>();
  const slice = (k: string) => {
    let s = slices.get(k);
    if (!s) slices.set(k, (s = empty()));
    return s;
  };
  const total = empty();
  for (const r of d.rows) {
    slice(r.slice)[r.period].amountCents += r.amountCents;
    total[r.period].amountCents += r.amountCents;
  }
  // Clients as the protected tables count them: with any line in the slice (not only a positive net cost).
  for (const c of d.sliceClients) slice(c.slice)[c.period].clients = c.allClients;
  total.before.clients = d.totalAllClients.before;
  total.after.clients = d.totalAllClients.after;
  return [[...slices].map(([k, s]) => ({ slice: k, ...s })), total];
}
