import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir, writeFile } from '../ingest/testing/fixtures.js';
import { outcomeSpool } from './outcome-spool.js';

/** A sink that accepts little at a time, so the spool must wait for 'drain'. */
function slowSink(): { sink: Writable; text: () => string } {
  const parts: string[] = [];
  const sink = new Writable({
    highWaterMark: 64,
    write(chunk: Buffer, _enc, done) {
      parts.push(chunk.toString('utf8'));
      setImmediate(done);
    },
  });
  return { sink, text: () => parts.join('') };
}

async function printed(report: { outcomes: unknown[] }, extra: Record<string, unknown> = {}): Promise<string> {
  const spool = outcomeSpool<unknown>();
  try {
    for (const o of report.outcomes) spool.add(o);
    const { sink, text } = slowSink();
    await spool.print({ ...report, outcomes: [], ...extra }, sink);
    return text();
  } finally {
    spool.dispose();
  }
}

describe('outcome spool (grip import --json)', () => {
  const outcome = (i: number) => ({
    file: `map/bestand "${i}"\nmet regel.xml`,
    status: i % 3 ? 'imported' : 'rejected',
    messageType: i % 2 ? 'JW323' : null,
    lines: i,
    totalCents: -i * 101,
    ...(i % 3 ? {} : { reason: `bestand ${i}: Café ☕ \u0000 niet geldig` }),
  });

  it('prints exactly what JSON.stringify(report, null, 2) prints, for 0, 1 and many outcomes', async () => {
    for (const n of [0, 1, 2, 250]) {
      const report = { outcomes: Array.from({ length: n }, (_, i) => outcome(i)), imported: n, xsdNote: 'x' };
      expect(await printed(report)).toBe(JSON.stringify(report, null, 2) + '\n');
    }
  });

  it('keeps the report key order and fields added after the outcomes', async () => {
    const report = { outcomes: [outcome(1)], imported: 1 };
    const extra = { publishedForecast: { id: 3, year: 2026, asOf: '2026-11-30' } };
    expect(await printed(report, extra)).toBe(JSON.stringify({ ...report, ...extra }, null, 2) + '\n');
  });

  it('removes its file when disposed, also unprinted', () => {
    const spool = outcomeSpool<number>();
    spool.add(1);
    const before = new Set(readdirSync(tmpdir()));
    spool.dispose();
    const after = new Set(readdirSync(tmpdir()));
    const gone = [...before].filter((d) => d.startsWith('grip-outcomes-') && !after.has(d));
    expect(gone.length).toBe(1);
    expect(() => spool.add(2)).toThrow(/closed/);
  });
});

describe('grip import --json', () => {
  it('lists every file, in input order, with the imported and rejected ones', async () => {
    const dir = tempDir();
    const header =
      'municipality,provider,client,declarationNumber,declarationDate,productCategory,productCode,periodStart,periodEnd,volume,unit,tariffCents,amountCents,debitCredit,referrer,allocationNumber\n';
    // 999900006 passes the 11-proef; 123456789 does not.
    const line = (n: string, bsn: string) =>
      `0482,12345678,${bsn},${n},2026-02-05,45,45A03,2026-01-01,2026-01-31,2,04,1000,2000,D,02,\n`;
    writeFile(dir, 'a.csv', header + line('A1', '999900006'));
    writeFile(dir, 'b.csv', header + line('B1', '123456789'));
    writeFile(dir, 'c.csv', header + line('C1', '999900006') + line('C2', '999900006'));
    const root = new URL('../../', import.meta.url).pathname;
    const work = tempDir();
    const r = await promisify(execFile)(
      process.execPath,
      [join(root, 'bin/grip.mjs'), 'import', '--json', '--quiet', dir],
      {
        env: { ...process.env, GRIP_DB: join(work, 'g.duckdb'), GRIP_KEY_FILE: join(work, 'key'), GRIP_HOME: work },
        cwd: work,
      },
    ).catch((e: unknown) => e as { stdout: string; code: number });
    const report = JSON.parse(r.stdout) as {
      outcomes: { file: string; status: string; lines: number }[];
      imported: number;
    };
    expect(report.outcomes.map((o) => [o.file.replace(/.*\//, ''), o.status, o.lines])).toEqual([
      ['a.csv', 'imported', 1],
      ['b.csv', 'rejected', 0],
      ['c.csv', 'imported', 2],
    ]);
    expect(report.imported).toBe(2);
    expect('code' in r && r.code).toBe(1);
    expect(existsSync(join(work, 'g.duckdb'))).toBe(true);
    expect(r.stdout).not.toContain('123456789');
  }, 60_000);
});
