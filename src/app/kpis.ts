/**
 * KPIs (indicatoren) as the CLI, the web app and the reports use them: figures computed from the ledger, figures
 * entered by partners (SJT, three times a year), each with a time path and a traffic light (domain/steering/kpi.ts).
 *
 * Computed from the ledger, per production year, per municipality and for the region:
 *   clienten                      distinct clients with a declaration in the year
 *   kosten-per-client             net cost / clients, in euros
 *   clienten-per-1000-jeugdigen   clients / youths 0–17 × 1000 (youths: reference data, `grip municipalities`)
 *   verwijzer-XX                  share (%) of the year's net cost that came through referrer type XX (COD327)
 *   voorkant-aandeel              local provisions / (local provisions + youth-care budget) × 100, from the budget
 *                                 lines of the year (seed 001: the goal is 25% "at the front"; today 12%); the region's
 *                                 share counts the municipalities that entered local-provision lines for that year
 * A stored definition with the same id and scope (e.g. one with a target, from `grip kpi import`) lends its target
 * and critical value to a computed KPI.
 *
 * KPI CSV (`grip kpi import`), one header line, comma or semicolon:
 *   kpi,municipality,period,value,name,unit,direction,target,critical,source
 *   sjt-wachttijd,GM0482,2021-08-31,47,Wachttijd SJT,dagen,lower,42,60,SJT
 *   sjt-wachttijd,regio,2021-08-31,41,,,,,,
 * - kpi: the KPI id; municipality: a CBS code or `regio`; period: YYYY-MM-DD, YYYY-MM or YYYY; value: a number
 *   (decimal point or comma), empty = not known. A KPI computed from the ledger keeps its computed values until an
 *   entered value is known, so a line with a name, a norm and an empty value sets that KPI's norm only:
 *   kosten-per-client,GM0482,2025,,Kosten per cliënt,€,lower,1500,2500 (target and critical empty: no norm)
 * - name, unit, direction (`lower` or `higher` is better), target, critical, source, formula: when `name` is given
 *   the line also (re)defines the KPI for that scope; a KPI without a definition (stored or in the file) is refused
 * - values are appended; a value for a period that already has one supersedes it (the history is kept)
 */
import { REFERRERS } from '../domain/codes/index.js';
import { GripError } from '../domain/errors.js';
import { at } from '../domain/indexing.js';
import type { Cents } from '../domain/money.js';
import {
  kpiPath,
  seed004KpiSeries,
  validateKpiDefinition,
  type KpiDefinition,
  type KpiPath,
  type KpiScope,
  type KpiValue,
} from '../domain/steering/kpi.js';
import { REGION_SCOPE, kpiScopeKey } from '../domain/steering/kpi.js';
import type { KpiValueInput } from '../warehouse/types.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { readCsv, type CsvSpec } from './csv.js';
import { isExample } from '../domain/example.js';
import { perClient, perThousand, shareOf } from '../domain/disclosure.js';
import type { ProtectedYear } from './disclosure.js';

export { REGION_SCOPE };

/** Seed 001: "gemeente 25% van het budget naar voren mogen gaan halen. Dat is nu 12 %". */
export const FRONT_SHARE_TARGET_PERCENT = 25;

const scopeOf = (key: string): KpiScope =>
  key === REGION_SCOPE ? { kind: 'region' } : { kind: 'municipality', municipality: key };
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

interface Computed {
  definition: KpiDefinition;
  values: KpiValue[];
}

