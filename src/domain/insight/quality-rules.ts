/**
 * The rules of the data-quality checks (definitions in quality.ts) that do not need the whole ledger at once:
 * the settings and their defaults, the horizon, how a JW301 volume per frequency becomes units allocated to
 * date, which contracted tariff applies to a line, which checks the data can support, the Dutch sentence of
 * each example and the report built from the issues the warehouse found. Pure: the warehouse
 * (warehouse/sql/insight.ts, dataQuality) fetches the rows — set-based, in the database, because the
 * checks run over every line and allocation of the region — using the constants here, and hands its rows to
 * buildDataQualityReport.
 */
import { UNITS } from '../codes/index.js';
import { formatEuro, type Cents } from '../money.js';
import type { IsoDate } from '../month.js';
import {
  CHECK_TITLES,
  DATA_QUALITY_CHECKS,
  TARIFF_LIST_MISSING,
  horizonDate,
  type DataQualityCheck,
  type DataQualityCheckId,
  type DataQualityExample,
  type DataQualityQuery,
  type DataQualityReport,
} from './quality.js';

export const DEFAULT_EXAMPLES = 5;
export const DEFAULT_LAG_MONTHS = 3;
export const DEFAULT_THRESHOLD = 0.5;
/** Providers listed per check (most at stake first). */
export const TOP_PROVIDERS = 10;
/** Over-indication and unused allocations: only allocations running at least this many days before the horizon. */
export const MIN_RUNNING_DAYS = 28;

/**
 * JW301 Frequentie (WJ757) → the days one allocated volume covers: per dag (1), per week (2), per maand (4,
 * an average month of 365.25 / 12 days). Totaal binnen geldigheidsduur (6) is ALLOCATED_TOTAL_FREQUENCY;
 * other frequencies are not sized.
 */
export const FREQUENCY_DAYS: Readonly<Record<string, number>> = { '1': 1, '2': 7, '4': 30.4375 };
/** Frequentie 6: the volume covers the whole allocation; to date, the elapsed share of its span. */
export const ALLOCATED_TOTAL_FREQUENCY = '6';

export interface DataQualitySettings {
  examples: number;
  lagMonths: number;
  threshold: number;
  /** Last day of care judged (null: no declarations, so nothing to judge against). */
  horizon: IsoDate | null;
}

function wholeNumber(n: number, what: string, min = 0): number {
  if (!Number.isInteger(n) || n < min) throw new RangeError(`${what} must be a whole number ≥ ${min}, got ${n}`);
  return n;
}

/** The settings of a run, with defaults; the horizon counts from `asOf` or else the latest declaration date. */
export function dataQualitySettings(q: DataQualityQuery, latestDeclarationDate: IsoDate | null): DataQualitySettings {
  const examples = wholeNumber(q.examples ?? DEFAULT_EXAMPLES, 'examples');
  const lagMonths = wholeNumber(q.lagMonths ?? DEFAULT_LAG_MONTHS, 'lagMonths');
  const threshold = q.threshold ?? DEFAULT_THRESHOLD;
  if (!(threshold > 0 && threshold <= 1)) throw new RangeError(`threshold must be in (0, 1], got ${threshold}`);
  const latest = q.asOf ?? latestDeclarationDate;
  return { examples, lagMonths, threshold, horizon: latest ? horizonDate(latest, lagMonths) : null };
}

/**
 * Units allocated to date: volume × elapsed days / the days of its frequency; for a total volume, the elapsed
 * share of the allocation's span (the whole volume without an end). Null when the allocation has no volume
 * or a frequency that is not sized. (The SQL of the check computes the same from FREQUENCY_DAYS.)
 */
export function allocatedUnitsToDate(a: {
  volume: number | null;
  frequency: string | null;
  elapsedDays: number;
  spanDays: number | null;
}): number | null {
  if (a.volume === null || a.frequency === null) return null;
  if (a.frequency === ALLOCATED_TOTAL_FREQUENCY)
    return a.spanDays === null ? a.volume : (a.volume * a.elapsedDays) / a.spanDays;
  const days = FREQUENCY_DAYS[a.frequency];
  return days === undefined ? null : (a.volume * a.elapsedDays) / days;
}

/** A contracted tariff row as the precedence sees it. */
export interface TariffCandidate {
  provider: string;
  productCode: string | null;
  validFrom: IsoDate;
}

/**
 * Which of the contracted tariffs that match a line applies (negative: `a` first): a row for its product before
 * one for the whole category, its provider's before every provider's ('*'), then the latest valid_from. The
 * SQL of the check orders its candidates by TARIFF_PRECEDENCE_SQL, the same order.
 */
