import type { Command } from 'commander';
import { multiYearForecast, regionBacktest, regionForecast, type MultiYearForecast } from '../../app/forecast.js';
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
    .description('Year-end forecast per municipality: declared + not yet declared (IBNR) + remaining months, with an 80% interval')
    .requiredOption('--year <year>', 'the year to forecast')
    .option('--as-of <YYYY-MM-DD>', 'use only declarations dated on or before this day (default: the latest in the warehouse)')
    .option('--municipality <code>', 'one municipality (CBS code)')
    .option('--multi-year', 'also forecast the 3 years after --year (jaarschijven) from the trend and the assumptions below')
    .option('--youth-growth <pct>', 'with --multi-year: growth of the number of youths, % per year (default 0, an assumption)')
    .option('--price-index <pct>', 'with --multi-year: price index, % per year (default: derived from the last 3 complete years)')
    .option('--volume-trend <pct>', 'with --multi-year: volume trend, % per year (default: derived from the last 3 complete years)')
    .option('--measures-cents <cents>', 'with --multi-year: effect of measures in cents per year for the selection, negative = saving (default 0)')
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
        if (!/^\d{4}$/.test(opts.year)) throw usage(`--year moet een jaar zijn zoals 2026, niet "${opts.year}"`);
        if (opts.asOf && !isIsoDate(opts.asOf)) throw usage(`--as-of moet een datum JJJJ-MM-DD zijn, niet "${opts.asOf}"`);
        const muni = opts.municipality ? normaliseMunicipalityCode(opts.municipality) : undefined;
        if (opts.municipality && !muni) throw usage(`--municipality moet een CBS-code zijn zoals 0482`);
        const overrides = parseAssumptionOptions(opts);
        if (opts.multiYear) {
          const f = await withWarehouse(opts, (w) => multiYearForecast(w, { year: Number(opts.year), asOf: opts.asOf, municipalities: muni ? [muni] : undefined, assumptions: overrides }));
          if (opts.json) return printJson(multiYearJson(f));
          process.stdout.write(multiYearText(f));
          return;
        }
        if (Object.keys(overrides).length) throw usage('--youth-growth, --price-index, --volume-trend en --measures-cents horen bij --multi-year');
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

interface ForecastOptions {
  year: string;
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
export function parseAssumptionOptions(opts: Pick<ForecastOptions, 'youthGrowth' | 'priceIndex' | 'volumeTrend' | 'measuresCents'>): AssumptionOverrides {
  const out: AssumptionOverrides = {};
  const percent = (flag: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    const t = v.trim().replace(/%$/, '').replace(',', '.');
    if (!/^[-+]?\d+(\.\d+)?$/.test(t)) throw usage(`${flag} moet een percentage per jaar zijn zoals 2.5 of -0.5, niet "${v}"`);
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
    if (!/^[-+]?\d{1,15}$/.test(opts.measuresCents.trim())) throw usage(`--measures-cents moet een geheel aantal centen zijn (negatief = besparing), niet "${opts.measuresCents}"`);
    out.measuresCents = Number(opts.measuresCents.trim());
  }
  return out;
}

const ROW_FIELDS = ['year', 'baseCents', 'volumeCents', 'priceCents', 'youthCents', 'measuresCents', 'totalCents', 'lowCents', 'highCents'] as const;
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
    municipalities: f.municipalities.map((m) => ({ municipality: m.municipality, base: m.base, years: m.years.map(pickRow) })),
    total: { base: f.total.base, years: f.total.years.map(pickRow) },
  };
}

function assumptionValue(a: Assumption): string {
  return a.unit === 'cent per jaar' ? `${formatEuroRounded(a.value)} per jaar` : `${String(a.value).replace('.', ',')}% per jaar`;
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
    years.map((r) => [String(r.year), money(r.baseCents), money(r.volumeCents), money(r.priceCents), money(r.youthCents), money(r.measuresCents), money(r.totalCents), `${money(r.lowCents)} – ${money(r.highCents)}`]);
  const headers = ['jaar', `basis ${f.year}`, 'volume', 'prijs', 'jeugdigen', 'maatregelen', 'prognose', '80%-interval'];
  const right = [false, true, true, true, true, true, true, true];
  const label = f.municipalities.length === 1 ? `${f.municipalities[0].municipality} ${cbsMunicipality(f.municipalities[0].municipality)?.name ?? ''}` : 'Regio';
  out += `\n${label} — basis ${f.year} ${money(f.total.base.forecastCents)} (${money(f.total.base.lowCents)} – ${money(f.total.base.highCents)})\n`;
  out += table(headers, rowsFor(f.total.years), right) + '\n';
  if (f.municipalities.length > 1) {
    out += '\nPer gemeente (prognose):\n';
    out += table(
      ['gemeente', String(f.year), ...f.total.years.map((r) => String(r.year))],
      f.municipalities.map((m) => [`${m.municipality} ${cbsMunicipality(m.municipality)?.name ?? ''}`, money(m.base.forecastCents), ...m.years.map((r) => money(r.totalCents))]),
      [false, true, ...f.total.years.map(() => true)],
    ) + '\n';
  }
  out += '\nBedragen afgerond op hele euro’s; in centen tellen basis + volume + prijs + jeugdigen + maatregelen exact op tot de prognose (zie --json).\n';
  return out;
}

const pct = (x: number) => `${(x * 100).toFixed(1).replace('.', ',')}%`;
