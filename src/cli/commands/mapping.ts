/** `grip mapping`: column mappings for case-system exports (propose, save, list, show). */
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { Command } from 'commander';
import { fieldLabel, listMappings, loadMapping, proposeMapping, saveMapping, type Preview } from '../../app/mapping.js';
import { GripError } from '../../domain/errors.js';
import { formatEuro } from '../../domain/money.js';
import { formatDateNl } from '../../domain/month.js';
import { DB_OPTION_HELP, action, enteredBy, printJson, pseudonymiser, table, withWarehouse } from '../context.js';

const FORMAT_HELP = `
A mapping is JSON: { "name", "source"?, "delimiter"?, "sheets"?, "headerRow"?, "fields": { … } }. Each field takes
a column ({"column": "Bedrag"}) or a constant ({"value": "04"}); the municipality may come from the sheet name
({"sheet": true, "as": "naam"}). Formats: dates "dd-mm-jjjj", "jjjj-mm-dd" or "excel"; amounts {"decimal": ","}
or "."; municipality "naam", "cbs" or "gm"; client "bsn" or "pseudoniem"; productCode {"withCategory": true|false};
credit {"sign": true} or {"column": "D/C", "debit": ["D"], "credit": ["C"]}. See examples/ for two complete ones.`;

/** The preview as a plain table: the first rows as Grip reads them. */
export function previewTable(p: Preview): string {
  const rows = p.lines.map((l) => [
    l.sheet === null ? String(l.row) : `${l.sheet}:${l.row}`,
    l.municipality,
    l.provider,
    l.client.slice(0, 10) + '…',
    formatDateNl(l.declarationDate),
    `${formatDateNl(l.periodStart)}–${formatDateNl(l.periodEnd)}`,
    l.productCode ?? l.category,
    `${l.volume} × ${l.unit}`,
    formatEuro(l.amountCents),
    l.debitCredit,
  ]);
  const head = [
    'rij',
    'gemeente',
    'aanbieder',
    'cliënt',
    'declaratie',
    'periode',
    'product',
    'volume',
    'bedrag',
    'D/C',
  ];
  return (
    (rows.length
      ? table(head, rows, [false, false, false, false, false, false, false, true, true, false])
      : '(geen regels gelezen)') + (p.error ? `\nFOUT ${p.error}` : '')
  );
}