/** The KPIs computed from the ledger and the budget lines, for every production year with data. */
export async function ledgerKpis(w: Warehouse, opts: { municipality?: string } = {}): Promise<Computed[]> {
  const muns = opts.municipality ? [opts.municipality] : undefined;
  const [byMun, byRegion, refMun, refRegion, refs, budgets, front] = await Promise.all([
    w.costs({ by: ['municipality', 'year'], municipalities: muns }),
    w.costs({ by: ['year'] }),
    w.costs({ by: ['municipality', 'year', 'referrer'], municipalities: muns }),
    w.costs({ by: ['year', 'referrer'] }),
    w.municipalities(),
    w.budgetEntries({ municipalities: muns }),
    w.localProvisions({ municipalities: muns }),
  ]);
  const [allBudgets, allFront] = muns ? await Promise.all([w.budgetEntries(), w.localProvisions()]) : [budgets, front];
  const youths = new Map(refs.map((m) => [m.code, m.youths]));
  const regionYouths = refs.reduce((s, m) => s + m.youths, 0);
  const out = new Map<string, Computed>();
  const push = (
    id: string,
    scope: string,
    def: Omit<KpiDefinition, 'id' | 'scope'>,
    period: string,
    value: number | null,
  ) => {
    const key = `${id}|${scope}`;
    const c = out.get(key) ?? { definition: { id, scope: scopeOf(scope), ...def }, values: [] };
    c.values.push({ period, value });
    out.set(key, c);
  };
  const src = 'berekend uit de declaraties (Grip)';
  const ledger = [
    ...byMun.map((r) => ({ scope: r.municipality!, r })),
    ...byRegion.map((r) => ({ scope: REGION_SCOPE, r })),
  ];
  for (const { scope, r } of ledger) {
    const y = r.year!;
    push(
      'clienten',
      scope,
      {
        name: 'Cliënten',
        unit: 'cliënten',
        direction: 'lower',
        formula: 'unieke cliënten met een declaratie in het jaar',
        source: src,
      },
      y,
      r.clients,
    );
    push(
      'kosten-per-client',
      scope,
      { name: 'Kosten per cliënt', unit: '€', direction: 'lower', formula: 'netto kosten / cliënten', source: src },
      y,
      r.clients ? round(r.amountCents / r.clients / 100, 2) : null,
    );
    const yth = scope === REGION_SCOPE ? regionYouths : youths.get(scope);
    push(
      'clienten-per-1000-jeugdigen',
      scope,
      {
        name: 'Cliënten per 1.000 jeugdigen',
        unit: 'per 1.000 jeugdigen',
        direction: 'lower',
        formula: 'cliënten / jeugdigen 0–17 × 1000',
        source: src,
      },
      y,
      yth ? round((r.clients / yth) * 1000, 1) : null,
    );
  }
  const totals = new Map(ledger.map(({ scope, r }) => [`${scope}|${r.year}`, r.amountCents]));
  for (const { scope, r } of [
    ...refMun.map((r) => ({ scope: r.municipality!, r })),
    ...refRegion.map((r) => ({ scope: REGION_SCOPE, r })),
  ]) {
    const total = totals.get(`${scope}|${r.year}`) ?? 0;
    const code = r.referrer!;
    push(
      `verwijzer-${code}`,
      scope,
      {
        name: `Aandeel kosten via verwijzer: ${REFERRERS[code] ?? code}`,
        unit: '%',
        direction: 'higher',
        formula: 'netto kosten via deze verwijzer / netto kosten × 100',
        source: src,
      },
      r.year!,
      total ? round((r.amountCents / total) * 100, 1) : null,
    );
  }
  // Share at the front per year: Σ local provisions / (Σ local provisions + Σ youth-care budget).
  const sums = (rows: { municipality: string; year: number; amountCents: Cents }[]) => {
    const m = new Map<string, Cents>();
    for (const r of rows)
      for (const k of [`${r.municipality}|${r.year}`, `${REGION_SCOPE}|${r.year}`])
        m.set(k, (m.get(k) ?? 0) + r.amountCents);
    return m;
  };
  const b = sums(budgets);
  const f = sums(front);
  // The region's share needs all municipalities' lines, also when one municipality is asked for.
  const bAll = sums(allBudgets);
  const fAll = sums(allFront);
  // Resting on example budget lines (the demo's), the share is an example too, and says so.
  const exampleLines = [...allBudgets, ...allFront].some((r) =>
    isExample('decisionReference' in r ? r.decisionReference : null, r.description),
  );
  const frontSource = exampleLines
    ? 'begrotingsregels (grip budget); VOORBEELD: berekend uit voorbeeldbegrotingen'
    : 'begrotingsregels (grip budget)';
  const keys = new Set(
    [...f.keys()]
      .filter((k) => !k.startsWith(REGION_SCOPE))
      .concat([...fAll.keys()].filter((k) => k.startsWith(REGION_SCOPE))),
  );
  for (const k of [...keys].sort()) {
    const parts = k.split('|'); // `${scope}|${year}`, as sums() builds it
    const scope = at(parts, 0);
    const year = at(parts, 1);
    // The region: over the municipalities that entered local-provision lines for the year (the others are unknown, not 0).
    const withFront = [...fAll.keys()].filter((x) => !x.startsWith(REGION_SCOPE) && x.endsWith(`|${year}`));
    const [fb, bb] =
      scope === REGION_SCOPE
        ? [withFront.reduce((s, x) => s + (fAll.get(x) ?? 0), 0), withFront.reduce((s, x) => s + (bAll.get(x) ?? 0), 0)]
        : [f.get(k) ?? 0, b.get(k) ?? 0];
    push(
      'voorkant-aandeel',
      scope,
      {
        name: 'Aandeel budget aan de voorkant',
        unit: '%',
        direction: 'higher',
        target: FRONT_SHARE_TARGET_PERCENT,
        formula: 'lokale voorzieningen / (lokale voorzieningen + jeugdhulpbudget) × 100',
        source: frontSource,
      },
      year,
      fb + bb > 0 ? round((fb / (fb + bb)) * 100, 1) : null,
    );
  }
  return [...out.values()];
}

