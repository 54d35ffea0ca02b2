/**
 * The fused reader: one loop over a small file's bytes that checks well-formedness, resolves namespaces and
 * validates against the iJw XSDs at once, for files in the narrow form message software writes — UTF-8 with
 * or without a byte order mark, an XML declaration, the namespaces declared on the root, then only start and
 * end tags without attributes, white space between elements and leaf texts without references.
 *
 * The XSD tables say at every point which elements may come next, so a start tag is not scanned for its name
 * and then looked up: the bytes of the tags the content model allows next (`<jw323:Bsn>`, made once per set
 * of root bindings) are compared with the file's bytes in the order the validator tries its particles, and
 * the particle that matches is the element. A leaf's value goes through the validator's own check.
 *
 * It hands the visitor exactly the events streamXml would hand it (the same names, paths, ids, texts and
 * lines), but only once everything before an event is checked. On anything outside that form, or anything
 * the validator would not accept at once, it declines, and the file is read by the general path
 * (plainscan.ts, else saxes, with the validator) from the start: every rejection keeps that path's message,
 * element and line. It never rejects a file itself.
 */
import type { XmlVisitor } from './stream.js';
import { schemaRuntime, type StreamValidator } from '../schema/validator.js';

/**
 * What readFused did: read the file whole (`read`), declined before handing on any event (`declined`), or
 * declined after some (`declined-after-events`: the visitor must forget them).
 */
export type Fused = 'read' | 'declined' | 'declined-after-events';

/** A particle of a content model as the fused reader compares it: its tags' bytes and what it is. */
interface TagParticle {
  /** `<prefix:Name>` (or `<Name>` in the default namespace); null when its namespace is not bound. */
  open: Tag | null;
  /** `</prefix:Name>`. */
  close: Tag | null;
  local: string;
  id: number;
  min: number;
  max: number;
  /** Complex type index, or -1 for a simple-typed element. */
  complex: number;
  simple: number;
}

/**
 * A tag's bytes as little-endian 32-bit words, to compare four bytes at a time: each whole group of four, then
 * the last four (overlapping the one before). Every tag has at least four bytes (`<a:b>`, `</b>`).
 */
interface Tag {
  length: number;
  words: Int32Array;
}

function tagOf(s: string): Tag {
  const n = s.length;
  const word = (at: number) =>
    s.charCodeAt(at) | (s.charCodeAt(at + 1) << 8) | (s.charCodeAt(at + 2) << 16) | (s.charCodeAt(at + 3) << 24);
  const whole = n >> 2;
  const words = new Int32Array(whole + 1);
  for (let j = 0; j < whole; j++) words[j] = word(4 * j);
  words[whole] = word(n - 4);
  return { length: n, words };
}

/** Whether the file's bytes (`dv`, `n` of them) hold `tag` at `at`. */
function holds(dv: DataView, n: number, at: number, tag: Tag): boolean {
  const len = tag.length;
  if (at + len > n) return false;
  const words = tag.words;
  const last = words.length - 1;
  for (let j = 0; j < last; j++) if (dv.getInt32(at + 4 * j, true) !== words[j]) return false;
  return dv.getInt32(at + len - 4, true) === words[last];
}

/** Per complex type: its particles and the index of its last required one (-1 for none). */
interface TagModel {
  particles: TagParticle[][];
  lastRequired: number[];
}

/** Tag models per schema and root bindings (bounded: files declare few binding sets). */
const MODELS = new WeakMap<object, Map<string, TagModel>>();
const MAX_MODELS = 32;

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

function modelFor(
  validator: StreamValidator,
  prefixOf: ReadonlyMap<string, string>,
  key: string,
  localNameId: (local: string) => number,
): TagModel | null {
  const rt = schemaRuntime(validator.schema);
  let byKey = MODELS.get(validator.schema);
  if (byKey === undefined) MODELS.set(validator.schema, (byKey = new Map<string, TagModel>()));
  const known = byKey.get(key);
  if (known !== undefined) return known;
  if (byKey.size >= MAX_MODELS) return null;
  const model: TagModel = {
    particles: rt.particles.map((ps) =>
      ps.map((p) => {
        const prefix = prefixOf.get(p.ns);
        const qname = prefix === undefined ? null : prefix === '' ? p.name : `${prefix}:${p.name}`;
        return {
          open: qname === null ? null : tagOf(`<${qname}>`),
          close: qname === null ? null : tagOf(`</${qname}>`),
          local: p.name,
          id: localNameId(p.name),
          min: p.min,
          max: p.max,
          complex: p.complex ?? -1,
          simple: p.simple ?? -1,
        };
      }),
    ),
    lastRequired: rt.lastRequired,
  };
  byKey.set(key, model);
  return model;
}

/** The XML declarations the fused reader takes (any other, or none, is left to the general path). */
const DECLARATION =
  /^<\?xml version=(["'])1\.0\1(?: encoding=(["'])(?:UTF-8|utf-8)\2)?(?: standalone=(["'])(?:yes|no)\3)?\?>/;

