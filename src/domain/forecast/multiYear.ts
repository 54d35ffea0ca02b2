/**
 * Multi-year forecast (jaarschijven): the years after the forecast year, from the trend and explicit,
 * editable assumptions. Pure: no I/O.
 *
 * For year Y+h (h = 1, 2, 3), with F the year-end forecast of year Y (the base):
 *   trend total T_h = F × ((1 + volume) × (1 + price) × (1 + youths))^h
 *   total       = T_h + measures
 * The change T_h − F is split additively into a volume, a price and a youth-growth effect with LMDI
 * (log-mean Divisia, as in the cost-driver decomposition): effect_x = L(T_h, F) × h × ln(1 + x), which adds
 * up exactly to T_h − F in real numbers; T_h is rounded to whole cents once, and the effects are rounded
 * with the largest-remainder method so that base + volume + price + youths + measures = total exactly.
 * The measures line is a fixed nominal amount per year (negative = saving), not indexed.
 *
 * Defaults (see deriveTrend): the volume trend is the recent years' nominal growth deflated by the price
 * index measured in the same years (cost per unit per product, Sato–Vartia), so with the default price
 * index and youth growth 0 the forecast continues the observed nominal growth. Youth growth defaults to 0:
 * Grip has no population projection, and past demographic change is inside the derived volume trend.
 *
 * Interval: the base year's 80% interval (relative half-widths below and above F) is widened for the
 * uncertainty of the trend: year-on-year growth varies with standard deviation s (sample sd of the past
 * growth rates, at least MIN_GROWTH_SD), so the log level is a random walk (variance h·s²) with an estimated
 * mean (variance h²·s²/n for n observed growth rates). Half-width at horizon h:
 *   w_h = √(w_0² + (Z80 · s)² · (h + h²/n)),  low = T_h·(1 − w_h⁻) + measures, high = T_h·(1 + w_h⁺) + measures.
 * The widening is not back-tested (a few years of data cannot calibrate it); the measures are taken as given.
 */
import { at } from '../indexing.js';
import { largestRemainder, logMean } from '../insight/decomposition.js';
import { roundCents, type Cents } from '../money.js';
import { Z80 } from './yearEnd.js';

/** Horizon: years after the forecast year. */
export const MULTI_YEAR_HORIZON = 3;
/** Floor of the year-on-year growth spread: two or three growth rates cannot show it reliably. */
export const MIN_GROWTH_SD = 0.02;
/** Years of data the trend is derived from (the last complete years before the forecast year). */
export const TREND_YEARS = 3;

export type AssumptionKey = 'youthGrowthPct' | 'priceIndexPct' | 'volumeTrendPct' | 'measuresCents' | 'growthSdPct';

export interface Assumption {
  key: AssumptionKey;
  /** Dutch label as printed. */
  label: string;
  value: number;
  unit: '% per jaar' | 'cent per jaar';
  /** Where the default comes from, e.g. "afgeleid uit 2023–2025" or "aanname"; "opgegeven" when set by the user. */
  source: string;
  note?: string;
}

export interface MultiYearAssumptions {
  youthGrowthPct: Assumption;
  priceIndexPct: Assumption;
  volumeTrendPct: Assumption;
  measuresCents: Assumption;
  /** Spread of year-on-year growth (for the interval only). */
  growthSdPct: Assumption;
  /** Number of growth rates s was estimated from (n in the interval formula). */
  growthObservations: number;
}

export interface AnnualFigure {
  year: number;
  cents: number;
}

export interface DerivedTrend {
  years: number[];
  /** Mean nominal growth per year (geometric), as a fraction. */
  nominalGrowth: number;
  /** Price index per year derived from the data, as a fraction (null: not measurable). */
  priceIndex: number | null;
  /** Volume trend per year = (1 + nominal) / (1 + price) − 1, as a fraction. */
  volumeTrend: number;
  /** Sample sd of the year-on-year nominal growth rates (NaN with fewer than two). */
  growthSd: number;
  growthObservations: number;
}

