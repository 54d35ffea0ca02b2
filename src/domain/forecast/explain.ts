/**
 * Why did the forecast change? An analysis of change between an earlier forecast (as of D0, or a published
 * vintage) and a later one (as of D1), as a chain of forecasts in which one thing changes at a time:
 *
 *   from ─method→ A ─corrections, declarations→ B′ ─special_cases→ B ─lag_pattern→ C ─level_trend→ D = to
 *
 * - A: the earlier forecast recomputed with today's method on the data known at D0. A − from is `method`
 *   (a vintage made with an earlier method version) or, with the same method, data dated before D0 that
 *   arrived later (counted as `corrections`).
 * - B′: the data known at D1 (without the special cases' new declarations), but the earlier development
 *   pattern (read at D1's day of the month) and the earlier a-priori per month. Declarations that arrive as
 *   the earlier forecast expected leave it unchanged; so B′ − A is what was declared in the window minus
 *   what the earlier forecast expected for it. Per production month: months that were (almost) fully declared
 *   at D0 count as `corrections` (credits and changes to earlier production), the others as `declarations`.
 * - B: plus the special cases' new declarations (costly families: out-of-home placements, and the cases an analyst
 *   marked by hand) → `special_cases`; the hand-marked ones with new declarations are counted in its sentence and
 *   listed (their reasons) in `cases`, which only analysts see.
 * - C: today's development pattern → `lag_pattern`. D: today's level, season and trend → `level_trend`.
 * Every step is a whole-cent forecast, so the components add up exactly to to − from.
 */
import type { IsoDate, MonthKey } from '../month.js';
import { formatEuroRounded } from '../money.js';
import {
  developmentShares,
  forecastYearEnd,
  type RunoffCell,
  type YearEndForecast,
  type YearEndInput,
} from './yearEnd.js';

export const COMPONENT_KINDS = [
  'declarations',
  'corrections',
  'lag_pattern',
  'level_trend',
  'special_cases',
  'method',
] as const;
export type ComponentKind = (typeof COMPONENT_KINDS)[number];

export interface RevisionComponent {
  kind: ComponentKind;
  cents: number;
  text: string;
  /** special_cases only: the cases marked by hand with new declarations in the window (their reasons), for analysts. */
  cases?: string[];
}

export interface Revision {
  fromCents: number;
  toCents: number;
  components: RevisionComponent[];
}

/** A production month counts as (almost) fully declared at D0 from this share on: new declarations for it are corrections. */
export const COMPLETE_SHARE = 0.95;

export interface ExplainInput {
  year: number;
  from: {
    asOf: IsoDate;
    pooled?: YearEndInput['pooled'];
    /** A published figure (vintage): its total, and whether it was made with the current method. */
    stored?: { cents: number; sameMethod: boolean };
  };
  to: { asOf: IsoDate; pooled?: YearEndInput['pooled'] };
  /** Every cell known at the later date (the earlier date's cells are those dated on or before it). */
  cells: RunoffCell[];
  /** The special cases' cells (a subset of `cells`), when known: the costly families found and the cases marked by hand. */
  specialCells?: RunoffCell[];
  /** The cases marked by hand with new declarations in the window (their labels): counted and, for analysts, named. */
  markedCases?: string[];
  /** What drove the new declarations (e.g. per category or provider), largest first: used in the sentence. */
  drivers?: { label: string; cents: number }[];
}

const dateOf = (c: RunoffCell) => c.declarationDate ?? `${c.declarationMonth}-01`;

/** The Dutch sentence of one component (its amount, direction and cause). */
export function componentSentence(
  kind: ComponentKind,
  cents: number,
  drivers?: { label: string; cents: number }[],
  markedCases = 0,
): string {
  if (cents === 0) {
    return {
      declarations: 'Geen verschil door nieuwe declaraties: er kwam binnen wat verwacht was.',
      corrections: 'Geen correcties op eerdere maanden.',
      lag_pattern: 'Het declaratiepatroon (hoe snel aanbieders declareren) is niet veranderd.',
      level_trend: 'Niveau, seizoen en trend voor de resterende maanden zijn niet veranderd.',
      special_cases: `Geen nieuwe kosten van bijzondere casussen (kostbare gezinnen, verblijf buiten huis${markedCases ? '; ook niet van de met de hand gemarkeerde' : ''}).`,
      method: 'De rekenmethode is niet veranderd.',
    }[kind];
  }
  return `${formatEuroRounded(Math.abs(cents))} ${movement(kind, cents, drivers, markedCases)}`;
}

/** A non-zero component's direction and cause, without its amount: "hoger doordat …". */
function movement(
  kind: ComponentKind,
  cents: number,
  drivers?: { label: string; cents: number }[],
  markedCases = 0,
): string {
  const dir = cents > 0 ? 'hoger' : 'lager';
  const top = drivers?.filter((d) => Math.sign(d.cents) === Math.sign(cents))[0];
  switch (kind) {
    case 'declarations':
      return `${dir} doordat er ${cents > 0 ? 'meer' : 'minder'} gedeclareerd is dan verwacht${top ? `, vooral ${top.label}` : ''}.`;
    case 'corrections':
      return `${dir} door correcties en creditnota's op maanden die al (vrijwel) volledig gedeclareerd waren, of door later ingelezen gegevens van vóór de vorige stand.`;
    case 'lag_pattern':
      return `${dir} doordat aanbieders ${cents > 0 ? 'langzamer' : 'sneller'} declareren dan eerder: er wordt ${cents > 0 ? 'meer' : 'minder'} nog niet gedeclareerd verwacht.`;
    case 'level_trend':
      return `${dir} doordat het kostenniveau, het seizoenspatroon of de trend voor de resterende maanden ${cents > 0 ? 'hoger' : 'lager'} uitkomt.`;
    case 'special_cases':
      return `${dir} door nieuwe declaraties voor bijzondere casussen (kostbare gezinnen, verblijf buiten huis${markedCases ? `; waarvan ${markedCases === 1 ? '1 met de hand gemarkeerde casus' : `${markedCases} met de hand gemarkeerde casussen`}` : ''}).`;
    case 'method':
      return `${dir} doordat de rekenmethode van de prognose is verbeterd sinds de gepubliceerde versie.`;
  }
}

