/** `grip budget`: the youth-care budget history per municipality (primitive budget + amendments), CSV in and out. */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { normaliseMunicipalityCode } from '../../domain/codes/index.js';
import { formatEuro } from '../../domain/money.js';
import { budgetCsv, budgetHistory, budgetVsForecast, importBudgetCsv, importLocalProvisionsCsv } from '../../app/budgets.js';
import { DB_OPTION_HELP, action, csvImportCommand, printJson, table, usage, withWarehouse } from '../context.js';

export const yearOption = (y?: string): number | undefined => {
  if (y === undefined) return undefined;
  if (!/^\d{4}$/.test(y)) throw usage(`--year moet een jaar zijn zoals 2025, niet "${y}"`);
  return Number(y);
};
export const municipalityOption = (m?: string): string | undefined => {
  if (m === undefined) return undefined;
  const c = normaliseMunicipalityCode(m);
  if (!c) throw usage(`--municipality moet een CBS-code zijn zoals 0482 of GM0482, niet "${m}"`);
  return c;
};

const CSV_HELP = `
CSV (UTF-8, comma or semicolon, one header line):
  municipality,year,kind,date,amountEuros,decisionReference,categoryGroup,description
  GM0482,2025,primitief,2024-11-12,5400000,Begroting 2025,,Primaire begroting
  0482,2025,wijziging,2025-07-03,-250000,AB juli 2025,verblijf,Bijstelling
kind: primitief | wijziging; amounts in amountEuros (euros, e.g. 5400000 or "5.400.000,00") or amountCents
(whole eurocents) — one of the two columns; an amendment is the signed change. The whole file is imported or
nothing; an entry already imported is refused. History is never overwritten.`;

export function registerBudget(program: Command): void {
  const cmd = program.command('budget').description('Budgets per municipality and year: primitive budget and amendments, kept as history');
  csvImportCommand(cmd, {
    name: 'import',
    description: 'Append budget entries from a CSV file (all or nothing)',
    argument: 'CSV file',
    help: `\nExample:\n  $ grip budget import examples/begroting-2025.csv\n${CSV_HELP}`,
    run: importBudgetCsv,
    done: (n, file) => `${n} begrotingsregels ingelezen uit ${file}.`,
  });
  csvImportCommand(cmd, {
    name: 'import-voorkant',
    description: 'Append budget lines of general local provisions (SJT, CJG, youth work) from a CSV file',
    argument: 'CSV file: municipality,year,provision,date,amountEuros|amountCents,description',
    help: '\nExample:\n  $ grip budget import-voorkant examples/voorkant-2025.csv',
    run: importLocalProvisionsCsv,
    done: (n, file) => `${n} regels lokale voorzieningen ingelezen uit ${file}.`,
  });
  cmd
    .command('list')
    .description('The budget history with the running budget, or budget vs forecast (--vs-forecast)')
    .option('--year <year>', 'budget year (default: the current year)')
    .option('--municipality <code>', 'one municipality')
    .option('--vs-forecast', 'compare the current budget with the year-end forecast')
    .option('--as-of <date>', 'with --vs-forecast: the date of the forecast and of the budget (default: the latest declaration)')
    .option('--json', 'print as JSON')
    .option('--db <file|url>', DB_OPTION_HELP)
    .addHelpText('after', '\nExamples:\n  $ grip budget list --year 2025\n  $ grip budget list --year 2025 --vs-forecast')
    .action(
      action(async (opts: { year?: string; municipality?: string; vsForecast?: boolean; asOf?: string; json?: boolean; db?: string }) => {
        const year = yearOption(opts.year) ?? new Date().getFullYear();
        const municipality = municipalityOption(opts.municipality);
        if (opts.vsForecast) {
          const r = await withWarehouse(opts, (w) => budgetVsForecast(w, year, opts.asOf, municipality ? [municipality] : undefined));
          if (opts.json) return printJson(r);
          const e = (c: number | null) => (c === null ? '–' : formatEuro(c));
          process.stdout.write(`Begroting en prognose ${year} (peildatum ${r.asOf})\n\n`);
          process.stdout.write(
            table(
              ['code', 'gemeente', 'begroting', 'gerealiseerd', 'prognose', 'bandbreedte', 'over-/onderschrijding'],
              [...r.municipalities, r.region].map((m) => [m.municipality, m.name, e(m.budgetCents), e(m.realisedCents), e(m.forecastCents), `${e(m.lowCents)} – ${e(m.highCents)}`, e(m.overrunCents)]),
              [false, false, true, true, true, true, true],
            ) + '\n',
          );
          if (r.missingBudgets.length) process.stdout.write(`\nGeen begroting voor: ${r.missingBudgets.join(', ')}.\n`);
          return;
        }
        const rows = await withWarehouse(opts, (w) => budgetHistory(w, { year, municipality }));
        if (opts.json) return printJson(rows);
        if (!rows.length) return void process.stdout.write(`Geen begroting voor ${year}; lees er een in met \`grip budget import\`.\n`);
        process.stdout.write(
          table(
            ['gemeente', 'jaar', 'soort', 'datum', 'besluit', 'groep', 'bedrag', 'begroting na'],
            rows.map((r) => [r.municipality, String(r.year), r.kind, r.date, r.decisionReference ?? '', r.categoryGroup ?? '', formatEuro(r.amountCents), formatEuro(r.budgetAfterCents)]),
            [false, false, false, false, false, false, true, true],
          ) + '\n',
        );
      }),
    );
  cmd
    .command('export')
    .description('Write the budget history as CSV (amounts in eurocents); `grip budget import` reads it back')
    .requiredOption('--out <file>', 'CSV file to write')
    .option('--year <year>', 'only this year')
    .option('--db <file|url>', DB_OPTION_HELP)
    .addHelpText('after', '\nExample:\n  $ grip budget export --out begroting.csv --year 2025')
    .action(
      action(async (opts: { out: string; year?: string; db?: string }) => {
        const csv = await withWarehouse(opts, (w) => budgetCsv(w, { year: yearOption(opts.year) }));
        writeFileSync(opts.out, csv);
        process.stdout.write(`${Math.max(0, csv.split('\n').filter(Boolean).length - 1)} begrotingsregels geschreven naar ${opts.out}.\n`);
      }),
    );
}
