import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { addMonths, lastDayOfMonth } from '../../domain/month.js';
import { openWarehouse, resolveDbSpec } from '../../warehouse/open.js';
import { action } from '../context.js';
import { runGenerate } from './generate.js';
import { printImportSummary, runImport } from './import.js';
import { startServer } from './serve.js';
import { Accounts } from '../../access/accounts.js';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { importBudgetCsv, importLocalProvisionsCsv } from '../../app/budgets.js';
import { importMeasuresCsv, importTargetsCsv } from '../../app/measures.js';
import { importKpiCsv, loadSeed004 } from '../../app/kpis.js';
import { importTariffCsv } from '../../app/tariffs.js';
import { SEED002_CASE } from '../../domain/decisions/index.js';
import type { Role, Warehouse } from '../../warehouse/warehouse.js';

/** Demo accounts, one per role; their passwords are set anew at every demo run and printed. */
export const DEMO_USERS: { username: string; role: Role; municipalities?: string[]; organisation?: string; what: string }[] = [
  { username: 'beheer', role: 'beheerder', what: 'alles, incl. gebruikers en auditlog' },
  { username: 'analist', role: 'regio', what: 'alle gemeenten, ook cliëntniveau' },
  { username: 'alblasserdam', role: 'gemeente', municipalities: ['0482'], what: 'alleen Alblasserdam' },
  { username: 'raad', role: 'raad', what: 'totalen, kleine aantallen afgeschermd' },
  { username: 'sjt', role: 'partner', organisation: 'SJT', what: 'KPI-cijfers invoeren' },
];

export async function ensureDemoUsers(w: Warehouse): Promise<{ username: string; role: Role; password: string; what: string }[]> {
  const accounts = new Accounts(w);
  const out = [];
  for (const u of DEMO_USERS) {
    const password = (await w.getUser(u.username))
      ? await accounts.resetPassword(u.username, undefined, { username: 'demo', role: 'beheerder' })
      : (await accounts.addUser({ username: u.username, role: u.role, municipalities: u.municipalities, organisation: u.organisation ?? null }, { username: 'demo', role: 'beheerder' })).password;
    out.push({ username: u.username, role: u.role, password, what: u.what });
  }
  return out;
}

/**
 * Loads the example steering data of `examples/` (budgets 2025, local provisions, measures, the seed 003
 * savings target, KPI figures and the seed 004 tables) and the seed 002 decision case into a warehouse that
 * has no budgets yet, so the demo shows budget columns, measures, traffic lights and a decision dossier. The amounts are examples and say so.
 */
export async function loadDemoSteering(w: Warehouse): Promise<boolean> {
  if ((await w.budgetEntries()).length) return false;
  const who = { enteredBy: 'demo' };
  const dir = fileURLToPath(new URL('../../../examples/', import.meta.url));
  const text = (f: string) => readFileSync(dir + f, 'utf8');
  await importBudgetCsv(w, text('begroting-2025.csv'), 'examples/begroting-2025.csv', who);
  await importLocalProvisionsCsv(w, text('voorkant-2025.csv'), 'examples/voorkant-2025.csv', who);
  await importMeasuresCsv(w, text('maatregelen.csv'), 'examples/maatregelen.csv', who);
  await importTargetsCsv(w, text('taakstelling-2025.csv'), 'examples/taakstelling-2025.csv', who);
  await loadSeed004(w, who);
  await importKpiCsv(w, text('kpi-sjt.csv'), 'examples/kpi-sjt.csv', who);
  // The first real case of the decision cycle (seed 002: the 2020 budget amendment, views, reactions, vote).
  if (!(await w.decisionCase(SEED002_CASE.proposal.id))) await w.saveDecisionCase(SEED002_CASE, 'demo');
  return true;
}

/**
 * Loads the contracted tariff list the generator wrote (`<data>/tarieven.csv`) into a warehouse that has no
 * tariffs yet, so `grip check` and /datakwaliteit compare the declared tariffs; returns the rows loaded (0:
 * already there, or no list in the folder).
 */