export const yearSpan = (years: number[]) =>
  years.length ? (years.length > 1 ? `${years[0]}–${years[years.length - 1]}` : String(years[0])) : '';

/**
 * The trend of the recent years: nominal growth of the annual totals (first to last, geometric), the
 * price index over the same span (annualised), and the volume trend as the rest. `annual` must hold
 * consecutive years with positive totals (ultimates: declared + not yet declared).
 */
export function deriveTrend(annual: AnnualFigure[], priceIndexOverSpan: number | null): DerivedTrend {
  const a = [...annual].sort((x, y) => x.year - y.year);
  const years = a.map((x) => x.year);
  if (a.length < 2 || a.some((x) => !(x.cents > 0))) {
    return {
      years,
      nominalGrowth: 0,
      priceIndex: priceIndexOverSpan === null ? null : 0,
      volumeTrend: 0,
      growthSd: NaN,
      growthObservations: 0,
    };
  }
  const k = a.length - 1;
  const nominalGrowth = Math.pow(at(a, k).cents / at(a, 0).cents, 1 / k) - 1;
  const priceIndex = priceIndexOverSpan === null ? null : Math.pow(1 + priceIndexOverSpan, 1 / k) - 1;
  const volumeTrend = (1 + nominalGrowth) / (1 + (priceIndex ?? 0)) - 1;
  const rates = a.slice(1).map((x, i) => x.cents / at(a, i).cents - 1);
  const mean = rates.reduce((s, r) => s + r, 0) / rates.length;
  const growthSd =
    rates.length > 1 ? Math.sqrt(rates.reduce((s, r) => s + (r - mean) ** 2, 0) / (rates.length - 1)) : NaN;
  return { years, nominalGrowth, priceIndex, volumeTrend, growthSd, growthObservations: rates.length };
}

/** One product (× unit) with its cost and units in two periods (e.g. DriverCell of the decomposition). */
export interface ProductPeriods {
  product: string;
  unit: string;
  before: { amountCents: number; units: number };
  after: { amountCents: number; units: number };
}

/**
 * Price index between two periods (as a fraction: 0.05 = +5%) from cost per unit per product: the
 * Sato–Vartia index, ln P = Σ wᵢ ln(p₁ᵢ / p₀ᵢ) with wᵢ ∝ L(s₁ᵢ, s₀ᵢ) of the cost shares, over the products
 * with positive cost and units in both periods. Null when no product qualifies.
 */
export function priceIndexFromProducts(cells: ProductPeriods[]): number | null {
  const both = cells.filter(
    (c) => c.before.amountCents > 0 && c.before.units > 0 && c.after.amountCents > 0 && c.after.units > 0,
  );
  if (!both.length) return null;
  const c0 = both.reduce((s, c) => s + c.before.amountCents, 0);
  const c1 = both.reduce((s, c) => s + c.after.amountCents, 0);
  const w = both.map((c) => logMean(c.after.amountCents / c1, c.before.amountCents / c0));
  const wSum = w.reduce((s, x) => s + x, 0);
  const lnP = both.reduce(
    (s, c, i) =>
      s + (at(w, i) / wSum) * Math.log(c.after.amountCents / c.after.units / (c.before.amountCents / c.before.units)),
    0,
  );
  return Math.exp(lnP) - 1;
}

/** Optional user settings (percentages per year, measures in cents per year); undefined = the default. */
export interface AssumptionOverrides {
  youthGrowthPct?: number;
  priceIndexPct?: number;
  volumeTrendPct?: number;
  measuresCents?: number;
}

const r2 = (x: number) => Math.round(x * 100) / 100;

/**
 * The assumptions with their defaults and sources. Percentages are rounded to two decimals, and the
 * rounded value is the one used, so what is printed is exactly what is computed.
 */
