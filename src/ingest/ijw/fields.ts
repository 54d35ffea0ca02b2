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
 * A key some reader looks up in an element's leaves: a local name (`Bedrag`) or `Parent/Name`
 * (`ProductPeriode/Begindatum`), numbered once per thread. Readers make their keys when their module loads
 * (fieldKey), before any file is read; a leaf whose key no reader made is not kept at all (readIjwFile asks
 * knownFieldKey), so a file of ever new names stores nothing and grows nothing.
 */
export interface FieldKey {
  readonly id: number;
  readonly name: string;
}
const FIELD_KEYS = new Map<string, FieldKey>();

/** The key of `name`, made on first use (at module load: every key a reader looks up). */
export function fieldKey(name: string): FieldKey {
  let k = FIELD_KEYS.get(name);
  if (k === undefined) FIELD_KEYS.set(name, (k = { id: FIELD_KEYS.size, name }));
  return k;
}

/** The key of `name` when some reader looks it up, else undefined (then its leaf need not be kept). */
export function knownFieldKey(name: string): FieldKey | undefined {
  return FIELD_KEYS.get(name);
}

/**
 * Leaf values of one element by FieldKey. Reused from element to element: `clear` forgets the values by
 * moving on a generation (a value counts only when written in the current one), so reading an element
 * allocates nothing.
 */
export class Fields {
  // A slot per key made so far, at once: reading an element then never grows them.
  private values: (string | undefined)[] = new Array<string | undefined>(FIELD_KEYS.size).fill(undefined);
  private generations: number[] = new Array<number>(FIELD_KEYS.size).fill(0);
  private generation = 1;

  get(key: FieldKey): string | undefined {
    const id = key.id;
    return this.generations[id] === this.generation ? this.values[id] : undefined;
  }

  /** Sets the leaf of the key numbered `id` (readIjwFile keeps the numbers, not the keys, per path). */
  setId(id: number, value: string): void {
    if (id >= this.values.length) this.grow(id + 1);
    this.values[id] = value;
    this.generations[id] = this.generation;
  }

  clear(): void {
    this.generation++;
  }

  /** Room for `n` keys (a key made after this record). */
  private grow(n: number): void {
    while (this.values.length < n) {
      this.values.push(undefined);
      this.generations.push(0);
    }
  }
}

/** The file being read and how its BSNs become pseudonyms. */
export interface Ctx {
  file: string;
  pseudonymise: Pseudonymiser;
}

export function err(ctx: Ctx, line: number, element: string, code: string, message: string): GripError {
  return new GripError(code, message, { file: ctx.file, line, element });
}

export function req(ctx: Ctx, f: Fields, key: FieldKey, line: number): string {
  const v = f.get(key);
  if (v === undefined || v === '')
    throw err(ctx, line, key.name, 'ELEMENT_MISSING', `required element ${key.name} is missing`);
  return v;
}

export function date(ctx: Ctx, f: Fields, key: FieldKey, line: number, optional: true): string | null;
export function date(ctx: Ctx, f: Fields, key: FieldKey, line: number, optional?: false): string;
export function date(ctx: Ctx, f: Fields, key: FieldKey, line: number, optional = false): string | null {
  const v = f.get(key);
  if (v === undefined || v === '') {
    if (optional) return null;
    throw err(ctx, line, key.name, 'ELEMENT_MISSING', `required date ${key.name} is missing`);
  }
  if (!isIsoDate(v)) throw err(ctx, line, key.name, 'DATE_INVALID', `"${v}" is not a valid date`);
  return v;
}

export function cents(ctx: Ctx, f: Fields, key: FieldKey, line: number): number {
  try {
    return parseCents(req(ctx, f, key, line), key.name);
  } catch (e) {
    if (e instanceof GripError) throw e;
    throw err(ctx, line, key.name, 'AMOUNT_INVALID', (e as Error).message);
  }
}

export function debitCredit(ctx: Ctx, f: Fields, key: FieldKey, line: number): 'D' | 'C' {
  const v = req(ctx, f, key, line);
  if (v !== 'D' && v !== 'C')
    throw err(ctx, line, key.name, 'CODE_UNKNOWN', `DebetCredit "${v}" is not in COD043 (D or C)`);
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
