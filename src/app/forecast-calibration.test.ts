/**
 * The calibration target of the year-end forecast, judged on a generated region that no tuning used.
 * The method's parameters (domain/forecast/yearEnd.ts) were chosen on the region of seed 101 and checked on
 * seed 202; this test generates seed 4242 (never used for tuning) and reads its declarations straight from
 * the generated CSV files (not through Grip's importer), so the run-off and the truth are the generator's.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { backtestEntities } from '../domain/forecast/backtest.js';
import { field } from '../domain/indexing.js';
import type { RunoffCell } from '../domain/forecast/yearEnd.js';
import type { Manifest } from '../generate/index.js';
import { tempDir } from '../ingest/testing/fixtures.js';

const SEED = 4242;

/** The columns of the generator's declaration CSV that the cells are built from. */
type GeneratedColumn = 'periodStart' | 'municipality' | 'declarationDate' | 'debitCredit' | 'amountCents';

async function cellsFromCsv(dir: string): Promise<{ entity: string; cells: RunoffCell[] }[]> {
  const by = new Map<string, Map<string, RunoffCell>>();
  for (const f of readdirSync(join(dir, 'csv'))) {
    await new Promise((r) => setImmediate(r)); // let the test runner breathe between files
    const rows = parse(readFileSync(join(dir, 'csv', f)), { columns: true }) as Record<GeneratedColumn, string>[];
    for (const r of rows) {
      const month = r.periodStart.slice(0, 7);
      const m = by.get(r.municipality) ?? new Map<string, RunoffCell>();
      by.set(r.municipality, m);
      const key = `${month}|${r.declarationDate}`;
      const c = m.get(key) ?? {
        month,
        declarationMonth: r.declarationDate.slice(0, 7),
        declarationDate: r.declarationDate,
        amountCents: 0,
      };
      c.amountCents += (r.debitCredit === 'C' ? -1 : 1) * Number(r.amountCents);
      m.set(key, c);
    }
  }
  return [...by].map(([entity, m]) => ({ entity, cells: [...m.values()] }));
}

describe('forecast calibration on an unseen generated region (issue 16 targets)', () => {
  it('|bias| ≤ 2% at every as-of month, the 80% interval covers 75–85%, and at month 6 MAPE ≤ 0.7 × last-year ratio and ≤ ⅓ × run-rate', async () => {
    const dir = tempDir('grip-calibration-');
    // Eight production years, declarations up to 15 months after the last: 2018–2025 are complete, and the
    // back-test judges 2020–2025 (two years of history before each), each year's interval calibrated on the years before it.
    // Generated in a child process (the generator's CLI), so this worker stays responsive.
    const bin = new URL('../../bin/grip.mjs', import.meta.url).pathname;
    await promisify(execFile)(
      process.execPath,
      [
        bin,
        'generate',
        '--out',
        dir,
        '--years',
        '2018-2025',
        '--seed',
        String(SEED),
        '--scale',
        'region',
        '--format',
        'csv',
        '--cutoff',
        '2027-03-31',
        '--quiet',
      ],
      { maxBuffer: 1 << 24 },
    );
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
    const entities = await cellsFromCsv(dir);
    // The cells are the generator's own: their totals per year are the manifest's truth (credits included).
    for (const e of entities) {
      const t = field(field(manifest.truth, e.entity).years, '2024');
      expect(e.cells.filter((c) => c.month.startsWith('2024-')).reduce((s, c) => s + c.amountCents, 0)).toBe(t);
    }
    const r = backtestEntities({ entities });
    expect(r.years).toEqual([2020, 2021, 2022, 2023, 2024, 2025]);
    const lines = r.byAsOfMonth.map(
      (x) =>
        `m${x.asOfMonth}: MAPE ${(x.gripMape * 100).toFixed(1)}% bias ${(x.gripBias * 100).toFixed(1)}% last-year ${((x.lastYearMape ?? 0) * 100).toFixed(1)}% naive ${(x.naiveMape * 100).toFixed(1)}% coverage ${((x.coverage ?? 0) * 100).toFixed(0)}%`,
    );
    process.stdout.write(
      `seed ${SEED}: ${lines.join('; ')}; overall coverage ${((r.coverage ?? 0) * 100).toFixed(1)}%\n`,
    );
    for (const x of r.byAsOfMonth) expect(Math.abs(x.gripBias)).toBeLessThanOrEqual(0.02);
    expect(r.coverage).toBeGreaterThanOrEqual(0.75);
    expect(r.coverage).toBeLessThanOrEqual(0.85);
    const m6 = r.byAsOfMonth.find((x) => x.asOfMonth === 6)!;
    expect(m6.gripMape).toBeLessThanOrEqual(0.7 * m6.lastYearMape!);
    expect(m6.gripMape).toBeLessThanOrEqual(m6.naiveMape / 3);
  }, 300_000);
});
