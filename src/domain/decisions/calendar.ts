/**
 * The planning calendar as a flat, dated list: every moment of every item plus the deadlines derived
 * from the rules, and the same list as iCalendar event attributes (for the `ics` package, see ics.ts).
 */
import { cbsMunicipality } from '../codes/index.js';
import type { IsoDate } from '../month.js';
import { deriveDeadlines, rulesForItem, withViewTerm, type DeadlineRules, type DerivedKey } from './deadlines.js';
import type { BodyRef, DecisionCase, DecisionItem, DecisionItemKind, PlanningCalendar } from './types.js';

export interface CalendarEntry {
  date: IsoDate;
  itemId: string;
  itemTitle: string;
  kind: DecisionItemKind;
  /** Who meets or acts, in Dutch ("AB", "DB", "Raad Alblasserdam", "Raden", …). */
  body: string;
  label: string;
  /** `voor`: the date is a "vóór" limit, not the day itself. */
  bound: 'op' | 'voor';
  derived: boolean;
  derivedKey?: DerivedKey;
  /** For derived entries: how, in Dutch. */
  rule?: string;
  /** Rests on an assumed input date. */
  assumed: boolean;
  note?: string;
}

export function bodyLabel(b: BodyRef): string {
  switch (b.kind) {
    case 'AB':
      return 'AB DG&J';
    case 'DB':
      return 'DB DG&J';
    case 'raad':
      return `Raad ${cbsMunicipality(b.municipality)?.name ?? b.municipality}`;
    case 'overig':
      return b.name;
  }
}

const DERIVED_BODY: Record<DerivedKey, string> = {
  'zienswijze-termijn': 'Raden',
  'uiterste-verzending': 'DB DG&J',
  reactie: 'DB DG&J',
  'kadernota-naar-raden': 'DB DG&J',
  'begroting-naar-gs': 'DB DG&J',
  'voorlopige-jaarrekening': 'DB DG&J',
};

const byDate = (a: CalendarEntry, b: CalendarEntry) =>
  a.date < b.date
    ? -1
    : a.date > b.date
      ? 1
      : Number(a.derived) - Number(b.derived) || a.itemId.localeCompare(b.itemId) || a.label.localeCompare(b.label);

/** The entries of one item: its moments and derived deadlines. */
export function itemEntries(item: DecisionItem, rules: DeadlineRules = rulesForItem(item)): CalendarEntry[] {
  const base = { itemId: item.id, itemTitle: item.title, kind: item.kind };
  const out: CalendarEntry[] = item.moments.map((m) => ({
    ...base,
    date: m.date,
    body: bodyLabel(m.body),
    label: m.label,
    bound: m.bound ?? 'op',
    derived: false,
    assumed: false,
    ...(m.note ? { note: m.note } : {}),
  }));
  if (item.sentForView)
    out.push({
      ...base,
      date: item.sentForView.date,
      body: 'DB DG&J',
      label: 'Verzonden aan de raden voor zienswijze',
      bound: 'op',
      derived: false,
      assumed: item.sentForView.basis === 'aanname',
    });
  for (const d of deriveDeadlines(item, rules))
    out.push({
      ...base,
      date: d.date,
      body: DERIVED_BODY[d.key],
      label: d.label,
      bound: 'op',
      derived: true,
      derivedKey: d.key,
      rule: d.rule,
      assumed: d.assumed,
    });
  return out.sort(byDate);
}

/**
 * All entries of a calendar, optionally for one year, sorted by date. Each item uses the Wgr rules in
 * force for it (rulesForItem) unless `rules` is given; `viewTermWeeks` overrides the zienswijze term.
 */
