/**
 * A fast path for reading small iJw files: a conservative scanner for the plain subset of XML that real
 * messages use — an optional BOM and XML declaration (version 1.0, encoding, standalone), start tags with
 * attributes in ' or ", empty-element tags, end tags, text with the five predefined entities and character
 * references, comments and whitespace, names in ASCII. It hands on the events saxes would report (attribute,
 * open tag, text, close tag, each with the position saxes would be at) as it reads them, at the point where
 * saxes would, through the same handlers as saxes' events (stream.ts). On anything else — a DOCTYPE, CDATA,
 * a processing instruction, a name with a non-ASCII character, a character XML forbids, a mismatched tag,
 * an unknown entity, `]]>` in text, a duplicate attribute, text outside the root, a nesting or a run beyond
 * the stream's limits, an early end — it declines, and the file is read by saxes from the start (with the
 * handlers' state reset), so every rejection keeps saxes' message and line. An event is handed on only once
 * everything before it is read and checked, where saxes would report it: a handler's error (a namespace or
 * schema violation) is then the first failure saxes' reading would meet too. It resolves no namespaces:
 * streamXml's handlers do that for both paths.
 */

/**
 * A copy of `s` that holds on to nothing else: names and values are often slices of the text being parsed,
 * and a cached slice would keep that whole text alive.
 */
export const detached = (s: string): string => JSON.parse(JSON.stringify(s)) as string;

/**
 * Where the scanner's events go, as it reads them, in saxes' order. `end` is the offset just past the
 * character saxes had read when it reported the event (for error positions).
 */
export interface ScanHandler {
  /** An attribute of the start tag being read (saxes reports each one as its value ends). */
  attribute(name: string, value: string, end: number): void;
  /**
   * A start tag, with the line saxes reports (where its `>` is); `rootAttributes` are the root element's
   * attributes as saxes hands them over (name → value, in document order), null for any other element.
   */
  open(name: ScanName, rootAttributes: Record<string, string> | null, line: number, end: number): void;
  text(t: string, end: number): void;
  close(end: number): void;
}

/** ASCII character classes: bit 1 a name character, bit 2 a name start character (XML 1.0). */
const NAME_CHAR = 1;
const NAME_START = 2;
const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z_:]/.test(ch)) CLASS[c] = NAME_CHAR | NAME_START;
  else if (/[0-9.-]/.test(ch)) CLASS[c] = NAME_CHAR;
}

/** XML white space (S): space, tab, newline, carriage return. */
const isS = (c: number): boolean => c === 32 || c === 10 || c === 9 || c === 13;

/**
 * An interned name, and the element names that followed it last time (its first child after its start tag,
 * its next sibling after its end tag): iJw messages repeat the same sequence of elements, so the next name
 * is most often known and only compared, not scanned character by character. The followers are kept as
 * slots of the table below (a guess to check, not a reference), so the names kept stay bounded by the table.
 */
export interface ScanName {
  readonly name: string;
  /** Its slot in the table, or -1 for a name too long to keep. */
  slot: number;
  child: number;
  sibling: number;
  /**
   * For the handler: something it worked out from the name (stream.ts: the name resolved) and what that
   * depends on (the namespace bindings it was resolved under); kept with the name, so bounded with it.
   */
  memo: unknown;
  memoKey: unknown;
  /**
   * The name's characters four at a time, as the little-endian 32-bit words of its (ASCII) bytes: each
   * whole group of four, then the last four (overlapping the one before); null for a name shorter than four.
   * With the file's bytes at hand (an ASCII file), a name is compared a word at a time.
   */
  readonly words: Int32Array | null;
}
type Name = ScanName;

/** Interned names: most names recur in every file; a hit costs a comparison, not a new string. */
const NAME_SLOTS = 1024;
const names: (Name | undefined)[] = new Array<Name | undefined>(NAME_SLOTS).fill(undefined);
const MAX_INTERNED_LENGTH = 128;

/** Whether `s` holds `name` at `start` (a loop: faster than `startsWith` for short names). */
function holds(s: string, start: number, name: string): boolean {
  for (let j = 0, n = name.length; j < n; j++) if (s.charCodeAt(start + j) !== name.charCodeAt(j)) return false;
  return true;
}

/** The words of ScanName.words for `name` (ASCII), or null when it is shorter than four characters. */
function wordsOf(name: string): Int32Array | null {
  const n = name.length;
  if (n < 4) return null;
  const word = (at: number) =>
    name.charCodeAt(at) |
    (name.charCodeAt(at + 1) << 8) |
    (name.charCodeAt(at + 2) << 16) |
    (name.charCodeAt(at + 3) << 24);
  const whole = n >> 2;
  const words = new Int32Array(whole + 1);
  for (let j = 0; j < whole; j++) words[j] = word(4 * j);
  words[whole] = word(n - 4);
  return words;
}

