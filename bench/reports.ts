/** Reports: the A4 dashboards of every municipality (data + HTML + PDF with one Chromium), timed. */
import { a4Data } from '../src/app/reports.js';
import { renderA4Html } from '../src/reports/html.js';
import { openPdfPrinter, printAll } from '../src/reports/pdf.js';
import { openWarehouse } from '../src/warehouse/open.js';

export async function benchReports(db: string): Promise<[string, string, string][]> {
  const w = await openWarehouse(db);
  try {
    const st = await w.status();
    // The last month whose end lies before the latest declaration: a month as the SOJ would report it.
    const last = st.lastDeclarationDate!;
    const complete = Number(last.slice(8, 10)) >= 28 ? last.slice(0, 7) : prevMonth(last.slice(0, 7));
    const month = st.lastMonth && st.lastMonth < complete ? st.lastMonth : complete;
    const t0 = process.hrtime.bigint();
    const data = await a4Data(w, { month });
    const t1 = process.hrtime.bigint();
    const html = data.map(renderA4Html);
    const t2 = process.hrtime.bigint();
    const printer = await openPdfPrinter();
    let bytes = 0;
    try {
      for (const pdf of await printAll(printer, html)) bytes += pdf.length;
    } finally {
      await printer.close();
    }
    const t3 = process.hrtime.bigint();
    const s = (a: bigint, b: bigint) => Number(b - a) / 1e9;
    return [
      [
        `A4 reports, ${data.length} municipalities`,
        `${s(t0, t3).toFixed(1)} s`,
        `data ${s(t0, t1).toFixed(1)} s, charts+HTML ${s(t1, t2).toFixed(1)} s, Chromium PDF ${s(t2, t3).toFixed(1)} s, ${(bytes / 1e6).toFixed(1)} MB, month ${month} (target < 10 s)`,
      ],
    ];
  } finally {
    await w.close();
  }
}

function prevMonth(m: string): string {
  const y = Number(m.slice(0, 4));
  const mo = Number(m.slice(5, 7));
  return mo === 1 ? `${y - 1}-12` : `${y}-${String(mo - 1).padStart(2, '0')}`;
}
