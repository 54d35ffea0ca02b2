/** `grip report a4 | maand | burap`: the A4 dashboard per municipality, the monthly report, the Burap draft. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Command } from 'commander';
import { normaliseMunicipalityCode } from '../../domain/codes/index.js';
import { at } from '../../domain/indexing.js';
import { parseEuros, type Cents } from '../../domain/money.js';
import { isIsoDate, isMonthKey } from '../../domain/month.js';
import { PURE_ALLOCATION_KEYS, type PureAllocationKey } from '../../domain/steering/allocation.js';
import { DB_OPTION_HELP, action, usage, withWarehouse } from '../context.js';

/** The report modules (ECharts, Chromium, docx) load when a report is made, not at every command's start. */
async function reportModules() {
  const [data, docx, html, pdf] = await Promise.all([
    import('../../app/reports.js'),
    import('../../reports/docx.js'),
    import('../../reports/html.js'),
    import('../../reports/pdf.js'),
  ]);
  return { ...data, ...docx, ...html, ...pdf };
}

function month(opts: { month?: string }): string {
  if (!opts.month || !isMonthKey(opts.month))
    throw usage(
      `--month moet een maand JJJJ-MM zijn (de gegevens zoals bekend aan het eind van die maand), niet "${opts.month ?? ''}"`,
    );
  return opts.month;
}

function outKind(out: string, allowed: string[]): string {
  const ext = extname(out).toLowerCase().slice(1);
  if (!allowed.includes(ext))
    throw usage(`--out moet eindigen op ${allowed.map((a) => `.${a}`).join(' of ')}, niet "${out}"`);
  return ext;
}

const slug = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

const seconds = (t0: bigint) => (Number(process.hrtime.bigint() - t0) / 1e9).toFixed(1).replace('.', ',');

/** `0482=600000,0505=1.250.000` or repeated options → reservations in cents. */
function parseReservations(values: string[]): Map<string, Cents> {
  const out = new Map<string, Cents>();
  for (const part of values
    .flatMap((v) => v.split(/[;]/))
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([^=]+)=(.+)$/.exec(part);
    const code = m ? normaliseMunicipalityCode(at(m, 1)) : null;
    if (!m || !code) throw usage(`--reservation moet CODE=EURO zijn (bijv. 0482=600000), niet "${part}"`);
    try {
      out.set(code, parseEuros(at(m, 2)));
    } catch (e) {
      throw usage(`--reservation ${part}: ${(e as Error).message}`);
    }
  }
  return out;
}

