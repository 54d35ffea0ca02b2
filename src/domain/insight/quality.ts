/**
 * Data-quality checks across messages (the rules in quality-rules.ts, the SQL in warehouse/sql/insight.ts, dataQuality):
 *
 * - double: the same client, category, product and ProductPeriode (exact begin and end) declared as debit
 *   more often than credited — also across providers and declarations. Lines rejected in a JW325 do not
 *   count. At stake: the group's net amount minus its largest debit (what would be paid twice).
 * - overIndication: an allocation with a volume (JW301 Omvang) or a budget, running at least four weeks
 *   before the horizon, of which less than `threshold` (default 50%) was delivered. Allocated to date:
 *   volume × frequency over the days from Ingangsdatum to the earliest of end, stop and horizon (per dag:
 *   × days; per week: × days/7; per maand: × days/30.44; totaal: × the elapsed share of the allocation, or
 *   the whole volume when it has no end). Only allocations of providers that declare to the municipality.
 *   Delivered: net declared units in the same unit for production
 *   months up to the horizon (budget: net declared amount). At stake: the undelivered units × the
 *   product's average net price per unit in the data (budget: the unused budget).
 *   Horizon: the last day of the month `lagMonths` (default 3) before the as-of date or, without one,
 *   before the latest declaration date — later care may simply not be declared yet.
 *   Only allocations whose delivery can be judged: those that ended (Einddatum or stop) on or before the
 *   horizon, so at least `lagMonths` months of declarations have come in after their last day, and those
 *   still running that have run at least OVER_INDICATION_RUNNING_DAYS (four months) before it. An allocation
 *   still running up to its expected delivery — a few months in, its latest months partly undeclared — is not
 *   an over-indication (at lag 3 those made up nearly all alarms on the generated region).
 * - unusedAllocation: an allocation running at least four weeks before the horizon (so at least `lagMonths`
 *   months before the latest declaration), not ended before it began, from a provider that does declare to
 *   the municipality, without any declaration line. At stake: its budget, or its allocated volume to date × the product's average price when known.
 * - noAllocation: a declaration line naming a ToewijzingNummer that no JW301 of that municipality and
 *   provider carries (only checked for municipalities with allocations in the warehouse).
 * - afterStop: a debit line (not credited, not rejected) whose ProductPeriode starts after the stop date
 *   (JW307 Einddatum) of its allocation.
 * - creditWithoutDebit: the TR323 findings (a credit whose VorigReferentieNummer names no earlier debit).
 * - tariff: a debit line (not credited, not rejected in a JW325) with a ProductTarief that differs from the
 *   contracted tariff list (`grip tariffs import`). The contracted tariff of a line: the row of its category
 *   and unit valid on its ProductPeriode start (valid_from ≤ start ≤ valid_to, or no valid_to) — a row for
 *   its product code before a row for the whole category, then a row for its provider before one for every
 *   provider ('*'), then the latest valid_from. Lines without a ProductTarief or without a matching row are
 *   not checked. Every line above or below the contracted tariff counts; at stake is the overpayment only:
 *   (declared − contracted tariff) × volume for lines above it, 0 for lines below it. Not checked when no
 *   tariff list is loaded.
 */
import { formatEuro, type Cents } from '../money.js';
import type { IsoDate, MonthKey } from '../month.js';

export type DataQualityCheckId =
  'double' | 'overIndication' | 'unusedAllocation' | 'noAllocation' | 'afterStop' | 'creditWithoutDebit' | 'tariff';
export const DATA_QUALITY_CHECKS: readonly DataQualityCheckId[] = [
  'double',
  'overIndication',
  'unusedAllocation',
  'noAllocation',
  'afterStop',
  'creditWithoutDebit',
  'tariff',
];

export const CHECK_TITLES: Readonly<Record<DataQualityCheckId, { nl: string; en: string; counts: string }>> = {
  double: {
    nl: 'Dubbele declaraties',
    en: 'Double registrations (same client, product and period declared twice)',
    counts: 'groups',
  },
  overIndication: { nl: 'Overindicatie', en: 'Over-indication (allocated far above delivered)', counts: 'allocations' },
  unusedAllocation: { nl: 'Ongebruikte toewijzingen', en: 'Allocations never used', counts: 'allocations' },
  noAllocation: {
    nl: 'Declaraties zonder toewijzing',
    en: 'Declarations without a matching allocation',
    counts: 'lines',
  },
  afterStop: { nl: 'Zorg na stopbericht', en: 'Care declared after a stop message (JW307)', counts: 'lines' },
  creditWithoutDebit: { nl: 'Credit zonder debet', en: 'Credits without a debit (TR323)', counts: 'lines' },
  tariff: { nl: 'Afwijkend tarief', en: 'Tariffs that differ from the contracted tariff list', counts: 'lines' },
};

