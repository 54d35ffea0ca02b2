/**
 * Reports: the renderers of the A4 dashboard per municipality, the monthly report, the Burap draft and the
 * XLSX export. Their data comes from the app service src/app/reports.ts as plain data; the renderers turn it
 * into HTML, PDF, DOCX or XLSX Buffers, so the CLI writes files and the web app offers the same as downloads.
 */
export { renderA4Html, renderA4Section, renderA4sHtml, renderBurapHtml, renderMaandHtml, REPORT_CSS } from './html.js';
export { a4Pdf, a4Pdfs, burapPdf, maandPdf, openPdfPrinter, printAll, type PdfPrinter } from './pdf.js';
export { burapDocx } from './docx.js';
export { xlsxExport, EURO_FORMAT, SHEETS } from './xlsx.js';
