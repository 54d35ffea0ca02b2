/**
 * PDF: the report HTML printed by the system's Chromium (playwright-core; never downloads a browser).
 * One browser serves every page of a run: open a printer, print many documents, close it.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import type { A4Data, BurapData, RegionOverview } from '../app/reports.js';
import { at } from '../domain/indexing.js';
import { renderA4Html, renderBurapHtml, renderMaandHtml } from './html.js';

export const CHROMIUM_PATH = process.env.GRIP_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface PdfPrinter {
  /** Prints a complete HTML document to an A4 PDF. */
  print(html: string): Promise<Buffer>;
  close(): Promise<void>;
}

/** Starts one headless Chromium for a series of prints. */
export async function openPdfPrinter(executablePath = CHROMIUM_PATH): Promise<PdfPrinter> {
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath, args: ARGS });
  } catch (e) {
    throw new Error(
      `cannot start Chromium at ${executablePath} for the PDF (install it with apt-get install chromium, or set GRIP_CHROMIUM): ${(e as Error).message.split('\n')[0]}`,
    );
  }
  const context = await browser.newContext();
  // Pages are reused (a new tab per print costs more than the print); a second print in parallel gets its own.
  const idle: Page[] = [];
  return {
    async print(html: string) {
      const page = idle.pop() ?? (await context.newPage());
      try {
        await page.setContent(html, { waitUntil: 'load' });
        const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
        idle.push(page);
        return pdf;
      } catch (e) {
        await page.close().catch(() => undefined);
        throw e;
      }
    },
    async close() {
      await browser.close();
    },
  };
}

/** Prints many documents with `concurrency` tabs at a time; results in input order. */
export async function printAll(printer: PdfPrinter, htmls: readonly string[], concurrency = 2): Promise<Buffer[]> {
  const out = new Array<Buffer>(htmls.length);
  let next = 0;
  const worker = async () => {
    while (next < htmls.length) {
      const i = next++;
      out[i] = await printer.print(at(htmls, i));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, htmls.length)) }, worker));
  return out;
}

/** Runs `fn` with a printer: the given one, or a new one that is closed afterwards. */
async function withPrinter<T>(printer: PdfPrinter | undefined, fn: (p: PdfPrinter) => Promise<T>): Promise<T> {
  if (printer) return fn(printer);
  const p = await openPdfPrinter();
  try {
    return await fn(p);
  } finally {
    await p.close();
  }
}

/** One municipality's A4 dashboard as a one-page PDF. */
export function a4Pdf(data: A4Data, printer?: PdfPrinter): Promise<Buffer> {
  return withPrinter(printer, (p) => p.print(renderA4Html(data)));
}

/** The A4 dashboards of several municipalities, one PDF each, printed with one browser. */
export function a4Pdfs(data: readonly A4Data[], printer?: PdfPrinter): Promise<Buffer[]> {
  return withPrinter(printer, (p) => printAll(p, data.map(renderA4Html)));
}

/** The monthly report (region overview + a page per municipality) as a PDF. */
export function maandPdf(data: RegionOverview, printer?: PdfPrinter): Promise<Buffer> {
  return withPrinter(printer, (p) => p.print(renderMaandHtml(data)));
}

/** The Burap draft as a PDF. */
export function burapPdf(data: BurapData, printer?: PdfPrinter): Promise<Buffer> {
  return withPrinter(printer, (p) => p.print(renderBurapHtml(data)));
}
