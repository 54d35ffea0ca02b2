/**
 * Streaming XML reading with saxes: bounded memory whatever the file size. Reports each element's local
 * name (namespaces resolved: the in-stream XSD validator checks them), the path of open elements, the text of
 * leaf elements and the line where an element started. A DOCTYPE is refused, so entity-expansion and
 * external-entity attacks (XXE, billion laughs) cannot start.
 *
 * Limits (a file beyond them is rejected alone, before it costs memory or time): nesting depth MAX_DEPTH,
 * and at most MAX_RUN characters between two `<` (which bounds every text node and every tag). The bytes are
 * decoded as the XML declaration says (UTF-8 by default, strictly; ISO-8859-1 and US-ASCII too).
 */
import { isAscii } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Saxes from 'saxes';
import type { SaxesAttributePlain, SaxesParser as SaxesParserType } from 'saxes';
import { GripError } from '../../domain/errors.js';
import { INDENTS, detached, saxesPosition, scanPlainXml, type ScanHandler, type ScanName } from './plainscan.js';
import { SchemaViolation, type AttributeInfo, type StreamValidator } from '../schema/validator.js';
import { readFused } from './fused.js';
import { readWholeFile } from '../whole-file.js';

/**
 * saxes, loaded with `require`: it is CommonJS, and importing it as an ES module makes Node scan its 74 KB
 * for export names (cjs-module-lexer) on every thread that parses, which ran long enough for V8 to compile
 * the lexer with TurboFan there (≈ 110 ms of compiler thread per thread, `--trace-opt`).
 */
const { SaxesParser } = createRequire(import.meta.url)('saxes') as typeof Saxes;

export interface XmlVisitor {
  /** Called for the root element with its attributes (used to check the namespace). */
  root?(name: string, prefix: string, attributes: Record<string, string>): void;
  /** `ids` holds, beside `path`, each name's localNameId (-1 for a name too long or too new to be numbered). */
  open?(path: readonly string[], line: number, ids: readonly number[]): void;
  /** Called when an element closes; `text` is its trimmed text content (leaf elements). */
  close(path: readonly string[], text: string, line: number, ids: readonly number[]): void;
}

export interface StreamOptions {
  /** Validates every element against the iJw XSDs as it streams by; its first violation rejects the file. */
  validator?: StreamValidator | null;
  /** Name of the schema in messages (`JW323.xsd`). */
  schemaName?: () => string;
  /**
   * `saxes` reads every file with saxes; by default (given `restart`) a small file is read by the fused
   * reader of fused.ts when it is in its narrow form and a validator is given, else by the scanner of
   * plainscan.ts when it is within the plain subset of XML (same events, same verdicts), and any other file
   * by saxes. `plain` never uses the fused reader (for tests that compare it).
   */
  tokenizer?: 'auto' | 'plain' | 'saxes';
  /**
   * Told which reader read the file (for tests and measurements); `saxes` also when the plain scanner handed
   * on part of the file and then left it to saxes (after `restart`), and `plain` or `saxes` when the fused
   * reader declined it.
   */
  onTokenizer?: (used: 'fused' | 'plain' | 'saxes') => void;
  /**
   * Lets the plain scanner hand its events on as it reads them. Should it then decline the file (something
   * outside its subset, or an error saxes must word), saxes reads the file again from the start: first this
   * is called, and must forget what the visitor built from the file so far and return the validator for the
   * new reading (a fresh one). Without it, saxes reads every file.
   */
  restart?: () => StreamValidator | null;
  /**
   * The file's bytes, read already (at most SMALL_FILE of them): the file is not read again, and its name is
   * used in messages only. The caller keeps them unchanged until the returned promise settles.
   */
  bytes?: Buffer;
}

/** Files up to this size are read in one go; larger ones are streamed. */
const SMALL_FILE = 4 << 20;
/** Characters handed to the parser at a time. */
const CHUNK = 1 << 20;
/** iJw messages nest about 8 levels deep. */
export const MAX_DEPTH = 64;
/** Longest run without `<`: bounds any text node or tag (the longest iJw field is far shorter). */
export const MAX_RUN = 1 << 20;

/** Thrown from inside parser handlers to stop parsing at the first failure. */
const ABORT = Symbol('abort');

type Decoding = { kind: 'utf8' } | { kind: 'latin1' };

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

