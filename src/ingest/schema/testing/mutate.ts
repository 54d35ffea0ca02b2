/**
 * Test support for the differential test of the in-stream XSD validator against xmllint: valid iJw messages
 * as trees (parsed from generated messages, or built from the schema tables with every optional element),
 * deterministic mutations of them (structure, values, namespaces), and serialisation with xmlbuilder2.
 */
import { SaxesParser } from 'saxes';
import { create } from 'xmlbuilder2';
import { Base, checkSimple, type CompiledSchema, type CompiledSimpleType } from '../validator.js';
import { prng } from '../../../generate/index.js';
import { at } from '../../../domain/indexing.js';

export const NS_BASIS = 'http://www.istandaarden.nl/ijw/3_2/basisschema/schema';
const XMLNS = 'http://www.w3.org/2000/xmlns/';

export interface XNode {
  uri: string;
  local: string;
  /** Leaf text (elements of simple type); null for elements with children. */
  text: string | null;
  children: XNode[];
  /** Schema type: complex type index or simple type index (null when unknown, e.g. after a rename). */
  complex: number | null;
  simple: number | null;
  /** Extra attributes, text in element-only content, comments: added by mutations. */
  attrs?: Record<string, string>;
  strayText?: string;
  comment?: string;
  cdata?: boolean;
}

export type Rng = () => number;

/** The generator's seeded PRNG (mulberry32), so the corpus is the same on every run. */
export function rng(seed: number): Rng {
  return prng(seed);
}
const pick = <T>(r: Rng, xs: readonly T[]): T => at(xs, Math.floor(r() * xs.length));
/** `pick` from a list that may be empty (undefined then); draws from `r` either way. */
const pickOrNone = <T>(r: Rng, xs: readonly T[]): T | undefined => xs[Math.floor(r() * xs.length)];

/** Parses a message into a tree annotated with schema types (by walking the schema from its root). */
export function parseMessage(xml: string, schema: CompiledSchema): XNode {
  const parser = new SaxesParser({ xmlns: true });
  const stack: XNode[] = [];
  let root: XNode | null = null;
  let text = '';
  parser.on('opentag', (tag) => {
    const parent = stack[stack.length - 1];
    const node: XNode = {
      uri: tag.uri,
      local: tag.local,
      text: null,
      children: [],
      complex: null,
      simple: null,
    };
    if (!parent) {
      const r = schema.roots.find((x) => x.ns === node.uri && x.name === node.local);
      if (!r) throw new Error(`no schema root for ${node.local} in ${node.uri}`);
      node.complex = r.complex;
      root = node;
    } else {
      const p =
        parent.complex !== null
          ? at(schema.complexTypes, parent.complex).particles.find((x) => x.name === node.local && x.ns === node.uri)
          : undefined;
      if (!p) throw new Error(`element ${node.local} not in the schema of ${parent.local}`);
      node.complex = p.complex;
      node.simple = p.simple;
      parent.children.push(node);
    }
    stack.push(node);
    text = '';
  });
  parser.on('text', (t) => {
    text += t;
  });
  parser.on('closetag', () => {
    const n = stack.pop()!;
    if (n.simple !== null) n.text = text;
    text = '';
  });
  parser.write(xml).close();
  return root!;
}

/** A valid value of a simple type (checked against the schema tables; xmllint checks the whole file again). */
export function sampleValue(t: CompiledSimpleType, variant = 0): string {
  const candidates: string[] = [];
  for (const level of t.enumerations) candidates.push(...level);
  for (const level of t.patterns)
    for (const re of level) {
      const lit = /^\^\(\?:([0-9A-Za-z]+)\)\$$/.exec(re.source)?.[1];
      if (lit !== undefined) candidates.push(lit);
    }
  if (t.base === Base.Date) candidates.push(at(['2025-03-14', '2024-02-29', '2026-12-31'], variant % 3));
  if (t.base === Base.Time) candidates.push('12:30:00');
  if (t.base === Base.Integer) {
    const lo = t.minInclusive ?? 0n;
    const hi = t.maxInclusive ?? 1000n;
    candidates.push(String(lo + ((hi - lo) * BigInt(variant + 1)) / 7n), String(lo));
  }
  candidates.push('123456789', '12345678', '1234', '1.0.0', 'A1B2C3', 'Jansen', 'Abc', '1', '01', 'J', 'Teststraat');
  for (const c of candidates) {
    // XSD lengths count code points, which is what spreading a string yields.
    // eslint-disable-next-line @typescript-eslint/no-misused-spread
    const v = t.maxLength !== null && [...c].length > t.maxLength ? c.slice(0, t.maxLength) : c;
    if (checkSimple(t, v) === null) return v;
  }
  throw new Error(`no sample value for ${t.name}`);
}

