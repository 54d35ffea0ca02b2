/** `grip kpi`: indicators with target, critical value, time path and traffic light. */
import type { Command } from 'commander';
import { formatKpiValue } from '../../domain/steering/kpi.js';
import { importKpiCsv, kpiOverview, loadSeed004 } from '../../app/kpis.js';
import { action, csvImportCommand, DB_OPTION_HELP, printJson, table, withWarehouse } from '../context.js';
import { municipalityOption } from './budget.js';

export function registerKpi(program: Command): void {
  const cmd = program
    .command('kpi')
    .description('Indicators (KPIs): entered by partners or computed from the ledger, with traffic lights');
  csvImportCommand(cmd, {
    name: 'import',
    description: 'Import KPI values (and definitions) from a CSV file, all or nothing',
    argument: 'CSV file',
    help: `
Example:
  $ grip kpi import examples/kpi-sjt.csv

CSV: kpi,municipality,period,value[,name,unit,direction,target,critical,source,formula]
  sjt-wachttijd,GM0482,2021-08-31,47,Wachttijd SJT,dagen,lower,42,60,SJT
  sjt-wachttijd,regio,2021-08-31,41,Wachttijd SJT,dagen,lower,42,60,SJT
municipality: CBS code or regio; period YYYY, YYYY-MM or YYYY-MM-DD; a line with a name (re)defines the KPI.
A norm for a KPI computed from the declarations: a line with an empty value (empty target and critical: no norm)
  kosten-per-client,GM0482,2025,,Kosten per cliënt,€,lower,1500,2500`,
    run: importKpiCsv,
    done: (r, file) => `${r.values} waarden en ${r.definitions} definities ingelezen uit ${file}.`,
  });
  cmd
    .command('load-rekenkamer')
    .description(
      'Load tables 1 and 2 of the audit office report of 2021 (preventie in het jeugdbeleid, Alblasserdam): SJT waiting and throughput times',
    )
    .option('--db <file|url>', DB_OPTION_HELP)
    .action(
      action(async (opts: { db?: string }) => {
        const r = await withWarehouse(opts, (w) => loadSeed004(w, { enteredBy: 'Rekenkamer-rapport 2021' }));
        process.stdout.write(
          `${r.definitions} indicatoren, ${r.values} nieuwe waarden uit het Rekenkamer-rapport 2021 (tabellen 1 en 2) geladen.\n`,
        );
      }),
    );
  cmd
    .command('show')
    .description('Show the KPIs with their latest value, traffic light and trend')
    .option('--municipality <code>', "one municipality (and the region's figures)")
    .option('--no-computed', 'only entered KPIs, not those computed from the ledger')
    .option('--json', 'print as JSON (with the full time path)')
    .option('--db <file|url>', DB_OPTION_HELP)
    .addHelpText('after', '\nExamples:\n  $ grip kpi show --municipality 0482\n  $ grip kpi show --json')
    .action(
      action(async (opts: { municipality?: string; computed: boolean; json?: boolean; db?: string }) => {
        const o = await withWarehouse(opts, (w) =>
          kpiOverview(w, { municipality: municipalityOption(opts.municipality), computed: opts.computed }),
        );
        if (opts.json) return printJson(o);
        if (!o.paths.length)
          return void process.stdout.write(
            'Geen indicatoren; laad ze met `grip kpi load-rekenkamer` of `grip kpi import`.\n',
          );
        const scope = (p: (typeof o.paths)[number]) =>
          p.definition.scope.kind === 'region' ? 'regio' : p.definition.scope.municipality;
        process.stdout.write(
          table(
            ['indicator', 'bereik', 'periode', 'waarde', 'streef', 'signaal', 'licht', 'trend', 'bron'],
            o.paths.map((p) => [
              p.definition.name,
              scope(p),
              p.latest?.period ?? '–',
              formatKpiValue(p.latest?.value ?? null, p.definition.unit),
              p.definition.target == null ? '–' : formatKpiValue(p.definition.target, p.definition.unit),
              p.definition.critical == null ? '–' : formatKpiValue(p.definition.critical, p.definition.unit),
              p.latest?.light ?? '–',
              p.trend ?? '–',
              p.origin,
            ]),
            [false, false, false, true, true, true, false, false, false],
          ) + '\n',
        );
      }),
    );
}
