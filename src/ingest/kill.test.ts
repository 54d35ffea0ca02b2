import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshWarehouse } from '../warehouse/testing/engines.js';
import { importInto, jw323Xml, tempDir, writeFile } from './testing/fixtures.js';

const BIN = new URL('../../bin/grip.mjs', import.meta.url).pathname;

describe('a killed import', () => {
  it('leaves no partial file behind and can simply be run again', async () => {
    const dir = tempDir('grip-kill-');
    let expected = 0;
    for (let i = 0; i < 1200; i++) {
      const amount = 1000 + i;
      expected += amount;
      writeFile(
        dir,
        `f${String(i).padStart(4, '0')}.xml`,
        jw323Xml({
          declarationNumber: `K${i}`,
          declarationDate: '2026-02-05',
          periodMonth: '2026-01',
          lines: [{ bsn: '999900006', ref: `K${i}`, month: '2026-01', amount }],
        }),
      );
    }
    const db = join(dir, 'k.duckdb');
    // Groups of 100 files (one transaction each), so some are committed when the kill comes.
    const env = { ...process.env, GRIP_KEY_FILE: join(dir, 'key'), GRIP_IMPORT_GROUP_FILES: '100' };
    // Start an import and kill it hard once it is storing files.
    await new Promise<void>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'import', dir, '--db', db], {
        env,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (d: string) => {
        if (/importeren: [1-9]0%/.test(d)) child.kill('SIGKILL');
      });
      child.on('exit', () => resolve());
    });
    // Whatever was committed is whole: every stored file holds its one line and its own amount.
    const w = await freshWarehouse('duckdb', db);
    try {
      const totals = await w.fileTotals();
      expect(totals.length).toBeLessThan(1200);
      expect(totals.length % 100).toBe(0); // whole transactions only
      for (const t of totals) expect(t.lines).toBe(1);
      // Run again: the rest is imported, nothing twice.
      const s = await importInto(w, [dir]);
      expect(s.imported + totals.length).toBe(1200);
      expect((await w.status()).totalCents).toBe(expected);
    } finally {
      await w.close();
    }
  }, 120_000);
});
