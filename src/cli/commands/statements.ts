/** `grip statements`: providers' year-end production statements (productieverantwoording), import and compare with declared. */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { compareStatements, importStatementFile } from '../../app/statements.js';
import { describeError } from '../../domain/errors.js';
import { formatEuro, parseEuros } from '../../domain/money.js';
import { DB_OPTION_HELP, action, enteredBy, printJson, table, usage, withWarehouse } from '../context.js';
import { municipalityOption, yearOption } from './budget.js';

const FILE_HELP = `
CSV (UTF-8, comma or semicolon, one header line) or XLSX (first worksheet, header in row 1):
  provider,municipality,year,product,amountEuros
  41000000,GM0482,2025,45,"125.000,00"
provider: AGB code; product: a category (45) or a product code (45A03); the amount in amountEuros or amountCents.
Each file is imported whole or not at all (errors name file, line or row, and column); a bad file does not stop
the others. A row with the same provider, municipality, year and product as a stored one replaces it.`;

export function registerStatements(program: Command): void {
  const cmd = program
    .command('statements')
    .description("Providers' year-end production statements (productieverantwoording) against what was declared");
  cmd
    .command('import')
    .description('Import statement files (CSV or XLSX), each all or nothing')
    .argument('<files...>', 'CSV or XLSX files')
    .option('--by <name>', 'who enters them (default: $USER)')
    .option('--db <file|url>', DB_OPTION_HELP)
    .addHelpText(
      'after',
      `\nExample:\n  $ grip statements import examples/productieverantwoording-2025.csv\n${FILE_HELP}`,
    )
    .action(
      action(async (files: string[], opts: { by?: string; db?: string }) => {
        let failed = 0;
        await withWarehouse(opts, async (w) => {
          for (const file of files) {
            try {
              const n = await importStatementFile(w, file, { enteredBy: enteredBy(opts.by) }, readFileSync(file));
              process.stdout.write(`${file}: ${n} regels productieverantwoording ingelezen.\n`);
            } catch (e) {
              failed++;
              const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
              process.stderr.write(
                `grip: ${missing ? `bestand niet gevonden: ${file}` : describeError(e)} — niets uit dit bestand opgeslagen\n`,
              );
            }
          }
        });
        if (failed) process.exitCode = 1;
      }),
    );
  cmd
    .command('compare')
    .description('Statement minus declared per provider, municipality and product; the differences above a threshold')
    .requiredOption('--year <year>', 'production year')
    .option('--threshold <euros>', 'list differences of at least this many euros (default 1000)', '1000')
    .option('--municipality <code>', 'only this municipality (both sides)')
    .option('--as-of <date>', 'declarations dated on or before this date (default: all)')
    .option('--all', 'every row, not only those above the threshold')
    .option('--json', 'print as JSON')
    .option('--db <file|url>', DB_OPTION_HELP)
    .addHelpText('after', '\nExample:\n  $ grip statements compare --year 2025 --threshold 5000')
    .action(
      action(
        async (opts: {
          year: string;
          threshold: string;
          municipality?: string;
          asOf?: string;
          all?: boolean;
          json?: boolean;
          db?: string;
        }) => {
          const year = yearOption(opts.year)!;
          let thresholdCents: number;
          try {
            thresholdCents = parseEuros(opts.threshold);
          } catch {
            throw usage(`--threshold moet een bedrag in euro's zijn, niet "${opts.threshold}"`);
          }
          if (opts.asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.asOf))
            throw usage(`--as-of moet een datum zijn zoals 2026-04-30, niet "${opts.asOf}"`);
          const m = municipalityOption(opts.municipality);
          const c = await withWarehouse(opts, (w) =>
            compareStatements(w, { year, thresholdCents, municipalities: m ? [m] : undefined, asOf: opts.asOf }),
          );
          if (opts.json) return printJson(c);
          if (!c.rows.length)
            return void process.stdout.write(
              `Geen productieverantwoording ${year} ingelezen; lees die in met \`grip statements import\`.\n`,
            );
          const list = opts.all ? c.rows : c.above;
          const level = { provider: 'aanbieder', municipality: 'gemeente', product: 'product' } as const;
          process.stdout.write(
            `Productieverantwoording ${year} tegenover gedeclareerd: ${opts.all ? 'alle regels' : `verschillen van ten minste ${formatEuro(thresholdCents)}`}\n\n`,
          );
          process.stdout.write(
            table(
              ['niveau', 'aanbieder', 'gemeente', 'product', 'verantwoord', 'gedeclareerd', 'verschil', 'bron'],
              list.map((r) => [
                level[r.level],
                r.provider,
                r.municipality ?? '',
                r.product ?? '',
                formatEuro(r.statementCents),
                formatEuro(r.declaredCents),
                formatEuro(r.differenceCents),
                r.source,
              ]),
              [false, false, false, false, true, true, true, false],
            ) + '\n',
          );
          process.stdout.write(
            `\nTotaal: verantwoord ${formatEuro(c.totals.statementCents)}, gedeclareerd ${formatEuro(c.totals.declaredCents)}, verschil ${formatEuro(c.totals.differenceCents)}.\n`,
          );
          if (c.missing.length)
            process.stdout.write(
              `Zonder productieverantwoording (wel gedeclareerd): ${c.missing.map((x) => `${x.provider} (${formatEuro(x.declaredCents)})`).join(', ')}.\n`,
            );
        },
      ),
    );
}