export async function loadDemoTariffs(w: Warehouse, dataDir: string): Promise<number> {
  const file = join(dataDir, 'tarieven.csv');
  if (!existsSync(file) || (await w.tariffs()).length) return 0;
  return importTariffCsv(w, readFileSync(file, 'utf8'), file, { enteredBy: 'demo' });
}

/** The demo region: five years up to this year, declared up to the end of last month. */
export function demoWindow(today: Date): { years: [number, number]; cutoff: string } {
  const thisMonth = today.toISOString().slice(0, 7);
  const year = Number(thisMonth.slice(0, 4));
  return { years: [year - 4, year], cutoff: lastDayOfMonth(addMonths(thisMonth, -1)) };
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('Generate the synthetic demo region (if not there), import it, and serve the dashboard')
    .option('--data <dir>', 'folder for the generated messages', 'demo-data')
    .option('--db <file|url>', 'warehouse (default: $GRIP_DB or ./grip.duckdb)')
    .option('--port <port>', 'port of the dashboard', '3000')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--no-serve', 'stop after the import (print a summary)')
    .addHelpText('after', '\nExamples:\n  $ grip demo\n  $ grip demo --port 8080 --db /tmp/demo.duckdb\n  $ grip demo --no-serve')
    .action(
      action(async (opts: { data: string; db?: string; port: string; host: string; serve: boolean }) => {
        const { years, cutoff } = demoWindow(new Date());
        if (!existsSync(join(opts.data, 'manifest.json'))) {
          process.stdout.write(`Generating the demo region ${years[0]}–${years[1]} (declared up to ${cutoff}) in ${opts.data}/ …\n`);
          // insight 'planted': families, allocation sizes and a few planted errors, so the insight pages have something to show.
          await runGenerate({ outDir: opts.data, years, seed: 1, scale: 'region', format: 'xml', cutoff, insight: 'planted' });
        } else process.stdout.write(`Using the demo region in ${opts.data}/ (delete it to generate anew)\n`);
        const w = await openWarehouse(resolveDbSpec(opts.db));
        let keepOpen = false;
        try {
          process.stdout.write('Importing (files already imported are skipped) …\n');
          const summary = await runImport(w, [opts.data], {});
          printImportSummary(summary);
          process.stdout.write('(The rejected files are in invalid/: errors planted on purpose, to show how Grip reports bad input.)\n');
          if (await loadDemoSteering(w)) process.stdout.write('Loaded the example budgets 2025, measures and KPI figures from examples/ (amounts are examples).\n');
          const tariffs = await loadDemoTariffs(w, opts.data);
          if (tariffs) process.stdout.write(`Loaded the contracted tariff list ${join(opts.data, 'tarieven.csv')} (${tariffs} tariffs).\n`);
          const st = await w.status();
          process.stdout.write(`Warehouse: ${st.declarationLines.toLocaleString('en')} declaration lines, months ${st.firstMonth} … ${st.lastMonth}.\n`);
          if (opts.serve) {
            const server = await startServer({ warehouse: w, port: Number(opts.port), host: opts.host });
            keepOpen = true;
            const users = await ensureDemoUsers(w);
            process.stdout.write('\nDemo accounts (passwords are new at every demo run):\n');
            for (const u of users) process.stdout.write(`  ${u.username.padEnd(13)} ${u.password}  (${u.role}: ${u.what})\n`);
            process.stdout.write(`\nGrip dashboard: ${server.url}  — log in with one of the accounts above (Ctrl+C to stop)\n`);
            const stop = async () => {
              await server.close();
              await w.close();
              process.exit(0);
            };
            process.once('SIGINT', stop);
            process.once('SIGTERM', stop);
          }
        } finally {
          if (!keepOpen) await w.close();
        }
      }),
    );
}
