/**
 * Reports on a small generated region: PDFs (page count, A4, text), DOCX and XLSX read back. Expected figures
 * are computed here from the warehouse and the forecast directly, never taken from the report module.
 * Pages are also rendered to PNG in artifacts/reports/ for a look at the layout.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importBudgetCsv } from '../app/budgets.js';
import { importKpiCsv } from '../app/kpis.js';
import { importMeasuresCsv, importTargetsCsv } from '../app/measures.js';
import { importProviderFile, parseProviderCsv } from '../app/providers.js';
import { regionForecast } from '../app/forecast.js';
import { generateRegion } from '../generate/index.js';
import { importInto, openTestWarehouse, tempDir } from '../ingest/testing/fixtures.js';
import { at } from '../domain/indexing.js';
import { formatEuroRounded, type Cents } from '../domain/money.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { a4Data, burapData, exportData, gatherRegion } from '../app/reports.js';
import { burapDocx } from './docx.js';
import { renderA4Html, renderBurapHtml, renderMaandHtml } from './html.js';
import { CHROMIUM_PATH, openPdfPrinter, printAll, type PdfPrinter } from './pdf.js';
import { chromium } from 'playwright-core';
import { xlsxExport } from './xlsx.js';

const ART = new URL('../../artifacts/reports/', import.meta.url).pathname;
const CODES = ['0482', '0505', '0512', '0523', '0531', '0590', '0610', '0642', '1963', '1978'];
const NAMES: Record<string, string> = {
  '0482': 'Alblasserdam',
  '0505': 'Dordrecht',
  '0512': 'Gorinchem',
  '0523': 'Hardinxveld-Giessendam',
  '0531': 'Hendrik-Ido-Ambacht',
  '0590': 'Papendrecht',
  '0610': 'Sliedrecht',
  '0642': 'Zwijndrecht',
  '1963': 'Hoeksche Waard',
  '1978': 'Molenlanden',
};

let w: Warehouse;
/** The provider register the generator wrote. */
let register: { agb: string; name: string }[] = [];
let printer: PdfPrinter;
/** Budgets 2025 as imported: 95% of each municipality's 2024 costs (as known now), whole euros. */
const budgets = new Map<string, Cents>();

/** Writes a file into artifacts/reports and returns its path. */
function artifact(name: string, data: Buffer | string): string {
  mkdirSync(ART, { recursive: true });
  const p = join(ART, name);
  writeFileSync(p, data);
  return p;
}

function pdfInfo(file: string): { pages: number; size: string } {
  const out = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return { pages: Number(/^Pages:\s+(\d+)/m.exec(out)![1]), size: at(/^Page size:\s+(.*)$/m.exec(out)!, 1) };
}

/** The PDF's text with all whitespace (incl. no-break spaces) collapsed to single spaces. */
function pdfText(file: string, page?: number): string {
  const args = page ? ['-f', String(page), '-l', String(page)] : [];
  return execFileSync('pdftotext', [...args, file, '-'], { encoding: 'utf8' }).replace(/[\s\u00a0\u202f]+/g, ' ');
}

function png(file: string, prefix: string): void {
  execFileSync('pdftoppm', ['-r', '60', '-png', file, join(ART, prefix)]);
}

const docxText = (file: string) =>
  execFileSync('unzip', ['-p', file, 'word/document.xml'], { encoding: 'utf8', maxBuffer: 1 << 26 })
    .replace(/<\/w:p>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/[ \u00a0]+/g, ' ');

/** Costs of production months from..to declared on or before asOf, summed from warehouse.costs by month. */
async function costsToDate(
  municipalities: string[] | undefined,
  from: string,
  to: string,
  asOf: string,
): Promise<Cents> {
  const rows = await w.costs({ by: ['month'], municipalities, asOf });
  return rows.filter((r) => r.month! >= from && r.month! <= to).reduce((s, r) => s + r.amountCents, 0);
}

