/**
 * Test helper: builds a ledger from plain data through Grip's own CSV declaration import (src/ingest/csv.ts),
 * so app-service tests state their costs as data and the expected figures can be worked out by hand.
 */
import { createHash } from 'node:crypto';
import { addMonths, lastDayOfMonth, type IsoDate, type MonthKey } from '../../domain/month.js';
import { CSV_COLUMNS } from '../../ingest/csv.js';
import { importInto, tempDir, writeFile } from '../../ingest/testing/fixtures.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { writeCsv } from '../csv.js';

/** The n-th valid test BSN (11-proef) from 99990xxxx: weights 9..2 on the first eight digits, −1 on the last. */
export function testBsn(n: number): string {
  for (let base = 9999_0000 + n * 10; ; base++) {
    const d = String(base).padStart(8, '0').split('').map(Number);
    const s = d.reduce((acc, x, i) => acc + x * (9 - i), 0);
    const last = s % 11;
    if (last <= 9) return `${String(base).padStart(8, '0')}${last}`;
  }
}

export interface DeclarationSpec {
  municipality: string;
  month: MonthKey;
  amountCents: number;
  /** Distinct clients by number (default 0). */
  client?: number;
  provider?: string;
  category?: string;
  product?: string;
  referrer?: string;
  /** Default: the 10th of the month after `month`. */
  declarationDate?: IsoDate;
}

const nextMonth10 = (m: MonthKey) => `${addMonths(m, 1)}-10`;

/** A DeclaratieNummer (at most 12 characters, as the standard allows) per file, municipality, provider and date. */
const declarationNumber = (...parts: string[]) =>
  createHash('sha256').update(parts.join('|')).digest('hex').slice(0, 12);

/** Writes the lines as one CSV declaration file (one declaration per municipality, provider and declaration date) and imports it. */
export async function importDeclarations(
  w: Warehouse,
  lines: readonly DeclarationSpec[],
  name = 'declaraties.csv',
): Promise<void> {
  const csv = writeCsv(
    [...CSV_COLUMNS],
    lines.map((l) => {
      const date = l.declarationDate ?? nextMonth10(l.month);
      const provider = l.provider ?? '12345678';
      return [
        l.municipality,
        provider,
        testBsn(l.client ?? 0),
        declarationNumber(name, l.municipality, provider, date),
        date,
        l.category ?? '45',
        l.product ?? '45A03',
        `${l.month}-01`,
        lastDayOfMonth(l.month),
        1,
        '04',
        '',
        Math.abs(l.amountCents),
        l.amountCents < 0 ? 'C' : 'D',
        l.referrer ?? '',
        '',
      ];
    }),
  );
  const dir = tempDir();
  const summary = await importInto(w, [writeFile(dir, name, csv)]);
  if (summary.rejected || summary.imported !== 1)
    throw new Error(`test ledger import failed: ${JSON.stringify(summary.outcomes)}`);
}
