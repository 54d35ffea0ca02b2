/** `grip budget`: the youth-care budget history per municipality (primitive budget + amendments), CSV in and out. */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { normaliseMunicipalityCode } from '../../domain/codes/index.js';
import { formatEuro } from '../../domain/money.js';
import {
  budgetCsv,
  budgetHistory,
  budgetVsForecast,
  importBudgetCsv,
  importLocalProvisionsCsv,
  importReservations,
} from '../../app/budgets.js';
import { deficitView } from '../../app/deficit.js';
import { PURE_ALLOCATION_KEYS, type PureAllocationKey } from '../../domain/steering/allocation.js';
import {
  DB_OPTION_HELP,
  action,
  csvImportCommand,
  enteredBy,
  printJson,
  table,
  usage,
  withWarehouse,
} from '../context.js';

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
  const cmd = program
    .command('budget')
    .description('Budgets per municipality and year: primitive budget and amendments, kept as history');
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
    .command('import-reservations')
    .description(
      "Append what municipalities reserved for their share of the region's overrun (CSV or XLSX, all or nothing)",
    )
    .argument('<file>', 'CSV or XLSX file: municipality,year,date,amountEuros|amountCents,reference,description')
    .option('--by <name>', 'who enters them (default: $USER)')
    .option('--db <file|url>', DB_OPTION_HELP)
    .addHelpText(
      'after',
      `\nExample:\n  $ grip budget import-reservations examples/reserveringen-2025.csv\n
CSV (UTF-8, comma or semicolon, one header line) or XLSX (first worksheet, header in row 1):
  municipality,year,date,amountEuros,reference,description
  GM0482,2025,2025-07-03,600000,1e Burap 2025 Alblasserdam,Reservering aandeel tekort
A later entry is the new figure: the reservation at a date is the latest entry dated on or before it.`,
    )
    .action(
      action(async (file: string, opts: { by?: string; db?: string }) => {
        const n = await withWarehouse(opts, (w) =>
          importReservations(w, readFileSync(file), file, { enteredBy: enteredBy(opts.by) }),
        );
        process.stdout.write(`${n} reserveringen ingelezen uit ${file}.\n`);
      }),
    );
  cmd
    .command('deficit')
    .description(
      "Per municipality: own forecast − own budget, the share of the region's result under a key, the reservation, and why they differ",
    )
    .option('--year <year>', 'budget year (default: the current year)')
    .option('--municipality <code>', 'one municipality (the share is still of the whole region)')
    .option('--key <key>', `allocation key: ${PURE_ALLOCATION_KEYS.join(', ')}`, 'usage')
    .option('--as-of <date>', 'the date of the forecast, budget and reservation (default: the latest declaration)')
    .option('--json', 'print as JSON')
    .option('--db <file|url>', DB_OPTION_HELP)
    .addHelpText('after', '\nExample:\n  $ grip budget deficit --year 2025 --municipality 0482')
    .action(
      action(
        async (opts: {
          year?: string;
          municipality?: string;
          key: string;
          asOf?: string;
          json?: boolean;
          db?: string;
        }) => {
          const year = yearOption(opts.year) ?? new Date().getFullYear();
          const municipality = municipalityOption(opts.municipality);
          if (!(PURE_ALLOCATION_KEYS as readonly string[]).includes(opts.key))
            throw usage(`--key moet een van deze zijn: ${PURE_ALLOCATION_KEYS.join(', ')}`);
          if (opts.asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.asOf))
            throw usage(`--as-of moet een datum zijn zoals 2025-06-30, niet "${opts.asOf}"`);
          const v = await withWarehouse(opts, (w) =>
            deficitView(w, { year, asOf: opts.asOf, key: opts.key as PureAllocationKey }),
          );
          const rows = v.rows.filter((r) => !municipality || r.municipality === municipality);
          if (opts.json) return printJson({ ...v, forecast: undefined, rows });
          const e = (c: number | null) => (c === null ? '–' : formatEuro(c));
          process.stdout.write(
            `Tekort ${year}: eigen resultaat, aandeel in het resultaat van de regio (naar ${v.keyLabel}) en reservering (peildatum ${v.asOf})\n\n`,
          );
          process.stdout.write(
            table(
              [
                'code',
                'gemeente',
                'begroting',
                'prognose',
                'eigen resultaat',
                'aandeel regio',
                'verschil',
                'reservering',
                'aandeel − reservering',
              ],
              rows.map((r) => [
                r.municipality,
                r.name,
                e(r.budgetCents),
                e(r.forecastCents),
                e(r.ownCents),
                e(r.shareCents),
                e(r.ownVsShare?.differenceCents ?? null),
                e(r.reservationCents),
                e(r.balanceCents),
              ]),
              [false, false, true, true, true, true, true, true, true],
            ) + '\n',
          );
          for (const r of rows) {
            const text = [r.ownVsShare?.sentence, r.reservation?.sentence].filter(Boolean).join(' ');
            if (text) process.stdout.write(`\n${r.name}: ${text}\n`);
          }
          if (v.missingBudgets.length)
            process.stdout.write(
              `\nGeen begroting voor: ${v.missingBudgets.join(', ')}; het aandeel in het resultaat van de regio is daarom niet te bepalen.\n`,
            );
          if (v.splitError) process.stdout.write(`\n${v.splitError}\n`);
        },
      ),
    );
  cmd
    .command('list')
    .description('The budget history with the running budget, or budget vs forecast (--vs-forecast)')
    .option('--year <year>', 'budget year (default: the current year)')
    .option('--municipality <code>', 'one municipality')
    .option('--vs-forecast', 'compare the current budget with the year-end forecast')
    .option(
      '--as-of <date>',
      'with --vs-forecast: the date of the forecast and of the budget (default: the latest declaration)',
    )
    .option('--json', 'print as JSON')
    .option('--db <file|url>', DB_OPTION_HELP)
    .addHelpText(
      'after',
      '\nExamples:\n  $ grip budget list --year 2025\n  $ grip budget list --year 2025 --vs-forecast',
    )
    .action(
      action(
        async (opts: {
          year?: string;
          municipality?: string;
          vsForecast?: boolean;
          asOf?: string;
          json?: boolean;
          db?: string;
        }) => {
          const year = yearOption(opts.year) ?? new Date().getFullYear();
          const municipality = municipalityOption(opts.municipality);
          if (opts.vsForecast) {
            const r = await withWarehouse(opts, (w) =>
              budgetVsForecast(w, year, opts.asOf, municipality ? [municipality] : undefined),
            );
            if (opts.json) return printJson(r);
            const e = (c: number | null) => (c === null ? '–' : formatEuro(c));
            process.stdout.write(`Begroting en prognose ${year} (peildatum ${r.asOf})\n\n`);
            process.stdout.write(
              table(
                ['code', 'gemeente', 'begroting', 'gerealiseerd', 'prognose', 'bandbreedte', 'over-/onderschrijding'],
                [...r.municipalities, r.region].map((m) => [
                  m.municipality,
                  m.name,
                  e(m.budgetCents),
                  e(m.realisedCents),
                  e(m.forecastCents),
                  `${e(m.lowCents)} – ${e(m.highCents)}`,
                  e(m.overrunCents),
                ]),
                [false, false, true, true, true, true, true],
              ) + '\n',
            );
            if (r.missingBudgets.length)
              process.stdout.write(`\nGeen begroting voor: ${r.missingBudgets.join(', ')}.\n`);
            return;
          }
          const rows = await withWarehouse(opts, (w) => budgetHistory(w, { year, municipality }));
          if (opts.json) return printJson(rows);
          if (!rows.length)
            return void process.stdout.write(
              `Geen begroting voor ${year}; lees er een in met \`grip budget import\`.\n`,
            );
          process.stdout.write(
            table(
              ['gemeente', 'jaar', 'soort', 'datum', 'besluit', 'groep', 'bedrag', 'begroting na'],
              rows.map((r) => [
                r.municipality,
                String(r.year),
                r.kind,
                r.date,
                r.decisionReference ?? '',
                r.categoryGroup ?? '',
                formatEuro(r.amountCents),
                formatEuro(r.budgetAfterCents),
              ]),
              [false, false, false, false, false, false, true, true],
            ) + '\n',
          );
        },
      ),
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
        process.stdout.write(
          `${Math.max(0, csv.split('\n').filter(Boolean).length - 1)} begrotingsregels geschreven naar ${opts.out}.\n`,
        );
      }),
    );
}
