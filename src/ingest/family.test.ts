import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { at } from '../domain/indexing.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { csvFamilyKey, familyKey, parentIdentity } from './family.js';
import { makePseudonymiser } from './pseudonymise.js';
import {
  TEST_MESSAGES,
  TEST_KEY,
  importInto,
  jw301Xml,
  openTestWarehouse,
  tempDir,
  writeFile,
} from './testing/fixtures.js';

const ps = makePseudonymiser(TEST_KEY);

let w: Warehouse | null = null;
afterEach(async () => {
  await w?.close();
  w = null;
});

describe('family keys', () => {
  it('identify a parent by BSN (pseudonymised) or by surname and birth date (keyed hash), never by other relations', () => {
    const byBsn = parentIdentity({ 'Relatie/Soort': '10', 'Relatie/Nummer': '999900043' }, ps);
    expect(byBsn).toBe(ps('999900043'));
    const byName = parentIdentity(
      {
        'Relatie/Soort': '10',
        'Relatie/Nummer': '1',
        'Geboortedatum/Datum': '1980-02-03',
        'Geslachtsnaam/Voorvoegsel': 'de',
        'Geslachtsnaam/Achternaam': 'Vriés',
      },
      ps,
    );
    expect(byName).toMatch(/^h_[0-9a-f]{20}$/);
    // The same person written differently (case, accents, spacing) and with another Nummer: the same identity.
    expect(
      parentIdentity(
        {
          'Relatie/Soort': '10',
          'Relatie/Nummer': '2',
          'Geboortedatum/Datum': '1980-02-03',
          'Geslachtsnaam/Voorvoegsel': 'De ',
          'Geslachtsnaam/Achternaam': 'VRIES',
        },
        ps,
      ),
    ).toBe(byName);
    expect(byName).not.toContain('vries');
    // Not a parent (11 voogd, 13 pleegouder), or too little to identify: no identity.
    expect(parentIdentity({ 'Relatie/Soort': '11', 'Relatie/Nummer': '999900043' }, ps)).toBeNull();
    expect(parentIdentity({ 'Relatie/Soort': '13', 'Relatie/Nummer': '999900043' }, ps)).toBeNull();
    expect(
      parentIdentity({ 'Relatie/Soort': '10', 'Relatie/Nummer': '1', 'Geslachtsnaam/Achternaam': 'Vries' }, ps),
    ).toBeNull();
    // Without the keyed text hash (a bare pseudonymiser function) the name is not used.
    expect(
      parentIdentity(
        {
          'Relatie/Soort': '10',
          'Relatie/Nummer': '1',
          'Geboortedatum/Datum': '1980-02-03',
          'Geslachtsnaam/Achternaam': 'Vries',
        },
        (b: string) => b,
      ),
    ).toBeNull();
    expect(familyKey([])).toBeNull();
    expect(familyKey(['p_bbb', 'p_aaa'])).toBe('g_aaa');
    expect(csvFamilyKey('', ps)).toBeNull();
    expect(csvFamilyKey('GEZIN-17', ps)).toBe('GEZIN-17');
    expect(csvFamilyKey('999900043', ps)).toBe(`g_${ps('999900043').slice(2)}`);
  });

  it('links siblings from JW301 Relaties at import (XSD-valid), with no BSN or name stored', async () => {
    const dir = tempDir();
    const mother = { number: '999900043', surname: 'Jansen', birth: '1985-01-01' };
    const father = { number: '999900055', surname: 'Jansen', birth: '1984-06-01' };
    writeFile(
      dir,
      'a.xml',
      jw301Xml({ bsn: '999900006', allocation: '1', start: '2025-01-01', category: '43', relations: [mother, father] }),
    );
    writeFile(
      dir,
      'b.xml',
      jw301Xml({ bsn: '999900018', allocation: '2', start: '2025-01-01', category: '43', relations: [father, mother] }),
    );
    // Parent without a BSN, known by name and birth date (Relatie/Nummer differs per message).
    writeFile(
      dir,
      'c.xml',
      jw301Xml({
        bsn: '999900031',
        allocation: '3',
        start: '2025-01-01',
        relations: [{ number: '1', surname: 'Bakker', prefix: 'de', birth: '1979-03-03' }],
      }),
    );
    writeFile(
      dir,
      'd.xml',
      jw301Xml({
        bsn: '999900067',
        allocation: '4',
        start: '2025-01-01',
        relations: [{ number: '7', surname: 'bakker', prefix: 'De', birth: '1979-03-03' }],
      }),
    );
    // A guardian links nothing.
    writeFile(
      dir,
      'e.xml',
      jw301Xml({
        bsn: '999900079',
        allocation: '5',
        start: '2025-01-01',
        relations: [{ number: '999900043', kind: '11', surname: 'Voogd', birth: '1970-01-01' }],
      }),
    );
    w = await openTestWarehouse();
    const s = await importInto(w, [dir, join(TEST_MESSAGES, 'JW301.xml')]);
    expect(s.rejected).toBe(0);
    const rows = await (w as unknown as { all: (sql: string) => Promise<Record<string, unknown>[]> }).all(
      `SELECT allocation_number, client, family FROM allocations ORDER BY allocation_number`,
    );
    const fam = Object.fromEntries(rows.map((r) => [String(r.allocation_number), r.family as string | null]));
    expect(fam['1']).toBe(`g_${at([ps('999900043'), ps('999900055')].sort(), 0).slice(2)}`);
    expect(fam['2']).toBe(fam['1']);
    expect(fam['3']).toMatch(/^g_[0-9a-f]{20}$/);
    expect(fam['4']).toBe(fam['3']);
    expect(fam['3']).not.toBe(fam['1']);
    expect(fam['5']).toBeNull();
    // The test message JW301.xml lists a partner (12) and "anders" (09): no parent, no family.
    expect(fam['30001']).toBeNull();
    const text = JSON.stringify(rows);
    for (const secret of ['999900043', '999900055', 'Jansen', 'Bakker']) expect(text).not.toContain(secret);
  });
});
