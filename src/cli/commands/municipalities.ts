import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import { cbsMunicipality, normaliseMunicipalityCode, type RegionMunicipality } from '../../domain/codes/index.js';
import { GripError } from '../../domain/errors.js';
import { at } from '../../domain/indexing.js';
import { regionOf, renameRegion } from '../../app/region.js';
import { DB_OPTION_HELP, action, printJson, table, withWarehouse } from '../context.js';

/** Parses `code,name,inhabitants,youths` (name optional) into reference rows; errors name the line. */
export function parseMunicipalitiesCsv(text: string, file: string): RegionMunicipality[] {
  const delimiter = at(text.split('\n', 1), 0).includes(';') ? ';' : ',';
  let records: Record<string, string>[];
  try {
    records = parse(text, { columns: true, delimiter, bom: true, trim: true, skip_empty_lines: true }) as Record<
      string,
      string
    >[];
  } catch (e) {
    throw new GripError('CSV_MALFORMED', `not valid CSV: ${(e as Error).message}`, { file });
  }
  return records.map((r, i) => {
    const line = i + 2;
    const code = normaliseMunicipalityCode(r.code ?? '');
    if (!code || !cbsMunicipality(code))
      throw new GripError('CSV_VALUE', `column code: "${r.code}" is not a CBS municipality code`, { file, line });
    const int = (k: string) => {
      if (!/^\d+$/.test(r[k] ?? ''))
        throw new GripError('CSV_VALUE', `column ${k}: "${r[k] ?? ''}" is not a whole number`, { file, line });
      return Number(r[k]);
    };
    return {
      code,
      name: r.name || cbsMunicipality(code)!.name,
      inhabitants: int('inhabitants'),
      youths: int('youths'),
      approximate: false,
    };
  });
}

export function registerMunicipalities(program: Command): void {
  const cmd = program
    .command('municipalities')
    .description('Reference data of the region: municipalities with inhabitants and youths 0–17');
  cmd
    .command('list')
    .description('List the municipalities of the region')
    .option('--json', 'print as JSON')
    .option('--db <file|url>', DB_OPTION_HELP)
    .addHelpText('after', '\nExample:\n  $ grip municipalities list')
    .action(
      action(async (opts: { json?: boolean; db?: string }) => {
        const rows = await withWarehouse(opts, (w) => w.municipalities());
        if (opts.json) return printJson(rows);
        process.stdout.write(
          table(
            ['code', 'gemeente', 'inwoners', 'jeugdigen 0–17', 'bron'],
            rows.map((m) => [
              m.code,
              m.name,
              m.inhabitants.toLocaleString('nl-NL'),
              m.youths.toLocaleString('nl-NL'),
              m.approximate ? 'benadering' : 'ingelezen',
            ]),
            [false, false, true, true, false],
          ) + '\n',
        );
      }),
    );
  cmd
    .command('import')
    .description('Load inhabitants and youths from a CSV file (code,name,inhabitants,youths), e.g. from CBS StatLine')
    .argument('<file>', 'CSV file')
    .option('--db <file|url>', DB_OPTION_HELP)
    .addHelpText(
      'after',
      '\nExample:\n  $ grip municipalities import cbs-2025.csv\n\nCSV:\n  code,name,inhabitants,youths\n  0482,Alblasserdam,20938,4611',
    )
    .action(
      action(async (file: string, opts: { db?: string }) => {
        const rows = parseMunicipalitiesCsv(readFileSync(file, 'utf8'), file);
        await withWarehouse(opts, (w) => w.upsertMunicipalities(rows));
        process.stdout.write(`${rows.length} gemeenten ingelezen uit ${file}.\n`);
      }),
    );
  cmd
    .command('region')
    .description("Show the region's name, or set it (it heads the reports and the dashboard)")
    .argument('[name]', 'the new name, e.g. "Zuid-Holland Zuid"')
    .option('--db <file|url>', DB_OPTION_HELP)
    .addHelpText(
      'after',
      '\nExamples:\n  $ grip municipalities region\n  $ grip municipalities region "Zuid-Holland Zuid"',
    )
    .action(
      action(async (name: string | undefined, opts: { db?: string }) => {
        const shown = await withWarehouse(opts, async (w) =>
          name === undefined ? (await regionOf(w)).name : renameRegion(w, name),
        );
        process.stdout.write(name === undefined ? `${shown}\n` : `Regio heet nu ${shown}.\n`);
      }),
    );
}
