import type { Command } from 'commander';
import { isIsoDate } from '../../domain/month.js';
import type { GenerateOptions } from '../../generate/index.js';
import { action, usage } from '../context.js';
import { makeProgress } from '../progress.js';

export function parseYears(s: string): [number, number] {
  const m = /^(\d{4})(?:-(\d{4}))?$/.exec(s.trim());
  if (!m) throw usage(`--years moet JJJJ of JJJJ-JJJJ zijn, niet "${s}"`);
  const a = Number(m[1]);
  const b = Number(m[2] ?? m[1]);
  if (b < a) throw usage(`--years loopt achteruit: "${s}"`);
  return [a, b];
}

export async function runGenerate(opts: GenerateOptions & { quiet?: boolean }) {
  const progress = makeProgress(process.stderr, !opts.quiet);
  let started = false;
  const { generateRegion } = await import('../../generate/index.js');
  const manifest = await generateRegion({
    ...opts,
    onProgress(done, total, label) {
      if (!started) {
        progress.start(total, label || 'genereren');
        started = true;
      }
      progress.update(done);
    },
  });
  progress.stop();
  return manifest;
}

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('Generate a realistic, deterministic synthetic youth-care region as iJw 3.2 messages (or CSV)')
    .requiredOption('--out <dir>', 'output folder')
    .option('--years <from-to>', 'production years', '2021-2025')
    .option('--seed <n>', 'random seed (same seed, same files)', '1')
    .option(
      '--scale <scale>',
      'small (quick, ~300 new clients a year), region (Zuid-Holland Zuid, ~350k lines a year) or national (~10M lines a year)',
      'region',
    )
    .option('--format <format>', 'xml (iJw messages) or csv (declarations as CSV)', 'xml')
    .option(
      '--cutoff <YYYY-MM-DD>',
      'no message dated after this day is written (default: 31 March after the last year)',
    )
    .option(
      '--insight <mode>',
      'data for the insight checks: planted (family keys, allocation sizes, re-entries, a tariff list; over-indication, double registrations and tariffs above contract planted) or clean (nothing planted)',
    )
    .option('--quiet', 'no progress output')
    .addHelpText(
      'after',
      `
The folder gets jw301/ jw305/ jw307/ jw315/ jw323/ jw325/ (or csv/), invalid/ with files that are wrong on
purpose, and manifest.json with the true totals and every planted error. With --insight also tarieven.csv,
the contracted tariff list the region declares at (grip import skips it; load it with grip tariffs import).

Examples:
  $ grip generate --out demo-data
  $ grip generate --out /tmp/region --years 2022-2026 --cutoff 2026-10-31 --seed 7
  $ grip generate --out /tmp/nl --scale national --years 2025
  $ grip generate --out /tmp/region --insight planted     (what grip check and the insight pages must find: manifest.planted)`,
    )
    .action(
      action(
        async (opts: {
          out: string;
          years: string;
          seed: string;
          scale: string;
          format: string;
          cutoff?: string;
          insight?: string;
          quiet?: boolean;
        }) => {
          if (opts.scale !== 'region' && opts.scale !== 'national' && opts.scale !== 'small')
            throw usage('--scale moet small, region of national zijn');
          if (opts.format !== 'xml' && opts.format !== 'csv') throw usage('--format moet xml of csv zijn');
          if (!/^\d+$/.test(opts.seed)) throw usage('--seed moet een geheel getal zijn');
          if (opts.cutoff && !isIsoDate(opts.cutoff))
            throw usage(`--cutoff moet een datum JJJJ-MM-DD zijn, niet "${opts.cutoff}"`);
          if (opts.insight !== undefined && opts.insight !== 'planted' && opts.insight !== 'clean')
            throw usage('--insight moet planted of clean zijn');
          const t0 = Date.now();
          const m = await runGenerate({
            outDir: opts.out,
            years: parseYears(opts.years),
            seed: Number(opts.seed),
            scale: opts.scale,
            format: opts.format,
            cutoff: opts.cutoff,
            insight: opts.insight,
            quiet: opts.quiet,
          });
          process.stdout.write(
            `Gegenereerd: ${describeCounts(m)} in ${((Date.now() - t0) / 1000).toFixed(1).replace('.', ',')} s → ${opts.out}\n`,
          );
        },
      ),
    );
}

export function describeCounts(m: unknown): string {
  const c = (m as { counts?: Record<string, unknown> }).counts ?? {};
  return Object.entries(c)
    .filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => `${k} ${(v as number).toLocaleString('nl-NL')}`)
    .join(', ');
}
