/**
 * The generator's `insight` option: what it plants (costly families with a family key, over-indicated
 * allocations, double registrations across providers, tariffs above the contracted list, clients who come
 * back) is found by the insight queries, exactly; on the `clean` region no data-quality check finds
 * anything. The data-quality checks run with a 12-month lag: the generator declares care at most 12 months
 * late, so every allocation is measured against complete declarations. The contracted tariff list the
 * generator writes (tarieven.csv) is loaded as `grip demo` does.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importTariffCsv } from '../app/tariffs.js';
import { field } from '../domain/indexing.js';
import { specialCases } from '../domain/insight/families.js';
import { importInto, openTestWarehouse, tempDir } from '../ingest/testing/fixtures.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { generateRegion, type GenerateOptions, type Manifest } from './index.js';

const BASE = { years: [2024, 2025] as [number, number], seed: 3, scale: 'small' as const, cutoff: '2025-10-31' };
const open: Warehouse[] = [];
afterAll(async () => {
  for (const w of open) await w.close();
});

async function region(
  insight: 'planted' | 'clean',
  format: GenerateOptions['format'] = 'xml',
): Promise<{ m: Manifest; w: Warehouse }> {
  const dir = tempDir('grip-gen-insight-');
  const m = await generateRegion({ ...BASE, format, insight, outDir: dir });
  const w = await openTestWarehouse();
  open.push(w);
  // The message folders (the tariff list beside them is not a declaration file).
  const folders = readdirSync(dir)
    .filter((d) => statSync(join(dir, d)).isDirectory())
    .map((d) => join(dir, d));
  const s = await importInto(w, folders);
  expect(
    s.outcomes
      .filter((o) => o.status === 'rejected')
      .map((o) => o.file.split('/').pop())
      .sort(),
  ).toEqual(['bsn.xml', 'total-mismatch.xml', 'truncated.xml']);
  expect((await w.status()).totalCents).toBe(m.writtenJw323Cents);
  expect(m.insight!.tariffList).toBe('tarieven.csv');
  // Every product for each year with declarations (2024 and the cut-off year 2025).
  expect(
    await importTariffCsv(w, readFileSync(join(dir, 'tarieven.csv'), 'utf8'), join(dir, 'tarieven.csv'), {
      enteredBy: 'test',
    }),
  ).toBe(10 * 2);
  return { m, w };
}

const plusDays = (d: string, n: number) =>
  new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * Re-entries within 12 months expected from the manifest: per municipality, the planted returns whose exit lies
 * in 2024–2025 and whose 12 months after it lie before the horizon (the latest declaration date).
 */
function expectedReEntries(m: Manifest, horizon: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of m.insight!.reEntryAllocations) {
    if (r.exit < '2024-01-01' || r.exit > '2025-12-31' || plusDays(r.exit, 365) > horizon) continue;
    if (!(r.back > plusDays(r.exit, 31) && r.back <= plusDays(r.exit, 365))) continue;
    out[r.municipality] = (out[r.municipality] ?? 0) + 1;
  }
  return out;
}

async function foundReEntries(w: Warehouse): Promise<Record<string, number>> {
  const rows = await w.reEntries({ from: '2024-01', to: '2025-12' });
  return Object.fromEntries(rows.filter((r) => r.reEntries > 0).map((r) => [r.municipality, r.reEntries]));
}

/** The bijzondere casussen found per year: municipality and number of children out of home, sorted. */
async function casesPerYear(w: Warehouse): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const y of [2024, 2025]) {
    const f = await w.familyCosts({ from: `${y}-01`, to: `${y}-12` });
    out[y] = specialCases(f)
      .flatMap((s) => s.cases.map((c) => `${c.municipality}:${c.outOfHomeClients}`))
      .sort();
  }
  return out;
}

/**
 * The costly families that run in a year: started that year or the year before (18 months of care); with
 * `planted` also the recent families of the first municipality (A2024: 6 children, A2025: 9).
 */
