import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importInto, jw323Xml, openTestWarehouse, tempDir, writeFile } from '../../ingest/testing/fixtures.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { importBudgetCsv } from '../../app/budgets.js';
import { importKpiCsv } from '../../app/kpis.js';
import { importTargetsCsv } from '../../app/measures.js';
import { buildApp } from '../server.js';
import { sessionAs } from '../testing.js';

let w: Warehouse;
beforeAll(async () => {
  const dir = tempDir();
  writeFile(
    dir,
    'a.xml',
    jw323Xml({
      municipality: '0482',
      declarationNumber: 'A1',
      declarationDate: '2025-03-05',
      periodMonth: '2025-02',
      lines: [
        { bsn: '999900006', ref: 'A1', month: '2025-02', amount: 1_234_500 },
        { bsn: '999900018', ref: 'A2', month: '2025-01', amount: 100_000, category: '43' },
      ],
    }),
  );
  writeFile(
    dir,
    'b.xml',
    jw323Xml({
      municipality: '0505',
      declarationNumber: 'B1',
      declarationDate: '2025-03-05',
      periodMonth: '2025-02',
      lines: [{ bsn: '999900031', ref: 'B1', month: '2025-02', amount: 50_000 }],
    }),
  );
  w = await openTestWarehouse();
  await importInto(w, [dir]);
}, 120_000);
afterAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset if beforeAll failed before opening it
  await w?.close();
});

describe('downloads next to the screens', () => {
  it('the A4 of a municipality: on screen and as a one-page A4 PDF with its figures; another municipality is refused', async () => {
    const app = buildApp({ warehouse: w });
    const s = await sessionAs(app, w, 'gemeente', ['0482']);
    const html = await s.get('/gemeente/0482/a4?month=2025-03');
    expect(html.statusCode).toBe(200);
    expect(html.body).toContain('Alblasserdam');
    // Not a dead end: the way back, the month before, the PDF; no month after the data (declared up to 05-03-2025).
    expect(html.body).toContain('<a href="/gemeente/0482">← Terug naar Alblasserdam</a>');
    expect(html.body).toContain('<a href="/gemeente/0482/a4?month=2025-02">‹ februari 2025</a>');
    expect(html.body).toContain('<a href="/gemeente/0482/a4.pdf?month=2025-03">Als PDF downloaden</a>');
    expect(html.body).not.toContain('month=2025-04');
    const pdf = await s.get('/gemeente/0482/a4.pdf?month=2025-03');
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const file = join(mkdtempSync(join(tmpdir(), 'grip-a4-')), 'a4.pdf');
    writeFileSync(file, pdf.rawPayload);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/Pages:\s+1\n/);
    expect(info).toMatch(/Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)/);
    // € 13.345 = 1.234.500 + 100.000 cents declared for Alblasserdam, as costs to date.
    expect(execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })).toContain('€ 13.345');
    expect((await s.get('/gemeente/0505/a4.pdf?month=2025-03')).statusCode).toBe(403);
    expect((await s.get('/gemeente/0482/a4.pdf?month=maart')).statusCode).toBe(400);
  }, 120_000);

  it('the Excel export: numbers, not text, and the costs add up to the warehouse', async () => {
    const app = buildApp({ warehouse: w });
    const s = await sessionAs(app, w, 'regio');
    const r = await s.get('/export.xlsx?year=2025');
    expect(r.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('Kosten')!;
    expect(ws).toBeDefined();
    let total = 0;
    ws.eachRow((row, i) => {
      if (i === 1) return;
      row.eachCell((c) => {
        // exceljs types numFmt as a string but leaves it undefined on a cell without a format.
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-conversion
        if (typeof c.value === 'number' && String(c.numFmt).includes('€')) total += Math.round(c.value * 100);
      });
    });
    // 1.234.500 + 100.000 + 50.000 cents
    expect(total).toBe(1_384_500);
    expect((await (await sessionAs(app, w, 'raad')).get('/export.xlsx?year=2025')).statusCode).toBe(403);
  }, 60_000);

  // Last in this file: it enters a KPI and a budget into the shared warehouse.
  it('the A4 shows a KPI, a budget and a savings target entered after it was first viewed, without a new import', async () => {
    const app = buildApp({ warehouse: w });
    const s = await sessionAs(app, w, 'gemeente', ['0482']);
    const before = await s.get('/gemeente/0482/a4?month=2025-03');
    expect(before.statusCode).toBe(200);
    expect(before.body).toContain('Geen indicatoren met streef- en signaalwaarde ingevoerd.');
    expect(before.body).not.toContain('Wachttijd SJT');
    expect(before.body).not.toContain('€ 44.000');
    expect(before.body).not.toContain('taakstelling');
    // Entered as `grip kpi import` and `grip budget import` (or the forms) do, in between two views.
    await importKpiCsv(
      w,
      'kpi,municipality,period,value,name,unit,direction,target,critical\nsjt-wachttijd,0482,2025-01-31,47,Wachttijd SJT,dagen,lower,42,60\n',
      'sjt.csv',
      { enteredBy: 'sjt' },
    );
    await importBudgetCsv(
      w,
      'municipality,year,kind,date,amountEuros\n0482,2025,primitief,2024-11-12,44000\n',
      'b.csv',
      { enteredBy: 'controller' },
    );
    await importTargetsCsv(w, 'municipality,year,amountEuros\n0482,2025,2500\n', 't.csv', { enteredBy: 'controller' });
    const after = await s.get('/gemeente/0482/a4?month=2025-03');
    expect(after.statusCode).toBe(200);
    // 47 days against target 42 and critical value 60 (lower is better): between them → oranje.
    expect(after.body).toContain('Wachttijd SJT');
    expect(after.body).not.toContain('Geen indicatoren met streef- en signaalwaarde ingevoerd.');
    expect(after.body).toContain('€ 44.000');
    expect(after.body).toContain('taakstelling € 2.500');
    // The PDF is the same document.
    const pdf = await s.get('/gemeente/0482/a4.pdf?month=2025-03');
    const file = join(mkdtempSync(join(tmpdir(), 'grip-a4-')), 'a4.pdf');
    writeFileSync(file, pdf.rawPayload);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('Wachttijd SJT');
    expect(text).toContain('€ 44.000');
  }, 120_000);
});
