/**
 * The fused reader (fused.ts) takes the narrow form message software writes and declines everything else.
 * What it hands on equals saxes' reading on large corpora (plainscan.test.ts); here: which files it takes,
 * and that a file it declines part-way costs nothing but a second reading.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GripError } from '../../domain/errors.js';
import { IJW32_SCHEMA } from '../schema/ijw32.generated.js';
import { StreamValidator } from '../schema/validator.js';
import { tempDir } from '../testing/fixtures.js';
import { streamXml } from './stream.js';

const FIXTURE = readFileSync(join(import.meta.dirname, '..', 'testing', 'messages', 'JW323.xml'), 'utf8');
/** The fixture without its comments (the fused reader leaves comments to the general path). */
const PLAIN = FIXTURE.replace(/<!--[\s\S]*?-->\s*/g, '');

/** Which reader read `xml` as a JW323 message, the visitor's events, and the verdict. */
async function read(xml: string, failAt?: string): Promise<{ used: string; events: string[]; verdict: string }> {
  const file = join(tempDir(), 'f.xml');
  writeFileSync(file, xml);
  let used = '';
  const events: string[] = [];
  let verdict = 'accepted';
  try {
    await streamXml(
      file,
      'f.xml',
      {
        open: (path, line) => events.push(`open ${path.join('/')} @${line}`),
        close: (path, text, line) => {
          // A rule of the visitor's own (as messages.ts checks Grip's rules) that fails at `failAt`.
          if (path.at(-1) === failAt) throw new GripError('RULE', 'broken', { file: 'f.xml', line, element: failAt });
          events.push(`close ${path.join('/')} ${JSON.stringify(text)} @${line}`);
        },
      },
      undefined,
      {
        validator: new StreamValidator(IJW32_SCHEMA, 'JW323'),
        onTokenizer: (u) => (used = u),
        restart: () => {
          events.length = 0;
          return new StreamValidator(IJW32_SCHEMA, 'JW323');
        },
      },
    );
  } catch (e) {
    if (!(e instanceof GripError)) throw e;
    verdict = `${e.code} ${e.where.element ?? ''} @${e.where.line ?? ''}`;
  }
  return { used, events, verdict };
}

describe('the fused reader', () => {
  it('reads a message in the narrow form whole, with the events and lines saxes reports', async () => {
    const fused = await read(PLAIN);
    expect(fused.used).toBe('fused');
    expect(fused.verdict).toBe('accepted');
    // The fixture's lines, counted by hand: the root on line 2, the first client's Bsn on line 31.
    expect(fused.events[0]).toBe('open Bericht @2');
    expect(fused.events).toContain('close Bericht/Declaratie/Clienten/Client/Bsn "999900006" @31');
    // The same file with a comment is read by the plain scanner: the same events.
    const withComment = await read(PLAIN.replace('<jw323:Bericht', '<!-- c -->\n<jw323:Bericht'));
    expect(withComment.used).toBe('plain');
    expect(withComment.events.map((e) => e.replace(/@(\d+)$/, (_, l: string) => `@${Number(l) - 1}`))).toEqual(
      fused.events,
    );
  });

  it('reads UTF-8 beyond ASCII and a byte order mark, with saxes’ values and lines', async () => {
    const wide = PLAIN.replace('>REF-A1<', '>RÉF-€😀-A1<');
    const saxesLike = await read(wide.replace('<jw323:Bericht', '<!-- c -->\n<jw323:Bericht'));
    for (const xml of [wide, `\ufeff${wide}`, `\ufeff${PLAIN}`]) {
      const r = await read(xml);
      expect(r.used, xml.slice(0, 60)).toBe('fused');
      expect(r.verdict).toBe('accepted');
    }
    const r = await read(wide);
    // Line 38 of the fixture, 35 without its three comment lines.
    expect(r.events).toContain(
      'close Bericht/Declaratie/Clienten/Client/Prestaties/Prestatie/ProductReferentie/ReferentieNummer "RÉF-€😀-A1" @35',
    );
    expect(saxesLike.used).toBe('plain');
    expect(saxesLike.events.map((e) => e.replace(/@(\d+)$/, (_, l: string) => `@${Number(l) - 1}`))).toEqual(r.events);
  });

  it.each([
    ['a character XML forbids (U+FFFF) in a text', PLAIN.replace('>REF-A1<', '>REF-\uFFFF-A1<')],
    ['an attribute on an inner element', PLAIN.replace('<jw323:Header>', '<jw323:Header x="1">')],
    ['a reference in a text', PLAIN.replace('>D</', '>&#68;</')],
    ['white space inside a tag', PLAIN.replace('<jw323:Header>', '<jw323:Header >')],
    ['an empty-element tag', PLAIN.replace('<ijw:BasisschemaXsdVersie>1.0.0</ijw:BasisschemaXsdVersie>', '<x/>')],
    ['no XML declaration', PLAIN.replace(/^<\?xml[^>]*>\s*/, '')],
    ['a comment after the root', `${PLAIN}<!-- c -->`],
    ['an xsi:schemaLocation on the root', PLAIN.replace('<jw323:Bericht ', '<jw323:Bericht xsi:schemaLocation="a b" ')],
  ])('declines a file with %s (the general path reads it)', async (_, xml) => {
    expect(xml).not.toBe(PLAIN);
    expect((await read(xml)).used).not.toBe('fused');
  });

  it('declines a file that breaks the schema or Grip’s rules part-way; the general path words the error', async () => {
    const cases: [string, string, string?][] = [
      // Two elements swapped: the XSD names the one that came too early, on its line (5: declaration, root,
      // Header, BerichtCode, then it).
      [
        PLAIN.replace(
          /(<jw323:BerichtVersie>3<\/jw323:BerichtVersie>)(\s*)(<jw323:BerichtSubversie>2<\/jw323:BerichtSubversie>)/,
          '$3$2$1',
        ),
        'XSD_INVALID BerichtSubversie @5',
      ],
      // A bad value of a simple type.
      [
        PLAIN.replace('<ijw:DebetCredit>D</ijw:DebetCredit>', '<ijw:DebetCredit>X</ijw:DebetCredit>'),
        'XSD_INVALID DebetCredit @',
      ],
      // Valid for the XSD; the visitor's own rule fails at the declaration's total (line 29 of the fixture, 26 without its three comment lines).
      [PLAIN, 'RULE TotaalBedrag @26', 'TotaalBedrag'],
    ];
    for (const [xml, expected, failAt] of cases) {
      const r = await read(xml, failAt);
      expect(r.used, expected).not.toBe('fused');
      expect(r.verdict).toContain(expected);
    }
  });
});
