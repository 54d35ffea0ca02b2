import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './testing/fixtures.js';
import { countEntries, sortedEntries } from './listing.js';

const spools = () => readdirSync(tmpdir()).filter((d) => d.startsWith('grip-listing-')).length;

/** A folder whose names sort differently by code unit and by the collator, with a subfolder and a tie. */
function folder(): string {
  const dir = tempDir();
  const names = [
    'JW323_2026-02.xml',
    'jw323_2026-01.xml',
    'b.csv',
    'a b.csv',
    'Z.xml',
    'ä.xml',
    'é.xml', // composed
    'e\u0301.xml', // decomposed: equal to the composed name for the collator
    'f.xml',
    '10.xml',
    '9.xml',
    'map',
  ];
  for (const n of names) {
    if (n === 'map') mkdirSync(join(dir, n));
    else writeFileSync(join(dir, n), 'x');
  }
  return dir;
}

describe('sortedEntries: a folder in name order, in bounded memory', () => {
  it('gives the collator order (hand-listed), with folders marked', () => {
    const dir = folder();
    const got = [...sortedEntries(dir)];
    // Intl.Collator (root locale): case and accents second to the letters, digits by code point.
    expect(got.map((e) => e.name).filter((n) => !n.startsWith('e\u0301') && n !== 'é.xml')).toEqual([
      '10.xml',
      '9.xml',
      'a b.csv',
      'ä.xml',
      'b.csv',
      'f.xml',
      'jw323_2026-01.xml',
      'JW323_2026-02.xml',
      'map',
      'Z.xml',
    ]);
    expect(got.filter((e) => e.folder).map((e) => e.name)).toEqual(['map']);
  });

  it('gives the same order when the folder is sorted in runs on disk, for every run size', () => {
    const dir = folder();
    // The importer's order before: readdirSync (which lists by strcmp, so ties such as the composed and the
    // decomposed é go by their bytes) sorted stably by the collator.
    const stable = readdirSync(dir, { withFileTypes: true })
      .sort((a, b) => new Intl.Collator().compare(a.name, b.name))
      .map((e) => [e.name, e.isDirectory()]);
    const before = spools();
    for (const chunk of [1, 2, 3, 5, 11, 12, 13, 1000]) {
      expect([...sortedEntries(dir, chunk)].map((e) => [e.name, e.folder])).toEqual(stable);
    }
    expect(spools()).toBe(before);
  });

  it('holds many names in runs and merges them (5,000 names, runs of 97)', () => {
    const dir = tempDir();
    const names = Array.from({ length: 5000 }, (_, i) => `JW301_${(i * 7919) % 5000}_${'x'.repeat(i % 40)}.xml`);
    for (const n of names) writeFileSync(join(dir, n), '');
    const got = [...sortedEntries(dir, 97)].map((e) => e.name);
    expect(got).toEqual([...names].sort(new Intl.Collator().compare));
  });

  it('leaves nothing behind when the caller stops early', () => {
    const dir = folder();
    const before = spools();
    const it = sortedEntries(dir, 2);
    expect(it.next().value).toEqual({ name: '10.xml', folder: false });
    it.return(undefined);
    expect(spools()).toBe(before);
  });

  it('counts entries one at a time', () => {
    const dir = folder();
    writeFileSync(join(dir, 'map', 'in.xml'), '');
    const count = (d: string): number =>
      countEntries(d, (name, isFolder) => (isFolder ? count(join(d, name)) : name.endsWith('.xml') ? 1 : 0));
    expect(count(dir)).toBe(10); // nine .xml names in the folder, one in its subfolder
  });
});