/** An element name (`qname`) resolved against the namespace declarations in scope. */
interface Resolved {
  qname: string;
  uri: string;
  prefix: string;
  local: string;
  /** The local name's localNameId. */
  id: number;
}

/** Names resolved per set of bindings at most (a file of ever new names must not grow the cache without bound). */
const MAX_CACHED_NAMES = 2048;
/**
 * Longer names and binding sets are resolved but not cached (a name may be up to MAX_RUN characters long,
 * and a cache of such names would hold on to gigabytes).
 */
const MAX_CACHED_NAME_LENGTH = 128;
const MAX_CACHED_BINDINGS_LENGTH = 4096;

/**
 * The element names resolved under one set of namespace bindings. A small direct-mapped table in front of
 * the map: most look-ups compare the new name with one cached name of the same length and end, instead of
 * hashing it (saxes hands over every name as a new string).
 */
class ResolvedNames {
  private readonly recent: (Resolved | undefined)[] = new Array<Resolved | undefined>(256).fill(undefined);
  private readonly all = new Map<string, Resolved>();

  get(qname: string): Resolved | undefined {
    const n = qname.length;
    const slot = (n * 31 + qname.charCodeAt(n - 1) * 7 + qname.charCodeAt(n >> 1)) & 255;
    const hit = this.recent[slot];
    if (hit !== undefined && hit.qname === qname) return hit;
    const r = this.all.get(qname);
    if (r !== undefined) this.recent[slot] = r;
    return r;
  }

  add(r: Resolved): void {
    if (this.all.size < MAX_CACHED_NAMES) this.all.set(r.qname, r);
  }
}

/** Resolved names per set of bindings, shared by all files read by this thread (most declare the same). */
const NAMES_BY_BINDINGS = new Map<string, ResolvedNames>();
const MAX_CACHED_BINDINGS = 64;
function namesFor(bindings: ReadonlyMap<string, string>): ResolvedNames {
  let key = '';
  for (const [prefix, uri] of bindings) key += `${prefix}\u0000${uri}\u0001`;
  let names = NAMES_BY_BINDINGS.get(key);
  if (names === undefined) {
    names = new ResolvedNames();
    if (NAMES_BY_BINDINGS.size < MAX_CACHED_BINDINGS && key.length <= MAX_CACHED_BINDINGS_LENGTH)
      NAMES_BY_BINDINGS.set(detached(key), names);
  }
  return names;
}

/** Namespace declarations in force from the element at `depth` on, and the names resolved under them. */
interface Scope {
  depth: number;
  bindings: Map<string, string>;
  names: ResolvedNames;
}
/**
 * Local names shared by all files, so that equal names are the same string (cheap to compare and to use as
 * keys further on), each with a small number of its own (its index in LOCAL_LIST) that visitors can index
 * their own tables with instead of looking the name up; bounded like the per-scope cache.
 */
const LOCAL_NAMES = new Map<string, number>();
const LOCAL_LIST: string[] = [];
/** The number of a local name (the same in every file this thread reads), or -1 when it is not numbered. */
export function localNameId(local: string): number {
  const known = LOCAL_NAMES.get(local);
  if (known !== undefined) return known;
  if (LOCAL_NAMES.size >= MAX_CACHED_NAMES || local.length > MAX_CACHED_NAME_LENGTH) return -1;
  const id = LOCAL_LIST.length;
  const copy = detached(local);
  LOCAL_LIST.push(copy);
  LOCAL_NAMES.set(copy, id);
  return id;
}

/** A namespace declaration as Namespaces in XML 1.0 allows it (what saxes checks with `xmlns: true`). */
function namespacePairProblem(prefix: string, uri: string): string | null {
  if (prefix === 'xml' && uri !== XML_NS) return `xml prefix must be bound to ${XML_NS}.`;
  if (prefix === 'xmlns' && uri !== XMLNS_NS) return `xmlns prefix must be bound to ${XMLNS_NS}.`;
  if (uri === XMLNS_NS)
    return prefix === ''
      ? `the default namespace may not be set to ${uri}.`
      : `may not assign a prefix (even "xmlns") to the URI ${XMLNS_NS}.`;
  if (uri === XML_NS && prefix !== 'xml')
    return prefix === ''
      ? `the default namespace may not be set to ${uri}.`
      : 'may not assign the xml namespace to another prefix.';
  return null;
}

