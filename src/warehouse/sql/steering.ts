/**
 * Storage of the steering data (issue 7): budget history, local-provision ("voorkant") budget lines, the
 * measures ledger with savings targets, and KPI definitions and values. Portable SQL for DuckDB and
 * PostgreSQL with `$n` parameters; the engine-neutral SqlWarehouse calls these with its runner.
 *
 * Budgets, local provisions and KPI values are append-only: nothing is overwritten; a correction is a new
 * entry (a budget amendment is a signed delta; a later KPI value for the same period supersedes the earlier).
 * Measures, savings targets and KPI definitions are reference data, replaced whole when saved again.
 */
import type { Cents } from '../../domain/money.js';
import { at } from '../../domain/indexing.js';
import type { MeasureOwner, MeasureStatus } from '../../domain/steering/measures.js';
import { REGION_SCOPE, kpiScopeKey, type KpiDefinition, type KpiDirection } from '../../domain/steering/kpi.js';
import { bind, inList, num, str, strOrNull, type Param, type SqlDb, type SqlExec, type SqlRunner } from './run.js';
import type { SteeringRepository } from '../warehouse.js';
import type {
  BudgetEntry,
  BudgetEntryQuery,
  BudgetKind,
  LocalProvisionLine,
  Reservation,
  SteeringBatch,
  StoredKpiValue,
  StoredMeasure,
  StoredSavingsTarget,
} from '../types.js';

const list = (xs: readonly string[] | undefined) => (xs ?? []).join(',');
const unlist = (v: unknown) => str(v).split(',').filter(Boolean);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

async function nextId(run: SqlRunner, table: string): Promise<number> {
  return num(at(await run(`SELECT COALESCE(MAX(id), 0) + 1 AS next FROM ${table}`), 0).next);
}

/** Appends rows to an append-only table, numbering them after its highest id (`id` is the first column). */
async function appendNumbered<E>(
  run: SqlRunner,
  exec: SqlExec,
  table: string,
  rows: readonly E[] | undefined,
  values: (e: E) => Param[],
): Promise<void> {
  if (!rows?.length) return;
  let id = await nextId(run, table);
  for (const e of rows) {
    const row = [id++, ...values(e)];
    await exec(`INSERT INTO ${table} VALUES (${row.map((_, i) => `$${i + 1}`).join(', ')})`, row);
  }
}

/** Writes a batch. Must run inside a transaction (the caller's): all or nothing. */
export async function saveSteering(run: SqlRunner, exec: SqlExec, b: SteeringBatch): Promise<void> {
  await appendNumbered(run, exec, 'budget_entries', b.budgetEntries, (e) => [
    e.municipality,
    e.year,
    e.categoryGroup,
    e.kind,
    e.date,
    e.decisionReference,
    e.amountCents,
    e.description,
    e.enteredBy,
    e.enteredAt,
  ]);
  await appendNumbered(run, exec, 'budget_reservations', b.reservations, (e) => [
    e.municipality,
    e.year,
    e.date,
    e.amountCents,
    e.reference,
    e.description,
    e.enteredBy,
    e.enteredAt,
  ]);
  await appendNumbered(run, exec, 'local_provisions', b.localProvisions, (e) => [
    e.municipality,
    e.year,
    e.provision,
    e.date,
    e.amountCents,
    e.description,
    e.enteredBy,
    e.enteredAt,
  ]);
  for (const m of b.measures ?? []) {
    await exec(`DELETE FROM measure_savings WHERE measure_id = $1`, [m.id]);
    await exec(`DELETE FROM measures WHERE id = $1`, [m.id]);
    const o = m.owner;
    await exec(
      `INSERT INTO measures VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)`,
      [
        m.id,
        m.title,
        m.description,
        o.kind,
        o.kind === 'gemeente' ? o.municipality : null,
        o.kind === 'overig' ? o.name : null,
        m.plan.what,
        m.plan.start,
        m.plan.end ?? null,
        m.status,
        m.oneOffCostsCents,
        m.oneOffYear ?? null,
        m.structuralCostsPerYearCents,
        m.riskPercent,
        list(m.scope.municipalities),
        list(m.scope.categories),
        list(m.scope.products),
        m.scope.provider ?? null,
        m.enteredBy,
        m.updatedAt,
      ],
    );
    for (const [y, c] of Object.entries(m.savingsPerYear))
      await exec(`INSERT INTO measure_savings VALUES ($1, $2, $3)`, [m.id, Number(y), c]);
  }
  for (const t of b.savingsTargets ?? []) {
    const scope = t.municipality ?? REGION_SCOPE;
    await exec(`DELETE FROM savings_targets WHERE scope = $1 AND target_year = $2`, [scope, t.year]);
    await exec(`INSERT INTO savings_targets VALUES ($1, $2, $3, $4, $5, $6)`, [
      scope,
      t.year,
      t.amountCents,
      t.description,
      t.enteredBy,
      t.enteredAt,
    ]);
  }
  for (const d of b.kpiDefinitions ?? []) {
    const scope = kpiScopeKey(d);
    await exec(`DELETE FROM kpi_definitions WHERE id = $1 AND scope = $2`, [d.id, scope]);
    await exec(`INSERT INTO kpi_definitions VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, [
      d.id,
      scope,
      d.name,
      d.formula ?? null,
      d.unit,
      d.direction,
      d.target ?? null,
      d.critical ?? null,
      d.source ?? null,
    ]);
  }
  if (b.kpiValues?.length) {
    let id = await nextId(run, 'kpi_values');
    for (const v of b.kpiValues)
      await exec(`INSERT INTO kpi_values VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
        id++,
        v.kpiId,
        v.scope,
        v.period,
        v.value,
        v.enteredBy,
        v.enteredAt,
      ]);
  }
}

