import { describe, expect, it } from 'vitest';
import { GripError } from '../errors.js';
import { guessMapping } from './guess.js';
import { sheetReader, type MappingContext } from './rows.js';
import { parseMapping, type Mapping } from './schema.js';
import { suite4TestMapping } from './testing.js';

const region = [
  { code: '0482', name: 'Alblasserdam' },
  { code: '0505', name: 'Dordrecht' },
];
const seen: string[] = [];
const ctx: MappingContext = {
  municipalities: region,
  pseudonymiseBsn: (bsn) => `p_bsn(${bsn.length})`,
  pseudonymiseId: (source, id) => {
    seen.push(id);
    return `p_id(${source}:${id.length})`;
  },
  familyKey: (v) => `g_${v.length}`,
};

const suite4 = (): Mapping => suite4TestMapping('Suite4 Dordrecht');
const header = [
  'Gemeente',
  'AGB-code',
  'BSN',
  'Factuurnummer',
  'Factuurdatum',
  'Begindatum',
  'Einddatum',
  'Productcode',
  'Aantal',
  'Eenheid',
  'Tarief',
  'Bedrag',
];

describe('the mapping format', () => {
  it('describes problems by path, in Dutch where Grip writes the message', () => {
    const r = parseMapping({ name: 'x y', fields: {} });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems[0]).toMatch(/^name: een naam van letters/);
      expect(r.problems.some((p) => p.startsWith('fields.amount'))).toBe(true);
    }
    const bad = parseMapping('{ nope');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems[0]).toMatch(/^geen geldige JSON/);
  });
  it('fills the D/C words by default', () => {
    const m = suite4();
    const r = parseMapping({ ...m, fields: { ...m.fields, credit: { column: 'D/C' } } });
    expect(r.ok && r.mapping.fields.credit).toEqual({ column: 'D/C', debit: ['D', 'Debet'], credit: ['C', 'Credit'] });
  });
});

describe('sheetReader', () => {
  it('reads a row into a line, pseudonymised and in cents', () => {
    const read = sheetReader(suite4(), header, 1, { file: 'f.csv', sheet: null }, ctx);
    const line = read(
      [
        'Dordrecht',
        '41000000',
        '123456782',
        'F-2025-001',
        '06-02-2025',
        '01-01-2025',
        '31-01-2025',
        '45A03',
        '4',
        '04',
        '85,00',
        '340,00',
      ],
      2,
    );
    expect(line).toEqual({
      municipality: '0505',
      provider: '41000000',
      client: 'p_bsn(9)',
      declarationNumber: 'F-2025-001',
      declarationDate: '2025-02-06',
      periodStart: '2025-01-01',
      periodEnd: '2025-01-31',
      category: '45',
      productCode: '45A03',
      volume: 4,
      unit: '04',
      tariffCents: 8500,
      amountCents: 34000,
      debitCredit: 'D',
      referrer: null,
      allocationNumber: null,
      family: null,
    });
    const credit = read(
      [
        'Dordrecht',
        '41000000',
        '123456782',
        'F-2025-002',
        '06-03-2025',
        '01-01-2025',
        '31-01-2025',
        '45A03',
        '1',
        '04',
        '85,00',
        '-85,00',
      ],
      3,
    );
    expect(credit?.amountCents).toBe(-8500);
    expect(credit?.debitCredit).toBe('C');
    expect(read(['', '', '', '', '', '', '', '', '', '', '', ''], 4)).toBeNull();
  });

  it('names sheet, row (with a thousands point) and column in Dutch', () => {
    const read = sheetReader(suite4(), header, 1, { file: 'export.xlsx', sheet: 'Declaraties' }, ctx);
    const row = [
      'Dordrecht',
      '41000000',
      '123456782',
      'F1',
      '06-02-2025',
      '01-01-2025',
      '31-01-2025',
      '45A03',
      '4',
      '04',
      '85,00',
      'twaalf',
    ];
    let err: unknown;
    try {
      read(row, 1204);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GripError);
    expect((err as GripError).message).toBe("blad Declaraties, rij 1.204, kolom Bedrag: 'twaalf' is geen bedrag");
    expect((err as GripError).describe()).toBe(
      "export.xlsx: blad Declaraties, rij 1.204, kolom Bedrag: 'twaalf' is geen bedrag [MAPPING_VALUE]",
    );
    const badBsn = [...row.slice(0, 2), '123456789', ...row.slice(3, 11), '1,00'];
    expect(() => read(badBsn, 7)).toThrow(
      "blad Declaraties, rij 7, kolom BSN: '*******89' is geen geldig BSN (11-proef)",
    );
    const badMuni = ['Utrecht', ...row.slice(1, 11), '1,00'];
    expect(() => read(badMuni, 8)).toThrow("rij 8, kolom Gemeente: 'Utrecht' is geen gemeente van de regio");
    const backwards = [...row.slice(0, 5), '15-01-2025', '14-01-2025', ...row.slice(7, 11), '1,00'];
    expect(() => read(backwards, 9)).toThrow('kolom Einddatum: einddatum 2025-01-14 ligt voor begindatum 2025-01-15');
  });

  it('refuses a header without a mapped column, naming it', () => {
    expect(() =>
      sheetReader(
        suite4(),
        header.filter((h) => h !== 'Bedrag'),
        3,
        { file: 'f.csv', sheet: 'Blad1' },
        ctx,
      ),
    ).toThrow(/^blad Blad1, rij 3: kolom 'Bedrag' ontbreekt in de kopregel/);
  });

  it('matches columns regardless of case and accents', () => {
    const read = sheetReader(
      suite4(),
      header.map((h) => h.toUpperCase()),
      1,
      { file: 'f.csv', sheet: null },
      ctx,
    );
    expect(
      read(
        [
          'Alblasserdam',
          '41000000',
          '123456782',
          'F1',
          '06-02-2025',
          '01-01-2025',
          '31-01-2025',
          '45A03',
          '4',
          '04',
          '',
          '12,34',
        ],
        2,
      )?.amountCents,
    ).toBe(1234);
  });

  it('takes the municipality from the sheet name and credit from a D/C column; hashes a case-system id again', () => {
    const base = suite4();
    const r = parseMapping({
      ...base,
      fields: {
        ...base.fields,
        municipality: { sheet: true, as: 'naam' },
        client: { column: 'Clientnummer', as: 'pseudoniem' },
        credit: { column: 'D/C' },
        periodEnd: undefined,
        declarationDate: { column: 'Factuurdatum', format: 'excel' },
      },
    });
    if (!r.ok) throw new Error(r.problems.join('; '));
    const h = [
      'Clientnummer',
      'AGB-code',
      'Factuurnummer',
      'Factuurdatum',
      'Begindatum',
      'Productcode',
      'Aantal',
      'Eenheid',
      'Tarief',
      'Bedrag',
      'D/C',
      'Einddatum',
    ];
    const read = sheetReader(r.mapping, h, 1, { file: 'isd.xlsx', sheet: 'Alblasserdam' }, ctx);
    const line = read(['CL-0042', 41000000, 'N1', 45694, '01-01-2025', '45A03', 2, '04', 85, 170, 'C', ''], 2);
    expect(line).toMatchObject({
      municipality: '0482',
      client: 'p_id(Suite4 Dordrecht:7)',
      declarationDate: '2025-02-06',
      periodEnd: '2025-01-31',
      amountCents: -17000,
      debitCredit: 'C',
    });
    expect(seen).toContain('CL-0042');
    expect(() =>
      read(['CL-0042', 41000000, 'N1', 45694, '01-01-2025', '45A03', 2, '04', 85, -170, 'D', ''], 3),
    ).toThrow(/rij 3, kolom Bedrag: '-170' is negatief, terwijl kolom D\/C/);
    expect(() => sheetReader(r.mapping, h, 1, { file: 'isd.xlsx', sheet: 'Overzicht' }, ctx)).toThrow(
      "blad Overzicht: de bladnaam 'Overzicht' is geen gemeente van de regio",
    );
  });
});