/** The encoding the XML declaration names (the first bytes of the file). */
export function declaredEncoding(headBytes: Buffer, displayName: string): Decoding {
  if ((headBytes[0] === 0xfe && headBytes[1] === 0xff) || (headBytes[0] === 0xff && headBytes[1] === 0xfe)) {
    throw new GripError('XML_ENCODING', 'UTF-16 encoded XML is not supported (iJw messages are UTF-8)', {
      file: displayName,
      line: 1,
    });
  }
  const head = headBytes.toString('latin1');
  const decl = /^(?:\xEF\xBB\xBF)?<\?xml\s[^>]*?encoding\s*=\s*["']([^"']*)["']/.exec(head);
  const enc = (decl?.[1] ?? 'UTF-8').toLowerCase();
  if (enc === 'utf-8' || enc === 'utf8' || enc === 'us-ascii' || enc === 'ascii') return { kind: 'utf8' };
  if (enc === 'iso-8859-1' || enc === 'latin1' || enc === 'iso_8859-1' || enc === 'l1' || enc === 'iso-latin-1')
    return { kind: 'latin1' };
  throw new GripError('XML_ENCODING', `encoding "${decl?.[1]}" is not supported (use UTF-8 or ISO-8859-1)`, {
    file: displayName,
    line: 1,
  });
}

function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * The whole file when it is at most SMALL_FILE bytes, else null (whole-file.ts: in the thread's read buffer,
 * used before anything is awaited).
 */
const readSmall = (file: string): Buffer | null => readWholeFile(file, SMALL_FILE);

/** Strict UTF-8 decoding; a byte sequence that is not UTF-8 rejects the file with its line. */
class Decoder {
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true });
  private linesBefore = 0;
  constructor(
    private readonly enc: Decoding,
    private readonly displayName: string,
  ) {}
  decode(bytes: Buffer, last: boolean): string {
    if (this.enc.kind === 'latin1') return bytes.toString('latin1');
    let s: string;
    try {
      s = this.utf8.decode(bytes, { stream: !last });
    } catch {
      const loose = bytes.toString('utf8');
      const at = loose.indexOf('\uFFFD');
      throw new GripError(
        'XML_ENCODING',
        'the file is not valid UTF-8 (declare encoding="ISO-8859-1" if it is Latin-1)',
        {
          file: this.displayName,
          line: this.linesBefore + lineOfOffset(loose, at < 0 ? loose.length : at),
        },
      );
    }
    // Lines so far, for the message of a later bad byte (streamed files only).
    if (!last) for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) this.linesBefore++;
    return s;
  }
}

export async function streamXml(
  file: string,
  displayName: string,
  visitor: XmlVisitor,
  afterChunk?: () => Promise<void>,
  options: StreamOptions = {},
): Promise<void> {
  let validator = options.validator ?? null;
  // The fused reader first, on its own: most files end here, without the general path's handlers being made
  // (two dozen closures per file) and with little code for V8 to compile on each thread.
  if (validator && options.restart && options.tokenizer !== 'saxes' && options.tokenizer !== 'plain') {
    /** Whether the visitor may have seen events (then it must forget them before the general path reads). */
    let handedOn = false;
    try {
      const bytes = options.bytes ?? readSmall(file);
      if (bytes !== null) {
        const decoding = declaredEncoding(bytes.subarray(0, 512), displayName);
        // ASCII reads the same in every encoding taken: its bytes become the string as they are, without the
        // UTF-8 decoder's checks (two-year JW323 files, 231 MB: 30-35 ms against 41-48 ms, 4 passes).
        const s = isAscii(bytes) ? bytes.toString('latin1') : new Decoder(decoding, displayName).decode(bytes, true);
        handedOn = true;
        const r = readFused(bytes, s, validator, visitor, localNameId, MAX_DEPTH, MAX_RUN);
        if (r === 'read') {
          options.onTokenizer?.('fused');
          return;
        }
        handedOn = r === 'declined-after-events';
      }
    } catch {
      // Whatever it is (a file that cannot be read or decoded), the general path meets it again and words it.
    }
    if (handedOn) validator = options.restart();
  }
  return streamGeneral(file, displayName, visitor, afterChunk, options, validator);
}

