/**
 * A column mapping: how one case system's export (Suite4SociaalDomein, iSD, Stipter, …) maps onto Grip's
 * declaration-line fields. Stored as JSON (`grip mapping save`), validated with zod on every read.
 *
 * Every field takes its value from a column of the export, from a constant (`value`), or — for the
 * municipality — from the name of the worksheet (`sheet: true`, for workbooks with one sheet per municipality).
 */
import { z } from 'zod';

export const DATE_FORMATS = ['dd-mm-jjjj', 'jjjj-mm-dd', 'excel'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

/** How a municipality is written in the export: its name, its CBS code (`482`, `0482`) or its GM code (`GM0482`). */
export const MUNICIPALITY_FORMS = ['naam', 'cbs', 'gm'] as const;
export type MunicipalityForm = (typeof MUNICIPALITY_FORMS)[number];

/** A BSN (validated with the 11-proef), or a client id the case system already pseudonymised. */
export const CLIENT_FORMS = ['bsn', 'pseudoniem'] as const;
export type ClientForm = (typeof CLIENT_FORMS)[number];

const columnName = z.string().trim().min(1).max(200);

/** Where a value comes from: a column, or a constant. */
const source = z.union([z.object({ column: columnName }).strict(), z.object({ value: z.string().max(200) }).strict()]);

const dateField = z.union([
  z.object({ column: columnName, format: z.enum(DATE_FORMATS) }).strict(),
  z.object({ value: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }).strict(),
]);

/** Decimal separator of amounts written as text; the other one (and spaces) may group thousands. */
const decimal = z.enum([',', '.']);

export const MappingSchema = z
  .object({
    /** The mapping's name (`--mapping NAME`): letters, digits, `-` and `_`. */
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'een naam van letters, cijfers, - en _ (hoogstens 64 tekens)'),
    /**
     * The source the export comes from (e.g. "Suite4 Dordrecht"): an export replaces the overlapping period of
     * earlier exports from the same source. Default: the mapping's name.
     */
    source: z.string().trim().min(1).max(100).optional(),
    description: z.string().max(500).optional(),
    /** CSV only: the field delimiter (default: the most frequent of `;` and `,` in the header line). */
    delimiter: z.enum([';', ',', '\t']).optional(),
    /** XLSX only: the sheets to read (default: every sheet). */
    sheets: z.array(z.string().min(1)).min(1).optional(),
    /** The row holding the column names (default 1); data starts on the next row. */
    headerRow: z.number().int().min(1).max(100).optional(),
    fields: z
      .object({
        municipality: z.union([
          z.object({ column: columnName, as: z.enum(MUNICIPALITY_FORMS) }).strict(),
          z.object({ sheet: z.literal(true), as: z.enum(MUNICIPALITY_FORMS) }).strict(),
          z.object({ value: z.string().min(1) }).strict(),
        ]),
        /** AGB code of the provider. */
        provider: source,
        client: z.object({ column: columnName, as: z.enum(CLIENT_FORMS) }).strict(),
        /** Invoice or declaration number; without it every row is its own declaration (`sheet:row`). */
        declarationNumber: source.optional(),
        declarationDate: dateField,
        periodStart: dateField,
        /** Default: the last day of periodStart's month. */
        periodEnd: dateField.optional(),
        /** JZ020 product category; may be left out when the product code carries it (`45A03`). */
        category: source.optional(),
        /** `withCategory`: the code carries the category (`45A03`); else the category column is put before it (`A03`). */
        productCode: z.object({ column: columnName, withCategory: z.boolean() }).strict().optional(),
        /** Delivered volume, a whole number (default 1 when left out). */
        volume: source.optional(),
        /** WJ756 unit. */
        unit: source,
        tariff: z.object({ column: columnName, decimal }).strict().optional(),
        amount: z.object({ column: columnName, decimal }).strict(),
        /** Credit as the amount's sign, or as a column holding D/C (Debet/Credit). */
        credit: z.union([
          z.object({ sign: z.literal(true) }).strict(),
          z
            .object({
              column: columnName,
              debit: z.array(z.string().min(1)).min(1).default(['D', 'Debet']),
              credit: z.array(z.string().min(1)).min(1).default(['C', 'Credit']),
            })
            .strict(),
        ]),
        referrer: source.optional(),
        allocationNumber: source.optional(),
        family: source.optional(),
      })
      .strict(),
  })
  .strict();

export type Mapping = z.infer<typeof MappingSchema>;
export type MappingInput = z.input<typeof MappingSchema>;
export type MappingFields = Mapping['fields'];

/** The source an export is counted under: the mapping's `source`, else its name. */
export const mappingSource = (m: Mapping): string => m.source ?? m.name;

/** Every column a mapping reads (for checking a header). */
export function mappedColumns(m: Mapping): string[] {
  const cols = new Set<string>();
  for (const f of Object.values(m.fields)) {
    if (typeof f === 'object' && 'column' in f && typeof f.column === 'string') cols.add(f.column);
  }
  return [...cols];
}

/**
 * Parses a mapping (JSON text or an object); a problem is described in Dutch, one line per issue, naming
 * the path in the mapping (`fields.amount.decimal: …`).
 */
export function parseMapping(input: unknown): { ok: true; mapping: Mapping } | { ok: false; problems: string[] } {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (e) {
      return { ok: false, problems: [`geen geldige JSON: ${(e as Error).message}`] };
    }
  }
  const r = MappingSchema.safeParse(value);
  if (r.success) return { ok: true, mapping: r.data };
  return { ok: false, problems: r.error.issues.map((i) => `${i.path.join('.') || '(mapping)'}: ${i.message}`) };
}
