import { describe, expect, it } from 'vitest';
import { parseMunicipalitiesCsv } from './municipalities.js';

describe('municipalities CSV', () => {
  it('reads codes in any form and marks the figures as loaded (not approximate)', () => {
    const rows = parseMunicipalitiesCsv(
      'code;name;inhabitants;youths\nGM0482;;20938;4611\n505;Dordrecht;121000;26000\n',
      'm.csv',
    );
    expect(rows).toEqual([
      { code: '0482', name: 'Alblasserdam', inhabitants: 20938, youths: 4611, approximate: false },
      { code: '0505', name: 'Dordrecht', inhabitants: 121000, youths: 26000, approximate: false },
    ]);
  });
  it('names the line of a bad value', () => {
    expect(() =>
      parseMunicipalitiesCsv('code,name,inhabitants,youths\n0482,A,20938,4611\n9999,X,1,1\n', 'm.csv'),
    ).toThrow(/not a CBS municipality code/);
    let err: unknown = null;
    try {
      parseMunicipalitiesCsv('code,name,inhabitants,youths\n0482,A,lots,4611\n', 'm.csv');
    } catch (e) {
      err = e;
    }
    expect((err as { where: { line: number } }).where.line).toBe(2);
    expect((err as Error).message).toMatch(/inhabitants: "lots" is not a whole number/);
  });
});