const isNameByte = (c: number) =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45 || c === 46;

/** Four spaces as a little-endian word of their bytes. */
const FOUR_SPACES = 0x20202020;

/** Line ends skipped by the last skipSpace. */
let skippedLines = 0;

/** The offset just past the XML white space at `i` (a CR or CR LF is one line end, as saxes counts them). */
function skipSpace(b: Uint8Array, dv: DataView, n: number, i: number): number {
  let lines = 0;
  while (i < n) {
    const c = b[i]!; // i < n
    if (c === 32) {
      i++;
      while (i + 4 <= n && dv.getInt32(i, true) === FOUR_SPACES) i += 4;
    } else if (c === 10) {
      lines++;
      i++;
    } else if (c === 9) i++;
    else if (c === 13) {
      lines++;
      i += b[i + 1] === 10 ? 2 : 1;
    } else break;
  }
  skippedLines = lines;
  return i;
}

/**
 * Per open element (by depth): its line, complex type and content model position (particle and count).
 * Reused from file to file (readFused runs to its end before another starts on the thread; each depth's
 * entries are set when an element opens there): four new arrays per file cost ≈ 14 ms of the two-year JW323
 * files' ≈ 1.2 s on one thread.
 */
interface Stack {
  lines: Int32Array;
  complexes: Int32Array;
  idxs: Int32Array;
  counts: Int32Array;
}
let stack: Stack | null = null;

function stackOf(depth: number): Stack {
  if (stack === null || stack.lines.length < depth)
    stack = {
      lines: new Int32Array(depth),
      complexes: new Int32Array(depth),
      idxs: new Int32Array(depth),
      counts: new Int32Array(depth),
    };
  return stack;
}

/** Characters XML 1.0 forbids that valid UTF-8 can still hold. */
const NOT_XML_CHAR = /[\uFFFE\uFFFF]/;

/**
 * Reads `bytes` (a whole small file, valid UTF-8) into `visitor` with `validator`'s schema. `text` is the file
 * decoded (without a byte order mark): in an ASCII file, with a character per byte after the mark, the leaf
 * values are sliced from it; in any other file they are decoded from their bytes. Limits as the stream's:
 * deeper nesting or a longer text than `maxDepth` / `maxRun` is declined (the general path rejects it).
 */