beforeAll(async () => {
  const dir = tempDir('grip-rep-');
  await generateRegion({
    outDir: dir,
    years: [2022, 2025],
    seed: 5,
    scale: 'small',
    format: 'xml',
    cutoff: '2025-12-31',
  });
  w = await openTestWarehouse();
  await importInto(w, [dir]);
  // The generator's provider register, as grip demo loads it.
  register = parseProviderCsv(readFileSync(join(dir, 'aanbieders.csv'), 'utf8'), 'aanbieders.csv');
  await importProviderFile(w, join(dir, 'aanbieders.csv'), { enteredBy: 'test' });
  const c2024 = await w.costs({ by: ['municipality'], year: 2024 });
  const lines = ['municipality,year,kind,date,amountCents,decisionReference'];
  for (const r of c2024) {
    const b = Math.round((r.amountCents * 0.95) / 100) * 100;
    budgets.set(r.municipality!, b);
    lines.push(`${r.municipality},2025,primitief,2024-11-12,${b},Begroting 2025`);
  }
  await importBudgetCsv(w, lines.join('\n') + '\n', 'begroting-2025.csv', { enteredBy: 'test' });
  // A KPI with target and critical value: 47 days in May (oranje); the September value must not show in June.
  await importKpiCsv(
    w,
    'kpi,municipality,period,value,name,unit,direction,target,critical,source\nsjt-wachttijd,GM0482,2025-05-31,47,Wachttijd SJT,dagen,lower,42,60,SJT\nsjt-wachttijd,GM0482,2025-09-30,71,,,,,,\n',
    'kpi.csv',
    { enteredBy: 'test' },
  );
  printer = await openPdfPrinter();
}, 300_000);

afterAll(async () => {
  /* eslint-disable @typescript-eslint/no-unnecessary-condition -- unset if beforeAll failed before opening them */
  await printer?.close();
  await w?.close();

  /* eslint-enable @typescript-eslint/no-unnecessary-condition */
});

describe('A4 dashboard', () => {
  it('prints one A4 page for Alblasserdam with the period, costs to date and the forecast as computed independently', async () => {
    const d = at(await a4Data(w, { month: '2025-06', municipalities: ['0482'] }), 0);
    const file = artifact('a4-0482-2025-06.pdf', await printer.print(renderA4Html(d)));
    artifact('a4-0482-2025-06.html', renderA4Html(d));
    const info = pdfInfo(file);
    expect(info.pages).toBe(1);
    expect(info.size).toMatch(/^59[45](\.\d+)? x 841(\.\d+)? pts \(A4\)/);
    const text = pdfText(file);
    const f = at((await regionForecast(w, 2025, '2025-06-30', ['0482'])).municipalities, 0);
    const ytd = await costsToDate(['0482'], '2025-01', '2025-06', '2025-06-30');
    expect(ytd).toBeGreaterThan(0);
    for (const s of [
      'Alblasserdam',
      'januari t/m juni 2025',
      'stand per 30-06-2025',
      formatEuroRounded(f.forecastCents),
      formatEuroRounded(f.lowCents),
      formatEuroRounded(f.highCents),
      formatEuroRounded(ytd),
      formatEuroRounded(budgets.get('0482')!),
    ])
      expect(text).toContain(s);
    expect(text).toContain('Hoe betrouwbaar is deze prognose?');
    expect(text).toMatch(/week de prognose gemiddeld \d+,\d% af/);
    expect(text).toContain('Wat veranderde en waarom');
    expect(text).toContain('Wachttijd SJT');
    expect(text).toContain('47 dagen');
    expect(text).toContain('oranje');
    expect(text).not.toContain('71 dagen');
    png(file, 'a4-0482-2025-06');
  });

  it('only uses declarations dated on or before the end of the month', async () => {
    const d = at(await a4Data(w, { month: '2025-03', municipalities: ['0482'] }), 0);
    expect(d.asOf).toBe('2025-03-31');
    expect(d.costsToDateCents).toBe(await costsToDate(['0482'], '2025-01', '2025-03', '2025-03-31'));
    // Later declarations for the same months exist in the warehouse, so "as known now" is more.
    expect(await costsToDate(['0482'], '2025-01', '2025-03', '2025-12-31')).toBeGreaterThan(d.costsToDateCents);
  });

  it('says "geen begroting ingevoerd" when there are no budgets', async () => {
    const d = at(await a4Data(w, { month: '2025-06', municipalities: ['0505'], budgets: new Map() }), 0);
    const file = artifact('a4-0505-geen-begroting.pdf', await printer.print(renderA4Html(d)));
    expect(pdfInfo(file).pages).toBe(1);
    expect(pdfText(file)).toContain('geen begroting ingevoerd');
  });

  it('prints all 10 municipalities with one browser, each exactly one A4 page', async () => {
    const t0 = Date.now();
    const all = await a4Data(w, { month: '2025-06' });
    expect(all.map((d) => d.municipality).sort()).toEqual(CODES);
    const pdfs = await printAll(printer, all.map(renderA4Html));
    for (const [i, d] of all.entries()) {
      const file = artifact(`a4-all-${d.municipality}.pdf`, at(pdfs, i));
      expect(pdfInfo(file).pages, d.name).toBe(1);
      expect(pdfText(file)).toContain(NAMES[d.municipality]);
    }
    const seconds = (Date.now() - t0) / 1000;
    process.stdout.write(`10 A4s (data + PDF) in ${seconds.toFixed(1)} s\n`);
    png(join(ART, 'a4-all-1963.pdf'), 'a4-all-1963');
  }, 120_000);
});

