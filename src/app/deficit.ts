/**
 * One deficit, explained — as the gemeente page and the Burap both show it. Per municipality of the region:
 * the own result (own forecast − own budget), the share of the region's result (Σ forecasts − Σ budgets) under
 * the chosen key, the amount the municipality reserved for it, the difference between share and reservation
 * (the setback or windfall still to come), and Dutch sentences saying why own result and share differ
 * (domain/steering/deficit.ts) and what the reservation means.
 *
 * The reservation is the latest entry (`grip budget import-reserveringen`) dated on or before the as-of date.
 */
import { cbsMunicipality } from '../domain/codes/index.js';
import type { Cents } from '../domain/money.js';
import type { IsoDate } from '../domain/month.js';
import {
  ALLOCATION_KEY_LABELS,
  allocateByKey,
  type AllocationBasisRow,
  type PureAllocationKey,
} from '../domain/steering/allocation.js';
import {
  explainDeficit,
  explainReservation,
  type DeficitExplanation,
  type ReservationExplanation,
} from '../domain/steering/deficit.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { budgetsFor } from './budgets.js';
import { defaultAsOf, regionForecast, type RegionForecast } from './forecast.js';

export interface DeficitRow {
  municipality: string;
  name: string;
  budgetCents: Cents | null;
  forecastCents: Cents;
  /** Own forecast − own budget; null without a budget. */
  ownCents: Cents | null;
  /** The key's basis and fraction for this municipality. */
  keyBasis: number;
  keyFraction: number;
  /** Share of the region's result under the key; null while a municipality lacks a budget. */
  shareCents: Cents | null;
  /** Reserved for the share (latest entry on or before the as-of date); null when none was entered. */
  reservationCents: Cents | null;
  /** share − reservation: + = a setback (tegenvaller); null without share or reservation. */
  balanceCents: Cents | null;
  /** Why own result and share differ. */
  ownVsShare: DeficitExplanation | null;
  /** What the reservation means against the share. */
  reservation: ReservationExplanation | null;
}

export interface DeficitView {
  year: number;
  asOf: IsoDate;
  key: PureAllocationKey;
  keyLabel: string;
  rows: DeficitRow[];
  /** The region: Σ budgets (null unless complete), its forecast, its result, Σ reservations (null unless every municipality gave one). */
  region: {
    budgetCents: Cents | null;
    forecastCents: Cents;
    resultCents: Cents | null;
    reservationCents: Cents | null;
    balanceCents: Cents | null;
  };
  missingBudgets: string[];
  /** Why the split could not be made (e.g. a key that is zero everywhere), else null. */
  splitError: string | null;
  /** The forecast the figures rest on (the Burap reuses it). */
  forecast: RegionForecast;
}

export interface DeficitOptions {
  year: number;
  asOf?: IsoDate;
  key?: PureAllocationKey;
  /** The region's municipalities (default: the reference list, else those with costs). */
  municipalities?: string[];
  /** Budgets to use instead of the stored ones. */
  budgets?: ReadonlyMap<string, Cents>;
  /** Reservations to use instead of the stored ones. */
  reservations?: ReadonlyMap<string, Cents>;
  /** The region's forecast at `asOf` when the caller has it already (the web app caches it). */
  forecast?: RegionForecast;
}

/** The reservation per municipality for a year at a date: the latest entry dated on or before it. */
export async function reservationsFor(
  w: Warehouse,
  year: number,
  asOf?: IsoDate,
  municipalities?: string[],
): Promise<Map<string, Cents>> {
  const out = new Map<string, Cents>();
  for (const r of await w.reservations({ year, upTo: asOf, municipalities })) out.set(r.municipality, r.amountCents); // date order: the last wins
  return out;
}

