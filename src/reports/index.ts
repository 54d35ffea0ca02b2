/**
 * Reports: the A4 dashboard per municipality, the monthly report, the Burap draft and the XLSX export.
 * Data gathering (data.ts) returns plain data; the renderers turn it into HTML, PDF, DOCX or XLSX Buffers,
 * so the CLI writes files and the web app can offer the same as downloads.
 */
export { a4Data, burapData, exportData, gatherRegion, likeForLikeDrivers, periodLabel } from './data.js';
export type { A4Data, A4Kpi, A4Options, BurapData, BurapOptions, BurapRow, ExportData, RegionOverview } from './data.js';
export { renderA4Html, renderA4Section, renderA4sHtml, renderBurapHtml, renderMaandHtml, REPORT_CSS } from './html.js';
export { a4Pdf, a4Pdfs, burapPdf, maandPdf, openPdfPrinter, printAll, type PdfPrinter } from './pdf.js';
export { burapDocx } from './docx.js';
export { xlsxExport, EURO_FORMAT, SHEETS } from './xlsx.js';
