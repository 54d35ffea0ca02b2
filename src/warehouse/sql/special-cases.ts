/**
 * Storage of the special cases marked by hand (bijzondere casussen): a client (pseudonym), a family (family key)
 * or an allocation (number, optionally with its provider) of one municipality, with a reason and a period of
 * production months. Portable SQL for DuckDB and PostgreSQL. Nothing is deleted: removal stamps the row.
 */
import { num, str, strOrNull, type Param, type SqlDb, type SqlExec, type SqlRunner } from './run.js';
import type { SpecialCaseRepository } from '../warehouse.js';
import type {
  MarkedCaseCost,
  MarkedSpecialCase,
  SpecialCaseInput,
  SpecialCaseKind,
  SpecialCaseQuery,
} from '../types.js';

/** Adds a case; returns its id. Must run inside the caller's transaction. */
export async function addSpecialCase(run: SqlRunner, exec: SqlExec, c: SpecialCaseInput): Promise<number> {
  const id = num((await run(`SELECT COALESCE(MAX(id), 0) + 1 AS next FROM special_cases`))[0]?.next);
  await exec(`INSERT INTO special_cases VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL, NULL)`, [
    id,
    c.municipality,
    c.kind,
    c.subject,
    c.provider,
    c.reason,
    c.from,
    c.to,
    c.enteredBy,
    c.enteredAt,
  ]);
  return id;
}

/** Stamps a case as removed; false when there is no active case with this id (in these municipalities). */
export async function removeSpecialCase(
  run: SqlRunner,
  exec: SqlExec,
  id: number,
  by: string,
  at: string,
  municipalities?: string[],
): Promise<boolean> {
  const params: Param[] = [id];
  const muni = municipalities
    ? ` AND municipality IN (${municipalities.map((m) => (params.push(m), `$${params.length}`)).join(', ') || 'NULL'})`
    : '';
  const hit = await run(`SELECT id FROM special_cases WHERE id = $1 AND removed_at IS NULL${muni}`, params);
  if (!hit.length) return false;
  await exec(`UPDATE special_cases SET removed_by = $2, removed_at = $3 WHERE id = $1`, [id, by, at]);
  return true;
}

export async function specialCases(run: SqlRunner, q: SpecialCaseQuery = {}): Promise<MarkedSpecialCase[]> {
  const params: Param[] = [];
  let where = q.includeRemoved ? 'WHERE 1 = 1' : 'WHERE removed_at IS NULL';
  if (q.municipalities)
    where += q.municipalities.length
      ? ` AND municipality IN (${q.municipalities.map((m) => (params.push(m), `$${params.length}`)).join(', ')})`
      : ' AND 1 = 0';
  const rows = await run(`SELECT * FROM special_cases ${where} ORDER BY municipality, id`, params);
  return rows.map((r) => ({
    id: num(r.id),
    municipality: str(r.municipality),
    kind: str(r.kind) as SpecialCaseKind,
    subject: str(r.subject),
    provider: strOrNull(r.provider),
    reason: str(r.reason),
    from: str(r.period_from),
    to: strOrNull(r.period_to),
    enteredBy: str(r.entered_by),
    enteredAt: str(r.entered_at),
    removedBy: strOrNull(r.removed_by),
    removedAt: strOrNull(r.removed_at),
  }));
}

export async function markedCaseCosts(
  run: SqlRunner,
  q: { municipalities?: string[]; asOf?: string; after?: string } = {},
): Promise<MarkedCaseCost[]> {
  const params: Param[] = [];
  const b = (v: string) => (params.push(v), `$${params.length}`);
  const asOf = q.asOf ? ` AND l.declaration_date <= ${b(q.asOf)}` : '';
  const after = q.after ? b(q.after) : null;
  const muni = q.municipalities
    ? q.municipalities.length
      ? ` AND sc.municipality IN (${q.municipalities.map(b).join(', ')})`
      : ' AND 1 = 0'
    : '';
  const rows = await run(
    `WITH fam AS (
       SELECT client, MAX(family) AS family FROM (
         SELECT client, family FROM allocations WHERE family IS NOT NULL AND family <> ''
         UNION ALL
         SELECT client, family FROM declaration_lines WHERE family IS NOT NULL AND family <> '') f
        GROUP BY client)
     SELECT sc.id, SUM(l.amount_cents) AS amount_cents,
            SUM(CASE WHEN ${after ? `l.declaration_date > ${after}` : '1 = 1'} THEN l.amount_cents ELSE 0 END) AS new_cents,
            COUNT(DISTINCT l.client) AS clients
       FROM special_cases sc
       JOIN declaration_lines l ON sc.municipality = l.municipality
        AND l.month >= sc.period_from AND (sc.period_to IS NULL OR l.month <= sc.period_to)
       LEFT JOIN fam mf ON mf.client = l.client
      WHERE sc.removed_at IS NULL${muni}${asOf}
        AND ((sc.kind = 'client' AND sc.subject = l.client)
          OR (sc.kind = 'allocation' AND sc.subject = l.allocation_number AND (sc.provider IS NULL OR sc.provider = l.provider))
          OR (sc.kind = 'family' AND (sc.subject = l.family OR sc.subject = mf.family)))
      GROUP BY sc.id ORDER BY sc.id`,
    params,
  );
  return rows.map((r) => ({
    id: num(r.id),
    amountCents: num(r.amount_cents),
    newCents: num(r.new_cents),
    clients: num(r.clients),
  }));
}

/** Hand-marked special cases on an engine's connection. They change what the forecast shows apart: a change bumps the data version. */
export function specialCaseRepository(db: SqlDb): SpecialCaseRepository {
  const bump = () => db.exec(`UPDATE data_version SET version = version + 1`);
  return {
    addSpecialCase: (c) =>
      db.transaction(async () => {
        const id = await addSpecialCase(db.all, db.exec, c);
        await bump();
        return id;
      }),
    removeSpecialCase: (id, by, at, municipalities) =>
      db.transaction(async () => {
        const ok = await removeSpecialCase(db.all, db.exec, id, by, at, municipalities);
        if (ok) await bump();
        return ok;
      }),
    markedSpecialCases: (q) => specialCases(db.all, q),
    markedCaseCosts: (q) => markedCaseCosts(db.all, q),
  };
}
