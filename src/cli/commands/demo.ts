import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { addMonths, lastDayOfMonth } from '../../domain/month.js';
import { openWarehouse, resolveDbSpec } from '../../warehouse/open.js';
import { action, usage } from '../context.js';
import { runGenerate } from './generate.js';
import { printImportSummary, runImport } from './import.js';
import { startServer } from './serve.js';
import { Accounts } from '../../access/accounts.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { importBudgetCsv, importLocalProvisionsCsv, importReservations } from '../../app/budgets.js';
import { importMeasuresCsv, importTargetsCsv } from '../../app/measures.js';
import { importKpiCsv, loadSeed004 } from '../../app/kpis.js';
import { importTariffCsv } from '../../app/tariffs.js';
import { importProviderFile } from '../../app/providers.js';
import type { Manifest } from '../../generate/index.js';
import { parseYears } from './generate.js';
import { SEED002_CASE } from '../../domain/decisions/index.js';
import type { Role, Warehouse } from '../../warehouse/warehouse.js';
import { renameRegion } from '../../app/region.js';

/** Demo accounts, one per role; their passwords are set anew at every demo run and printed. */
export const DEMO_USERS: {
  username: string;
  role: Role;
  municipalities?: string[];
  organisation?: string;
  what: string;
}[] = [
  { username: 'beheer', role: 'beheerder', what: 'alles, incl. gebruikers en auditlog' },
  { username: 'analist', role: 'regio', what: 'alle gemeenten, ook cliëntniveau' },
  { username: 'alblasserdam', role: 'gemeente', municipalities: ['0482'], what: 'alleen Alblasserdam' },
  { username: 'raad', role: 'raad', what: 'totalen, kleine aantallen afgeschermd' },
  { username: 'sjt', role: 'partner', organisation: 'SJT', what: 'KPI-cijfers invoeren' },
];

export async function ensureDemoUsers(
  w: Warehouse,
): Promise<{ username: string; role: Role; password: string; what: string }[]> {
  const accounts = new Accounts(w);
  const out = [];
  for (const u of DEMO_USERS) {
    const password = (await w.getUser(u.username))
      ? await accounts.resetPassword(u.username, undefined, { username: 'demo', role: 'beheerder' })
      : (
          await accounts.addUser(
            {
              username: u.username,
              role: u.role,
              municipalities: u.municipalities,
              organisation: u.organisation ?? null,
            },
            { username: 'demo', role: 'beheerder' },
          )
        ).password;
    out.push({ username: u.username, role: u.role, password, what: u.what });
  }
  return out;
}

/**
 * Loads the demo's steering data into a warehouse that has no budgets yet: budgets with amendments, local
 * provisions, measures, a savings target and KPI figures derived from the generated region's truth (every value
 * marked as an example; src/generate/steering.ts), the SJT figures of the Rekenkamer report (tables 1 and 2) and
 * the 2020 budget-amendment case of the decision cycle.
 */
export async function loadDemoSteering(w: Warehouse, manifest: Manifest): Promise<boolean> {
  if ((await w.budgetEntries()).length) return false;
  const who = { enteredBy: 'demo' };
  // The generated region's name (a manifest from before names were written keeps the warehouse's).
  if (manifest.region) await renameRegion(w, manifest.region.name);
  // Loaded on use: the generator is not needed by the other commands.
  const { demoSteering } = await import('../../generate/steering.js');
  const s = demoSteering(manifest);
  await importBudgetCsv(w, s.budgets, 'voorbeeld-begroting.csv', who);
  await importLocalProvisionsCsv(w, s.localProvisions, 'voorbeeld-voorkant.csv', who);
  if (s.reservations.trim().split('\n').length > 1)
    await importReservations(w, Buffer.from(s.reservations), 'voorbeeld-reserveringen.csv', who);
  await importMeasuresCsv(w, s.measures, 'voorbeeld-maatregelen.csv', who);
  await importTargetsCsv(w, s.targets, 'voorbeeld-taakstelling.csv', who);
  await loadSeed004(w, who);
  await importKpiCsv(w, s.kpis, 'voorbeeld-kpi.csv', who);
  // The first real case of the decision cycle (the 2020 budget amendment, views, reactions, vote).
  if (!(await w.decisionCase(SEED002_CASE.proposal.id))) await w.saveDecisionCase(SEED002_CASE, 'demo');
  return true;
}

