import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../warehouse/warehouse.js';
import { TEST_MESSAGES, importInto, openTestWarehouse, tempDir, writeFile } from './testing/fixtures.js';
import { BUNDLED_XSD_DIR, findXsdDir, makeXsdValidator } from './xsd.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

let w: Warehouse | null = null;
afterEach(async () => {
  await w?.close();
  w = null;
});

describe('the iJw 3.2 schemas the project carries', () => {
  it('are found by default in schemas/ijw-3.2 of the project, and GRIP_XSD_DIR overrides them', () => {
    expect(BUNDLED_XSD_DIR).toBe(resolve(ROOT, 'schemas/ijw-3.2'));
    expect(findXsdDir({})).toBe(BUNDLED_XSD_DIR);
    const other = tempDir();
    expect(findXsdDir({ GRIP_XSD_DIR: other })).toBeNull();
    writeFile(other, 'JW323.xsd', readFileSync(join(BUNDLED_XSD_DIR, 'JW323.xsd'), 'utf8'));
    expect(findXsdDir({ GRIP_XSD_DIR: other })).toBe(other);
  });

  it('hold the schema of every message the importer reads, and the basisschema they import', () => {
    const files = readdirSync(BUNDLED_XSD_DIR)
      .filter((f) => f.endsWith('.xsd'))
      .sort();
    expect(files).toEqual(
      expect.arrayContaining([
        'JW301.xsd',
        'JW305.xsd',
        'JW307.xsd',
        'JW315.xsd',
        'JW323.xsd',
        'JW325.xsd',
        'basisschema.xsd',
      ]),
    );
    for (const f of files.filter((x) => x !== 'basisschema.xsd')) {
      const text = readFileSync(join(BUNDLED_XSD_DIR, f), 'utf8');
      expect(text).toContain('<ijw:release>3.2</ijw:release>');
      expect(text).toContain('schemaLocation="basisschema.xsd"');
    }
  });

  it('make a real validator (xmllint installed by scripts/setup-test.sh)', () => {
    const v = makeXsdValidator();
    expect(v.why).toContain(BUNDLED_XSD_DIR);
    expect(v.available).toBe(true);
  });
});

describe('importing a well-formed file with an element the XSD forbids', () => {
  it("is rejected with the XSD's message naming the file; the good file beside it imports", async () => {
    const good = readFileSync(join(TEST_MESSAGES, 'JW323.xml'), 'utf8');
    // The same declaration with one element JW323.xsd does not know, inside the first Prestatie.
    const bad = good
      .replace('D0482M2604', 'D0482M2605')
      .replace(
        '<jw323:Eenheid>04</jw323:Eenheid>',
        '<jw323:Eenheid>04</jw323:Eenheid>\n            <jw323:Opmerking>extra</jw323:Opmerking>',
      );
    expect(bad).toContain('<jw323:Opmerking>');
    const dir = tempDir();
    const badFile = writeFile(dir, 'extra-element.xml', bad);
    const goodFile = writeFile(dir, 'good.xml', good);
    w = await openTestWarehouse();
    const s = await importInto(w, [badFile, goodFile]);
    expect(s.xsdValidated).toBe(true);
    expect([s.imported, s.rejected]).toEqual([1, 1]);
    const reason = s.outcomes.find((o) => o.status === 'rejected')!.reason!;
    expect(reason).toContain('extra-element.xml');
    expect(reason).toMatch(/does not validate against JW323\.xsd/);
    // libxml2's own words for a forbidden element, with the element named.
    expect(reason).toMatch(/Element 'Opmerking': This element is not expected/);
    expect((await w.status()).totalCents).toBe(79000);
  });
});
