/** `grip tariffs`: the contracted tariff list (import, list, export), which `grip check` compares declarations with. */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { PRODUCT_CATEGORIES, UNITS } from '../../domain/codes/index.js';
import { formatEuro } from '../../domain/money.js';
import { isIsoDate } from '../../domain/month.js';
import { importTariffCsv, tariffsCsv } from '../../app/tariffs.js';
import type { TariffQuery } from '../../warehouse/types.js';
import { DB_OPTION_HELP, action, csvImportCommand, printJson, table, usage, withWarehouse } from '../context.js';

const CSV_HELP = `
CSV (UTF-8, comma or semicolon, one header line):
  provider,productCategory,productCode,unit,tariffCents,validFrom,validTo
  *,45,45A03,04,8500,2025-01-01,2025-12-31
  12345678,45,,04,9000,2025-01-01,
provider: AGB code, or * for every provider; productCode empty = the whole category; unit: WJ756;
tariffCents: whole eurocents per unit (or a tariffEuros column); validTo empty = open-ended.
A row with the same provider, category, product and validFrom replaces the stored one. The whole file is
imported or nothing; a bad value is reported with file, line and column.`;

function tariffQuery(opts: { provider?: string; category?: string; on?: string }): TariffQuery {
  if (opts.provider !== undefined && opts.provider !== '*' && !/^\d{8}$/.test(opts.provider))
    throw usage(`--provider moet een AGB-code (8 cijfers) of * zijn, niet "${opts.provider}"`);
  if (opts.category !== undefined && !(opts.category in PRODUCT_CATEGORIES))
    throw usage(`--category moet een productcategorie (JZ020) zijn zoals 45, niet "${opts.category}"`);
  if (opts.on !== undefined && !isIsoDate(opts.on))
    throw usage(`--on moet een datum JJJJ-MM-DD zijn, niet "${opts.on}"`);
  return { provider: opts.provider, category: opts.category, on: opts.on };
}

export function registerTariffs(program: Command): void {
  const cmd = program
    .command('tariffs')
    .description('The contracted tariff list: per provider (or all), product (or category) and unit, from a date');
  csvImportCommand(cmd, {
    name: 'import',
    description: 'Import contracted tariffs from a CSV file (all or nothing)',
    argument: 'CSV file',
    help: `\nExample:\n  $ grip tariffs import tarieven.csv\n${CSV_HELP}`,
    run: importTariffCsv,
    done: (n, file) => `${n} tarieven ingelezen uit ${file}.`,
  });
  cmd
    .command('list')
    .description('Show the contracted tariffs')
    .option('--provider <agb>', 'only this provider (or * for the tariffs of every provider)')
    .option('--category <code>', 'only this product category (JZ020)')
    .option('--on <date>', 'only tariffs valid on this date (YYYY-MM-DD)')
    .option('--json', 'print as JSON (tariffs in cents)')
    .option('--db <file|url>', DB_OPTION_HELP)
    .addHelpText(
      'after',
      '\nExamples:\n  $ grip tariffs list\n  $ grip tariffs list --category 45 --on 2025-06-01 --json',
    )
    .action(
      action(async (opts: { provider?: string; category?: string; on?: string; json?: boolean; db?: string }) => {
        const q = tariffQuery(opts);
        const rows = await withWarehouse(opts, (w) => w.tariffs(q));
        if (opts.json) return printJson(rows);
        if (!rows.length)
          return void process.stdout.write('Geen tarieven; lees een tarievenlijst in met `grip tariffs import`.\n');
        process.stdout.write(
          table(
            ['aanbieder', 'categorie', 'product', 'eenheid', 'tarief', 'geldig van', 'tot en met', 'bron'],
            rows.map((t) => [
              t.provider === '*' ? '* (alle)' : t.provider,
              t.category,
              t.productCode ?? '(hele categorie)',
              `${t.unit} ${UNITS[t.unit] ?? ''}`.trim(),
              formatEuro(t.tariffCents),
              t.validFrom,
              t.validTo ?? '–',
              t.source,
            ]),
            [false, false, false, false, true, false, false, false],
          ) + '\n',
        );
      }),
    );
  cmd
    .command('export')
    .description(
      'Write the contracted tariffs as CSV (to FILE, or to standard output); `grip tariffs import` reads it back',
    )
    .argument('[file]', 'CSV file to write (default: standard output)')
    .option('--db <file|url>', DB_OPTION_HELP)
    .addHelpText('after', '\nExamples:\n  $ grip tariffs export tarieven.csv\n  $ grip tariffs export > tarieven.csv')
    .action(
      action(async (file: string | undefined, opts: { db?: string }) => {
        const csv = await withWarehouse(opts, (w) => tariffsCsv(w));
        if (!file) return void process.stdout.write(csv);
        writeFileSync(file, csv);
        process.stdout.write(
          `${Math.max(0, csv.split('\n').filter(Boolean).length - 1)} tarieven geschreven naar ${file}.\n`,
        );
      }),
    );
}