export function registerMapping(program: Command): void {
  const cmd = program
    .command('mapping')
    .description('Column mappings for case-system exports (CSV/XLSX): propose one from a file, save, list');
  cmd
    .command('guess')
    .description(
      'Propose a mapping from a file’s header and sample values, and show the first rows as Grip would read them',
    )
    .argument('<file>', 'an export (.csv or .xlsx)')
    .option('--name <name>', 'name of the proposed mapping (default: from the file name)')
    .option('--json', 'print the proposal, notes and preview as JSON')
    .option('--db <file|url>', DB_OPTION_HELP)
    .option('--key-file <file>', 'pseudonym key (for the preview)')
    .addHelpText(
      'after',
      `\nExamples:\n  $ grip mapping guess suite4-export.csv\n  $ grip mapping guess isd.xlsx --name isd > isd.json   # edit, then: grip mapping save isd --from isd.json\n${FORMAT_HELP}`,
    )
    .action(
      action(async (file: string, opts: { name?: string; json?: boolean; db?: string; keyFile?: string }) => {
        const p = await withWarehouse(opts, (w) =>
          proposeMapping(w, pseudonymiser(opts.keyFile), file, file, opts.name),
        );
        if (opts.json)
          return printJson({
            mapping: p.mapping ?? p.guess.mapping,
            complete: p.mapping !== null,
            notes: p.guess.notes,
            problems: p.problems,
            preview: p.preview,
          });
        const err = process.stderr;
        err.write(`Voorstel voor ${file}:\n`);
        for (const n of p.guess.notes)
          err.write(`  ${n.field === '(niet gebruikt)' ? 'niet gebruikt' : fieldLabel(n.field)}: ${n.text}\n`);
        for (const pr of p.problems) err.write(`  ONTBREEKT ${pr}\n`);
        if (p.preview) err.write(`\nDe eerste regels zoals Grip ze leest:\n${previewTable(p.preview)}\n`);
        err.write(
          p.mapping
            ? `\nBewaar het voorstel met: grip mapping save ${p.mapping.name} --from ${file}\n(of bewaar de JSON hieronder, pas die aan en gebruik --from BESTAND.json)\n\n`
            : '\nHet voorstel is niet compleet: vul de JSON hieronder aan en bewaar die met grip mapping save NAAM --from BESTAND.json\n\n',
        );
        process.stdout.write(JSON.stringify(p.mapping ?? p.guess.mapping, null, 2) + '\n');
        if (!p.mapping) process.exitCode = 1;
      }),
    );
  cmd
    .command('save')
    .description(
      'Save a mapping under NAME: from a JSON file, from an export (its proposal, when complete), or JSON on standard input',
    )
    .argument('<name>', 'the mapping’s name (letters, digits, - and _)')
    .option(
      '--from <file>',
      'a mapping (.json) or an export (.csv/.xlsx) to take the proposal of (default: JSON on standard input)',
    )
    .option('--by <name>', 'who saves it (default: $USER)')
    .option('--db <file|url>', DB_OPTION_HELP)
    .option('--key-file <file>', 'pseudonym key (for the check of an export)')
    .addHelpText(
      'after',
      `\nExamples:\n  $ grip mapping save suite4 --from examples/suite4-declaraties.mapping.json\n  $ grip mapping save isd --from isd-export.xlsx\n${FORMAT_HELP}`,
    )
    .action(
      action(async (name: string, opts: { from?: string; by?: string; db?: string; keyFile?: string }) => {
        const saved = await withWarehouse(opts, async (w) => {
          const ext = opts.from ? extname(opts.from).toLowerCase() : '.json';
          if (opts.from && (ext === '.csv' || ext === '.xlsx' || ext === '.txt')) {
            const p = await proposeMapping(w, pseudonymiser(opts.keyFile), opts.from, opts.from, name);
            if (!p.mapping)
              throw new GripError(
                'MAPPING_INCOMPLETE',
                `het voorstel voor ${opts.from} is niet compleet: ${p.problems.join('; ')}; gebruik grip mapping guess en bewaar een aangevulde JSON`,
              );
            if (p.preview?.error)
              throw new GripError(
                'MAPPING_PREVIEW',
                `het voorstel leest ${basename(opts.from)} niet: ${p.preview.error}`,
              );
            return saveMapping(w, p.mapping, enteredBy(opts.by), name);
          }
          const text = readFileSync(opts.from ?? 0, 'utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch (e) {
            throw new GripError(
              'MAPPING_INVALID',
              `${opts.from ?? 'standaardinvoer'} is geen geldige JSON: ${(e as Error).message}`,
            );
          }
          return saveMapping(w, json, enteredBy(opts.by), name);
        });
        process.stdout.write(`Mapping ${saved.name} bewaard (bron ${saved.source ?? saved.name}).\n`);
      }),
    );
  cmd
    .command('list')
    .description('List the saved mappings')
    .option('--json', 'print as JSON')
    .option('--db <file|url>', DB_OPTION_HELP)
    .action(
      action(async (opts: { json?: boolean; db?: string }) => {
        const rows = await withWarehouse(opts, (w) => listMappings(w));
        if (opts.json) return printJson(rows);
        if (!rows.length)
          return void process.stdout.write(
            'Geen mappings; stel er een voor met `grip mapping guess BESTAND` en bewaar die met `grip mapping save`.\n',
          );
        process.stdout.write(
          table(
            ['naam', 'bron', 'bewaard door', 'op', 'staat'],
            rows.map((m) => [
              m.name,
              m.source,
              m.savedBy,
              formatDateNl(m.savedAt.slice(0, 10)),
              m.problems.length ? `klopt niet: ${m.problems[0]}` : 'in orde',
            ]),
          ) + '\n',
        );
      }),
    );
  cmd
    .command('show')
    .description('Print a saved mapping as JSON')
    .argument('<name>', 'the mapping’s name')
    .option('--db <file|url>', DB_OPTION_HELP)
    .action(
      action(async (name: string, opts: { db?: string }) => {
        printJson(await withWarehouse(opts, (w) => loadMapping(w, name)));
      }),
    );
}
