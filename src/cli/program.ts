/**
 * The `grip` program, built for one invocation. Every command lives in its own module under commands/, and a
 * module is loaded only when its command runs (or `grip help <command>` asks for it): the rest of the program
 * consists of light stand-ins that carry the name and description for `grip --help`. So `grip --help` loads
 * commander and this file only, and `grip costs` does not load the web server, the reports or argon2.
 * `program.test.ts` checks that the stand-ins say exactly what the real commands say.
 */
import { Command, Help } from 'commander';
import { configureUsage } from './usage.js';

type Register = (program: Command) => void;

export interface CommandEntry {
  name: string;
  /** How `grip --help` lists it: name, `[options]` and arguments, as commander writes it. */
  term: string;
  description: string;
  /** Its module under commands/; one module may register several commands (forecast and backtest). */
  module: string;
  /** The module's register function for it (forecast's registers backtest too). */
  load: () => Promise<Register>;
}

/** The top-level commands, in the order `grip --help` lists them. */
export const COMMANDS: CommandEntry[] = [
  {
    name: 'import',
    term: 'import [options] <paths...>',
    description:
      'Import iJw 3.2 messages (JW301, JW305, JW307, JW315, JW323, JW325) and CSV declarations into the warehouse',
    module: 'import',
    load: async () => (await import('./commands/import.js')).registerImport,
  },
  {
    name: 'mapping',
    term: 'mapping',
    description: 'Column mappings for case-system exports (CSV/XLSX): propose one from a file, save, list',
    module: 'mapping',
    load: async () => (await import('./commands/mapping.js')).registerMapping,
  },
  {
    name: 'costs',
    term: 'costs [options]',
    description: 'Costs from the declaration ledger, grouped by one or more dimensions',
    module: 'costs',
    load: async () => (await import('./commands/costs.js')).registerCosts,
  },
  {
    name: 'status',
    term: 'status [options]',
    description: 'What is in the warehouse: files, lines, period covered, last import, data-quality findings',
    module: 'status',
    load: async () => (await import('./commands/status.js')).registerStatus,
  },
  {
    name: 'municipalities',
    term: 'municipalities',
    description: 'Reference data of the region: municipalities with inhabitants and youths 0–17',
    module: 'municipalities',
    load: async () => (await import('./commands/municipalities.js')).registerMunicipalities,
  },
  {
    name: 'migrate',
    term: 'migrate [options]',
    description: 'Move a whole warehouse to another engine (e.g. DuckDB → PostgreSQL) and verify the totals per file',
    module: 'migrate',
    load: async () => (await import('./commands/migrate.js')).registerMigrate,
  },
  {
    name: 'user',
    term: 'user',
    description: 'Accounts for the web app: roles beheerder, regio, gemeente, raad, partner',
    module: 'user',
    load: async () => (await import('./commands/user.js')).registerUser,
  },
  {
    name: 'audit',
    term: 'audit [options]',
    description: 'Read the audit log (views and exports of client-level data, logins, user changes, imports)',
    module: 'user',
    load: async () => (await import('./commands/user.js')).registerAudit,
  },
  {
    name: 'check',
    term: 'check [options]',
    description:
      'Data-quality checks across messages: double registrations, over-indication, unused allocations, declarations without allocation, care after a stop, credits without a debit, tariffs off contract',
    module: 'check',
    load: async () => (await import('./commands/check.js')).registerCheck,
  },
  {
    name: 'drivers',
    term: 'drivers [options]',
    description:
      'Explain a cost change between two periods: volume (clients) × intensity (units per client) × price (cost per unit)',
    module: 'drivers',
    load: async () => (await import('./commands/drivers.js')).registerDrivers,
  },
  {
    name: 'corona',
    term: 'corona [options]',
    description:
      'Corona revenue-loss check (omzetderving) per provider and municipality, March–June, with catch-up care netted',
    module: 'corona',
    load: async () => (await import('./commands/corona.js')).registerCorona,
  },
  {
    name: 'decisions',
    term: 'decisions',
    description:
      'The decision cycle: proposals, councils’ views (zienswijzen), the DB’s reactions, AB votes, commitments and the planning calendar',
    module: 'decisions',
    load: async () => (await import('./commands/decisions.js')).registerDecisions,
  },
  {
    name: 'generate',
    term: 'generate [options]',
    description: 'Generate a realistic, deterministic synthetic youth-care region as iJw 3.2 messages (or CSV)',
    module: 'generate',
    load: async () => (await import('./commands/generate.js')).registerGenerate,
  },
  {
    name: 'forecast',
    term: 'forecast [options]',
    description:
      'Year-end forecast per municipality: declared + not yet declared (IBNR) + remaining months, with an 80% interval',
    module: 'forecast',
    load: async () => (await import('./commands/forecast.js')).registerForecast,
  },
  {
    name: 'backtest',
    term: 'backtest [options]',
    description:
      "The forecast's track record (rolling origin): per as-of month MAPE, bias and 80% coverage, beside the naive run-rate and last year's ratio",
    module: 'forecast',
    load: async () => (await import('./commands/forecast.js')).registerForecast,
  },
  {
    name: 'triangle',
    term: 'triangle [options] <file.csv>',
    description: 'Chain ladder with Mack standard errors on a run-off triangle in long form (origin,development,value)',
    module: 'triangle',
    load: async () => (await import('./commands/triangle.js')).registerTriangle,
  },
  {
    name: 'allocate',
    term: 'allocate [options]',
    description:
      'Split a regional amount (a deficit, an amendment, a fund) over the municipalities by a key, exact to the cent',
    module: 'allocate',
    load: async () => (await import('./commands/allocate.js')).registerAllocate,
  },
  {
    name: 'scenario',
    term: 'scenario',
    description: 'Scenarios for steering: what a policy choice does to the costs',
    module: 'scenario',
    load: async () => (await import('./commands/scenario.js')).registerScenario,
  },
  {
    name: 'budget',
    term: 'budget',
    description: 'Budgets per municipality and year: primitive budget and amendments, kept as history',
    module: 'budget',
    load: async () => (await import('./commands/budget.js')).registerBudget,
  },
  {
    name: 'measures',
    term: 'measures',
    description: 'The measures ledger: owner, plan, savings potential, costs, risk, coverage and realised savings',
    module: 'measures',
    load: async () => (await import('./commands/measures.js')).registerMeasures,
  },
  {
    name: 'kpi',
    term: 'kpi',
    description: 'Indicators (KPIs): entered by partners or computed from the ledger, with traffic lights',
    module: 'kpi',
    load: async () => (await import('./commands/kpi.js')).registerKpi,
  },
  {
    name: 'tariffs',
    term: 'tariffs',
    description: 'The contracted tariff list: per provider (or all), product (or category) and unit, from a date',
    module: 'tariffs',
    load: async () => (await import('./commands/tariffs.js')).registerTariffs,
  },
  {
    name: 'providers',
    term: 'providers',
    description: 'The provider register: AGB code → name (KvK, type of care), shown wherever a provider appears',
    module: 'providers',
    load: async () => (await import('./commands/providers.js')).registerProviders,
  },
  {
    name: 'special-cases',
    term: 'special-cases',
    description: 'Special cases marked by hand: a client, family or allocation with a reason and a period',
    module: 'special-cases',
    load: async () => (await import('./commands/special-cases.js')).registerSpecialCases,
  },
  {
    name: 'statements',
    term: 'statements',
    description: "Providers' year-end production statements (productieverantwoording) against what was declared",
    module: 'statements',
    load: async () => (await import('./commands/statements.js')).registerStatements,
  },
  {
    name: 'serve',
    term: 'serve [options]',
    description: 'Serve the dashboard (Dutch) and its JSON API',
    module: 'serve',
    load: async () => (await import('./commands/serve.js')).registerServe,
  },
  {
    name: 'demo',
    term: 'demo [options]',
    description: 'Generate the synthetic demo region (if not there), import it, and serve the dashboard',
    module: 'demo',
    load: async () => (await import('./commands/demo.js')).registerDemo,
  },
  {
    name: 'report',
    term: 'report',
    description: 'Reports: A4 dashboard per municipality (PDF), monthly report (PDF), Burap draft (DOCX/PDF)',
    module: 'report',
    load: async () => (await import('./commands/report.js')).registerReport,
  },
  {
    name: 'export',
    term: 'export',
    description: 'Export figures for spreadsheets',
    module: 'export',
    load: async () => (await import('./commands/export.js')).registerExport,
  },
];