/** A component as an aggregate role (raad, partner) sees it: which way it moved the forecast and why, no amount. */
export interface AggregateComponent {
  kind: ComponentKind;
  direction: 'hoger' | 'lager';
  text: string;
}

/**
 * What an aggregate role sees of a revision's components. The new-data components are sums of what was declared
 * in the window — a costly family's placement (special cases), one credit note on an old month (corrections), a
 * few clients' new declarations — not protected cells; and since the components add up to the change, which is
 * shown, the amounts of the others would give back their sum. So no component carries an amount: only those that
 * moved the forecast, largest first, each with its direction and cause (the declarations' sentence keeps the
 * category it names, which has no amount), and no count of hand-marked cases.
 */
export function componentsForAggregate(
  components: readonly (Pick<RevisionComponent, 'kind' | 'cents'> & { text?: string })[],
): AggregateComponent[] {
  return components
    .filter((c) => c.cents !== 0)
    .sort((a, b) => Math.abs(b.cents) - Math.abs(a.cents))
    .map(({ kind, cents, text }) => {
      // The declarations' sentence names its category (from the drivers, which only its text carries).
      const prefix = `${formatEuroRounded(Math.abs(cents))} `;
      const rest =
        kind === 'declarations' && text?.startsWith(prefix) ? text.slice(prefix.length) : movement(kind, cents);
      return { kind, direction: cents > 0 ? 'hoger' : 'lager', text: rest.charAt(0).toUpperCase() + rest.slice(1) };
    });
}

/** The revision from the earlier forecast to the later one, in components that add up exactly. */
export function explainRevision(
  input: ExplainInput,
): Revision & { fromForecast: YearEndForecast; toForecast: YearEndForecast } {
  const { year } = input;
  const d0 = input.from.asOf;
  const d1 = input.to.asOf;
  const cells0 = input.cells.filter((c) => dateOf(c) <= d0);
  const A = forecastYearEnd({ year, asOf: d0, cells: cells0, pooled: input.from.pooled });
  const fromCents = input.from.stored?.cents ?? A.forecastCents;
  // The earlier pattern, read at the later date's day of the month; the earlier a-priori per month.
  const frozen = { shares: developmentShares(cells0, d0, d1), prior: A.priorExact };
  const special = new Set((input.specialCells ?? []).filter((c) => dateOf(c) > d0 && dateOf(c) <= d1));
  const specialKey = (c: RunoffCell) => `${c.month}|${dateOf(c)}`;
  const specialBy = new Map<string, number>();
  for (const c of special) specialBy.set(specialKey(c), (specialBy.get(specialKey(c)) ?? 0) + c.amountCents);
  const cells1 = input.cells.filter((c) => dateOf(c) <= d1);
  const withoutSpecial = cells1.map((c) =>
    dateOf(c) > d0 && specialBy.has(specialKey(c))
      ? { ...c, amountCents: c.amountCents - specialBy.get(specialKey(c))! }
      : c,
  );
  const Bp = forecastYearEnd({ year, asOf: d1, cells: withoutSpecial, pooled: input.from.pooled, override: frozen });
  const B = forecastYearEnd({ year, asOf: d1, cells: cells1, pooled: input.from.pooled, override: frozen });
  const C = forecastYearEnd({
    year,
    asOf: d1,
    cells: cells1,
    pooled: input.from.pooled,
    override: { prior: A.priorExact },
  });
  const D = forecastYearEnd({ year, asOf: d1, cells: cells1, pooled: input.to.pooled });

  // B′ − A per production month: corrections on months (almost) complete at D0, declarations on the others.
  const shareA = new Map(A.months.map((m) => [m.month, m.share]));
  let corrections = 0;
  let declarations = 0;
  const byMonth = (f: YearEndForecast) => new Map<MonthKey, number>(f.months.map((m) => [m.month, m.expectedCents]));
  const a = byMonth(A);
  for (const [m, e] of byMonth(Bp)) {
    const delta = e - (a.get(m) ?? 0);
    if ((shareA.get(m) ?? 0) >= COMPLETE_SHARE) corrections += delta;
    else declarations += delta;
  }
  // from → A: a vintage made with an earlier method is `method`; otherwise late-arriving data dated before D0.
  const head = A.forecastCents - fromCents;
  const newMethod = !!input.from.stored && !input.from.stored.sameMethod;
  const cents: Record<ComponentKind, number> = {
    declarations,
    corrections: corrections + (newMethod ? 0 : head),
    special_cases: B.forecastCents - Bp.forecastCents,
    lag_pattern: C.forecastCents - B.forecastCents,
    level_trend: D.forecastCents - C.forecastCents,
    method: newMethod ? head : 0,
  };
  return {
    fromCents,
    toCents: D.forecastCents,
    components: COMPONENT_KINDS.map((kind) => {
      const marked = kind === 'special_cases' ? (input.markedCases ?? []) : [];
      const text = componentSentence(
        kind,
        cents[kind],
        kind === 'declarations' ? input.drivers : undefined,
        marked.length,
      );
      return marked.length ? { kind, cents: cents[kind], text, cases: marked } : { kind, cents: cents[kind], text };
    }),
    fromForecast: A,
    toForecast: D,
  };
}
