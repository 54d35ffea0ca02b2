/**
 * Realised savings of a measure against a counterfactual (difference-in-differences). Pure: no I/O.
 *
 * The target group is the cost the measure acts on (its municipalities × categories/products). The controls are
 * the same categories/products in comparable municipalities that did not take the measure. Without the measure,
 * the target group would have kept its pre-start proportion to the control group; so for every period t after
 * the start (a month, or a year for aggregate roles):
 *
 *   counterfactual_t = T_pre × C_t / C_pre        realised_t = counterfactual_t − actual_t
 *
 * with T_pre and C_pre the target's and the pooled controls' cost over the pre-start window (a whole year, so
 * seasons cancel) and C_t the controls' cost in period t. This is a difference-in-differences in logs (a
 * ratio): the target's own level before the start, moved by the change — trend, season, prices, late
 * declarations — that the same care shows in the controls. A growing region therefore no longer makes a working
 * measure look like a loss, as a flat pre-start baseline does.
 *
 * The range (80%) comes from placebo measures "in space": each control in turn is treated as if it had taken
 * the measure, with the other controls as its controls, over the same periods. Its estimated saving, as a share
 * of its counterfactual, is pure estimation error (it took no measure). Scaled to the target's size — a cost is
 * a sum over many clients, so its relative noise falls with the square root of its size: a control's error is
 * multiplied by √(control's pre-start cost ÷ target's) — the 10th and 90th percentile of those relative errors,
 * applied to the target's counterfactual, give the range:
 *
 *   low = realised − q90 × CF,   high = realised − q10 × CF        (CF = Σ counterfactual over the periods)
 *
 * Why this and not placebo start dates before the real start: placebos in space use the same periods as the
 * estimate (the same late declarations, the same season) and need no extra years of history, which a measure
 * started two years after the data begin does not have; they include each municipality's own year-to-year
 * noise, which dominates the error for one municipality. Limits: with fewer than MIN_PLACEBOS controls there is
 * no range; the square-root scaling assumes clients of similar cost in every municipality.
 */
import { GripError } from '../errors.js';
import { roundCents, type Cents } from '../money.js';
import type { MonthKey } from '../month.js';
import type { Measure } from './measures.js';

/** Fewest controls for a range (with fewer the percentiles mean nothing). */
export const MIN_PLACEBOS = 3;
/** Percentiles of the placebo errors that bound the range. */
export const RANGE_QUANTILES = [0.1, 0.9] as const;

export interface DidInput {
  /** The target group's cost per period (month `YYYY-MM` or year `YYYY`). */
  target: Readonly<Record<string, Cents>>;
  /** Each control unit's cost (same care, another municipality) per period. */
  controls: Readonly<Record<string, Readonly<Record<string, Cents>>>>;
  /** Periods before the start (the window the proportion is taken over). */
  pre: readonly string[];
  /** Periods after the start to estimate the saving for. */
  post: readonly string[];
}

export interface DidPeriod {
  period: string;
  actualCents: Cents;
  controlCents: Cents;
  counterfactualCents: Cents;
  /** counterfactual − actual (positive: saved). */
  realisedCents: Cents;
}

export interface Placebo {
  unit: string;
  /** Its estimated "saving" as a share of its counterfactual (it took no measure: pure error). */
  rawError: number;
  /** rawError × √(its pre-start cost ÷ the target's): the error a unit of the target's size would show. */
  relativeError: number;
}

export interface DidResult {
  targetPreCents: Cents;
  controlPreCents: Cents;
  controls: string[];
  periods: DidPeriod[];
  actualCents: Cents;
  counterfactualCents: Cents;
  realisedCents: Cents;
  /** realised / counterfactual (the measure's effect as a share); null without a counterfactual. */
  relativeEffect: number | null;
  /** The 80% range of the realised saving; null with fewer than MIN_PLACEBOS usable controls. */
  lowCents: Cents | null;
  highCents: Cents | null;
  /** The placebo errors the range rests on (sorted by unit). */
  placebos: Placebo[];
  /** The percentiles (q10, q90) of the placebo errors; null without a range. */
  errorQuantiles: [number, number] | null;
}

const at = (s: Readonly<Record<string, Cents>>, p: string): Cents => s[p] ?? 0;
const total = (s: Readonly<Record<string, Cents>>, ps: readonly string[]) => ps.reduce((a, p) => a + at(s, p), 0);

/** Linear-interpolation percentile (type 7) of a sorted list; q in [0, 1]. */
export function quantile(sorted: readonly number[], q: number): number {
  if (!sorted.length) throw new RangeError('quantile of an empty list');
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const a = sorted[lo] ?? 0;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] ?? a;
  return a + (h - lo) * (b - a);
}

/** The counterfactual per period of one unit against a pooled control series (null when a pre sum is ≤ 0). */
function counterfactual(
  unit: Readonly<Record<string, Cents>>,
  pooled: Readonly<Record<string, Cents>>,
  pre: readonly string[],
  post: readonly string[],
): DidPeriod[] | null {
  const uPre = total(unit, pre);
  const cPre = total(pooled, pre);
  if (!(uPre > 0) || !(cPre > 0)) return null;
  return post.map((period) => {
    const controlCents = at(pooled, period);
    const counterfactualCents = roundCents((uPre * controlCents) / cPre);
    const actualCents = at(unit, period);
    return { period, actualCents, controlCents, counterfactualCents, realisedCents: counterfactualCents - actualCents };
  });
}

function pool(series: readonly Readonly<Record<string, Cents>>[], periods: readonly string[]): Record<string, Cents> {
  const out: Record<string, Cents> = {};
  for (const p of periods) out[p] = series.reduce((a, s) => a + at(s, p), 0);
  return out;
}

