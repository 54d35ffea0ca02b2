/**
 * KPIs (indicatoren) with a target (streefwaarde) and a critical value (signaalwaarde), a time path and a
 * traffic light. The audit office (seed 004) found goals without either, so nobody could tell from the
 * dashboard whether things went well; here every KPI can carry both and gets a light.
 *
 * Traffic light, for "lower is better" (waiting time):
 *   value ≤ target → groen;  value ≥ critical → rood;  in between → oranje.
 * For "higher is better" the comparisons flip: value ≥ target → groen; value ≤ critical → rood.
 * Both boundaries are inclusive; when target = critical there is no oranje band and a value on it is groen.
 * With only a target: met → groen, else oranje. With only a critical value: crossed → rood, else groen.
 * With neither: no light (null) — as for the SJT figures in seed 004.
 *
 * Pure: no I/O, no clock.
 */
import { at } from '../indexing.js';
import { GripError } from '../errors.js';
import { NL_MONTHS } from '../month.js';

export type KpiDirection = 'higher' | 'lower';
export type KpiScope = { kind: 'municipality'; municipality: string } | { kind: 'region' };
export type TrafficLight = 'groen' | 'oranje' | 'rood';

/** Where a KPI value belongs: `regio` for the region, else a municipality code. */
export type KpiScopeKey = string;
export const REGION_SCOPE = 'regio';
export const kpiScopeKey = (d: Pick<KpiDefinition, 'scope'>): KpiScopeKey =>
  d.scope.kind === 'region' ? REGION_SCOPE : d.scope.municipality;

export interface KpiDefinition {
  id: string;
  name: string;
  /** How the value is computed or where it comes from, in words. */
  formula?: string;
  /** `dagen`, `cliënten`, `%`, `€`, … */
  unit: string;
  /** Which way is better. */
  direction: KpiDirection;
  /** Streefwaarde. */
  target?: number | null;
  /** Signaalwaarde. */
  critical?: number | null;
  scope: KpiScope;
  /** Who delivers the figures (e.g. SJT, three times a year). */
  source?: string;
}

/** One point of the time path; `period` is a date (YYYY-MM-DD), month (YYYY-MM) or year (YYYY). */
export interface KpiValue {
  period: string;
  value: number | null;
}

export interface KpiPoint extends KpiValue {
  light: TrafficLight | null;
}

export interface KpiPath {
  definition: KpiDefinition;
  points: KpiPoint[];
  latest: KpiPoint | null;
  /** Latest vs the one before (both known), judged by the direction. */
  trend: 'beter' | 'slechter' | 'gelijk' | null;
}

const known = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

/** Throws when a target and critical value point the wrong way for the direction. */
export function validateKpiDefinition(def: Pick<KpiDefinition, 'id' | 'direction' | 'target' | 'critical'>): void {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- a stored row or an uploaded file may hold any direction
  if (def.direction !== 'higher' && def.direction !== 'lower')
    throw new GripError('KPI_INVALID', `KPI ${def.id}: direction must be "higher" or "lower"`);
  for (const [k, v] of [
    ['target', def.target],
    ['critical', def.critical],
  ] as const)
    if (v !== undefined && v !== null && !Number.isFinite(v))
      throw new GripError('KPI_INVALID', `KPI ${def.id}: ${k} must be a number`);
  if (known(def.target) && known(def.critical)) {
    if (def.direction === 'lower' && def.target > def.critical)
      throw new GripError(
        'KPI_INVALID',
        `KPI ${def.id}: lower is better, so the target (${def.target}) must not exceed the critical value (${def.critical})`,
      );
    if (def.direction === 'higher' && def.target < def.critical)
      throw new GripError(
        'KPI_INVALID',
        `KPI ${def.id}: higher is better, so the target (${def.target}) must not be below the critical value (${def.critical})`,
      );
  }
}

/** The light for one value; null when the value is unknown or the KPI has neither target nor critical value. */
export function trafficLight(
  def: Pick<KpiDefinition, 'direction' | 'target' | 'critical'>,
  value: number | null,
): TrafficLight | null {
  if (!known(value)) return null;
  const { target, critical } = def;
  if (!known(target) && !known(critical)) return null;
  const meets = (t: number) => (def.direction === 'lower' ? value <= t : value >= t);
  const crosses = (c: number) => (def.direction === 'lower' ? value >= c : value <= c);
  if (known(target) && meets(target)) return 'groen';
  if (known(critical) && crosses(critical)) return 'rood';
  return known(target) ? 'oranje' : 'groen';
}