export function compareTariffPrecedence(a: TariffCandidate, b: TariffCandidate): number {
  const rank = (t: TariffCandidate) => [t.productCode === null ? 1 : 0, t.provider === '*' ? 1 : 0];
  const [ap, aq] = rank(a);
  const [bp, bq] = rank(b);
  if (ap !== bp) return (ap ?? 0) - (bp ?? 0);
  if (aq !== bq) return (aq ?? 0) - (bq ?? 0);
  return a.validFrom < b.validFrom ? 1 : a.validFrom > b.validFrom ? -1 : 0;
}
/** compareTariffPrecedence as an ORDER BY over contracted_tariffs t. */
export const TARIFF_PRECEDENCE_SQL = `CASE WHEN t.product_code IS NULL THEN 1 ELSE 0 END, CASE WHEN t.provider = '*' THEN 1 ELSE 0 END, t.valid_from DESC`;

/** What the warehouse holds, for deciding which checks can run. */
export interface DataPresence {
  allocations: number;
  /** Allocations with a volume or a budget. */
  sizedAllocations: number;
  stops: number;
  /** Declaration lines from XML (JW323), which carry VorigReferentieNummer. */
  xmlLines: number;
  lines: number;
  tariffs: number;
}

/** Per check: whether the data can support it, and if not, why (English; CHECK_NOTES_NL has the Dutch). */
export function checkAvailability(
  p: DataPresence,
  horizon: IsoDate | null,
): Record<DataQualityCheckId, { checked: boolean; note: string | null }> {
  const has = {
    allocations: p.allocations > 0,
    sized: p.sizedAllocations > 0,
    stops: p.stops > 0,
    xml: p.xmlLines > 0,
    lines: p.lines > 0,
    tariffs: p.tariffs > 0,
  };
  const c = (checked: boolean, note: string | null) => ({ checked, note: checked ? null : note });
  return {
    double: c(has.lines, 'no declarations'),
    overIndication: c(
      has.sized && horizon !== null,
      !has.sized ? 'no allocations with a volume or budget' : 'no declarations',
    ),
    unusedAllocation: c(
      has.allocations && horizon !== null,
      !has.allocations ? 'no allocations (JW301)' : 'no declarations',
    ),
    noAllocation: c(has.allocations, 'no allocations (JW301)'),
    afterStop: c(has.stops, 'no stop messages (JW307)'),
    creditWithoutDebit: c(has.xml, 'CSV declarations carry no VorigReferentieNummer'),
    tariff: c(has.tariffs, TARIFF_LIST_MISSING),
  };
}

/** A line a finding refers to: file, line and D/C (double declarations list every line of their group). */
export interface IssueLineRef {
  fileId: number;
  line: number;
  dc: string;
}

/**
 * One issue the warehouse found, with its check's totals. The measures n1…n3 and t1 depend on the check:
 * double: debits, credits, declarations, category; overIndication: allocated to date, delivered, 1 when
 * measured as a budget in cents (else 0), unit; unusedAllocation: allocated to date (or null), –, –, unit;
 * afterStop: stop date in t1; creditWithoutDebit: the finding's text in t1; tariff: declared tariff,
 * contracted tariff, volume, unit.
 */
export interface QualityIssue {
  kind: DataQualityCheckId;
  municipality: string;
  provider: string;
  client: string;
  allocationNumber: string | null;
  product: string | null;
  period: string | null;
  amountCents: Cents;
  fileId: number | null;
  sourceLine: number | null;
  refs: IssueLineRef[];
  n1: number | null;
  n2: number | null;
  n3: number | null;
  t1: string | null;
  /** Issues and cents at stake of the whole check (not only the examples). */
  totalCount: number;
  totalCents: Cents;
}

export interface QualityProviderTotal {
  kind: DataQualityCheckId;
  provider: string;
  count: number;
  amountCents: Cents;
}

/** "file:line:D" → its parts (the warehouse's compact list of a group's lines). */
export function parseLineRefs(s: string): IssueLineRef[] {
  return s
    .split(' ')
    .filter(Boolean)
    .map((x) => {
      const [f = '', l = '', dc = ''] = x.split(':');
      return { fileId: Number(f), line: Number(l), dc };
    });
}

const oneDecimal = (x: number) => (Math.round(x * 10) / 10).toLocaleString('nl-NL');
const percent = (part: number, whole: number) => Math.round((part / whole) * 100);

