import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../testing/fixtures.js';
import { makePseudonymiser } from '../pseudonymise.js';
import type { DeclarationLineRow } from '../../warehouse/warehouse.js';
import { readIjwFile } from './messages.js';

const FIXTURE = join(import.meta.dirname, '..', 'testing', 'messages', 'JW323.xml');
const pseudonymise = makePseudonymiser(Buffer.alloc(32, 5));

async function rows(xml: string, validate: boolean) {
  const file = join(tempDir(), 'JW323.xml');
  writeFileSync(file, xml);
  const out: DeclarationLineRow[] = [];
  const r = await readIjwFile(
    file,
    'JW323.xml',
    { sha256: 'x', sizeBytes: 1 },
    pseudonymise,
    { row: (_table, row) => void out.push(row as DeclarationLineRow) },
    undefined,
    { validate, expect: 'JW323' },
  );
  return { rows: out, counts: r.counts, meta: r.meta };
}

describe('readIjwFile', () => {
  const xml = readFileSync(FIXTURE, 'utf8');

  it('reads the fixture’s declaration lines (figures by hand from its comment)', async () => {
    const r = await rows(xml, true);
    // 8000 + 25000 + 5000 + 20000 (April) + 21000 (March) = 79000 cents; 8 + 20 + 5 + 16 + 14 = 63 hours.
    expect(r.counts).toEqual({ lines: 5, totalCents: 79_000 });
    expect(r.rows.reduce((s, x) => s + x.volume, 0)).toBe(63);
    expect(r.meta).toMatchObject({ sender: '23456789', receiver: '0482', messageId: 'T3230000001' });
    expect(r.rows[0]).toMatchObject({
      municipality: '0482',
      provider: '23456789',
      declarationNumber: 'D0482M2604',
      declarationPeriodStart: '2026-04-01',
      referenceNumber: 'REF-A1',
      allocationNumber: '20001',
      category: '45',
      productCode: '45A03',
      periodStart: '2026-04-01',
      periodEnd: '2026-04-30',
      volume: 8,
      unit: '04',
      tariffCents: 1000,
      amountCents: 8000,
      debitCredit: 'D',
    });
    expect(r.rows[0]!.client).toBe(pseudonymise('999900006'));
  });

  it('reads elements whose names it does not number as it reads the others (path by path, not cached)', async () => {
    // Names longer than the stream numbers (128 characters) have no id: the lines of a client's renamed
    // Prestaties are then worked out element by element. Read without the XSD (which would reject the names).
    const long = `Prestaties${'X'.repeat(200)}`;
    const renamed = xml.replaceAll('jw323:Prestaties>', `jw323:${long}>`);
    expect(renamed).not.toBe(xml);
    const a = await rows(xml, false);
    const b = await rows(renamed, false);
    expect(b.rows).toEqual(a.rows);
    expect(b.counts).toEqual({ lines: 5, totalCents: 79_000 });
  });

  it('ignores leaves no reader reads (without the XSD: an element the standard does not have)', async () => {
    const extra = xml.replaceAll(
      '<jw323:GeleverdVolume>',
      '<jw323:Opmerking>x</jw323:Opmerking><jw323:GeleverdVolume>',
    );
    const a = await rows(xml, false);
    const b = await rows(extra, false);
    expect(b.rows).toEqual(a.rows);
  });
});
