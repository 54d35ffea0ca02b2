/**
 * The plain scanner (plainscan.ts) against saxes: every file is read by streamXml twice — as readIjwFile
 * reads files (the plain scanner hands its events on as it reads; should it decline part-way, streamXml
 * restarts the visitor and validator and saxes reads the file from the start), and with saxes only —
 * recording every event the visitor and the in-stream validator see (names, namespace URIs, lines, texts,
 * attributes) and the outcome (the error's code, message, line, column and element). For every file the
 * records must be the same (what was seen before a restart is forgotten, as readIjwFile forgets it). And
 * readIjwFile itself, with the scanner and with saxes only: the same rows, counts and verdict.
 * The files: the mutation corpus of the XSD differential test (≥ 5,000 files) and character-level mutations
 * of real messages (inserted `<`, `&`, `]]>`, control and non-ASCII characters, truncations, duplicated
 * attributes, unclosed and mismatched tags, bad comments, other line ends and quotes…).
 */
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { at } from '../../domain/indexing.js';
import { GripError } from '../../domain/errors.js';
import { IJW32_SCHEMA } from '../schema/ijw32.generated.js';
import { buildMutationCorpus, type CorpusFile } from '../schema/testing/corpus.js';
import { rng, type Rng } from '../schema/testing/mutate.js';
import { StreamValidator, type AttributeInfo } from '../schema/validator.js';
import { tempDir } from '../testing/fixtures.js';
import { makePseudonymiser } from '../pseudonymise.js';
import type { MessageType } from '../../warehouse/warehouse.js';
import { readIjwFile } from './messages.js';
import { streamXml } from './stream.js';

interface Record {
  trace: string[];
  used: 'fused' | 'plain' | 'saxes' | null;
  /** Whether the scanner handed on events and then left the file to saxes. */
  restarted: boolean;
}

/** `direct`: the plain scanner (never the fused reader), else saxes; `fused`: as readIjwFile reads; `saxes`. */
type Reading = 'direct' | 'fused' | 'saxes';

/** Reads `file` with streamXml and records everything the visitor and the validator see, and the outcome. */
async function record(file: string, message: string | null, reading: Reading): Promise<Record> {
  const trace: string[] = [];
  let used: Record['used'] = null;
  let restarted = false;
  class Recording extends StreamValidator {
    override open(uri: string, local: string, line: number, attributes: readonly AttributeInfo[]): void {
      trace.push(`v-open {${uri}}${local} @${line} ${JSON.stringify(attributes)}`);
      super.open(uri, local, line, attributes);
    }
    override text(t: string): void {
      trace.push(`v-text ${JSON.stringify(t)}`);
      super.text(t);
    }
    override close(value: string): void {
      trace.push(`v-close ${JSON.stringify(value)}`);
      super.close(value);
    }
  }
  try {
    await streamXml(
      file,
      'file.xml',
      {
        root: (name, prefix, attributes) =>
          trace.push(`root ${prefix}:${name} ${JSON.stringify(Object.entries(attributes))}`),
        open: (path, line) => trace.push(`open ${path.join('/')} @${line}`),
        close: (path, text, line) => trace.push(`close ${path.join('/')} ${JSON.stringify(text)} @${line}`),
      },
      undefined,
      {
        validator: message === null ? null : new Recording(IJW32_SCHEMA, message),
        tokenizer: reading === 'saxes' ? 'saxes' : reading === 'direct' ? 'plain' : 'auto',
        onTokenizer: (u) => (used = u),
        restart:
          reading !== 'saxes'
            ? () => {
                restarted = true;
                trace.length = 0;
                return message === null ? null : new Recording(IJW32_SCHEMA, message);
              }
            : undefined,
      },
    );
    trace.push('accepted');
  } catch (e) {
    if (!(e instanceof GripError)) throw e;
    trace.push(`rejected ${e.code} ${e.message} ${JSON.stringify(e.where)}`);
  }
  return { trace, used, restarted };
}

const pseudonymise = makePseudonymiser(Buffer.alloc(32, 7));

/** readIjwFile's rows, counts and meta, or its error. */
async function rowsOf(file: string, message: string, tokenizer: 'auto' | 'plain' | 'saxes'): Promise<string> {
  const out: string[] = [];
  try {
    const r = await readIjwFile(
      file,
      'file.xml',
      { sha256: 'x', sizeBytes: 1 },
      pseudonymise,
      { row: (table, row) => out.push(`${table} ${JSON.stringify(row)}`) },
      undefined,
      { validate: true, expect: message as MessageType, tokenizer },
    );
    out.push(`accepted ${JSON.stringify(r)}`);
  } catch (e) {
    if (!(e instanceof GripError)) throw e;
    out.push(`rejected ${e.code} ${e.message} ${JSON.stringify(e.where)}`);
  }
  return out.join('\n');
}