describe('print layout', () => {
  it('on every A4 sheet (alone and in the monthly report) the footer sits below all content and inside the page', async () => {
    const browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    try {
      const page = await browser.newPage();
      await page.emulateMedia({ media: 'print' });
      const all = await a4Data(w, { month: '2025-06' });
      const docs = [...all.map(renderA4Html), renderMaandHtml(await gatherRegion(w, { month: '2025-06' }))];
      const faults: string[] = [];
      for (const html of docs) {
        await page.setContent(html, { waitUntil: 'load' });
        faults.push(
          ...(await page.evaluate(() =>
            [...document.querySelectorAll('.sheet')].flatMap((sheet, i) => {
              const foot = sheet.querySelector(':scope > footer')!.getBoundingClientRect();
              const box = sheet.getBoundingClientRect();
              const title = sheet.querySelector('h1')?.textContent ?? `sheet ${i}`;
              const out: string[] = [];
              if (foot.bottom > box.bottom + 0.5)
                out.push(`${title}: footer ends ${Math.round(foot.bottom - box.bottom)} px below the page`);
              for (const el of sheet.querySelectorAll(':scope > :not(footer) *'))
                if (el.getBoundingClientRect().bottom > foot.top + 0.5 && el.getBoundingClientRect().height > 0) {
                  out.push(`${title}: ${el.tagName} "${el.textContent.slice(0, 40)}" runs into the footer`);
                  break;
                }
              return out;
            }),
          )),
        );
      }
      expect(faults).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 120_000);
});

describe('monthly report', () => {
  it('has an overview page and one page per municipality, with the region forecast', async () => {
    const o = await gatherRegion(w, { month: '2025-06' });
    const file = artifact('maand-2025-06.pdf', await printer.print(renderMaandHtml(o)));
    const info = pdfInfo(file);
    expect(info.pages).toBe(11);
    expect(info.size).toMatch(/\(A4\)/);
    const region = await regionForecast(w, 2025, '2025-06-30', CODES);
    const first = pdfText(file, 1);
    expect(first).toContain('Maandrapportage jeugdhulp juni 2025');
    expect(first).toContain(formatEuroRounded(region.total.forecastCents));
    expect(first).toContain(formatEuroRounded(await costsToDate(undefined, '2025-01', '2025-06', '2025-06-30')));
    for (const n of Object.values(NAMES)) expect(first).toContain(n);
    for (let p = 2; p <= 11; p++) expect(pdfText(file, p)).toMatch(/Jeugdhulp \S/);
    png(file, 'maand-2025-06');
  }, 120_000);
});

describe('Burap', () => {
  it('DOCX holds the forecast per municipality, the difference from budget, the shares and a decision', async () => {
    const d = await burapData(w, { year: 2025, half: 1, reservations: new Map([['0482', 600_000_00]]) });
    const file = artifact('burap-2025-1.docx', await burapDocx(d));
    const text = docxText(file);
    const f = await regionForecast(w, 2025, '2025-06-30', CODES);
    const budgetTotal = [...budgets.values()].reduce((s, b) => s + b, 0);
    const overrun = f.total.forecastCents - budgetTotal;
    expect(text).toContain('bestuursrapportage jeugdhulp 2025');
    expect(text).toContain(formatEuroRounded(f.total.forecastCents));
    expect(text).toContain(formatEuroRounded(budgetTotal));
    expect(text).toContain(formatEuroRounded(Math.abs(overrun)));
    for (const m of f.municipalities) {
      expect(text).toContain(NAMES[m.municipality]);
      expect(text).toContain(formatEuroRounded(m.forecastCents));
      expect(text).toContain(formatEuroRounded(Math.abs(m.forecastCents - budgets.get(m.municipality)!)));
    }
    // Share by own usage: overrun × Alblasserdam's forecast / the sum of the forecasts (to the euro).
    const sumF = f.municipalities.reduce((s, m) => s + m.forecastCents, 0);
    const share = Math.round((overrun * f.municipalities.find((m) => m.municipality === '0482')!.forecastCents) / sumF);
    expect(text).toContain(formatEuroRounded(Math.abs(share)));
    expect(text).toContain(formatEuroRounded(Math.abs(share - 600_000_00)));
    // One deficit, explained: Alblasserdam's own result (forecast − budget) beside its share, and why they differ.
    // Under own usage (k = its forecast / the sum) the difference share − own is all budget: own budget − k × the
    // region's budget (to the euro).
    const a = f.municipalities.find((m) => m.municipality === '0482')!;
    const own = a.forecastCents - budgets.get('0482')!;
    const gap = budgets.get('0482')! - (a.forecastCents / sumF) * budgetTotal;
    expect(Math.abs(share - own - gap)).toBeLessThan(100);
    expect(text).toContain('Eigen verschil (prognose − begroting)');
    expect(text).toContain(
      `${NAMES['0482']}. Het aandeel in het verschil van de regio (${formatEuroRounded(share)}, naar eigen gebruik (realisatie): ` +
        `${(Math.round((a.forecastCents / sumF) * 1000) / 10).toLocaleString('nl-NL')}%) is ${formatEuroRounded(Math.abs(share - own))} ${share - own > 0 ? 'hoger' : 'lager'} ` +
        `dan het eigen verschil tussen prognose en begroting (${formatEuroRounded(own)}), omdat de eigen begroting (${formatEuroRounded(budgets.get('0482')!)}) ` +
        `${formatEuroRounded(Math.abs(Math.round(gap)))} ${gap > 0 ? 'hoger' : 'lager'} is dan`,
    );
    expect(text).toContain('Voorgesteld besluit');
    expect(text).toContain('Belangrijkste oorzaken');
    // The causes by provider name each provider by its name from the register, with its AGB code.
    const named = register.filter((p) => text.includes(`${p.name} (AGB ${p.agb})`));
    expect(named.length).toBeGreaterThanOrEqual(3);
    expect(text).not.toMatch(/aanbieder \d{8}/);
    expect(text).not.toContain('NaN');
  });

  it('PDF version prints on A4, and without budgets it says so', async () => {
    const d = await burapData(w, { year: 2025, half: 1, budgets: new Map() });
    const file = artifact('burap-2025-1-zonder-begroting.pdf', await printer.print(renderBurapHtml(d)));
    const info = pdfInfo(file);
    expect(info.pages).toBeGreaterThanOrEqual(1);
    expect(info.size).toMatch(/\(A4\)/);
    const text = pdfText(file);
    expect(text).toContain('geen begroting ingevoerd');
    expect(text).toContain(formatEuroRounded((await regionForecast(w, 2025, '2025-06-30', CODES)).total.forecastCents));
    const withBudget = artifact(
      'burap-2025-1.pdf',
      await printer.print(renderBurapHtml(await burapData(w, { year: 2025, half: 1 }))),
    );
    png(withBudget, 'burap-2025-1');
  });
});

describe('XLSX export', () => {
  it('has the four sheets with numeric euro cells whose totals equal the warehouse', async () => {
    const buf = await xlsxExport(await exportData(w, { year: 2025 }));
    const file = artifact('export-2025.xlsx', buf);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['Kosten', 'Prognose', 'Begroting', 'Backtest']);
    const costs = wb.getWorksheet('Kosten')!;
    const header = (costs.getRow(1).values as unknown[]).slice(1);
    const col = (name: string) => header.indexOf(name) + 1;
    expect(col('Kosten (netto)')).toBeGreaterThan(0);
    let cents = 0;
    let rows = 0;
    costs.eachRow((row, n) => {
      if (n === 1) return;
      const c = row.getCell(col('Kosten (netto)'));
      expect(typeof c.value).toBe('number');
      expect(c.numFmt).toBe('€ #,##0.00');
      cents += Math.round((c.value as number) * 100);
      rows++;
    });
    const total = at(await w.costs({ by: [], year: 2025 }), 0);
    expect(cents).toBe(total.amountCents);
    expect(rows).toBe((await w.costs({ by: ['municipality', 'month', 'category'], year: 2025 })).length);
    for (const s of wb.worksheets) {
      expect(s.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(s.autoFilter).toBeTruthy();
    }
    // Forecast sheet: the region row equals regionForecast (as of the latest declaration).
    const fc = wb.getWorksheet('Prognose')!;
    const f = await regionForecast(w, 2025);
    const last = fc.getRow(fc.rowCount);
    const fh = (fc.getRow(1).values as unknown[]).slice(1);
    expect(last.getCell(fh.indexOf('Prognose') + 1).value).toBe(f.total.forecastCents / 100);
    // Budgets sheet: Alblasserdam's budget in euros.
    const bs = wb.getWorksheet('Begroting')!;
    let found = false;
    bs.eachRow((row) => {
      if (row.getCell(1).value === '0482') {
        expect(row.getCell(4).value).toBe(budgets.get('0482')! / 100);
        found = true;
      }
    });
    expect(found).toBe(true);
    // Differences carry their sign: forecast − budget, + is an overrun, in a signed euro format.
    const bh = (bs.getRow(1).values as unknown[]).slice(1);
    const diffCol = bh.indexOf('Verschil (prognose − begroting; + is overschrijding)') + 1;
    expect(diffCol).toBeGreaterThan(0);
    bs.eachRow((row, n) => {
      if (n === 1 || row.getCell(4).value === null) return;
      const c = row.getCell(diffCol);
      expect(c.numFmt).toBe('+€ #,##0.00;-€ #,##0.00;€ 0.00');
      expect(Math.round((c.value as number) * 100)).toBe(
        Math.round((row.getCell(5).value as number) * 100) - Math.round((row.getCell(4).value as number) * 100),
      );
    });
    expect(fc.getRow(2).getCell(fh.indexOf('Stand per') + 1).numFmt).toBe('dd-mm-yyyy');
    expect(fc.getRow(2).getCell(fh.indexOf('Stand per') + 1).value).toBeInstanceOf(Date);
    const bt = wb.getWorksheet('Backtest')!;
    expect(bt.rowCount).toBeGreaterThan(1);
    const th = (bt.getRow(1).values as unknown[]).slice(1);
    const col2 = (name: string) => th.indexOf(name) + 1;
    let signs = 0;
    bt.eachRow((row, n) => {
      if (n === 1) return;
      const actual = row.getCell(col2('Werkelijk')).value as number;
      const grip = row.getCell(col2('Prognose Grip')).value as number;
      const err = row.getCell(col2('Afwijking Grip (prognose − werkelijk)'));
      expect(err.numFmt).toBe('+0.0%;-0.0%;0.0%');
      if (actual) expect(err.value as number).toBeCloseTo((grip - actual) / actual, 9);
      if (grip < actual) signs++;
    });
    // An under-forecast shows as negative (the old column was an absolute value).
    expect(signs).toBeGreaterThan(0);
  });
});

describe('measures in the reports', () => {
  it('the A4 stays one page with the measures; the Burap gets section 5 with plan, expectation and coverage', async () => {
    await importMeasuresCsv(
      w,
      'id,title,owner,status,what,start,riskPercent,municipalities,categories,savings2025Euros\nP1,Afschalen ambulant,GM0482,in uitvoering,minder uren,2024-01,20,0482,45,50000\n',
      'maatregelen.csv',
      { enteredBy: 'test' },
    );
    await importTargetsCsv(w, 'municipality,year,amountEuros\nGM0482,2025,100000\n', 'taakstelling.csv', {
      enteredBy: 'test',
    });
    const d = at(await a4Data(w, { month: '2025-06', municipalities: ['0482'] }), 0);
    // € 50.000 × (1 − 20%) = € 40.000 risk-adjusted, × 80% (in uitvoering) = € 32.000 expected; 40.000 / 100.000 = 40% covered.
    expect(d.measures!.lines.map((l) => [l.id, l.plannedCents, l.riskAdjustedCents, l.expectedCents])).toEqual([
      ['P1', 5_000_000, 4_000_000, 3_200_000],
    ]);
    expect(d.measures!.coverage.map((c) => [c.scope, c.targetCents, c.countedCents, c.coverage])).toEqual([
      ['0482', 10_000_000, 4_000_000, 0.4],
    ]);
    const file = artifact('a4-0482-2025-06-maatregelen.pdf', await printer.print(renderA4Html(d)));
    expect(pdfInfo(file).pages).toBe(1);
    expect(pdfText(file).replace(/\s+/g, ' ')).toContain('Maatregelen 2025: taakstelling € 100.000, risicogewogen 40');
    const b = await burapData(w, { year: 2025, half: 1 });
    expect(b.measures.lines.map((l) => l.id)).toEqual(['P1']);
    const html = renderBurapHtml(b);
    expect(html).toContain('<h2>5. Maatregelen</h2>');
    expect(html).toContain('<h2>6. Voorgesteld besluit</h2>');
    expect(html).toContain('verschil-in-verschillen');
  });
});