describe('guessMapping', () => {
  it('proposes the Suite4-like mapping from headers and samples', () => {
    const g = guessMapping({
      name: 'Suite4 export 2025',
      delimiter: ';',
      municipalities: region,
      sheets: [
        {
          sheet: null,
          header: [...header, 'Omschrijving'],
          rows: [
            [
              'Dordrecht',
              '41000000',
              '123456782',
              'F-2025-001',
              '06-02-2025',
              '01-01-2025',
              '31-01-2025',
              '45A03',
              '4',
              '04',
              '85,00',
              '340,00',
              'x',
            ],
            [
              'Alblasserdam',
              '41000001',
              '111222333',
              'F-2025-002',
              '06-02-2025',
              '01-01-2025',
              '31-01-2025',
              '54001',
              '1',
              '04',
              '1.085,00',
              '-1.085,00',
              'y',
            ],
          ],
        },
      ],
    });
    expect(g.missing).toEqual([]);
    const r = parseMapping(g.mapping);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const { name, source, description, ...rest } = r.mapping;
    expect(name).toBe('suite4-export-2025');
    expect(source).toBeUndefined();
    expect(description).toBeUndefined();
    const expected = suite4();
    expect(rest).toEqual({ delimiter: expected.delimiter, fields: expected.fields });
    expect(g.notes.find((n) => n.field === '(niet gebruikt)')?.text).toBe("'Omschrijving'");
  });

  it('finds the municipality in sheet names, Excel dates, decimal points and a D/C column; lists what is missing', () => {
    const g = guessMapping({
      name: 'isd',
      municipalities: region,
      sheets: ['Alblasserdam', 'Dordrecht'].map((sheet) => ({
        sheet,
        header: [
          'Cliëntnummer',
          'AGB',
          'Datum declaratie',
          'Periode van',
          'Periode t/m',
          'Productcategorie',
          'Product',
          'Totaal',
          'D/C',
        ],
        rows: [['C1', 41000000, 45693, 45658, 45688, 45, 'A03', '12.50', 'D']],
      })),
    });
    expect(g.missing).toEqual(['unit']);
    const f = g.mapping.fields as Record<string, unknown>;
    expect(f.municipality).toEqual({ sheet: true, as: 'naam' });
    expect(f.client).toEqual({ column: 'Cliëntnummer', as: 'pseudoniem' });
    expect(f.declarationDate).toEqual({ column: 'Datum declaratie', format: 'excel' });
    expect(f.periodEnd).toEqual({ column: 'Periode t/m', format: 'excel' });
    expect(f.productCode).toEqual({ column: 'Product', withCategory: false });
    expect(f.amount).toEqual({ column: 'Totaal', decimal: '.' });
    expect(f.credit).toEqual({ column: 'D/C', debit: ['D', 'Debet'], credit: ['C', 'Credit'] });
  });
});
