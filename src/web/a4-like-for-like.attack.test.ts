/**
 * The attacker on the A4's comparison with last year. "Even ver gedeclareerd" compares this year's months
 * with the same months of last year as known a year ago (Y). A council also sees those months as known now
 * (X: the month cells of last year, the year tables, the A4's own chart and "kosten vorig jaar"). X − Y is
 * what was declared late for those months — a cut by declaration date, which no protected table holds and
 * which may rest on one or two clients. A hand-built region where exactly that happens: the council's A4
 * (page and PDF) must give it back nowhere, by the total, a category line or the change sentence.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../ingest/testing/fixtures.js';
import { twoMunicipalityLines } from '../app/testing/ledger.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { councilApp, type CouncilApp, type Session, plainText } from './testing.js';

/*
 * Hand case. Two municipalities, production January–March of 2024 and of 2025, each month declared on its
 * last day (so the stand at the end of March holds January–March in full):
 * - Alblasserdam (0482): category 45, clients 1–20, € 1.000 a month in 2024 and € 1.050 in 2025; category 43,
 *   clients 21–35, € 800 a month in both years.
 * - Dordrecht (0505): category 45, clients 101–130, € 1.000; category 43, clients 131–142, € 800; both years.
 * - Late: on 14-06-2024, after the stand of 31-03-2024, two of Alblasserdam's clients (1 and 2) get € 617
 *   each more for February 2024 (category 45): € 1.234 on 2 clients, declared in June 2024.
 * The latest declaration is 31-03-2025: the council's A4 is that of March 2025, compared with January–March
 * 2024. Every published cell rests on at least 12 clients.
 */
const LATE_CENTS = 2 * 61_700; // € 1.234
const LATE_CLIENTS = 2;
// Alblasserdam, January–March 2024 as known now (X): per month 20 × € 1.000 + 15 × € 800 = € 32.000, plus the
// late € 1.234 in February.
const X_TOTAL = 3 * (20 * 100_000 + 15 * 80_000) + LATE_CENTS; // € 97.234
const X_45 = 3 * 20 * 100_000 + LATE_CENTS; // € 61.234
const X_43 = 3 * 15 * 80_000; // € 36.000
// The same months as known on 31-03-2024 (Y): without the late part.
const Y_TOTAL = X_TOTAL - LATE_CENTS; // € 96.000
// January–March 2025 as known on 31-03-2025: 3 × (20 × € 1.050 + 15 × € 800).
const NOW_TOTAL = 3 * (20 * 105_000 + 15 * 80_000); // € 99.000
const EURO = 100;

let c: CouncilApp | undefined;
let w: Warehouse;
let raad: Session;
let analyst: Session;

beforeAll(async () => {
  const lines = twoMunicipalityLines(
    ['2024-01', '2024-02', '2024-03', '2025-01', '2025-02', '2025-03'],
    (month) => (month.startsWith('2024') ? 100_000 : 105_000),
    { month: '2024-02', declarationDate: '2024-06-14', centsEach: 61_700 },
  );
  c = await councilApp(lines);
  ({ w, raad, analyst } = c);
}, 120_000);

afterAll(async () => {
  await c?.close();
});

/** `€ 1.234` (or `-€ 1.234`) → cents. */
const cents = (text: string): number | null => {
  const m = /(-?)€\s*(\d[\d.]*)/.exec(text);
  return m ? (m[1] ? -1 : 1) * Number((m[2] ?? '').replace(/\./g, '')) * EURO : null;
};

/** The A4's category table: label → [this year, last year] as shown. */
function categoryTable(body: string): Map<string, [number | null, number | null]> {
  const table = /<table><thead><tr><th>Categorie<\/th>[\s\S]*?<\/table>/.exec(plainText(body))?.[0] ?? '';
  const out = new Map<string, [number | null, number | null]>();
  for (const tr of table.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)) {
    const cells = [...(tr[1] ?? '').matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => c[1] ?? '');
    if (cells.length < 4) continue;
    out.set(cells[0] ?? '', [cents(cells[1] ?? ''), cents(cells[3] ?? '')]);
  }
  return out;
}

interface ApiRow {
  municipality?: string;
  month?: string;
  category?: string;
  amountCents: number | null;
}