/** Difference-in-differences estimate of a measure's saving, with its 80% range (see the header). */
export function differenceInDifferences(input: DidInput): DidResult | null {
  const { pre, post } = input;
  if (!pre.length) throw new GripError('USAGE', 'the pre-start window is empty');
  const overlap = pre.filter((p) => post.includes(p));
  if (overlap.length) throw new GripError('USAGE', `periods ${overlap.join(', ')} are both before and after the start`);
  const all = [...pre, ...post];
  const units = Object.keys(input.controls).sort();
  // A control with nothing before the start, or nothing at all after it (no data, or the care stopped there),
  // cannot stand in for anything.
  const usable = units.filter(
    (u) => total(input.controls[u] ?? {}, pre) > 0 && (!post.length || total(input.controls[u] ?? {}, post) > 0),
  );
  if (!usable.length) return null;
  const pooled = pool(
    usable.map((u) => input.controls[u] ?? {}),
    all,
  );
  const periods = counterfactual(input.target, pooled, pre, post);
  if (!periods) return null;
  const actualCents = periods.reduce((a, p) => a + p.actualCents, 0);
  const counterfactualCents = periods.reduce((a, p) => a + p.counterfactualCents, 0);
  const realisedCents = counterfactualCents - actualCents;

  const placebos: Placebo[] = [];
  if (usable.length >= 2) {
    for (const u of usable) {
      const others = usable.filter((o) => o !== u);
      if (!others.length) continue;
      const ps = counterfactual(
        input.controls[u] ?? {},
        pool(
          others.map((o) => input.controls[o] ?? {}),
          all,
        ),
        pre,
        post,
      );
      if (!ps) continue;
      const cf = ps.reduce((a, p) => a + p.counterfactualCents, 0);
      const act = ps.reduce((a, p) => a + p.actualCents, 0);
      const scale = Math.sqrt(total(input.controls[u] ?? {}, pre) / total(input.target, pre));
      if (cf > 0) placebos.push({ unit: u, rawError: (cf - act) / cf, relativeError: ((cf - act) / cf) * scale });
    }
  }
  let lowCents: Cents | null = null;
  let highCents: Cents | null = null;
  let errorQuantiles: [number, number] | null = null;
  if (placebos.length >= MIN_PLACEBOS) {
    const sorted = placebos.map((p) => p.relativeError).sort((a, b) => a - b);
    const q10 = quantile(sorted, RANGE_QUANTILES[0]);
    const q90 = quantile(sorted, RANGE_QUANTILES[1]);
    errorQuantiles = [q10, q90];
    lowCents = realisedCents - roundCents(q90 * counterfactualCents);
    highCents = realisedCents - roundCents(q10 * counterfactualCents);
  }
  return {
    targetPreCents: total(input.target, pre),
    controlPreCents: total(pooled, pre),
    controls: usable,
    periods,
    actualCents,
    counterfactualCents,
    realisedCents,
    relativeEffect: counterfactualCents > 0 ? realisedCents / counterfactualCents : null,
    lowCents,
    highCents,
    placebos,
    errorQuantiles,
  };
}

/** The range of a part of the periods (e.g. one year), from the same placebo errors: realised − q × its CF. */
export function rangeFor(
  r: DidResult,
  periods: readonly DidPeriod[],
): { realisedCents: Cents; lowCents: Cents | null; highCents: Cents | null } {
  const realisedCents = periods.reduce((a, p) => a + p.realisedCents, 0);
  const cf = periods.reduce((a, p) => a + p.counterfactualCents, 0);
  if (!r.errorQuantiles) return { realisedCents, lowCents: null, highCents: null };
  return {
    realisedCents,
    lowCents: realisedCents - roundCents(r.errorQuantiles[1] * cf),
    highCents: realisedCents - roundCents(r.errorQuantiles[0] * cf),
  };
}

/**
 * The control municipalities of a measure: the region's municipalities outside its scope that took no similar
 * measure in the window — no other measure that is under way (any status but `idee` and `gestopt`) names them,
 * acts on an overlapping set of categories (an empty list is every category) and runs in part of `window`.
 * Measures for the whole region act on the controls as much as on the target group, so they cancel out in the
 * difference and do not remove controls. A measure for the whole region has no controls (empty list).
 */
export function controlMunicipalities(
  m: Measure,
  all: readonly Measure[],
  region: readonly string[],
  window: { from: MonthKey; to: MonthKey },
): string[] {
  if (!m.scope.municipalities.length) return [];
  const cats = m.scope.categories ?? [];
  const overlaps = (o: Measure) => {
    const oc = o.scope.categories ?? [];
    return !cats.length || !oc.length || oc.some((c) => cats.includes(c));
  };
  const taken = new Set<string>();
  for (const o of all) {
    if (o.id === m.id || o.status === 'idee' || o.status === 'gestopt' || !overlaps(o)) continue;
    if (o.plan.start > window.to || (o.plan.end != null && o.plan.end < window.from)) continue;
    for (const c of o.scope.municipalities) taken.add(c);
  }
  return region.filter((c) => !m.scope.municipalities.includes(c) && !taken.has(c)).sort();
}

/** One Dutch sentence that says the method (shown on the Maatregelen pages and in the CLI). */
export const DID_METHOD_NL =
  'Gerealiseerde besparing = wat de doelgroep zonder de maatregel had gekost min wat zij werkelijk kostte; “zonder maatregel” is het eigen niveau van vóór de start, meebewogen met de ontwikkeling van dezelfde zorg in vergelijkbare gemeenten zonder de maatregel (verschil-in-verschillen), met een 80%-bandbreedte uit schijnmaatregelen in elk van die gemeenten.';
