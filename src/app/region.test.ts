/**
 * The region as configuration, on both engines: a new warehouse is the built-in region (the name the first
 * migrations store, the ten municipalities of the domain brief); a rename is stored and read back; a
 * municipality loaded later is part of it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ENGINES, freshWarehouse } from '../warehouse/testing/engines.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { a4Data, burapData } from './reports.js';
import { renderA4Html, renderBurapHtml } from '../reports/html.js';
import { inRegion, regionOf, renameRegion } from './region.js';

describe.each(ENGINES)('region on %s', (engine) => {
  let w: Warehouse | null = null;
  afterEach(async () => {
    await w?.close();
    w = null;
  });

  it('starts as Zuid-Holland Zuid with its ten municipalities, and can be renamed', async () => {
    w = await freshWarehouse(engine);
    const r = await regionOf(w);
    expect(r.name).toBe('Zuid-Holland Zuid');
    // The ten municipalities of the region (domain brief), by name.
    expect(r.municipalities.map((m) => m.name)).toEqual([
      'Alblasserdam',
      'Dordrecht',
      'Gorinchem',
      'Hardinxveld-Giessendam',
      'Hendrik-Ido-Ambacht',
      'Hoeksche Waard',
      'Molenlanden',
      'Papendrecht',
      'Sliedrecht',
      'Zwijndrecht',
    ]);
    expect(inRegion(r, '0482')).toBe(true);
    expect(inRegion(r, '0363')).toBe(false);

    expect(await renameRegion(w, '  Holland   Rijnland ')).toBe('Holland Rijnland');
    expect((await regionOf(w)).name).toBe('Holland Rijnland');
    await expect(renameRegion(w, '   ')).rejects.toThrow(/1 tot 100 tekens/);
    expect((await regionOf(w)).name).toBe('Holland Rijnland');

    await w.upsertMunicipalities([
      { code: '0363', name: 'Amsterdam', inhabitants: 900_000, youths: 180_000, approximate: false },
    ]);
    expect(inRegion(await regionOf(w), '0363')).toBe(true);
  });

  it('heads the reports with the stored name', async () => {
    w = await freshWarehouse(engine);
    await renameRegion(w, 'Holland Rijnland');
    const [a4] = await a4Data(w, { month: '2025-06', municipalities: ['0482'], generatedOn: '2025-07-01' });
    expect(a4?.regionName).toBe('Holland Rijnland');
    expect(renderA4Html(a4!)).toContain('Regio Holland Rijnland');
    const burap = await burapData(w, { year: 2025, half: 1, generatedOn: '2025-07-01' });
    expect(burap.total.name).toBe('Regio Holland Rijnland');
    expect(renderBurapHtml(burap)).toContain('Regio Holland Rijnland · periode');
    expect(renderBurapHtml(burap)).not.toContain('Zuid-Holland Zuid');
  });
});
