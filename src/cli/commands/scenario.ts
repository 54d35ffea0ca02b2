/** `grip scenario voorkant`: what moving a share of individual care to general local provisions does, per year and municipality. */
import type { Command } from 'commander';
import { PRODUCT_CATEGORIES, isKnownCategory } from '../../domain/codes/index.js';
import { at } from '../../domain/indexing.js';
import { formatEuro, type Cents } from '../../domain/money.js';
import { type ScenarioYear, type VoorkantParams } from '../../domain/steering/scenario.js';
import { DB_OPTION_HELP, action, printJson, table, usage, withWarehouse } from '../context.js';

/** `0.2`, `0,2` or `20%` → 0.2. */
export function parseFraction(text: string, what: string): number {
  const m = /^\s*(-?\d+(?:[.,]\d+)?)\s*(%?)\s*$/.exec(text);
  if (!m) throw usage(`${what} moet een getal zijn zoals 0.2 of 20%, niet "${text}"`);
  return Number(at(m, 1).replace(',', '.')) / (m[2] ? 100 : 1);
}

/** `2026:0.1,2027:0.2,2028:30%` → years with their share. */
export function parseRamp(text: string): ScenarioYear[] {
  const out: ScenarioYear[] = [];
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^(\d{4}):(.+)$/.exec(part);
    if (!m) throw usage(`--ramp-stap "${part}" is niet JAAR:AANDEEL (bijv. 2026:0.1)`);
    const [, year = '', share = ''] = m;
    out.push({ year: Number(year), share: parseFraction(share, `--ramp share for ${year}`) });
  }
  if (!out.length) throw usage('--ramp is leeg; geef stappen zoals 2026:0.1,2027:0.2');
  return out;
}

export {
  buildVoorkantReport,
  defaultScenarioYear,
  type VoorkantInput,
  type VoorkantReport,
} from '../../domain/steering/scenario.js';
import { type VoorkantReport } from '../../domain/steering/scenario.js';
import { scenarioBaseYear, voorkantScenario } from '../../app/scenario.js';

const nlPct = (x: number) => `${new Intl.NumberFormat('nl-NL', { maximumFractionDigits: 2 }).format(x * 100)}%`;

/** The scenario for people, in Dutch: per year a table per municipality with the region total. */
export function renderVoorkantTable(r: VoorkantReport): string {
  const what =
    [
      r.category ? `categorie ${r.category} ${PRODUCT_CATEGORIES[r.category] ?? ''}`.trim() : null,
      r.product ? `product ${r.product}` : null,
    ]
      .filter(Boolean)
      .join(', ') || 'alle jeugdhulp';
  const out: string[] = [
    `Jeugdhulp naar de voorkant — ${what}, kostenbasis ${r.baseYear}`,
    `Kosten voorkant ${nlPct(r.params.ratio)} van de vervangen zorg${r.params.discount ? `, korting aanbieder ${nlPct(r.params.discount)}` : ''}.`,
  ];
  const money = (c: Cents) => formatEuro(c);
  const headers = [
    'gemeente',
    'kosten nu',
    'naar voorkant',
    'blijft individueel',
    'kosten voorkant',
    'netto besparing',
  ];
  const right = [false, true, true, true, true, true];
  for (const y of r.perYear) {
    out.push('', `${y.year}: ${nlPct(y.share)} naar de voorkant`);
    out.push(
      table(
        headers,
        [
          ...r.perMunicipality
            .filter((m) => m.year === y.year)
            .map((m) => [
              `${m.municipality} ${m.name}`,
              money(m.baseCents),
              money(m.movedCents),
              money(m.remainingCents),
              money(m.frontCostCents),
              money(m.netSavingCents),
            ]),
          [
            'regio',
            money(y.baseCents),
            money(y.movedCents),
            money(y.remainingCents),
            money(y.frontCostCents),
            money(y.netSavingCents),
          ],
        ],
        right,
      ),
    );
  }
  if (r.perYear.length > 1)
    out.push(
      '',
      `Totaal ${at(r.perYear, 0).year}–${at(r.perYear, r.perYear.length - 1).year}: netto besparing ${money(r.total.netSavingCents)}.`,
    );
  return out.join('\n') + '\n';
}

