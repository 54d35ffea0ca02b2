/** `grip special-cases`: mark a client (pseudonym), family or allocation as a special case by hand, list and remove. */
import type { Command } from 'commander';
import {
  addSpecialCase,
  listSpecialCases,
  removeSpecialCase,
  SPECIAL_CASE_KIND_NL,
  periodIso,
} from '../../app/special-cases.js';
import { formatEuro } from '../../domain/money.js';
import { DB_OPTION_HELP, action, enteredBy, printJson, table, usage, withWarehouse } from '../context.js';
import { municipalityOption } from './budget.js';

export function registerSpecialCases(program: Command): void {
  const cmd = program
    .command('special-cases')
    .description('Special cases marked by hand: a client, family or allocation with a reason and a period');
  cmd
    .command('add')
    .description(
      'Mark a client (pseudonym p_…), a family (family key) or an allocation (number) of a municipality as a special case',
    )
    .requiredOption('--municipality <code>', 'CBS code, e.g. 0482')
    .requiredOption('--kind <kind>', 'client | family | allocation')
    .requiredOption(
      '--subject <id>',
      'the client pseudonym (p_…, as Grip shows it; never a BSN), the family key, or the allocation number',
    )
    .option('--provider <agb>', 'for an allocation: the provider (AGB code); default any provider')
    .requiredOption('--reason <text>', 'why this is a special case (for analysts; never shown to aggregate roles)')
    .requiredOption('--from <YYYY-MM>', 'first production month')
    .option('--to <YYYY-MM>', 'last production month (default: open-ended)')
    .option('--by <name>', 'who marks it (default: $USER)')
    .option('--db <file|url>', DB_OPTION_HELP)
    .addHelpText(
      'after',
      '\nExample:\n  $ grip special-cases add --municipality 0482 --kind family --subject g_1a2b3c4d5e6f70819a2b --reason "Elf kinderen uit huis geplaatst" --from 2025-01',
    )
    .action(
      action(
        async (opts: {
          municipality: string;
          kind: string;
          subject: string;
          provider?: string;
          reason: string;
          from: string;
          to?: string;
          by?: string;
          db?: string;
        }) => {
          const c = await withWarehouse(opts, (w) => addSpecialCase(w, opts, { enteredBy: enteredBy(opts.by) }));
          process.stdout.write(
            `Bijzondere casus ${c.id} vastgelegd: ${SPECIAL_CASE_KIND_NL[c.kind]} ${c.subject} bij ${c.municipality}, ${periodIso(c.from, c.to)}; tot nu ${formatEuro(c.amountCents)} gedeclareerd${c.amountCents === 0 ? ' (nog geen declaraties gevonden — klopt de aanduiding?)' : ''}.\n`,
          );
        },
      ),
    );
  cmd
    .command('list')
    .description('The special cases marked by hand, with what their lines cost so far')
    .option('--municipality <code>', 'one municipality')
    .option('--all', 'also the removed ones')
    .option('--json', 'print as JSON')
    .option('--db <file|url>', DB_OPTION_HELP)
    .action(
      action(async (opts: { municipality?: string; all?: boolean; json?: boolean; db?: string }) => {
        const m = municipalityOption(opts.municipality);
        const rows = await withWarehouse(opts, (w) =>
          listSpecialCases(w, { municipalities: m ? [m] : undefined, includeRemoved: opts.all }),
        );
        if (opts.json) return printJson(rows);
        if (!rows.length)
          return void process.stdout.write(
            'Geen met de hand gemarkeerde bijzondere casussen; voeg er een toe met `grip special-cases add`.\n',
          );
        process.stdout.write(
          table(
            [
              'nr',
              'gemeente',
              'soort',
              'aanduiding',
              'aanbieder',
              'periode',
              'reden',
              'gedeclareerd',
              'cliënten',
              'door',
              'verwijderd',
            ],
            rows.map((c) => [
              String(c.id),
              c.municipality,
              SPECIAL_CASE_KIND_NL[c.kind],
              c.subject,
              c.provider ?? '',
              periodIso(c.from, c.to),
              c.reason,
              formatEuro(c.amountCents),
              String(c.clients),
              c.enteredBy,
              c.removedAt ? `${c.removedAt.slice(0, 10)} (${c.removedBy})` : '',
            ]),
            [true, false, false, false, false, false, false, true, true, false, false],
          ) + '\n',
        );
      }),
    );
  cmd
    .command('remove')
    .description('Remove a special case (it stays in the history, stamped with who removed it and when)')
    .argument('<id>', 'the number `grip special-cases list` shows')
    .option('--by <name>', 'who removes it (default: $USER)')
    .option('--db <file|url>', DB_OPTION_HELP)
    .action(
      action(async (id: string, opts: { by?: string; db?: string }) => {
        if (!/^\d+$/.test(id)) throw usage(`het nummer moet een geheel getal zijn, niet "${id}"`);
        await withWarehouse(opts, (w) => removeSpecialCase(w, Number(id), { by: enteredBy(opts.by) }));
        process.stdout.write(`Bijzondere casus ${id} verwijderd.\n`);
      }),
    );
}
