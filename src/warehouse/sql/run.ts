/**
 * What every SQL module needs from its engine: a runner for reads, one for writes, a transaction, and the
 * conversions of returned values (engines return BIGINT as bigint, NULL as null). The repositories in sql/
 * are built on an `SqlDb`; the engines (duckdb/, postgres/) provide it.
 */
export type Param = string | number | boolean | null;
/** Runs one read query; given to the query modules in sql/ so their SQL stays inside warehouse/. */
export type SqlRunner = (sql: string, params?: Param[]) => Promise<Record<string, unknown>[]>;
/** Runs one statement that returns nothing. */
export type SqlExec = (sql: string, params?: Param[]) => Promise<void>;

/** An engine's connection as the repositories see it. */
export interface SqlDb {
  all: SqlRunner;
  exec: SqlExec;
  /** Runs `fn` in one transaction: all of it or nothing. */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
}

export const num = (v: unknown): number =>
  v === null || v === undefined ? 0 : typeof v === 'bigint' ? Number(v) : Number(v);
// A column value (text, a date, a number) as the string the record holds.
// eslint-disable-next-line @typescript-eslint/no-base-to-string
export const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
// eslint-disable-next-line @typescript-eslint/no-base-to-string
export const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** Adds a parameter and returns its placeholder (`$n`). */
export const bind = (params: Param[], v: Param): string => (params.push(v), `$${params.length}`);

/** ` AND col IN (…)`, ` AND 1 = 0` for an empty list, '' for no filter. */
export function inList(col: string, values: readonly string[] | undefined, params: Param[]): string {
  if (values === undefined) return '';
  if (values.length === 0) return ' AND 1 = 0';
  return ` AND ${col} IN (${values.map((v) => bind(params, v)).join(', ')})`;
}
