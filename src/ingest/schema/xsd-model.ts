/**
 * Build-time only: reads the iJw 3.2 XSDs (a message schema and the basisschema it imports) with saxes and
 * turns them into a plain model of what a validator must check: for every complex type the sequence of
 * child elements with their cardinality, for every simple type its base (string, integer, date, time) and
 * facets (patterns per derivation step, enumerations, lengths, inclusive ranges).
 *
 * Only the XSD features the iJw 3.2 schemas use are supported (sequence, local elements, named and anonymous
 * types, restriction of xs:string/xs:integer/xs:date/xs:time); anything else stops the generator with an
 * error naming the file, so a new release of the standard cannot be validated half.
 */
import { at } from '../../domain/indexing.js';
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SaxesParser } from 'saxes';

const XS = 'http://www.w3.org/2001/XMLSchema';

export type SimpleBase = 'string' | 'integer' | 'date' | 'time';

export interface SimpleTypeModel {
  /** `{namespace}Name` of a named type, or a description of where an anonymous type was declared. */
  name: string;
  base: SimpleBase;
  /** One entry per derivation step that has patterns: the value must match one pattern of every step. */
  patterns: string[][];
  /** One entry per derivation step that has enumerations: the value must be one of every step's list. */
  enumerations: string[][];
  minLength: number | null;
  maxLength: number | null;
  /** Decimal strings (integers may exceed 2^53). */
  minInclusive: string | null;
  maxInclusive: string | null;
}

export interface ParticleModel {
  ns: string;
  name: string;
  min: number;
  /** -1: unbounded. */
  max: number;
  /** Index into complexTypes or simpleTypes. */
  complex: number | null;
  simple: number | null;
}

export interface ComplexTypeModel {
  name: string;
  particles: ParticleModel[];
}

export interface RootModel {
  /** The message schema's file name without .xsd (JW323). */
  message: string;
  ns: string;
  name: string;
  complex: number;
}

export interface SchemaModel {
  simpleTypes: SimpleTypeModel[];
  complexTypes: ComplexTypeModel[];
  roots: RootModel[];
}

interface Node {
  uri: string;
  local: string;
  attrs: Record<string, string>;
  /** Prefix → namespace in scope at this element. */
  scope: Record<string, string>;
  children: Node[];
  line: number;
}

interface SchemaDoc {
  file: string;
  targetNs: string;
  qualified: boolean;
  root: Node;
}

