import type { Command } from 'commander';
import { PRODUCT_CATEGORIES, REFERRERS, cbsMunicipality } from '../../domain/codes/index.js';
import { at } from '../../domain/indexing.js';
import { formatEuro } from '../../domain/money.js';
import { isIsoDate, isMonthKey } from '../../domain/month.js';
import { COST_DIMS, type CostDim } from '../../warehouse/warehouse.js';
import { DB_OPTION_HELP, action, printJson, table, usage, withWarehouse } from '../context.js';

export function parseDims(s: string): CostDim[] {
  const dims = s
    .split(',')
    .map((d) => d.trim())
    .filter(Boolean);
  for (const d of dims)
    if (!(COST_DIMS as readonly string[]).includes(d))
      throw usage(`onbekende dimensie "${d}"; kies uit: ${COST_DIMS.join(', ')}`);
  return dims as CostDim[];
}

export function registerCosts(program: Command): void {
  program
    .command('costs')
    .description('Costs from the declaration ledger, grouped by one or more dimensions')
    .option('--by <dims>', `comma list of: ${COST_DIMS.join(', ')}`, '')
    .option('--year <year>', 'production year')
    .option('--from <YYYY-MM>', 'first production month')
    .option('--to <YYYY-MM>', 'last production month')
    .option('--municipality <code>', 'only this municipality (CBS code, e.g. 0482)')
    .option('--as-of <YYYY-MM-DD>', 'only declarations dated on or before this date')
    .option(
      '--basis <basis>',
      'ingediend (as submitted, default) or toegekend (without lines rejected in a JW325)',
      'ingediend',
    )
    .option('--json', 'print an array of objects: one key per dimension plus amountCents, clients, lines')
    .option('--db <file|url>', DB_OPTION_HELP)
    .addHelpText(
      'after',
      `
"month" is the production month (ProductPeriode); "declarationMonth" the month the declaration was dated.
amountCents is net: debit minus credit, in eurocents.

Examples:
  $ grip costs --by month --json
  $ grip costs --by municipality,category --year 2025
  $ grip costs --by provider --from 2025-01 --to 2025-06 --municipality 0482`,
    )
    .action(
      action(
        async (opts: {
          by: string;
          year?: string;
          from?: string;
          to?: string;
          municipality?: string;
          asOf?: string;
          basis: string;
          json?: boolean;
          db?: string;
        }) => {
          const by = parseDims(opts.by);
          if (opts.year && !/^\d{4}$/.test(opts.year))
            throw usage(`--year moet een jaar zijn zoals 2025, niet "${opts.year}"`);
          for (const [k, v] of [
            ['--from', opts.from],
            ['--to', opts.to],
          ] as const)
            if (v && !isMonthKey(v)) throw usage(`${k} moet een maand JJJJ-MM zijn, niet "${v}"`);
          if (opts.asOf && !isIsoDate(opts.asOf))
            throw usage(`--as-of moet een datum JJJJ-MM-DD zijn, niet "${opts.asOf}"`);
          if (opts.basis !== 'ingediend' && opts.basis !== 'toegekend')
            throw usage(`--basis moet ingediend of toegekend zijn`);
          let names = new Map<string, string>();
          const rows = await withWarehouse(opts, async (w) => {
            if (by.includes('provider')) names = new Map((await w.providers()).map((p) => [p.agb, p.name]));
            return w.costs({
              by,
              year: opts.year ? Number(opts.year) : undefined,
              from: opts.from,
              to: opts.to,
              municipalities: opts.municipality ? [opts.municipality.replace(/^GM/i, '').padStart(4, '0')] : undefined,
              asOf: opts.asOf,
              basis: opts.basis as 'ingediend' | 'toegekend',
            });
          });
          if (opts.json) return printJson(rows);
          if (!rows.length || (rows.length === 1 && at(rows, 0).lines === 0)) {
            process.stdout.write('Nog geen gegevens — importeer declaraties met `grip import`.\n');
            return;
          }
          const label = (d: CostDim, v: string) =>
            d === 'municipality'
              ? `${v} ${cbsMunicipality(v)?.name ?? ''}`
              : d === 'category'
                ? `${v} ${PRODUCT_CATEGORIES[v] ?? ''}`
                : d === 'referrer'
                  ? `${v} ${REFERRERS[v] ?? ''}`
                  : d === 'provider'
                    ? `${v} ${names.get(v) ?? ''}`.trim()
                    : v;
          process.stdout.write(
            table(
              [...by, 'bedrag', 'cliënten', 'regels'],
              rows.map((r) => [
                ...by.map((d) => label(d, r[d] ?? '')),
                formatEuro(r.amountCents),
                String(r.clients),
                String(r.lines),
              ]),
              [...by.map(() => false), true, true, true],
            ) + '\n',
          );
        },
      ),
    );
}
