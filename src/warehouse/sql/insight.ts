/**
 * Queries behind the cost-driver insight (domain/insight/): decomposition inputs, costly families and
 * bijzondere casussen, client journeys and data-quality checks. Portable SQL for DuckDB and PostgreSQL;
 * `$n` parameters (whole numbers that steer the SQL itself are validated and written inline). Every query
 * aggregates or is limited: no query returns one row per line or per client of the whole region, except
 * clientJourney, which returns the events of one client.
 */
import type { DriverDim, DriverInputQuery, DriverInputs } from '../../domain/insight/decomposition.js';
import {
  DEFAULT_SPECIAL_CASE_CHILDREN,
  OUT_OF_HOME_CATEGORIES,
  type ClientCostRow,
  type FamilyCostRow,
  type FamilyCosts,
  type FamilyQuery,
  type MonthAmount,
  type MunicipalityCostTotal,
} from '../../domain/insight/families.js';
import {
  DECLARED_EPISODE_LAG_DAYS,
  DEFAULT_CONTINUATION_DAYS,
  RE_ENTRY_WINDOW_DAYS,
  type FlowRow,
  type JourneyEvent,
  type JourneyEventKind,
  type JourneyQuery,
  type ReEntryRow,
  type WaitingRow,
} from '../../domain/insight/journeys.js';
import {
  OVER_INDICATION_RUNNING_DAYS,
  type DataQualityCheckId,
  type DataQualityQuery,
  type DataQualityReport,
} from '../../domain/insight/quality.js';
import {
  ALLOCATED_TOTAL_FREQUENCY,
  FREQUENCY_DAYS,
  MIN_RUNNING_DAYS,
  TARIFF_PRECEDENCE_SQL,
  TOP_PROVIDERS,
  buildDataQualityReport,
  dataQualitySettings,
  exampleFileIds,
  parseLineRefs,
  type DataPresence,
  type QualityIssue,
  type QualityProviderTotal,
} from '../../domain/insight/quality-rules.js';
import { lastDayOfMonth, type IsoDate, type MonthKey } from '../../domain/month.js';
import type { RunoffCell } from '../types.js';
import { bind, inList, num, str, strOrNull, type Param, type SqlDb, type SqlRunner } from './run.js';
import type { InsightRepository } from '../warehouse.js';
import { coronaInputs } from './corona.js';
import { LEDGER_FROM, REFERRER_EXPR, whereLines } from './queries.js';

function wholeNumber(n: number, what: string, min = 0): number {
  if (!Number.isInteger(n) || n < min) throw new RangeError(`${what} must be a whole number ≥ ${min}, got ${n}`);
  return n;
}

const OOH = `(${OUT_OF_HOME_CATEGORIES.map((c) => `'${c}'`).join(', ')})`;
const NOT_REJECTED = `NOT EXISTS (SELECT 1 FROM rejected_lines x WHERE x.file_id = l.file_id AND x.seq = l.seq)`;
const UNITS_EXPR = `CASE WHEN l.debit_credit = 'C' THEN -l.volume ELSE l.volume END`;

/** The latest version of each allocation (a ToewijzingNummer may be sent again with new dates). */
const LATEST_ALLOCATIONS = `SELECT * FROM (
    SELECT a.*, ROW_NUMBER() OVER (PARTITION BY a.municipality, a.provider, a.allocation_number
                                   ORDER BY a.allocation_date DESC, a.file_id DESC, a.seq DESC) AS version_rank
      FROM allocations a) av
   WHERE av.version_rank = 1`;

/** The stop date per allocation: the latest JW307 Einddatum not withdrawn (StatusAanlevering 3). */
const STOPS = `SELECT municipality, provider, allocation_number, MAX(event_date) AS stop_date
    FROM care_events WHERE kind = 'stop' AND COALESCE(status, '1') <> '3'
   GROUP BY municipality, provider, allocation_number`;

async function latestDeclarationDate(run: SqlRunner): Promise<IsoDate | null> {
  return strOrNull((await run(`SELECT MAX(declaration_date) AS d FROM declaration_lines`))[0]?.d);
}

