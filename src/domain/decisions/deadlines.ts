/**
 * Deadline rules of the decision cycle and the deadlines derived from them.
 *
 * - Zienswijze term: the councils have N weeks after the DB sends a draft (ontwerp)begroting or
 *   begrotingswijziging; the DB sends it N weeks before the AB adopts it (Wgr art. 35). N was 8 by law
 *   until 30 June 2022; the amendment that seed 002 calls "voorstel tot wijziging van de Wgr (35513)"
 *   made it 12 from 1 July 2022 (Stb. 2022, 18 and 128).
 * - Reaction term: councils want the DB's reaction within 3 months (seed 002, Zwijndrecht point 4).
 *   Grip counts it from the date the view was received, or from the end of the zienswijze term when
 *   that date is unknown.
 * - Also from the Wgr: the general financial and policy starting points (kadernota) to the councils by
 *   before 15 April (later 30 April) of Y−1; the adopted begroting to Gedeputeerde Staten within 2 weeks
 *   of adoption and before 1 August (later 15 September) of Y−1; the provisional annual accounts to the
 *   councils before 15 April (later 30 April) of Y+1. A derived deadline is the last day allowed, so
 *   "vóór 30 april" gives 29 April.
 */
import { daysInMonth, formatDateNl, isIsoDate, type IsoDate } from '../month.js';
import type { DecisionItem, DecisionMoment, Zienswijze } from './types.js';

const DAY_MS = 86_400_000;

function toUtc(date: IsoDate): number {
  if (!isIsoDate(date)) throw new RangeError(`not a date (YYYY-MM-DD): "${date}"`);
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
}

function fromUtc(ms: number): IsoDate {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromUtc(toUtc(date) + days * DAY_MS);
}

export function addWeeks(date: IsoDate, weeks: number): IsoDate {
  return addDays(date, weeks * 7);
}

/** Calendar months later; the day is clamped to the month's end (31 Aug + 3 months → 30 Nov). */
export function addCalendarMonths(date: IsoDate, months: number): IsoDate {
  toUtc(date);
  const idx = Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1 + months;
  const y = Math.floor(idx / 12);
  const m = idx - y * 12 + 1;
  const d = Math.min(Number(date.slice(8, 10)), daysInMonth(y, m));
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Whole days from `a` to `b` (b − a). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return Math.round((toUtc(b) - toUtc(a)) / DAY_MS);
}

const minDate = (a: IsoDate, b: IsoDate): IsoDate => (a <= b ? a : b);

export interface DeadlineRules {
  id: 'wgr-tot-2022-07' | 'wgr-vanaf-2022-07' | 'eigen';
  name: string;
  /** Weeks councils have to give their view after the DB sends the draft. */
  viewTermWeeks: number;
  /** Weeks before the AB adopts it that the DB must send the draft. */
  sendBeforeAbWeeks: number;
  /** Months within which councils want the DB's reaction. */
  reactionTermMonths: number;
  /** Kadernota (general starting points) to the councils before ("vóór") this day of Y−1. */
  kadernotaBy: { month: number; day: number };
  /** Adopted begroting to Gedeputeerde Staten within these days of adoption, and before this day of Y−1. */
  begrotingToGsWithinDays: number;
  begrotingToGsBy: { month: number; day: number };
  /** Provisional annual accounts to the councils before this day of Y+1. */
  voorlopigeJaarrekeningBy: { month: number; day: number };
  source: string;
}

/** The law as it stood in 2020, when seed 002 happened: 8 weeks. */
export const WGR_TOT_2022_07: DeadlineRules = {
  id: 'wgr-tot-2022-07',
  name: 'Wgr tot 1-7-2022 (8 weken)',
  viewTermWeeks: 8,
  sendBeforeAbWeeks: 8,
  reactionTermMonths: 3,
  kadernotaBy: { month: 4, day: 15 },
  begrotingToGsWithinDays: 14,
  begrotingToGsBy: { month: 8, day: 1 },
  voorlopigeJaarrekeningBy: { month: 4, day: 15 },
  source: 'Wgr art. 34, 34b, 35 (tot 1-7-2022); reactietermijn: zienswijze Zwijndrecht op de begrotingswijziging 2020',
};

/** The 12 weeks proposed in 2020 (Kamerstuk 35513), in force from 1 July 2022. */
export const WGR_VANAF_2022_07: DeadlineRules = {
  id: 'wgr-vanaf-2022-07',
  name: 'Wgr vanaf 1-7-2022 (12 weken)',
  viewTermWeeks: 12,
  sendBeforeAbWeeks: 12,
  reactionTermMonths: 3,
  kadernotaBy: { month: 4, day: 30 },
  begrotingToGsWithinDays: 14,
  begrotingToGsBy: { month: 9, day: 15 },
  voorlopigeJaarrekeningBy: { month: 4, day: 30 },
  source:
    'Wgr art. 34, 34b, 35 zoals gewijzigd per 1-7-2022 (Stb. 2022, 18; Kamerstuk 35513); reactietermijn: zienswijze Zwijndrecht op de begrotingswijziging 2020',
};

export const WGR_CHANGE_DATE: IsoDate = '2022-07-01';

/** The rules in force on `date`. */
export function wgrRulesOn(date: IsoDate): DeadlineRules {
  return date < WGR_CHANGE_DATE ? WGR_TOT_2022_07 : WGR_VANAF_2022_07;
}