/**
 * Whether the text holds `e`'s name at `start`: compared a word at a time in `bytes` (the text's own bytes,
 * one per character) when given, else character by character.
 */
function holdsName(s: string, bytes: DataView | null, start: number, e: Name): boolean {
  const words = e.words;
  if (bytes === null || words === null) return holds(s, start, e.name);
  const n = e.name.length;
  if (start + n > bytes.byteLength) return false;
  const last = words.length - 1;
  for (let j = 0; j < last; j++) if (bytes.getInt32(start + 4 * j, true) !== words[j]) return false;
  return bytes.getInt32(start + n - 4, true) === words[last];
}

/** Four spaces as a little-endian word of their bytes. */
const FOUR_SPACES = 0x20202020;

/** A line end and 0-62 spaces, by length: the white space between the elements of an indented file. */
export const INDENTS: readonly string[] = Array.from({ length: 64 }, (_, n) =>
  n === 0 ? '' : `\n${' '.repeat(n - 1)}`,
);

function nameOf(s: string, start: number, end: number, hash: number): Name {
  const slot = hash & (NAME_SLOTS - 1);
  const known = names[slot];
  if (known !== undefined && known.name.length === end - start && holds(s, start, known.name)) return known;
  const name = s.slice(start, end);
  if (name.length > MAX_INTERNED_LENGTH)
    return { name, slot: -1, child: -1, sibling: -1, memo: null, memoKey: null, words: null };
  const copy = detached(name);
  const interned = { name: copy, slot, child: -1, sibling: -1, memo: null, memoKey: null, words: wordsOf(copy) };
  names[slot] = interned;
  return interned;
}

/** Where a character reference or entity reference read by `reference` ends (just past its `;`). */
let referenceEnd = 0;

/**
 * The character an entity reference at `i` (on its `&`) stands for, or null when it is not one of the five
 * predefined entities or a character reference to a character XML 1.0 allows (saxes rejects those).
 */
function reference(s: string, i: number): string | null {
  const c = s.charCodeAt(i + 1);
  if (c === 35 /* # */) {
    let k = i + 2;
    let value = 0;
    let digits = 0;
    if (s.charCodeAt(k) === 120 /* x */) {
      k++;
      for (;;) {
        const d = s.charCodeAt(k);
        let v: number;
        if (d >= 48 && d <= 57) v = d - 48;
        else if (d >= 97 && d <= 102) v = d - 87;
        else if (d >= 65 && d <= 70) v = d - 55;
        else break;
        value = value * 16 + v;
        digits++;
        k++;
      }
    } else {
      for (;;) {
        const d = s.charCodeAt(k);
        if (d < 48 || d > 57) break;
        value = value * 10 + (d - 48);
        digits++;
        k++;
      }
    }
    // Long digit strings are left to saxes (its parseInt and ours must not be compared on them).
    if (digits === 0 || digits > 7 || s.charCodeAt(k) !== 59 /* ; */) return null;
    const legal =
      value === 9 ||
      value === 10 ||
      value === 13 ||
      (value >= 0x20 && value <= 0xd7ff) ||
      (value >= 0xe000 && value <= 0xfffd) ||
      (value >= 0x10000 && value <= 0x10ffff);
    if (!legal) return null;
    referenceEnd = k + 1;
    return String.fromCodePoint(value);
  }
  let name: string;
  let ch: string;
  if (c === 97 /* a */) {
    if (s.startsWith('amp;', i + 1)) [name, ch] = ['amp;', '&'];
    else if (s.startsWith('apos;', i + 1)) [name, ch] = ['apos;', "'"];
    else return null;
  } else if (c === 108 /* l */) [name, ch] = ['lt;', '<'];
  else if (c === 103 /* g */) [name, ch] = ['gt;', '>'];
  else if (c === 113 /* q */) [name, ch] = ['quot;', '"'];
  else return null;
  if (!s.startsWith(name, i + 1)) return null;
  referenceEnd = i + 1 + name.length;
  return ch;
}

/** Names and values of the attributes of the start tag being read (for the duplicate check and the root's). */
const tagNames: string[] = [];
const tagValues: string[] = [];