/**
 * Writes and loads a fictional year-end statement (productieverantwoording) for the demo's last complete year, once:
 * per provider, municipality and product category what was declared, with every seventh line accounted 5% higher
 * or lower and every eleventh provider without a statement, so the comparison has differences to show. The file is
 * `<data>/productieverantwoording-<year>.csv` (marked VOORBEELD in its name); returns null when already loaded.
 */
export async function loadDemoStatements(
  w: Warehouse,
  dataDir: string,
  manifest: Manifest,
): Promise<{ file: string; rows: number } | null> {
  const year = Number(manifest.options.cutoff.slice(0, 4)) - 1;
  if (year < manifest.options.years[0] || (await w.statements({ year })).length) return null;
  const rows = (await w.costs({ by: ['provider', 'municipality', 'category'], year })).filter((r) => r.amountCents > 0);
  const providers = [...new Set(rows.map((r) => r.provider ?? ''))].sort();
  const skip = new Set(providers.filter((_, i) => i % 11 === 5));
  const { writeCsv } = await import('../../app/csv.js');
  const { importStatementFile } = await import('../../app/statements.js');
  const lines = rows
    .filter((r) => !skip.has(r.provider ?? ''))
    .sort((a, b) =>
      `${a.provider}|${a.municipality}|${a.category}`.localeCompare(`${b.provider}|${b.municipality}|${b.category}`),
    )
    .map((r, i) => {
      const pct = i % 7 === 3 ? (i % 2 ? 1 : -1) * (2 + (i % 7)) : 0; // ±5% on every seventh line
      return [
        r.provider,
        `GM${r.municipality}`,
        year,
        r.category,
        r.amountCents + Math.round((r.amountCents * pct) / 100),
      ];
    });
  const file = join(dataDir, `productieverantwoording-${year}-VOORBEELD.csv`);
  writeFileSync(file, writeCsv(['provider', 'municipality', 'year', 'product', 'amountCents'], lines));
  return { file, rows: await importStatementFile(w, file, { enteredBy: 'demo' }) };
}

/**
 * Loads the provider register the generator wrote (`<data>/aanbieders.csv`) into a warehouse that has no
 * providers yet; returns the number loaded (0: already there, or no register in the folder).
 */