/**
 * Over-indication: an allocation still running at the horizon is judged only once this many days of it lie
 * before the horizon (four months), so one or two late-declared months cannot halve what it delivered.
 */
export const OVER_INDICATION_RUNNING_DAYS = 122;

/** The note of the tariff check when no contracted tariff list is loaded. */
export const TARIFF_LIST_MISSING = 'no contracted tariff list loaded (grip tariffs import)';
/** Dutch for the notes of checks that did not run, for the web page (the CLI prints them in English). */
export const CHECK_NOTES_NL: Readonly<Record<string, string>> = {
  'no declarations': 'geen declaraties',
  'no allocations with a volume or budget': 'geen toewijzingen met een omvang of budget',
  'no allocations (JW301)': 'geen toewijzingen (JW301)',
  'no stop messages (JW307)': 'geen stopberichten (JW307)',
  'CSV declarations carry no VorigReferentieNummer': 'CSV-declaraties hebben geen VorigReferentieNummer',
  [TARIFF_LIST_MISSING]: 'geen tarievenlijst geladen (grip tariffs import)',
};

export interface DataQualityQuery {
  municipalities?: string[];
  /** Production months to check (declarations; allocations running in them). */
  from?: MonthKey;
  to?: MonthKey;
  asOf?: IsoDate;
  /** Examples per check (default 5). */
  examples?: number;
  /** Over-indication: delivered below this share of allocated (default 0.5). */
  threshold?: number;
  /** Months of declaration lag left out at the end (default 3). */
  lagMonths?: number;
}

export interface DataQualityExample {
  /** Where to look: the source file and line (of the declaration line or the JW301 allocation). */
  fileId: number;
  fileName: string;
  sourceLine: number;
  municipality: string;
  provider: string;
  client: string;
  allocationNumber: string | null;
  product: string | null;
  period: string | null;
  amountCents: Cents;
  detail: string;
  /** Other lines involved (double declarations: all lines of the group), as "file:line". */
  related: string[];
}

export interface DataQualityCheck {
  id: DataQualityCheckId;
  title: string;
  /** False when the data cannot support the check (e.g. no allocations imported). */
  checked: boolean;
  note: string | null;
  count: number;
  amountCents: Cents;
  examples: DataQualityExample[];
  /** Count and amount per provider (largest amount first, at most 10). */
  byProvider: { provider: string; count: number; amountCents: Cents }[];
}

export interface DataQualityReport {
  horizon: IsoDate | null;
  municipalities: string[] | null;
  checks: DataQualityCheck[];
}

export interface DataQualitySummary {
  issues: number;
  amountCents: Cents;
  lines: string[];
}

/** Totals over the checks and one line per check, for people. */
export function summariseDataQuality(r: DataQualityReport): DataQualitySummary {
  const lines: string[] = [];
  let issues = 0;
  let amount = 0;
  for (const c of r.checks) {
    if (!c.checked) {
      lines.push(`${CHECK_TITLES[c.id].nl}: niet gecontroleerd${c.note ? ` (${c.note})` : ''}`);
      continue;
    }
    issues += c.count;
    amount += c.amountCents;
    lines.push(
      `${CHECK_TITLES[c.id].nl}: ${c.count} ${c.count === 1 ? 'geval' : 'gevallen'}, ${formatEuro(c.amountCents)}`,
    );
  }
  return { issues, amountCents: amount, lines };
}

/** The last day of the horizon month: `lagMonths` months before the month of `date`. */
export function horizonDate(date: IsoDate, lagMonths: number): IsoDate {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7)) - lagMonths; // 1-based month of the horizon
  const d = new Date(Date.UTC(y, m, 0)); // day 0 of the next month = last day of month m
  return d.toISOString().slice(0, 10);
}
