import { describe, expect, it } from 'vitest';
import { readIjwFile } from '../../ingest/ijw/messages.js';
import { makePseudonymiser } from '../../ingest/pseudonymise.js';
import { jw301Xml, jw323Xml, tempDir, TEST_KEY, writeFile } from '../../ingest/testing/fixtures.js';
import type { RawValue, RowSink } from '../types.js';
import { ALLOCATIONS, DECLARATION_LINES, decodeRows, encodingSink, type TableSpec } from './rows.js';

describe('encoded rows (passed from parse threads to the writer)', () => {
  it('decode to the values the row mapping gives each column, per row and in order', async () => {
    const dir = tempDir();
    const files = [
      writeFile(
        dir,
        'a.xml',
        jw323Xml({
          declarationNumber: 'E1',
          declarationDate: '2026-02-05',
          periodMonth: '2026-01',
          lines: [
            { bsn: '999900006', ref: 'R1', month: '2026-01', amount: 1234 },
            { bsn: '999900006', ref: 'R2', month: '2026-01', amount: 99 },
          ],
        }),
      ),
      writeFile(dir, 'b.xml', jw301Xml({ bsn: '999900006', allocation: '4711', start: '2026-01-01' })),
    ];
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

  it('refuses a stream that does not start with a row type', () => {
    expect(() => decodeRows([99, 'x'], () => {})).toThrow(/no row type 99/);
  });
});