/** streamXml's general path: the plain scanner, else saxes, with the handlers both report to. */
async function streamGeneral(
  file: string,
  displayName: string,
  visitor: XmlVisitor,
  afterChunk: (() => Promise<void>) | undefined,
  options: StreamOptions,
  initialValidator: StreamValidator | null,
): Promise<void> {
  let validator = initialValidator;
  // Namespaces are resolved here rather than by saxes (`xmlns: true` costs a third of its time): iJw
  // messages declare them on the root, so almost every element name is one lookup in the scope's cache.
  // The same handlers take saxes' events and the plain scanner's (plainscan.ts).
  let parser: SaxesParserType | null = null;
  /** Plain scanner: the text read and the offset of the event being handled (for error positions). */
  let source = '';
  let offset = 0;
  const position = (): { line: number; column: number } =>
    parser ? { line: parser.line, column: parser.column } : saxesPosition(source, offset);
  const path: string[] = [];
  const ids: number[] = [];
  const startLines: number[] = [];
  let text = '';
  let failure: GripError | null = null;
  let sawRoot = false;
  const rootBindings = new Map([
    ['xml', XML_NS],
    ['xmlns', XMLNS_NS],
  ]);
  let scope: Scope = { depth: 0, bindings: rootBindings, names: namesFor(rootBindings) };
  const scopes: Scope[] = [scope];
  /** The attributes of the start tag being read, and the namespaces it declares. */
  const attributeList: SaxesAttributePlain[] = [];
  const declared = new Map<string, string>();
  const noAttributes: AttributeInfo[] = [];

  const fail = (e: unknown): never => {
    if (!failure) {
      if (e instanceof GripError) failure = e;
      else if (e instanceof SchemaViolation) {
        failure = new GripError(
          'XSD_INVALID',
          `does not validate against ${options.schemaName?.() ?? 'the iJw 3.2 XSD'}: ${e.message}`,
          {
            file: displayName,
            line: e.line,
            element: e.element,
          },
        );
      } else {
        const { line, column } = position();
        failure = new GripError(
          'XML_MALFORMED',
          `not well-formed XML: ${(e as Error).message.replace(/^(?:[^:]*:)?\d+:\d+: /, '')}`,
          {
            file: displayName,
            line,
            column,
          },
        );
      }
    }
    // A sentinel, not an error: the catch below knows it and reports `failure` instead.
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    throw ABORT;
  };
  const malformed = (message: string): never => fail(new Error(message));

  /** Prefix and local part of a qname; a name with an empty part or two colons is not namespace-well-formed. */
  const splitName = (name: string): [string, string] => {
    const colon = name.indexOf(':');
    if (colon < 0) return ['', name];
    const prefix = name.slice(0, colon);
    const local = name.slice(colon + 1);
    if (prefix === '' || local === '' || local.includes(':')) malformed(`malformed name: ${name}.`);
    return [prefix, local];
  };

  const resolveElement = (name: string): Resolved => {
    const [prefix, local] = splitName(name);
    const uri = scope.bindings.get(prefix) ?? '';
    if (prefix !== '') {
      if (prefix === 'xmlns') malformed('tags may not have "xmlns" as prefix.');
      if (uri === '') malformed(`unbound namespace prefix: ${JSON.stringify(prefix)}.`);
    }
    if (name.length > MAX_CACHED_NAME_LENGTH || uri.length > MAX_CACHED_BINDINGS_LENGTH)
      return { qname: name, uri, prefix, local, id: localNameId(local) };
    const id = localNameId(local);
    const r = {
      qname: detached(name),
      uri: detached(uri),
      prefix: detached(prefix),
      local: LOCAL_LIST[id] ?? local,
      id,
    };
    scope.names.add(r);
    return r;
  };

  const resolveAttributes = (): AttributeInfo[] => {
    const out: AttributeInfo[] = [];
    const seen = new Set<string>();
    for (const { name } of attributeList) {
      const [prefix, local] = splitName(name);
      let uri: string;
      let expanded = name;
      if (prefix === '') uri = name === 'xmlns' ? XMLNS_NS : '';
      else {
        const bound = scope.bindings.get(prefix);
        if (bound === undefined) return malformed(`unbound namespace prefix: ${JSON.stringify(prefix)}.`);
        uri = bound;
        expanded = `{${uri}}${local}`;
      }
      if (seen.has(expanded)) malformed(`duplicate attribute: ${expanded}.`);
      seen.add(expanded);
      out.push({ name, uri, local });
    }
    return out;
  };

  // The handlers of the events both readers report.
  const onAttribute = (name: string, value: string): void => {
    attributeList.push({ name, value });
    const [prefix, local] = splitName(name);
    if (prefix === 'xmlns' || name === 'xmlns') {
      const uri = value.trim();
      const ns = prefix === 'xmlns' ? local : '';
      if (prefix === 'xmlns' && uri === '' && (parser?.xmlDecl.version ?? '1.0') === '1.0')
        malformed('invalid attempt to undefine prefix in XML 1.0');
      declared.set(ns, uri);
      const problem = namespacePairProblem(ns, uri);
      if (problem) malformed(problem);
    }
  };
  const onOpenTag = (
    name: string,
    tagAttributes: Record<string, string>,
    line: number,
    scanned: ScanName | null = null,
  ): void => {
    if (declared.size > 0) {
      const bindings = new Map(scope.bindings);
      for (const [prefix, uri] of declared) bindings.set(prefix, uri);
      declared.clear();
      scope = { depth: path.length + 1, bindings, names: namesFor(bindings) };
      scopes.push(scope);
    }
    // The plain scanner's names are interned: each keeps what it resolved to under the bindings last in scope.
    let resolved: Resolved;
    if (scanned === null) resolved = scope.names.get(name) ?? resolveElement(name);
    else if (scanned.memoKey === scope.names) resolved = scanned.memo as Resolved;
    else {
      resolved = scope.names.get(name) ?? resolveElement(name);
      scanned.memo = resolved;
      scanned.memoKey = scope.names;
    }
    const { uri, prefix, local, id } = resolved;
    let attributes = noAttributes;
    if (attributeList.length > 0) {
      attributes = resolveAttributes();
      attributeList.length = 0;
    }
    if (path.length >= MAX_DEPTH)
      fail(
        new GripError('XML_TOO_DEEP', `elements nest deeper than ${MAX_DEPTH} levels`, {
          file: displayName,
          line,
          element: local,
        }),
      );
    try {
      if (validator) validator.open(uri, local, line, attributes);
      if (!sawRoot) {
        sawRoot = true;
        visitor.root?.(local, prefix, tagAttributes);
      }
      path.push(local);
      ids.push(id);
      startLines.push(line);
      text = '';
      visitor.open?.(path, line, ids);
    } catch (e) {
      fail(e);
    }
  };
  const onText = (t: string): void => {
    if (validator) {
      try {
        validator.text(t);
      } catch (e) {
        fail(e);
      }
    }
    text += t;
  };
  const onCloseTag = (): void => {
    const line = startLines.pop() ?? position().line;
    try {
      if (validator) validator.close(text);
      // The text of an element with children is mostly one indentation string (plainscan's INDENTS).
      const n = text.length;
      visitor.close(path, n < INDENTS.length && INDENTS[n] === text ? '' : text.trim(), line, ids);
    } catch (e) {
      fail(e);
    }
    if (scope.depth === path.length && scopes.length > 1) {
      scopes.pop();
      scope = scopes[scopes.length - 1] ?? scope;
    }
    path.pop();
    ids.pop();
    text = '';
  };

  const makeParser = (): SaxesParserType => {
    const p = new SaxesParser({ xmlns: false, position: true });
    p.on('doctype', () => {
      fail(
        new GripError('XML_DOCTYPE', 'a DOCTYPE (DTD or entity declaration) is not allowed in iJw messages', {
          file: displayName,
          line: p.line,
        }),
      );
    });
    p.on('attribute', (a) => onAttribute(a.name, a.value));
    p.on('opentag', (tag) => onOpenTag(tag.name, tag.attributes, p.line));
    p.on('text', onText);
    p.on('cdata', onText);
    p.on('closetag', onCloseTag);
    p.on('error', (e) => fail(e));
    return p;
  };
  // Namespaces in XML: no colon in a processing instruction's target. Only files that may hold a processing
  // instruction besides the XML declaration get the check (a handler for them slows saxes down twofold).
  const checkProcessingInstructions = (p: SaxesParserType) =>
    p.on('processinginstruction', (pi) => {
      if (pi.target.includes(':')) malformed('disallowed character in processing instruction name.');
    });

  let sinceLt = 0;
  const feed = (p: SaxesParserType, chunk: string) => {
    const first = chunk.indexOf('<');
    if (first < 0) sinceLt += chunk.length;
    else {
      sinceLt += first;
      if (sinceLt <= MAX_RUN) sinceLt = chunk.length - 1 - chunk.lastIndexOf('<');
    }
    if (sinceLt > MAX_RUN) {
      fail(
        new GripError(
          'XML_TOO_LARGE',
          `a text or tag is longer than ${MAX_RUN} characters (the standard's fields are far shorter)`,
          { file: displayName, line: p.line },
        ),
      );
    }
    p.write(chunk);
  };

  /** The plain scanner's events, handed on as it reads them. */
  let events = 0;
  const noRootAttributes: Record<string, string> = Object.create(null) as Record<string, string>;
  const direct: ScanHandler = {
    attribute(name, value, end) {
      events++;
      offset = end;
      onAttribute(name, value);
    },
    open(name, rootAttributes, line, end) {
      events++;
      offset = end;
      onOpenTag(name.name, rootAttributes ?? noRootAttributes, line, name);
    },
    text(t, end) {
      events++;
      offset = end;
      onText(t);
    },
    close(end) {
      events++;
      offset = end;
      onCloseTag();
    },
  };
  /** Forgets what the handlers saw of the file (before saxes reads it again). */
  const resetHandlers = (): void => {
    path.length = 0;
    ids.length = 0;
    startLines.length = 0;
    text = '';
    sawRoot = false;
    scope = scopes[0] ?? scope;
    scopes.length = 1;
    attributeList.length = 0;
    declared.clear();
  };

  try {
    const bytes = options.bytes ?? readSmall(file);
    if (bytes !== null) {
      // Most messages are small: one read, one decode.
      const s = new Decoder(declaredEncoding(bytes.subarray(0, 512), displayName), displayName).decode(bytes, true);
      let plain = false;
      // The plain scanner hands its events on as it reads: only a caller that can forget what it built from
      // the file (`restart`) lets it start, as saxes reads the file again should the scanner decline part-way.
      if (options.tokenizer !== 'saxes' && options.restart) {
        source = s;
        // The bytes, for the scanner to compare four at a time (it reads them before anything else runs).
        const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        try {
          plain = scanPlainXml(s, direct, MAX_DEPTH, MAX_RUN, view);
        } catch (e) {
          // A handler's error: the file was read by the scanner (up to there).
          options.onTokenizer?.('plain');
          throw e;
        }
        if (plain) options.onTokenizer?.('plain');
        else if (events > 0) {
          resetHandlers();
          validator = options.restart();
        }
        source = '';
      }
      if (!plain) {
        options.onTokenizer?.('saxes');
        const p = (parser = makeParser());
        const first = s.indexOf('<?');
        if (first >= 0 && (!/^<\?xml[ \t\r\n]/.test(s.slice(first, first + 6)) || s.indexOf('<?', first + 2) >= 0))
          checkProcessingInstructions(p);
        for (let i = 0; i < s.length; i += CHUNK) feed(p, s.slice(i, i + CHUNK));
        p.close();
      }
    } else {
      options.onTokenizer?.('saxes');
      const p = (parser = makeParser());
      checkProcessingInstructions(p);
      const stream = createReadStream(file, { highWaterMark: CHUNK });
      let decoder: Decoder | null = null;
      try {
        for await (const raw of stream) {
          const bytes = raw as Buffer;
          decoder ??= new Decoder(declaredEncoding(bytes.subarray(0, 512), displayName), displayName);
          feed(p, decoder.decode(bytes, false));
          if (afterChunk) await afterChunk();
        }
        if (decoder) feed(p, decoder.decode(Buffer.alloc(0), true));
      } finally {
        stream.destroy();
      }
      p.close();
    }
  } catch (e) {
    if (e !== ABORT) {
      if (e instanceof GripError) throw e;
      try {
        fail(e);
      } catch {
        /* recorded */
      }
    }
  }
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- set in the parser's callbacks, which narrowing does not follow
  if (!failure && !sawRoot)
    failure = new GripError('XML_EMPTY', 'the file holds no XML element', { file: displayName });
  if (failure) throw failure;
}
