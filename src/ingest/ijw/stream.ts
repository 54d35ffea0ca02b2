/**
 * Streaming XML reading with saxes: bounded memory whatever the file size. Reports each element's
 * local name (namespace prefix stripped; the XSD check guarantees the namespaces), the path of open
 * elements, the text of leaf elements and the line where an element started. A DOCTYPE is refused,
 * so entity-expansion and external-entity attacks (XXE, billion laughs) cannot start.
 */
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { SaxesParser } from 'saxes';
import { GripError } from '../../domain/errors.js';

export interface XmlVisitor {
  /** Called for the root element with its attributes (used to check the namespace). */
  root?(name: string, prefix: string, attributes: Record<string, string>): void;
  open?(path: readonly string[], line: number): void;
  /** Called when an element closes; `text` is its trimmed text content (leaf elements). */
  close(path: readonly string[], text: string, line: number): void;
}

/** Files up to this size are read in one go; larger ones are streamed in 1 MB chunks. */
const SMALL_FILE = 4 << 20;

export async function streamXml(file: string, displayName: string, visitor: XmlVisitor, afterChunk?: () => Promise<void>): Promise<void> {
  const parser = new SaxesParser({ xmlns: false, position: true });
  const path: string[] = [];
  const startLines: number[] = [];
  let text = '';
  let failure: unknown = null;
  let sawRoot = false;

  const fail = (e: unknown) => {
    if (failure) return;
    failure =
      e instanceof GripError
        ? e
        : new GripError('XML_MALFORMED', `not well-formed XML: ${(e as Error).message.replace(/^[^:]*:\d+:\d+: /, '')}`, {
            file: displayName,
            line: parser.line,
            column: parser.column,
          });
  };

  parser.on('doctype', () => {
    fail(new GripError('XML_DOCTYPE', 'a DOCTYPE (DTD or entity declaration) is not allowed in iJw messages', { file: displayName, line: parser.line }));
  });
  parser.on('opentag', (tag) => {
    if (failure) return;
    const colon = tag.name.indexOf(':');
    const local = colon >= 0 ? tag.name.slice(colon + 1) : tag.name;
    if (!sawRoot) {
      sawRoot = true;
      try {
        visitor.root?.(local, colon >= 0 ? tag.name.slice(0, colon) : '', tag.attributes as Record<string, string>);
      } catch (e) {
        fail(e);
        return;
      }
    }
    path.push(local);
    startLines.push(parser.line);
    text = '';
    try {
      visitor.open?.(path, parser.line);
    } catch (e) {
      fail(e);
    }
  });
  parser.on('text', (t) => {
    text += t;
  });
  parser.on('closetag', () => {
    if (failure) return;
    const line = startLines.pop() ?? parser.line;
    try {
      visitor.close(path, text.trim(), line);
    } catch (e) {
      fail(e);
    }
    path.pop();
    text = '';
  });
  parser.on('error', (e) => fail(e));

  if (statSync(file).size <= SMALL_FILE) {
    // Most messages are small: one read, one write into the parser.
    parser.write(readFileSync(file, 'utf8'));
    if (!failure) parser.close();
  } else {
    const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
    try {
      for await (const chunk of stream) {
        parser.write(chunk as string);
        if (failure) break;
        if (afterChunk) await afterChunk();
      }
      if (!failure) parser.close();
    } finally {
      stream.destroy();
    }
  }
  if (!failure && !sawRoot) failure = new GripError('XML_EMPTY', 'the file holds no XML element', { file: displayName });
  if (failure) throw failure;
}
