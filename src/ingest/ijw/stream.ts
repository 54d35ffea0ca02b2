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
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { SaxesParser, type SaxesAttributeNS } from 'saxes';
import { GripError } from '../../domain/errors.js';
import { SchemaViolation, type StreamValidator } from '../schema/validator.js';

export interface XmlVisitor {
  /** Called for the root element with its attributes (used to check the namespace). */
  root?(name: string, prefix: string, attributes: Record<string, string>): void;
  open?(path: readonly string[], line: number): void;
  /** Called when an element closes; `text` is its trimmed text content (leaf elements). */
  close(path: readonly string[], text: string, line: number): void;
}

export interface StreamOptions {
  /** Validates every element against the iJw XSDs as it streams by; its first violation rejects the file. */
  validator?: StreamValidator | null;
  /** Name of the schema in messages (`JW323.xsd`). */
  schemaName?: () => string;
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
  const validator = options.validator ?? null;
  const parser = new SaxesParser({ xmlns: true, position: true });
  const path: string[] = [];
  const startLines: number[] = [];
  let text = '';
  let failure: GripError | null = null;
  let sawRoot = false;

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
        failure = new GripError(
          'XML_MALFORMED',
          `not well-formed XML: ${(e as Error).message.replace(/^(?:[^:]*:)?\d+:\d+: /, '')}`,
          {
            file: displayName,
            line: parser.line,
            column: parser.column,
          },
        );
      }
    }
    // A sentinel, not an error: the catch below knows it and reports `failure` instead.
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    throw ABORT;
  };

  parser.on('doctype', () => {
    fail(
      new GripError('XML_DOCTYPE', 'a DOCTYPE (DTD or entity declaration) is not allowed in iJw messages', {
        file: displayName,
        line: parser.line,
      }),
    );
  });
  parser.on('opentag', (tag) => {
    const local = tag.local ?? tag.name;
    const line = parser.line;
    if (path.length >= MAX_DEPTH)
      fail(
        new GripError('XML_TOO_DEEP', `elements nest deeper than ${MAX_DEPTH} levels`, {
          file: displayName,
          line,
          element: local,
        }),
      );
    const attributes = tag.attributes as Record<string, SaxesAttributeNS>;
    try {
      if (validator) validator.open(tag.uri ?? '', local, line, Object.values(attributes));
      if (!sawRoot) {
        sawRoot = true;
        if (visitor.root) {
          const plain: Record<string, string> = {};
          for (const [k, a] of Object.entries(attributes)) plain[k] = a.value;
          visitor.root(local, tag.prefix ?? '', plain);
        }
      }
      path.push(local);
      startLines.push(line);
      text = '';
      visitor.open?.(path, line);
    } catch (e) {
      fail(e);
    }
  });
  const onText = (t: string) => {
    if (validator) {
      try {
        validator.text(t);
      } catch (e) {
        fail(e);
      }
    }
    text += t;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    const line = startLines.pop() ?? parser.line;
    try {
      if (validator) validator.close(text);
      visitor.close(path, text.trim(), line);
    } catch (e) {
      fail(e);
    }
    path.pop();
    text = '';
  });
  parser.on('error', (e) => fail(e));

  let sinceLt = 0;
  const feed = (chunk: string) => {
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
          { file: displayName, line: parser.line },
        ),
      );
    }
    parser.write(chunk);
  };

  try {
    const size = statSync(file).size;
    if (size <= SMALL_FILE) {
      // Most messages are small: one read, one decode.
      const bytes = readFileSync(file);
      const s = new Decoder(declaredEncoding(bytes.subarray(0, 512), displayName), displayName).decode(bytes, true);
      for (let i = 0; i < s.length; i += CHUNK) feed(s.slice(i, i + CHUNK));
    } else {
      const stream = createReadStream(file, { highWaterMark: CHUNK });
      let decoder: Decoder | null = null;
      try {
        for await (const raw of stream) {
          const bytes = raw as Buffer;
          decoder ??= new Decoder(declaredEncoding(bytes.subarray(0, 512), displayName), displayName);
          feed(decoder.decode(bytes, false));
          if (afterChunk) await afterChunk();
        }
        if (decoder) feed(decoder.decode(Buffer.alloc(0), true));
      } finally {
        stream.destroy();
      }
    }
    parser.close();
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
  if (!failure && !sawRoot)
    failure = new GripError('XML_EMPTY', 'the file holds no XML element', { file: displayName });
  if (failure) throw failure;
}