function minusDays(date: IsoDate, days: number): IsoDate {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------------------
// Decomposition

const SLICE_EXPR: Record<DriverDim, string> = {
  total: `''`,
  municipality: 'l.municipality',
  category: 'l.category',
  product: `COALESCE(l.product_code, '')`,
  provider: 'l.provider',
  referrer: REFERRER_EXPR,
};

/**
 * Net cost, net units and clients per slice × product × unit in both periods: the input of
 * domain/insight/decomposition.ts. Clients = distinct clients with a positive net cost for the product; per
 * slice and in total also those with any line (as the cost tables count them).
 */
export async function decompositionInputs(run: SqlRunner, q: DriverInputQuery): Promise<DriverInputs> {
  const params: (string | number)[] = [];
  const filter = {
    municipalities: q.municipalities,
    category: q.category,
    provider: q.provider,
    product: q.product,
    referrer: q.referrer,
    asOf: q.asOf,
    basis: q.basis,
  };
  const w0 = whereLines({ ...filter, from: q.before.from, to: q.before.to }, params);
  const w1 = whereLines({ ...filter, from: q.after.from, to: q.after.to }, params);
  const sel = (period: string) =>
    `SELECT '${period}' AS period, ${SLICE_EXPR[q.by]} AS slice, COALESCE(l.product_code, '') AS product, l.unit, l.client,
            l.amount_cents, ${UNITS_EXPR} AS units FROM ${LEDGER_FROM}`;
  const x = `WITH x AS (${sel('before')} ${w0} UNION ALL ${sel('after')} ${w1})`;
  const rows = await run(
    `${x}, pc AS (SELECT period, slice, product, unit, client, SUM(amount_cents) AS amount_cents, SUM(units) AS units
                    FROM x GROUP BY period, slice, product, unit, client)
     SELECT period, slice, product, unit, SUM(amount_cents) AS amount_cents, SUM(units) AS units,
            SUM(CASE WHEN amount_cents > 0 THEN 1 ELSE 0 END) AS clients
       FROM pc GROUP BY period, slice, product, unit ORDER BY slice, product, unit, period`,
    params,
  );
  const slices = await run(
    `${x}, pc AS (SELECT period, slice, client, SUM(amount_cents) AS amount_cents FROM x GROUP BY period, slice, client)
     SELECT period, slice, SUM(CASE WHEN amount_cents > 0 THEN 1 ELSE 0 END) AS clients, COUNT(*) AS all_clients
       FROM pc GROUP BY period, slice ORDER BY slice, period`,
    params,
  );
  const totals = await run(
    `${x}, pc AS (SELECT period, client, SUM(amount_cents) AS amount_cents FROM x GROUP BY period, client)
     SELECT period, SUM(CASE WHEN amount_cents > 0 THEN 1 ELSE 0 END) AS clients, COUNT(*) AS all_clients
       FROM pc GROUP BY period`,
    params,
  );
  const total = { before: 0, after: 0 };
  const totalAll = { before: 0, after: 0 };
  for (const r of totals) {
    total[str(r.period) as 'before' | 'after'] = num(r.clients);
    totalAll[str(r.period) as 'before' | 'after'] = num(r.all_clients);
  }
  return {
    rows: rows.map((r) => ({
      period: str(r.period) as 'before' | 'after',
      slice: str(r.slice),
      product: str(r.product),
      unit: str(r.unit),
      amountCents: num(r.amount_cents),
      units: num(r.units),
      clients: num(r.clients),
    })),
    sliceClients: slices.map((r) => ({
      slice: str(r.slice),
      period: str(r.period) as 'before' | 'after',
      clients: num(r.clients),
      allClients: num(r.all_clients),
    })),
    totalClients: total,
    totalAllClients: totalAll,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Families

/** CTEs fam (family key per client), cl (cost per municipality × client) and fams (cost per family). */
function familyCtes(q: FamilyQuery, params: Param[]): string {
  const from = bind(params, q.from);
  const to = bind(params, q.to);
  const fromDate = bind(params, `${q.from}-01`);
  const toDate = bind(params, lastDayOfMonth(q.to));
  const muniL = inList('l.municipality', q.municipalities, params);
  const muniA = inList('a.municipality', q.municipalities, params);
  return `WITH fam AS (
      SELECT client, MAX(family) AS family FROM (
        SELECT client, family FROM allocations WHERE family IS NOT NULL AND family <> ''
        UNION ALL
        SELECT client, family FROM declaration_lines WHERE family IS NOT NULL AND family <> '') f
       GROUP BY client
    ), stops AS (${STOPS}),
    alloc AS (${LATEST_ALLOCATIONS}),
    cl AS (
      SELECT municipality, client, SUM(amount_cents) AS amount_cents, SUM(ooh_cents) AS ooh_cents, MAX(ooh_alloc) AS ooh_alloc FROM (
        SELECT l.municipality, l.client, l.amount_cents,
               CASE WHEN l.category IN ${OOH} THEN l.amount_cents ELSE 0 END AS ooh_cents, 0 AS ooh_alloc
          FROM declaration_lines l WHERE l.month >= ${from} AND l.month <= ${to}${muniL}
        UNION ALL
        SELECT a.municipality, a.client, 0, 0, 1
          FROM alloc a LEFT JOIN stops s ON s.municipality = a.municipality AND s.provider = a.provider AND s.allocation_number = a.allocation_number
         WHERE a.category IN ${OOH} AND a.start_date <= ${toDate} AND COALESCE(a.end_date, '9999-12-31') >= ${fromDate}
           AND COALESCE(s.stop_date, '9999-12-31') >= ${fromDate} AND COALESCE(s.stop_date, '9999-12-31') >= a.start_date${muniA}
      ) u GROUP BY municipality, client
    ), fams AS (
      SELECT c.municipality, COALESCE(f.family, c.client) AS family, CASE WHEN f.family IS NULL THEN 0 ELSE 1 END AS keyed,
             COUNT(*) AS clients,
             SUM(CASE WHEN c.ooh_cents > 0 OR c.ooh_alloc = 1 THEN 1 ELSE 0 END) AS ooh_clients,
             SUM(c.amount_cents) AS amount_cents, SUM(c.ooh_cents) AS ooh_cents
        FROM cl c LEFT JOIN fam f ON f.client = c.client
       GROUP BY c.municipality, COALESCE(f.family, c.client), CASE WHEN f.family IS NULL THEN 0 ELSE 1 END
    )`;
}

/**
 * The costliest families (or single clients) per municipality in the period, every bijzondere casus
 * (a keyed family with ≥ minChildren children placed out of home), and each municipality's total.
 */
export async function familyCosts(run: SqlRunner, q: FamilyQuery): Promise<FamilyCosts> {
  const top = wholeNumber(q.top ?? 10, 'top');
  const minChildren = wholeNumber(q.minChildren ?? DEFAULT_SPECIAL_CASE_CHILDREN, 'minChildren', 1);
  const params: Param[] = [];
  const ctes = familyCtes(q, params);
  const rows = await run(
    `${ctes}, ranked AS (
       SELECT fams.*, ROW_NUMBER() OVER (PARTITION BY municipality ORDER BY amount_cents DESC, keyed DESC, family) AS rnk FROM fams)
     SELECT * FROM ranked WHERE rnk <= ${top} OR (keyed = 1 AND ooh_clients >= ${minChildren})
      ORDER BY municipality, rnk`,
    params,
  );
  const tp: Param[] = [q.from, q.to];
  const totals = await run(
    `SELECT l.municipality, SUM(l.amount_cents) AS amount_cents, COUNT(DISTINCT l.client) AS clients
       FROM declaration_lines l WHERE l.month >= $1 AND l.month <= $2${inList('l.municipality', q.municipalities, tp)}
      GROUP BY l.municipality ORDER BY l.municipality`,
    tp,
  );
  const families: FamilyCostRow[] = rows.map((r) => ({
    municipality: str(r.municipality),
    family: str(r.family),
    keyed: num(r.keyed) === 1,
    clients: num(r.clients),
    outOfHomeClients: num(r.ooh_clients),
    amountCents: num(r.amount_cents),
    outOfHomeCents: num(r.ooh_cents),
    rank: num(r.rnk),
  }));
  const t: MunicipalityCostTotal[] = totals.map((r) => ({
    municipality: str(r.municipality),
    amountCents: num(r.amount_cents),
    clients: num(r.clients),
  }));
  return { from: q.from, to: q.to, minChildren, families, totals: t };
}

/** The costliest clients per municipality in the period (pseudonyms), with family key and categories. */
export async function topClients(run: SqlRunner, q: Omit<FamilyQuery, 'minChildren'>): Promise<ClientCostRow[]> {
  const top = wholeNumber(q.top ?? 10, 'top');
  const params: Param[] = [q.from, q.to];
  const muni = inList('l.municipality', q.municipalities, params);
  const rows = await run(
    `WITH fam AS (
        SELECT client, MAX(family) AS family FROM (
          SELECT client, family FROM allocations WHERE family IS NOT NULL AND family <> ''
          UNION ALL
          SELECT client, family FROM declaration_lines WHERE family IS NOT NULL AND family <> '') f
         GROUP BY client
      ), cl AS (
        SELECT l.municipality, l.client, SUM(l.amount_cents) AS amount_cents,
               SUM(CASE WHEN l.category IN ${OOH} THEN l.amount_cents ELSE 0 END) AS ooh_cents,
               COUNT(DISTINCT l.provider) AS providers,
               STRING_AGG(DISTINCT l.category, ',' ORDER BY l.category) AS categories
          FROM declaration_lines l WHERE l.month >= $1 AND l.month <= $2${muni}
         GROUP BY l.municipality, l.client
      ), ranked AS (SELECT cl.*, ROW_NUMBER() OVER (PARTITION BY municipality ORDER BY amount_cents DESC, client) AS rnk FROM cl)
     SELECT r.*, f.family FROM ranked r LEFT JOIN fam f ON f.client = r.client WHERE r.rnk <= ${top}
      ORDER BY r.municipality, r.rnk`,
    params,
  );
  return rows.map((r) => ({
    municipality: str(r.municipality),
    client: str(r.client),
    family: strOrNull(r.family),
    amountCents: num(r.amount_cents),
    outOfHome: num(r.ooh_cents) > 0,
    categories: str(r.categories).split(',').filter(Boolean),
    providers: num(r.providers),
    rank: num(r.rnk),
  }));
}

/**
 * Net cost per municipality × production month (monthsFrom…monthsTo, default the period) of the members of
 * the bijzondere casussen found in the period: to show a series or forecast "zonder bijzondere casussen".
 */
export async function specialCaseMonthly(
  run: SqlRunner,
  q: FamilyQuery & { monthsFrom?: MonthKey; monthsTo?: MonthKey },
): Promise<MonthAmount[]> {
  const minChildren = wholeNumber(q.minChildren ?? DEFAULT_SPECIAL_CASE_CHILDREN, 'minChildren', 1);
  const params: Param[] = [];
  const ctes = familyCtes(q, params);
  const mf = bind(params, q.monthsFrom ?? q.from);
  const mt = bind(params, q.monthsTo ?? q.to);
  const rows = await run(
    `${ctes}, special AS (SELECT municipality, family FROM fams WHERE keyed = 1 AND ooh_clients >= ${minChildren}),
     members AS (SELECT DISTINCT c.municipality, c.client FROM cl c JOIN fam f ON f.client = c.client
                   JOIN special s ON s.municipality = c.municipality AND s.family = f.family)
     SELECT l.municipality, l.month, SUM(l.amount_cents) AS amount_cents
       FROM declaration_lines l JOIN members m ON m.municipality = l.municipality AND m.client = l.client
      WHERE l.month >= ${mf} AND l.month <= ${mt}
      GROUP BY l.municipality, l.month ORDER BY l.municipality, l.month`,
    params,
  );
  return rows.map((r) => ({
    municipality: str(r.municipality),
    month: str(r.month),
    amountCents: num(r.amount_cents),
  }));
}

/**
 * Run-off cells (production month × declaration month, declared on or before `asOf`) of the members of the
 * bijzondere casussen found in the period, over all production months, and the lines of the special cases marked
 * by hand (sql/special-cases.ts: the client, family or allocation in the case's production months; a line in both
 * counts once): subtracted from the municipality's run-off, they give the forecast "zonder bijzondere casussen".
 */
export async function specialCaseRunoff(run: SqlRunner, q: FamilyQuery & { asOf?: IsoDate }): Promise<RunoffCell[]> {
  const minChildren = wholeNumber(q.minChildren ?? DEFAULT_SPECIAL_CASE_CHILDREN, 'minChildren', 1);
  const params: Param[] = [];
  const ctes = familyCtes(q, params);
  const asOf = q.asOf ? ` AND l.declaration_date <= ${bind(params, q.asOf)}` : '';
  const muniL = inList('l.municipality', q.municipalities, params);
  const rows = await run(
    `${ctes}, special AS (SELECT municipality, family FROM fams WHERE keyed = 1 AND ooh_clients >= ${minChildren}),
     members AS (SELECT DISTINCT c.municipality, c.client FROM cl c JOIN fam f ON f.client = c.client
                   JOIN special s ON s.municipality = c.municipality AND s.family = f.family),
     picked AS (
       SELECT l.file_id, l.seq FROM declaration_lines l JOIN members m ON m.municipality = l.municipality AND m.client = l.client
        WHERE 1 = 1${asOf}
       UNION
       SELECT l.file_id, l.seq FROM declaration_lines l
         JOIN special_cases sc ON sc.removed_at IS NULL AND sc.municipality = l.municipality
          AND l.month >= sc.period_from AND (sc.period_to IS NULL OR l.month <= sc.period_to)
         LEFT JOIN fam mf ON mf.client = l.client
        WHERE ((sc.kind = 'client' AND sc.subject = l.client)
            OR (sc.kind = 'allocation' AND sc.subject = l.allocation_number AND (sc.provider IS NULL OR sc.provider = l.provider))
            OR (sc.kind = 'family' AND (sc.subject = l.family OR sc.subject = mf.family)))${asOf}${muniL})
     SELECT l.municipality, l.month, l.declaration_month, l.declaration_date, SUM(l.amount_cents) AS amount_cents
       FROM declaration_lines l JOIN picked p ON p.file_id = l.file_id AND p.seq = l.seq
      GROUP BY l.municipality, l.month, l.declaration_month, l.declaration_date ORDER BY l.municipality, l.month, l.declaration_month, l.declaration_date`,
    params,
  );
  return rows.map((r) => ({
    municipality: str(r.municipality),
    month: str(r.month),
    declarationMonth: str(r.declaration_month),
    declarationDate: str(r.declaration_date),
    amountCents: num(r.amount_cents),
  }));
}

// ---------------------------------------------------------------------------------------------------------
// Journeys

/** CTE `episodes` (see domain/insight/journeys.ts for the definition). */
function episodeCtes(
  horizon: IsoDate,
  municipalities: string[] | undefined,
  asOf: IsoDate | undefined,
  params: Param[],
): string {
  const h = bind(params, horizon);
  const hLag = bind(params, minusDays(horizon, DECLARED_EPISODE_LAG_DAYS));
  const muniA = inList('a.municipality', municipalities, params);
  const muniL = inList('l.municipality', municipalities, params);
  const asOfA = asOf ? ` AND a.allocation_date <= ${bind(params, asOf)}` : '';
  const asOfL = asOf ? ` AND l.declaration_date <= ${bind(params, asOf)}` : '';
  return `WITH alloc AS (${LATEST_ALLOCATIONS}),
    stops AS (${STOPS}),
    raw AS (
      SELECT a.municipality, a.client, a.provider, a.allocation_number, a.category, a.start_date,
             LEAST(COALESCE(a.end_date, '9999-12-31'), COALESCE(s.stop_date, '9999-12-31')) AS end_date,
             COALESCE(r.referrer, 'onbekend') AS referrer, 'a' AS src
        FROM alloc a
        LEFT JOIN stops s ON s.municipality = a.municipality AND s.provider = a.provider AND s.allocation_number = a.allocation_number
        LEFT JOIN allocation_referrers r ON r.municipality = a.municipality AND r.provider = a.provider AND r.allocation_number = a.allocation_number
       WHERE 1 = 1${muniA}${asOfA}
      UNION ALL
      SELECT l.municipality, l.client, l.provider, COALESCE(l.allocation_number, ''), l.category, MIN(l.period_start), MAX(l.period_end),
             COALESCE(MAX(l.referrer), 'onbekend'), 'd'
        FROM declaration_lines l
       WHERE NOT EXISTS (SELECT 1 FROM allocations a2 WHERE a2.municipality = l.municipality AND a2.client = l.client)${muniL}${asOfL}
       GROUP BY l.municipality, l.client, l.provider, COALESCE(l.allocation_number, ''), l.category
    ), episodes AS (
      SELECT raw.*, CASE WHEN (src = 'a' AND end_date < ${h}) OR (src = 'd' AND end_date < ${hLag}) THEN 1 ELSE 0 END AS ended
        FROM raw WHERE end_date >= start_date
    )`;
}

async function journeyHorizon(run: SqlRunner, asOf?: IsoDate): Promise<IsoDate> {
  if (asOf) return asOf;
  const r = (
    await run(
      `SELECT MAX(declaration_date) AS d, (SELECT MAX(allocation_date) FROM allocations) AS a FROM declaration_lines`,
    )
  )[0];
  return strOrNull(r?.d) ?? strOrNull(r?.a) ?? '9999-12-31';
}

/** Referrer → first category → next category → end, counted in clients whose first episode starts in the period. */
export async function journeyFlows(run: SqlRunner, q: JourneyQuery): Promise<FlowRow[]> {
  const params: Param[] = [];
  const ctes = episodeCtes(await journeyHorizon(run, q.asOf), q.municipalities, q.asOf, params);
  const from = bind(params, `${q.from}-01`);
  const to = bind(params, lastDayOfMonth(q.to));
  const rows = await run(
    `${ctes}, ordered AS (
       SELECT e.*, ROW_NUMBER() OVER (PARTITION BY e.municipality, e.client ORDER BY e.start_date, e.category, e.provider, e.allocation_number) AS k,
              MAX(CASE WHEN e.ended = 0 THEN 1 ELSE 0 END) OVER (PARTITION BY e.municipality, e.client) AS running
         FROM episodes e
     ), firsts AS (SELECT * FROM ordered WHERE k = 1 AND start_date >= ${from} AND start_date <= ${to}),
     nexts AS (
       SELECT o.municipality, o.client, o.category, ROW_NUMBER() OVER (PARTITION BY o.municipality, o.client ORDER BY o.k) AS j
         FROM ordered o JOIN firsts f ON f.municipality = o.municipality AND f.client = o.client
        WHERE o.k > 1 AND o.category <> f.category
     )
     SELECT f.municipality, f.referrer, f.category AS first_category, n.category AS next_category,
            CASE WHEN f.running = 1 THEN 'lopend' ELSE 'afgesloten' END AS end_state, COUNT(*) AS clients
       FROM firsts f LEFT JOIN nexts n ON n.municipality = f.municipality AND n.client = f.client AND n.j = 1
      GROUP BY f.municipality, f.referrer, f.category, n.category, CASE WHEN f.running = 1 THEN 'lopend' ELSE 'afgesloten' END`,
    params,
  );
  const key = (f: FlowRow) => [f.municipality, f.referrer, f.firstCategory, f.nextCategory ?? '', f.end].join('\u0000');
  return rows
    .map((r) => ({
      municipality: str(r.municipality),
      referrer: str(r.referrer),
      firstCategory: str(r.first_category),
      nextCategory: strOrNull(r.next_category),
      end: str(r.end_state) as 'lopend' | 'afgesloten',
      clients: num(r.clients),
    }))
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Histogram of days from request (JW315) to start of care, per municipality, for requests dated in the period. */
export async function requestToStart(run: SqlRunner, q: JourneyQuery): Promise<WaitingRow[]> {
  const params: Param[] = [`${q.from}-01`, lastDayOfMonth(q.to)];
  const muni = inList('a.municipality', q.municipalities, params);
  const rows = await run(
    `WITH alloc AS (${LATEST_ALLOCATIONS}),
     req AS (
       SELECT rq.municipality, rq.provider, rq.provider_reference, MIN(COALESCE(f.message_date, rq.start_date)) AS req_date
         FROM requests rq JOIN source_files f ON f.id = rq.file_id
        GROUP BY rq.municipality, rq.provider, rq.provider_reference
     ), starts AS (
       SELECT municipality, provider, allocation_number, MIN(event_date) AS start_date
         FROM care_events WHERE kind = 'start' AND COALESCE(status, '1') <> '3' GROUP BY municipality, provider, allocation_number
     ), w AS (
       SELECT a.municipality, CAST(COALESCE(s.start_date, a.start_date) AS DATE) - CAST(r.req_date AS DATE) AS days
         FROM alloc a
         JOIN req r ON r.municipality = a.municipality AND r.provider = a.provider AND r.provider_reference = a.provider_reference
         LEFT JOIN starts s ON s.municipality = a.municipality AND s.provider = a.provider AND s.allocation_number = a.allocation_number
        WHERE r.req_date IS NOT NULL AND r.req_date >= $1 AND r.req_date <= $2${muni}
     )
     SELECT municipality, days, COUNT(*) AS allocations FROM w GROUP BY municipality, days ORDER BY municipality, days`,
    params,
  );
  return rows.map((r) => ({ municipality: str(r.municipality), days: num(r.days), allocations: num(r.allocations) }));
}

/** Exits in the period and re-entries within 12 months, per municipality. */
export async function reEntries(run: SqlRunner, q: JourneyQuery): Promise<ReEntryRow[]> {
  const cont = wholeNumber(q.continuationDays ?? DEFAULT_CONTINUATION_DAYS, 'continuationDays');
  const horizon = await journeyHorizon(run, q.asOf);
  const params: Param[] = [];
  const ctes = episodeCtes(horizon, q.municipalities, q.asOf, params);
  const from = bind(params, `${q.from}-01`);
  const to = bind(params, lastDayOfMonth(q.to));
  const h = bind(params, horizon);
  const plus = (col: string, days: number) => `CAST(CAST(${col} AS DATE) + ${days} AS VARCHAR)`;
  const rows = await run(
    `${ctes}, exits AS (
       SELECT DISTINCT e.municipality, e.client, e.end_date FROM episodes e
        WHERE e.ended = 1 AND e.end_date >= ${from} AND e.end_date <= ${to}
          AND NOT EXISTS (SELECT 1 FROM episodes o WHERE o.municipality = e.municipality AND o.client = e.client
                             AND o.end_date > e.end_date AND o.start_date <= ${plus('e.end_date', cont)})
     ), flagged AS (
       SELECT x.municipality,
              CASE WHEN ${plus('x.end_date', RE_ENTRY_WINDOW_DAYS)} <= ${h} THEN 1 ELSE 0 END AS observable,
              CASE WHEN EXISTS (SELECT 1 FROM episodes n WHERE n.municipality = x.municipality AND n.client = x.client
                                   AND n.start_date > x.end_date AND n.start_date <= ${plus('x.end_date', RE_ENTRY_WINDOW_DAYS)}) THEN 1 ELSE 0 END AS reentry
         FROM exits x
     )
     SELECT municipality, COUNT(*) AS exits, SUM(observable) AS observable, SUM(observable * reentry) AS reentries
       FROM flagged GROUP BY municipality ORDER BY municipality`,
    params,
  );
  return rows.map((r) => ({
    municipality: str(r.municipality),
    exits: num(r.exits),
    observable: num(r.observable),
    reEntries: num(r.reentries),
  }));
}

/** Every event of one client (pseudonym), unordered: requests, allocations, starts, declarations per allocation, stops. */
export async function clientJourney(
  run: SqlRunner,
  q: { client: string; municipalities?: string[] },
): Promise<JourneyEvent[]> {
  const params: Param[] = [q.client];
  const m = (alias: string) => inList(`${alias}.municipality`, q.municipalities, params);
  const NS = 'CAST(NULL AS VARCHAR)';
  const rows = await run(
    `SELECT 'request' AS kind, COALESCE(f.message_date, rq.start_date, '') AS event_date, rq.municipality, rq.provider, ${NS} AS allocation_number,
            rq.category, rq.product_code, rq.referrer_type AS detail, CAST(NULL AS BIGINT) AS amount_cents, f.name AS file_name, rq.source_line
       FROM requests rq JOIN source_files f ON f.id = rq.file_id WHERE rq.client = $1${m('rq')}
     UNION ALL
     SELECT 'allocation', a.allocation_date, a.municipality, a.provider, a.allocation_number, a.category, a.product_code,
            a.start_date || ' … ' || COALESCE(a.end_date, ''), CAST(NULL AS BIGINT), f.name, a.source_line
       FROM allocations a JOIN source_files f ON f.id = a.file_id WHERE a.client = $1${m('a')}
     UNION ALL
     SELECT e.kind, e.event_date, e.municipality, e.provider, e.allocation_number, e.category, e.product_code, e.reason,
            CAST(NULL AS BIGINT), f.name, e.source_line
       FROM care_events e JOIN source_files f ON f.id = e.file_id WHERE e.client = $1${m('e')}
     UNION ALL
     SELECT 'declarations', g.first_start, g.municipality, g.provider, g.allocation_number, g.category, g.product_code,
            g.first_month || ' … ' || g.last_month || ', ' || CAST(g.lines AS VARCHAR) || ' regels', g.amount_cents, f.name, 0
       FROM (SELECT l.municipality, l.provider, l.allocation_number, l.category, l.product_code, MIN(l.period_start) AS first_start,
                    MIN(l.month) AS first_month, MAX(l.month) AS last_month, COUNT(*) AS lines, SUM(l.amount_cents) AS amount_cents,
                    MIN(l.file_id) AS first_file
               FROM declaration_lines l WHERE l.client = $1${m('l')}
              GROUP BY l.municipality, l.provider, l.allocation_number, l.category, l.product_code) g
       JOIN source_files f ON f.id = g.first_file`,
    params,
  );
  return rows.map((r) => ({
    kind: str(r.kind) as JourneyEventKind,
    date: str(r.event_date),
    municipality: str(r.municipality),
    provider: str(r.provider),
    allocationNumber: strOrNull(r.allocation_number),
    category: strOrNull(r.category),
    product: strOrNull(r.product_code),
    detail: strOrNull(r.detail),
    amountCents: r.amount_cents === null || r.amount_cents === undefined ? null : num(r.amount_cents),
    fileName: str(r.file_name),
    sourceLine: num(r.source_line),
  }));
}

// ---------------------------------------------------------------------------------------------------------
// Data quality

/**
 * Runs every data-quality check (definitions in domain/insight/quality.ts) over the ledger and returns counts,
 * amounts at stake, the largest examples with file and line, and the providers with most at stake. The SQL
 * finds the issues (set-based: every line and allocation of the region); the settings, which checks can run,
 * the example sentences and the report are the domain's (domain/insight/quality-rules.ts), as are the
 * constants the SQL is built from (frequencies, tariff precedence, minimum running days).
 */
export async function dataQuality(run: SqlRunner, q: DataQualityQuery = {}): Promise<DataQualityReport> {
  const settings = dataQualitySettings(q, q.asOf ? null : await latestDeclarationDate(run));
  const { threshold, horizon: hz } = settings;
  const nExamples = settings.examples;

  const p0 = (
    await run(
      `SELECT (SELECT COUNT(*) FROM allocations) AS allocations,
              (SELECT COUNT(*) FROM allocations WHERE volume IS NOT NULL OR budget_cents IS NOT NULL) AS sized,
              (SELECT COUNT(*) FROM care_events WHERE kind = 'stop') AS stops,
              (SELECT COUNT(*) FROM declaration_lines WHERE reference_number NOT LIKE 'csv:%') AS xml_lines,
              (SELECT COUNT(*) FROM declaration_lines) AS lines,
              (SELECT COUNT(*) FROM contracted_tariffs) AS tariffs`,
    )
  )[0];
  const presence: DataPresence = {
    allocations: num(p0?.allocations),
    sizedAllocations: num(p0?.sized),
    stops: num(p0?.stops),
    xmlLines: num(p0?.xml_lines),
    lines: num(p0?.lines),
    tariffs: num(p0?.tariffs),
  };
  const hasTariffs = presence.tariffs > 0;

  const params: Param[] = [];
  // Conditions on declaration lines l.
  const lc: string[] = [];
  if (q.from) lc.push(`l.month >= ${bind(params, q.from)}`);
  if (q.to) lc.push(`l.month <= ${bind(params, q.to)}`);
  if (q.asOf) lc.push(`l.declaration_date <= ${bind(params, q.asOf)}`);
  const lineMuni = inList('l.municipality', q.municipalities, params);
  const lw = `${lc.map((c) => ` AND ${c}`).join('')}${lineMuni}`;
  // Conditions on (latest) allocations a.
  const ac: string[] = [];
  if (q.asOf) ac.push(`a.allocation_date <= ${bind(params, q.asOf)}`);
  if (q.to) ac.push(`a.start_date <= ${bind(params, lastDayOfMonth(q.to))}`);
  if (q.from) ac.push(`a.w_end >= ${bind(params, `${q.from}-01`)}`);
  const aw = `${ac.map((c) => ` AND ${c}`).join('')}${inList('a.municipality', q.municipalities, params)}`;
  const h = bind(params, hz ?? '1900-01-01');
  // Declarations known at the as-of date (for what allocations delivered).
  const known = q.asOf ? ` AND l.declaration_date <= ${bind(params, q.asOf)}` : '';

  const NS = 'CAST(NULL AS VARCHAR)';
  const ND = 'CAST(NULL AS DOUBLE PRECISION)';
  const NB = 'CAST(NULL AS BIGINT)';
  const D = (x: string) => `CAST(${x} AS DOUBLE PRECISION)`;
  const days = (a: string, b: string) => `(CAST(${b} AS DATE) - CAST(${a} AS DATE) + 1)`;
  // Units allocated to date per JW301 frequency (domain allocatedUnitsToDate).
  const perFrequency = Object.entries(FREQUENCY_DAYS)
    .map(
      ([code, days]) =>
        `WHEN s.frequency = '${code}' THEN ${D('s.volume')} * s.elapsed${days === 1 ? '' : ` / ${days}`}`,
    )
    .join('\n                  ');
  // Columns of every issue row: kind, municipality, provider, client, allocation_number, product, period,
  // amount_cents, file_id, source_line, refs, n1, n2, n3, t1.
  const issues = `WITH alloc0 AS (${LATEST_ALLOCATIONS}),
    stops AS (${STOPS}),
    alloc AS (
      SELECT a.*, LEAST(COALESCE(a.end_date, '9999-12-31'), COALESCE(s.stop_date, '9999-12-31'), ${h}) AS w_end,
             s.stop_date
        FROM alloc0 a LEFT JOIN stops s ON s.municipality = a.municipality AND s.provider = a.provider AND s.allocation_number = a.allocation_number
    ),
    price AS (
      SELECT COALESCE(l.product_code, '') AS product, l.unit, ${D('SUM(l.amount_cents)')} / ${D(`SUM(${UNITS_EXPR})`)} AS ppu
        FROM declaration_lines l WHERE 1 = 1${known} GROUP BY COALESCE(l.product_code, ''), l.unit HAVING SUM(${UNITS_EXPR}) > 0
    ),
    used AS (
      SELECT l.municipality, l.provider, l.allocation_number, COUNT(*) AS lines FROM declaration_lines l
       WHERE l.allocation_number IS NOT NULL${known} GROUP BY l.municipality, l.provider, l.allocation_number
    ),
    delivered AS (
      SELECT l.municipality, l.provider, l.allocation_number, l.unit, SUM(${UNITS_EXPR}) AS units
        FROM declaration_lines l WHERE l.period_start <= ${h} AND ${NOT_REJECTED}${known}
       GROUP BY l.municipality, l.provider, l.allocation_number, l.unit
    ),
    spent AS (
      SELECT l.municipality, l.provider, l.allocation_number, SUM(l.amount_cents) AS amount_cents
        FROM declaration_lines l WHERE l.period_start <= ${h} AND ${NOT_REJECTED}${known}
       GROUP BY l.municipality, l.provider, l.allocation_number
    ),
    declaring AS (SELECT DISTINCT l.municipality, l.provider FROM declaration_lines l WHERE 1 = 1${known}),
    sized AS (
      SELECT a.*, ${days('a.start_date', 'a.w_end')} AS elapsed,
             CASE WHEN a.end_date IS NULL THEN ${ND} ELSE ${D(days('a.start_date', 'a.end_date'))} END AS span,
             COALESCE(d.units, 0) AS delivered_units, COALESCE(sp.amount_cents, 0) AS spent_cents, p.ppu,
             CASE WHEN u.lines IS NULL THEN 0 ELSE 1 END AS is_used
        FROM alloc a
        LEFT JOIN delivered d ON d.municipality = a.municipality AND d.provider = a.provider AND d.allocation_number = a.allocation_number AND d.unit = a.unit
        LEFT JOIN spent sp ON sp.municipality = a.municipality AND sp.provider = a.provider AND sp.allocation_number = a.allocation_number
        LEFT JOIN used u ON u.municipality = a.municipality AND u.provider = a.provider AND u.allocation_number = a.allocation_number
        LEFT JOIN price p ON p.product = COALESCE(a.product_code, '') AND p.unit = a.unit
       WHERE a.w_end >= a.start_date${aw}
         AND EXISTS (SELECT 1 FROM declaring dc WHERE dc.municipality = a.municipality AND dc.provider = a.provider)
    ),
    measured AS (
      SELECT s.*,
             CASE WHEN s.volume IS NULL OR s.unit IS NULL THEN ${ND}
                  ${perFrequency}
                  WHEN s.frequency = '${ALLOCATED_TOTAL_FREQUENCY}' THEN CASE WHEN s.span IS NULL THEN ${D('s.volume')} ELSE ${D('s.volume')} * s.elapsed / s.span END
                  ELSE ${ND} END AS allocated_units,
             CASE WHEN s.budget_cents IS NULL THEN ${ND}
                  WHEN s.span IS NULL THEN ${D('s.budget_cents')}
                  ELSE ${D('s.budget_cents')} * s.elapsed / s.span END AS allocated_cents
        FROM sized s WHERE s.elapsed >= ${MIN_RUNNING_DAYS}
    ),
    dkeys AS (
      -- The double-declaration groups, found with cheap aggregates first; the costly ones (string_agg,
      -- count distinct) then run on these few groups only.
      SELECT l.municipality, l.client, l.category, COALESCE(l.product_code, '') AS product, l.period_start, l.period_end
        FROM declaration_lines l WHERE ${NOT_REJECTED}${lw}
       GROUP BY l.municipality, l.client, l.category, COALESCE(l.product_code, ''), l.period_start, l.period_end
      HAVING SUM(CASE WHEN l.debit_credit = 'D' THEN 1 ELSE -1 END) >= 2
    ),${
      hasTariffs
        ? `
    tmatch AS (
      -- Each checked debit line with the contracted tariffs that apply to it, best first (tr = 1: domain
      -- compareTariffPrecedence).
      SELECT l.municipality, l.provider, l.client, l.allocation_number, l.product_code, l.period_start, l.period_end,
             l.file_id, l.source_line, l.volume, l.unit, l.tariff_cents, t.tariff_cents AS contract_cents,
             ROW_NUMBER() OVER (PARTITION BY l.file_id, l.seq ORDER BY ${TARIFF_PRECEDENCE_SQL}) AS tr
        FROM declaration_lines l
        JOIN contracted_tariffs t ON t.category = l.category AND t.unit = l.unit
                                 AND (t.product_code IS NULL OR t.product_code = l.product_code)
                                 AND (t.provider = '*' OR t.provider = l.provider)
                                 AND t.valid_from <= l.period_start AND (t.valid_to IS NULL OR t.valid_to >= l.period_start)
       WHERE l.debit_credit = 'D' AND l.tariff_cents IS NOT NULL AND ${NOT_REJECTED}${lw}
         AND NOT EXISTS (SELECT 1 FROM declaration_lines c WHERE c.debit_credit = 'C' AND c.provider = l.provider
                                                           AND c.previous_reference_number = l.reference_number)
    ),`
        : ''
    }
    issues AS (
      SELECT 'double' AS kind, g.municipality, g.providers_label AS provider, g.client, ${NS} AS allocation_number, g.product,
             g.period_start || ' … ' || g.period_end AS period,
             CASE WHEN g.net_cents - g.max_debit > 0 THEN g.net_cents - g.max_debit ELSE 0 END AS amount_cents,
             ${NB} AS file_id, ${NB} AS source_line, g.refs,
             ${D('g.debits')} AS n1, ${D('g.credits')} AS n2, ${D('g.declarations')} AS n3, g.category AS t1
        FROM (
          SELECT l.municipality, l.client, l.category, COALESCE(l.product_code, '') AS product, l.period_start, l.period_end,
                 SUM(CASE WHEN l.debit_credit = 'D' THEN 1 ELSE 0 END) AS debits,
                 SUM(CASE WHEN l.debit_credit = 'C' THEN 1 ELSE 0 END) AS credits,
                 COUNT(DISTINCT l.provider || '/' || l.declaration_number) AS declarations,
                 STRING_AGG(DISTINCT l.provider, '+' ORDER BY l.provider) AS providers_label,
                 SUM(l.amount_cents) AS net_cents,
                 MAX(CASE WHEN l.debit_credit = 'D' THEN l.amount_cents ELSE 0 END) AS max_debit,
                 STRING_AGG(CAST(l.file_id AS VARCHAR) || ':' || CAST(l.source_line AS VARCHAR) || ':' || l.debit_credit, ' ' ORDER BY l.file_id, l.seq) AS refs
            FROM declaration_lines l
            JOIN dkeys k ON k.municipality = l.municipality AND k.client = l.client AND k.category = l.category
                        AND k.product = COALESCE(l.product_code, '') AND k.period_start = l.period_start AND k.period_end = l.period_end
           WHERE ${NOT_REJECTED}${lw}
           GROUP BY l.municipality, l.client, l.category, COALESCE(l.product_code, ''), l.period_start, l.period_end
        ) g
      UNION ALL
      SELECT 'overIndication', m.municipality, m.provider, m.client, m.allocation_number, m.product_code,
             m.start_date || ' … ' || m.w_end,
             CAST(ROUND(CASE WHEN m.allocated_units IS NOT NULL THEN (m.allocated_units - m.delivered_units) * COALESCE(m.ppu, 0)
                             ELSE m.allocated_cents - m.spent_cents END) AS BIGINT),
             m.file_id, m.source_line, ${NS},
             COALESCE(m.allocated_units, m.allocated_cents),
             CASE WHEN m.allocated_units IS NOT NULL THEN ${D('m.delivered_units')} ELSE ${D('m.spent_cents')} END,
             CASE WHEN m.allocated_units IS NOT NULL THEN 0 ELSE 1 END, m.unit
        FROM measured m
       WHERE m.is_used = 1
         AND (COALESCE(m.end_date, '9999-12-31') <= ${h} OR COALESCE(m.stop_date, '9999-12-31') <= ${h} OR m.elapsed >= ${OVER_INDICATION_RUNNING_DAYS})
         AND ((m.allocated_units > 0 AND m.delivered_units < ${threshold} * m.allocated_units)
          OR (m.allocated_units IS NULL AND m.allocated_cents > 0 AND m.spent_cents < ${threshold} * m.allocated_cents))
      UNION ALL
      SELECT 'unusedAllocation', m.municipality, m.provider, m.client, m.allocation_number, m.product_code,
             m.start_date || ' … ' || m.w_end,
             CAST(ROUND(COALESCE(m.allocated_cents, m.allocated_units * m.ppu, 0)) AS BIGINT),
             m.file_id, m.source_line, ${NS}, COALESCE(m.allocated_units, m.allocated_cents), ${ND}, ${ND}, m.unit
        FROM measured m WHERE m.is_used = 0
      UNION ALL
      SELECT 'noAllocation', l.municipality, l.provider, l.client, l.allocation_number, l.product_code, l.period_start || ' … ' || l.period_end,
             l.amount_cents, l.file_id, l.source_line, ${NS}, ${ND}, ${ND}, ${ND}, ${NS}
        FROM declaration_lines l
       WHERE l.allocation_number IS NOT NULL AND ${NOT_REJECTED}${lw}
         AND EXISTS (SELECT 1 FROM allocations a2 WHERE a2.municipality = l.municipality)
         AND NOT EXISTS (SELECT 1 FROM allocations a3 WHERE a3.municipality = l.municipality AND a3.provider = l.provider
                                                         AND a3.allocation_number = l.allocation_number)
      UNION ALL
      SELECT 'afterStop', l.municipality, l.provider, l.client, l.allocation_number, l.product_code, l.period_start || ' … ' || l.period_end,
             l.amount_cents, l.file_id, l.source_line, ${NS}, ${ND}, ${ND}, ${ND}, s.stop_date
        FROM declaration_lines l
        JOIN stops s ON s.municipality = l.municipality AND s.provider = l.provider AND s.allocation_number = l.allocation_number
       WHERE l.debit_credit = 'D' AND l.period_start > s.stop_date AND ${NOT_REJECTED}${lw}
         AND NOT EXISTS (SELECT 1 FROM declaration_lines c WHERE c.debit_credit = 'C' AND c.provider = l.provider
                                                           AND c.previous_reference_number = l.reference_number)
      UNION ALL
      SELECT 'creditWithoutDebit', l.municipality, l.provider, l.client, l.allocation_number, l.product_code, l.period_start || ' … ' || l.period_end,
             -l.amount_cents, l.file_id, l.source_line, ${NS}, ${ND}, ${ND}, ${ND}, fd.detail
        FROM findings fd JOIN declaration_lines l ON l.file_id = fd.file_id AND l.seq = fd.seq
       WHERE fd.rule = 'TR323'${lw}${
         hasTariffs
           ? `
      UNION ALL
      SELECT 'tariff', m.municipality, m.provider, m.client, m.allocation_number, m.product_code, m.period_start || ' … ' || m.period_end,
             CASE WHEN m.tariff_cents > m.contract_cents THEN (m.tariff_cents - m.contract_cents) * m.volume ELSE 0 END,
             m.file_id, m.source_line, ${NS}, ${D('m.tariff_cents')}, ${D('m.contract_cents')}, ${D('m.volume')}, m.unit
        FROM tmatch m WHERE m.tr = 1 AND m.tariff_cents <> m.contract_cents`
           : ''
       }
    )`;

  const examples = await run(
    `${issues}, ranked AS (
       SELECT i.*, COUNT(*) OVER (PARTITION BY kind) AS total_count, SUM(amount_cents) OVER (PARTITION BY kind) AS total_cents,
              ROW_NUMBER() OVER (PARTITION BY kind ORDER BY amount_cents DESC, municipality, provider, client, period) AS rn
         FROM issues i)
     SELECT * FROM ranked WHERE rn <= ${Math.max(nExamples, 1)} ORDER BY kind, rn`,
    params,
  );
  const providers = await run(
    `${issues}, per AS (SELECT kind, provider, COUNT(*) AS n, SUM(amount_cents) AS cents FROM issues GROUP BY kind, provider),
     ranked AS (SELECT per.*, ROW_NUMBER() OVER (PARTITION BY kind ORDER BY cents DESC, provider) AS rn FROM per)
     SELECT * FROM ranked WHERE rn <= ${TOP_PROVIDERS} ORDER BY kind, rn`,
    params,
  );

  const found: QualityIssue[] = examples.map((r) => ({
    kind: str(r.kind) as DataQualityCheckId,
    municipality: str(r.municipality),
    provider: str(r.provider),
    client: str(r.client),
    allocationNumber: strOrNull(r.allocation_number),
    product: strOrNull(r.product),
    period: strOrNull(r.period),
    amountCents: num(r.amount_cents),
    fileId: r.file_id === null || r.file_id === undefined ? null : num(r.file_id),
    sourceLine: r.source_line === null || r.source_line === undefined ? null : num(r.source_line),
    refs: parseLineRefs(str(r.refs)),
    n1: r.n1 === null || r.n1 === undefined ? null : num(r.n1),
    n2: r.n2 === null || r.n2 === undefined ? null : num(r.n2),
    n3: r.n3 === null || r.n3 === undefined ? null : num(r.n3),
    t1: strOrNull(r.t1),
    totalCount: num(r.total_count),
    totalCents: num(r.total_cents),
  }));
  const byProvider: QualityProviderTotal[] = providers.map((r) => ({
    kind: str(r.kind) as DataQualityCheckId,
    provider: str(r.provider),
    count: num(r.n),
    amountCents: num(r.cents),
  }));

  // File names for the examples and their related lines.
  const names = new Map<number, string>();
  const ids = exampleFileIds(found);
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    for (const r of await run(
      `SELECT id, name FROM source_files WHERE id IN (${chunk.map((_, k) => `$${k + 1}`).join(', ')})`,
      chunk,
    )) {
      names.set(num(r.id), str(r.name));
    }
  }
  return buildDataQualityReport(settings, q.municipalities ?? null, presence, found, byProvider, names);
}

/** The insight repository on an engine's connection (reads only). */
export function insightRepository(db: SqlDb): InsightRepository {
  return {
    driverInputs: (q) => decompositionInputs(db.all, q),
    dataQuality: (q) => dataQuality(db.all, q),
    familyCosts: (q) => familyCosts(db.all, q),
    topClients: (q) => topClients(db.all, q),
    specialCaseRunoff: (q) => specialCaseRunoff(db.all, q),
    journeyFlows: (q) => journeyFlows(db.all, q),
    requestToStart: (q) => requestToStart(db.all, q),
    reEntries: (q) => reEntries(db.all, q),
    clientJourney: (q) => clientJourney(db.all, q),
    coronaInputs: (q) => coronaInputs(db.all, q),
  };
}
