/**
 * Inputs of the corona revenue-loss check (domain/decisions/corona.ts): validated and rejected revenue
 * per provider × municipality × production month × declaration date, for the year before `year` (the
 * baseline) through `year`. Validated = not rejected in a JW325 (table rejected_lines, as the
 * `toegekend` basis in queries.ts). The declaration date lets the check tell catch-up declarations
 * (declared after the peildatum) from the rest. Portable SQL for DuckDB and PostgreSQL.
 */
import type { CoronaInputRow } from '../../domain/decisions/corona.js';
import { num, str, type Param, type SqlRunner } from './run.js';
import type { CoronaInputQuery } from '../types.js';

export async function coronaInputs(run: SqlRunner, q: CoronaInputQuery): Promise<CoronaInputRow[]> {
  if (!Number.isInteger(q.year)) throw new RangeError(`year must be a whole number, got ${q.year}`);
  const params: Param[] = [`${q.year - 1}-01`, `${q.year}-12`];
  let muni = '';
  if (q.municipalities) {
    muni = q.municipalities.length
      ? ` AND l.municipality IN (${q.municipalities.map((m) => (params.push(m), `$${params.length}`)).join(', ')})`
      : ' AND 1 = 0';
  }
  const rows = await run(
    `SELECT l.provider, l.municipality, l.month, l.declaration_date,
            SUM(CASE WHEN x.file_id IS NULL THEN l.amount_cents ELSE 0 END) AS validated_cents,
            SUM(CASE WHEN x.file_id IS NULL THEN 1 ELSE 0 END) AS validated_lines,
            SUM(CASE WHEN x.file_id IS NULL THEN 0 ELSE l.amount_cents END) AS rejected_cents,
            SUM(CASE WHEN x.file_id IS NULL THEN 0 ELSE 1 END) AS rejected_lines
       FROM declaration_lines l
       LEFT JOIN rejected_lines x ON x.file_id = l.file_id AND x.seq = l.seq
      WHERE l.month >= $1 AND l.month <= $2${muni}
      GROUP BY l.provider, l.municipality, l.month, l.declaration_date
      ORDER BY l.provider, l.municipality, l.month, l.declaration_date`,
    params,
  );
  return rows.map((r) => ({
    provider: str(r.provider),
    municipality: str(r.municipality),
    month: str(r.month),
    declarationDate: str(r.declaration_date),
    validatedCents: num(r.validated_cents),
    validatedLines: num(r.validated_lines),
    rejectedCents: num(r.rejected_cents),
    rejectedLines: num(r.rejected_lines),
  }));
}
