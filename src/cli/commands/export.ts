/** `grip export xlsx`: costs, forecast, budgets and back-test as an Excel workbook. */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { isIsoDate } from '../../domain/month.js';
import { DB_OPTION_HELP, action, usage, withWarehouse } from '../context.js';

export function registerExport(program: Command): void {
  const exp = program.command('export').description('Export figures for spreadsheets');
  exp
    .command('xlsx')
    .description(
      'Excel workbook: costs per municipality × month × category, forecast with 80% range, budgets, back-test (amounts in euros, € number format)',
    )
    .requiredOption('--year <year>', 'production year')
    .requiredOption('--out <file>', 'output file (.xlsx)')
    .option(
      '--as-of <YYYY-MM-DD>',
      'only declarations dated on or before this day (default: everything in the warehouse)',
    )
    .option('--db <file|url>', DB_OPTION_HELP)
    .addHelpText(
      'after',
      '\nExamples:\n  $ grip export xlsx --year 2025 --out jeugdhulp-2025.xlsx\n  $ grip export xlsx --year 2025 --as-of 2025-06-30 --out jeugdhulp-2025-06.xlsx',
    )
    .action(
      action(async (opts: { year: string; out: string; asOf?: string; db?: string }) => {
        // Loaded here: exceljs and the report data slow every other command's start.
        const [{ exportData }, { xlsxExport }] = await Promise.all([
          import('../../app/reports.js'),
          import('../../reports/xlsx.js'),
        ]);
        if (!/^\d{4}$/.test(opts.year)) throw usage(`--year moet een jaar zijn zoals 2025, niet "${opts.year}"`);
        if (opts.asOf && !isIsoDate(opts.asOf))
          throw usage(`--as-of moet een datum JJJJ-MM-DD zijn, niet "${opts.asOf}"`);
        if (!opts.out.toLowerCase().endsWith('.xlsx')) throw usage(`--out moet eindigen op .xlsx, niet "${opts.out}"`);
        const data = await withWarehouse(opts, (w) => exportData(w, { year: Number(opts.year), asOf: opts.asOf }));
        writeFileSync(opts.out, await xlsxExport(data));
        process.stdout.write(`${opts.out}\n`);
      }),
    );
}
