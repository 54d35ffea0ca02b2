import { describe, expect, it } from 'vitest';
import { readIjwFile } from '../../ingest/ijw/messages.js';
import { makePseudonymiser } from '../../ingest/pseudonymise.js';
import { jw301Xml, jw323Xml, tempDir, TEST_KEY, writeFile } from '../../ingest/testing/fixtures.js';
import type { RawValue, RowSink } from '../types.js';
import {
  ALLOCATIONS,
  DECLARATION_LINES,
  ENCODED_DECLARATION_LINES,
  RowPacker,
  decodeRows,
  encodingSink,
  unpackRows,
  type TableSpec,
} from './rows.js';

/** A JW323 with two lines (the second one given) and a JW301, written to a fresh folder. */
function sampleFiles(second: Parameters<typeof jw323Xml>[0]['lines'][number]): string[] {
  const dir = tempDir();
  return [
    writeFile(
      dir,
      'a.xml',
      jw323Xml({
        declarationNumber: 'E1',
        declarationDate: '2026-02-05',
        periodMonth: '2026-01',
        lines: [{ bsn: '999900006', ref: 'R1', month: '2026-01', amount: 1234 }, second],
      }),
    ),
    writeFile(dir, 'b.xml', jw301Xml({ bsn: '999900006', allocation: '4711', start: '2026-01-01' })),
  ];
}

describe('encoded rows (passed from parse threads to the writer)', () => {
  it('decode to the values the row mapping gives each column, per row and in order', async () => {
    const files = sampleFiles({ bsn: '999900006', ref: 'R2', month: '2026-01', amount: 99 });
    const pseudonymise = makePseudonymiser(TEST_KEY);
    for (const file of files) {
      const objects: [TableSpec<unknown>, unknown][] = [];
      const direct: RowSink = {
        row(table, r) {
          if (table === 'declaration_lines') objects.push([DECLARATION_LINES as TableSpec<unknown>, r]);
          else if (table === 'allocations') objects.push([ALLOCATIONS as TableSpec<unknown>, r]);
          else expect.unreachable();
        },
      };
      const encoded: RawValue[] = [];
      await readIjwFile(file, file, { sha256: 'x', sizeBytes: 1 }, pseudonymise, direct);
      await readIjwFile(file, file, { sha256: 'x', sizeBytes: 1 }, pseudonymise, encodingSink(encoded));
      const decoded: [string, RawValue[]][] = [];
      decodeRows(encoded, (_code, spec, at) =>
        decoded.push([spec.table, [7, ...encoded.slice(at, at + spec.columns.length - 1)]]),
      );
      expect(objects.length).toBeGreaterThan(0);
      expect(decoded).toEqual(objects.map(([spec, r]) => [spec.table, spec.columns.map((c) => c.get(r, 7))]));
    }
  });

  it('packed, unpack to exactly the encoded rows of the same files', async () => {
    const files = sampleFiles({ bsn: '999900018', ref: 'R2', month: '2026-01', amount: 99, dc: 'C' });
    const pseudonymise = makePseudonymiser(TEST_KEY);
    for (const file of files) {
      const encoded: RawValue[] = [];
      const packer = new RowPacker();
      await readIjwFile(file, file, { sha256: 'x', sizeBytes: 1 }, pseudonymise, encodingSink(encoded));
      await readIjwFile(file, file, { sha256: 'x', sizeBytes: 1 }, pseudonymise, packer);
      expect(encoded.length).toBeGreaterThan(0);
      expect(unpackRows(packer.take())).toEqual(encoded);
    }
  });

  it('packed, keep every kind of value exactly: int32 bounds, -0, large and fractional numbers, strings of any length and script, nulls and booleans', () => {
    const width = DECLARATION_LINES.columns.length - 1;
    const values: RawValue[] = [
      0,
      -0,
      2147483647,
      -2147483648,
      2147483648,
      -2147483649,
      9007199254740991,
      -9007199254740991,
      0.5,
      '',
      'abcdefghijkl',
      'a'.repeat(255),
      'a'.repeat(256),
      'a\u0000b',
      'Café',
      '€ 1.234,56 — gemeente Zaanstad',
      '\u{1F600}',
      '\u007f',
      null,
      true,
      false,
      '9007199254740993',
    ];
    // Two declaration-line rows of those values (padded with nulls to the row's width).
    const row = (vs: RawValue[]) => [ENCODED_DECLARATION_LINES, ...vs, ...Array<null>(width - vs.length).fill(null)];
    const rows = [...row(values.slice(0, width)), ...row(values.slice(width - values.length))];
    const packer = new RowPacker();
    packer.packEncoded(rows);
    const back = unpackRows(packer.take());
    expect(back).toEqual(rows);
    // toEqual does not tell 0 from -0.
    expect(back.map((v) => Object.is(v, -0))).toEqual(rows.map((v) => Object.is(v, -0)));
    // The packer starts afresh after take.
    packer.packEncoded(rows.slice(0, width + 1));
    expect(unpackRows(packer.take())).toEqual(rows.slice(0, width + 1));
  });

  it('refuses packed rows with an unknown row type or value tag', () => {
    expect(() => unpackRows(new Uint8Array([99]).buffer)).toThrow(/no row type 99 at 0/);
    expect(() => unpackRows(new Uint8Array([ENCODED_DECLARATION_LINES, 42]).buffer)).toThrow(/no value tag 42 at 1/);
  });

  it('refuses a stream that does not start with a row type', () => {
    expect(() => decodeRows([99, 'x'], () => {})).toThrow(/no row type 99/);
  });
});