export interface KpiOverview {
  /** The municipality asked for, or null for all. */
  municipality: string | null;
  /** Entered KPIs first, then computed ones; each with its time path, latest point, light and trend. */
  paths: (KpiPath & { origin: 'ingevoerd' | 'berekend' })[];
}

/**
 * All KPIs with their time path and traffic light: the entered ones (latest value per period) and the ones
 * computed from the ledger. With `municipality`: that municipality's and the region's.
 */
export async function kpiOverview(
  w: Warehouse,
  opts: { municipality?: string; computed?: boolean } = {},
): Promise<KpiOverview> {
  const scopes = opts.municipality ? [opts.municipality, REGION_SCOPE] : undefined;
  const [defs, values] = await Promise.all([w.kpiDefinitions(), w.kpiValues({ scopes, latestOnly: true })]);
  const stored = defs.filter((d) => !scopes || scopes.includes(kpiScopeKey(d)));
  const byKey = new Map(stored.map((d) => [`${d.id}|${kpiScopeKey(d)}`, d]));
  const paths: KpiOverview['paths'] = [];
  /** Entered paths by key, and whether any of their values is known. */
  const entered = new Map<string, boolean>();
  for (const d of stored) {
    const key = `${d.id}|${kpiScopeKey(d)}`;
    const vs = values.filter((v) => v.kpiId === d.id && v.scope === kpiScopeKey(d));
    if (!vs.length) continue;
    entered.set(
      key,
      vs.some((v) => v.value !== null),
    );
    paths.push({
      ...kpiPath(
        d,
        vs.map((v) => ({ period: v.period, value: v.value })),
      ),
      origin: 'ingevoerd',
    });
  }
  if (opts.computed !== false) {
    // Entered values replace a computed KPI only when one of them is known: a line that sets a norm with its
    // value empty ("not known") lends that norm to the computed KPI and does not blank it out.
    const blankedOut = new Set<string>();
    for (const c of await ledgerKpis(w, { municipality: opts.municipality })) {
      const key = `${c.definition.id}|${kpiScopeKey(c.definition)}`;
      const known = entered.get(key);
      if (known === true) continue;
      if (known === false) blankedOut.add(key);
      const own = byKey.get(key);
      const def = own
        ? { ...c.definition, target: own.target, critical: own.critical, direction: own.direction }
        : c.definition;
      paths.push({ ...kpiPath(def, c.values), origin: 'berekend' });
    }
    if (blankedOut.size) {
      const keep = paths.filter(
        (p) => p.origin === 'berekend' || !blankedOut.has(`${p.definition.id}|${kpiScopeKey(p.definition)}`),
      );
      return { municipality: opts.municipality ?? null, paths: keep };
    }
  }
  return { municipality: opts.municipality ?? null, paths };
}