interface Tally {
  files: number;
  plain: number;
  declined: number;
  plainRejected: number;
  neither: number;
  /** Files the scanner handed on in part and then left to saxes. */
  restarted: number;
  /** Files the fused reader read whole (as readIjwFile reads), and files it handed on in part and declined. */
  fused: number;
  fusedRestarted: number;
  /** Files readIjwFile accepted (with rows), with the scanner and with saxes alike. */
  rowsAccepted: number;
  /** Of those, files the scanner handed on in part (rows too, maybe) and then left to saxes. */
  restartedWithRows: number;
  differences: string[];
}

/** Compares the records of both readers; `message` null reads without the validator. */
async function compare(files: { file: string; message: string | null }[]): Promise<Tally> {
  const tally: Tally = {
    files: 0,
    plain: 0,
    declined: 0,
    plainRejected: 0,
    neither: 0,
    restarted: 0,
    fused: 0,
    fusedRestarted: 0,
    rowsAccepted: 0,
    restartedWithRows: 0,
    differences: [],
  };
  for (const { file, message } of files) {
    const ours = await record(file, message, 'direct');
    const saxes = await record(file, message, 'saxes');
    if (ours.restarted) tally.restarted++;
    // Files rejected before either reader starts (bytes that are not UTF-8, an unknown encoding) are neither.
    expect(saxes.used).not.toBe('plain');
    tally.files++;
    if (ours.used === 'plain') {
      tally.plain++;
      if (ours.trace.at(-1)?.startsWith('rejected')) tally.plainRejected++;
    } else if (ours.used === 'saxes') tally.declined++;
    else tally.neither++;
    if (ours.trace.join('\n') !== saxes.trace.join('\n')) {
      let i = 0;
      while (ours.trace[i] === saxes.trace[i]) i++;
      tally.differences.push(`${file}: event ${i}: plain ${ours.trace[i]} | saxes ${saxes.trace[i]}`);
    }
    if (message !== null) {
      // The fused reader does not call the validator (it checks with its tables): the visitor's events and
      // the verdict must be saxes' all the same.
      const fused = await record(file, message, 'fused');
      if (fused.used === 'fused') tally.fused++;
      if (fused.restarted) tally.fusedRestarted++;
      const visible = (r: Record) => r.trace.filter((t) => !t.startsWith('v-')).join('\n');
      if (visible(fused) !== visible(saxes))
        tally.differences.push(`${file}: fused ${visible(fused)} | saxes ${visible(saxes)}`);
      const rowsFused = await rowsOf(file, message, 'auto');
      const rowsPlain = await rowsOf(file, message, 'plain');
      const rowsSaxes = await rowsOf(file, message, 'saxes');
      if (rowsFused !== rowsSaxes) tally.differences.push(`${file}: rows: fused ${rowsFused} | saxes ${rowsSaxes}`);
      if (rowsPlain !== rowsSaxes) tally.differences.push(`${file}: rows: plain ${rowsPlain} | saxes ${rowsSaxes}`);
      else if (rowsPlain.includes('\naccepted ')) {
        // Accepted with rows (the accepted line comes after them).
        tally.rowsAccepted++;
        if (ours.restarted) tally.restartedWithRows++;
      }
    }
  }
  return tally;
}

const pick = <T>(r: Rng, xs: readonly T[]): T => at(xs, Math.floor(r() * xs.length));
/** `pick` from matches that may be none (after earlier changes); the caller leaves the text as it is then. */
const pickMatch = (r: Rng, xs: RegExpExecArray[]): RegExpExecArray | undefined => xs[Math.floor(r() * xs.length)];

