import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isValidBsn } from '../domain/bsn.js';
import { at, field } from '../domain/indexing.js';
import { importInto, openTestWarehouse, tempDir } from '../ingest/testing/fixtures.js';
import { generateRegion } from './index.js';

const hashDir = (d: string) => {
  const h = createHash('sha256');
  for (const f of readdirSync(d).sort()) h.update(f).update(readFileSync(join(d, f)));
  return h.digest('hex');
};

describe('synthetic region', () => {
  it('is deterministic, uses valid BSNs, and imports to exactly the written total with the planted errors found', async () => {
    const a = tempDir('grip-gen-');
    const b = tempDir('grip-gen-');
    const opts = {
      years: [2024, 2025] as [number, number],
      seed: 3,
      scale: 'small' as const,
      format: 'xml' as const,
      cutoff: '2025-10-31',
    };
    const m = await generateRegion({ ...opts, outDir: a });
    await generateRegion({ ...opts, outDir: b });
    expect(hashDir(join(a, 'jw323'))).toBe(hashDir(join(b, 'jw323')));
    // Every BSN in the valid files passes the 11-proef (independent regex read of the XML).
    const sample = readdirSync(join(a, 'jw323'))
      .slice(0, 40)
      .map((f) => readFileSync(join(a, 'jw323', f), 'utf8'));
    const bsns = sample.flatMap((t) => [...t.matchAll(/<jw323:Bsn>(\d+)<\/jw323:Bsn>/g)].map((x) => at(x, 1)));
    expect(bsns.length).toBeGreaterThan(0);
    expect(bsns.every(isValidBsn)).toBe(true);

    const w = await openTestWarehouse();
    try {
      const s = await importInto(w, [a]);
      // The three invalid files are rejected; everything else imports.
      expect(
        s.outcomes
          .filter((o) => o.status === 'rejected')
          .map((o) => o.file.split('/').pop())
          .sort(),
      ).toEqual(['bsn.xml', 'total-mismatch.xml', 'truncated.xml']);
      const st = await w.status();
      expect(st.totalCents).toBe(m.writtenJw323Cents);
      const found = Object.fromEntries(st.findings.map((f) => [f.rule, f.lines]));
      expect(found.TR389).toBeGreaterThanOrEqual(m.planted.filter((p) => p.rule === 'TR389').length);
      expect(found.TR323).toBe(m.planted.filter((p) => p.rule === 'TR323').length);
      // Per municipality and year, the warehouse equals the manifest's declared-by-cutoff truth.
      const rows = await w.costs({ by: ['municipality', 'year'] });
      for (const r of rows) expect(r.amountCents).toBe(field(m.declaredByCutoff, r.municipality!)[r.year!]);
      // Referrers resolve through JW301/JW315: no line is left "onbekend".
      expect(st.unknownReferrerLines).toBe(0);
    } finally {
      await w.close();
    }
  }, 120_000);

  it('writes a cut-off before the first declaration without failing: no JW323, nothing planted, allocations still sent', async () => {
    // Care is declared at least one month after it is delivered (the lag is 1–12 months), so with years 2025
    // and a cut-off of 31 January 2025 no line can be declared; allocations dated up to then are still written.
    for (const insight of [undefined, 'planted'] as const) {
      const dir = tempDir('grip-gen-cut-');
      const m = await generateRegion({
        outDir: dir,
        years: [2025, 2025],
        seed: 5,
        scale: 'small',
        format: 'xml',
        cutoff: '2025-01-31',
        ...(insight ? { insight } : {}),
      });
      expect(readdirSync(join(dir, 'jw323'))).toEqual([]);
      expect(m.counts.declarationLines).toBe(0);
      expect(m.writtenJw323Cents).toBe(0);
      expect(m.planted.filter((p) => p.file.startsWith('jw323/'))).toEqual([]);
      expect(m.invalidFiles).toEqual([]);
      expect(readdirSync(join(dir, 'jw301')).length).toBeGreaterThan(0);
    }
  });

  it('writes the same bytes on worker threads as in the calling thread', async () => {
    const opts = {
      years: [2024, 2025] as [number, number],
      seed: 11,
      scale: 'small' as const,
      format: 'xml' as const,
      insight: 'planted' as const,
    };
    const a = tempDir('grip-gen-w0-');
    const b = tempDir('grip-gen-w2-');
    const m = await generateRegion({ ...opts, outDir: a, workers: 0 });
    await generateRegion({ ...opts, outDir: b, workers: 2 });
    expect(readdirSync(join(b, 'jw323')).length).toBe(m.counts.jw323Files);
    for (const d of ['jw323', 'jw301', 'jw315', 'invalid']) {
      expect(readdirSync(join(b, d)).length).toBeGreaterThan(0);
      expect(hashDir(join(b, d))).toBe(hashDir(join(a, d)));
    }
  }, 60_000);
});
