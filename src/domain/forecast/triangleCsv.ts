/** `grip triangle`: a long-form CSV (origin,development,value) → chain ladder + Mack. */
import { parse } from 'csv-parse/sync';
import { GripError } from '../errors.js';
import { chainLadder, triangleFromLong, type ChainLadderResult } from './chainLadder.js';

export function parseTriangleCsv(text: string, cumulative: boolean, file = 'triangle.csv'): ChainLadderResult {
  let rows: Record<string, string>[];
  try {
    rows = parse(text, { columns: true, trim: true, skip_empty_lines: true, bom: true }) as Record<string, string>[];
  } catch (e) {
    throw new GripError('CSV_MALFORMED', `not valid CSV: ${(e as Error).message}`, { file });
  }
  const cells = rows.map((r, i) => {
    const line = i + 2;
    if (!('origin' in r) || !('development' in r) || !('value' in r))
      throw new GripError('CSV_HEADER', 'header must be origin,development,value', { file, line: 1 });
    const development = Number(r.development);
    const value = Number(r.value);
    if (!Number.isInteger(development) || development < 0)
      throw new GripError('CSV_VALUE', `development "${r.development}" is not a whole number ≥ 0`, { file, line });
    if (!Number.isFinite(value)) throw new GripError('CSV_VALUE', `value "${r.value}" is not a number`, { file, line });
    return { origin: r.origin, development, value };
  });
  if (!cells.length) throw new GripError('CSV_EMPTY', 'no cells', { file });
  const { origins, triangle } = triangleFromLong(cells, cumulative);
  return chainLadder(triangle, origins);
}