describe('attacker: the A4’s comparison with last year against last year as known now', () => {
  it('the late few-client cell exists (an analyst sees it) and the council sees last year’s months as known now', async () => {
    // The target: declared in June 2024 for Alblasserdam's 2024, on 2 clients (the analyst's view).
    const byDecl = await w.costs({ by: ['declarationMonth'], year: 2024, municipalities: ['0482'] });
    const june = byDecl.find((r) => r.declarationMonth === '2024-06');
    expect([june?.amountCents, june?.clients]).toEqual([LATE_CENTS, LATE_CLIENTS]);
    // X, published to the council: the month cells of 2024 and the category cells of the year.
    const months = (await raad.get('/api/costs?by=municipality,month&year=2024')).json<ApiRow[]>();
    const mine = months.filter((r) => r.municipality === '0482' && (r.month ?? '') <= '2024-03');
    expect(mine.map((r) => r.amountCents)).not.toContain(null);
    expect(mine.reduce((a, r) => a + (r.amountCents ?? 0), 0)).toBe(X_TOTAL);
    const cats = (await raad.get('/api/costs?by=municipality,category&year=2024')).json<ApiRow[]>();
    const cat = (k: string) => cats.find((r) => r.municipality === '0482' && r.category === k)?.amountCents;
    expect([cat('45'), cat('43')]).toEqual([X_45, X_43]);
    // An analyst's A4 compares like for like: last year's months as known on 31-03-2024.
    const a4 = await analyst.get('/gemeente/0482/a4');
    expect(a4.statusCode).toBe(200);
    expect(categoryTable(a4.body).get('Totaal')).toEqual([NOW_TOTAL, Y_TOTAL]);
    expect(plainText(a4.body)).toContain('stand per 31-03-2024 (even ver gedeclareerd)');
  });

  it('no figure of the council’s A4 (page and PDF) minus last year as known now gives back what was declared late', async () => {
    const failures: string[] = [];
    const months = (await raad.get('/api/costs?by=municipality,month&year=2024')).json<ApiRow[]>();
    const x = months
      .filter((r) => r.municipality === '0482' && (r.month ?? '') <= '2024-03')
      .reduce((a, r) => a + (r.amountCents ?? 0), 0);
    const cats = (await raad.get('/api/costs?by=municipality,category&year=2024')).json<ApiRow[]>();
    const published = (k: string) => cats.find((r) => r.municipality === '0482' && r.category === k)?.amountCents;
    const late = (label: string, diff: number) => {
      if (Math.abs(diff - LATE_CENTS) <= EURO)
        failures.push(`${label}: X − Y = € ${diff / 100}, declared late on ${LATE_CLIENTS} clients`);
    };

    const page = await raad.get('/gemeente/0482/a4');
    expect(page.statusCode).toBe(200);
    const body = plainText(page.body);
    const table = categoryTable(body);
    const total = table.get('Totaal');
    expect(total?.[0]).toBe(NOW_TOTAL);
    // The total of last year's column, the "kosten tot nu toe" tile and each category line.
    late('A4 Totaal', x - (total?.[1] ?? 0));
    const tile = /zelfde (?:moment|maanden) 2024[^€]*(€\s*[\d.]+)/.exec(body)?.[1] ?? '';
    expect(cents(tile)).not.toBeNull();
    late('A4 tile', x - (cents(tile) ?? 0));
    let lines = 0;
    for (const [label, [, prev]] of table) {
      const k = /^(\d{2}) /.exec(label)?.[1];
      const cell = k === undefined ? undefined : published(k);
      if (prev === null || cell === undefined || cell === null) continue;
      lines++;
      late(`A4 category ${label}`, cell - prev);
    }
    expect(lines, 'category lines of their own').toBe(2);
    // The change sentence: this year's costs to date minus the change is last year's figure it compares with.
    const change = /Vergeleken met[^:]*: de kosten (stegen|daalden) (€\s*[\d.]+)/.exec(body);
    if (change) {
      const signed = (change[1] === 'stegen' ? 1 : -1) * (cents(change[2] ?? '') ?? 0);
      late('A4 change sentence', x - (NOW_TOTAL - signed));
    }
    // The PDF (the same document printed): its "Totaal" line.
    const res = await raad.get('/gemeente/0482/a4.pdf');
    expect(res.statusCode).toBe(200);
    const file = join(tempDir('grip-a4-lfl-'), 'a4.pdf');
    writeFileSync(file, res.rawPayload);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\u00a0/g, ' ');
    const totaal = text.split('\n').find((l) => /^\s*Totaal\s+€/.test(l)) ?? '';
    const amounts = [...totaal.matchAll(/€\s*[\d.]+/g)].map((m) => cents(m[0]) ?? 0);
    expect(amounts[0]).toBe(NOW_TOTAL);
    late('A4.pdf Totaal', x - (amounts[1] ?? 0));
    expect(failures).toEqual([]);
    // What the council's A4 compares with instead, and says so: January–March 2024 as known now.
    expect(total?.[1]).toBe(X_TOTAL);
    expect(table.get('45 Jeugdhulp ambulant')?.[1]).toBe(X_45);
    expect(body).toContain('januari t/m maart 2024 zoals nu bekend (stand per 31-03-2025)');
    expect(body).toContain('Vergeleken met januari t/m maart 2024 (zoals nu bekend)');
    expect(body).not.toContain('even ver gedeclareerd');
  }, 120_000);
});
