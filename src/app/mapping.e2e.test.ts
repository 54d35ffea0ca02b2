/**
 * End to end: the two example exports in examples/ (a Suite4-like CSV and an iSD-like XLSX, made by
 * scripts/example-exports.ts from the generated region EXAMPLE_REGION) imported through their example
 * mappings give the same monthly costs and client counts per municipality as the iJw route — the JW323
 * messages the generator writes for the same region — and their total is the generator's own
 * writtenJw323Cents.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_REGION } from '../generate/exports.js';
import { generateRegion, type Manifest } from '../generate/index.js';
import { importPaths } from '../ingest/importer.js';
import { makePseudonymiser } from '../ingest/pseudonymise.js';
import { freshWarehouse } from '../warehouse/testing/engines.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { describeOutcome, importExports, proposeMapping, saveMapping } from './mapping.js';

const examples = join(import.meta.dirname, '..', '..', 'examples');
const pseudonymise = makePseudonymiser(Buffer.alloc(32, 3));
const tmp = mkdtempSync(join(tmpdir(), 'grip-e2e-exports-'));

const byMunicipalityMonth = async (w: Warehouse) =>
  Object.fromEntries(
    (await w.costs({ by: ['municipality', 'month'] })).map((r) => [
      `${r.municipality} ${r.month}`,
      { cents: r.amountCents, clients: r.clients, lines: r.lines },
    ]),
  );

describe('example exports against the iJw route', () => {
  let ijw: Warehouse;
  let exportsW: Warehouse;
  let manifest: Manifest;
  beforeAll(async () => {
    manifest = await generateRegion({ outDir: join(tmp, 'xml'), format: 'xml', ...EXAMPLE_REGION });
    ijw = await freshWarehouse('duckdb');
    const s = await importPaths([join(tmp, 'xml', 'jw323')], {
      warehouse: ijw,
      pseudonymise,
      xsd: { available: false, why: 'niet nodig', validate: async () => new Map() },
      workers: 1,
    });
    expect(s.rejected).toBe(0);
    exportsW = await freshWarehouse('duckdb');
  }, 120_000);
  afterAll(async () => {
    await ijw.close();
    await exportsW.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('imports both examples through their mappings, to the same figures per municipality and month', async () => {
    for (const m of ['suite4-declaraties.mapping.json', 'isd-declaraties.mapping.json'])
      await saveMapping(exportsW, JSON.parse(readFileSync(join(examples, m), 'utf8')), 'test');
    const suite4 = await importExports(
      exportsW,
      pseudonymise,
      [{ path: join(examples, 'suite4-declaraties.csv'), display: 'suite4-declaraties.csv' }],
      'suite4',
      { username: 'test', role: 'test' },
    );
    const isd = await importExports(
      exportsW,
      pseudonymise,
      [{ path: join(examples, 'isd-declaraties.xlsx'), display: 'isd-declaraties.xlsx' }],
      'isd',
      { username: 'test', role: 'test' },
    );
    expect([...suite4, ...isd].map((o) => o.status)).toEqual(['imported', 'imported']);
    expect((suite4[0]?.totalCents ?? 0) + (isd[0]?.totalCents ?? 0)).toBe(manifest.writtenJw323Cents);
    const fromIjw = await byMunicipalityMonth(ijw);
    expect(Object.keys(fromIjw).length).toBe(30); // 10 municipalities × January–March 2025
    expect(await byMunicipalityMonth(exportsW)).toEqual(fromIjw);
    expect(describeOutcome(isd[0]!, 'iSD (voorbeeld)')[0]).toMatch(
      /^Geïmporteerd: isd-declaraties\.xlsx — 277 regels .* bladen Papendrecht, Sliedrecht, Zwijndrecht, Hoeksche Waard, Molenlanden\.$/,
    );
  });

  it('the Suite4 example carries BSNs: its clients get the same pseudonyms as in the iJw route', async () => {
    const a = (await ijw.lineage({ municipality: '0505', month: '2025-01', limit: 1000 })).map((l) => l.client).sort();
    const b = (await exportsW.lineage({ municipality: '0505', month: '2025-01', limit: 1000 }))
      .map((l) => l.client)
      .sort();
    expect(b.length).toBeGreaterThan(0);
    expect(b).toEqual(a);
  });

  it('proposes the example mappings from the files themselves', async () => {
    const suite4 = await proposeMapping(
      exportsW,
      pseudonymise,
      join(examples, 'suite4-declaraties.csv'),
      'suite4-declaraties.csv',
      'suite4',
    );
    const expected = JSON.parse(readFileSync(join(examples, 'suite4-declaraties.mapping.json'), 'utf8'));
    expect(suite4.problems).toEqual([]);
    expect(suite4.mapping?.fields).toEqual(expected.fields);
    expect(suite4.preview?.lines.length).toBe(10);
    expect(suite4.preview?.error).toBeNull();
    const isd = await proposeMapping(
      exportsW,
      pseudonymise,
      join(examples, 'isd-declaraties.xlsx'),
      'isd-declaraties.xlsx',
      'isd',
    );
    const expectedIsd = JSON.parse(readFileSync(join(examples, 'isd-declaraties.mapping.json'), 'utf8'));
    expect(isd.problems).toEqual([]);
    expect(isd.mapping?.fields).toEqual(expectedIsd.fields);
  });

  it('an export of care already imported through the iJw route is reported as counted twice', async () => {
    await saveMapping(ijw, JSON.parse(readFileSync(join(examples, 'suite4-declaraties.mapping.json'), 'utf8')), 'test');
    const [o] = await importExports(
      ijw,
      pseudonymise,
      [{ path: join(examples, 'suite4-declaraties.csv'), display: 'suite4-declaraties.csv' }],
      'suite4',
      { username: 'test', role: 'test' },
    );
    // Every one of its 259 lines (€ 389.073,39) came through the JW323 messages too.
    expect(o?.replaced?.otherSources).toEqual({ lines: 259, amountCents: 38_907_339 });
    expect(describeOutcome(o!)[1]).toMatch(
      /^Let op: 259 regels lijken \(€ 389\.073,39\) al in Grip te staan uit een andere bron/,
    );
  });
});
