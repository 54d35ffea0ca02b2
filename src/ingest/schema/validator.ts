/**
 * In-stream XSD validation of iJw 3.2 messages, driven by the tables generate.ts makes from the XSDs
 * (ijw32.generated.ts). The stream parser calls open / text / close for every element; the validator keeps
 * one frame per open element (its content model position), so memory is bounded by the nesting depth and
 * every file is read once. The first violation throws a SchemaViolation naming the element and its line, as
 * libxml2 (`xmllint --schema`) would: an unexpected element names itself, missing children name the parent,
 * a bad value names its element.
 */
import { at } from '../../domain/indexing.js';
import type { ParticleModel } from './xsd-model.js';

export enum Base {
  String = 0,
  Integer = 1,
  Date = 2,
  Time = 3,
}

export interface CompiledSimpleType {
  name: string;
  base: Base;
  /** Per derivation step: the value must match one of the step's patterns. */
  patterns: RegExp[][];
  /** Per derivation step: the value must be one of the step's values. */
  enumerations: ReadonlySet<string>[];
  minLength: number | null;
  maxLength: number | null;
  minInclusive: bigint | null;
  maxInclusive: bigint | null;
}

/** A particle as the model reads it from the XSDs (xsd-model.ts), carried into the generated tables unchanged. */
export type CompiledParticle = ParticleModel;

export interface CompiledSchema {
  simpleTypes: CompiledSimpleType[];
  complexTypes: { name: string; particles: CompiledParticle[] }[];
  roots: { message: string; ns: string; name: string; complex: number }[];
}

export class SchemaViolation extends Error {
  constructor(
    readonly element: string,
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

export interface AttributeInfo {
  name: string;
  uri: string;
  local: string;
}

interface Frame {
  name: string;
  line: number;
  /** Complex type index, or -1 for an element of simple type. */
  complex: number;
  simple: number;
  /** Content model position: particle index and how often it occurred. */
  idx: number;
  count: number;
}

const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

/** Only XML whitespace (space, tab, newline, carriage return), or nothing. */
function isXmlSpace(t: string): boolean {
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 9 && c !== 13) return false;
  }
  return true;
}

/**
 * Elements whose values are personal data: a violation message never quotes them (no BSN, name or birth
 * date in errors or logs).
 */
const PERSONAL = new Set([
  'Bsn',
  'Nummer',
  'Datum',
  'Geboortedatum',
  'Achternaam',
  'Voorvoegsel',
  'Voornamen',
  'Voorletters',
  'Roepnaam',
  'Geslachtsnaam',
  'Partnernaam',
  'Postcode',
  'Straatnaam',
  'Huisnummer',
  'Huisletter',
  'Huisnummertoevoeging',
  'Plaatsnaam',
  'Locatieomschrijving',
  'Telefoonnummer',
  'Landnummer',
  'Emailadres',
  'Commentaar',
  'Identificatie',
]);

function quote(element: string, value: string): string {
  if (PERSONAL.has(element)) return 'the value';
  const v = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  return `"${v.replace(/\d{8,}/g, (d) => '*'.repeat(d.length - 2) + d.slice(-2))}"`;
}

const describe = (p: CompiledParticle) => p.name;

export class StreamValidator {
  private readonly frames: Frame[] = [];
  private readonly rootsByKey: Map<string, { message: string; complex: number }>;
  /** The message type of the root element (JW323), once seen. */
  message: string | null = null;

  constructor(
    private readonly schema: CompiledSchema,
    /** When given, only this message's root is accepted (as `xmllint --schema JW323.xsd`). */
    private readonly only?: string,
  ) {
    this.rootsByKey = new Map(
      schema.roots
        .filter((r) => !only || r.message === only)
        .map((r) => [`{${r.ns}}${r.name}`, { message: r.message, complex: r.complex }]),
    );
  }

