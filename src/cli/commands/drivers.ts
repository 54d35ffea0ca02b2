import type { Command } from 'commander';
import { cbsMunicipality, normaliseMunicipalityCode } from '../../domain/codes/index.js';
import {
  DRIVER_DIMS,
  contributorLabel,
  driverSentence,
  parsePeriod,
  periodMonths,
  rankContributors,
  sliceLabel,
  sliceSubject,
  type Contributor,
  type DriverDim,
  type DriverInputQuery,
  type Period,
  type SliceDecomposition,
} from '../../domain/insight/decomposition.js';
import { formatEuroRounded } from '../../domain/money.js';
import { isIsoDate } from '../../domain/month.js';
import { DB_OPTION_HELP, action, printJson, table, usage, withWarehouse } from '../context.js';
import type { ProviderNames } from '../../domain/providers.js';
import { decomposeDrivers, type DriversSource } from '../../app/drivers.js';

/** What `grip drivers` needs from the warehouse (Warehouse.driverInputs). */
export type { DriversSource } from '../../app/drivers.js';

export interface DriversOptions {
  fromPeriod: string;
  toPeriod: string;
  municipality?: string;
  by: string;
  top: string;
  asOf?: string;
  basis: string;
}

export interface DriversReport {
  before: Period;
  after: Period;
  by: DriverDim;
  municipality: string | null;
  total: SliceDecomposition & { sentence: string };
  slices: (SliceDecomposition & { label: string; sentence: string })[];
  contributors: (Contributor & { label: string })[];
  notes: string[];
}

export interface DriversRequest {
  /** AGB code → name for provider slices (default: the codes). */
  providerNames?: ProviderNames;
  query: DriverInputQuery;
  before: Period;
  after: Period;
  by: DriverDim;
  top: number;
  municipality: string | null;
}

/** Checks the command-line options; throws a usage error before any warehouse is opened. */
export function parseDriversOptions(opts: DriversOptions): DriversRequest {
  let before: Period;
  let after: Period;
  try {
    before = parsePeriod(opts.fromPeriod);
    after = parsePeriod(opts.toPeriod);
  } catch (e) {
    throw usage((e as Error).message);
  }
  const by = opts.by as DriverDim;
  if (!DRIVER_DIMS.includes(by) || by === 'total')
    throw usage(`--by moet een van deze zijn: ${DRIVER_DIMS.filter((d) => d !== 'total').join(', ')}`);
  const top = Number(opts.top);
  if (!Number.isInteger(top) || top < 1) throw usage(`--top moet een geheel getal ≥ 1 zijn, niet "${opts.top}"`);
  if (opts.asOf && !isIsoDate(opts.asOf)) throw usage(`--as-of moet een datum JJJJ-MM-DD zijn, niet "${opts.asOf}"`);
  if (opts.basis !== 'ingediend' && opts.basis !== 'toegekend') throw usage('--basis moet ingediend of toegekend zijn');
  let municipality: string | null = null;
  if (opts.municipality) {
    municipality = normaliseMunicipalityCode(opts.municipality);
    if (!municipality)
      throw usage(`--municipality moet een CBS-code zijn zoals 0482 of GM0482, niet "${opts.municipality}"`);
  }
  return {
    before,
    after,
    by,
    top,
    municipality,
    query: {
      before: { from: before.from, to: before.to },
      after: { from: after.from, to: after.to },
      by,
      municipalities: municipality ? [municipality] : undefined,
      asOf: opts.asOf,
      basis: opts.basis,
    },
  };
}

/** Fetches the inputs and decomposes them: the whole report, ready for JSON or for people. */
export async function driversReport(src: DriversSource, req: DriversRequest): Promise<DriversReport> {
  const { before, after, by, top, municipality } = req;
  const { slices, total } = await decomposeDrivers(src, req.query);
  const notes: string[] = [];
  if (periodMonths(before) !== periodMonths(after))
    notes.push(`The periods differ in length (${periodMonths(before)} and ${periodMonths(after)} months).`);
  if (before.from <= after.to && after.from <= before.to) notes.push('The periods overlap.');
  notes.push(
    'Costs are net declared amounts by production month; recent months may still be incomplete (declaration lag) unless --as-of is used on both sides of a closed year.',
  );
  return {
    before,
    after,
    by,
    municipality,
    total: { ...total, sentence: driverSentence(sliceSubject('total', ''), total, total.unit) },
    slices: slices.map((s) => ({
      ...s,
      label: sliceLabel(by, s.slice, req.providerNames),
      sentence: driverSentence(sliceSubject(by, s.slice, req.providerNames), s, s.unit),
    })),
    contributors: rankContributors(slices, top).map((c) => ({
      ...c,
      label: contributorLabel(by, c, slices.find((s) => s.slice === c.slice)?.unit ?? null, req.providerNames),
    })),
    notes,
  };
}