export async function loadDemoProviders(w: Warehouse, dataDir: string): Promise<number> {
  const { PROVIDER_REGISTER_FILE } = await import('../../generate/index.js');
  const file = join(dataDir, PROVIDER_REGISTER_FILE);
  if (!existsSync(file) || (await w.providers()).length) return 0;
  return importProviderFile(w, file, { enteredBy: 'demo' });
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

/** The demo region: five years up to this year (or the years asked for), declared up to the end of last month. */
export function demoWindow(today: Date, years?: [number, number]): { years: [number, number]; cutoff: string } {
  const thisMonth = today.toISOString().slice(0, 7);
  const year = Number(thisMonth.slice(0, 4));
  return { years: years ?? [year - 4, year], cutoff: lastDayOfMonth(addMonths(thisMonth, -1)) };
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('Generate the synthetic demo region (if not there), import it, and serve the dashboard')
    .option('--data <dir>', 'folder for the generated messages', 'demo-data')
    .option('--db <file|url>', 'warehouse (default: $GRIP_DB or ./grip.duckdb)')
    .option(
      '--years <from-to>',
      'production years of a newly generated region (default: the last five, up to this year); 2019-2026 includes the corona years',
    )
    .option('--scale <scale>', 'size of a newly generated region: region (default) or small (quick)', 'region')
    .option('--port <port>', 'port of the dashboard', '3000')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--no-serve', 'stop after the import (print a summary)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ grip demo\n  $ grip demo --port 8080 --db /tmp/demo.duckdb\n  $ grip demo --years 2019-2026 --data demo-corona --db demo-corona.duckdb\n  $ grip demo --no-serve',
    )
    .action(
      action(
        async (opts: {
          data: string;
          db?: string;
          years?: string;
          scale: string;
          port: string;
          host: string;
          serve: boolean;
        }) => {
          if (opts.scale !== 'region' && opts.scale !== 'small') throw usage('--scale moet region of small zijn');
          const asked = opts.years ? parseYears(opts.years) : undefined;
          const { years, cutoff } = demoWindow(new Date(), asked);
          if (years[1] > Number(cutoff.slice(0, 4)))
            throw usage(
              `--years: the demo's data are declared up to ${cutoff}; the last year can be at most ${cutoff.slice(0, 4)}`,
            );
          const manifestFile = join(opts.data, 'manifest.json');
          if (!existsSync(manifestFile)) {
            process.stdout.write(
              `Demoregio ${years[0]}–${years[1]} genereren (gedeclareerd tot en met ${cutoff}) in ${opts.data}/ …\n`,
            );
            // insight 'planted': families, allocation sizes and a few planted errors, so the insight pages have something to show.
            await runGenerate({
              outDir: opts.data,
              years,
              seed: 1,
              scale: opts.scale,
              format: 'xml',
              cutoff,
              insight: 'planted',
            });
          } else
            process.stdout.write(
              `De demoregio in ${opts.data}/ wordt gebruikt (verwijder de map om opnieuw te genereren).\n`,
            );
          const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
          const [g0, g1] = manifest.options.years;
          if (asked && (asked[0] !== g0 || asked[1] !== g1))
            process.stdout.write(
              `Let op: ${opts.data}/ bevat de jaren ${g0}–${g1}, niet ${asked[0]}–${asked[1]}; kies een andere --data-map (en --db) of verwijder de map.\n`,
            );
          const w = await openWarehouse(resolveDbSpec(opts.db));
          let keepOpen = false;
          try {
            process.stdout.write('Importeren (bestanden die al zijn ingelezen worden overgeslagen) …\n');
            const summary = await runImport(w, [opts.data], {});
            printImportSummary(summary);
            process.stdout.write(
              '(De afgewezen bestanden staan in invalid/: expres foute bestanden, om te laten zien hoe Grip slechte invoer meldt.)\n',
            );
            const providers = await loadDemoProviders(w, opts.data);
            if (providers)
              process.stdout.write(
                `Aanbiedersregister ${join(opts.data, 'aanbieders.csv')} ingelezen (${providers} fictieve aanbieders).\n`,
              );
            if (await loadDemoSteering(w, manifest))
              process.stdout.write(
                `Voorbeeldbegrotingen ${g0}–${g1} (primitief + begrotingswijzigingen), voorkant, maatregelen, taakstelling en KPI-cijfers ingelezen; alle bedragen zijn voorbeelden.\n`,
              );
            const tariffs = await loadDemoTariffs(w, opts.data);
            if (tariffs)
              process.stdout.write(
                `Tarievenlijst ${join(opts.data, 'tarieven.csv')} ingelezen (${tariffs} tarieven).\n`,
              );
            const statements = await loadDemoStatements(w, opts.data, manifest);
            if (statements)
              process.stdout.write(
                `Voorbeeld-productieverantwoording ${statements.file} ingelezen (${statements.rows} regels, fictief; zie Productieverantwoording).\n`,
              );
            const st = await w.status();
            process.stdout.write(
              `Warehouse: ${st.declarationLines.toLocaleString('nl-NL')} declaratieregels, maanden ${st.firstMonth} … ${st.lastMonth}.\n`,
            );
            if (opts.serve) {
              // Accounts first: the server starts computing the overview in the background at once, and DuckDB
              // crashed (SIGSEGV in ClientContext::LockContext) when the accounts were written on the same
              // connection meanwhile (demo region, 565,000 lines).
              const users = await ensureDemoUsers(w);
              const server = await startServer({ warehouse: w, port: Number(opts.port), host: opts.host });
              keepOpen = true;
              process.stdout.write('\nDemo-accounts (de wachtwoorden zijn bij elke demo nieuw):\n');
              for (const u of users)
                process.stdout.write(`  ${u.username.padEnd(13)} ${u.password}  (${u.role}: ${u.what})\n`);
              process.stdout.write(
                `\nGrip-dashboard: ${server.url}  — log in met een van de accounts hierboven (Ctrl+C om te stoppen)\n`,
              );
              const stop = async () => {
                await server.close();
                await w.close();
                process.exit(0);
              };
              process.once('SIGINT', () => void stop());
              process.once('SIGTERM', () => void stop());
            }
          } finally {
            if (!keepOpen) await w.close();
          }
        },
      ),
    );
}