  open(uri: string, local: string, line: number, attributes: readonly AttributeInfo[]): void {
    const frames = this.frames;
    let complex = -1;
    let simple = -1;
    if (frames.length === 0) {
      const root = this.rootsByKey.get(`{${uri}}${local}`);
      if (!root) {
        throw new SchemaViolation(
          local,
          line,
          `element ${local} in namespace "${uri || '(none)'}" is not the root element of ${this.only ?? 'an iJw 3.2 message'} (no matching global declaration)`,
        );
      }
      this.message = root.message;
      complex = root.complex;
    } else {
      const f = at(frames, frames.length - 1);
      if (f.complex < 0)
        throw new SchemaViolation(
          f.name,
          f.line,
          `element ${f.name} has a simple type: child element ${local} is not allowed`,
        );
      const ps = at(this.schema.complexTypes, f.complex).particles;
      const start = f.idx;
      const startCount = f.count;
      let matched: CompiledParticle | null = null;
      while (f.idx < ps.length) {
        const p = at(ps, f.idx);
        if (p.name === local && p.ns === uri) {
          if (p.max < 0 || f.count < p.max) {
            f.count++;
            matched = p;
            break;
          }
        } else if (f.count < p.min) break;
        f.idx++;
        f.count = 0;
      }
      if (!matched) {
        const expected: string[] = [];
        for (let j = start; j < ps.length; j++) {
          const pj = at(ps, j);
          if (j > start || pj.max < 0 || startCount < pj.max) expected.push(describe(pj));
          if (pj.min > (j === start ? startCount : 0)) break;
        }
        const nsNote = ps.some((p) => p.name === local && p.ns !== uri)
          ? ` (namespace "${uri || '(none)'}" is not the one the schema expects)`
          : '';
        throw new SchemaViolation(
          local,
          line,
          `element ${local} is not expected here${nsNote}; expected: ${expected.length ? expected.join(', ') : 'no more elements'} (in ${f.name})`,
        );
      }
      if (matched.complex !== null) complex = matched.complex;
      else simple = matched.simple!;
    }
    for (const a of attributes) {
      if (a.uri === XMLNS_NS || a.name === 'xmlns') continue;
      if (a.uri === XSI_NS && (a.local === 'schemaLocation' || a.local === 'noNamespaceSchemaLocation')) continue;
      throw new SchemaViolation(local, line, `attribute ${a.name} is not allowed on element ${local}`);
    }
    frames.push({ name: local, line, complex, simple, idx: 0, count: 0 });
  }

  /** Character data directly inside the current element (called for every text chunk). */
  text(t: string): void {
    const f = this.frames[this.frames.length - 1];
    if (f && f.complex >= 0 && !isXmlSpace(t)) {
      throw new SchemaViolation(f.name, f.line, `element ${f.name} may hold only elements, no text`);
    }
  }

  /** The current element closes; `value` is its untrimmed text (for elements of simple type). */
  close(value: string): void {
    const f = this.frames.pop()!;
    if (f.complex >= 0) {
      const ps = at(this.schema.complexTypes, f.complex).particles;
      for (let j = f.idx; j < ps.length; j++) {
        const have = j === f.idx ? f.count : 0;
        const pj = at(ps, j);
        if (have < pj.min) {
          const missing: string[] = [];
          for (let k = j; k < ps.length && (k === j || at(ps, k - 1).min <= (k - 1 === f.idx ? f.count : 0)); k++)
            missing.push(describe(at(ps, k)));
          throw new SchemaViolation(
            f.name,
            f.line,
            `element ${f.name} misses child element ${pj.name}${missing.length > 1 ? ` (expected: ${missing.join(', ')})` : ''}`,
          );
        }
      }
      return;
    }
    const problem = checkSimple(at(this.schema.simpleTypes, f.simple), value);
    if (problem) throw new SchemaViolation(f.name, f.line, `element ${f.name}: ${quote(f.name, value)} ${problem}`);
  }

  get depth(): number {
    return this.frames.length;
  }
}