/** The report for people: a table, the sentences of the largest slices and the ranked contributors. */
export function formatDrivers(r: DriversReport, top: number): string {
  const o: string[] = [];
  const where = r.municipality
    ? `${r.municipality} ${cbsMunicipality(r.municipality)?.name ?? ''}`.trim()
    : 'de hele regio';
  o.push(`Kostendrijvers ${r.before.label} → ${r.after.label} (${where}), per ${r.by}`);
  if (!r.slices.length) {
    o.push('Geen declaraties in deze perioden.');
    return o.join('\n') + '\n';
  }
  const e = formatEuroRounded;
  const row = (label: string, s: SliceDecomposition) => [
    label,
    e(s.beforeCents),
    e(s.afterCents),
    e(s.changeCents),
    e(s.volumeCents),
    e(s.intensityCents),
    e(s.priceCents),
  ];
  o.push('');
  o.push(
    table(
      [r.by, r.before.label, r.after.label, 'verschil', 'volume (cliënten)', 'intensiteit', 'prijs'],
      [...r.slices.map((s) => row(s.label, s)), row('totaal', r.total)],
      [false, true, true, true, true, true, true],
    ),
  );
  o.push('');
  o.push(r.total.sentence);
  for (const s of r.slices.slice(0, top)) o.push(s.sentence);
  if (r.contributors.length) {
    o.push('');
    o.push('Grootste bijdragen aan de verandering:');
    r.contributors.forEach((c, i) => o.push(`  ${i + 1}. ${c.label}`));
  }
  o.push('');
  for (const n of r.notes) o.push(`Note: ${n}`);
  return o.join('\n') + '\n';
}

export function registerDrivers(program: Command): void {
  program
    .command('drivers')
    .description(
      'Explain a cost change between two periods: volume (clients) × intensity (units per client) × price (cost per unit)',
    )
    .requiredOption('--from-period <period>', 'the earlier period: 2024, 2024-H1, 2024-Q3, 2024-03 or 2024-01..2024-06')
    .requiredOption('--to-period <period>', 'the later period, in the same forms')
    .option('--municipality <code>', 'only this municipality (CBS code, e.g. 0482)')
    .option('--by <dim>', `slice by: ${DRIVER_DIMS.filter((d) => d !== 'total').join(', ')}`, 'category')
    .option('--top <n>', 'sentences and ranked contributors to show', '5')
    .option('--as-of <YYYY-MM-DD>', 'only declarations dated on or before this date')
    .option('--basis <basis>', 'ingediend (as submitted) or toegekend (without lines rejected in a JW325)', 'ingediend')
    .option(
      '--json',
      'print the decomposition as JSON (amounts in cents, with the sentence per slice and the products)',
    )
    .option('--db <file|url>', DB_OPTION_HELP)
    .addHelpText(
      'after',
      `
The change in net declared cost (by production month) is split per product code into volume (clients with
a positive net cost), intensity (delivered units per client, e.g. hours) and price (cost per unit), with a
log-mean Divisia (LMDI) decomposition, or Shapley where LMDI cannot apply (zeros, net credits). New and
ended products count as volume. The parts add up exactly to the change, to the cent.

Examples:
  $ grip drivers --from-period 2024 --to-period 2025
  $ grip drivers --from-period 2024-H1 --to-period 2025-H1 --municipality 0482 --by provider
  $ grip drivers --from-period 2024 --to-period 2025 --by referrer --json`,
    )
    .action(
      action(async (opts: DriversOptions & { json?: boolean; db?: string }) => {
        const req = parseDriversOptions(opts);
        const report = await withWarehouse(opts, async (w) =>
          driversReport(w, { ...req, providerNames: new Map((await w.providers()).map((p) => [p.agb, p.name])) }),
        );
        if (opts.json) return printJson(report);
        process.stdout.write(formatDrivers(report, req.top));
      }),
    );
}