export function buildAssumptions(trend: DerivedTrend, o: AssumptionOverrides = {}): MultiYearAssumptions {
  const span = yearSpan(trend.years);
  const derived = trend.growthObservations > 0;
  const from = derived ? `afgeleid uit ${span}` : 'aanname (te weinig jaren historie)';
  return {
    youthGrowthPct:
      o.youthGrowthPct !== undefined
        ? {
            key: 'youthGrowthPct',
            label: 'groei aantal jeugdigen',
            value: o.youthGrowthPct,
            unit: '% per jaar',
            source: 'opgegeven',
          }
        : {
            key: 'youthGrowthPct',
            label: 'groei aantal jeugdigen',
            value: 0,
            unit: '% per jaar',
            source: 'aanname',
            note: 'Grip heeft geen bevolkingsprognose; de groei van het aantal jeugdigen in de afgelopen jaren zit in de volumetrend',
          },
    priceIndexPct:
      o.priceIndexPct !== undefined
        ? { key: 'priceIndexPct', label: 'prijsindex', value: o.priceIndexPct, unit: '% per jaar', source: 'opgegeven' }
        : trend.priceIndex !== null && derived
          ? {
              key: 'priceIndexPct',
              label: 'prijsindex',
              value: r2(trend.priceIndex * 100),
              unit: '% per jaar',
              source: `afgeleid uit ${span}`,
              note: 'prijs per eenheid per product (Sato–Vartia-index)',
            }
          : {
              key: 'priceIndexPct',
              label: 'prijsindex',
              value: 0,
              unit: '% per jaar',
              source: 'aanname (geen prijs per eenheid te meten)',
            },
    volumeTrendPct:
      o.volumeTrendPct !== undefined
        ? {
            key: 'volumeTrendPct',
            label: 'volumetrend',
            value: o.volumeTrendPct,
            unit: '% per jaar',
            source: 'opgegeven',
          }
        : {
            key: 'volumeTrendPct',
            label: 'volumetrend',
            value: r2(trend.volumeTrend * 100),
            unit: '% per jaar',
            source: from,
            note: derived
              ? `nominale groei ${r2(trend.nominalGrowth * 100)}% per jaar gedeeld door de prijsindex van dezelfde jaren (${r2((trend.priceIndex ?? 0) * 100)}%)`
              : undefined,
          },
    measuresCents:
      o.measuresCents !== undefined
        ? {
            key: 'measuresCents',
            label: 'effect maatregelen',
            value: o.measuresCents,
            unit: 'cent per jaar',
            source: 'opgegeven',
            note: 'vast bedrag per jaar, negatief = besparing',
          }
        : {
            key: 'measuresCents',
            label: 'effect maatregelen',
            value: 0,
            unit: 'cent per jaar',
            source: 'aanname',
            note: 'geen maatregelen ingeboekt; negatief = besparing',
          },
    growthSdPct:
      Number.isFinite(trend.growthSd) && trend.growthSd > MIN_GROWTH_SD
        ? {
            key: 'growthSdPct',
            label: 'spreiding jaargroei (voor het interval)',
            value: r2(trend.growthSd * 100),
            unit: '% per jaar',
            source: `afgeleid uit ${span}`,
          }
        : {
            key: 'growthSdPct',
            label: 'spreiding jaargroei (voor het interval)',
            value: MIN_GROWTH_SD * 100,
            unit: '% per jaar',
            source: 'aanname (minimum; te weinig jaren om te meten)',
          },
    growthObservations: Math.max(1, trend.growthObservations),
  };
}

export interface YearRow {
  year: number;
  /** The base year's forecast F. */
  baseCents: Cents;
  volumeCents: Cents;
  priceCents: Cents;
  youthCents: Cents;
  measuresCents: Cents;
  /** base + volume + price + youth + measures, exactly. */
  totalCents: Cents;
  lowCents: Cents;
  highCents: Cents;
}

export interface BaseYear {
  year: number;
  forecastCents: Cents;
  lowCents: Cents;
  highCents: Cents;
}

/** Relative half-widths (below, above) of the 80% interval at horizon h (see the header). */
export function halfWidths(base: BaseYear, a: MultiYearAssumptions, h: number): { below: number; above: number } {
  const F = base.forecastCents;
  const w0lo = F > 0 ? Math.max(0, (F - base.lowCents) / F) : 0;
  const w0hi = F > 0 ? Math.max(0, (base.highCents - F) / F) : 0;
  const s = a.growthSdPct.value / 100;
  const wTrend2 = (Z80 * s) ** 2 * (h + (h * h) / a.growthObservations);
  return { below: Math.sqrt(w0lo ** 2 + wTrend2), above: Math.sqrt(w0hi ** 2 + wTrend2) };
}