export function registerReport(program: Command): void {
  const report = program
    .command('report')
    .description('Reports: A4 dashboard per municipality (PDF), monthly report (PDF), Burap draft (DOCX/PDF)');

  report
    .command('a4')
    .description(
      'One-page A4 dashboard per municipality: costs to date, cost development, year-end forecast with range and reliability, budget, categories, clients, what changed',
    )
    .requiredOption('--month <YYYY-MM>', 'the period runs from January to this month; data as known at its last day')
    .option('--municipality <code>', 'one municipality (CBS code, e.g. 0482)')
    .option('--all', 'every municipality of the region (with --out-dir)')
    .option('--out <file>', 'output file (.pdf or .html) for one municipality')
    .option('--out-dir <dir>', 'output folder for --all (one PDF per municipality)')
    .option(
      '--as-of <YYYY-MM-DD>',
      "the stand (default: the dashboard's — the latest declaration date — for the newest month, else the month's last day)",
    )
    .option('--db <file|url>', DB_OPTION_HELP)
    .addHelpText(
      'after',
      `
Examples:
  $ grip report a4 --municipality 0482 --month 2025-06 --out alblasserdam-2025-06.pdf
  $ grip report a4 --all --month 2025-06 --out-dir rapporten/`,
    )
    .action(
      action(
        async (opts: {
          month?: string;
          municipality?: string;
          all?: boolean;
          out?: string;
          outDir?: string;
          asOf?: string;
          db?: string;
        }) => {
          const asOf = asOfOption(opts.asOf);
          const { a4Data, renderA4Html, openPdfPrinter, printAll } = await reportModules();
          const m = month(opts);
          if (!!opts.all === !!opts.municipality)
            throw usage('geef --municipality CODE (met --out) of --all (met --out-dir)');
          const code = opts.municipality ? normaliseMunicipalityCode(opts.municipality) : null;
          if (opts.municipality && !code)
            throw usage(`--municipality moet een CBS-code zijn zoals 0482, niet "${opts.municipality}"`);
          if (code && !opts.out) throw usage('bij --municipality hoort --out BESTAND.pdf');
          if (opts.all && !opts.outDir) throw usage('bij --all hoort --out-dir MAP');
          const kind = opts.out ? outKind(opts.out, ['pdf', 'html']) : 'pdf';
          const t0 = process.hrtime.bigint();
          const data = await withWarehouse(opts, (w) =>
            a4Data(w, { month: m, municipalities: code ? [code] : undefined, asOf }),
          );
          if (!data.length)
            throw usage('geen gemeenten om over te rapporteren (importeer eerst gegevens, of controleer de code)');
          if (kind === 'html') {
            writeFileSync(opts.out!, renderA4Html(at(data, 0)));
            process.stdout.write(`${opts.out}\n`);
            return;
          }
          const printer = await openPdfPrinter();
          try {
            if (opts.outDir) mkdirSync(opts.outDir, { recursive: true });
            const pdfs = await printAll(printer, data.map(renderA4Html));
            data.forEach((d, i) => {
              const file = opts.out ?? join(opts.outDir!, `a4-${d.municipality}-${slug(d.name)}-${d.month}.pdf`);
              writeFileSync(file, at(pdfs, i));
              process.stdout.write(`${file}\n`);
            });
          } finally {
            await printer.close();
          }
          process.stderr.write(`${data.length} A4${data.length === 1 ? '' : "'s"} in ${seconds(t0)} s\n`);
        },
      ),
    );

  report
    .command('maand')
    .description(
      'Monthly report: an overview of all municipalities of the region, then one A4 section per municipality',
    )
    .requiredOption('--month <YYYY-MM>', 'the period runs from January to this month; data as known at its last day')
    .requiredOption('--out <file>', 'output file (.pdf or .html)')
    .option(
      '--as-of <YYYY-MM-DD>',
      "the stand (default: the dashboard's — the latest declaration date — for the newest month, else the month's last day)",
    )
    .option('--db <file|url>', DB_OPTION_HELP)
    .addHelpText('after', '\nExample:\n  $ grip report maand --month 2025-06 --out maandrapportage-2025-06.pdf')
    .action(
      action(async (opts: { month?: string; out: string; asOf?: string; db?: string }) => {
        const asOf = asOfOption(opts.asOf);
        const { gatherRegion, renderMaandHtml, openPdfPrinter } = await reportModules();
        const m = month(opts);
        const kind = outKind(opts.out, ['pdf', 'html']);
        const t0 = process.hrtime.bigint();
        const data = await withWarehouse(opts, (w) => gatherRegion(w, { month: m, asOf }));
        const html = renderMaandHtml(data);
        if (kind === 'html') writeFileSync(opts.out, html);
        else {
          const printer = await openPdfPrinter();
          try {
            writeFileSync(opts.out, await printer.print(html));
          } finally {
            await printer.close();
          }
        }
        process.stdout.write(`${opts.out}\n`);
        process.stderr.write(`maandrapportage in ${seconds(t0)} s\n`);
      }),
    );

  report
    .command('burap')
    .description(
      'Draft half-year report (bestuursrapportage) in Dutch: forecast per municipality, difference from budget, main causes, share per municipality, proposed decision',
    )
    .requiredOption('--year <year>', 'the budget year')
    .requiredOption('--half <1|2>', '1: data as known at 30 June; 2: at 31 December')
    .requiredOption('--out <file>', 'output file: .docx (Word), .pdf or .html')
    .option('--key <key>', `allocation key for the share per municipality: ${PURE_ALLOCATION_KEYS.join(', ')}`, 'usage')
    .option(
      '--reservation <CODE=EUROS...>',
      'amount a municipality reserved (repeatable), e.g. 0482=600000',
      (v: string, prev: string[] | undefined) => [...(prev ?? []), v],
    )
    .option(
      '--as-of <YYYY-MM-DD>',
      "the stand (default: the dashboard's — the latest declaration date — for the newest month, else the month's last day)",
    )
    .option('--db <file|url>', DB_OPTION_HELP)
    .addHelpText(
      'after',
      `
Budgets come from \`grip budget\` (src/app/budgets.ts); without them the report says "geen begroting ingevoerd".

Examples:
  $ grip report burap --year 2025 --half 1 --out burap-2025-1.docx
  $ grip report burap --year 2025 --half 1 --out burap-2025-1.pdf --reservation 0482=600000`,
    )
    .action(
      action(
        async (opts: {
          year: string;
          half: string;
          out: string;
          key: string;
          reservation?: string[];
          asOf?: string;
          db?: string;
        }) => {
          const asOf = asOfOption(opts.asOf);
          const { burapData, burapDocx, renderBurapHtml, openPdfPrinter } = await reportModules();
          if (!/^\d{4}$/.test(opts.year)) throw usage(`--year moet een jaar zijn zoals 2025, niet "${opts.year}"`);
          if (opts.half !== '1' && opts.half !== '2') throw usage(`--half moet 1 of 2 zijn, niet "${opts.half}"`);
          if (!(PURE_ALLOCATION_KEYS as readonly string[]).includes(opts.key))
            throw usage(`--key moet een van deze zijn: ${PURE_ALLOCATION_KEYS.join(', ')}`);
          const kind = outKind(opts.out, ['docx', 'pdf', 'html']);
          const reservations = opts.reservation?.length ? parseReservations(opts.reservation) : undefined;
          const data = await withWarehouse(opts, (w) =>
            burapData(w, {
              year: Number(opts.year),
              half: Number(opts.half) as 1 | 2,
              key: opts.key as PureAllocationKey,
              reservations,
              asOf,
            }),
          );
          if (kind === 'docx') writeFileSync(opts.out, await burapDocx(data));
          else if (kind === 'html') writeFileSync(opts.out, renderBurapHtml(data));
          else {
            const printer = await openPdfPrinter();
            try {
              writeFileSync(opts.out, await printer.print(renderBurapHtml(data)));
            } finally {
              await printer.close();
            }
          }
          process.stdout.write(`${opts.out}\n`);
        },
      ),
    );
}

/** `--as-of`: a real calendar date, or nothing (the report's default stand). */
function asOfOption(v: string | undefined): string | undefined {
  if (v !== undefined && !isIsoDate(v)) throw usage(`--as-of moet een datum JJJJ-MM-DD zijn, niet "${v}"`);
  return v;
}