export async function deficitView(w: Warehouse, opts: DeficitOptions): Promise<DeficitView> {
  const { year } = opts;
  const asOf = opts.asOf ?? (await defaultAsOf(w));
  const key = opts.key ?? 'usage';
  const refs = await w.municipalities();
  let codes = opts.municipalities?.length ? [...opts.municipalities] : refs.map((m) => m.code);
  if (!codes.length)
    codes = (await w.costs({ by: ['municipality'] })).flatMap((r) => (r.municipality ? [r.municipality] : []));
  codes = [...new Set(codes)].sort();
  const [forecast, budgets, reservations, prevYear, threeYears] = await Promise.all([
    opts.forecast ?? regionForecast(w, year, asOf, codes),
    opts.budgets ? Promise.resolve(opts.budgets) : budgetsFor(w, year, codes, asOf),
    opts.reservations ? Promise.resolve(opts.reservations) : reservationsFor(w, year, asOf, codes),
    w.costs({ by: ['municipality'], year: year - 1, asOf, municipalities: codes }),
    w.costs({
      by: ['municipality', 'year'],
      from: `${year - 3}-01`,
      to: `${year - 1}-12`,
      asOf,
      municipalities: codes,
    }),
  ]);
  const name = (c: string) => refs.find((m) => m.code === c)?.name ?? cbsMunicipality(c)?.name ?? c;
  const fBy = new Map(forecast.municipalities.map((m) => [m.municipality, m.forecastCents]));
  const missingBudgets = codes.filter((c) => !budgets.has(c));
  const budgetTotal =
    codes.length > 0 && missingBudgets.length === 0 ? codes.reduce((s, c) => s + (budgets.get(c) ?? 0), 0) : null;
  const resultTotal = budgetTotal === null ? null : forecast.total.forecastCents - budgetTotal;

  // Key bases: own usage = this year's forecast (what the municipality is expected to use).
  const prevBy = new Map(prevYear.map((r) => [r.municipality ?? '', r.clients]));
  const years3 = [year - 3, year - 2, year - 1].filter((y) => threeYears.some((r) => Number(r.year) === y));
  const basis: AllocationBasisRow[] = codes.map((c) => {
    const ref = refs.find((m) => m.code === c);
    return {
      code: c,
      name: name(c),
      usageCents: Math.max(0, fBy.get(c) ?? 0),
      clientsPrev: prevBy.get(c) ?? 0,
      clients3y: years3.map((y) => threeYears.find((r) => r.municipality === c && Number(r.year) === y)?.clients ?? 0),
      inhabitants: ref?.inhabitants ?? 0,
      youths: ref?.youths ?? 0,
    };
  });
  let splitError: string | null = null;
  let shares: { code: string; basis: number; fraction: number; shareCents: Cents }[];
  try {
    shares = allocateByKey(resultTotal ?? 0, key, basis);
  } catch (e) {
    splitError = `Verdeling naar ${ALLOCATION_KEY_LABELS[key]} niet mogelijk: ${(e as Error).message}`;
    shares = basis.map((b) => ({ code: b.code, basis: 0, fraction: 0, shareCents: 0 }));
  }
  const shareBy = new Map(shares.map((s) => [s.code, s]));
  const keyLabel = ALLOCATION_KEY_LABELS[key];
  const rows: DeficitRow[] = codes.map((c) => {
    const f = fBy.get(c) ?? 0;
    const b = budgets.get(c) ?? null;
    const s = shareBy.get(c) ?? { basis: 0, fraction: 0, shareCents: 0 };
    const shareCents = resultTotal === null || splitError ? null : s.shareCents;
    const reservationCents = reservations.get(c) ?? null;
    return {
      municipality: c,
      name: name(c),
      budgetCents: b,
      forecastCents: f,
      ownCents: b === null ? null : f - b,
      keyBasis: s.basis,
      keyFraction: s.fraction,
      shareCents,
      reservationCents,
      balanceCents: shareCents !== null && reservationCents !== null ? shareCents - reservationCents : null,
      ownVsShare:
        shareCents === null || b === null || budgetTotal === null
          ? null
          : explainDeficit({
              shareCents,
              ownCents: f - b,
              budgetCents: b,
              forecastCents: f,
              regionBudgetCents: budgetTotal,
              regionForecastCents: forecast.total.forecastCents,
              fraction: s.fraction,
              keyLabel,
            }),
      reservation: shareCents === null ? null : explainReservation({ shareCents, reservationCents, keyLabel }),
    };
  });
  const allReserved = codes.length > 0 && codes.every((c) => reservations.has(c));
  const reservationTotal = reservations.size ? codes.reduce((s, c) => s + (reservations.get(c) ?? 0), 0) : null;
  return {
    year,
    asOf,
    key,
    keyLabel,
    rows,
    region: {
      budgetCents: budgetTotal,
      forecastCents: forecast.total.forecastCents,
      resultCents: resultTotal,
      reservationCents: reservationTotal,
      // The region's balance only when every municipality gave its reservation (otherwise it would mix).
      balanceCents:
        resultTotal !== null && allReserved && reservationTotal !== null ? resultTotal - reservationTotal : null,
    },
    missingBudgets,
    splitError,
    forecast,
  };
}
