/** Shared plumbing of the CLI commands: opening the warehouse, the key, output helpers. */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { GripError, describeError } from '../domain/errors.js';
import { defaultKeyPath, loadOrCreateKey, makePseudonymiser, type Pseudonymiser } from '../ingest/pseudonymise.js';
import { openWarehouse, resolveDbSpec } from '../warehouse/open.js';
import type { Warehouse } from '../warehouse/warehouse.js';

export interface DbOptions {
  db?: string;
}

export const DB_OPTION_HELP = 'warehouse: a DuckDB file or postgres://… URL (default: $GRIP_DB or ./grip.duckdb)';

export async function withWarehouse<T>(opts: DbOptions, fn: (w: Warehouse) => Promise<T>): Promise<T> {
  const w = await openWarehouse(resolveDbSpec(opts.db));
  try {
    return await fn(w);
  } finally {
    await w.close();
  }
}

export function pseudonymiser(keyFile?: string): Pseudonymiser {
  return makePseudonymiser(loadOrCreateKey(keyFile ?? defaultKeyPath()));
}

/** Runs a command action; prints a clear error and sets a non-zero exit code on failure. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (e) {
      const missing = (e as NodeJS.ErrnoException).code === 'ENOENT' && (e as NodeJS.ErrnoException).path;
      process.stderr.write(`grip: ${missing ? `bestand of map niet gevonden: ${missing}` : describeError(e)}\n`);
      if (!(e instanceof GripError) && process.env.GRIP_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
      process.exitCode = e instanceof GripError && e.code === 'USAGE' ? 2 : 1;
    }
  };
}

export function usage(message: string): GripError {
  return new GripError('USAGE', message);
}

/** A plain text table for people: columns padded, numbers right-aligned. */
export function table(headers: string[], rows: string[][], rightAlign: boolean[] = []): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]) =>
    r
      .map((c, i) => (rightAlign[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [fmt(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)].join('\n');
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** Who enters data from the CLI: `--by`, else the login name. */
export const enteredBy = (by?: string) => by || process.env.USER || 'onbekend';

/**
 * A subcommand that reads one CSV file and hands it to an app importer (all or nothing), with `--by` and
 * `--db`; `done` says in Dutch what was read.
 */
export function csvImportCommand<R>(
  parent: Command,
  spec: {
    name: string;
    description: string;
    argument: string;
    help: string;
    run: (w: Warehouse, text: string, file: string, who: { enteredBy: string }) => Promise<R>;
    done: (result: R, file: string) => string;
  },
): void {
  parent
    .command(spec.name)
    .description(spec.description)
    .argument('<file>', spec.argument)
    .option('--by <name>', 'who enters them (default: $USER)')
    .option('--db <file|url>', DB_OPTION_HELP)
    .addHelpText('after', spec.help)
    .action(
      action(async (file: string, opts: { by?: string; db?: string }) => {
        const r = await withWarehouse(opts, (w) =>
          spec.run(w, readFileSync(file, 'utf8'), file, { enteredBy: enteredBy(opts.by) }),
        );
        process.stdout.write(`${spec.done(r, file)}\n`);
      }),
    );
}