// ---------------------------------------------------------------------------------------------------------
// Aggregate roles (raad, partner): computed KPIs from the protected tables only

/** The KPIs computed from the declarations that rest on client counts or on cells of the cost tables. */
export const restsOnCells = (id: string): boolean =>
  id === 'clienten' ||
  id === 'kosten-per-client' ||
  id === 'clienten-per-1000-jeugdigen' ||
  id.startsWith('verwijzer-');

/**
 * A computed KPI as an aggregate role sees it: from the protected cells of its year (null: hidden with them) —
 * the rounded count, cost per client and per 1,000 youths from that count, a referrer's share of published cells.
 */
export function protectedKpiValue(py: ProtectedYear, id: string, scope: string, youths: number): number | null {
  const total = scope === REGION_SCOPE ? py.region : py.municipality(scope);
  if (id === 'clienten') return total.clients;
  if (id === 'kosten-per-client') {
    const c = perClient(total.amountCents, total.clients);
    return c === null ? null : c / 100;
  }
  if (id === 'clienten-per-1000-jeugdigen') {
    const x = perThousand(total.clients, youths);
    return x === null ? null : round(x, 1);
  }
  if (id.startsWith('verwijzer-')) {
    const t = py.cross('referrer');
    const code = id.slice('verwijzer-'.length);
    if (!t.cols.includes(code)) return null;
    const cell = scope === REGION_SCOPE ? t.colTotal(code) : t.cell(scope, code);
    const share = shareOf(cell.amountCents, total.amountCents);
    return share === null ? null : round(share * 100, 1);
  }
  return null;
}

/** A KPI path as shown: `hidden` lists the periods with a value that is hidden for this viewer. */
export type ShownKpiPath = KpiOverview['paths'][number] & { hidden: ReadonlySet<string> };

/**
 * KPI paths as an aggregate role sees them. A computed KPI resting on cells is recomputed from the protected
 * cells of each year, and its lights and trend from those values (kpiPath again): a light or trend of the exact
 * values would tell what the rounding and the hidden cells keep back (which of two equal rounded counts is
 * larger, whether a hidden share rose). Entered KPIs and the share at the front (budget lines) stay as they are.
 */
export function protectKpiPaths(
  paths: readonly KpiOverview['paths'][number][],
  years: ReadonlyMap<string, ProtectedYear>,
  youthsOf: (scope: string) => number,
): ShownKpiPath[] {
  return paths.map((p) => {
    if (p.origin !== 'berekend' || !restsOnCells(p.definition.id)) return { ...p, hidden: new Set<string>() };
    const scope = kpiScopeKey(p.definition);
    const hidden = new Set<string>();
    const values = p.points.map((pt) => {
      const py = years.get(pt.period);
      const value = py ? protectedKpiValue(py, p.definition.id, scope, youthsOf(scope)) : null;
      if (value === null && pt.value !== null) hidden.add(pt.period);
      return { period: pt.period, value };
    });
    return { ...kpiPath(p.definition, values), origin: p.origin, hidden };
  });
}

/** The production years the computed KPIs resting on cells have points for (the protected years to load). */
export function cellKpiYears(paths: readonly KpiOverview['paths'][number][]): number[] {
  const years = new Set<number>();
  for (const p of paths)
    if (p.origin === 'berekend' && restsOnCells(p.definition.id))
      for (const pt of p.points) if (/^\d{4}$/.test(pt.period)) years.add(Number(pt.period));
  return [...years].sort((a, b) => a - b);
}

// ---------------------------------------------------------------------------------------------------------
// Loading

/** Saves KPI definitions and values, skipping values equal to the latest one stored for their period. */
export async function saveKpis(
  w: Warehouse,
  defs: KpiDefinition[],
  values: KpiValueInput[],
): Promise<{ definitions: number; values: number }> {
  const latest = new Map(
    (await w.kpiValues({ latestOnly: true })).map((v) => [`${v.kpiId}|${v.scope}|${v.period}`, v.value]),
  );
  const fresh = values.filter((v) => {
    const k = `${v.kpiId}|${v.scope}|${v.period}`;
    return !latest.has(k) || latest.get(k) !== v.value;
  });
  await w.saveSteering({ kpiDefinitions: defs, kpiValues: fresh });
  return { definitions: defs.length, values: fresh.length };
}

