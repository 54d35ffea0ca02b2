import type { Command } from 'commander';
import { formatEuro } from '../../domain/money.js';
import { migrateWarehouse } from '../../warehouse/migrate/migrate.js';
import { openWarehouse } from '../../warehouse/open.js';
import { action } from '../context.js';
import { makeProgress } from '../progress.js';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('Move a whole warehouse to another engine (e.g. DuckDB → PostgreSQL) and verify the totals per file')
    .requiredOption('--from <file|url>', 'source warehouse')
    .requiredOption('--to <file|url>', 'target warehouse (must be empty)')
    .option('--quiet', 'no progress output')
    .addHelpText('after', '\nExample:\n  $ grip migrate --from grip.duckdb --to postgres://grip@dbhost/grip')
    .action(
      action(async (opts: { from: string; to: string; quiet?: boolean }) => {
        const from = await openWarehouse(opts.from);
        try {
          const to = await openWarehouse(opts.to);
          try {
            const progress = makeProgress(process.stderr, !opts.quiet);
            progress.start(1, 'migreren');
            const r = await migrateWarehouse(from, to, (done, total) => {
              progress.start(total, 'migreren');
              progress.update(done);
            });
            progress.stop();
            process.stdout.write(
              `Overgezet: ${r.files} bestanden, ${r.lines} declaratieregels, ${formatEuro(r.amountCents)}.\n`,
            );
            if (r.mismatches.length) {
              for (const m of r.mismatches.slice(0, 20))
                process.stdout.write(`VERSCHIL bestand ${m.id} ${m.name}: bron ${m.source}, doel ${m.target}\n`);
              process.exitCode = 1;
            } else
              process.stdout.write(
                'Gecontroleerd: elk bestand heeft aan beide kanten evenveel regels en hetzelfde totaal.\n',
              );
            const st = r.steering;
            process.stdout.write(
              `Sturing: ${st.budgetEntries} begrotingsregels, ${st.localProvisions} regels voorkant, ${st.measures} maatregelen, ${st.savingsTargets} taakstellingen, ${st.kpiDefinitions} KPI-definities, ${st.kpiValues} KPI-waarden.\n`,
            );
            for (const m of r.steeringMismatches) {
              process.stdout.write(`VERSCHIL ${m.table}: bron ${m.source} rijen, doel ${m.target}\n`);
              process.exitCode = 1;
            }
          } finally {
            await to.close();
          }
        } finally {
          await from.close();
        }
      }),
    );
}
