/**
 * Reading checked values out of an iJw element's leaves: required elements, dates, amounts, codes, the
 * client's pseudonym and the municipality. Every failure is a GripError naming file, line and element, so
 * the importer rejects the whole file with a message a person can act on.
 */
import { GripError } from '../../domain/errors.js';
import { isIsoDate } from '../../domain/month.js';
import { parseCents } from '../../domain/money.js';
import { cbsMunicipality, isKnownCategory, isKnownUnit, normaliseMunicipalityCode } from '../../domain/codes/index.js';
import type { Pseudonymiser } from '../pseudonymise.js';

/**
 * Leaf values of one element, keyed by local name, and by `Parent/Name` for leaves of QUALIFIED_PARENTS.
 * Reused from element to element: `clear` forgets the values but keeps a slot per key (the next element of
 * the kind has the same leaves), so reading an element allocates nothing once its keys are known.
 */
export class Fields {
  private slots = new Map<string, { generation: number; value: string }>();
  private generation = 1;

  get(key: string): string | undefined {
    const slot = this.slots.get(key);
    return slot !== undefined && slot.generation === this.generation ? slot.value : undefined;
  }

  set(key: string, value: string): void {
    const slot = this.slots.get(key);
    if (slot === undefined) this.slots.set(key, { generation: this.generation, value });
    else {
      slot.generation = this.generation;
      slot.value = value;
    }
  }

  clear(): void {
    this.generation++;
    // Ever new keys (a file of made-up element names, read without the XSD) must not pile up.
    if (this.slots.size > MAX_FIELD_SLOTS) this.slots = new Map();
  }
}
const MAX_FIELD_SLOTS = 1024;

/**
 * The parents whose leaves are also kept as `Parent/Name` (the builders read these keys; fields.test.ts
 * fails when a builder reads a `Parent/Name` whose parent is not here). Other leaves are kept under their
 * local name only: one Map entry per leaf instead of two.
 */
export const QUALIFIED_PARENTS: ReadonlySet<string> = new Set([
  'DeclaratiePeriode',
  'Geboortedatum',
  'Omvang',
  'Product',
  'ProductPeriode',
  'Verwijzer',
]);

/** The file being read and how its BSNs become pseudonyms. */
export interface Ctx {
  file: string;
  pseudonymise: Pseudonymiser;
}

export function err(ctx: Ctx, line: number, element: string, code: string, message: string): GripError {
  return new GripError(code, message, { file: ctx.file, line, element });
}

export function req(ctx: Ctx, f: Fields, key: string, line: number): string {
  const v = f.get(key);
  if (v === undefined || v === '') throw err(ctx, line, key, 'ELEMENT_MISSING', `required element ${key} is missing`);
  return v;
}

export function date(ctx: Ctx, f: Fields, key: string, line: number, optional: true): string | null;
export function date(ctx: Ctx, f: Fields, key: string, line: number, optional?: false): string;
export function date(ctx: Ctx, f: Fields, key: string, line: number, optional = false): string | null {
  const v = f.get(key);
  if (v === undefined || v === '') {
    if (optional) return null;
    throw err(ctx, line, key, 'ELEMENT_MISSING', `required date ${key} is missing`);
  }
  if (!isIsoDate(v)) throw err(ctx, line, key, 'DATE_INVALID', `"${v}" is not a valid date`);
  return v;
}

export function cents(ctx: Ctx, f: Fields, key: string, line: number): number {
  try {
    return parseCents(req(ctx, f, key, line), key);
  } catch (e) {
    if (e instanceof GripError) throw e;
    throw err(ctx, line, key, 'AMOUNT_INVALID', (e as Error).message);
  }
}

export function debitCredit(ctx: Ctx, f: Fields, key: string, line: number): 'D' | 'C' {
  const v = req(ctx, f, key, line);
  if (v !== 'D' && v !== 'C') throw err(ctx, line, key, 'CODE_UNKNOWN', `DebetCredit "${v}" is not in COD043 (D or C)`);
  return v;
}

export function category(ctx: Ctx, v: string | undefined, line: number, element: string, optional: true): string | null;
export function category(ctx: Ctx, v: string | undefined, line: number, element: string, optional?: false): string;
export function category(
  ctx: Ctx,
  v: string | undefined,
  line: number,
  element: string,
  optional = false,
): string | null {
  if (v === undefined || v === '') {
    if (optional) return null;
    throw err(ctx, line, element, 'ELEMENT_MISSING', `required element ${element} is missing`);
  }
  if (!isKnownCategory(v)) throw err(ctx, line, element, 'CODE_UNKNOWN', `product category "${v}" is not in JZ020`);
  return v;
}

export function unit(ctx: Ctx, v: string | undefined, line: number, element: string): string {
  if (!v) throw err(ctx, line, element, 'ELEMENT_MISSING', `required element ${element} is missing`);
  if (!isKnownUnit(v)) throw err(ctx, line, element, 'CODE_UNKNOWN', `unit "${v}" is not in WJ756`);
  return v;
}

export function client(ctx: Ctx, bsn: string | undefined, line: number): string {
  if (!bsn) throw err(ctx, line, 'Bsn', 'ELEMENT_MISSING', 'required element Bsn is missing');
  try {
    return ctx.pseudonymise(bsn);
  } catch (e) {
    throw err(ctx, line, 'Bsn', 'BSN_INVALID', (e as Error).message);
  }
}

export function municipality(ctx: Ctx, v: string, line: number, element: string): string {
  const code = /^\d{4}$/.test(v) ? normaliseMunicipalityCode(v) : null;
  if (!code) throw err(ctx, line, element, 'MUNICIPALITY_INVALID', `"${v}" is not a 4-digit CBS municipality code`);
  if (!cbsMunicipality(code))
    throw err(ctx, line, element, 'MUNICIPALITY_UNKNOWN', `"${v}" is not a municipality in the CBS list`);
  return code;
}