/** A message with every element the schema allows (optional ones too; repeatable ones twice). */
export function fullMessage(schema: CompiledSchema, message: string, variant = 0): XNode {
  const r = schema.roots.find((x) => x.message === message)!;
  const build = (uri: string, local: string, complex: number | null, simple: number | null, depth: number): XNode => {
    const node: XNode = { uri, local, text: null, children: [], complex, simple };
    if (simple !== null) node.text = sampleValue(at(schema.simpleTypes, simple), variant + depth);
    else if (complex !== null) {
      for (const p of at(schema.complexTypes, complex).particles) {
        const n = p.max < 0 || p.max > 1 ? 2 : 1;
        for (let i = 0; i < n; i++) node.children.push(build(p.ns, p.name, p.complex, p.simple, depth + i + 1));
      }
    }
    return node;
  };
  return build(r.ns, r.name, r.complex, null, 0);
}

export type NsStyle = 'prefixed' | 'default' | 'other-prefixes';

/** Serialises a tree with xmlbuilder2 (which writes the namespace declarations the tree needs). */
export function serialise(root: XNode, style: NsStyle = 'prefixed'): string {
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const prefixFor = (uri: string, isRoot: boolean): string => {
    if (!uri) return '';
    if (style === 'default') return '';
    const m = /\/(jw\d{3})\/schema$/.exec(uri);
    if (style === 'other-prefixes') return uri === NS_BASIS ? 'b:' : m ? 'm:' : 'x:';
    return uri === NS_BASIS ? 'ijw:' : m ? `${m[1]}:` : isRoot ? '' : 'x:';
  };
  const add = (parent: ReturnType<typeof create>, n: XNode, isRoot: boolean) => {
    const el = isRoot
      ? doc.ele(n.uri || null, `${prefixFor(n.uri, true)}${n.local}`)
      : parent.ele(n.uri || null, `${prefixFor(n.uri, false)}${n.local}`);
    if (isRoot && style !== 'default') el.att(XMLNS, style === 'other-prefixes' ? 'xmlns:b' : 'xmlns:ijw', NS_BASIS);
    for (const [k, v] of Object.entries(n.attrs ?? {})) el.att(k, v);
    if (n.comment) el.com(n.comment);
    if (n.strayText) el.txt(n.strayText);
    if (n.text !== null) {
      if (n.cdata) el.dat(n.text);
      else el.txt(n.text);
    }
    for (const c of n.children) add(el, c, false);
    return el;
  };
  add(doc, root, true);
  return doc.end({ prettyPrint: true });
}

const clone = (n: XNode): XNode => ({
  ...n,
  attrs: n.attrs ? { ...n.attrs } : undefined,
  children: n.children.map(clone),
});

interface Located {
  node: XNode;
  parent: XNode | null;
  index: number;
}
function all(root: XNode): Located[] {
  const out: Located[] = [{ node: root, parent: null, index: -1 }];
  const walk = (n: XNode) => n.children.forEach((c, i) => (out.push({ node: c, parent: n, index: i }), walk(c)));
  walk(root);
  return out;
}

/** Invalid or edge-case values for a simple type (some of them valid: the point is that both validators agree). */
function valueVariants(t: CompiledSimpleType, v: string): string[] {
  const out = ['', ` ${v} `, `${v}x`, v.toLowerCase() === v ? v.toUpperCase() : v.toLowerCase(), `\t${v}`, `${v}\n`];
  if (t.maxLength !== null)
    out.push(
      '1'.repeat(t.maxLength + 1),
      'A'.repeat(t.maxLength),
      '𝒜'.repeat(t.maxLength),
      'é'.repeat(t.maxLength + 1),
    );
  if (t.minLength !== null && t.minLength > 1) out.push(v.slice(0, t.minLength - 1));
  for (const level of t.enumerations) out.push('ZZ', `0${[...level][0]}`, at([...level], level.size - 1));
  if (/^[0-9]+$/.test(v)) out.push(v.slice(1), `${v}0`, `${v.slice(0, -1)}a`, `-${v}`, `+${v}`);
  if (t.base === Base.Integer) {
    const hi = t.maxInclusive ?? 99n;
    const lo = t.minInclusive ?? 0n;
    out.push(
      String(hi),
      String(hi + 1n),
      String(lo - 1n),
      `0${v}`,
      `${v}.0`,
      '1e3',
      '9007199254740993',
      ` ${lo}`,
      `${v} 1`,
    );
  }
  if (t.base === Base.Date) {
    out.push(
      '2025-02-30',
      '2024-02-29',
      '2100-02-29',
      '2000-02-29',
      '2025-13-01',
      '2025-00-10',
      '2025-04-31',
      '25-01-01',
      '2025-1-1',
      '2025-01-01Z',
      '2025-01-01+01:00',
      '20250101',
      '0000-01-01',
      '12025-01-01',
      '02025-01-01',
      '2025-01-01T00:00:00',
      '-2025-01-01',
      '2025-06-31',
    );
  }
  if (t.base === Base.Time)
    out.push('25:00:00', '12:60:00', '12:30', '24:00:00', '12:30:00.5', '12:30:00Z', '7:30:00', '23:59:59');
  if (t.base === Base.String && !t.enumerations.length)
    out.push('Café', 'a  b', ' ', 'Ŧeşt', 'x'.repeat(3), 'ABC123', 'a/b', '1.0', '1.02.3', '01.0.0');
  return out;
}

