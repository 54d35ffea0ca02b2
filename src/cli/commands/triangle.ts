import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { GripError } from '../../domain/errors.js';
import { parseTriangleCsv } from '../../domain/forecast/triangleCsv.js';
import { action, printJson, table } from '../context.js';

export function registerTriangle(program: Command): void {
  program
    .command('triangle')
    .description('Chain ladder with Mack standard errors on a run-off triangle in long form (origin,development,value)')
    .argument('<file.csv>', 'CSV with header origin,development,value')
    .option('--cumulative', 'values are cumulative (default: incremental)')
    .option(
      '--json',
      'print { factors, origins: [{ origin, latest, ultimate, ibnr, mackSE }], totalIbnr, totalMackSE }',
    )
    .addHelpText(
      'after',
      "\nThe last σ² follows Mack's rule (not R's log-linear extrapolation).\n\nExample:\n  $ grip triangle src/domain/forecast/fixtures/raa.csv --json",
    )
    .action(
      action(async (file: string, opts: { cumulative?: boolean; json?: boolean }) => {
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch (e) {
          throw new GripError('FILE_UNREADABLE', `cannot read ${file}: ${(e as Error).message}`);
        }
        const r = parseTriangleCsv(text, !!opts.cumulative, file);
        if (opts.json)
          return printJson({
            factors: r.factors,
            origins: r.origins,
            totalIbnr: r.totalIbnr,
            totalMackSE: r.totalMackSE,
          });
        process.stdout.write(`factors: ${r.factors.map((f) => f.toFixed(4)).join(' ')}\n`);
        process.stdout.write(
          table(
            ['origin', 'latest', 'ultimate', 'ibnr', 'mack se'],
            [
              ...r.origins.map((o) => [
                o.origin,
                o.latest.toFixed(0),
                o.ultimate.toFixed(0),
                o.ibnr.toFixed(0),
                o.mackSE.toFixed(0),
              ]),
              ['total', '', '', r.totalIbnr.toFixed(2), r.totalMackSE.toFixed(0)],
            ],
            [false, true, true, true, true],
          ) + '\n',
        );
      }),
    );
}