interface VoorkantOpts {
  category?: string;
  product?: string;
  share?: string;
  ratio: string;
  discount?: string;
  year?: string;
  ramp?: string;
  json?: boolean;
  db?: string;
}

export function registerScenario(program: Command): void {
  const cmd = program.command('scenario').description('Scenarios for steering: what a policy choice does to the costs');
  cmd
    .command('voorkant')
    .description(
      '"Jeugdhulp naar de voorkant": move a share of individual care to general local provisions; net effect per year and municipality',
    )
    .option('--category <code>', 'product category (JZ020), e.g. 45 (ambulant)')
    .option('--product <code>', 'product code, e.g. 45A48')
    .option('--share <fraction>', 'share of the care that moves, e.g. 0.2 or 20%')
    .requiredOption(
      '--ratio <fraction>',
      'cost of the general provision per euro of care it replaces, e.g. 0.9 (CJG) or 0.5',
    )
    .option(
      '--discount <fraction>',
      'discount of the front provider on the moved work, e.g. 0.1 (Stichting Jeugdteams)',
      '0',
    )
    .option('--year <year>', 'the year whose costs are the base (default: the last complete year in the warehouse)')
    .option(
      '--ramp <steps>',
      "share per year instead of --share, applied to the base year's costs, e.g. 2026:0.1,2027:0.2,2028:0.3",
    )
    .option('--json', 'print as JSON')
    .option('--db <file|url>', DB_OPTION_HELP)
    .addHelpText(
      'after',
      `
For the cost C of the selected care in each municipality:
  moved = C × share; remaining = C − moved; front cost = moved × ratio × (1 − discount); net saving = moved − front cost.

Examples:
  $ grip scenario voorkant --category 45 --share 0.2 --ratio 0.5
  $ grip scenario voorkant --category 45 --share 0.5 --ratio 1 --discount 0.1 --year 2025
  $ grip scenario voorkant --category 45 --ratio 0.9 --ramp 2026:0.25,2027:0.5,2028:1 --json`,
    )
    .action(
      action(async (opts: VoorkantOpts) => {
        if (opts.category && !isKnownCategory(opts.category))
          throw usage(`--category "${opts.category}" is geen productcategorie (JZ020), bijv. 45`);
        if (opts.product && !/^[A-Za-z0-9]{1,5}$/.test(opts.product))
          throw usage(`--product moet een productcode van hoogstens 5 tekens zijn, niet "${opts.product}"`);
        if (!opts.category && !opts.product)
          throw usage('geef --category en/of --product: de zorg die naar de voorkant gaat');
        if (opts.share && opts.ramp) throw usage('geef --share of --ramp, niet allebei');
        if (!opts.share && !opts.ramp) throw usage('geef --share (bijv. 0.2) of --ramp (bijv. 2026:0.1,2027:0.2)');
        if (opts.year && !/^\d{4}$/.test(opts.year))
          throw usage(`--year moet een jaar zijn zoals 2025, niet "${opts.year}"`);
        const ramp = opts.ramp ? parseRamp(opts.ramp) : undefined;
        const params: VoorkantParams = {
          share: opts.share ? parseFraction(opts.share, '--share') : (at(ramp!, 0).share ?? 0),
          ratio: parseFraction(opts.ratio, '--ratio'),
          discount: parseFraction(opts.discount ?? '0', '--discount'),
        };
        const report = await withWarehouse(opts, async (w) => {
          const baseYear = await scenarioBaseYear(w, opts.year ? Number(opts.year) : undefined);
          if (baseYear === null)
            throw usage('het warehouse heeft nog geen declaraties; importeer ze met `grip import` of geef --year');
          return voorkantScenario(w, { baseYear, category: opts.category, product: opts.product, params, ramp });
        });
        if (opts.json) return printJson(report);
        process.stdout.write(renderVoorkantTable(report));
      }),
    );
}
