import type { Command } from 'commander';
import { regionBacktest, regionForecast } from '../../app/forecast.js';
import { cbsMunicipality, normaliseMunicipalityCode } from '../../domain/codes/index.js';
import { formatEuroRounded } from '../../domain/money.js';
import { formatDateNl, isIsoDate } from '../../domain/month.js';
import { DB_OPTION_HELP, action, printJson, table, usage, withWarehouse } from '../context.js';
import { parseYears } from './generate.js';

const FIELDS = ['declaredCents', 'ibnrCents', 'remainingCents', 'forecastCents', 'lowCents', 'highCents'] as const;

export function registerForecast(program: Command): void {
  program
    .command('forecast')
    .description('Year-end forecast per municipality: declared + not yet declared (IBNR) + remaining months, with an 80% interval')
    .requiredOption('--year <year>', 'the year to forecast')
    .option('--as-of <YYYY-MM-DD>', 'use only declarations dated on or before this day (default: the latest in the warehouse)')
    .option('--municipality <code>', 'one municipality (CBS code)')
    .option('--json', 'print as JSON')
    .option('--db <file|url>', DB_OPTION_HELP)
    .addHelpText(
      'after',
      `
forecast = declared + ibnr + remaining; low/high are the 10th and 90th percentiles (80% interval).

Examples:
  $ grip forecast --year 2026
  $ grip forecast --year 2025 --as-of 2025-06-30 --municipality 0482 --json`,
    )
    .action(
      action(async (opts: { year: string; asOf?: string; municipality?: string; json?: boolean; db?: string }) => {
        if (!/^\d{4}$/.test(opts.year)) throw usage(`--year must be a year like 2026, got "${opts.year}"`);
        if (opts.asOf && !isIsoDate(opts.asOf)) throw usage(`--as-of must be a date YYYY-MM-DD, got "${opts.asOf}"`);
        const muni = opts.municipality ? normaliseMunicipalityCode(opts.municipality) : undefined;
        if (opts.municipality && !muni) throw usage(`--municipality must be a CBS code like 0482`);
        const f = await withWarehouse(opts, (w) => regionForecast(w, Number(opts.year), opts.asOf, muni ? [muni] : undefined));
        if (opts.json) {
          return printJson({
            year: f.year,
            asOf: f.asOf,
            municipalities: f.municipalities.map((m) => ({ municipality: m.municipality, ...Object.fromEntries(FIELDS.map((k) => [k, m[k]])) })),
            total: f.total,
          });
        }
        if (!f.municipalities.length) {
          process.stdout.write('Nog geen gegevens — importeer declaraties met `grip import`.\n');
          return;
        }
        const money = (c: number) => formatEuroRounded(c);
        process.stdout.write(`Prognose ${f.year}, stand per ${formatDateNl(f.asOf)}\n`);
        process.stdout.write(
          table(
            ['gemeente', 'gedeclareerd', 'nog te declareren', 'resterende maanden', 'prognose', '80%-interval'],
            [
              ...f.municipalities.map((m) => [`${m.municipality} ${cbsMunicipality(m.municipality)?.name ?? ''}`, money(m.declaredCents), money(m.ibnrCents), money(m.remainingCents), money(m.forecastCents), `${money(m.lowCents)} – ${money(m.highCents)}`]),
              ['regio', money(f.total.declaredCents), money(f.total.ibnrCents), money(f.total.remainingCents), money(f.total.forecastCents), `${money(f.total.lowCents)} – ${money(f.total.highCents)}`],
            ],
            [false, true, true, true, true, true],
          ) + '\n',
        );
      }),
    );

  program
    .command('backtest')
    .description("The forecast's track record: for past years and as-of months 1–12, Grip vs the naive run-rate vs the actual")
    .option('--years <from-to>', 'years to test (default: every complete year in the warehouse except the first)')
    .option('--municipality <code>', 'one municipality (CBS code)')
    .option('--json', 'print as JSON')
    .option('--db <file|url>', DB_OPTION_HELP)
    .addHelpText('after', '\nExamples:\n  $ grip backtest\n  $ grip backtest --years 2023-2025 --json')
    .action(
      action(async (opts: { years?: string; municipality?: string; json?: boolean; db?: string }) => {
        const muni = opts.municipality ? normaliseMunicipalityCode(opts.municipality) : undefined;
        const result = await withWarehouse(opts, async (w) => {
          let years: number[];
          if (opts.years) {
            const [a, b] = parseYears(opts.years);
            years = Array.from({ length: b - a + 1 }, (_, i) => a + i);
          } else {
            const st = await w.status();
            if (!st.firstMonth || !st.lastDeclarationDate) return null;
            // A year is "final" once a full year of declarations followed it.
            const first = Number(st.firstMonth.slice(0, 4)) + 1;
            const last = Number(st.lastDeclarationDate.slice(0, 4)) - 1;
            years = Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => first + i);
          }
          return regionBacktest(w, years, muni ? [muni] : undefined);
        });
        if (opts.json) return printJson(result ?? []);
        if (!result || !result.length) {
          process.stdout.write('Nog geen gegevens om terug te toetsen — importeer eerst enkele jaren declaraties.\n');
          return;
        }
        for (const { municipality, report } of result) {
          process.stdout.write(`\n${municipality} ${cbsMunicipality(municipality)?.name ?? ''}\n`);
          process.stdout.write(
            table(
              ['stand per maand', 'fout Grip', 'fout run-rate', 'verhouding', 'binnen 80%-interval'],
              report.byAsOfMonth.map((r) => [String(r.asOfMonth), pct(r.gripMape), pct(r.naiveMape), r.ratio.toFixed(2), pct(r.coverage)]),
              [true, true, true, true, true],
            ) + '\n',
          );
        }
      }),
    );
}

const pct = (x: number) => `${(x * 100).toFixed(1).replace('.', ',')}%`;
