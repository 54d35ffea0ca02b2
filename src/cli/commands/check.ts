import type { Command } from 'commander';
import { cbsMunicipality, normaliseMunicipalityCode } from '../../domain/codes/index.js';
import { CHECK_TITLES, type DataQualityQuery, type DataQualityReport } from '../../domain/insight/quality.js';
import { formatEuro } from '../../domain/money.js';
import { isIsoDate, isMonthKey } from '../../domain/month.js';
import { DB_OPTION_HELP, action, printJson, table, usage, withWarehouse } from '../context.js';

/** What `grip check` needs from the warehouse (Warehouse.dataQuality). */
export interface CheckSource {
  dataQuality(q: DataQualityQuery): Promise<DataQualityReport>;
}

export interface CheckOptions {
  municipality?: string;
  from?: string;
  to?: string;
  asOf?: string;
  examples: string;
  threshold: string;
  lag: string;
}

/** Checks the command-line options; throws a usage error before any warehouse is opened. */
export function parseCheckOptions(opts: CheckOptions): DataQualityQuery {
  const q: DataQualityQuery = {};
  if (opts.municipality) {
    const m = normaliseMunicipalityCode(opts.municipality);
    if (!m) throw usage(`--municipality moet een CBS-code zijn zoals 0482 of GM0482, niet "${opts.municipality}"`);
    q.municipalities = [m];
  }
  for (const [k, v] of [
    ['--from', opts.from],
    ['--to', opts.to],
  ] as const)
    if (v && !isMonthKey(v)) throw usage(`${k} moet een maand JJJJ-MM zijn, niet "${v}"`);
  if (opts.from && opts.to && opts.from > opts.to) throw usage('--from ligt na --to');
  if (opts.asOf && !isIsoDate(opts.asOf)) throw usage(`--as-of moet een datum JJJJ-MM-DD zijn, niet "${opts.asOf}"`);
  const examples = Number(opts.examples);
  if (!Number.isInteger(examples) || examples < 0 || examples > 1000)
    throw usage(`--examples moet een geheel getal 0–1000 zijn, niet "${opts.examples}"`);
  const threshold = Number(opts.threshold);
  if (!(threshold > 0 && threshold <= 1))
    throw usage(`--threshold moet een aandeel tussen 0 en 1 zijn (bijv. 0.5), niet "${opts.threshold}"`);
  const lag = Number(opts.lag);
  if (!Number.isInteger(lag) || lag < 0 || lag > 24)
    throw usage(`--lag moet een geheel aantal maanden 0–24 zijn, niet "${opts.lag}"`);
  return { ...q, from: opts.from, to: opts.to, asOf: opts.asOf, examples, threshold, lagMonths: lag };
}

/** The report for people: one row per check, then examples with file and line for drill-down. */
export function formatCheck(r: DataQualityReport): string {
  const o: string[] = [];
  const scope = r.municipalities
    ? r.municipalities.map((m) => `${m} ${cbsMunicipality(m)?.name ?? ''}`.trim()).join(', ')
    : 'all municipalities';
  o.push(`Data quality: ${scope}`);
  o.push(`Allocations are measured up to ${r.horizon ?? '-'} (later care may not be declared yet).`);
  o.push('');
  o.push(
    table(
      ['check', 'count', 'at stake'],
      r.checks.map((c) => [
        CHECK_TITLES[c.id].en,
        c.checked
          ? `${c.count} ${c.count === 1 ? CHECK_TITLES[c.id].counts.replace(/s$/, '') : CHECK_TITLES[c.id].counts}`
          : 'not checked',
        c.checked ? formatEuro(c.amountCents) : (c.note ?? ''),
      ]),
      [false, true, true],
    ),
  );
  for (const c of r.checks) {
    if (!c.checked || !c.examples.length) continue;
    o.push('');
    o.push(`${CHECK_TITLES[c.id].en} — largest ${c.examples.length} of ${c.count}:`);
    o.push(
      table(
        ['file:line', 'municipality', 'provider', 'client', 'product', 'period', 'amount', 'detail'],
        c.examples.map((e) => [
          `${e.fileName}:${e.sourceLine}`,
          e.municipality,
          e.provider,
          e.client,
          e.product ?? '',
          e.period ?? '',
          formatEuro(e.amountCents),
          e.detail,
        ]),
        [false, false, false, false, false, false, true, false],
      )
        .split('\n')
        .map((l) => `  ${l}`)
        .join('\n'),
    );
    for (const e of c.examples)
      if (e.related.length > 1) o.push(`  ${e.client} ${e.period ?? ''}: lines ${e.related.join(', ')}`);
  }
  o.push('');
  o.push('Each example names the source file and line it came from (amounts in euro, net).');
  return o.join('\n') + '\n';
}

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description(
      'Data-quality checks across messages: double registrations, over-indication, unused allocations, declarations without allocation, care after a stop, credits without a debit, tariffs off contract',
    )
    .option('--municipality <code>', 'only this municipality (CBS code, e.g. 0482)')
    .option('--from <YYYY-MM>', 'first production month to check')
    .option('--to <YYYY-MM>', 'last production month to check')
    .option('--as-of <YYYY-MM-DD>', 'as known on this date (declarations and allocations dated on or before it)')
    .option('--examples <n>', 'examples per check, largest amount first', '5')
    .option('--threshold <share>', 'over-indication: delivered below this share of allocated', '0.5')
    .option('--lag <months>', 'months of declaration lag left out when measuring allocations', '3')
    .option('--json', 'print the full report as JSON (amounts in cents)')
    .option('--db <file|url>', DB_OPTION_HELP)
    .addHelpText(
      'after',
      `
Checks:
  double               same client, product and period declared twice (also across providers or
                       declarations) and not credited; at stake: what would be paid twice
  overIndication       allocated volume (or budget) to date far above what was declared
  unusedAllocation     allocations of declaring providers never declared against
  noAllocation         declaration lines naming an allocation no JW301 carries
  afterStop            care declared for periods after the JW307 stop date
  creditWithoutDebit   credit lines without an earlier debit (TR323)
  tariff               debit lines declared at another tariff than the contracted tariff list
                       (grip tariffs import); at stake: the overpayment, (tariff − contracted) × volume
Every example names its source file and line.

Examples:
  $ grip check
  $ grip check --municipality 0482 --from 2025-01 --to 2025-06
  $ grip check --json --examples 20 > kwaliteit.json`,
    )
    .action(
      action(async (opts: CheckOptions & { json?: boolean; db?: string }) => {
        const q = parseCheckOptions(opts);
        const report = await withWarehouse(opts, (w) => w.dataQuality(q));
        if (opts.json) return printJson(report);
        process.stdout.write(formatCheck(report));
      }),
    );
}
