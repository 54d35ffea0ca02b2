/**
 * Allocation (verdeling) as the CLI (`grip allocate`), the web page (/verdeling) and a new proposal in the
 * decision cycle (app/proposals.ts) all use it: the key bases of a year gathered from the warehouse once
 * (usage in the year, clients in t-1 and the three years before, inhabitants and youths of the region's
 * municipalities), the split by one key, every key side by side, and the check of a decided share.
 * The arithmetic is the domain's (domain/steering/allocation.ts); this module only gathers and shapes.
 */
import type { RegionMunicipality } from '../domain/codes/index.js';
import type { Cents } from '../domain/money.js';
import type { IsoDate } from '../domain/month.js';
import {
  ALLOCATION_KEYS,
  allocateByKey,
  basisRows,
  phaseWeightFor,
  type AllocationBasisRow,
  type AllocationKey,
  type MunicipalityYearCost,
  type PhaseStep,
  type PureAllocationKey,
  type Share,
} from '../domain/steering/allocation.js';
import { MIN_CLIENTS, roundCount } from '../domain/suppression.js';
import type { Warehouse } from '../warehouse/warehouse.js';

export interface AllocationInputs {
  year: number;
  /** The region's municipalities with their reference data (inhabitants, youths). */
  municipalities: RegionMunicipality[];
  /** One row per municipality: the basis of every key for `year`. */
  rows: AllocationBasisRow[];
  /** True while some inhabitants/youths are the approximate defaults. */
  approximate: boolean;
}

/**
 * The key bases for `year`: the costs by municipality of `year` and the three years before (only lines
 * declared on or before `asOf`, when given). With `protectedCounts`, client counts are rounded to 5 and
 * hidden below 10 (what one municipality may see of another), and the client keys use those counts.
 */
export async function allocationInputs(
  w: Warehouse,
  year: number,
  opts: { asOf?: IsoDate; protectedCounts?: boolean } = {},
): Promise<AllocationInputs> {
  const years = [year, year - 1, year - 2, year - 3];
  const [municipalities, ...costs] = await Promise.all([
    w.municipalities(),
    ...years.map((y) => w.costs({ by: ['municipality'], year: y, asOf: opts.asOf })),
  ]);
  const costsByYear = new Map<number, MunicipalityYearCost[]>();
  years.forEach((y, i) => {
    const rows: MunicipalityYearCost[] = costs[i] ?? [];
    costsByYear.set(
      y,
      opts.protectedCounts
        ? rows.map((r) => ({ ...r, clients: r.clients < MIN_CLIENTS ? 0 : roundCount(r.clients) }))
        : rows,
    );
  });
  return {
    year,
    municipalities,
    rows: basisRows(municipalities, costsByYear, year),
    approximate: municipalities.some((m) => m.approximate),
  };
}

export interface AllocateReport {
  year: number;
  amountCents: Cents;
  key: AllocationKey;
  /** Only for `phased`: the weight of own usage in this year and the solidarity key it moves from. */
  ownWeight?: number;
  solidarityKey?: PureAllocationKey;
  shares: { municipality: string; name: string; basis: number; shareCents: Cents; percent: number }[];
}

const pct4 = (x: number) => Math.round(x * 100 * 10_000) / 10_000;

/** The split by one key as plain data (the CLI's JSON output). */
export function buildAllocateReport(
  year: number,
  amountCents: Cents,
  key: AllocationKey,
  rows: readonly AllocationBasisRow[],
  opts: { phase?: readonly PhaseStep[]; solidarityKey?: PureAllocationKey } = {},
): AllocateReport {
  const shares = allocateByKey(amountCents, key, rows, { phase: opts.phase, year, solidarityKey: opts.solidarityKey });
  const names = new Map(rows.map((r) => [r.code, r.name]));
  const report: AllocateReport = {
    year,
    amountCents,
    key,
    shares: shares.map((s) => ({
      municipality: s.code,
      name: names.get(s.code) ?? '',
      basis: s.basis,
      shareCents: s.shareCents,
      percent: amountCents === 0 ? pct4(s.fraction) : pct4(s.shareCents / amountCents),
    })),
  };
  if (key === 'phased') {
    report.ownWeight = phaseWeightFor(opts.phase ?? [], year);
    report.solidarityKey = opts.solidarityKey ?? 'youths';
  }
  return report;
}

/** Every key's split side by side; a key that cannot be computed (e.g. no clients in t-1) gives its reason. */
export function splitByEveryKey(
  amountCents: Cents,
  rows: readonly AllocationBasisRow[],
  opts: { year: number; phase?: readonly PhaseStep[]; solidarityKey?: PureAllocationKey },
): Map<AllocationKey, Share[] | string> {
  const perKey = new Map<AllocationKey, Share[] | string>();
  for (const k of ALLOCATION_KEYS) {
    try {
      perKey.set(k, allocateByKey(amountCents, k, rows, opts));
    } catch (e) {
      perKey.set(k, (e as Error).message);
    }
  }
  return perKey;
}
