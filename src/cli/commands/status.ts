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
          o.push(
            `Bestanden: ${s.files.map((f) => `${f.messageType} ${f.files} (${f.lines.toLocaleString('nl-NL')} regels)`).join(', ')}`,
          );
          o.push(
            `Declaratieregels: ${s.declarationLines.toLocaleString('nl-NL')} · ${formatEuro(s.totalCents)} · ${s.clients.toLocaleString('nl-NL')} cliënten`,
          );
          o.push(
            `Productiemaanden: ${s.firstMonth ?? '-'} … ${s.lastMonth ?? '-'} · laatste declaratie gedagtekend ${s.lastDeclarationDate ?? '-'}`,
          );
          o.push(`Laatste import: ${s.lastImport ?? '-'}`);
          o.push(`Regels met onbekende verwijzer (toewijzing niet gevonden): ${s.unknownReferrerLines}`);
          o.push(`Regels afgewezen in een JW325-antwoord: ${s.rejectedLines} (${formatEuro(s.rejectedCents)})`);
          if (s.findings.length) {
            o.push('Bevindingen datakwaliteit (ingelezen zoals aangeleverd, gemarkeerd):');
            for (const f of s.findings)
              o.push(
                `  ${f.rule} ${f.description}: ${f.lines} ${f.lines === 1 ? 'regel' : 'regels'}, ${formatEuro(f.amountCents)}`,
              );
          } else o.push('Bevindingen datakwaliteit: geen');
        }
        process.stdout.write(o.join('\n') + '\n');
      }),
    );
}