export const VERSION = '0.1.0';

/** The command names an argument list needs for real: the command it runs, or the one `help` is asked about. */
export function commandsNeeded(args: string[]): string[] {
  const words = args.filter((a) => !a.startsWith('-'));
  const [first, second] = words;
  if (first === 'help') return second && COMMANDS.some((c) => c.name === second) ? [second] : [];
  return first && COMMANDS.some((c) => c.name === first) ? [first] : [];
}

/**
 * The program for `args` (process.argv without node and script): the commands in `load` (default: what `args`
 * needs; `'all'`: every one) for real, the others as stand-ins. Usage settings come first, since commander
 * copies them to every command registered afterwards.
 */
export async function buildProgram(args: string[], load: string[] | 'all' = commandsNeeded(args)): Promise<Command> {
  const program = configureUsage(new Command());
  program
    .name('grip')
    .description('Grip: see, forecast and steer youth-care (jeugdhulp) spending from iJw 3.2 messages')
    .version(VERSION)
    // Options after a command name belong to that command (and after a sub-command to it): `grip forecast
    // publish --year 2026` gives --year to publish, not to forecast.
    .enablePositionalOptions();
  const stubTerms = new Map<Command, string>();
  program.configureHelp({
    subcommandTerm(this: Help, cmd: Command): string {
      return stubTerms.get(cmd) ?? Help.prototype.subcommandTerm.call(this, cmd);
    },
  });
  const wanted = new Set(load === 'all' ? COMMANDS.map((c) => c.name) : load);
  const modules = new Set(COMMANDS.filter((c) => wanted.has(c.name)).map((c) => c.module));
  const registered = new Set<Register>();
  for (const c of COMMANDS) {
    if (modules.has(c.module)) {
      // Every command of a loaded module is real: a module may register more than one (forecast, backtest).
      const register = await c.load();
      if (!registered.has(register)) register(program);
      registered.add(register);
    } else {
      const stub = program.command(c.name).description(c.description);
      stubTerms.set(stub, c.term);
    }
  }
  return program;
}
