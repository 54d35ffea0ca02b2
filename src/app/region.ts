/**
 * The region as configuration, read from the warehouse by every front end (CLI, web, reports): its name
 * (e.g. "Zuid-Holland Zuid", stored by migration 12 and changed with `grip municipalities region NAME`) and its
 * municipalities with inhabitants and youths 0–17 (seeded by migration 1, loaded with `grip municipalities
 * import` or edited on /verdeling). Nothing else names the region or lists its municipalities.
 */
import type { RegionMunicipality } from '../domain/codes/index.js';
import { GripError } from '../domain/errors.js';
import type { Warehouse } from '../warehouse/warehouse.js';

export interface Region {
  name: string;
  /** The region's municipalities, by name. */
  municipalities: RegionMunicipality[];
}

/** The region as the warehouse holds it. */
export async function regionOf(w: Pick<Warehouse, 'regionName' | 'municipalities'>): Promise<Region> {
  const [name, municipalities] = await Promise.all([w.regionName(), w.municipalities()]);
  return { name, municipalities };
}

/** True when `code` (4 digits) is one of the region's municipalities. */
export function inRegion(region: Pick<Region, 'municipalities'>, code: string): boolean {
  return region.municipalities.some((m) => m.code === code);
}

/** Renames the region (trimmed, 1–100 characters). */
export async function renameRegion(w: Pick<Warehouse, 'setRegionName'>, name: string): Promise<string> {
  const n = name.trim().replace(/\s+/g, ' ');
  if (!n || n.length > 100)
    throw new GripError('USAGE', `de naam van de regio moet 1 tot 100 tekens zijn, niet "${name}"`);
  await w.setRegionName(n);
  return n;
}