/** The Dutch sentence that says what is wrong with one example. */
export function exampleDetail(i: Pick<QualityIssue, 'kind' | 'allocationNumber' | 'n1' | 'n2' | 'n3' | 't1'>): string {
  const n1 = i.n1 ?? 0;
  const n2 = i.n2 ?? 0;
  const n3 = i.n3 ?? 0;
  const unit = i.t1 ?? '';
  switch (i.kind) {
    case 'double':
      return `${n1} debet, ${n2} credit in ${n3} declaratie(s), categorie ${unit}`;
    case 'overIndication':
      return n3 === 1
        ? `budget tot nu ${oneDecimal(n1 / 100)} euro, gedeclareerd ${oneDecimal(n2 / 100)} euro (${percent(n2, n1)}%)`
        : `toegewezen tot nu ${oneDecimal(n1)}, geleverd ${oneDecimal(n2)} (eenheid ${unit}, ${percent(n2, n1)}%)`;
    case 'unusedAllocation':
      return i.n1 === null
        ? 'toewijzing zonder omvang, nooit gedeclareerd'
        : `toegewezen tot nu ${oneDecimal(n1)}${unit ? ` (eenheid ${unit})` : ''}, nooit gedeclareerd`;
    case 'noAllocation':
      return `toewijzing ${i.allocationNumber ?? ''} onbekend bij gemeente en aanbieder`;
    case 'afterStop':
      return `zorg gestopt per ${unit}`;
    case 'creditWithoutDebit':
      return unit;
    case 'tariff': {
      const per = `per ${UNITS[unit] ?? `eenheid ${unit}`}`;
      return n1 > n2
        ? `tarief ${formatEuro(n1)} ${per}, contracttarief ${formatEuro(n2)}: ${n3.toLocaleString('nl-NL')} × ${formatEuro(n1 - n2)} te veel`
        : `tarief ${formatEuro(n1)} ${per}, onder het contracttarief ${formatEuro(n2)} (geen overbetaling)`;
    }
  }
}

/** An issue as an example people can look up: the file and line to open (for a group, its last debit), and the others. */
export function toExample(i: QualityIssue, fileNames: ReadonlyMap<number, string>): DataQualityExample {
  const lastDebit = [...i.refs].reverse().find((x) => x.dc === 'D');
  const fileId = lastDebit ? lastDebit.fileId : (i.fileId ?? 0);
  return {
    fileId,
    fileName: fileNames.get(fileId) ?? '',
    sourceLine: lastDebit ? lastDebit.line : (i.sourceLine ?? 0),
    municipality: i.municipality,
    provider: i.provider,
    client: i.client,
    allocationNumber: i.allocationNumber,
    product: i.product,
    period: i.period,
    amountCents: i.amountCents,
    detail: exampleDetail(i),
    related: i.refs.map((x) => `${fileNames.get(x.fileId) ?? x.fileId}:${x.line}`),
  };
}

/** Every file an example names (its own line and the lines of its group), for looking up their names. */
export function exampleFileIds(issues: readonly QualityIssue[]): number[] {
  const ids = new Set<number>();
  for (const i of issues) {
    if (i.fileId !== null) ids.add(i.fileId);
    for (const r of i.refs) ids.add(r.fileId);
  }
  return [...ids];
}

/**
 * The report: per check (in DATA_QUALITY_CHECKS order) whether it ran, its totals, its examples (the issues
 * given, largest first, none when `settings.examples` is 0) and its providers with most at stake.
 */
export function buildDataQualityReport(
  settings: DataQualitySettings,
  municipalities: string[] | null,
  presence: DataPresence,
  issues: readonly QualityIssue[],
  providers: readonly QualityProviderTotal[],
  fileNames: ReadonlyMap<number, string>,
): DataQualityReport {
  const availability = checkAvailability(presence, settings.horizon);
  const checks: DataQualityCheck[] = DATA_QUALITY_CHECKS.map((id) => {
    const rows = issues.filter((i) => i.kind === id);
    const first = rows[0];
    const { checked, note } = availability[id];
    return {
      id,
      title: CHECK_TITLES[id].en,
      checked,
      note,
      count: first?.totalCount ?? 0,
      amountCents: first?.totalCents ?? 0,
      examples: settings.examples === 0 ? [] : rows.map((i) => toExample(i, fileNames)),
      byProvider: providers
        .filter((p) => p.kind === id)
        .map((p) => ({ provider: p.provider, count: p.count, amountCents: p.amountCents })),
    };
  });
  return { horizon: settings.horizon, municipalities, checks };
}