export interface Mutation {
  kind: string;
  xml: string;
}

/** One deterministic mutation of a valid message (about one in six leaves it valid). */
export function mutate(base: XNode, schema: CompiledSchema, r: Rng, otherMessageNs: string): Mutation {
  const root = clone(base);
  const nodes = all(root);
  const inner = nodes.filter((x) => x.parent);
  const leaves = inner.filter((x) => x.node.simple !== null);
  const style: NsStyle = pick(r, ['prefixed', 'prefixed', 'default', 'other-prefixes'] as const);
  const kinds = [
    'drop',
    'double',
    'swap',
    'move-last',
    'rename-sibling',
    'rename-typo',
    'wrong-ns',
    'no-ns',
    'root-ns',
    'stray-text',
    'attribute',
    'empty',
    'extra',
    'value',
    'value',
    'value',
    'value',
    'value',
    'comment',
    'cdata',
    'style',
  ];
  const kind = pick(r, kinds);
  const target = pick(r, inner);
  const siblings = target.parent?.children ?? [];
  switch (kind) {
    case 'drop':
      siblings.splice(target.index, 1);
      break;
    case 'double':
      siblings.splice(target.index + 1, 0, clone(target.node));
      break;
    case 'swap':
      if (target.index + 1 < siblings.length)
        [siblings[target.index], siblings[target.index + 1]] = [
          at(siblings, target.index + 1),
          at(siblings, target.index),
        ];
      else if (target.index > 0)
        [siblings[target.index], siblings[target.index - 1]] = [
          at(siblings, target.index - 1),
          at(siblings, target.index),
        ];
      break;
    case 'move-last':
      siblings.push(...siblings.splice(target.index, 1));
      break;
    case 'rename-sibling': {
      const ps = target.parent!.complex !== null ? at(schema.complexTypes, target.parent!.complex).particles : [];
      const other = pickOrNone(r, ps);
      if (other) {
        target.node.local = other.name;
        target.node.uri = other.ns;
      }
      break;
    }
    case 'rename-typo':
      target.node.local = pick(r, [
        `${target.node.local}X`,
        target.node.local.toLowerCase(),
        target.node.local.slice(1),
      ]);
      break;
    case 'wrong-ns':
      target.node.uri = target.node.uri === NS_BASIS ? root.uri : NS_BASIS;
      break;
    case 'no-ns':
      target.node.uri = '';
      break;
    case 'root-ns':
      root.uri = otherMessageNs;
      for (const x of nodes) if (x.node.uri === base.uri) x.node.uri = otherMessageNs;
      break;
    case 'stray-text': {
      const complex = inner.filter((x) => x.node.complex !== null);
      (complex.length ? pick(r, complex).node : root).strayText = pick(r, ['x', ' ', '\n\t', '0']);
      break;
    }
    case 'attribute':
      target.node.attrs = { ...(target.node.attrs ?? {}), [pick(r, ['id', 'type', 'versie'])]: '1' };
      break;
    case 'empty': {
      const complex = inner.filter((x) => x.node.complex !== null);
      if (complex.length) pick(r, complex).node.children = [];
      break;
    }
    case 'extra': {
      const parent = pick(
        r,
        nodes.filter((x) => x.node.complex !== null),
      ).node;
      parent.children.splice(Math.floor(r() * (parent.children.length + 1)), 0, {
        uri: parent.uri,
        local: 'Extra',
        text: '1',
        children: [],
        complex: null,
        simple: null,
      });
      break;
    }
    case 'value': {
      const leaf = pick(r, leaves);
      const t = at(schema.simpleTypes, leaf.node.simple!);
      leaf.node.text = pick(r, valueVariants(t, leaf.node.text ?? ''));
      break;
    }
    case 'comment':
      target.node.comment = 'opmerking';
      break;
    case 'cdata': {
      const leaf = pick(r, leaves);
      leaf.node.cdata = true;
      break;
    }
    case 'style':
      break;
  }
  return { kind, xml: serialise(root, style) };
}
