/** `grip`: the command-line interface. One file per command in commands/. */
import { Command } from 'commander';
import { registerCosts } from './commands/costs.js';
import { registerImport } from './commands/import.js';
import { registerStatus } from './commands/status.js';
import { registerMigrate } from './commands/migrate.js';
import { registerAudit, registerUser } from './commands/user.js';
import { registerCheck } from './commands/check.js';
import { registerDrivers } from './commands/drivers.js';
import { registerCorona } from './commands/corona.js';
import { registerDecisions } from './commands/decisions.js';
import { registerServe } from './commands/serve.js';
import { registerAllocate } from './commands/allocate.js';
import { registerScenario } from './commands/scenario.js';
import { registerDemo } from './commands/demo.js';
import { registerGenerate } from './commands/generate.js';
import { registerForecast } from './commands/forecast.js';
import { registerTriangle } from './commands/triangle.js';
import { registerMunicipalities } from './commands/municipalities.js';
import { registerBudget } from './commands/budget.js';
import { registerMeasures } from './commands/measures.js';
import { registerKpi } from './commands/kpi.js';
import { registerTariffs } from './commands/tariffs.js';
import { registerProviders } from './commands/providers.js';
import { registerReport } from './commands/report.js';
import { registerExport } from './commands/export.js';
import { configureUsage, runProgram } from './usage.js';

export function buildProgram(): Command {
  // Usage settings first: commander copies them to every command registered afterwards.
  const program = configureUsage(new Command());
  program
    .name('grip')
    .description('Grip: see, forecast and steer youth-care (jeugdhulp) spending from iJw 3.2 messages')
    .version('0.1.0');
  registerImport(program);
  registerCosts(program);
  registerStatus(program);
  registerMunicipalities(program);
  registerMigrate(program);
  registerUser(program);
  registerAudit(program);
  registerCheck(program);
  registerDrivers(program);
  registerCorona(program);
  registerDecisions(program);
  registerGenerate(program);
  registerForecast(program);
  registerTriangle(program);
  registerAllocate(program);
  registerScenario(program);
  registerBudget(program);
  registerMeasures(program);
  registerKpi(program);
  registerTariffs(program);
  registerProviders(program);
  registerServe(program);
  registerDemo(program);
  registerReport(program);
  registerExport(program);
  return program;
}

await runProgram(buildProgram(), process.argv);
