/**
 * Moves a whole warehouse from one engine to another (e.g. DuckDB file → PostgreSQL) and verifies it:
 * the target must be empty; rows are copied table by table in file-id ranges, in one transaction; then the
 * derived tables are rebuilt and the line count and net total of every source file are compared.
 */
import { GripError } from '../../domain/errors.js';
import type { LedgerTable, RawValue, Warehouse } from '../warehouse.js';

const TABLES: LedgerTable[] = [
  'source_files',
  'declaration_lines',
  'declaration_answers',
  'allocations',
  'care_events',
  'requests',
];
const FILES_PER_BATCH = 500;

export interface MigrateReport {
  files: number;
  lines: number;
  amountCents: number;
  mismatches: { id: number; name: string; source: string; target: string }[];
  /** Rows of the steering tables copied (budgets, local provisions, measures, targets, KPIs, tariffs), per table. */
  steering: Record<SteeringTable, number>;
  /** Steering tables whose row count on the target differs from the source. */
  steeringMismatches: { table: SteeringTable; source: number; target: number }[];
}

type SteeringTable =
  | 'budgetEntries'
  | 'localProvisions'
  | 'measures'
  | 'savingsTargets'
  | 'kpiDefinitions'
  | 'kpiValues'
  | 'tariffs'
  | 'providers'
  | 'reservations'
  | 'specialCases'
  | 'statements'
  | 'mappings'
  | 'exportRecords';

async function steeringCounts(w: Warehouse): Promise<Record<SteeringTable, number>> {
  const [b, l, m, t, d, v, c, p, r, s, y, mp, ex] = await Promise.all([
    w.budgetEntries(),
    w.localProvisions(),
    w.measures(),
    w.savingsTargets(),
    w.kpiDefinitions(),
    w.kpiValues(),
    w.tariffs(),
    w.providers(),
    w.reservations(),
    w.markedSpecialCases({ includeRemoved: true }),
    w.statements(),
    w.mappings(),
    w.exportRecords(),
  ]);
  return {
    budgetEntries: b.length,
    localProvisions: l.length,
    measures: m.length,
    savingsTargets: t.length,
    kpiDefinitions: d.length,
    kpiValues: v.length,
    tariffs: c.length,
    providers: p.length,
    reservations: r.length,
    specialCases: s.length,
    statements: y.length,
    mappings: mp.length,
    exportRecords: ex.length,
  };
}

/** Copies the steering tables in one batch, in id order (so "latest value" and history order stay the same). */
async function copySteering(from: Warehouse, to: Warehouse): Promise<void> {
  const [budgets, provisions, measures, targets, defs, values] = await Promise.all([
    from.budgetEntries(),
    from.localProvisions(),
    from.measures(),
    from.savingsTargets(),
    from.kpiDefinitions(),
    from.kpiValues(),
  ]);
  const byId = <T extends { id: number }>(rows: T[]) =>
    [...rows].sort((a, b) => a.id - b.id).map(({ id: _id, ...rest }) => rest);
  const reservations = await from.reservations();
  await to.saveSteering({
    budgetEntries: byId(budgets),
    reservations: byId(reservations),
    localProvisions: byId(provisions),
    measures,
    savingsTargets: targets,
    kpiDefinitions: defs,
    kpiValues: byId(values),
  });
  // Special cases marked by hand, in id order, removed ones stamped again; year-end statements with their entry.
  for (const c of await from.markedSpecialCases({ includeRemoved: true })) {
    const { id: _id, removedBy, removedAt, ...input } = c;
    const id = await to.addSpecialCase(input);
    if (removedBy && removedAt) await to.removeSpecialCase(id, removedBy, removedAt);
  }
  const statements = await from.statements();
  if (statements.length)
    await to.saveStatements(statements, { enteredBy: 'grip migrate', enteredAt: new Date().toISOString() });
  // The contracted tariff list, each row with its own source and entry.
  const tariffs = await from.tariffs();
  if (tariffs.length)
    await to.saveTariffs(tariffs, {
      source: 'grip migrate',
      enteredBy: 'grip migrate',
      enteredAt: new Date().toISOString(),
    });
  // The provider register, each row with its own source and entry.
  const providers = await from.providers();
  if (providers.length)
    await to.saveProviders(providers, {
      source: 'grip migrate',
      enteredBy: 'grip migrate',
      enteredAt: new Date().toISOString(),
    });
  // Column mappings, and the records of imported exports (their files and lines came with the ledger, same ids).
  for (const m of await from.mappings()) await to.saveMapping(m);
  const exportRecords = await from.exportRecords();
  if (exportRecords.length) await to.loadExportRecords(exportRecords);
}

export async function migrateWarehouse(
  from: Warehouse,
  to: Warehouse,
  onProgress?: (done: number, total: number) => void,
): Promise<MigrateReport> {
  const target = await to.status();
  if (target.files.length)
    throw new GripError(
      'TARGET_NOT_EMPTY',
      `the target warehouse ${target.location} already holds files; migrate into an empty one`,
    );
  if (Object.values(await steeringCounts(to)).some((n) => n > 0))
    throw new GripError(
      'TARGET_NOT_EMPTY',
      `the target warehouse ${target.location} already holds budgets, measures, KPIs, tariffs or providers; migrate into an empty one`,
    );
  const totals = await from.fileTotals();
  const maxId = totals.at(-1)?.id ?? 0;
  async function* batches(): AsyncIterable<{ table: LedgerTable; rows: RawValue[][] }> {
    for (let lo = 1; lo <= maxId; lo += FILES_PER_BATCH) {
      const hi = lo + FILES_PER_BATCH - 1;
      for (const table of TABLES) yield { table, rows: await from.rawRows(table, lo, hi) };
      onProgress?.(Math.min(hi, maxId), maxId);
    }
  }
  await to.loadRaw(batches());
  await to.upsertMunicipalities(await from.municipalities());
  await to.setRegionName(await from.regionName());
  await copySteering(from, to);
  await to.refreshDerived();
  const after = new Map((await to.fileTotals()).map((t) => [t.id, t]));
  const mismatches = totals
    .filter((t) => {
      const o = after.get(t.id);
      return !o || o.lines !== t.lines || o.amountCents !== t.amountCents || o.name !== t.name;
    })
    .map((t) => {
      const o = after.get(t.id);
      return {
        id: t.id,
        name: t.name,
        source: `${t.lines} lines, ${t.amountCents} cents`,
        target: o ? `${o.lines} lines, ${o.amountCents} cents` : 'missing',
      };
    });
  const [steering, copied] = await Promise.all([steeringCounts(from), steeringCounts(to)]);
  const steeringMismatches = (Object.keys(steering) as SteeringTable[])
    .filter((k) => steering[k] !== copied[k])
    .map((table) => ({ table, source: steering[table], target: copied[table] }));
  return {
    files: totals.length,
    lines: totals.reduce((s, t) => s + t.lines, 0),
    amountCents: totals.reduce((s, t) => s + t.amountCents, 0),
    mismatches,
    steering,
    steeringMismatches,
  };
}