/**
 * The rows of a ledger of dated entries per municipality and budget year (budget entries, reservations, local
 * provisions), filtered by year, date and municipalities, in history order (year, municipality, date, then
 * entry order).
 */
async function ledgerRows(
  run: SqlRunner,
  table: 'budget_entries' | 'budget_reservations' | 'local_provisions',
  q: BudgetEntryQuery,
): Promise<Record<string, unknown>[]> {
  const params: Param[] = [];
  let where = 'WHERE 1 = 1';
  if (q.year !== undefined) where += ` AND budget_year = ${bind(params, q.year)}`;
  if (q.upTo !== undefined) where += ` AND entry_date <= ${bind(params, q.upTo)}`;
  where += inList('municipality', q.municipalities, params);
  return run(`SELECT * FROM ${table} ${where} ORDER BY budget_year, municipality, entry_date, id`, params);
}

/** Budget entries in history order (year, municipality, date, then entry order). */
export async function budgetEntries(run: SqlRunner, q: BudgetEntryQuery = {}): Promise<BudgetEntry[]> {
  return (await ledgerRows(run, 'budget_entries', q)).map((r) => ({
    id: num(r.id),
    municipality: str(r.municipality),
    year: num(r.budget_year),
    categoryGroup: strOrNull(r.category_group),
    kind: str(r.kind) as BudgetKind,
    date: str(r.entry_date),
    decisionReference: strOrNull(r.decision_reference),
    amountCents: num(r.amount_cents),
    description: strOrNull(r.description),
    enteredBy: str(r.entered_by),
    enteredAt: str(r.entered_at),
  }));
}

/** Reservation entries in history order (year, municipality, date, then entry order). */
export async function reservations(run: SqlRunner, q: BudgetEntryQuery = {}): Promise<Reservation[]> {
  return (await ledgerRows(run, 'budget_reservations', q)).map((r) => ({
    id: num(r.id),
    municipality: str(r.municipality),
    year: num(r.budget_year),
    date: str(r.entry_date),
    amountCents: num(r.amount_cents),
    reference: strOrNull(r.reference),
    description: strOrNull(r.description),
    enteredBy: str(r.entered_by),
    enteredAt: str(r.entered_at),
  }));
}

/** Local provision lines in history order (year, municipality, date, then entry order). */
export async function localProvisions(run: SqlRunner, q: BudgetEntryQuery = {}): Promise<LocalProvisionLine[]> {
  return (await ledgerRows(run, 'local_provisions', q)).map((r) => ({
    id: num(r.id),
    municipality: str(r.municipality),
    year: num(r.budget_year),
    provision: str(r.provision),
    date: str(r.entry_date),
    amountCents: num(r.amount_cents),
    description: strOrNull(r.description),
    enteredBy: str(r.entered_by),
    enteredAt: str(r.entered_at),
  }));
}

function toOwner(r: Record<string, unknown>): MeasureOwner {
  const kind = str(r.owner_kind);
  if (kind === 'gemeente') return { kind, municipality: str(r.owner_municipality) };
  if (kind === 'SOJ' || kind === 'SJT') return { kind };
  return { kind: 'overig', name: str(r.owner_name) };
}

