/**
 * The contracted tariff list (`grip tariffs`): what the region agreed to pay per unit, read from CSV and
 * written back as CSV. The data-quality check "tariff" compares declaration lines with it
 * (domain/insight/quality.ts).
 *
 * CSV (UTF-8, comma or semicolon, one header line):
 *   provider,productCategory,productCode,unit,tariffCents,validFrom,validTo
 *   *,45,45A03,04,8500,2025-01-01,2025-12-31
 *   12345678,45,,04,9000,2025-01-01,
 * - provider: AGB code (8 digits), or `*` for every provider without a tariff of its own
 * - productCategory: JZ020; productCode: empty = the whole category; unit: WJ756 (the unit the tariff is per)
 * - tariffCents: whole eurocents per unit, more than 0 (or tariffEuros: euros with at most two decimals)
 * - validFrom, validTo: YYYY-MM-DD; validTo empty = open-ended
 * - optional: source (default: the file name), enteredBy; enteredAt is ignored on import (export writes it)
 * A row with the same provider, category, product and validFrom as a stored one replaces it; the same key
 * twice in one file is refused. The whole file is imported or nothing.
 */
import { basename } from 'node:path';
import { isKnownCategory, isKnownUnit } from '../domain/codes/index.js';
import { GripError } from '../domain/errors.js';
import { ANY_PROVIDER, type ContractedTariff, type StoredTariff, type TariffQuery } from '../warehouse/types.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { readCsv, writeCsv, type CsvRecord, type CsvSpec } from './csv.js';

export { ANY_PROVIDER };
export type { ContractedTariff, StoredTariff };

/** The columns of the tariff list, in the order Grip writes them. */
export const TARIFF_CSV_COLUMNS = [
  'provider',
  'productCategory',
  'productCode',
  'unit',
  'tariffCents',
  'validFrom',
  'validTo',
] as const;

export const TARIFF_CSV: CsvSpec = {
  required: ['provider', 'productCategory', 'unit', 'validFrom'],
  optional: ['productCode', 'validTo', 'source', 'enteredBy', 'enteredAt'],
  oneOf: [['tariffCents', 'tariffEuros']],
};

function tariffRow(r: CsvRecord): ContractedTariff & { source: string | null; enteredBy: string | null } {
  const provider = r.raw('provider');
  if (provider !== ANY_PROVIDER && !/^\d{8}$/.test(provider))
    throw r.fail('provider', `"${provider}" is not an AGB code (8 digits) or * (every provider)`);
  const category = r.raw('productCategory');
  if (!isKnownCategory(category)) throw r.fail('productCategory', `"${category}" is not a product category in JZ020`);
  const productCode = r.optText('productCode');
  if (productCode !== null && !/^[0-9A-Za-z]{5}$/.test(productCode))
    throw r.fail(
      'productCode',
      `"${productCode}" is not a product code (5 letters or digits; empty = the whole category)`,
    );
  const unit = r.raw('unit');
  if (!isKnownUnit(unit)) throw r.fail('unit', `"${unit}" is not a unit in WJ756`);
  const tariffCents = r.amount('tariff');
  if (tariffCents <= 0)
    throw r.fail(r.has('tariffCents') ? 'tariffCents' : 'tariffEuros', `${tariffCents} must be more than 0`);
  const validFrom = r.date('validFrom');
  const validTo = r.raw('validTo') ? r.date('validTo') : null;
  if (validTo !== null && validTo < validFrom) throw r.fail('validTo', `${validTo} lies before validFrom ${validFrom}`);
  return {
    provider,
    category,
    productCode,
    unit,
    tariffCents,
    validFrom,
    validTo,
    source: r.optText('source'),
    enteredBy: r.optText('enteredBy'),
  };
}

/** Parses a tariff list; throws a GripError naming file, line and column at the first bad value. */
export function parseTariffCsv(
  text: string,
  file: string,
): (ContractedTariff & { source: string | null; enteredBy: string | null })[] {
  const seen = new Map<string, number>();
  return readCsv(text, file, TARIFF_CSV).map((r) => {
    const t = tariffRow(r);
    const key = [t.provider, t.category, t.productCode ?? '', t.validFrom].join('|');
    const first = seen.get(key);
    if (first !== undefined)
      throw r.fail('validFrom', `the same provider, category, product and validFrom as line ${first}`);
    seen.set(key, r.line);
    return t;
  });
}

/** Reads a tariff list and stores it (all or nothing); returns the number of rows. */
export async function importTariffCsv(
  w: Warehouse,
  text: string,
  file: string,
  who: { enteredBy: string; enteredAt?: string },
): Promise<number> {
  const rows = parseTariffCsv(text, file);
  if (!rows.length) throw new GripError('CSV_EMPTY', 'the file has no tariff lines', { file });
  const source = basename(file);
  await w.saveTariffs(
    rows.map(({ source: s, enteredBy, ...t }) => ({
      ...t,
      ...(s ? { source: s } : {}),
      ...(enteredBy ? { enteredBy } : {}),
    })),
    { source, enteredBy: who.enteredBy, enteredAt: who.enteredAt ?? new Date().toISOString() },
  );
  return rows.length;
}

/** The stored tariff list as CSV (tariffs in cents); `grip tariffs import` reads it back. */
export async function tariffsCsv(w: Warehouse, q: TariffQuery = {}): Promise<string> {
  const rows = await w.tariffs(q);
  return writeCsv(
    [...TARIFF_CSV_COLUMNS, 'source', 'enteredBy', 'enteredAt'],
    rows.map((t) => [
      t.provider,
      t.category,
      t.productCode,
      t.unit,
      t.tariffCents,
      t.validFrom,
      t.validTo,
      t.source,
      t.enteredBy,
      t.enteredAt,
    ]),
  );
}