/**
 * Scans `s` (a whole decoded file), handing its events to `h` as it reads them; false when the file is
 * outside the plain subset or not well-formed (saxes must then read the file, from the start: `h` may have
 * seen events up to that point).
 *
 * `maxDepth` and `maxRun` are the stream's limits: a file that nests deeper, or has a run of more than half
 * `maxRun` characters without `<`, is declined, so that saxes' reading rejects it as before.
 *
 * `bytes`, when given, are the bytes `s` was decoded from (as UTF-8 or ISO-8859-1). They are used only when
 * there are as many as characters — each byte is then its character's code (an ASCII file, or ISO-8859-1) —
 * to compare names and skip indentation four characters at a time.
 */
export function scanPlainXml(
  s: string,
  h: ScanHandler,
  maxDepth: number,
  maxRun: number,
  bytes: DataView | null = null,
): boolean {
  tagNames.length = tagValues.length = 0;
  if (bytes !== null && bytes.byteLength !== s.length) bytes = null;
  const n = s.length;
  const runLimit = maxRun >> 1;
  let i = 0;
  let line = 1;
  if (s.charCodeAt(0) === 0xfeff) i = 1;
  let lastLt = i;

  // The XML declaration, only at the very start; white space before the first tag is not reported.
  if (s.startsWith('<?xml', i) && isS(s.charCodeAt(i + 5))) {
    i += 5;
    const pairs = ['version', 'encoding', 'standalone'];
    let seen = 0;
    let sawVersion = false;
    for (;;) {
      const before = i;
      for (let c = s.charCodeAt(i); isS(c); c = s.charCodeAt(i)) {
        if (c === 10) line++;
        else if (c === 13) {
          line++;
          if (s.charCodeAt(i + 1) === 10) i++;
        }
        i++;
      }
      if (s.charCodeAt(i) === 63 /* ? */) {
        if (s.charCodeAt(i + 1) !== 62 || !sawVersion) return false;
        i += 2;
        break;
      }
      if (i === before) return false; // pairs are separated by white space
      let which = -1;
      for (let p = seen; p < pairs.length; p++) {
        const name = pairs[p] ?? '';
        if (s.startsWith(name, i)) {
          which = p;
          i += name.length;
          break;
        }
      }
      if (which < 0 || (which > 0 && !sawVersion)) return false;
      // No white space around `=` in the declaration (allowed, but unusual: left to saxes).
      const q = s.charCodeAt(i + 1);
      if (s.charCodeAt(i) !== 61 || (q !== 34 && q !== 39)) return false;
      const close = s.indexOf(q === 34 ? '"' : "'", i + 2);
      if (close < 0) return false;
      const value = s.slice(i + 2, close);
      if (which === 0) {
        if (value !== '1.0') return false;
        sawVersion = true;
      } else if (which === 1) {
        if (!/^[A-Za-z][A-Za-z0-9._-]*$/.test(value)) return false;
      } else if (value !== 'yes' && value !== 'no') return false;
      seen = which + 1;
      i = close + 1;
    }
  } else {
    for (let c = s.charCodeAt(i); isS(c); c = s.charCodeAt(i)) {
      if (c === 10) line++;
      else if (c === 13) {
        line++;
        if (s.charCodeAt(i + 1) === 10) i++;
      }
      i++;
    }
    if (s.charCodeAt(i) !== 60) return false;
  }

  const stack: Name[] = [];
  let depth = 0;
  /** The last element name read, and whether in a start tag (its child comes next) or an end tag. */
  let previous: Name | null = null;
  let previousOpened = false;
  let sawRoot = false;
  let closedRoot = false;

  for (;;) {
    // Character data up to the next `<` (or the end).
    let text = '';
    let from = i;
    if (depth > 0) {
      // Indentation (a line end and spaces up to the next tag) is the same few strings in every file: taken
      // from a table rather than made anew each time.
      if (s.charCodeAt(i) === 10) {
        let k = i + 1;
        if (bytes !== null) while (k + 4 <= n && bytes.getInt32(k, true) === FOUR_SPACES) k += 4;
        while (s.charCodeAt(k) === 32) k++;
        if (s.charCodeAt(k) === 60 && k - i < INDENTS.length) {
          text = INDENTS[k - i] ?? '';
          line++;
          i = from = k;
        }
      }
      for (;;) {
        const c = s.charCodeAt(i);
        if (c > 62) {
          if (c < 0xd800) i++;
          else if (c <= 0xdbff) {
            const d = s.charCodeAt(i + 1);
            if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
            i += 2;
          } else if (c < 0xe000 || c > 0xfffd) return false;
          else i++;
        } else if (c === 60) break;
        else if (c >= 32) {
          if (c === 38) {
            const ch = reference(s, i);
            if (ch === null) return false;
            text += s.slice(from, i) + ch;
            i = from = referenceEnd;
          } else {
            // `]]>` may not appear in character data.
            if (c === 62 && s.charCodeAt(i - 1) === 93 && s.charCodeAt(i - 2) === 93) return false;
            i++;
          }
        } else if (c === 10) {
          line++;
          i++;
        } else if (c === 9) i++;
        else if (c === 13) {
          text += `${s.slice(from, i)}\n`;
          line++;
          i += s.charCodeAt(i + 1) === 10 ? 2 : 1;
          from = i;
        } else return false; // a character XML forbids, or the end inside the root
      }
    } else {
      // Outside the root only white space. Every file's scan ends here, at `n`: the bound is checked, not
      // left to charCodeAt (a read past the end deoptimises this function, which V8 then compiles anew:
      // ≈ 0.1 s of a compiler thread each time, three times per import of the two-year region).
      for (;;) {
        const c = i < n ? s.charCodeAt(i) : -1;
        if (c === 32 || c === 9) i++;
        else if (c === 10) {
          line++;
          i++;
        } else if (c === 13) {
          text += `${s.slice(from, i)}\n`;
          line++;
          i += s.charCodeAt(i + 1) === 10 ? 2 : 1;
          from = i;
        } else break;
      }
    }
    if (i - lastLt > runLimit) return false;
    if (from < i) text += s.slice(from, i);
    if (i >= n) {
      // The end: the root must have been read and closed. Trailing white space is reported at the end.
      if (!closedRoot) return false;
      if (text.length > 0) h.text(text, n);
      return true;
    }
    if (s.charCodeAt(i) !== 60) return false; // not white space outside the root
    lastLt = i;
    if (text.length > 0) h.text(text, i + 1);

    const c1 = s.charCodeAt(i + 1);
    if (c1 < 128 && ((CLASS[c1] ?? 0) & NAME_START) !== 0) {
      // A start tag.
      if (closedRoot) return false;
      let k = i + 1;
      let hash = 0;
      let element: Name | null =
        previous === null ? null : (names[previousOpened ? previous.child : previous.sibling] ?? null);
      let c: number;
      if (element !== null && holdsName(s, bytes, k, element)) {
        k += element.name.length;
        c = s.charCodeAt(k);
        // The predicted name must not be the start of a longer one.
        if (c >= 128 || ((CLASS[c] ?? 0) & NAME_CHAR) !== 0) element = null;
        k = i + 1;
      } else element = null;
      if (element === null) {
        for (c = c1; c < 128 && ((CLASS[c] ?? 0) & NAME_CHAR) !== 0; c = s.charCodeAt(k)) {
          hash = (hash * 31 + c) | 0;
          k++;
        }
        element = nameOf(s, i + 1, k, hash);
        if (previous !== null) {
          if (previousOpened) previous.child = element.slot;
          else previous.sibling = element.slot;
        }
      } else k += element.name.length;
      let attributes = 0;
      c = s.charCodeAt(k);
      for (;;) {
        if (c === 62 /* > */ || c === 47 /* / */) break;
        if (!isS(c)) return false;
        // White space, then an attribute, `>` or `/>`.
        for (; isS(c); c = s.charCodeAt(++k)) {
          if (c === 10) line++;
          else if (c === 13) {
            line++;
            if (s.charCodeAt(k + 1) === 10) k++;
          }
        }
        if (c === 62 || c === 47) break;
        if (!(c < 128 && ((CLASS[c] ?? 0) & NAME_START) !== 0)) return false;
        const nameStart = k;
        hash = 0;
        for (; c < 128 && ((CLASS[c] ?? 0) & NAME_CHAR) !== 0; c = s.charCodeAt(++k)) hash = (hash * 31 + c) | 0;
        const attribute = nameOf(s, nameStart, k, hash).name;
        for (; isS(c); c = s.charCodeAt(++k)) {
          if (c === 10) line++;
          else if (c === 13) {
            line++;
            if (s.charCodeAt(k + 1) === 10) k++;
          }
        }
        if (c !== 61 /* = */) return false;
        c = s.charCodeAt(++k);
        for (; isS(c); c = s.charCodeAt(++k)) {
          if (c === 10) line++;
          else if (c === 13) {
            line++;
            if (s.charCodeAt(k + 1) === 10) k++;
          }
        }
        if (c !== 34 && c !== 39) return false;
        const quote = c;
        let value = '';
        let vFrom = ++k;
        for (;;) {
          const v = s.charCodeAt(k);
          if (v === quote) break;
          if (v > 62) {
            if (v < 0xd800) k++;
            else if (v <= 0xdbff) {
              const d = s.charCodeAt(k + 1);
              if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
              k += 2;
            } else if (v < 0xe000 || v > 0xfffd) return false;
            else k++;
          } else if (v >= 32) {
            if (v === 60) return false;
            if (v === 38) {
              const ch = reference(s, k);
              if (ch === null) return false;
              value += s.slice(vFrom, k) + ch;
              k = vFrom = referenceEnd;
            } else k++;
          } else if (v === 9 || v === 10 || v === 13) {
            // Attribute-value normalisation as saxes reports it: each line end or tab becomes one space.
            value += `${s.slice(vFrom, k)} `;
            if (v !== 9) line++;
            k += v === 13 && s.charCodeAt(k + 1) === 10 ? 2 : 1;
            vFrom = k;
          } else return false;
        }
        value += s.slice(vFrom, k);
        k++;
        for (let a = 0; a < attributes; a++) if (tagNames[a] === attribute) return false;
        tagNames[attributes] = attribute;
        tagValues[attributes++] = value;
        h.attribute(attribute, value, k);
        c = s.charCodeAt(k);
      }
      let selfClosing = false;
      if (c === 47) {
        if (s.charCodeAt(k + 1) !== 62) return false;
        selfClosing = true;
        k++;
      }
      k++;
      if (k - lastLt > runLimit) return false;
      let rootAttributes: Record<string, string> | null = null;
      if (!sawRoot) {
        sawRoot = true;
        rootAttributes = Object.create(null) as Record<string, string>;
        for (let a = 0; a < attributes; a++) rootAttributes[tagNames[a] ?? ''] = tagValues[a] ?? '';
      }
      // Forget the values (slices of the text, which the table below would keep alive).
      for (let a = 0; a < attributes; a++) tagValues[a] = tagNames[a] = '';
      h.open(element, rootAttributes, line, k);
      previous = element;
      previousOpened = !selfClosing;
      if (selfClosing) {
        h.close(k);
        if (depth === 0) closedRoot = true;
      } else {
        if (depth >= maxDepth) return false;
        stack[depth++] = element;
      }
      i = k;
    } else if (c1 === 47 /* / */) {
      // An end tag: the name of the open element, then optional white space and `>`.
      if (depth === 0) return false;
      const element = stack[depth - 1];
      if (element === undefined) return false;
      const name = element.name;
      if (!holdsName(s, bytes, i + 2, element)) return false;
      let k = i + 2 + name.length;
      let c = s.charCodeAt(k);
      for (; isS(c); c = s.charCodeAt(++k)) {
        if (c === 10) line++;
        else if (c === 13) {
          line++;
          if (s.charCodeAt(k + 1) === 10) k++;
        }
      }
      if (c !== 62) return false;
      k++;
      h.close(k);
      previous = element;
      previousOpened = false;
      if (--depth === 0) closedRoot = true;
      i = k;
    } else if (c1 === 33 /* ! */ && s.startsWith('--', i + 2)) {
      // A comment: legal characters, and `--` only in its end `-->`.
      const close = s.indexOf('--', i + 4);
      if (close < 0 || s.charCodeAt(close + 2) !== 62) return false;
      for (let k = i + 4; k < close;) {
        const c = s.charCodeAt(k);
        if (c >= 32) {
          if (c < 0xd800) k++;
          else if (c <= 0xdbff) {
            const d = s.charCodeAt(k + 1);
            if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
            k += 2;
          } else if (c < 0xe000 || c > 0xfffd) return false;
          else k++;
        } else if (c === 10) {
          line++;
          k++;
        } else if (c === 13) {
          line++;
          k += s.charCodeAt(k + 1) === 10 ? 2 : 1;
        } else if (c === 9) k++;
        else return false;
      }
      i = close + 3;
    } else return false; // DOCTYPE, CDATA, a processing instruction, or not markup at all
    if (i - lastLt > runLimit) return false;
  }
}

/**
 * The line and column saxes reports once it has read `s` up to `offset` (for the messages of errors found
 * while the events are handled): lines end at LF, CR LF or CR; columns count characters (a surrogate pair
 * is one) from 0, and a leading BOM counts as one.
 */
export function saxesPosition(s: string, offset: number): { line: number; column: number } {
  let line = 1;
  let column = 0;
  let i = 0;
  if (s.charCodeAt(0) === 0xfeff) {
    i = 1;
    column = 1;
  }
  while (i < offset) {
    const c = s.charCodeAt(i);
    if (c === 10) {
      line++;
      column = 0;
      i++;
    } else if (c === 13) {
      line++;
      column = 0;
      i += s.charCodeAt(i + 1) === 10 ? 2 : 1;
    } else {
      column++;
      i += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
    }
  }
  return { line, column };
}
