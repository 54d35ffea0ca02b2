/**
 * The decision cycle's planning calendar as the CLI (`grip decisions calendar`) and the web page
 * (/besluitvorming and its .ics) both show it: the DG&J planning (seed 003) plus every decision case stored
 * in the warehouse, with the deadlines the Wgr rules derive, per year, and the items without a fixed date.
 * One behaviour for every front end: the stored cases, not a built-in one (`grip decisions load-bw2020`
 * stores the 2020 budget-amendment case; a proposal added later shows up at once). And one case as both show
 * it: the Wgr rules in force when it was sent, its derived deadlines, the status of each council's view, the
 * tally of the vote, the themes and the commitments still open.
 */
import {
  SEED003_CALENDAR,
  SEED003_UNDATED,
  calendarEntries,
  caseAsItem,
  deriveDeadlines,
  mergeCalendars,
  openCommitments,
  tallyVotes,
  themeCounts,
  undatedItems,
  viewStatuses,
  wgrRulesOn,
  type CalendarEntry,
  type DecisionCase,
  type PlanningCalendar,
} from '../domain/decisions/index.js';
import type { IsoDate } from '../domain/month.js';
import type { Warehouse } from '../warehouse/warehouse.js';

/** The calendar's name, in the .ics and on the page. */
export const PLANNING_NAME = 'Planning DG&J';

/** All stored cases (few: one per proposal). */
export async function storedDecisionCases(
  w: Pick<Warehouse, 'decisionCases' | 'decisionCase'>,
): Promise<DecisionCase[]> {
  const out: DecisionCase[] = [];
  for (const s of await w.decisionCases()) {
    const c = await w.decisionCase(s.id);
    if (c) out.push(c);
  }
  return out;
}

/** The planning calendar: seed 003 plus every stored proposal as an item. */
export function planning(cases: readonly DecisionCase[]): PlanningCalendar {
  return mergeCalendars('grip', PLANNING_NAME, [SEED003_CALENDAR], [...cases]);
}

/** Years with dated entries, and the year to show by default: this year if it has entries, else the latest one before it. */
export function calendarYears(
  entries: readonly CalendarEntry[],
  now: IsoDate = new Date().toISOString().slice(0, 10),
): { years: number[]; defaultYear: number } {
  const years = [...new Set(entries.map((e) => Number(e.date.slice(0, 4))))].sort((a, b) => a - b);
  const y = Number(now.slice(0, 4));
  const defaultYear = years.includes(y) ? y : ([...years].reverse().find((x) => x < y) ?? years[years.length - 1] ?? y);
  return { years, defaultYear };
}

export interface DecisionCalendar {
  year: number;
  /** Every year with dated entries. */
  years: number[];
  /** The dated entries of `year`, by date. */
  entries: CalendarEntry[];
  /** Items of `year` without a fixed date, as one line each (Dutch). */
  undated: string[];
}

/**
 * The calendar of one year (default: this year if it has entries, else the latest one before it) from the
 * stored cases. `viewTermWeeks` replaces the Wgr zienswijze term in force.
 */
export function decisionCalendar(
  cases: readonly DecisionCase[],
  opts: { year?: number; viewTermWeeks?: number; now?: IsoDate } = {},
): DecisionCalendar {
  const cal = planning(cases);
  const all = calendarEntries(cal, { viewTermWeeks: opts.viewTermWeeks });
  const { years, defaultYear } = calendarYears(all, opts.now);
  const year = opts.year ?? defaultYear;
  const undated = [
    ...undatedItems(cal)
      .filter((i) => i.title.includes(String(year)))
      .map((i) => `${i.title}: ${(i.notes ?? []).join(' ')}`),
    ...SEED003_UNDATED.filter((u) => u.when.includes(String(year))).map((u) => `${u.title}: ${u.when} (${u.owner})`),
  ];
  return { year, years, entries: all.filter((e) => e.date.startsWith(`${year}-`)), undated };
}

/** One case with everything derived from it (`grip decisions show`, /besluitvorming/voorstel/:id). */
export function decisionCaseView(c: DecisionCase, asOf: IsoDate) {
  const rules = wgrRulesOn(c.proposal.sentForViewOn);
  return {
    case: c,
    rules,
    deadlines: deriveDeadlines(caseAsItem(c), rules),
    views: viewStatuses(c, rules),
    vote: tallyVotes(c.vote, c.members),
    themes: themeCounts(c),
    asOf,
    openCommitments: openCommitments(c.commitments, asOf),
  };
}

export type DecisionCaseView = ReturnType<typeof decisionCaseView>;
