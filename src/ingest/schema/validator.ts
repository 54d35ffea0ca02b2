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
import { INDENTS } from '../ijw/plainscan.js';

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

/** A character other than XML whitespace (a RegExp scans the indentation between elements faster than a loop). */
const NOT_XML_SPACE = /[^ \t\n\r]/;
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

/**
 * What the validator runs on, derived once per schema from its tables: per complex type the particles and
 * the last one that is required (to see at a glance that an element closes complete), per simple type the
 * fast acceptance check (fastValid). Nothing here changes a verdict or a message: whatever the fast paths
 * do not accept outright goes through the general code above and below, which words the violation.
 */
export interface Runtime {
  particles: CompiledParticle[][];
  /** Per complex type: the index of its last particle with minOccurs > 0, or -1. */
  lastRequired: number[];
  fast: FastSimple[];
  roots: Map<string, Map<string, { message: string; complex: number }>>;
}

const RUNTIMES = new WeakMap<CompiledSchema, Runtime>();

/** The runtime of a schema (made once per schema). */
export function schemaRuntime(schema: CompiledSchema): Runtime {
  let r = RUNTIMES.get(schema);
  if (r === undefined) {
    const particles = schema.complexTypes.map((c) => c.particles);
    r = {
      particles,
      lastRequired: particles.map((ps) => {
        let last = -1;
        ps.forEach((p, i) => {
          if (p.min > 0) last = i;
        });
        return last;
      }),
      fast: schema.simpleTypes.map(compileFast),
      roots: new Map(),
    };
    RUNTIMES.set(schema, r);
  }
  return r;
}

function rootsFor(schema: CompiledSchema, rt: Runtime, only: string | undefined) {
  const key = only ?? '';
  let roots = rt.roots.get(key);
  if (roots === undefined) {
    roots = new Map(
      schema.roots
        .filter((r) => !only || r.message === only)
        .map((r) => [`{${r.ns}}${r.name}`, { message: r.message, complex: r.complex }]),
    );
    rt.roots.set(key, roots);
  }
  return roots;
}

export class StreamValidator {
  /** One frame per nesting level, reused by every element at that level (the first `depth` are open). */
  private readonly frames: Frame[] = [];
  private open_ = 0;
  private readonly rootsByKey: Map<string, { message: string; complex: number }>;
  private readonly rt: Runtime;
  /** The message type of the root element (JW323), once seen. */
  message: string | null = null;

  constructor(
    readonly schema: CompiledSchema,
    /** When given, only this message's root is accepted (as `xmllint --schema JW323.xsd`). */
    readonly only?: string,
  ) {
    this.rt = schemaRuntime(schema);
    this.rootsByKey = rootsFor(schema, this.rt, only);
  }

  /** The root element `{uri}local` may be (its complex type), or null when it is not a root this validator takes. */
  rootOf(uri: string, local: string): { message: string; complex: number } | null {
    return this.rootsByKey.get(`{${uri}}${local}`) ?? null;
  }

  /**
   * Whether `value` is certainly valid for simple type `simple` (fastValid); false also when only the full
   * check (close) could tell.
   */
  acceptsAtOnce(simple: number, value: string): boolean {
    return fastValid(this.rt.fast[simple]!, value); // a simple type index the tables hold (hot path)
  }

