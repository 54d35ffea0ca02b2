/**
 * One deficit, explained: a municipality's own result (own forecast − own budget) next to its share of the
 * region's result under an allocation key, and why the two differ.
 *
 * With key fraction k, region budget B and forecast F, own budget b and forecast f:
 *   share ≈ k × (F − B) and own = f − b, so share − own = (b − k·B) − (f − k·F):
 * the share differs from the own result by how far the own budget lies from k of the region's budget, minus how
 * far the own forecast lies from k of the region's forecast. Under the usage key (k = f / F) the second term is
 * zero: the difference is all budget — a municipality that budgeted more than its part of the usage has a small
 * own deficit but carries its full share of the region's.
 */
import { formatEuroRounded, type Cents } from '../money.js';

export interface DeficitInput {
  /** This municipality's share of the region's result under the key (forecast − budget, + = deficit). */
  shareCents: Cents;
  /** Own forecast − own budget. */
  ownCents: Cents;
  budgetCents: Cents;
  forecastCents: Cents;
  regionBudgetCents: Cents;
  regionForecastCents: Cents;
  /** The key fraction (0..1). */
  fraction: number;
  /** The key in Dutch, e.g. "eigen gebruik". */
  keyLabel: string;
}

export interface DeficitExplanation {
  /** share − own (+ = the share is the larger burden). */
  differenceCents: Cents;
  /** own budget − fraction × region budget (rounded to the cent). */
  budgetGapCents: Cents;
  /** own forecast − fraction × region forecast (rounded to the cent). */
  forecastGapCents: Cents;
  /** One Dutch sentence saying why they differ. */
  sentence: string;
}

const pctNl = (x: number) => `${(Math.round(x * 1000) / 10).toLocaleString('nl-NL')}%`;
const e = formatEuroRounded;
/** Whole euros are what the sentence shows: a gap under half a euro is no gap. */
const zero = (c: Cents) => Math.abs(c) < 50;

export function explainDeficit(x: DeficitInput): DeficitExplanation {
  const differenceCents = x.shareCents - x.ownCents;
  const budgetGapCents = Math.round(x.budgetCents - x.fraction * x.regionBudgetCents);
  const forecastGapCents = Math.round(x.forecastCents - x.fraction * x.regionForecastCents);
  const k = pctNl(x.fraction);
  const parts: string[] = [];
  if (!zero(budgetGapCents)) {
    parts.push(
      `de eigen begroting (${e(x.budgetCents)}) ${e(Math.abs(budgetGapCents))} ${budgetGapCents > 0 ? 'hoger' : 'lager'} is dan ${k} van de regionale begroting (${e(Math.round(x.fraction * x.regionBudgetCents))})`,
    );
  }
  if (!zero(forecastGapCents)) {
    parts.push(
      `de eigen prognose (${e(x.forecastCents)}) ${e(Math.abs(forecastGapCents))} ${forecastGapCents > 0 ? 'hoger' : 'lager'} is dan ${k} van de regionale prognose (${e(Math.round(x.fraction * x.regionForecastCents))})`,
    );
  }
  const what = `Het aandeel in het verschil van de regio (${e(x.shareCents)}, naar ${x.keyLabel}: ${k})`;
  const sentence =
    zero(differenceCents) || parts.length === 0
      ? `${what} is gelijk aan het eigen verschil tussen prognose en begroting (${e(x.ownCents)}): de eigen begroting en prognose zijn ${k} van die van de regio.`
      : `${what} is ${e(Math.abs(differenceCents))} ${differenceCents > 0 ? 'hoger' : 'lager'} dan het eigen verschil tussen prognose en begroting (${e(x.ownCents)}), omdat ${parts.join(' en ')}.`;
  return { differenceCents, budgetGapCents, forecastGapCents, sentence };
}

export interface ReservationExplanation {
  /** share − reservation: positive = a setback (tegenvaller) against the reservation, negative = a windfall. */
  balanceCents: Cents;
  /** One Dutch sentence: what was reserved, the share, and what that means for the next Burap. */
  sentence: string;
}

/**
 * A municipality's reservation against its share of the region's result: the share minus what it reserved is
 * the setback (or windfall) it still has to take into account.
 */
export function explainReservation(x: {
  shareCents: Cents;
  reservationCents: Cents | null;
  keyLabel: string;
}): ReservationExplanation | null {
  if (x.reservationCents === null) return null;
  const balanceCents = x.shareCents - x.reservationCents;
  const head = `Het aandeel in het verschil van de regio is ${e(x.shareCents)} naar ${x.keyLabel}; gereserveerd is ${e(x.reservationCents)}.`;
  const tail = zero(balanceCents)
    ? ' Dat is gelijk aan de reservering: er hoeft niets bij.'
    : balanceCents > 0
      ? ` Er moet daarom rekening worden gehouden met een tegenvaller van ${e(balanceCents)}: het aandeel is hoger dan de reservering.`
      : ` Er is daarom een meevaller van ${e(-balanceCents)}: het aandeel is lager dan de reservering.`;
  return { balanceCents, sentence: head + tail };
}
