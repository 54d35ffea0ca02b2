/**
 * The generator's `insight` option: what it plants (costly families with a family key, over-indicated
 * allocations, double registrations across providers) is found by the insight queries, exactly; on the
 * `clean` region nothing is found. The data-quality checks run with a 12-month lag: the generator declares
 * care at most 12 months late, so every allocation is measured against complete declarations.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { specialCases } from '../domain/insight/families.js';
import { importInto, openTestWarehouse, tempDir } from '../ingest/testing/fixtures.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { generateRegion, type GenerateOptions, type Manifest } from './index.js';

const BASE = { years: [2024, 2025] as [number, number], seed: 3, scale: 'small' as const, cutoff: '2025-10-31' };
const open: Warehouse[] = [];
afterAll(async () => {
  for (const w of open) await w.close();
});

async function region(insight: 'planted' | 'clean', format: GenerateOptions['format'] = 'xml'): Promise<{ m: Manifest; w: Warehouse }> {
  const dir = tempDir('grip-gen-insight-');
  const m = await generateRegion({ ...BASE, format, insight, outDir: dir });
  const w = await openTestWarehouse();
  open.push(w);
  const s = await importInto(w, [dir]);
  expect(s.outcomes.filter((o) => o.status === 'rejected').map((o) => o.file.split('/').pop()).sort()).toEqual(['bsn.xml', 'total-mismatch.xml', 'truncated.xml']);
  expect((await w.status()).totalCents).toBe(m.writtenJw323Cents);
  return { m, w };
}

/** The bijzondere casussen found per year: municipality and number of children out of home, sorted. */
async function casesPerYear(w: Warehouse): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const y of [2024, 2025]) {
    const f = await w.familyCosts({ from: `${y}-01`, to: `${y}-12` });
    out[y] = specialCases(f).flatMap((s) => s.cases.map((c) => `${c.municipality}:${c.outOfHomeClients}`)).sort();
  }
  return out;
}

/** The costly families that run in a year: started that year or the year before (18 months of care). */
function expectedCases(m: Manifest): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const y of [2024, 2025]) {
    out[y] = m.costlyFamilies.filter((f) => [`F${y}`, `F${y - 1}`].includes(f.family)).map((f) => `${f.municipality}:${f.children}`).sort();
  }
  return out;
}

describe('generator insight option', () => {
  it('planted (XML): the costly families are flagged, the over-indications and double registrations found, and nothing else', async () => {
    const { m, w } = await region('planted');
    expect(m.insight).toMatchObject({ mode: 'planted', keyedCostlyFamilies: 2, crossProviderDoubles: 2 });
    expect(m.insight!.overIndications).toHaveLength(3);
    expect(m.insight!.siblingFamilies).toBeGreaterThan(0);
    expect(await casesPerYear(w)).toEqual(expectedCases(m));
    // Siblings are linked (families of two) but none is a bijzondere casus.
    const f = await w.familyCosts({ from: '2024-01', to: '2025-12', top: 1000 });
    expect(f.families.filter((x) => x.keyed && x.clients === 2).length).toBeGreaterThan(0);

    const r = await w.dataQuality({ lagMonths: 12, examples: 20 });
    const c = Object.fromEntries(r.checks.map((x) => [x.id, x]));
    const tr389 = m.planted.filter((p) => p.rule === 'TR389').length;
    expect(c.double.count).toBe(tr389 + m.insight!.crossProviderDoubles);
    expect(c.double.examples.filter((e) => e.provider.includes('+'))).toHaveLength(m.insight!.crossProviderDoubles);
    expect(c.overIndication.examples.map((e) => e.allocationNumber).sort()).toEqual([...m.insight!.overIndications].sort());
    expect(c.noAllocation.count).toBe(m.insight!.crossProviderDoubles);
    expect(c.unusedAllocation.count).toBe(0);
    expect(c.creditWithoutDebit.count).toBe(m.planted.filter((p) => p.rule === 'TR323').length);
    expect(c.afterStop.count).toBe(0);
  }, 300_000);

  it('clean (XML): no bijzondere casus and no data-quality finding', async () => {
    const { m, w } = await region('clean');
    expect(m.planted).toEqual([]);
    expect(await casesPerYear(w)).toEqual({ 2024: [], 2025: [] });
    const r = await w.dataQuality({ lagMonths: 12 });
    expect(r.checks.filter((x) => x.checked && x.count > 0).map((x) => `${x.id}: ${x.count}`)).toEqual([]);
    expect(r.checks.find((x) => x.id === 'overIndication')!.checked).toBe(true);
  }, 300_000);

  it('planted (CSV): families come from the family column', async () => {
    const { m, w } = await region('planted', 'csv');
    expect(await casesPerYear(w)).toEqual(expectedCases(m));
    const r = await w.dataQuality({ lagMonths: 12 });
    expect(r.checks.find((x) => x.id === 'double')!.count).toBe(m.planted.filter((p) => p.rule === 'TR389' || p.rule === 'double').length);
  }, 300_000);
});