const XML_SPACE_EDGES = /^[ \t\n\r]+|[ \t\n\r]+$/g;
const INTEGER = /^[+-]?[0-9]+$/;
// xs:date: year of at least four digits (no leading zero beyond four), month, day, optional timezone.
const DATE = /^(-?)([1-9][0-9]{4,}|[0-9]{4})-([0-9]{2})-([0-9]{2})(Z|[+-][0-9]{2}:[0-9]{2})?$/;
const TIME = /^([0-9]{2}):([0-9]{2}):([0-9]{2}(?:\.[0-9]+)?)(Z|[+-][0-9]{2}:[0-9]{2})?$/;

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validTimezone(tz: string | undefined): boolean {
  if (!tz || tz === 'Z') return true;
  const h = Number(tz.slice(1, 3));
  const m = Number(tz.slice(4, 6));
  return m <= 59 && (h < 14 || (h === 14 && m === 0));
}

export function isXsdDate(v: string): boolean {
  // The common form, YYYY-MM-DD without time zone, digit by digit; anything else through the RegExp.
  if (v.length === 10 && v.charCodeAt(4) === 45 && v.charCodeAt(7) === 45) {
    const year = digits(v, 0, 4);
    const month = digits(v, 5, 2);
    const day = digits(v, 8, 2);
    if (year >= 0 && month >= 0 && day >= 0) {
      if (year === 0 || month < 1 || month > 12 || day < 1) return false;
      return day <= (month === 2 && isLeap(year) ? 29 : at(DAYS, month - 1));
    }
  }
  const m = DATE.exec(v);
  if (!m) return false;
  const year = Number(m[2]);
  if (year === 0) return false;
  const month = Number(m[3]);
  const day = Number(m[4]);
  if (month < 1 || month > 12 || day < 1) return false;
  const max = month === 2 && isLeap(m[1] ? -year : year) ? 29 : at(DAYS, month - 1);
  return day <= max && validTimezone(m[5]);
}

/** The number the `n` ASCII digits at `from` of `v` spell, or -1 when one of them is not a digit. */
function digits(v: string, from: number, n: number): number {
  let x = 0;
  for (let i = from; i < from + n; i++) {
    const c = v.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    x = x * 10 + c;
  }
  return x;
}

export function isXsdTime(v: string): boolean {
  const m = TIME.exec(v);
  if (!m) return false;
  const h = Number(m[1]);
  const min = Number(m[2]);
  const s = Number(m[3]);
  if (h === 24) return min === 0 && s === 0 && validTimezone(m[4]);
  return h < 24 && min < 60 && s < 60 && validTimezone(m[4]);
}

/** Characters as XML counts them (code points), not UTF-16 units. */
function charLength(v: string): number {
  let n = v.length;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
}

/** What is wrong with a value of a simple type (as a phrase), or null when it is valid. */
export function checkSimple(t: CompiledSimpleType, raw: string): string | null {
  let v = raw;
  if (t.base !== Base.String) {
    // whiteSpace collapse: leading/trailing whitespace goes; inner whitespace makes the value invalid anyway.
    if (raw.length > 0 && (isXmlSpace(raw.charAt(0)) || isXmlSpace(raw.charAt(raw.length - 1))))
      v = raw.replace(XML_SPACE_EDGES, '');
    if (t.base === Base.Integer) {
      if (!INTEGER.test(v)) return 'is not an integer';
      if (t.minInclusive !== null || t.maxInclusive !== null) {
        const n = BigInt(v);
        if (t.minInclusive !== null && n < t.minInclusive) return `is less than ${t.minInclusive}`;
        if (t.maxInclusive !== null && n > t.maxInclusive) return `is greater than ${t.maxInclusive}`;
      }
    } else if (t.base === Base.Date) {
      if (!isXsdDate(v)) return 'is not a valid date (YYYY-MM-DD)';
    } else if (!isXsdTime(v)) return 'is not a valid time (hh:mm:ss)';
  } else if (t.minLength !== null || t.maxLength !== null) {
    const n = charLength(v);
    if (t.minLength !== null && n < t.minLength) return `is shorter than ${t.minLength} character(s)`;
    if (t.maxLength !== null && n > t.maxLength) return `is longer than ${t.maxLength} character(s)`;
  }
  for (const level of t.enumerations) if (!level.has(v)) return `is not one of the allowed values of ${t.name}`;
  for (const level of t.patterns) {
    let ok = false;
    for (const re of level) if (re.test(v)) ok = true;
    if (!ok) return `does not match the pattern of ${t.name}`;
  }
  return null;
}
