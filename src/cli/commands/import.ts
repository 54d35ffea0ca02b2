import type { Command } from 'commander';
import { GripError } from '../../domain/errors.js';
import { formatEuro } from '../../domain/money.js';
import { importPaths, type FileOutcome, type ImportSummary } from '../../ingest/importer.js';
import { outcomeSpool } from '../outcome-spool.js';
import { publishForecast } from '../../app/forecast.js';
import { formatDateNl } from '../../domain/month.js';
import { makeXsdValidator } from '../../ingest/xsd.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { DB_OPTION_HELP, action, printJson, pseudonymiser, withWarehouse } from '../context.js';
import { makeProgress } from '../progress.js';
import { describeOutcome, importExports, loadMapping } from '../../app/mapping.js';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/** Exports named on the command line: files as given, folders searched for .csv and .xlsx. */
function exportFiles(paths: string[]): { path: string; display: string }[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(csv|xlsx)$/i.test(e.name)) out.push(p);
    }
  };
  for (const p of paths) {
    if (!existsSync(p)) throw new GripError('NOT_FOUND', `bestand of map niet gevonden: ${p}`);
    if (statSync(p).isDirectory()) walk(p);
    else out.push(p);
  }
  return out.map((p) => {
    const r = relative(process.cwd(), p);
    return { path: p, display: r && !r.startsWith('..') ? r : resolve(p) };
  });
}

export type XsdMode = 'stream' | 'xmllint';

export async function runImport(
  w: Warehouse,
  paths: string[],
  opts: { keyFile?: string; quiet?: boolean; xsd?: XsdMode; onOutcome?: (o: FileOutcome) => void },
): Promise<ImportSummary> {
  const mode = opts.xsd ?? 'stream';
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- --xsd is whatever the user typed
  if (mode !== 'stream' && mode !== 'xmllint')
    throw new GripError('USAGE', `--xsd moet stream of xmllint zijn, niet "${String(mode)}"`);
  const s = await importPaths(paths, {
    warehouse: w,
    pseudonymise: pseudonymiser(opts.keyFile),
    streamSchema: true,
    xsd:
      mode === 'xmllint'
        ? makeXsdValidator()
        : { available: false, why: 'xmllint niet gevraagd', validate: async () => new Map() },
    progress: makeProgress(process.stderr, !opts.quiet),
    // The printed report names only rejected and not-declaration files: the importer need not keep the other
    // outcomes (one per file). --json lists every file: it spools them (see outcome-spool.ts).
    onOutcome: opts.onOutcome ?? (() => {}),
  });
  await w.appendAudit({
    at: new Date().toISOString(),
    username: process.env.USER ?? 'cli',
    role: 'cli',
    action: 'import',
    clients: [],
    purpose: null,
    municipality: null,
    detail: `${s.imported} imported, ${s.skipped} skipped, ${s.rejected} rejected, ${s.lines} lines`,
  });
  return s;
}

