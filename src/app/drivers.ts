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
import type { IsoDate } from '../domain/month.js';
import { ROUND_TO, roundCount } from '../domain/suppression.js';
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
   * Aggregate roles: decompose on client counts rounded to 5 (at least 5 where there are clients), so the
   * volume and intensity effects cannot give an exact count back (a ratio of exact counts would).
   */
  roundedCounts?: boolean;
}

export interface Decomposition {
  slices: SliceDecomposition[];
  total: SliceDecomposition;
}

/** A period long before any data: a query for one real period reads the other as empty. */
const NO_PERIOD: PeriodRange = { from: '1900-01', to: '1900-01' };

async function driverInputs(src: DriversSource, q: DecompositionQuery): Promise<DriverInputs> {
  const { likeForLike, roundedCounts: _rounded, ...query } = q;
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
  };
}

/** The decomposition of the selection per slice and in total; the parts add up to the change, to the cent. */
export async function decomposeDrivers(src: DriversSource, q: DecompositionQuery): Promise<Decomposition> {
  const raw = await driverInputs(src, q);
  const r5 = (c: number) => (c > 0 ? Math.max(ROUND_TO, roundCount(c)) : 0);
  const d = q.roundedCounts
    ? {
        rows: raw.rows.map((r) => ({ ...r, clients: r5(r.clients) })),
        sliceClients: raw.sliceClients.map((s) => ({ ...s, clients: r5(s.clients) })),
        totalClients: { before: r5(raw.totalClients.before), after: r5(raw.totalClients.after) },
      }
    : raw;
  const slices = decompose(cellsFromRows(d.rows), d.sliceClients);
  return { slices, total: totalOf(slices, d.totalClients) };
}
