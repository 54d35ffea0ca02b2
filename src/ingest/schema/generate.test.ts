import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { at } from '../../domain/indexing.js';
import { tempDir } from '../testing/fixtures.js';
import { GENERATED_FILE, generate } from './generate.js';
import { IJW32_SCHEMA } from './ijw32.generated.js';
import { Base, checkSimple, isXsdDate } from './validator.js';
import { buildSchemaModel, xsdPatternToJs } from './xsd-model.js';

const type = (name: string) => {
  const t = IJW32_SCHEMA.simpleTypes.find((x) => x.name === name);
  if (!t) throw new Error(`no type ${name}`);
  return t;
};

describe('the validator generator', () => {
  it('the checked-in module is what the generator makes of schemas/ijw-3.2 (run `npm run gen:schema` after changing the XSDs)', () => {
    expect(readFileSync(GENERATED_FILE, 'utf8')).toBe(generate());
  });

  it('covers the six messages Grip reads, each rooted at Bericht in its own namespace', () => {
    expect(IJW32_SCHEMA.roots.map((r) => r.message)).toEqual(['JW301', 'JW305', 'JW307', 'JW315', 'JW323', 'JW325']);
    const jw323 = IJW32_SCHEMA.roots.find((r) => r.message === 'JW323')!;
    expect(jw323.ns).toBe('http://www.istandaarden.nl/ijw/3_2/jw323/schema');
    // JW323.xsd: Bericht = Header, Declaratie; Clienten holds 1..n Client.
    expect(at(IJW32_SCHEMA.complexTypes, jw323.complex).particles.map((p) => p.name)).toEqual(['Header', 'Declaratie']);
    const clienten = IJW32_SCHEMA.complexTypes.find(
      (c) => c.name === 'Clienten' && c.particles[0]?.ns.endsWith('/jw323/schema'),
    )!;
    expect(clienten.particles).toEqual([expect.objectContaining({ name: 'Client', min: 1, max: -1 })]);
  });

  it('takes the facets from the basisschema (values from the XSD text)', () => {
    // LDT_Bedrag: xs:integer 0..99999999; LDT_BurgerServicenummer: [0-9]{9}, length 1..9; LDT_Datum: xs:date without timezone.
    expect(type('LDT_Bedrag')).toMatchObject({ base: Base.Integer, minInclusive: 0n, maxInclusive: 99999999n });
    expect(checkSimple(type('LDT_Bedrag'), '99999999')).toBeNull();
    expect(checkSimple(type('LDT_Bedrag'), '100000000')).toMatch(/greater/);
    expect(checkSimple(type('LDT_Bedrag'), ' 42 ')).toBeNull(); // xs:integer collapses whitespace
    expect(checkSimple(type('LDT_BurgerServicenummer'), '99990000')).toMatch(/pattern/);
    expect(checkSimple(type('LDT_BurgerServicenummer'), ' 999900006')).toMatch(/longer/); // xs:string keeps it
    expect(checkSimple(type('LDT_Datum'), '2025-01-01Z')).toMatch(/pattern/);
    expect(checkSimple(type('LDT_DebetCredit'), 'D')).toBeNull();
    expect(checkSimple(type('LDT_DebetCredit'), 'd')).toMatch(/allowed values/);
  });

  it('checks dates as xs:date does (leap years, month lengths, four-digit years)', () => {
    expect(['2024-02-29', '2000-02-29', '12025-01-01', '2025-12-31'].map(isXsdDate)).toEqual([true, true, true, true]);
    expect(
      ['2025-02-29', '1900-02-29', '2025-04-31', '0000-01-01', '02025-01-01', '2025-1-01', '2025-13-01'].map(isXsdDate),
    ).toEqual(Array(7).fill(false));
  });

  it('translates XSD regular expressions: implicit anchors, `.` and `\\s` as XSD defines them', () => {
    const re = (p: string) => new RegExp(xsdPatternToJs(p), 'u');
    expect(re('[0-9]{4}').test('0482')).toBe(true);
    expect(re('[0-9]{4}').test('04821')).toBe(false);
    expect(re('.*[^\\s].*').test('a\nb')).toBe(false); // `.` matches no newline
    expect(re('.*[^\\s].*').test('\u00a0')).toBe(true); // no-break space is not XSD whitespace
    expect(re('a^b$').test('a^b$')).toBe(true); // ^ and $ are plain characters in XSD
    expect(() => xsdPatternToJs('\\d+')).toThrow(/not supported/);
  });

  it('refuses an XSD construct it does not handle, naming the file and line', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'X.xsd'),
      `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:x" elementFormDefault="qualified">
  <xs:element name="Bericht"><xs:complexType>
    <xs:choice><xs:element name="A" type="xs:string"/><xs:element name="B" type="xs:string"/></xs:choice>
  </xs:complexType></xs:element>
</xs:schema>`,
    );
    expect(() => buildSchemaModel([join(dir, 'X.xsd')])).toThrow(/X\.xsd:2: unsupported XSD construct/);
  });
});