  open(uri: string, local: string, line: number, attributes: readonly AttributeInfo[]): void {
    const frames = this.frames;
    const depth = this.open_;
    let complex = -1;
    let simple = -1;
    if (depth === 0) {
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
      const f = frames[depth - 1]!; // 0 < depth <= frames.length: the parent's frame (hot path)
      if (f.complex < 0)
        throw new SchemaViolation(
          f.name,
          f.line,
          `element ${f.name} has a simple type: child element ${local} is not allowed`,
        );
      const ps = this.rt.particles[f.complex]!; // a complex type index the tables hold (hot path)
      const start = f.idx;
      const startCount = f.count;
      let matched: CompiledParticle | null = null;
      while (f.idx < ps.length) {
        const p = ps[f.idx]!; // idx < length (hot path)
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
    if (attributes.length > 0) {
      for (const a of attributes) {
        if (a.uri === XMLNS_NS || a.name === 'xmlns') continue;
        if (a.uri === XSI_NS && (a.local === 'schemaLocation' || a.local === 'noNamespaceSchemaLocation')) continue;
        throw new SchemaViolation(local, line, `attribute ${a.name} is not allowed on element ${local}`);
      }
    }
    let frame = frames[depth];
    if (frame === undefined) {
      frame = { name: local, line, complex, simple, idx: 0, count: 0 };
      frames.push(frame);
    } else {
      frame.name = local;
      frame.line = line;
      frame.complex = complex;
      frame.simple = simple;
      frame.idx = 0;
      frame.count = 0;
    }
    this.open_ = depth + 1;
  }

  /** Character data directly inside the current element (called for every text chunk). */
  text(t: string): void {
    const depth = this.open_;
    if (depth === 0) return;
    const f = this.frames[depth - 1]!; // 0 < depth <= frames.length (hot path)
    if (f.complex < 0) return;
    // Most texts here are the indentation between elements, a line end and spaces: compared with the table of
    // those (the plain scanner hands on the table's very strings, so by reference) rather than scanned.
    const n = t.length;
    if (n < INDENTS.length && INDENTS[n] === t) return;
    if (NOT_XML_SPACE.test(t)) {
      throw new SchemaViolation(f.name, f.line, `element ${f.name} may hold only elements, no text`);
    }
  }

  /** The current element closes; `value` is its untrimmed text (for elements of simple type). */
  close(value: string): void {
    const f = this.frames[--this.open_]!; // the stream closes only elements it opened (hot path)
    if (f.complex >= 0) {
      // Complete when the position is past the last required particle, or on it with enough of it.
      const last = this.rt.lastRequired[f.complex]!; // a complex type index the tables hold (hot path)
      if (f.idx > last || (f.idx === last && f.count >= this.rt.particles[f.complex]![last]!.min)) return;
      const ps = at(this.rt.particles, f.complex);
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
    if (fastValid(this.rt.fast[f.simple]!, value)) return; // a simple type index the tables hold (hot path)
    const problem = checkSimple(at(this.schema.simpleTypes, f.simple), value);
    if (problem) throw new SchemaViolation(f.name, f.line, `element ${f.name}: ${quote(f.name, value)} ${problem}`);
  }

  get depth(): number {
    return this.open_;
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

/** How fastValid checks one pattern: the common iJw patterns directly, any other through its RegExp. */
const enum PatternKind {
  RegExp = 0,
  /** `[0-9]{n}`: exactly n ASCII digits. */
  Digits = 1,
  /** `[0-9]*`: ASCII digits only (or nothing). */
  AnyDigits = 2,
  /** `.*[^\s].*`: one line (no CR or LF) with a character that is not XML whitespace. */
  NonBlankLine = 3,
  /** `[^…]*` or `[^…]+` of plain characters: none of them (and with `+` at least one character). */
  NoneOf = 4,
  /** A literal of letters and digits (`490`). */
  Literal = 5,
}

interface FastPattern {
  kind: PatternKind;
  /** Digits: the count; NoneOf: the minimum length (0 or 1). */
  n: number;
  /** NoneOf: the excluded characters; Literal: the literal. */
  chars: string;
  re: RegExp;
}

/** What fastValid checks of a simple type; it accepts a value only where checkSimple does. */
export interface FastSimple {
  base: Base;
  /** Length facets of string types (0 and Infinity where absent). */
  minLength: number;
  maxLength: number;
  /** Integer range as numbers; values of up to 15 digits compare exactly. */
  minInteger: number;
  maxInteger: number;
  enumerations: readonly ReadonlySet<string>[];
  patterns: FastPattern[][];
}

const LIMIT = 10n ** 15n;

/** The fast path of a simple type; recognises the patterns of the iJw XSDs by their translated source. */
export function compileFast(t: CompiledSimpleType): FastSimple {
  const bound = (v: bigint | null, absent: number): number =>
    v === null ? absent : v > LIMIT ? Infinity : v < -LIMIT ? -Infinity : Number(v);
  return {
    base: t.base,
    minLength: t.minLength ?? 0,
    maxLength: t.maxLength ?? Infinity,
    minInteger: bound(t.minInclusive, -Infinity),
    maxInteger: bound(t.maxInclusive, Infinity),
    enumerations: t.enumerations,
    // A date the fast path accepts is digits and hyphens: it meets `[^…]*` of other characters (LDT_Datum's
    // `[^:Z]*`, no time zone) without looking.
    patterns: t.patterns
      .map((level) => level.map(fastPattern))
      .filter((level) => !(t.base === Base.Date && level.some(impliedByFastDate))),
  };
}

const impliedByFastDate = (p: FastPattern) => p.kind === PatternKind.NoneOf && p.n === 0 && !/[0-9-]/.test(p.chars);

const pattern = (kind: PatternKind, re: RegExp, n = 0, chars = ''): FastPattern => ({ kind, n, chars, re });

function fastPattern(re: RegExp): FastPattern {
  const inner = /^\^\(\?:(.*)\)\$$/s.exec(re.source)?.[1];
  if (inner === undefined || re.flags !== 'u') return pattern(PatternKind.RegExp, re);
  let m: RegExpExecArray | null;
  if ((m = /^\[0-9\]\{([0-9]{1,3})\}$/.exec(inner))) return pattern(PatternKind.Digits, re, Number(m[1]));
  if (inner === '[0-9]*') return pattern(PatternKind.AnyDigits, re);
  if (inner === '[^\\n\\r]*[^ \\t\\n\\r][^\\n\\r]*') return pattern(PatternKind.NonBlankLine, re);
  if ((m = /^\[\^([A-Za-z0-9:+]+-?)\]([*+])$/.exec(inner)))
    return pattern(PatternKind.NoneOf, re, m[2] === '+' ? 1 : 0, m[1]);
  if (/^[A-Za-z0-9]+$/.test(inner)) return pattern(PatternKind.Literal, re, 0, inner);
  return pattern(PatternKind.RegExp, re);
}

function fastPatternMatch(p: FastPattern, v: string): boolean {
  switch (p.kind) {
    case PatternKind.Digits:
      return v.length === p.n && allDigits(v);
    case PatternKind.AnyDigits:
      return allDigits(v);
    case PatternKind.NonBlankLine: {
      let blank = true;
      for (let i = 0; i < v.length; i++) {
        const c = v.charCodeAt(i);
        if (c === 10 || c === 13) return false;
        if (c !== 32 && c !== 9) blank = false;
      }
      return !blank;
    }
    case PatternKind.NoneOf: {
      if (v.length < p.n) return false;
      const chars = p.chars;
      for (let i = 0; i < v.length; i++) {
        const c = v.charCodeAt(i);
        for (let j = 0; j < chars.length; j++) if (c === chars.charCodeAt(j)) return false;
      }
      return true;
    }
    case PatternKind.Literal:
      return v === p.chars;
    default:
      return p.re.test(v);
  }
}

function allDigits(v: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * True when `v` is certainly a valid value of the type (checkSimple would find nothing wrong); false when it
 * is not or when the fast path cannot tell (whitespace around a number, signs, long numbers, other date and
 * time forms, surrogate pairs near a length limit): checkSimple then decides and words the problem.
 */
export function fastValid(t: FastSimple, v: string): boolean {
  const n = v.length;
  if (t.base === Base.Integer) {
    if (n === 0 || n > 15) return false;
    let x = 0;
    for (let i = 0; i < n; i++) {
      const c = v.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return false;
      x = x * 10 + c;
    }
    if (x < t.minInteger || x > t.maxInteger) return false;
  } else if (t.base === Base.Date) {
    if (n !== 10 || v.charCodeAt(4) !== 45 || v.charCodeAt(7) !== 45) return false;
    const year = digits(v, 0, 4);
    const month = digits(v, 5, 2);
    const day = digits(v, 8, 2);
    if (year <= 0 || month < 1 || month > 12 || day < 1) return false;
    if (day > (month === 2 && isLeap(year) ? 29 : DAYS[month - 1]!)) return false; // 1 <= month <= 12
  } else if (t.base === Base.Time) {
    // The common form, hh:mm:ss without fraction or time zone, before midnight (24:00:00 is left to checkSimple).
    if (n !== 8 || v.charCodeAt(2) !== 58 || v.charCodeAt(5) !== 58) return false;
    const hour = digits(v, 0, 2);
    const minute = digits(v, 3, 2);
    const second = digits(v, 6, 2);
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return false;
  }
  // Code points (charLength) are at most the UTF-16 units; only a short value needs them counted.
  else if (n > t.maxLength || (n < 2 * t.minLength && charLength(v) < t.minLength)) return false;
  for (const level of t.enumerations) if (!level.has(v)) return false;
  for (const level of t.patterns) {
    let ok = false;
    for (const p of level)
      if (fastPatternMatch(p, v)) {
        ok = true;
        break;
      }
    if (!ok) return false;
  }
  return true;
}
