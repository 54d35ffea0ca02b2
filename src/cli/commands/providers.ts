/** `grip providers`: the provider register (AGB code → name, KvK, type of care), so pages and reports show names. */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { importProviderFile, providersCsv } from '../../app/providers.js';
import { DB_OPTION_HELP, action, enteredBy, printJson, table, withWarehouse } from '../context.js';

const FILE_HELP = `
CSV (UTF-8, comma or semicolon, one header line) or XLSX (first worksheet, header in row 1):
  agb,name,kvk,careType
  41000000,Jeugdzorg De Linde,12345678,Jeugd-GGZ
agb: AGB code (8 digits); name: the provider's name; kvk: KvK number (8 digits, may be empty);
careType: type of care (free text, may be empty). A row with the AGB code of a stored provider replaces it.
The whole file is imported or nothing; a bad value is reported with file, line (row) and column.`;

export function registerProviders(program: Command): void {
  const cmd = program
    .command('providers')
    .description('The provider register: AGB code → name (KvK, type of care), shown wherever a provider appears');
  cmd
    .command('import')
    .description('Import providers from a CSV or XLSX file (all or nothing)')
    .argument('<file>', 'CSV or XLSX file')
    .option('--by <name>', 'who enters them (default: $USER)')
    .option('--db <file|url>', DB_OPTION_HELP)
    .addHelpText(
      'after',
      `\nExamples:\n  $ grip providers import aanbieders.csv\n  $ grip providers import aanbieders.xlsx\n${FILE_HELP}`,
    )
    .action(
      action(async (file: string, opts: { by?: string; db?: string }) => {
        const n = await withWarehouse(opts, (w) => importProviderFile(w, file, { enteredBy: enteredBy(opts.by) }));
        process.stdout.write(`${n} aanbieders ingelezen uit ${file}.\n`);
      }),
    );
  cmd
    .command('list')
    .description('Show the provider register')
    .option('--json', 'print as JSON')
    .option('--db <file|url>', DB_OPTION_HELP)
    .addHelpText('after', '\nExamples:\n  $ grip providers list\n  $ grip providers list --json')
    .action(
      action(async (opts: { json?: boolean; db?: string }) => {
        const rows = await withWarehouse(opts, (w) => w.providers());
        if (opts.json) return printJson(rows);
        if (!rows.length)
          return void process.stdout.write(
            'Geen aanbieders; lees een aanbiedersregister in met `grip providers import`.\n',
          );
        process.stdout.write(
          table(
            ['AGB-code', 'naam', 'KvK', 'soort zorg', 'bron'],
            rows.map((p) => [p.agb, p.name, p.kvk ?? '–', p.careType ?? '–', p.source]),
          ) + '\n',
        );
      }),
    );
  cmd
    .command('export')
    .description(
      'Write the provider register as CSV (to FILE, or to standard output); `grip providers import` reads it back',
    )
    .argument('[file]', 'CSV file to write (default: standard output)')
    .option('--db <file|url>', DB_OPTION_HELP)
    .action(
      action(async (file: string | undefined, opts: { db?: string }) => {
        const csv = await withWarehouse(opts, (w) => providersCsv(w));
        if (!file) return void process.stdout.write(csv);
        writeFileSync(file, csv);
        process.stdout.write(
          `${Math.max(0, csv.split('\n').filter(Boolean).length - 1)} aanbieders geschreven naar ${file}.\n`,
        );
      }),
    );
}