/** What the character-level mutations insert: markup, references, characters XML forbids, names, quotes. */
const INSERTS = [
  '<',
  '>',
  '&',
  '&amp;',
  '&lt;',
  '&gt;',
  '&quot;',
  '&apos;',
  '&amp',
  '&nbsp;',
  '&#65;',
  '&#x41;',
  '&#X41;',
  '&#xd7ff;',
  '&#xD800;',
  '&#0;',
  '&#9;',
  '&#10;',
  '&#13;',
  '&#x10FFFF;',
  '&#x110000;',
  '&#00000065;',
  '&#;',
  ']]>',
  ']]',
  ']>',
  '\u0000',
  '\u0001',
  '\u000b',
  '\u000c',
  '\u001f',
  '\u007f',
  '\u0085',
  '\u00a0',
  '\u2028',
  '\ufeff',
  '\ufffe',
  '\uffff',
  'é',
  '·',
  '😀',
  '\r',
  '\r\n',
  '\n',
  '\t',
  ' ',
  '"',
  "'",
  '=',
  '/',
  '/>',
  '</',
  '<x>',
  '</x>',
  '<x/>',
  '<é/>',
  '<x:y/>',
  '<!-- x -->',
  '<!-- x -- y -->',
  '<!---->',
  '<!--->',
  '<!-- x --->',
  '<!--',
  '-->',
  '<![CDATA[1 < 2]]>',
  '<?pi x?>',
  '<?p:q x?>',
  '<?xml version="1.0"?>',
  '<!DOCTYPE a>',
  '<!ELEMENT a ANY>',
  ' x="1"',
  " x='1'",
  ' x="1" x="2"',
  ' x = "1"',
  ' x="a<b"',
  ' x="a&b"',
  ' x="a&amp;b\tc\nd\r\ne&#10;f"',
  ' xmlns="urn:x"',
  ' xmlns=""',
  ' xmlns:p="urn:p"',
  ' xmlns:p=""',
  ' xmlns:xml="urn:x"',
  ' p:x="1"',
  ' é="1"',
  'x="1"',
];

