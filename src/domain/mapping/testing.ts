/** Test helpers for mappings: a checked mapping from plain JSON, and the Suite4-like layout the tests share. */
import { parseMapping, type Mapping } from './schema.js';

/** Parses a mapping, throwing with its problems when it is not valid. */
export function testMapping(m: unknown): Mapping {
  const r = parseMapping(m);
  if (!r.ok) throw new Error(r.problems.join('; '));
  return r.mapping;
}

/** A Suite4-like export: `;`-separated, dd-mm-jjjj dates, euro amounts with a decimal comma, credit as a sign. */
export function suite4TestMapping(source: string): Mapping {
  return testMapping({
    name: 'suite4',
    source,
    delimiter: ';',
    fields: {
      municipality: { column: 'Gemeente', as: 'naam' },
      provider: { column: 'AGB-code' },
      client: { column: 'BSN', as: 'bsn' },
      declarationNumber: { column: 'Factuurnummer' },
      declarationDate: { column: 'Factuurdatum', format: 'dd-mm-jjjj' },
      periodStart: { column: 'Begindatum', format: 'dd-mm-jjjj' },
      periodEnd: { column: 'Einddatum', format: 'dd-mm-jjjj' },
      productCode: { column: 'Productcode', withCategory: true },
      volume: { column: 'Aantal' },
      unit: { column: 'Eenheid' },
      tariff: { column: 'Tarief', decimal: ',' },
      amount: { column: 'Bedrag', decimal: ',' },
      credit: { sign: true },
    },
  });
}