/** The outcome for people, in Dutch; the reasons per file are the importer's (file, line, element, rule). */
export function printImportSummary(s: ImportSummary): void {
  const out = process.stdout;
  for (const o of s.outcomes.filter((x) => x.status === 'rejected')) out.write(`AFGEWEZEN ${o.reason}\n`);
  for (const o of s.outcomes.filter((x) => x.status === 'skipped' && x.messageType === null))
    out.write(`OVERGESLAGEN ${o.file}: ${o.reason}\n`);
  const cents = s.totalCents;
  const n = (k: number, one: string, many: string) => `${k.toLocaleString('nl-NL')} ${k === 1 ? one : many}`;
  out.write(
    `Geïmporteerd: ${n(s.imported, 'bestand', 'bestanden')} met ${n(s.lines, 'regel', 'regels')} (${formatEuro(cents)} aan declaraties); ` +
      `overgeslagen: ${s.skipped} (al geïmporteerd of geen declaraties); afgewezen: ${s.rejected}.\n`,
  );
  if (!s.xsdValidated) out.write(`Let op: de XSD-controle is overgeslagen: ${s.xsdNote}.\n`);
  if (s.rejected)
    out.write(
      `Afgewezen bestanden zijn in het geheel niet geïmporteerd; herstel ze en geef hetzelfde commando opnieuw.\n`,
    );
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description(
      'Import iJw 3.2 messages (JW301, JW305, JW307, JW315, JW323, JW325) and CSV declarations into the warehouse',
    )
    .argument('<paths...>', 'files or folders (folders are searched for .xml and .csv files)')
    .option('--db <file|url>', DB_OPTION_HELP)
    .option(
      '--key-file <file>',
      'pseudonym key (default: $GRIP_KEY_FILE or ~/.grip/pseudonym.key, created on first use)',
    )
    .option('--json', 'print the outcome per file as JSON')
    .option('--quiet', 'no progress output')
    .option(
      '--xsd <mode>',
      'XSD validation: stream (default; inside the parse, generated from the iJw 3.2 XSDs) or xmllint (also run xmllint, to cross-check)',
      'stream',
    )
    .option(
      '--mapping <name>',
      'read case-system exports (.csv/.xlsx) through this saved column mapping (see grip mapping)',
    )
    .option(
      '--publish-forecast',
      'after the import, publish the year-end forecast of the newest year as a vintage (see grip forecast history)',
    )
    .addHelpText(
      'after',
      `
Each file is imported whole or not at all; importing the same file again changes nothing.
Bad files are rejected with the reason (file, line, element) and the exit code is 1; good files still import.

Examples:
  $ grip import declaraties/2026-04/            # all .xml/.csv files below the folder
  $ grip import JW323_0482_2026-04.xml --db regio.duckdb
  $ grip import export.csv --json
  $ grip import suite4-2025.csv --mapping suite4      # a case system's export through a saved mapping
  $ grip import isd-2025.xlsx --mapping isd

With --mapping, each export is imported whole or not at all (errors name sheet, row and column); the same file
again changes nothing, and an export overlapping an earlier one of the same source replaces that period.`,
    )
    .action(
      action(
        async (
          paths: string[],
          opts: {
            db?: string;
            keyFile?: string;
            json?: boolean;
            quiet?: boolean;
            xsd?: XsdMode;
            publishForecast?: boolean;
            mapping?: string;
          },
        ) => {
          if (opts.mapping) {
            const mappingName = opts.mapping;
            const files = exportFiles(paths);
            const { outcomes, source } = await withWarehouse(opts, async (w) => {
              const m = await loadMapping(w, mappingName);
              const outcomes = await importExports(w, pseudonymiser(opts.keyFile), files, mappingName, {
                username: process.env.USER ?? 'cli',
                role: 'cli',
              });
              return { outcomes, source: m.source ?? m.name };
            });
            if (opts.json) printJson(outcomes);
            else
              for (const o of outcomes)
                for (const line of describeOutcome(o, source)) process.stdout.write(`${line}\n`);
            if (outcomes.some((o) => o.status === 'rejected')) process.exitCode = 1;
            return;
          }
          // --json: every file's outcome, spooled to disk as it is known (memory stays bounded).
          const spool = opts.json ? outcomeSpool<FileOutcome>() : null;
          try {
            const { summary, published } = await withWarehouse(opts, async (w) => {
              const summary = await runImport(w, paths, { ...opts, ...(spool ? { onOutcome: spool.add } : {}) });
              if (!opts.publishForecast || !summary.imported) return { summary, published: null };
              const st = await w.status();
              if (!st.lastMonth) return { summary, published: null };
              const year = Number(st.lastMonth.slice(0, 4));
              return {
                summary,
                published: await publishForecast(w, {
                  year,
                  label: `na import ${formatDateNl(new Date().toISOString().slice(0, 10))}`,
                  by: 'cli:import',
                }),
              };
            });
            if (spool)
              await spool.print(
                published
                  ? {
                      ...summary,
                      publishedForecast: {
                        id: published.id,
                        year: published.forecast.year,
                        asOf: published.forecast.asOf,
                      },
                    }
                  : summary,
                process.stdout,
              );
            else {
              printImportSummary(summary);
              if (published)
                process.stdout.write(
                  `Prognose ${published.forecast.year} gepubliceerd als versie ${published.id} (stand per ${formatDateNl(published.forecast.asOf)}).\n`,
                );
            }
            if (summary.rejected) process.exitCode = 1;
          } finally {
            spool?.dispose();
          }
        },
      ),
    );
}