export function readFused(
  bytes: Buffer,
  text: string,
  validator: StreamValidator,
  visitor: XmlVisitor,
  localNameId: (local: string) => number,
  maxDepth: number,
  maxRun: number,
): Fused {
  const n = bytes.length;
  // A UTF-8 byte order mark (the decoder dropped it from `text`).
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  // Valid UTF-8 decodes to as many UTF-16 units as it has bytes only when every byte is ASCII (any other
  // character takes two to four bytes and gives one or two units), so this tells an ASCII file without
  // scanning its bytes again (streamXml has just checked them).
  const ascii = text.length === n - start;
  /** The text of bytes [a, b). */
  const str = (a: number, b: number): string =>
    ascii ? text.slice(a - start, b - start) : bytes.toString('utf8', a, b);
  const decl = DECLARATION.exec(text.length > 128 ? text.slice(0, 128) : text);
  if (decl === null) return 'declined';
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let i = skipSpace(bytes, dv, n, start + decl[0].length);
  let line = 1 + skippedLines;

  // The root's start tag: its name, and attributes that may only declare namespaces.
  if (bytes[i] !== 60 /* < */) return 'declined';
  let k = i + 1;
  while (k < n && (isNameByte(bytes[k]!) || bytes[k] === 58)) k++;
  const qname = str(i + 1, k);
  i = k;
  const attributes: Record<string, string> = Object.create(null) as Record<string, string>;
  const bindings = new Map<string, string>();
  for (;;) {
    const before = i;
    i = skipSpace(bytes, dv, n, i);
    line += skippedLines;
    if (bytes[i] === 62 /* > */) {
      i++;
      break;
    }
    if (i === before) return 'declined';
    k = i;
    while (k < n && (isNameByte(bytes[k]!) || bytes[k] === 58)) k++;
    const name = str(i, k);
    const q = bytes[k + 1];
    if (bytes[k] !== 61 /* = */ || (q !== 34 && q !== 39)) return 'declined';
    const end = bytes.indexOf(q, k + 2);
    if (end < 0) return 'declined';
    const value = str(k + 2, end);
    // A plain namespace name: no reference, no `<`, no white space to normalise.
    if (!/^[!#-%'-;=?-~]+$/.test(value)) return 'declined';
    let prefix: string;
    if (name === 'xmlns') prefix = '';
    else if (name.startsWith('xmlns:') && /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name.slice(6))) prefix = name.slice(6);
    else return 'declined'; // any other attribute: left to the general path
    if (bindings.has(prefix) || prefix === 'xml' || prefix === 'xmlns') return 'declined';
    if (value === XML_NS || value === XMLNS_NS) return 'declined';
    bindings.set(prefix, value);
    attributes[name] = value;
    i = end + 1;
  }
  const colon = qname.indexOf(':');
  const rootPrefix = colon < 0 ? '' : qname.slice(0, colon);
  const rootLocal = colon < 0 ? qname : qname.slice(colon + 1);
  if (rootLocal === '' || rootLocal.includes(':') || (colon >= 0 && rootPrefix === '')) return 'declined';
  const rootUri = bindings.get(rootPrefix);
  if (rootUri === undefined) return 'declined';
  const root = validator.rootOf(rootUri, rootLocal);
  if (root === null) return 'declined';
  // One prefix per namespace: a tag then resolves to a particle by its bytes alone.
  const prefixOf = new Map<string, string>();
  let key = '';
  for (const [prefix, uri] of bindings) {
    if (prefixOf.has(uri)) return 'declined';
    prefixOf.set(uri, prefix);
    key += `${prefix}\u0000${uri}\u0001`;
  }
  if (key.length > 4096) return 'declined';
  const model = modelFor(validator, prefixOf, key, localNameId);
  if (model === null) return 'declined';

  // From here on, events go to the visitor: a decline now means the general path reads the file afresh.
  const path: string[] = [];
  const ids: number[] = [];
  /** Per open element: its end tag, line, complex type and content model position. */
  const closes: Tag[] = [];
  const { lines, complexes, idxs, counts } = stackOf(maxDepth);
  const runLimit = maxRun >> 1;
  try {
    visitor.root?.(rootLocal, rootPrefix, attributes);
    path.push(rootLocal);
    ids.push(localNameId(rootLocal));
    closes.push(tagOf(`</${qname}>`));
    lines[0] = line;
    complexes[0] = root.complex;
    idxs[0] = 0;
    counts[0] = 0;
    visitor.open?.(path, line, ids);
    let top = 0;
    for (;;) {
      // Element content: white space, then a start tag of a child or the end tag of the element.
      i = skipSpace(bytes, dv, n, i);
      line += skippedLines;
      if (bytes[i] !== 60) return 'declined-after-events';
      const complex = complexes[top]!; // top < maxDepth
      if (bytes[i + 1] === 47 /* / */) {
        const close = closes[top]!; // one per open element
        if (!holds(dv, n, i, close)) return 'declined-after-events';
        // Complete: past the last required particle, or on it with enough of it.
        const last = model.lastRequired[complex]!; // a complex type index the tables hold
        const at = idxs[top]!;
        if (!(at > last || (at === last && counts[top]! >= model.particles[complex]![last]!.min)))
          return 'declined-after-events';
        i += close.length;
        visitor.close(path, '', lines[top]!, ids);
        path.pop();
        ids.pop();
        closes.pop();
        if (top === 0) break;
        top--;
        continue;
      }
      // A child: the first particle from the current position on whose tag is here (as StreamValidator.open).
      const ps = model.particles[complex]!; // a complex type index the tables hold
      let idx = idxs[top]!;
      let count = counts[top]!;
      let matched: TagParticle | null = null;
      while (idx < ps.length) {
        const p = ps[idx]!; // idx < length
        if (p.open !== null && holds(dv, n, i, p.open)) {
          if (p.max < 0 || count < p.max) {
            count++;
            matched = p;
            break;
          }
        } else if (count < p.min) break;
        idx++;
        count = 0;
      }
      if (matched === null || top + 1 >= maxDepth) return 'declined-after-events';
      idxs[top] = idx;
      counts[top] = count;
      i += matched.open!.length; // matched only where its tags are known
      path.push(matched.local);
      ids.push(matched.id);
      visitor.open?.(path, line, ids);
      if (matched.complex >= 0) {
        top++;
        closes.push(matched.close!);
        lines[top] = line;
        complexes[top] = matched.complex;
        idxs[top] = 0;
        counts[top] = 0;
        continue;
      }
      // A leaf: its text (no reference, no markup, no CR to normalise), then its end tag.
      const from = i;
      const openLine = line;
      let wide = false;
      for (;;) {
        if (i >= n) return 'declined-after-events';
        const c = bytes[i]!; // i < n
        if (c >= 32) {
          if (c === 60 || c === 38 /* & */ || c === 62 /* > */) break;
          if (c >= 128) wide = true;
          i++;
        } else if (c === 10) {
          line++;
          i++;
        } else if (c === 9) i++;
        else return 'declined-after-events';
      }
      const close = matched.close!;
      if (bytes[i] !== 60 || i - from > runLimit || !holds(dv, n, i, close)) return 'declined-after-events';
      const value = wide ? bytes.toString('utf8', from, i) : str(from, i);
      if (wide && NOT_XML_CHAR.test(value)) return 'declined-after-events';
      if (!validator.acceptsAtOnce(matched.simple, value)) return 'declined-after-events';
      i += close.length;
      visitor.close(path, value.trim(), openLine, ids);
      path.pop();
      ids.pop();
    }
  } catch {
    // The visitor's own check failed: the general path reads the file again and words it where it stands.
    return 'declined-after-events';
  }
  i = skipSpace(bytes, dv, n, i);
  return i === n ? 'read' : 'declined-after-events';
}
