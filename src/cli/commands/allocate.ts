/** `grip allocate`: split a regional amount over the municipalities by a key, or check which key reproduces a decision. */
import type { Command } from 'commander';
import { normaliseMunicipalityCode } from '../../domain/codes/index.js';
import { at } from '../../domain/indexing.js';
import { formatEuro, parseCents, type Cents } from '../../domain/money.js';
import {
  ALLOCATION_KEYS,
  ALLOCATION_KEY_LABELS,
  PURE_ALLOCATION_KEYS,
  compareKeys,
  isAllocationKey,
  parsePhase,
  type AllocationKey,
  type DecisionCheck,
  type PureAllocationKey,
} from '../../domain/steering/allocation.js';
import { DB_OPTION_HELP, action, printJson, table, usage, withWarehouse } from '../context.js';

export { basisRows, type MunicipalityYearCost } from '../../domain/steering/allocation.js';
export { buildAllocateReport, type AllocateReport } from '../../app/allocation.js';
import { allocationInputs, buildAllocateReport, type AllocateReport } from '../../app/allocation.js';

const nlInt = new Intl.NumberFormat('nl-NL', { maximumFractionDigits: 0 });
const nlOne = new Intl.NumberFormat('nl-NL', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const nlPct = (p: number) =>
  `${new Intl.NumberFormat('nl-NL', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(p)}%`;

function formatBasis(key: AllocationKey, basis: number): string {
  switch (key) {
    case 'usage':
      return formatEuro(basis);
    case 'clients-3y':
      return nlOne.format(basis);
    case 'phased':
      return nlPct(basis * 100);
    default:
      return nlInt.format(basis);
  }
}

const BASIS_HEADER: Readonly<Record<AllocationKey, string>> = {
  usage: 'realisatie',
  'clients-prev': 'cliënten t-1',
  'clients-3y': 'cliënten (gem. 3 jr)',
  inhabitants: 'inwoners',
  youths: 'jeugdigen 0–17',
  equal: 'deel',
  phased: 'gewogen aandeel',
};

/** The split for people, in Dutch. `approximate` adds a note that inhabitants/youths are the approximate defaults. */
export function renderAllocateTable(r: AllocateReport, approximate = false): string {
  const lines: string[] = [];
  lines.push(`Verdeling van ${formatEuro(r.amountCents)} (${r.year}) naar ${ALLOCATION_KEY_LABELS[r.key]}`);
  if (r.key === 'phased')
    lines.push(
      `Ingroeipad ${r.year}: ${nlPct((r.ownWeight ?? 0) * 100)} eigen gebruik, ${nlPct((1 - (r.ownWeight ?? 0)) * 100)} solidariteit (${ALLOCATION_KEY_LABELS[r.solidarityKey ?? 'youths']})`,
    );
  lines.push('');
  const total = r.shares.reduce((s, x) => s + x.shareCents, 0);
  lines.push(
    table(
      ['code', 'gemeente', BASIS_HEADER[r.key], 'aandeel', '%'],
      [
        ...r.shares.map((s) => [
          s.municipality,
          s.name,
          formatBasis(r.key, s.basis),
          formatEuro(s.shareCents),
          nlPct(s.percent),
        ]),
        ['', 'totaal', '', formatEuro(total), nlPct(r.amountCents === 0 ? 100 : (total / r.amountCents) * 100)],
      ],
      [false, false, true, true, true],
    ),
  );
  if (approximate && (r.key === 'inhabitants' || r.key === 'youths' || r.key === 'phased'))
    lines.push(
      '',
      'Let op: inwoners en jeugdigen zijn benaderingen; laad CBS-cijfers met `grip municipalities import`.',
    );
  return lines.join('\n') + '\n';
}

/** `+€ 21.000,00`, `-€ 1.263,85`, `€ 0,00`. */
const signedEuro = (c: Cents) => (c === 0 ? formatEuro(0) : `${c > 0 ? '+' : '-'}${formatEuro(Math.abs(c))}`);

/** The decision check for people: each key's share next to the decided figure. */
export function renderCheck(c: DecisionCheck, name: string, approximate = false): string {
  const lines = [
    `Besluit: ${c.municipality} ${name} krijgt ${formatEuro(c.decidedCents)} van ${formatEuro(c.amountCents)} (${nlPct(c.decidedPercent)})`,
    `Een sleutel "klopt" binnen ${formatEuro(c.toleranceCents)}.`,
    '',
    table(
      ['sleutel', 'aandeel', '%', 'verschil', 'klopt'],
      c.keys.map((k) =>
        k.shareCents === null
          ? [ALLOCATION_KEY_LABELS[k.key], '–', '–', '–', `niet te berekenen: ${k.error ?? ''}`]
          : [
              ALLOCATION_KEY_LABELS[k.key],
              formatEuro(k.shareCents),
              nlPct(k.percent ?? 0),
              signedEuro(k.differenceCents!),
              k.reproduces ? 'ja' : 'nee',
            ],
      ),
      [false, true, true, true, false],
    ),
    '',
    c.closest
      ? `Dichtst bij het besluit: ${ALLOCATION_KEY_LABELS[c.closest]}.`
      : 'Geen enkele sleutel is te berekenen met de gegevens in het warehouse.',
  ];
  if (approximate)
    lines.push('Let op: inwoners en jeugdigen zijn benaderingen; laad CBS-cijfers met `grip municipalities import`.');
  return lines.join('\n') + '\n';
}

/** `0482:1900000` → municipality and cents. */
export function parseCheck(text: string): { municipality: string; cents: Cents } {
  const m = /^([^:]+):(-?\d+)$/.exec(text.trim());
  const code = m ? normaliseMunicipalityCode(at(m, 1)) : null;
  if (!m || !code) throw usage(`--check moet GEMEENTE:CENTEN zijn, bijv. 0482:1900000, niet "${text}"`);
  return { municipality: code, cents: parseCents(at(m, 2), '--check amount') };
}

interface AllocateOpts {
  year: string;
  amountCents: string;
  key?: string;
  phase?: string;
  solidarityKey: string;
  check?: string;
  json?: boolean;
  db?: string;
}

export function registerAllocate(program: Command): void {
  program
    .command('allocate')
    .description(
      'Split a regional amount (a deficit, an amendment, a fund) over the municipalities by a key, exact to the cent',
    )
    .requiredOption(
      '--year <year>',
      'the year the amount belongs to (usage = realisation of this year; clients t-1 = the year before)',
    )
    .requiredOption(
      '--amount-cents <n>',
      'the amount in eurocents, e.g. 40000000 for € 400.000 (negative for a surplus)',
    )
    .option('--key <key>', `one of: ${ALLOCATION_KEYS.join(', ')}`)
    .option(
      '--phase <steps>',
      'for --key phased: YEAR:WEIGHT of own usage per year, e.g. 2020:0,2021:0.25,2022:0.5,2023:1',
    )
    .option(
      '--solidarity-key <key>',
      `for --key phased: the key solidarity used (${PURE_ALLOCATION_KEYS.filter((k) => k !== 'usage').join(', ')})`,
      'youths',
    )
    .option(
      '--check <municipality:cents>',
      "show every key's share for this municipality next to a decided figure, e.g. 0482:1900000",
    )
    .option('--json', 'print as JSON')
    .option('--db <file|url>', DB_OPTION_HELP)
    .addHelpText(
      'after',
      `
Keys:
  usage         own usage: the municipality's realised cost in --year
  clients-prev  clients (distinct) in the year before --year
  clients-3y    average clients over the three years before --year
  inhabitants   inhabitants (reference data; approximate until loaded with \`grip municipalities import\`)
  youths        youths 0–17 (same)
  equal         equal parts
  phased        a blend moving from a solidarity key to own usage; --phase gives the weight of own usage per year

Shares always add up to the amount: largest-remainder rounding, ties by municipality code.

Examples:
  $ grip allocate --year 2020 --amount-cents 40000000 --key youths
  $ grip allocate --year 2021 --amount-cents 1320000000 --key phased --phase 2020:0,2021:0.25,2022:0.5,2023:1
  $ grip allocate --year 2025 --amount-cents -5000000 --key usage --json
  $ grip allocate --year 2020 --amount-cents 40000000 --check 0482:1900000`,
    )
    .action(
      action(async (opts: AllocateOpts) => {
        if (!/^\d{4}$/.test(opts.year)) throw usage(`--year moet een jaar zijn zoals 2025, niet "${opts.year}"`);
        const year = Number(opts.year);
        const amountCents = parseCents(opts.amountCents, '--amount-cents');
        const check = opts.check ? parseCheck(opts.check) : undefined;
        if (!check && !opts.key) throw usage(`geef --key (${ALLOCATION_KEYS.join(', ')}) of --check GEMEENTE:CENTEN`);
        if (opts.key && !isAllocationKey(opts.key))
          throw usage(`onbekende verdeelsleutel "${opts.key}"; kies uit: ${ALLOCATION_KEYS.join(', ')}`);
        const key = opts.key as AllocationKey | undefined;
        if (!isAllocationKey(opts.solidarityKey) || opts.solidarityKey === 'phased' || opts.solidarityKey === 'usage')
          throw usage(
            `--solidarity-key moet een van deze zijn: ${PURE_ALLOCATION_KEYS.filter((k) => k !== 'usage').join(', ')}`,
          );
        const solidarityKey = opts.solidarityKey as PureAllocationKey;
        if (key === 'phased' && !opts.phase)
          throw usage('--key phased vraagt --phase, bijv. --phase 2020:0,2021:0.25,2022:0.5,2023:1');
        const phase = opts.phase ? parsePhase(opts.phase) : undefined;

        const { municipalities, rows, approximate } = await withWarehouse(opts, (w) => allocationInputs(w, year));
        if (!municipalities.length)
          throw usage('het warehouse kent nog geen gemeenten; laad ze met `grip municipalities import`');

        if (check) {
          const c = compareKeys(amountCents, check, rows, { phase, year, solidarityKey });
          if (opts.json)
            return printJson({ year, ...c, name: rows.find((r) => r.code === c.municipality)?.name ?? '' });
          process.stdout.write(renderCheck(c, rows.find((r) => r.code === c.municipality)?.name ?? '', approximate));
          if (!key) return;
          process.stdout.write('\n');
        }
        const report = buildAllocateReport(year, amountCents, key!, rows, { phase, solidarityKey });
        if (opts.json) return printJson(report);
        process.stdout.write(renderAllocateTable(report, approximate));
      }),
    );
}
