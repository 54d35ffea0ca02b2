/**
 * The voorkant scenario (move part of individual care to local provisions) as the CLI (`grip scenario
 * voorkant`) and the web page (/scenario) compute it: the base year (the latest complete year with data,
 * unless given), the cost basis per municipality of the chosen category or product in that year, and the
 * net effect per year and municipality (domain/steering/scenario.ts).
 */
import type { RegionMunicipality } from '../domain/codes/index.js';
import type { Cents } from '../domain/money.js';
import {
  buildVoorkantReport,
  defaultScenarioYear,
  type ScenarioYear,
  type VoorkantParams,
  type VoorkantReport,
} from '../domain/steering/scenario.js';
import type { Warehouse } from '../warehouse/warehouse.js';

/** The base year asked for, else the latest complete year with declarations; null when there are none. */
export async function scenarioBaseYear(w: Pick<Warehouse, 'status'>, year?: number): Promise<number | null> {
  return year ?? defaultScenarioYear((await w.status()).lastMonth);
}

export interface VoorkantRequest {
  baseYear: number;
  category?: string;
  product?: string;
  params: VoorkantParams;
  /** Years with their share; default: the base year with params.share. */
  ramp?: readonly ScenarioYear[];
  /** Only these municipalities (a viewer's scope); default: the whole region. */
  municipalities?: string[];
}

/** The cost basis: the municipalities and each one's cost of the care that moves, in the base year. */
export interface VoorkantBasis {
  municipalities: readonly RegionMunicipality[];
  costs: readonly { municipality?: string; amountCents: Cents }[];
}

/**
 * The scenario on the warehouse's costs, or on a cost basis given by the caller (aggregate roles: the
 * protected cells, with hidden municipalities left out).
 */
export async function voorkantScenario(
  w: Pick<Warehouse, 'municipalities' | 'costs'>,
  q: VoorkantRequest,
  basis?: VoorkantBasis,
): Promise<VoorkantReport> {
  const b = basis ?? (await costBasis(w, q));
  return buildVoorkantReport({
    baseYear: q.baseYear,
    category: q.category,
    product: q.product,
    municipalities: b.municipalities,
    costs: b.costs,
    params: q.params,
    ramp: q.ramp,
  });
}

async function costBasis(w: Pick<Warehouse, 'municipalities' | 'costs'>, q: VoorkantRequest): Promise<VoorkantBasis> {
  const scope = q.municipalities;
  const [all, costs] = await Promise.all([
    w.municipalities(),
    w.costs({
      by: ['municipality'],
      year: q.baseYear,
      category: q.category,
      product: q.product,
      municipalities: scope,
    }),
  ]);
  return { municipalities: scope ? all.filter((m) => scope.includes(m.code)) : all, costs };
}
