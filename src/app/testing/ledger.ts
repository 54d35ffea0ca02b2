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

/**
 * The hand-made region of the council attack tests: two municipalities, each month declared on its last day,
 * every cell on at least 12 clients.
 * - Alblasserdam (0482): category 45, clients 1–20 at `amount45(month)` each; category 43, clients 21–35 at € 800.
 * - Dordrecht (0505): category 45, clients 101–130 at € 1.000; category 43, clients 131–142 at € 800.
 * - `late` (optional): Alblasserdam's clients 1 and 2 get `centsEach` more each for `late.month` (category 45),
 *   declared on `late.declarationDate`: a cut by declaration date on 2 clients.
 */
export function twoMunicipalityLines(
  months: readonly MonthKey[],
  amount45: (month: MonthKey) => number,
  late?: { month: MonthKey; declarationDate: IsoDate; centsEach: number },
): DeclarationSpec[] {
  const lines: DeclarationSpec[] = [];
  const clients = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
  for (const month of months) {
    const on = { month, declarationDate: lastDayOfMonth(month) };
    for (const client of clients(1, 20))
      lines.push({ ...on, municipality: '0482', client, category: '45', amountCents: amount45(month) });
    for (const client of clients(21, 35))
      lines.push({ ...on, municipality: '0482', client, category: '43', product: '43A02', amountCents: 80_000 });
    for (const client of clients(101, 130))
      lines.push({ ...on, municipality: '0505', client, category: '45', amountCents: 100_000 });
    for (const client of clients(131, 142))
      lines.push({ ...on, municipality: '0505', client, category: '43', product: '43A02', amountCents: 80_000 });
  }
  if (late)
    for (const client of [1, 2])
      lines.push({
        municipality: '0482',
        month: late.month,
        client,
        category: '45',
        amountCents: late.centsEach,
        declarationDate: late.declarationDate,
      });
  return lines;
}
