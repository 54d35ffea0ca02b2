import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GripError } from '../../domain/errors.js';
import { at } from '../../domain/indexing.js';
import { tempDir } from '../testing/fixtures.js';
import { MAX_DEPTH, MAX_RUN, streamXml } from './stream.js';

/** Streams a file and returns the leaf texts by element, or the GripError it was rejected with. */
async function read(
  content: string | Buffer,
  name = 'f.xml',
): Promise<{ texts: Record<string, string>; error: GripError | null }> {
  const file = join(tempDir(), name);
  writeFileSync(file, content);
  let texts: Record<string, string> = {};
  try {
    // As readIjwFile reads (the plain scanner first, given a restart that forgets what it saw).
    await streamXml(file, name, { close: (p, text) => void (texts[at(p, p.length - 1)] = text) }, undefined, {
      restart: () => {
        texts = {};
        return null;
      },
    });
    return { texts, error: null };
  } catch (e) {
    if (!(e instanceof GripError)) throw e;
    return { texts, error: e };
  }
}

describe('streamXml', () => {
  it('decodes a file declared ISO-8859-1 as Latin-1 (Café, not Caf\\uFFFD)', async () => {
    const bytes = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?>\n<a><b>Caf\xe9</b></a>', 'latin1');
    expect(bytes.includes(0xe9)).toBe(true);
    const r = await read(bytes);
    expect(r.error).toBeNull();
    expect(r.texts.b).toBe('Café');
  });

  it('rejects bytes that are not UTF-8 in a UTF-8 file, with the line', async () => {
    const bytes = Buffer.concat([
      Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<a>\n<b>Caf', 'utf8'),
      Buffer.from([0xe9]),
      Buffer.from('</b></a>'),
    ]);
    const r = await read(bytes);
    expect(r.error?.code).toBe('XML_ENCODING');
    expect(r.error?.where.line).toBe(3);
  });

  it('refuses encodings it cannot decode exactly', async () => {
    const r = await read('<?xml version="1.0" encoding="Shift_JIS"?><a/>');
    expect(r.error?.code).toBe('XML_ENCODING');
  });

  it(`stops at nesting deeper than ${MAX_DEPTH} levels (80,000 levels are rejected, not parsed)`, async () => {
    const r = await read(`<a>${'<x>'.repeat(80_000)}${'</x>'.repeat(80_000)}</a>`);
    expect(r.error?.code).toBe('XML_TOO_DEEP');
    expect(r.error?.where.element).toBe('x');
  });

  it('accepts nesting up to the limit', async () => {
    const n = MAX_DEPTH - 1;
    const r = await read(`<a>${'<x>'.repeat(n)}${'</x>'.repeat(n)}</a>`);
    expect(r.error).toBeNull();
  });

  it(`rejects a text node longer than ${MAX_RUN} characters, with its line`, async () => {
    const r = await read(`<a>\n<b>${'9'.repeat(MAX_RUN + 10)}</b></a>`);
    expect(r.error?.code).toBe('XML_TOO_LARGE');
    expect(r.error?.where.line).toBe(2);
  });

  it('rejects the same in a large file read in chunks (6 MB text across chunks)', async () => {
    const r = await read(`<a>${'<b>1</b>'.repeat(10)}<c>${'x'.repeat(6 << 20)}</c></a>`);
    expect(r.error?.code).toBe('XML_TOO_LARGE');
  });

  it('reads a large file in chunks to the same texts', async () => {
    const body = Array.from({ length: 600_000 }, (_, i) => `<b>${i}</b>`).join('\n');
    const r = await read(`<a>\n${body}\n<z>Café ✓</z></a>`);
    expect(r.error).toBeNull();
    expect(r.texts.b).toBe('599999');
    expect(r.texts.z).toBe('Café ✓');
  });

  it('reads files of every size one after another, whole up to 4 MB and streamed beyond (the read buffer grows and is reused)', async () => {
    /** A file of exactly `size` bytes: `n` elements b, padding, then c with its size in it. */
    const sized = (size: number): string => {
      const tail = `<c>${size}</c></a>`;
      const b = '<b>123456789</b>\n';
      const n = Math.floor((size - 3 - tail.length - 64) / b.length);
      const pad = size - 3 - tail.length - n * b.length;
      return `<a>${b.repeat(n)}${' '.repeat(pad)}${tail}`;
    };
    for (const size of [100, 65_536, 65_537, 300_000, 1_100_000, 4 << 20, (4 << 20) + 1, 200, 65_537]) {
      const xml = sized(size);
      expect(Buffer.byteLength(xml)).toBe(size);
      const r = await read(xml);
      expect(r.error, String(size)).toBeNull();
      expect(r.texts.c).toBe(String(size));
      expect(r.texts.b).toBe('123456789');
    }
  });

  it('names the line of malformed XML', async () => {
    const r = await read('<a>\n<b>1</b>\n<c>2</b>\n</a>');
    expect(r.error?.code).toBe('XML_MALFORMED');
    expect(r.error?.where.line).toBe(3);
  });

  it('reads CDATA as text', async () => {
    const r = await read('<a><b><![CDATA[1 < 2]]></b></a>');
    expect(r.texts.b).toBe('1 < 2');
  });
  it('rejects namespace errors as saxes and libxml2 do, with the line (the names are resolved here)', async () => {
    const cases: [string, number][] = [
      ['<a>\n<p:b>1</p:b></a>', 2], // unbound element prefix
      ['<a xmlns:p="urn:x">\n<b q:c="1">1</b></a>', 2], // unbound attribute prefix
      ['<a xmlns:p="urn:x" xmlns:q="urn:x">\n<b p:c="1" q:c="2">1</b></a>', 2], // same expanded attribute twice
      ['<a>\n<b xmlns:p="">1</b></a>', 2], // undeclaring a prefix (XML 1.0)
      ['<a>\n<xmlns:b>1</xmlns:b></a>', 2], // the xmlns prefix on an element
      ['<a>\n<p:b:c xmlns:p="urn:x">1</p:b:c></a>', 2], // two colons
      ['<a>\n<b xmlns:xml="urn:x">1</b></a>', 2], // rebinding xml
      ['<a><b>1</b>\n<?p:q data?></a>', 2], // colon in a processing instruction's target
    ];
    for (const [xml, line] of cases) {
      const r = await read(xml);
      expect(r.error?.code, xml).toBe('XML_MALFORMED');
      expect(r.error?.where.line, xml).toBe(line);
    }
  });

  it('accepts namespaces declared below the root and a processing instruction without colon', async () => {
    const r = await read('<p:a xmlns:p="urn:x"><b xmlns="urn:y"><p:c>1</p:c><d>2</d></b><?pi data?></p:a>');
    expect(r.error).toBeNull();
    expect(r.texts).toEqual({ c: '1', d: '2', b: '', a: '' });
  });
  it('reads names longer than the name caches keep, under a long namespace, as any other', async () => {
    const long = `n${'x'.repeat(300)}`;
    const uri = `urn:${'u'.repeat(5000)}`;
    for (let i = 0; i < 2; i++) {
      const r = await read(`<a xmlns:p="${uri}"><p:${long}>1</p:${long}><b>2</b></a>`);
      expect(r.error).toBeNull();
      expect(r.texts[long]).toBe('1');
      expect(r.texts.b).toBe('2');
    }
  });
});