export function calendarEntries(
  cal: PlanningCalendar,
  opts: { year?: number; rules?: DeadlineRules; viewTermWeeks?: number } = {},
): CalendarEntry[] {
  const rulesOf = (i: DecisionItem) => {
    const r = opts.rules ?? rulesForItem(i);
    return opts.viewTermWeeks === undefined ? r : withViewTerm(r, opts.viewTermWeeks);
  };
  const all = cal.items.flatMap((i) => itemEntries(i, rulesOf(i)));
  return all.filter((e) => opts.year === undefined || e.date.startsWith(`${opts.year}-`)).sort(byDate);
}

/** Items without any dated moment (shown as "datum onbekend"). */
export function undatedItems(cal: PlanningCalendar): DecisionItem[] {
  return cal.items.filter((i) => i.moments.length === 0 && !i.sentForView);
}

/** A decision case as a calendar item: sent for views, decided by the AB. */
export function caseAsItem(c: DecisionCase): DecisionItem {
  const p = c.proposal;
  return {
    id: p.id,
    kind: p.kind,
    title: p.title,
    budgetYear: p.budgetYear,
    moments: p.decidedByAbOn
      ? [{ body: { kind: 'AB' }, date: p.decidedByAbOn, label: 'Besluit in het AB', role: 'vaststelling' }]
      : [],
    sentForView: { date: p.sentForViewOn, basis: 'bron' },
    source: p.source,
  };
}

/** Several calendars (and cases) as one. */
export function mergeCalendars(
  id: string,
  title: string,
  parts: PlanningCalendar[],
  cases: DecisionCase[] = [],
): PlanningCalendar {
  return {
    id,
    title,
    source: parts.map((p) => p.source).join(', '),
    items: [...parts.flatMap((p) => p.items), ...cases.map(caseAsItem)],
  };
}

/** The attributes the `ics` package needs for one all-day event (a subset of its EventAttributes). */
export interface IcsEventInput {
  uid: string;
  title: string;
  description: string;
  start: [number, number, number];
  end: [number, number, number];
  categories: string[];
  productId: string;
  calName: string;
  /** DTSTAMP, given by the caller so the output does not depend on the clock. */
  timestamp: number;
}

const dateArray = (d: IsoDate): [number, number, number] => [
  Number(d.slice(0, 4)),
  Number(d.slice(5, 7)),
  Number(d.slice(8, 10)),
];

function nextDay(d: IsoDate): IsoDate {
  return new Date(Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)) + 1))
    .toISOString()
    .slice(0, 10);
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/**
 * Entries as all-day iCalendar events. UIDs are stable (item, label, date), so importing an updated
 * export replaces events instead of duplicating them. `stamp` is the DTSTAMP (UTC date-time, ISO 8601).
 */
export function icsEvents(
  entries: CalendarEntry[],
  opts: { calName: string; stamp: string; domain?: string },
): IcsEventInput[] {
  const timestamp = Date.parse(opts.stamp);
  if (Number.isNaN(timestamp)) throw new RangeError(`not a date-time: "${opts.stamp}"`);
  const domain = opts.domain ?? 'grip.jeugdhulp';
  return entries.map((e) => {
    const lines = [
      e.itemTitle,
      `${e.bound === 'voor' ? 'Vóór deze datum' : 'Datum'} — ${e.body}`,
      ...(e.derived ? [`Afgeleide termijn: ${e.rule ?? ''}`] : []),
      ...(e.assumed ? ['Let op: rust op een aangenomen datum.'] : []),
      ...(e.note ? [e.note] : []),
    ];
    return {
      uid: `${slug(e.itemId)}-${slug(e.derivedKey ?? e.label)}-${e.date.replace(/-/g, '')}@${domain}`,
      title: `${e.bound === 'voor' ? 'Vóór: ' : ''}${e.label} (${e.body})`,
      description: lines.join('\n'),
      start: dateArray(e.date),
      end: dateArray(nextDay(e.date)),
      categories: [e.derived ? 'Termijn' : 'Vergadering', e.kind],
      productId: '-//Grip//Planning en control//NL',
      calName: opts.calName,
      timestamp,
    };
  });
}