/** One character-level change of a message. */
function scramble(xml: string, r: Rng): { kind: string; xml: string } {
  const pos = Math.floor(r() * xml.length);
  const kind = pick(r, [
    'insert',
    'insert',
    'insert',
    'insert-in-tag',
    'insert-in-tag',
    'delete',
    'truncate',
    'duplicate-attribute',
    'mismatch',
    'unclose',
    'rename-open',
    'non-ascii-name',
    'crlf',
    'cr',
    'single-quotes',
    'spaces-in-tags',
    'bom',
    'declaration',
    'after-root',
    'before-root',
    'entities-in-text',
  ]);
  switch (kind) {
    case 'insert':
      return { kind, xml: xml.slice(0, pos) + pick(r, INSERTS) + xml.slice(pos) };
    case 'insert-in-tag': {
      // Just before the `>` or `/>` of a start tag, or after its name.
      const t = pickMatch(r, [...xml.matchAll(/<[A-Za-z][^>]*?(\/?>)/g)]);
      if (!t) return { kind, xml };
      const at = t.index + t[0].length - (t[1]?.length ?? 1);
      return { kind, xml: xml.slice(0, at) + pick(r, INSERTS) + xml.slice(at) };
    }
    case 'delete':
      return { kind, xml: xml.slice(0, pos) + xml.slice(pos + 1 + Math.floor(r() * 20)) };
    case 'truncate':
      return { kind, xml: xml.slice(0, pos) };
    case 'duplicate-attribute':
      return { kind, xml: xml.replace(/ (xmlns:[a-z0-9]+="[^"]*")/, ' $1 $1') };
    case 'mismatch': {
      const ends = [...xml.matchAll(/<\/([^>]+)>/g)];
      const e = pickMatch(r, ends);
      const other = pickMatch(r, ends)?.[1] ?? 'x';
      if (!e) return { kind, xml };
      const i = e.index;
      return { kind, xml: `${xml.slice(0, i)}</${other}>${xml.slice(i + e[0].length)}` };
    }
    case 'unclose': {
      const e = pickMatch(r, [...xml.matchAll(/<\/[^>]+>/g)]);
      if (!e) return { kind, xml };
      const i = e.index;
      return { kind, xml: xml.slice(0, i) + xml.slice(i + e[0].length) };
    }
    case 'rename-open': {
      const s = pickMatch(r, [...xml.matchAll(/<([A-Za-z][^\s/>]*)/g)]);
      if (!s) return { kind, xml };
      const i = s.index + 1;
      return { kind, xml: `${xml.slice(0, i)}X${xml.slice(i)}` };
    }
    case 'non-ascii-name': {
      const s = pickMatch(r, [...xml.matchAll(/<\/?([A-Za-z][^\s/>]*)/g)]);
      if (!s) return { kind, xml };
      const i = s.index + s[0].length;
      return { kind, xml: xml.slice(0, i) + pick(r, ['é', '·', '\u0300', 'Ω', '\u2070']) + xml.slice(i) };
    }
    case 'crlf':
      return { kind, xml: xml.replace(/\n/g, '\r\n') };
    case 'cr':
      return { kind, xml: xml.replace(/\n/g, '\r') };
    case 'single-quotes':
      return { kind, xml: xml.replace(/="([^"]*)"/g, "='$1'") };
    case 'spaces-in-tags':
      return {
        kind,
        xml: xml.replace(/(<[A-Za-z][^\s/>]*)( [^>]*)?>/, '$1\n\t$2 \r\n >').replace(/<\/([^>]+)>/, '</$1 \n>'),
      };
    case 'bom':
      return { kind, xml: `\ufeff${xml}` };
    case 'declaration': {
      const decl = pick(r, [
        '<?xml version="1.0"?>',
        "<?xml version='1.0' encoding='utf-8' standalone='yes'?>",
        '<?xml version="1.0" standalone="no" ?>',
        '<?xml version="1.0" encoding="UTF-8"\n?>',
        '<?xml version = "1.0"?>',
        '<?xml version="1.1"?>',
        '<?xml version="1.0" standalone="maybe"?>',
        '<?xml encoding="UTF-8"?>',
        '<?xml version="1.0"encoding="UTF-8"?>',
        ' <?xml version="1.0"?>',
        '<?xml?>',
        '<?XML version="1.0"?>',
      ]);
      return { kind, xml: xml.replace(/^<\?xml[^>]*>/, decl) };
    }
    case 'after-root':
      return { kind, xml: xml + pick(r, ['\n', ' \r\n\t', '<!-- c -->\n', 'x', '<x/>', '&amp;', '<?pi?>', '\u0001']) };
    case 'before-root':
      return {
        kind,
        xml: xml.replace(
          /(<\?xml[^>]*>)?/,
          `$1${pick(r, ['\n\n', '<!-- c -->', '\n<!-- c -->\r\n', 'x', '&#32;', '<!DOCTYPE x>', '<?pi?>'])}`,
        ),
      };
    case 'entities-in-text': {
      const t = pickMatch(r, [...xml.matchAll(/>([^<\s][^<]*)</g)]);
      if (!t) return { kind, xml };
      const i = t.index + 1;
      const v = t[1] ?? '';
      const rep = pick(r, ['&amp;', '&#x31;', '&#49;', '&lt;&gt;', '&apos;&quot;', 'a]]b', ']]&gt;', '\u00e9']);
      return { kind, xml: xml.slice(0, i) + rep + v + xml.slice(i + v.length) };
    }
    default:
      return { kind, xml };
  }
}

describe('the plain scanner and the fused reader report what saxes reports, or leave the file to saxes', () => {
  let dir: string;
  const corpus: CorpusFile[] = [];

  beforeAll(async () => {
    dir = tempDir();
    corpus.push(...(await buildMutationCorpus(dir, 5_200)));
  });

  it('on the XSD differential test’s mutation corpus (≥ 5,000 files)', async () => {
    expect(corpus.length).toBeGreaterThanOrEqual(5_000);
    const tally = await compare(corpus);
    if (process.env.GRIP_DIFF_VERBOSE) console.log(JSON.stringify({ ...tally, differences: tally.differences.length }));
    expect(tally.differences.slice(0, 10)).toEqual([]);
    // The corpus has CDATA and other variants the scanner leaves to saxes, but most files are plain, and
    // many of those are rejected (schema and namespace errors), so both verdicts are compared.
    expect(tally.plain).toBeGreaterThan(3_000);
    expect(tally.declined).toBeGreaterThan(50);
    expect(tally.plainRejected).toBeGreaterThan(2_000);
    // Files the scanner handed on in part before leaving them to saxes, many with rows built and dropped.
    expect(tally.restarted).toBeGreaterThan(100);
    expect(tally.rowsAccepted).toBeGreaterThan(500);
    expect(tally.restartedWithRows).toBeGreaterThan(50);
    // The fused reader reads the valid files of the narrow form whole, and hands on part of the rejected
    // ones before declining them (every verdict then comes from the general path).
    expect(tally.fused).toBeGreaterThan(600);
    expect(tally.fusedRestarted).toBeGreaterThan(2_000);
  });

  it('on 4,000 character-level mutations of real messages', async () => {
    const out = join(dir, 'scrambled');
    mkdirSync(out);
    const fixtures = join(import.meta.dirname, '..', 'testing', 'messages');
    const bases: { message: string; xml: string }[] = readdirSync(fixtures).map((f) => ({
      message: f.replace(/\.xml$/, ''),
      xml: readFileSync(join(fixtures, f), 'utf8'),
    }));
    // And generated messages of the region (the bases of the corpus above).
    for (const c of corpus.filter((x) => x.kind === 'base').slice(0, 40))
      bases.push({ message: c.message, xml: readFileSync(c.file, 'utf8') });
    const r = rng(3232);
    const files: { file: string; message: string }[] = [];
    const kinds = new Map<string, number>();
    for (let i = 0; i < 4_000; i++) {
      const b = at(bases, i % bases.length);
      let xml = b.xml;
      const changes = 1 + Math.floor(r() * 3);
      for (let k = 0; k < changes; k++) {
        const m = scramble(xml, r);
        xml = m.xml;
        kinds.set(m.kind, (kinds.get(m.kind) ?? 0) + 1);
      }
      const file = join(out, `${b.message}-${i}.xml`);
      writeFileSync(file, xml);
      files.push({ file, message: b.message });
    }
    const tally = await compare(files);
    if (process.env.GRIP_DIFF_VERBOSE)
      console.log(
        JSON.stringify({ ...tally, differences: tally.differences.length, kinds: Object.fromEntries(kinds) }),
      );
    expect(tally.differences.slice(0, 10)).toEqual([]);
    // Both readers are exercised: many files are taken by the plain scanner (valid, and rejected by the
    // schema or the namespace checks), many are declined.
    expect(tally.plain).toBeGreaterThan(500);
    expect(tally.declined).toBeGreaterThan(800);
    expect(tally.plainRejected).toBeGreaterThan(150);
    expect(tally.restarted).toBeGreaterThan(1_000);
    expect(tally.rowsAccepted).toBeGreaterThan(200);
    expect(tally.restartedWithRows).toBeGreaterThan(5);
    expect(tally.fused).toBeGreaterThan(250);
    expect(tally.fusedRestarted).toBeGreaterThan(1_000);
  });

  it('reports the same line and column as saxes for namespace errors found while the events are handled', async () => {
    const d = tempDir();
    const cases = [
      '\ufeff<a><p:b/></a>',
      '\ufeff<?xml version="1.0"?><a>😀<p:b/></a>',
      '<a>\r\n\r<p:b/></a>',
      '<a\r\n  x="1"\r\n><b xmlns:p=""/></a>',
      '<a x="\t\r\n">é😀\r<b y="&#10;" xmlns:xml="urn:x"/></a>',
      '<a xmlns:p="urn:x" xmlns:q="urn:x">\n\n  <b p:c="1"\n q:c="2">1</b></a>',
      '<!-- 😀\r\n -->\r<a><xmlns:b/></a>',
    ];
    const files = cases.map((xml, i) => {
      const file = join(d, `${i}.xml`);
      writeFileSync(file, xml);
      return { file, message: null };
    });
    const tally = await compare(files);
    expect(tally.differences).toEqual([]);
    expect(tally.plain).toBe(cases.length);
    expect(tally.plainRejected).toBe(cases.length);
  });

  it('takes the plain subset and declines the rest (which saxes then reads)', async () => {
    const d = tempDir();
    const used = async (xml: string): Promise<string> => {
      const file = join(d, 'f.xml');
      writeFileSync(file, xml);
      let u = '';
      try {
        await streamXml(file, 'f.xml', { close() {} }, undefined, { onTokenizer: (x) => (u = x), restart: () => null });
      } catch (e) {
        if (!(e instanceof GripError)) throw e;
      }
      return u;
    };
    const plain = [
      '<a/>',
      '\ufeff<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<a x=\'1\'\ty="&lt;&#x41;">t&amp;&#233;<!-- c -->\r</a>\n',
      '<!-- c --><p:a xmlns:p="urn:p"><p:b>1</p:b><c/></p:a><!-- d -->',
      '<a>\n<p:b>1</p:b></a>', // an unbound prefix: plain, rejected by the same namespace check
    ];
    for (const xml of plain) expect(await used(xml), xml).toBe('plain');
    const declined = [
      '<!DOCTYPE a><a/>',
      '<a><![CDATA[x]]></a>',
      '<?pi x?><a/>',
      '<a><?pi x?></a>',
      '<é/>',
      '<a·b/>',
      '<a b·="1"/>',
      ' <?xml version="1.0"?><a/>',
      '<?xml version="1.1"?><a/>',
      '<a>&nbsp;</a>',
      '<a>]]></a>',
      '<a>\u0001</a>',
      '<a x="1" x="2"/>',
      '<a x="<"/>',
      '<a></b>',
      '<a>',
      '<a/><b/>',
      '<a/>x',
      '<a><!-- x -- y --></a>',
    ];
    for (const xml of declined) expect(await used(xml), xml).toBe('saxes');
  });
});
