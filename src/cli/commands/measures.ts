/** `grip measures`: the measures ledger (maatregelen), coverage of the savings target and realised savings. */
import type { Command } from 'commander';
import { formatEuro } from '../../domain/money.js';
import {
  importMeasuresCsv,
  importTargetsCsv,
  measureRealised,
  measuresCoverage,
  type RealisedMethod,
} from '../../app/measures.js';
import { DID_METHOD_NL } from '../../domain/steering/counterfactual.js';
import { action, csvImportCommand, DB_OPTION_HELP, printJson, table, usage, withWarehouse } from '../context.js';
import { municipalityOption, yearOption } from './budget.js';

const pct = (x: number | null) =>
  x === null ? '–' : `${new Intl.NumberFormat('nl-NL', { maximumFractionDigits: 1 }).format(x * 100)}%`;
const eur = (c: number | null) => (c === null ? '–' : formatEuro(c));

export function registerMeasures(program: Command): void {
  const cmd = program
    .command('measures')
    .description('The measures ledger: owner, plan, savings potential, costs, risk, coverage and realised savings');
  csvImportCommand(cmd, {
    name: 'import',
    description: 'Import measures from a CSV file (a known id replaces the stored measure; all or nothing)',
    argument: 'CSV file',
    help: `
Example:
  $ grip measures import examples/maatregelen.csv

CSV columns: id,title,owner,status,what,start,riskPercent (required) and end,description,municipalities,
categories,products,provider,oneOffCostsEuros,oneOffYear,structuralCostsEuros,savings2025Euros,… (optional).
owner: 0482/GM0482, SOJ, SJT or a name; status: idee, gepland, in uitvoering, gerealiseerd, gestopt;
lists separated by spaces or |; amounts in euros (…Euros) or eurocents (…Cents); one savingsYYYY column per year.`,
    run: importMeasuresCsv,
    done: (n, file) => `${n} maatregelen ingelezen uit ${file}.`,
  });
  csvImportCommand(cmd, {
    name: 'targets',
    description:
      'Import savings targets (taakstelling) from a CSV file: municipality,year,amountEuros|amountCents,description',
    argument: 'CSV file; municipality empty or "regio" for the region',
    help: '\nExample:\n  $ grip measures targets examples/taakstelling-2025.csv',
    run: importTargetsCsv,
    done: (n, file) => `${n} taakstellingen ingelezen uit ${file}.`,
  });
  cmd
    .command('list')
    .description('List the measures')
    .option('--json', 'print as JSON')
    .option('--db <file|url>', DB_OPTION_HELP)
    .action(
      action(async (opts: { json?: boolean; db?: string }) => {
        const ms = await withWarehouse(opts, (w) => w.measures());
        if (opts.json) return printJson(ms);
        if (!ms.length)
          return void process.stdout.write('Nog geen maatregelen; lees ze in met `grip measures import`.\n');
        const owner = (o: (typeof ms)[number]['owner']) =>
          o.kind === 'gemeente' ? o.municipality : o.kind === 'overig' ? o.name : o.kind;
        process.stdout.write(
          table(
            ['id', 'titel', 'trekker', 'status', 'start', 'bereik', 'potentieel', 'risico'],
            ms.map((m) => [
              m.id,
              m.title,
              owner(m.owner),
              m.status,
              m.plan.start,
              m.scope.municipalities.join(' ') || 'regio',
              Object.entries(m.savingsPerYear)
                .map(([y, c]) => `${y}: ${formatEuro(c)}`)
                .join('; '),
              `${m.riskPercent}%`,
            ]),
            [false, false, false, false, false, false, false, true],
          ) + '\n',
        );
      }),
    );
  cmd
    .command('coverage')
    .description('Risk-adjusted coverage of the savings target per municipality and for the region')
    .requiredOption('--year <year>', 'the year')
    .option('--municipality <code>', 'one municipality')
    .option('--json', 'print as JSON')
    .option('--db <file|url>', DB_OPTION_HELP)
    .addHelpText('after', '\nExample:\n  $ grip measures coverage --year 2025 --municipality 0482')
    .action(
      action(async (opts: { year: string; municipality?: string; json?: boolean; db?: string }) => {
        const year = yearOption(opts.year)!;
        const r = await withWarehouse(opts, (w) =>
          measuresCoverage(w, year, { municipality: municipalityOption(opts.municipality) }),
        );
        if (opts.json) return printJson(r);
        process.stdout.write(
          `Dekking taakstelling ${year} (potentieel × (1 − risico)); regionale maatregelen verdeeld naar ${r.splitBasis}\n\n`,
        );
        process.stdout.write(
          table(
            ['bereik', 'taakstelling', 'potentieel', 'na risico', 'kosten', 'dekking', 'nog te vinden'],
            r.rows.map((x) => [
              x.scope,
              eur(x.targetCents),
              eur(x.potentialCents),
              eur(x.riskAdjustedCents),
              eur(x.costsCents),
              pct(x.coverage),
              eur(x.gapCents),
            ]),
            [false, true, true, true, true, true, true],
          ) + '\n',
        );
      }),
    );
  cmd
    .command('realised')
    .description('Realised vs planned savings of a measure, from the actual costs in its scope')
    .requiredOption('--id <id>', 'the measure')
    .option('--as-of <date>', 'declarations up to this date (default: the latest)')
    .option(
      '--baseline <method>',
      'did (default: counterfactual from comparable municipalities, difference-in-differences), mean (flat average of the 12 months before the start) or same-month (same month a year before)',
      'did',
    )
    .option('--mature-months <n>', 'leave out production months younger than this (late declarations)', '3')
    .option('--json', 'print as JSON')
    .option('--db <file|url>', DB_OPTION_HELP)
    .addHelpText('after', '\nExample:\n  $ grip measures realised --id M01 --baseline same-month')
    .action(
      action(
        async (opts: {
          id: string;
          asOf?: string;
          baseline: string;
          matureMonths: string;
          json?: boolean;
          db?: string;
        }) => {
          if (opts.baseline !== 'did' && opts.baseline !== 'mean' && opts.baseline !== 'same-month')
            throw usage(`--baseline moet did, mean of same-month zijn, niet "${opts.baseline}"`);
          if (!/^\d+$/.test(opts.matureMonths))
            throw usage(`--mature-months moet een geheel getal zijn, niet "${opts.matureMonths}"`);
          const r = await withWarehouse(opts, (w) =>
            measureRealised(w, opts.id, {
              asOf: opts.asOf,
              baseline: opts.baseline as RealisedMethod,
              matureMonths: Number(opts.matureMonths),
            }),
          );
          if (opts.json) return printJson(r);
          process.stdout.write(
            `${r.measure.id} ${r.measure.title} — start ${r.measure.plan.start}, peildatum ${r.asOf}, volgroeide maanden t/m ${r.matureUntil}\n`,
          );
          if (r.did) {
            process.stdout.write(`${DID_METHOD_NL}\n`);
            process.stdout.write(
              `Vergelijkingsgemeenten (${r.did.controls.length}): ${r.did.controls.join(', ')}; verhouding vóór de start (${r.baselineFrom} t/m ${r.baselineTo}): ${formatEuro(r.did.targetPreCents)} tegen ${formatEuro(r.did.controlPreCents)}\n`,
            );
            process.stdout.write(
              `Gerealiseerd t/m ${r.matureUntil}: ${formatEuro(r.total.realisedCents)}${r.total.lowCents !== null && r.total.highCents !== null ? ` (80%-bandbreedte ${formatEuro(r.total.lowCents)} – ${formatEuro(r.total.highCents)})` : ' (geen bandbreedte: minder dan 3 vergelijkingsgemeenten)'}, gepland ${formatEuro(r.total.plannedCents)}\n\n`,
            );
          } else
            process.stdout.write(
              `Basislijn (${r.baselineMethod === 'mean' ? 'gemiddelde, vlak' : 'zelfde maand vorig jaar'}) uit ${r.baselineFrom} t/m ${r.baselineTo}: ${formatEuro(r.baselineLevelCents)} per maand, zonder trendcorrectie\n\n`,
            );
          for (const n of r.notes) process.stdout.write(`${n}\n`);
          process.stdout.write(
            table(
              [
                'maand',
                r.did ? 'zonder maatregel' : 'basislijn',
                'werkelijk',
                'gerealiseerd',
                'gepland',
                'cum. gerealiseerd',
                'cum. gepland',
              ],
              r.months.map((m) => [
                m.month,
                eur(m.baselineCents),
                eur(m.actualCents),
                eur(m.realisedCents),
                eur(m.plannedCents),
                eur(m.cumulativeRealisedCents),
                eur(m.cumulativePlannedCents),
              ]),
              [false, true, true, true, true, true, true],
            ) + '\n\n',
          );
          process.stdout.write(
            table(
              ['jaar', 'potentieel', 'gepland t/m nu', 'gerealiseerd', '80%-bandbreedte', 'maanden'],
              r.years.map((y) => [
                String(y.year),
                eur(y.plannedYearCents),
                eur(y.plannedToDateCents),
                eur(y.realisedCents),
                y.lowCents !== null && y.highCents !== null ? `${eur(y.lowCents)} – ${eur(y.highCents)}` : '–',
                String(y.months),
              ]),
              [false, true, true, true, true, true],
            ) + '\n',
          );
        },
      ),
    );
}