/** Seed 004 tables 1 and 2 (SJT waiting and throughput times, Alblasserdam and region) as the first KPI data. */
export async function loadSeed004(
  w: Warehouse,
  who: { enteredBy: string; enteredAt?: string },
): Promise<{ definitions: number; values: number }> {
  const at = who.enteredAt ?? new Date().toISOString();
  const series = seed004KpiSeries();
  return saveKpis(
    w,
    series.map((s) => s.definition),
    series.flatMap((s) =>
      s.values.map((v) => ({
        kpiId: s.definition.id,
        scope: kpiScopeKey(s.definition),
        period: v.period,
        value: v.value,
        enteredBy: who.enteredBy,
        enteredAt: at,
      })),
    ),
  );
}

export const KPI_CSV: CsvSpec = {
  required: ['kpi', 'municipality', 'period', 'value'],
  optional: ['name', 'unit', 'direction', 'target', 'critical', 'source', 'formula', 'enteredBy'],
};

export function parseKpiCsv(
  text: string,
  file: string,
  who: { enteredBy: string; enteredAt: string },
  stored: readonly KpiDefinition[] = [],
): { definitions: KpiDefinition[]; values: KpiValueInput[] } {
  const known = new Set(stored.map((d) => `${d.id}|${kpiScopeKey(d)}`));
  const definitions = new Map<string, KpiDefinition>();
  const values: KpiValueInput[] = [];
  for (const r of readCsv(text, file, KPI_CSV)) {
    const id = r.text('kpi');
    if (!/^[a-z0-9][a-z0-9-]*$/.test(id))
      throw r.fail('kpi', `"${id}" is not a KPI id (lower-case letters, digits and -)`);
    const raw = r.raw('municipality');
    const scope = raw.toLowerCase() === REGION_SCOPE ? REGION_SCOPE : r.municipality();
    const period = r.text('period');
    if (!/^\d{4}(-\d{2}(-\d{2})?)?$/.test(period))
      throw r.fail('period', `"${period}" is not a period (YYYY, YYYY-MM or YYYY-MM-DD)`);
    const key = `${id}|${scope}`;
    if (r.raw('name')) {
      const def: KpiDefinition = {
        id,
        name: r.text('name'),
        unit: r.text('unit'),
        direction: r.oneOfValues('direction', ['lower', 'higher'] as const),
        target: r.optNumber('target'),
        critical: r.optNumber('critical'),
        scope: scopeOf(scope),
      };
      if (r.raw('source')) def.source = r.raw('source');
      if (r.raw('formula')) def.formula = r.raw('formula');
      try {
        validateKpiDefinition(def);
      } catch (e) {
        throw new GripError('CSV_VALUE', (e as Error).message, { file, line: r.line });
      }
      definitions.set(key, def);
    } else if (!known.has(key) && !definitions.has(key)) {
      throw r.fail(
        'kpi',
        `KPI "${id}" for ${scope} has no definition; give name, unit and direction on its first line`,
      );
    }
    values.push({
      kpiId: id,
      scope,
      period,
      value: r.optNumber('value'),
      enteredBy: r.optText('enteredBy') ?? who.enteredBy,
      enteredAt: who.enteredAt,
    });
  }
  return { definitions: [...definitions.values()], values };
}

/** Imports a KPI CSV in one transaction. */
export async function importKpiCsv(
  w: Warehouse,
  text: string,
  file: string,
  who: { enteredBy: string; enteredAt?: string },
): Promise<{ definitions: number; values: number }> {
  const parsed = parseKpiCsv(
    text,
    file,
    { enteredBy: who.enteredBy, enteredAt: who.enteredAt ?? new Date().toISOString() },
    await w.kpiDefinitions(),
  );
  if (!parsed.values.length) throw new GripError('CSV_EMPTY', 'the file has no KPI values', { file });
  return saveKpis(w, parsed.definitions, parsed.values);
}