export async function measures(run: SqlRunner, q: { ids?: string[] } = {}): Promise<StoredMeasure[]> {
  const params: Param[] = [];
  const where = `WHERE 1 = 1${inList('id', q.ids, params)}`;
  const rows = await run(`SELECT * FROM measures ${where} ORDER BY id`, params);
  const savings = await run(
    `SELECT measure_id, savings_year, amount_cents FROM measure_savings ORDER BY measure_id, savings_year`,
  );
  const byMeasure = new Map<string, Record<number, Cents>>();
  for (const s of savings) {
    const m = byMeasure.get(str(s.measure_id)) ?? {};
    m[num(s.savings_year)] = num(s.amount_cents);
    byMeasure.set(str(s.measure_id), m);
  }
  return rows.map((r) => {
    const m: StoredMeasure = {
      id: str(r.id),
      title: str(r.title),
      description: str(r.description),
      owner: toOwner(r),
      plan: { what: str(r.plan_what), start: str(r.plan_start), end: strOrNull(r.plan_end) },
      status: str(r.status) as MeasureStatus,
      savingsPerYear: byMeasure.get(str(r.id)) ?? {},
      oneOffCostsCents: num(r.one_off_costs_cents),
      structuralCostsPerYearCents: num(r.structural_costs_cents),
      riskPercent: Number(r.risk_percent),
      scope: {
        municipalities: unlist(r.scope_municipalities),
        categories: unlist(r.scope_categories),
        products: unlist(r.scope_products),
        provider: strOrNull(r.scope_provider),
      },
      enteredBy: str(r.entered_by),
      updatedAt: str(r.updated_at),
    };
    if (r.one_off_year !== null && r.one_off_year !== undefined) m.oneOffYear = num(r.one_off_year);
    return m;
  });
}

export async function savingsTargets(run: SqlRunner, q: { year?: number } = {}): Promise<StoredSavingsTarget[]> {
  const params: Param[] = [];
  const where = q.year !== undefined ? `WHERE target_year = ${bind(params, q.year)}` : '';
  const rows = await run(`SELECT * FROM savings_targets ${where} ORDER BY target_year, scope`, params);
  return rows.map((r) => ({
    municipality: str(r.scope) === REGION_SCOPE ? null : str(r.scope),
    year: num(r.target_year),
    amountCents: num(r.amount_cents),
    description: strOrNull(r.description),
    enteredBy: str(r.entered_by),
    enteredAt: str(r.entered_at),
  }));
}

export async function kpiDefinitions(run: SqlRunner): Promise<KpiDefinition[]> {
  const rows = await run(`SELECT * FROM kpi_definitions ORDER BY id, scope`);
  return rows.map((r) => {
    const d: KpiDefinition = {
      id: str(r.id),
      name: str(r.name),
      unit: str(r.unit),
      direction: str(r.direction) as KpiDirection,
      target: numOrNull(r.target),
      critical: numOrNull(r.critical),
      scope: str(r.scope) === REGION_SCOPE ? { kind: 'region' } : { kind: 'municipality', municipality: str(r.scope) },
    };
    if (r.formula !== null && r.formula !== undefined) d.formula = str(r.formula);
    if (r.source !== null && r.source !== undefined) d.source = str(r.source);
    return d;
  });
}

/**
 * KPI values in entry order. With `latestOnly`, only the latest entry per KPI, scope and period (an entry
 * made later supersedes an earlier one; history stays in the table).
 */
export async function kpiValues(
  run: SqlRunner,
  q: { kpiId?: string; scopes?: string[]; latestOnly?: boolean } = {},
): Promise<StoredKpiValue[]> {
  const params: Param[] = [];
  let where = 'WHERE 1 = 1';
  if (q.kpiId !== undefined) where += ` AND kpi_id = ${bind(params, q.kpiId)}`;
  where += inList('scope', q.scopes, params);
  const sql = q.latestOnly
    ? `SELECT * FROM (SELECT v.*, ROW_NUMBER() OVER (PARTITION BY kpi_id, scope, period ORDER BY id DESC) AS rk FROM kpi_values v ${where}) x
        WHERE x.rk = 1 ORDER BY kpi_id, scope, period`
    : `SELECT * FROM kpi_values ${where} ORDER BY id`;
  const rows = await run(sql, params);
  return rows.map((r) => ({
    id: num(r.id),
    kpiId: str(r.kpi_id),
    scope: str(r.scope),
    period: str(r.period),
    value: numOrNull(r.value),
    enteredBy: str(r.entered_by),
    enteredAt: str(r.entered_at),
  }));
}

/** The steering repository on an engine's connection. */
export function steeringRepository(db: SqlDb): SteeringRepository {
  return {
    saveSteering: (b) => db.transaction(() => saveSteering(db.all, db.exec, b)),
    budgetEntries: (q) => budgetEntries(db.all, q),
    reservations: (q) => reservations(db.all, q),
    localProvisions: (q) => localProvisions(db.all, q),
    measures: (q) => measures(db.all, q),
    savingsTargets: (q) => savingsTargets(db.all, q),
    kpiDefinitions: () => kpiDefinitions(db.all),
    kpiValues: (q) => kpiValues(db.all, q),
  };
}