function expectedCases(m: Manifest): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const y of [2024, 2025]) {
    out[y] = m.costlyFamilies
      .filter((f) => [`F${y}`, `F${y - 1}`, `A${y}`, `A${y - 1}`].includes(f.family))
      .map((f) => `${f.municipality}:${f.children}`)
      .sort();
  }
  return out;
}

describe('generator insight option', () => {
  it('planted (XML): the costly families are flagged, the over-indications and double registrations found, and nothing else', async () => {
    const { m, w } = await region('planted');
    expect(m.insight).toMatchObject({ mode: 'planted', keyedCostlyFamilies: 4, crossProviderDoubles: 2 });
    expect(m.costlyFamilies.filter((f) => f.family.startsWith('A'))).toEqual([
      { family: 'A2024', municipality: '0482', children: 6 },
      { family: 'A2025', municipality: '0482', children: 9 },
    ]);
    expect(m.insight!.overIndications).toHaveLength(3);
    expect(m.insight!.siblingFamilies).toBeGreaterThan(0);
    expect(await casesPerYear(w)).toEqual(expectedCases(m));
    // Siblings are linked (families of two) but none is a bijzondere casus.
    const f = await w.familyCosts({ from: '2024-01', to: '2025-12', top: 1000 });
    expect(f.families.filter((x) => x.keyed && x.clients === 2).length).toBeGreaterThan(0);

    const r = await w.dataQuality({ lagMonths: 12, examples: 20 });
    const c = Object.fromEntries(r.checks.map((x) => [x.id, x]));
    const tr389 = m.planted.filter((p) => p.rule === 'TR389').length;
    expect(field(c, 'double').count).toBe(tr389 + m.insight!.crossProviderDoubles);
    expect(field(c, 'double').examples.filter((e) => e.provider.includes('+'))).toHaveLength(
      m.insight!.crossProviderDoubles,
    );
    expect(
      field(c, 'overIndication')
        .examples.map((e) => e.allocationNumber)
        .sort(),
    ).toEqual([...m.insight!.overIndications].sort());

    // Over-indication at the default lag (3 months, `grip check`): declarations of the last months before the
    // horizon are still coming in, yet allocations still running up to their expected delivery raise no alarm.
    // Truth: the manifest's planted over-indications. Recall: every planted one is found; precision (planted
    // found / alarms raised) at least 0.8.
    const d = (await w.dataQuality({ examples: 1000 })).checks.find((x) => x.id === 'overIndication')!;
    expect(d.checked).toBe(true);
    expect(d.examples).toHaveLength(d.count);
    const alarms = d.examples.map((e) => e.allocationNumber!);
    const truth = new Set(m.insight!.overIndications);
    const found = alarms.filter((a) => truth.has(a));
    expect([...new Set(found)].sort()).toEqual([...truth].sort());
    expect(found.length / alarms.length).toBeGreaterThanOrEqual(0.8);
    expect(field(c, 'noAllocation').count).toBe(m.insight!.crossProviderDoubles);
    expect(field(c, 'unusedAllocation').count).toBe(0);
    expect(field(c, 'creditWithoutDebit').count).toBe(m.planted.filter((p) => p.rule === 'TR323').length);
    expect(field(c, 'afterStop').count).toBe(0);
    // Tariffs above the contracted list: exactly the planted lines, the overpayment to the cent.
    const planted = m.insight!.tariffLines;
    expect(planted).toHaveLength(3);
    expect(m.planted.filter((p) => p.rule === 'tariff')).toHaveLength(3);
    expect(field(c, 'tariff')).toMatchObject({
      checked: true,
      count: 3,
      amountCents: planted.reduce((t, x) => t + x.excessCents, 0),
    });
    expect(
      field(c, 'tariff')
        .examples.map((e) => [e.fileName, e.amountCents])
        .sort(),
    ).toEqual(planted.map((x) => [basename(x.file), x.excessCents]).sort());

    // Re-entry within 12 months: the clients the generator brought back, per municipality, and no one else.
    expect(m.insight!.reEntries).toBeGreaterThan(0);
    expect(m.insight!.reEntries).toBe(m.insight!.reEntryAllocations.length);
    const horizon = (await w.status()).lastDeclarationDate!;
    const expected = expectedReEntries(m, horizon);
    // The generator only brings back clients whose return is observable by the cut-off: all of them count.
    expect(Object.values(expected).reduce((a, b) => a + b, 0)).toBe(m.insight!.reEntries);
    expect(await foundReEntries(w)).toEqual(expected);
  }, 300_000);

  it('clean (XML): no bijzondere casus and no data-quality finding', async () => {
    const { m, w } = await region('clean');
    expect(m.planted).toEqual([]);
    expect(await casesPerYear(w)).toEqual({ 2024: [], 2025: [] });
    const r = await w.dataQuality({ lagMonths: 12 });
    expect(r.checks.filter((x) => x.checked && x.count > 0).map((x) => `${x.id}: ${x.count}`)).toEqual([]);
    expect(r.checks.find((x) => x.id === 'overIndication')!.checked).toBe(true);
    // Nothing planted, so no over-indication at the default lag either (running allocations are not judged early).
    expect((await w.dataQuality({})).checks.find((x) => x.id === 'overIndication')).toMatchObject({
      checked: true,
      count: 0,
    });
    // The contracted tariff list matches every declared tariff.
    expect(r.checks.find((x) => x.id === 'tariff')).toMatchObject({ checked: true, count: 0 });
    // Clients come back in the clean region too (it is not an error): found exactly.
    expect(m.insight!.reEntries).toBeGreaterThan(0);
    expect(await foundReEntries(w)).toEqual(expectedReEntries(m, (await w.status()).lastDeclarationDate!));
  }, 300_000);

  it('planted (CSV): families come from the family column', async () => {
    const { m, w } = await region('planted', 'csv');
    expect(await casesPerYear(w)).toEqual(expectedCases(m));
    const r = await w.dataQuality({ lagMonths: 12 });
    expect(r.checks.find((x) => x.id === 'double')!.count).toBe(
      m.planted.filter((p) => p.rule === 'TR389' || p.rule === 'double').length,
    );
    const tariff = r.checks.find((x) => x.id === 'tariff')!;
    expect(tariff).toMatchObject({
      checked: true,
      count: 3,
      amountCents: m.insight!.tariffLines.reduce((t, x) => t + x.excessCents, 0),
    });
  }, 300_000);
});

