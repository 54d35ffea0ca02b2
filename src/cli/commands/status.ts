import type { Command } from 'commander';
import { formatEuro } from '../../domain/money.js';
import { DB_OPTION_HELP, action, printJson, withWarehouse } from '../context.js';

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('What is in the warehouse: files, lines, period covered, last import, data-quality findings')
    .option('--json', 'print as JSON')
    .option('--db <file|url>', DB_OPTION_HELP)
    .addHelpText('after', '\nExamples:\n  $ grip status\n  $ grip status --db regio.duckdb --json')
    .action(
      action(async (opts: { json?: boolean; db?: string }) => {
        const s = await withWarehouse(opts, (w) => w.status());
        if (opts.json) return printJson(s);
        const o: string[] = [];
        o.push(`Warehouse: ${s.engine} ${s.location} (schema v${s.schemaVersion})`);
        if (!s.files.length) {
          o.push('Nog geen gegevens — importeer declaraties met `grip import`.');
        } else {
          o.push(`Files: ${s.files.map((f) => `${f.messageType} ${f.files} (${f.lines} lines)`).join(', ')}`);
          o.push(`Declaration lines: ${s.declarationLines} · ${formatEuro(s.totalCents)} · ${s.clients} clients`);
          o.push(`Production months: ${s.firstMonth ?? '-'} … ${s.lastMonth ?? '-'} · latest declaration dated ${s.lastDeclarationDate ?? '-'}`);
          o.push(`Last import: ${s.lastImport ?? '-'}`);
          o.push(`Lines with unknown referrer (allocation not found): ${s.unknownReferrerLines}`);
          o.push(`Lines rejected in a JW325 answer: ${s.rejectedLines} (${formatEuro(s.rejectedCents)})`);
          if (s.findings.length) {
            o.push('Data-quality findings (imported as submitted, flagged):');
            for (const f of s.findings) o.push(`  ${f.rule} ${f.description}: ${f.lines} line(s), ${formatEuro(f.amountCents)}`);
          } else o.push('Data-quality findings: none');
        }
        process.stdout.write(o.join('\n') + '\n');
      }),
    );
}