/** The time path with a light per point, sorted by period. */
export function kpiPath(def: KpiDefinition, values: readonly KpiValue[]): KpiPath {
  validateKpiDefinition(def);
  const points = [...values]
    .sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0))
    .map((v) => ({ ...v, light: trafficLight(def, v.value) }));
  const knownPoints = points.filter((p) => known(p.value));
  const latest = points[points.length - 1] ?? null;
  let trend: KpiPath['trend'] = null;
  if (knownPoints.length >= 2) {
    const a = at(knownPoints, knownPoints.length - 2).value!;
    const b = at(knownPoints, knownPoints.length - 1).value!;
    trend = a === b ? 'gelijk' : b < a === (def.direction === 'lower') ? 'beter' : 'slechter';
  }
  return { definition: def, points, latest, trend };
}

const nlNumber = new Intl.NumberFormat('nl-NL', { maximumFractionDigits: 1 });
/** Shares always with one decimal, so a time path reads 40,3% · 40,0% · 39,4% (not 40%). */
const nlShare = new Intl.NumberFormat('nl-NL', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
/** `63 dagen`, `12,5%`, `40,0%`, `28 cliënten`. */
export function formatKpiValue(value: number | null, unit: string): string {
  if (!known(value)) return '–';
  if (unit === '%') return `${nlShare.format(value)}%`;
  // Amounts in euros as the rest of the UI shows them: "€ 10.188,80".
  if (unit === '€') return `€ ${value.toLocaleString('nl-NL', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  return `${nlNumber.format(value)} ${unit}`.trimEnd();
}

// ---------------------------------------------------------------------------------------------------------
// Seed 004 (Rekenkamer report on prevention in Alblasserdam), tables 1 and 2, as the first KPI data.

export interface Seed004Table1Row {
  /** Measurement date. */
  date: string;
  waitingDaysAlblasserdam: number;
  waitingDaysRegion: number;
  /** "Jeugdigen op de wachtlijst" (Alblasserdam). */
  waitingList: number;
}

export interface Seed004Table2Row {
  trajectory: 'Toeleiding' | 'Toegang' | 'Jeugd- en gezinshulp' | 'Gezinsregisseur';
  /** Average throughput time in days, measured on 30 April of each year. */
  days: Readonly<Record<2019 | 2020 | 2021, { alblasserdam: number; regio: number }>>;
}

/**
 * Tables 1 and 2 of the Rekenkamer Alblasserdam's 2021 report on prevention in youth policy (seed 004; sent to
 * the council on 25 November 2021), copied by hand from the report. The seed adds: "De bovenstaande data wordt aangeleverd door SJT. Er zijn
 * echter geen afspraken gemaakt over doelen of kritische waarden van deze cijfers." — so no targets here.
 */
export const SEED_004_KPI_TABLES = {
  source: 'Rekenkamer-rapport Alblasserdam 2021 (preventie in het jeugdbeleid), tabel 1 en tabel 2',
  table1: {
    title: 'Tabel 1. Wachttijd en wachtlijsten STJ Alblasserdam',
    rows: [
      { date: '2019-04-30', waitingDaysAlblasserdam: 63, waitingDaysRegion: 48, waitingList: 28 },
      { date: '2019-08-31', waitingDaysAlblasserdam: 113, waitingDaysRegion: 54, waitingList: 4 },
      { date: '2019-12-31', waitingDaysAlblasserdam: 28, waitingDaysRegion: 54, waitingList: 5 },
      { date: '2020-04-30', waitingDaysAlblasserdam: 54, waitingDaysRegion: 73, waitingList: 25 },
      { date: '2020-08-31', waitingDaysAlblasserdam: 61, waitingDaysRegion: 58, waitingList: 19 },
      { date: '2020-12-31', waitingDaysAlblasserdam: 44, waitingDaysRegion: 42, waitingList: 24 },
      { date: '2021-04-30', waitingDaysAlblasserdam: 50, waitingDaysRegion: 39, waitingList: 18 },
    ] as readonly Seed004Table1Row[],
  },
  table2: {
    title: 'Tabel 2. Doorlooptijd van jeugdhulp door SJT',
    unit: 'dagen',
    measuredOn: '04-30',
    years: [2019, 2020, 2021] as const,
    rows: [
      {
        trajectory: 'Toeleiding',
        days: {
          2019: { alblasserdam: 41, regio: 72 },
          2020: { alblasserdam: 225, regio: 95 },
          2021: { alblasserdam: 76, regio: 76 },
        },
      },
      {
        trajectory: 'Toegang',
        days: {
          2019: { alblasserdam: 41, regio: 35 },
          2020: { alblasserdam: 5, regio: 32 },
          2021: { alblasserdam: 64, regio: 64 },
        },
      },
      {
        trajectory: 'Jeugd- en gezinshulp',
        days: {
          2019: { alblasserdam: 605, regio: 354 },
          2020: { alblasserdam: 490, regio: 394 },
          2021: { alblasserdam: 341, regio: 309 },
        },
      },
      {
        trajectory: 'Gezinsregisseur',
        days: {
          2019: { alblasserdam: 444, regio: 420 },
          2020: { alblasserdam: 455, regio: 428 },
          2021: { alblasserdam: 536, regio: 669 },
        },
      },
    ] as readonly Seed004Table2Row[],
  },
} as const;

const ALBLASSERDAM = '0482';
/** `30 april 2019`. */
export function formatDayMonthNl(date: string, withYear = true): string {
  const d = Number(date.slice(8, 10));
  const m = NL_MONTHS[Number(date.slice(5, 7)) - 1];
  return withYear ? `${d} ${m} ${date.slice(0, 4)}` : `${d} ${m}`;
}

export interface KpiSeries {
  definition: KpiDefinition;
  values: KpiValue[];
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z]+/g, '-')
    .replace(/^-|-$/g, '');

/** Seed 004's tables as KPI series (no targets or critical values: the seed says none were agreed). */
export function seed004KpiSeries(): KpiSeries[] {
  const t1 = SEED_004_KPI_TABLES.table1.rows;
  const mun: KpiScope = { kind: 'municipality', municipality: ALBLASSERDAM };
  const region: KpiScope = { kind: 'region' };
  const source =
    'Stichting Jeugdteams (driemaal per jaar), via Rekenkamer-rapport 2021 (preventie in het jeugdbeleid Alblasserdam), tabellen 1 en 2';
  const series: KpiSeries[] = [
    {
      definition: { id: 'sjt-wachttijd', name: 'Wachttijd SJT', unit: 'dagen', direction: 'lower', scope: mun, source },
      values: t1.map((r) => ({ period: r.date, value: r.waitingDaysAlblasserdam })),
    },
    {
      definition: {
        id: 'sjt-wachttijd',
        name: 'Wachttijd SJT',
        unit: 'dagen',
        direction: 'lower',
        scope: region,
        source,
      },
      values: t1.map((r) => ({ period: r.date, value: r.waitingDaysRegion })),
    },
    {
      definition: {
        id: 'sjt-wachtlijst',
        name: 'Jeugdigen op de wachtlijst SJT',
        unit: 'cliënten',
        direction: 'lower',
        scope: mun,
        source,
      },
      values: t1.map((r) => ({ period: r.date, value: r.waitingList })),
    },
  ];
  const t2 = SEED_004_KPI_TABLES.table2;
  for (const row of t2.rows)
    for (const [scope, side] of [
      [mun, 'alblasserdam'],
      [region, 'regio'],
    ] as const)
      series.push({
        definition: {
          id: `sjt-doorlooptijd-${slug(row.trajectory)}`,
          name: `Doorlooptijd SJT: ${row.trajectory}`,
          unit: 'dagen',
          direction: 'lower',
          scope,
          source,
        },
        values: t2.years.map((y) => ({ period: `${y}-${t2.measuredOn}`, value: row.days[y][side] })),
      });
  return series;
}

/** Table 1 as the report shows it: headers and one row of strings per measurement. */
export function seed004Table1Display(): { headers: string[]; rows: string[][] } {
  return {
    headers: ['Datum', 'Wachttijd (Alblasserdam)', 'Wachttijd (Regionaal)', 'Jeugdigen op de wachtlijst'],
    rows: SEED_004_KPI_TABLES.table1.rows.map((r) => [
      formatDayMonthNl(r.date),
      formatKpiValue(r.waitingDaysAlblasserdam, 'dagen'),
      formatKpiValue(r.waitingDaysRegion, 'dagen'),
      formatKpiValue(r.waitingList, 'cliënten'),
    ]),
  };
}

/** Table 2 as the report shows it: trajectory, then Alblasserdam and Regio for 2019, 2020, 2021 (days). */
export function seed004Table2Display(): { headers: string[]; rows: string[][] } {
  const t2 = SEED_004_KPI_TABLES.table2;
  return {
    headers: ['Gemiddelde doorlooptijd in dagen', ...t2.years.flatMap((y) => [`${y} Alblasserdam`, `${y} Regio`])],
    rows: t2.rows.map((r) => [
      r.trajectory,
      ...t2.years.flatMap((y) => [String(r.days[y].alblasserdam), String(r.days[y].regio)]),
    ]),
  };
}