function parseXsd(file: string): SchemaDoc {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: Node[] = [];
  let root: Node | null = null;
  parser.on('opentag', (tag) => {
    const parent = stack[stack.length - 1];
    const parentScope = parent ? parent.scope : {};
    const scope = { ...parentScope, ...tag.ns };
    const attrs: Record<string, string> = {};
    for (const a of Object.values(tag.attributes)) if (typeof a !== 'string' && a.uri === '') attrs[a.local] = a.value;
    const node: Node = {
      uri: tag.uri,
      local: tag.local,
      attrs,
      scope,
      children: [],
      line: parser.line,
    };
    if (parent) parent.children.push(node);
    else root = node;
    stack.push(node);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.on('error', (e) => {
    throw new Error(`${file}: ${e.message}`);
  });
  parser.write(readFileSync(file, 'utf8')).close();
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- set in the parser's callbacks, which narrowing does not follow
  if (!root) throw new Error(`${file}: empty`);
  const r: Node = root;
  if (r.uri !== XS || r.local !== 'schema') throw new Error(`${file}: not an XML Schema`);
  return {
    file,
    targetNs: r.attrs.targetNamespace ?? '',
    qualified: r.attrs.elementFormDefault === 'qualified',
    root: r,
  };
}

const xs = (n: Node, local: string) => n.children.filter((c) => c.uri === XS && c.local === local);
/** Children that carry meaning (annotations are documentation). */
const content = (n: Node) => n.children.filter((c) => !(c.uri === XS && c.local === 'annotation'));

function unsupported(doc: SchemaDoc, n: Node, what: string): never {
  throw new Error(
    `${basename(doc.file)}:${n.line}: unsupported XSD construct: ${what} (the validator generator handles only what iJw 3.2 uses)`,
  );
}

function resolveQName(doc: SchemaDoc, n: Node, qname: string): string {
  const colon = qname.indexOf(':');
  const prefix = colon >= 0 ? qname.slice(0, colon) : '';
  const ns = n.scope[prefix];
  if (ns === undefined) {
    if (!prefix) return `{}${qname}`;
    throw new Error(`${basename(doc.file)}:${n.line}: unbound prefix in ${qname}`);
  }
  return `{${ns}}${qname.slice(colon + 1)}`;
}

/**
 * Builds the model for the given message schemas (file paths); imported schemas (xs:import with a
 * schemaLocation beside the file) are read once and shared.
 */
export function buildSchemaModel(messageFiles: string[]): SchemaModel {
  const docs = new Map<string, SchemaDoc>();
  const load = (file: string) => {
    if (docs.has(file)) return;
    const doc = parseXsd(file);
    docs.set(file, doc);
    for (const imp of [...xs(doc.root, 'import'), ...xs(doc.root, 'include')]) {
      const loc = imp.attrs.schemaLocation;
      if (!loc) unsupported(doc, imp, 'xs:import without schemaLocation');
      if (imp.local === 'include') unsupported(doc, imp, 'xs:include');
      load(join(dirname(file), loc));
    }
  };
  for (const f of messageFiles) load(f);

  // Global named types by {ns}name.
  const namedSimple = new Map<string, { doc: SchemaDoc; node: Node }>();
  const namedComplex = new Map<string, { doc: SchemaDoc; node: Node }>();
  for (const doc of docs.values()) {
    for (const c of content(doc.root)) {
      if (c.uri !== XS) unsupported(doc, c, `top-level ${c.local}`);
      if (c.local === 'simpleType') namedSimple.set(`{${doc.targetNs}}${c.attrs.name}`, { doc, node: c });
      else if (c.local === 'complexType') namedComplex.set(`{${doc.targetNs}}${c.attrs.name}`, { doc, node: c });
      else if (c.local !== 'import' && c.local !== 'element') unsupported(doc, c, `top-level xs:${c.local}`);
    }
  }

  const model: SchemaModel = { simpleTypes: [], complexTypes: [], roots: [] };
  const simpleIndex = new Map<string, number>();
  const complexIndex = new Map<string, number>();

  const BUILTIN: Record<string, SimpleBase> = {
    [`{${XS}}string`]: 'string',
    [`{${XS}}integer`]: 'integer',
    [`{${XS}}date`]: 'date',
    [`{${XS}}time`]: 'time',
  };

  /** A simpleType node → index (named types are shared). */
  const simpleType = (doc: SchemaDoc, node: Node, name: string): number => {
    if (simpleIndex.has(name)) return simpleIndex.get(name)!;
    const parts = content(node);
    if (parts.length !== 1 || parts[0]?.local !== 'restriction')
      unsupported(doc, node, 'simpleType other than xs:restriction');
    const r = at(parts, 0);
    const baseName = resolveQName(doc, r, r.attrs.base ?? '');
    let base: SimpleTypeModel;
    if (BUILTIN[baseName]) {
      base = {
        name: baseName,
        base: BUILTIN[baseName],
        patterns: [],
        enumerations: [],
        minLength: null,
        maxLength: null,
        minInclusive: null,
        maxInclusive: null,
      };
    } else if (namedSimple.has(baseName)) {
      const b = namedSimple.get(baseName)!;
      base = at(model.simpleTypes, simpleType(b.doc, b.node, baseName));
    } else unsupported(doc, r, `base type ${r.attrs.base}`);
    const t: SimpleTypeModel = {
      name,
      base: base.base,
      patterns: [...base.patterns],
      enumerations: [...base.enumerations],
      minLength: base.minLength,
      maxLength: base.maxLength,
      minInclusive: base.minInclusive,
      maxInclusive: base.maxInclusive,
    };
    const patterns: string[] = [];
    const enums: string[] = [];
    for (const f of content(r)) {
      const v = f.attrs.value;
      if (v === undefined) unsupported(doc, f, `facet xs:${f.local} without value`);
      switch (f.local) {
        case 'pattern':
          patterns.push(v);
          break;
        case 'enumeration':
          enums.push(v);
          break;
        case 'minLength':
          t.minLength = Math.max(t.minLength ?? 0, Number(v));
          break;
        case 'maxLength':
          t.maxLength = t.maxLength === null ? Number(v) : Math.min(t.maxLength, Number(v));
          break;
        case 'minInclusive':
          t.minInclusive = t.minInclusive === null || BigInt(v) > BigInt(t.minInclusive) ? v : t.minInclusive;
          break;
        case 'maxInclusive':
          t.maxInclusive = t.maxInclusive === null || BigInt(v) < BigInt(t.maxInclusive) ? v : t.maxInclusive;
          break;
        default:
          unsupported(doc, f, `facet xs:${f.local}`);
      }
    }
    if ((t.minLength !== null || t.maxLength !== null) && t.base !== 'string')
      unsupported(doc, r, 'length facets on a non-string type');
    if ((t.minInclusive !== null || t.maxInclusive !== null) && t.base !== 'integer')
      unsupported(doc, r, 'range facets on a non-integer type');
    if (enums.length && t.base !== 'string') unsupported(doc, r, 'enumerations on a non-string type');
    if (patterns.length) t.patterns.push(patterns);
    if (enums.length) t.enumerations.push(enums);
    simpleIndex.set(name, model.simpleTypes.length);
    model.simpleTypes.push(t);
    return simpleIndex.get(name)!;
  };

  const complexType = (doc: SchemaDoc, node: Node, name: string): number => {
    if (complexIndex.has(name)) return complexIndex.get(name)!;
    const idx = model.complexTypes.length;
    complexIndex.set(name, idx);
    const t: ComplexTypeModel = { name, particles: [] };
    model.complexTypes.push(t);
    if (node.attrs.mixed === 'true') unsupported(doc, node, 'mixed content');
    const parts = content(node);
    if (parts.length > 1 || (parts.length === 1 && parts[0]?.local !== 'sequence'))
      unsupported(doc, node, 'complexType other than one xs:sequence');
    const seq = parts[0];
    if (seq && (seq.attrs.minOccurs !== undefined || seq.attrs.maxOccurs !== undefined))
      unsupported(doc, seq, 'occurrence on xs:sequence');
    for (const el of seq ? content(seq) : []) {
      if (el.local !== 'element') unsupported(doc, el, `xs:${el.local} inside a sequence`);
      for (const a of Object.keys(el.attrs))
        if (!['name', 'type', 'minOccurs', 'maxOccurs'].includes(a))
          unsupported(doc, el, `attribute ${a} on xs:element`);
      t.particles.push(particle(doc, el, `${name}/${el.attrs.name}`));
    }
    return idx;
  };

  const particle = (doc: SchemaDoc, el: Node, where: string): ParticleModel => {
    const p: ParticleModel = {
      ns: doc.qualified ? doc.targetNs : '',
      name: el.attrs.name ?? unsupported(doc, el, 'xs:element without a name'),
      min: el.attrs.minOccurs === undefined ? 1 : Number(el.attrs.minOccurs),
      max: el.attrs.maxOccurs === undefined ? 1 : el.attrs.maxOccurs === 'unbounded' ? -1 : Number(el.attrs.maxOccurs),
      complex: null,
      simple: null,
    };
    const inline = content(el);
    if (el.attrs.type) {
      if (inline.length) unsupported(doc, el, 'xs:element with both a type and an inline type');
      const tn = resolveQName(doc, el, el.attrs.type);
      if (namedComplex.has(tn)) {
        const c = namedComplex.get(tn)!;
        p.complex = complexType(c.doc, c.node, tn);
      } else if (namedSimple.has(tn)) {
        const s = namedSimple.get(tn)!;
        p.simple = simpleType(s.doc, s.node, tn);
      } else if (BUILTIN[tn]) {
        p.simple = simpleType(
          doc,
          {
            ...el,
            children: [
              {
                uri: XS,
                local: 'restriction',
                attrs: { base: el.attrs.type },
                scope: el.scope,
                children: [],
                line: el.line,
              },
            ],
          },
          tn,
        );
      } else unsupported(doc, el, `type ${el.attrs.type}`);
    } else if (inline.length === 1 && inline[0]?.local === 'simpleType') p.simple = simpleType(doc, inline[0], where);
    else if (inline.length === 1 && inline[0]?.local === 'complexType') p.complex = complexType(doc, inline[0], where);
    else unsupported(doc, el, 'xs:element without a type');
    return p;
  };

  for (const file of messageFiles) {
    const doc = docs.get(file)!;
    for (const el of xs(doc.root, 'element')) {
      const p = particle(doc, el, `{${doc.targetNs}}${el.attrs.name}`);
      if (p.complex === null) unsupported(doc, el, 'a global element of simple type');
      // Global elements are always in the target namespace.
      model.roots.push({
        message: basename(file).replace(/\.xsd$/i, ''),
        ns: doc.targetNs,
        name: p.name,
        complex: p.complex,
      });
    }
  }
  return model;
}

/**
 * An XSD regular expression (implicitly anchored) → the source of an equivalent JavaScript regular
 * expression for the `u` flag. XSD `.` is any character but newline and carriage return; `\s` is exactly
 * space, tab, newline and carriage return. Escapes other than those the iJw schemas use are refused.
 */
export function xsdPatternToJs(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern.charAt(i); // i < length: one UTF-16 unit, like pattern[i]
    if (ch === '\\') {
      const e = pattern[++i];
      if (e === undefined) throw new Error(`pattern ${pattern}: ends with a backslash`);
      if (e === 's') out += inClass ? ' \\t\\n\\r' : '[ \\t\\n\\r]';
      else if (e === 'S') {
        if (inClass) throw new Error(`pattern ${pattern}: \\S inside a character class is not supported`);
        out += '[^ \\t\\n\\r]';
      } else if ('nrt\\|.-^?*+{}()[]'.includes(e)) out += `\\${e}`;
      else throw new Error(`pattern ${pattern}: escape \\${e} is not supported`);
    } else if (inClass) {
      if (ch === ']') inClass = false;
      if (ch === '[') throw new Error(`pattern ${pattern}: character class subtraction is not supported`);
      out += ch === '/' ? '\\/' : ch;
    } else if (ch === '[') {
      inClass = true;
      out += ch;
    } else if (ch === '.') out += '[^\\n\\r]';
    else if (ch === '^' || ch === '$')
      out += `\\${ch}`; // no anchors in XSD: literal characters
    else if (ch === '/') out += '\\/';
    else out += ch;
  }
  if (inClass) throw new Error(`pattern ${pattern}: unclosed character class`);
  return `^(?:${out})$`;
}