/** low/high from the trend total (before measures), the measures and the half-widths; low ≤ total ≤ high. */
export function interval(
  trendCents: Cents,
  measuresCents: Cents,
  w: { below: number; above: number },
): { lowCents: Cents; highCents: Cents } {
  const total = trendCents + measuresCents;
  return {
    lowCents: Math.min(total, roundCents(Math.max(0, trendCents * (1 - w.below))) + measuresCents),
    highCents: Math.max(total, roundCents(trendCents * (1 + w.above)) + measuresCents),
  };
}

/**
 * The multi-year rows for one municipality (or the region) from its base-year forecast. The measures line is
 * `a.measuresCents` every year, or — with `measuresByYear` (e.g. from the measures ledger) — that year's amount.
 */
export function projectYears(
  base: BaseYear,
  a: MultiYearAssumptions,
  horizon = MULTI_YEAR_HORIZON,
  measuresByYear?: Readonly<Record<number, Cents>>,
): YearRow[] {
  const F = base.forecastCents;
  const x = [a.volumeTrendPct.value, a.priceIndexPct.value, a.youthGrowthPct.value].map((p) => 1 + p / 100);
  if (x.some((v) => !(v > 0))) throw new RangeError('a growth percentage must be above −100%');
  const rows: YearRow[] = [];
  for (let h = 1; h <= horizon; h++) {
    const M = measuresByYear ? (measuresByYear[base.year + h] ?? 0) : a.measuresCents.value;
    if (!Number.isSafeInteger(M)) throw new RangeError(`measures must be whole cents, got ${M}`);
    const factor = x.reduce((p, v) => p * Math.pow(v, h), 1);
    const trend = roundCents(F * factor);
    const change = trend - F;
    // LMDI: effect_i = L(T, F) · h · ln(x_i); for F ≤ 0 or T ≤ 0 (no cost) the split is proportional to ln(x_i).
    const lns = x.map((v) => h * Math.log(v));
    const lnSum = lns.reduce((p, v) => p + v, 0);
    const real =
      F > 0 && trend > 0
        ? lns.map((l) => logMean(F * factor, F) * l)
        : lns.map((l) => (lnSum !== 0 ? (change * l) / lnSum : 0));
    const split = change === 0 && real.every((v) => v === 0) ? [0, 0, 0] : largestRemainder(real, change);
    const [volumeCents, priceCents, youthCents] = [at(split, 0), at(split, 1), at(split, 2)];
    const totalCents = trend + M;
    rows.push({
      year: base.year + h,
      baseCents: F,
      volumeCents,
      priceCents,
      youthCents,
      measuresCents: M,
      totalCents,
      ...interval(trend, M, halfWidths(base, a, h)),
    });
  }
  return rows;
}

/** Sums rows of several municipalities per year (the region's components add up because each row does). */
export function sumRows(rowsPerEntity: YearRow[][]): Omit<YearRow, 'lowCents' | 'highCents'>[] {
  const out = new Map<number, Omit<YearRow, 'lowCents' | 'highCents'>>();
  for (const rows of rowsPerEntity)
    for (const r of rows) {
      const acc = out.get(r.year) ?? {
        year: r.year,
        baseCents: 0,
        volumeCents: 0,
        priceCents: 0,
        youthCents: 0,
        measuresCents: 0,
        totalCents: 0,
      };
      acc.baseCents += r.baseCents;
      acc.volumeCents += r.volumeCents;
      acc.priceCents += r.priceCents;
      acc.youthCents += r.youthCents;
      acc.measuresCents += r.measuresCents;
      acc.totalCents += r.totalCents;
      out.set(r.year, acc);
    }
  return [...out.values()].sort((p, q) => p.year - q.year);
}