describe('generator insight option: the first corona lockdown', () => {
  it('planted: less care in March–June 2020 than the same region without it (clean), by the planted factors', async () => {
    const opts = {
      years: [2019, 2020] as [number, number],
      seed: 3,
      scale: 'small' as const,
      format: 'csv' as const,
      cutoff: '2021-03-31',
    };
    const planted = await generateRegion({ ...opts, insight: 'planted', outDir: tempDir('grip-gen-corona-') });
    const clean = await generateRegion({ ...opts, insight: 'clean', outDir: tempDir('grip-gen-corona-') });
    // Municipality 0505 has no costly family in these years, so only the dip (and a few planted lines) differ.
    const cents = (m: Manifest, month: string) => field(field(m.truth, '0505').months, month);
    const ratio = (month: string) => cents(planted, month) / cents(clean, month);
    // Planted factors: April 0,6 and May 0,65 of the volume (rounded per line, at least 1 unit).
    expect(ratio('2020-04')).toBeGreaterThan(0.5);
    expect(ratio('2020-04')).toBeLessThan(0.72);
    expect(ratio('2020-05')).toBeLessThan(0.77);
    // Outside the lockdown the two regions deliver the same care.
    for (const m of ['2020-01', '2020-02', '2020-08', '2020-10']) expect(Math.abs(ratio(m) - 1)).toBeLessThan(0.06);
  }, 120_000);
});