/** Rules with another zienswijze term (e.g. 12 weeks when a GR agreed to it before the law did). */
export function withViewTerm(base: DeadlineRules, weeks: number): DeadlineRules {
  if (!Number.isInteger(weeks) || weeks < 1)
    throw new RangeError(`zienswijze term must be a whole number of weeks ≥ 1, got ${weeks}`);
  return {
    ...base,
    id: 'eigen',
    name: `${base.name}, zienswijzetermijn ${weeks} weken`,
    viewTermWeeks: weeks,
    sendBeforeAbWeeks: weeks,
  };
}

export type DerivedKey =
  | 'zienswijze-termijn'
  | 'uiterste-verzending'
  | 'reactie'
  | 'kadernota-naar-raden'
  | 'begroting-naar-gs'
  | 'voorlopige-jaarrekening';

export interface DerivedDeadline {
  key: DerivedKey;
  date: IsoDate;
  /** Dutch label for people. */
  label: string;
  /** How it was derived, in Dutch. */
  rule: string;
  /** The input dates rest on an assumption (see DecisionItem.sentForView.basis). */
  assumed: boolean;
}

/** The AB moment that adopts the item, if any. */
export function adoptionByAb(item: DecisionItem): DecisionMoment | undefined {
  return item.moments.find((m) => m.body.kind === 'AB' && m.role === 'vaststelling');
}

const needsView = (item: DecisionItem) =>
  item.kind === 'begroting' || item.kind === 'begrotingswijziging' || item.sentForView !== undefined;

/** The rules that apply to an item: those in force when it was sent, or else when the AB adopts it. */
export function rulesForItem(item: DecisionItem): DeadlineRules {
  const ref = item.sentForView?.date ?? adoptionByAb(item)?.date ?? item.moments[0]?.date;
  return ref ? wgrRulesOn(ref) : WGR_VANAF_2022_07;
}

/** All deadlines that follow from an item's dates and the rules. */
export function deriveDeadlines(item: DecisionItem, rules: DeadlineRules = rulesForItem(item)): DerivedDeadline[] {
  const out: DerivedDeadline[] = [];
  const ab = adoptionByAb(item);
  const sent = item.sentForView;
  if (sent) {
    const end = addWeeks(sent.date, rules.viewTermWeeks);
    out.push({
      key: 'zienswijze-termijn',
      date: end,
      label: 'Einde zienswijzetermijn raden',
      rule: `${rules.viewTermWeeks} weken na verzending op ${formatDateNl(sent.date)}`,
      assumed: sent.basis === 'aanname',
    });
    out.push({
      key: 'reactie',
      date: addCalendarMonths(end, rules.reactionTermMonths),
      label: 'Reactie DB op zienswijzen uiterlijk',
      rule: `${rules.reactionTermMonths} maanden na einde zienswijzetermijn (${formatDateNl(end)})`,
      assumed: sent.basis === 'aanname',
    });
  }
  if (ab && needsView(item)) {
    out.push({
      key: 'uiterste-verzending',
      date: addWeeks(ab.date, -rules.sendBeforeAbWeeks),
      label: 'Uiterste verzending ontwerp naar raden',
      rule: `${rules.sendBeforeAbWeeks} weken vóór vaststelling door het AB op ${formatDateNl(ab.date)}`,
      assumed: false,
    });
  }
  if (item.kind === 'begroting' && item.budgetYear !== undefined) {
    const y = item.budgetYear - 1;
    const kn = rules.kadernotaBy;
    out.push({
      key: 'kadernota-naar-raden',
      date: addDays(isoOf(y, kn.month, kn.day), -1),
      label: `Uitgangspunten (kadernota) begroting ${item.budgetYear} naar raden`,
      rule: `vóór ${formatDateNl(isoOf(y, kn.month, kn.day))} (jaar vóór het begrotingsjaar)`,
      assumed: false,
    });
    if (ab) {
      const by = rules.begrotingToGsBy;
      out.push({
        key: 'begroting-naar-gs',
        date: minDate(addDays(ab.date, rules.begrotingToGsWithinDays), addDays(isoOf(y, by.month, by.day), -1)),
        label: `Vastgestelde begroting ${item.budgetYear} naar Gedeputeerde Staten`,
        rule: `binnen ${rules.begrotingToGsWithinDays} dagen na vaststelling en vóór ${formatDateNl(isoOf(y, by.month, by.day))}`,
        assumed: false,
      });
    }
  }
  if (item.kind === 'jaarrekening' && item.budgetYear !== undefined) {
    const vj = rules.voorlopigeJaarrekeningBy;
    out.push({
      key: 'voorlopige-jaarrekening',
      date: addDays(isoOf(item.budgetYear + 1, vj.month, vj.day), -1),
      label: `Voorlopige jaarrekening ${item.budgetYear} naar raden`,
      rule: `vóór ${formatDateNl(isoOf(item.budgetYear + 1, vj.month, vj.day))} (jaar na het begrotingsjaar)`,
      assumed: false,
    });
  }
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

function isoOf(y: number, m: number, d: number): IsoDate {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export type TimelinessStatus = 'op tijd' | 'te laat' | 'onbekend';

/** Whether a view came in by the end of the term (the last day counts as on time). */
export function viewTimeliness(received: IsoDate | null, termEnd: IsoDate): TimelinessStatus {
  if (!received) return 'onbekend';
  return received <= termEnd ? 'op tijd' : 'te laat';
}

/** The date a reaction to this view is due: received (or the term end) + the reaction term. */
export function reactionDueFor(z: Zienswijze, termEnd: IsoDate, rules: DeadlineRules): IsoDate {
  return addCalendarMonths(z.received ?? termEnd, rules.reactionTermMonths);
}
