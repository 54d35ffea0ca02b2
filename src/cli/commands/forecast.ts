import type { Command } from 'commander';
import { userInfo } from 'node:os';
import {
  explainForecast,
  forecastHistory,
  multiYearForecast,
  multiYearTrackRecord,
  publishForecast,
  regionForecast,
  regionTrackRecord,
  type MultiYearForecast,
} from '../../app/forecast.js';
import type { Assumption, AssumptionOverrides, YearRow } from '../../domain/forecast/multiYear.js';
import { cbsMunicipality, normaliseMunicipalityCode } from '../../domain/codes/index.js';
import { formatEuroRounded } from '../../domain/money.js';
import { formatDateNl, isIsoDate } from '../../domain/month.js';
import { DB_OPTION_HELP, action, printJson, table, usage, withWarehouse } from '../context.js';
import { parseYears } from './generate.js';

const FIELDS = ['declaredCents', 'ibnrCents', 'remainingCents', 'forecastCents', 'lowCents', 'highCents'] as const;

export function registerForecast(program: Command): void {
  program
    .command('forecast')
    .description(
      'Year-end forecast per municipality: declared + not yet declared (IBNR) + remaining months, with an 80% interval',
    )
    .option('--year <year>', 'the year to forecast (required)')
    .option(
      '--as-of <YYYY-MM-DD>',
      'use only declarations dated on or before this day (default: the latest in the warehouse)',
    )
    .option('--municipality <code>', 'one municipality (CBS code)')
    .option(
      '--multi-year',
      'also forecast the 3 years after --year (jaarschijven) from the trend and the assumptions below',
    )
    .option(
      '--youth-growth <pct>',
      'with --multi-year: growth of the number of youths, % per year (default 0, an assumption)',
    )
    .option(
      '--price-index <pct>',
      'with --multi-year: price index, % per year (default: derived from the last 3 complete years)',
    )
    .option(
      '--volume-trend <pct>',
      'with --multi-year: volume trend, % per year (default: derived from the last 3 complete years)',
    )
    .option(
      '--measures-cents <cents>',
      'with --multi-year: effect of measures in cents per year for the selection, negative = saving (default 0)',
    )
    .option('--json', 'print as JSON')
    .option('--db <file|url>', DB_OPTION_HELP)
    .addHelpText(
      'after',
      `
forecast = declared + ibnr + remaining; low/high are the 10th and 90th percentiles (80% interval).
With --multi-year, each later year = base (the forecast of --year) + volume + price + youths + measures,
exactly; every assumption is printed with its value and source.

Examples:
  $ grip forecast --year 2026
  $ grip forecast --year 2025 --as-of 2025-06-30 --municipality 0482 --json
  $ grip forecast --year 2026 --multi-year
  $ grip forecast --year 2026 --multi-year --price-index 3.5 --youth-growth -0.5 --measures-cents=-50000000`,
    )
    .action(
      action(async (opts: ForecastOptions) => {
        if (opts.year === undefined) throw usage("verplichte optie '--year <jaar>' ontbreekt");
        if (!/^\d{4}$/.test(opts.year)) throw usage(`--year moet een jaar zijn zoals 2026, niet "${opts.year}"`);
        if (opts.asOf && !isIsoDate(opts.asOf))
          throw usage(`--as-of moet een datum JJJJ-MM-DD zijn, niet "${opts.asOf}"`);
        const muni = opts.municipality ? normaliseMunicipalityCode(opts.municipality) : undefined;
        if (opts.municipality && !muni) throw usage(`--municipality moet een CBS-code zijn zoals 0482`);
        const overrides = parseAssumptionOptions(opts);
        if (opts.multiYear) {
          const f = await withWarehouse(opts, (w) =>
            multiYearForecast(w, {
              year: Number(opts.year),
              asOf: opts.asOf,
              municipalities: muni ? [muni] : undefined,
              assumptions: overrides,
            }),
          );
          if (opts.json) return printJson(multiYearJson(f));
          process.stdout.write(multiYearText(f));
          return;
        }
        if (Object.keys(overrides).length)
          throw usage('--youth-growth, --price-index, --volume-trend en --measures-cents horen bij --multi-year');
        const f = await withWarehouse(opts, (w) =>
          regionForecast(w, Number(opts.year), opts.asOf, muni ? [muni] : undefined),
        );
        if (opts.json) {
          return printJson({
            year: f.year,
            asOf: f.asOf,
            municipalities: f.municipalities.map((m) => ({
              municipality: m.municipality,
              ...Object.fromEntries(FIELDS.map((k) => [k, m[k]])),
            })),
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
          f.calibration.municipalities
            ? `80%-interval uit de eigen terugtoets (${f.calibration.municipalities.years.join(', ')}), niet uit een vaste factor.\n`
            : '80%-interval uit de spreiding van het model: nog te weinig afgesloten jaren om het terug te toetsen.\n',
        );
        process.stdout.write(
          table(
            ['gemeente', 'gedeclareerd', 'nog te declareren', 'resterende maanden', 'prognose', '80%-interval'],
            [
              ...f.municipalities.map((m) => [
                `${m.municipality} ${cbsMunicipality(m.municipality)?.name ?? ''}`,
                money(m.declaredCents),
                money(m.ibnrCents),
                money(m.remainingCents),
                money(m.forecastCents),
                `${money(m.lowCents)} – ${money(m.highCents)}`,
              ]),
              [
                'regio',
                money(f.total.declaredCents),
                money(f.total.ibnrCents),
                money(f.total.remainingCents),
                money(f.total.forecastCents),
                `${money(f.total.lowCents)} – ${money(f.total.highCents)}`,
              ],
            ],
            [false, true, true, true, true, true],
          ) + '\n',
        );
      }),
    );

  program
    .command('backtest')
    .description(
      "The forecast's track record (rolling origin): per as-of month MAPE, bias and 80% coverage, beside the naive run-rate and last year's ratio",
    )
    .option(
      '--years <from-to>',
      'years to test (default: every year whose run-off is complete, with two years of history before it)',
    )
    .option('--municipality <code>', 'one municipality (CBS code)')
    .option(
      '--multi-year',
      "also the multi-year forecast's track record: made at the end of each year for the next, region",
    )
    .option('--json', 'print as JSON')
    .option('--db <file|url>', DB_OPTION_HELP)
    .addHelpText(
      'after',
      `
A year counts once 12 months of declarations followed its end; later years are left out and listed.
The forecast at each as-of month uses only the declarations dated by then; each year's 80% interval is
calibrated on the years before it (out of sample). Bias: mean signed error (below 0: too low).
Last year's ratio: last year's total × this year's declared to date ÷ last year's declared at the same point.

Examples:
  $ grip backtest
  $ grip backtest --years 2023-2025 --json`,
    )
    .action(
      action(
        async (opts: { years?: string; municipality?: string; json?: boolean; db?: string; multiYear?: boolean }) => {
          const muni = opts.municipality ? normaliseMunicipalityCode(opts.municipality) : undefined;
          if (opts.municipality && !muni) throw usage('--municipality must be a CBS code like 0482');
          if (opts.multiYear) {
            const cases = await withWarehouse(opts, (w) => multiYearTrackRecord(w));
            if (opts.json) return printJson(cases);
            if (!cases.length) {
              process.stdout.write(
                'Nog geen jaar om de meerjarenprognose op terug te toetsen: het jaar erna moet volledig gedeclareerd zijn.\n',
              );
              return;
            }
            const money = (c: number) => formatEuroRounded(c);
            const err = (v: number, a: number) => signed((v - a) / a);
            process.stdout.write(`Terugtoets meerjarenprognose (regio): gemaakt op 31 december voor het jaar erna\n`);
            process.stdout.write(
              table(
                [
                  'gemaakt',
                  'voor',
                  'prognose',
                  '80%-interval',
                  'uitkomst',
                  'afwijking',
                  'vlak doorgetrokken',
                  'afwijking vlak',
                  'binnen',
                ],
                cases.map((c) => [
                  String(c.baseYear),
                  String(c.year),
                  money(c.forecastCents),
                  `${money(c.lowCents)} – ${money(c.highCents)}`,
                  money(c.actualCents),
                  err(c.forecastCents, c.actualCents),
                  money(c.flatCents),
                  err(c.flatCents, c.actualCents),
                  c.actualCents >= c.lowCents && c.actualCents <= c.highCents ? 'ja' : 'nee',
                ]),
                [false, false, true, true, true, true, true, true, false],
              ) + '\n',
            );
            return;
          }
          let years: number[] | undefined;
          if (opts.years) {
            const [a, b] = parseYears(opts.years);
            years = Array.from({ length: b - a + 1 }, (_, i) => a + i);
          }
          const result = await withWarehouse(opts, (w) => regionTrackRecord(w, years, muni ? [muni] : undefined));
          const report = result.all;
          if (opts.json) {
            return printJson({
              years: report.years,
              excluded: report.excluded,
              coverage: report.coverage,
              municipalities: report.byAsOfMonth,
              region: result.region.byAsOfMonth,
              perMunicipality: result.municipalities.map((m) => ({
                municipality: m.municipality,
                byAsOfMonth: m.report.byAsOfMonth,
                coverage: m.report.coverage,
              })),
            });
          }
          for (const e of report.excluded) process.stdout.write(`${e.year} niet getoetst: ${e.reason}\n`);
          if (!report.years.length) {
            process.stdout.write(
              'Nog geen afgesloten jaren om terug te toetsen — een jaar telt pas mee als er 12 maanden declaraties na het jaareinde zijn.\n',
            );
            return;
          }
          const rows = (r: typeof report.byAsOfMonth) =>
            r.map((x) => [
              String(x.asOfMonth),
              String(x.cases),
              pct(x.gripMape),
              signed(x.gripBias),
              x.lastYearMape === null ? '—' : pct(x.lastYearMape),
              x.ratioLastYear === null ? '—' : x.ratioLastYear.toFixed(2),
              pct(x.naiveMape),
              x.coverage === null ? '—' : `${pct(x.coverage)} (${x.coverageCases})`,
            ]);
          const headers = [
            'stand (maand)',
            'gevallen',
            'fout Grip',
            'richting',
            'fout vorig jaar',
            'verhouding',
            'fout run-rate',
            'binnen 80%-interval',
          ];
          const right = [true, true, true, true, true, true, true, true];
          const label = muni
            ? `${muni} ${cbsMunicipality(muni)?.name ?? ''}`
            : `alle gemeenten (${result.municipalities.length})`;
          process.stdout.write(
            `\nTerugtoets ${report.years.join(', ')} — ${label}\n${table(headers, rows(report.byAsOfMonth), right)}\n`,
          );
          if (!muni)
            process.stdout.write(`\nRegio als geheel\n${table(headers, rows(result.region.byAsOfMonth), right)}\n`);
          process.stdout.write(
            `\nfout = gemiddelde absolute afwijking van de uitkomst; richting = gemiddelde afwijking met teken (− = te laag); verhouding = fout Grip ÷ fout vorig jaar.\n`,
          );
        },
      ),
    );

  // `grip forecast publish|history|explain`: their options belong to them, not to `grip forecast` (whose
  // --year would otherwise take theirs).
  const fc = program.commands.find((c) => c.name() === 'forecast')!;
  fc.enablePositionalOptions();
  fc.command('publish')
    .description(
      'Publish the year-end forecast (every municipality and the region) as a vintage: stored append-only with as-of, data and method version',
    )
    .requiredOption('--year <year>', 'the year')
    .option('--as-of <YYYY-MM-DD>', 'the stand (default: the latest declaration date)')
    .option('--label <text>', 'a name, e.g. "Burap 1 2025"')
    .option('--json', 'print as JSON')
    .option('--db <file|url>', DB_OPTION_HELP)
    .addHelpText(
      'after',
      '\nExamples:\n  $ grip forecast publish --year 2026 --label "Burap 2 2026"\n  $ grip forecast publish --year 2025 --as-of 2025-06-30',
    )
    .action(
      action(async (opts: { year: string; asOf?: string; label?: string; json?: boolean; db?: string }) => {
        const year = yearOption(opts.year);
        if (opts.asOf && !isIsoDate(opts.asOf)) throw usage(`--as-of must be a date YYYY-MM-DD, got "${opts.asOf}"`);
        const r = await withWarehouse(opts, (w) =>
          publishForecast(w, { year, asOf: opts.asOf, label: opts.label ?? null, by: cliUser() }),
        );
        if (opts.json)
          return printJson({
            id: r.id,
            year,
            asOf: r.forecast.asOf,
            methodVersion: r.forecast.methodVersion,
            dataVersion: r.forecast.dataVersion,
            total: r.forecast.total,
          });
        process.stdout.write(
          `Prognose ${year} gepubliceerd als versie ${r.id}${opts.label ? ` (${opts.label})` : ''}, stand per ${formatDateNl(r.forecast.asOf)}: regio ${formatEuroRounded(r.forecast.total.forecastCents)} (${formatEuroRounded(r.forecast.total.lowCents)} – ${formatEuroRounded(r.forecast.total.highCents)}).\n`,
        );
      }),
    );
  fc.command('history')
    .description('The published forecasts of a year, oldest first, with their intervals and the truth once known')
    .requiredOption('--year <year>', 'the year')
    .option('--municipality <code>', 'one municipality (CBS code); default: the region')
    .option('--json', 'print as JSON')
    .option('--db <file|url>', DB_OPTION_HELP)
    .addHelpText(
      'after',
      '\nExamples:\n  $ grip forecast history --year 2026\n  $ grip forecast history --year 2026 --municipality 0482 --json',
    )
    .action(
      action(async (opts: { year: string; municipality?: string; json?: boolean; db?: string }) => {
        const year = yearOption(opts.year);
        const muni = opts.municipality ? normaliseMunicipalityCode(opts.municipality) : undefined;
        if (opts.municipality && !muni) throw usage('--municipality must be a CBS code like 0482');
        const h = await withWarehouse(opts, (w) => forecastHistory(w, year, [muni ?? 'regio']));
        if (opts.json) return printJson(h[0] ?? { year, scope: muni ?? 'regio', vintages: [], actualCents: null });
        const [x] = h;
        if (!x || !x.vintages.length) {
          process.stdout.write(
            `Nog geen gepubliceerde prognoses voor ${year} — publiceer met grip forecast publish --year ${year}.\n`,
          );
          return;
        }
        const money = (c: number) => formatEuroRounded(c);
        process.stdout.write(
          `Gepubliceerde prognoses ${year} — ${muni ? `${muni} ${cbsMunicipality(muni)?.name ?? ''}` : 'regio'}\n`,
        );
        process.stdout.write(
          table(
            ['versie', 'naam', 'stand', 'prognose', '80%-interval', 'methode'],
            x.vintages.map((v) => [
              String(v.id),
              v.label ?? '',
              formatDateNl(v.asOf),
              money(v.forecastCents),
              `${money(v.lowCents)} – ${money(v.highCents)}`,
              v.methodVersion,
            ]),
            [true, false, false, true, true, false],
          ) + '\n',
        );
        process.stdout.write(
          x.actualCents === null
            ? 'Uitkomst: nog niet bekend (run-off niet volledig).\n'
            : `Uitkomst: ${money(x.actualCents)}.\n`,
        );
      }),
    );
  fc.command('explain')
    .description(
      'Why the forecast changed between two stands: per municipality, components that add up exactly to the change',
    )
    .requiredOption('--year <year>', 'the year')
    .option('--from <YYYY-MM-DD>', 'the earlier stand (a date)')
    .option('--from-vintage <id>', 'the earlier stand: a published forecast (see grip forecast history)')
    .option('--to <YYYY-MM-DD>', 'the later stand (default: the latest declaration date)')
    .option('--municipality <code>', 'one municipality (CBS code)')
    .option('--json', 'print as JSON')
    .option('--db <file|url>', DB_OPTION_HELP)
    .addHelpText(
      'after',
      `
Components: declarations (declared in the window minus what the earlier forecast expected), corrections,
lag_pattern, level_trend, special_cases, method. They add up to toCents − fromCents exactly.

Examples:
  $ grip forecast explain --year 2026 --from 2026-10-05 --to 2026-11-05
  $ grip forecast explain --year 2026 --from-vintage 3 --municipality 0482 --json`,
    )
    .action(
      action(
        async (opts: {
          year: string;
          from?: string;
          fromVintage?: string;
          to?: string;
          municipality?: string;
          json?: boolean;
          db?: string;
        }) => {
          const year = yearOption(opts.year);
          if (!!opts.from === !!opts.fromVintage) throw usage('give either --from DATE or --from-vintage ID');
          if (opts.from && !isIsoDate(opts.from)) throw usage(`--from must be a date YYYY-MM-DD, got "${opts.from}"`);
          if (opts.fromVintage && !/^\d+$/.test(opts.fromVintage))
            throw usage(`--from-vintage must be a version number, got "${opts.fromVintage}"`);
          if (opts.to && !isIsoDate(opts.to)) throw usage(`--to must be a date YYYY-MM-DD, got "${opts.to}"`);
          const muni = opts.municipality ? normaliseMunicipalityCode(opts.municipality) : undefined;
          if (opts.municipality && !muni) throw usage('--municipality must be a CBS code like 0482');
          const e = await withWarehouse(opts, (w) =>
            explainForecast(w, {
              year,
              from: opts.fromVintage ? { vintage: Number(opts.fromVintage) } : { asOf: opts.from! },
              to: opts.to,
              municipalities: muni ? [muni] : undefined,
            }),
          );
          if (opts.json) return printJson(e);
          process.stdout.write(
            `Waarom veranderde de prognose ${year}? Van stand ${formatDateNl(e.fromAsOf)}${e.fromVintage ? ` (versie ${e.fromVintage})` : ''} naar ${formatDateNl(e.toAsOf)}\n`,
          );
          for (const m of e.municipalities) {
            process.stdout.write(
              `\n${m.municipality} ${cbsMunicipality(m.municipality)?.name ?? ''}: ${formatEuroRounded(m.fromCents)} → ${formatEuroRounded(m.toCents)} (${signedEuro(m.toCents - m.fromCents)})\n`,
            );
            for (const c of m.components) {
              if (c.cents !== 0) process.stdout.write(`  - ${c.text}\n`);
              for (const name of c.cents !== 0 ? (c.cases ?? []) : [])
                process.stdout.write(`      met de hand gemarkeerd: ${name}\n`);
            }
            if (m.components.every((c) => c.cents === 0)) process.stdout.write('  - Geen verandering.\n');
          }
        },
      ),
    );
}

const signed = (x: number) => `${x > 0 ? '+' : x < 0 ? '-' : ''}${(Math.abs(x) * 100).toFixed(1).replace('.', ',')}%`;
const signedEuro = (c: number) => `${c > 0 ? '+' : ''}${formatEuroRounded(c)}`;

function yearOption(y: string): number {
  if (!/^\d{4}$/.test(y)) throw usage(`--year must be a year like 2026, got "${y}"`);
  return Number(y);
}

/** Who publishes from the command line: the operating-system user. */
function cliUser(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

interface ForecastOptions {
  year?: string;
  asOf?: string;
  municipality?: string;
  json?: boolean;
  db?: string;
  multiYear?: boolean;
  youthGrowth?: string;
  priceIndex?: string;
  volumeTrend?: string;
  measuresCents?: string;
}

/** The assumption options as numbers; a usage error for anything that is not one. */
export function parseAssumptionOptions(
  opts: Pick<ForecastOptions, 'youthGrowth' | 'priceIndex' | 'volumeTrend' | 'measuresCents'>,
): AssumptionOverrides {
  const out: AssumptionOverrides = {};
  const percent = (flag: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    const t = v.trim().replace(/%$/, '').replace(',', '.');
    if (!/^[-+]?\d+(\.\d+)?$/.test(t))
      throw usage(`${flag} moet een percentage per jaar zijn zoals 2.5 of -0.5, niet "${v}"`);
    const x = Number(t);
    if (x <= -100 || x > 1000) throw usage(`${flag} moet boven -100 en hoogstens 1000 zijn, niet "${v}"`);
    return x;
  };
  const y = percent('--youth-growth', opts.youthGrowth);
  if (y !== undefined) out.youthGrowthPct = y;
  const p = percent('--price-index', opts.priceIndex);
  if (p !== undefined) out.priceIndexPct = p;
  const v = percent('--volume-trend', opts.volumeTrend);
  if (v !== undefined) out.volumeTrendPct = v;
  if (opts.measuresCents !== undefined) {
    if (!/^[-+]?\d{1,15}$/.test(opts.measuresCents.trim()))
      throw usage(
        `--measures-cents moet een geheel aantal centen zijn (negatief = besparing), niet "${opts.measuresCents}"`,
      );
    out.measuresCents = Number(opts.measuresCents.trim());
  }
  return out;
}

const ROW_FIELDS = [
  'year',
  'baseCents',
  'volumeCents',
  'priceCents',
  'youthCents',
  'measuresCents',
  'totalCents',
  'lowCents',
  'highCents',
] as const;
const pickRow = (r: YearRow) => Object.fromEntries(ROW_FIELDS.map((k) => [k, r[k]]));

export function multiYearJson(f: MultiYearForecast) {
  const { growthObservations, ...named } = f.assumptions;
  return {
    year: f.year,
    asOf: f.asOf,
    trendYears: f.trendYears,
    nominalGrowthPct: Math.round(f.nominalGrowth * 10_000) / 100,
    assumptions: Object.values(named),
    growthObservations,
    intervalMethod: f.intervalMethod,
    municipalities: f.municipalities.map((m) => ({
      municipality: m.municipality,
      base: m.base,
      years: m.years.map(pickRow),
    })),
    total: { base: f.total.base, years: f.total.years.map(pickRow) },
  };
}

function assumptionValue(a: Assumption): string {
  return a.unit === 'cent per jaar'
    ? `${formatEuroRounded(a.value)} per jaar`
    : `${String(a.value).replace('.', ',')}% per jaar`;
}

export function multiYearText(f: MultiYearForecast): string {
  if (!f.municipalities.length) return 'Nog geen gegevens — importeer declaraties met `grip import`.\n';
  const money = (c: number) => formatEuroRounded(c);
  const { growthObservations: _n, ...named } = f.assumptions;
  let out = `Meerjarenprognose (jaarschijven) na ${f.year}, stand per ${formatDateNl(f.asOf)}\n\nAannames:\n`;
  out += table(
    ['aanname', 'waarde', 'bron', 'toelichting'],
    Object.values(named).map((a) => [a.label, assumptionValue(a), a.source, a.note ?? '']),
    [false, true, false, false],
  );
  out += `\n\nInterval: ${f.intervalMethod}.\n`;
  const rowsFor = (years: YearRow[]) =>
    years.map((r) => [
      String(r.year),
      money(r.baseCents),
      money(r.volumeCents),
      money(r.priceCents),
      money(r.youthCents),
      money(r.measuresCents),
      money(r.totalCents),
      `${money(r.lowCents)} – ${money(r.highCents)}`,
    ]);
  const headers = [
    'jaar',
    `basis ${f.year}`,
    'volume',
    'prijs',
    'jeugdigen',
    'maatregelen',
    'prognose',
    '80%-interval',
  ];
  const right = [false, true, true, true, true, true, true, true];
  const [only] = f.municipalities;
  const label =
    f.municipalities.length === 1 && only
      ? `${only.municipality} ${cbsMunicipality(only.municipality)?.name ?? ''}`
      : 'Regio';
  out += `\n${label} — basis ${f.year} ${money(f.total.base.forecastCents)} (${money(f.total.base.lowCents)} – ${money(f.total.base.highCents)})\n`;
  out += table(headers, rowsFor(f.total.years), right) + '\n';
  if (f.municipalities.length > 1) {
    out += '\nPer gemeente (prognose):\n';
    out +=
      table(
        ['gemeente', String(f.year), ...f.total.years.map((r) => String(r.year))],
        f.municipalities.map((m) => [
          `${m.municipality} ${cbsMunicipality(m.municipality)?.name ?? ''}`,
          money(m.base.forecastCents),
          ...m.years.map((r) => money(r.totalCents)),
        ]),
        [false, true, ...f.total.years.map(() => true)],
      ) + '\n';
  }
  out +=
    '\nBedragen afgerond op hele euro’s; in centen tellen basis + volume + prijs + jeugdigen + maatregelen exact op tot de prognose (zie --json).\n';
  return out;
}

const pct = (x: number) => `${(x * 100).toFixed(1).replace('.', ',')}%`;
